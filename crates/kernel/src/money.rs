//! Money: a non-negative amount in fen (分).
//!
//! Amounts are integers in fen everywhere inside the platform (the database stores
//! BIGINT fen) so no arithmetic ever rounds; the API speaks decimal strings in yuan with
//! at most two places, because JSON numbers are binary floats in most clients.

use std::borrow::Cow;
use std::fmt;

use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

use crate::validation::FieldError;

/// Shape of a money string on the API, exactly what [`Money::parse`] takes: digits (leading
/// zeros allowed) up to [`Money::MAX`], with at most two decimal places.
pub const MONEY_PATTERN: &str = r"^0*(\d{1,13}(\.\d{1,2})?|10000000000000(\.0{1,2})?)$";

const FEN_PER_YUAN: i64 = 100;

/// A non-negative amount of money in fen (分), at most 10^13 yuan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);
    /// 10^13 yuan in fen: far above any real project, far below `i64::MAX`, so sums of a
    /// few thousand amounts cannot overflow before the limit check sees them.
    pub const MAX_FEN: i64 = 1_000_000_000_000_000;
    pub const MAX: Money = Money(Self::MAX_FEN);

    pub fn from_fen(fen: i64) -> Result<Money, MoneyError> {
        if fen < 0 {
            Err(MoneyError::Negative)
        } else if fen > Self::MAX_FEN {
            Err(MoneyError::TooLarge)
        } else {
            Ok(Money(fen))
        }
    }

    pub fn fen(self) -> i64 {
        self.0
    }

    /// Parses a yuan amount such as `500000`, `1234.5` or `1234.50`.
    ///
    /// Strict on purpose: no sign, no whitespace, no exponent, no more than two
    /// decimal places (even `1.000`), so every accepted string means exactly one amount.
    pub fn parse(s: &str) -> Result<Money, MoneyError> {
        if s.is_empty() {
            return Err(MoneyError::Empty);
        }
        let (negative, unsigned) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (integer, fraction) = match unsigned.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (unsigned, None),
        };
        if !is_digits(integer) || fraction.is_some_and(|f| !is_digits(f)) {
            return Err(MoneyError::Malformed);
        }
        if negative {
            return Err(MoneyError::Negative);
        }
        let fraction = fraction.unwrap_or("");
        if fraction.len() > 2 {
            return Err(MoneyError::TooManyDecimalPlaces);
        }

        let mut yuan: i64 = 0;
        for digit in integer.bytes() {
            yuan = yuan
                .checked_mul(10)
                .and_then(|y| y.checked_add(i64::from(digit - b'0')))
                .ok_or(MoneyError::TooLarge)?;
        }
        let mut cents: i64 = 0;
        for (i, digit) in fraction.bytes().enumerate() {
            let place = if i == 0 { 10 } else { 1 };
            cents += i64::from(digit - b'0') * place;
        }
        let fen = yuan.checked_mul(FEN_PER_YUAN).and_then(|f| f.checked_add(cents)).ok_or(MoneyError::TooLarge)?;
        Money::from_fen(fen)
    }

    /// The amount in yuan, always with scale 2.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// Converts a yuan amount. Trailing zeros beyond two places are fine here (a
    /// `Decimal` is a value, not text); a non-zero third place is not.
    pub fn from_decimal(d: Decimal) -> Result<Money, MoneyError> {
        if d.is_sign_negative() && !d.is_zero() {
            return Err(MoneyError::Negative);
        }
        let d = d.normalize();
        let scale = d.scale();
        if scale > 2 {
            return Err(MoneyError::TooManyDecimalPlaces);
        }
        let factor: u128 = if scale == 0 {
            100
        } else if scale == 1 {
            10
        } else {
            1
        };
        // The mantissa has at most 96 bits, so multiplying by 100 cannot overflow u128.
        let fen = d.mantissa().unsigned_abs() * factor;
        let fen = i64::try_from(fen).map_err(|_| MoneyError::TooLarge)?;
        Money::from_fen(fen)
    }

    /// `None` when the sum would exceed [`Money::MAX_FEN`].
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).filter(|fen| *fen <= Self::MAX_FEN).map(Money)
    }

    /// `None` when the difference would be negative.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).filter(|fen| *fen >= 0).map(Money)
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / FEN_PER_YUAN, self.0 % FEN_PER_YUAN)
    }
}

impl std::str::FromStr for Money {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse(s)
    }
}

/// Why a string or number is not a valid [`Money`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum MoneyError {
    #[error("金额不能为空")]
    Empty,
    #[error("金额格式不正确，应为十进制数字字符串，例如 \"500000.00\"")]
    Malformed,
    #[error("金额不能为负数")]
    Negative,
    #[error("金额最多保留两位小数（精确到分）")]
    TooManyDecimalPlaces,
    #[error("金额超出上限 10000000000000.00 元")]
    TooLarge,
}

impl MoneyError {
    pub fn code(&self) -> &'static str {
        match self {
            MoneyError::Empty => "empty",
            MoneyError::Malformed => "malformed",
            MoneyError::Negative => "negative",
            MoneyError::TooManyDecimalPlaces => "too_many_decimal_places",
            MoneyError::TooLarge => "too_large",
        }
    }

    pub fn to_field_error(&self, field: impl Into<String>) -> FieldError {
        FieldError::new(field, self.code(), self.to_string())
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

const NUMBER_REFUSED: &str = "金额须以十进制字符串表示（例如 \"500000.00\"），不接受 JSON 数字";

struct MoneyVisitor;

impl Visitor<'_> for MoneyVisitor {
    type Value = Money;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("以十进制字符串表示的金额，例如 \"500000.00\"")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Money, E> {
        Money::parse(v).map_err(E::custom)
    }

    // Numbers are refused with their own message: a float like 0.1 has already lost
    // exactness before we see it, and the caller should learn why, not just "wrong type".
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Money, E> {
        Err(E::custom(NUMBER_REFUSED))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Money, E> {
        Err(E::custom(NUMBER_REFUSED))
    }

    fn visit_i128<E: de::Error>(self, _: i128) -> Result<Money, E> {
        Err(E::custom(NUMBER_REFUSED))
    }

    fn visit_u128<E: de::Error>(self, _: u128) -> Result<Money, E> {
        Err(E::custom(NUMBER_REFUSED))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Money, E> {
        Err(E::custom(NUMBER_REFUSED))
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // `deserialize_any` so that a JSON number reaches the visitor and gets the
        // explanatory message instead of a generic type error.
        deserializer.deserialize_any(MoneyVisitor)
    }
}

impl utoipa::PartialSchema for Money {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(MONEY_PATTERN))
            .description(Some("金额（元），十进制字符串，最多两位小数，范围 0 至 10000000000000.00"))
            .examples(["500000.00"])
            .into()
    }
}

impl utoipa::ToSchema for Money {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Money")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    #[test]
    fn parses_valid_amounts() {
        assert_eq!(Money::parse("0").unwrap().fen(), 0);
        assert_eq!(Money::parse("0.00").unwrap().fen(), 0);
        assert_eq!(Money::parse("1").unwrap().fen(), 100);
        assert_eq!(Money::parse("1.5").unwrap().fen(), 150);
        assert_eq!(Money::parse("1.05").unwrap().fen(), 105);
        assert_eq!(Money::parse("1234.50").unwrap().fen(), 123_450);
        assert_eq!(Money::parse("500000.00").unwrap().fen(), 50_000_000);
        assert_eq!(Money::parse("007.10").unwrap().fen(), 710);
        assert_eq!(Money::parse("10000000000000").unwrap().fen(), Money::MAX_FEN);
        assert_eq!(Money::parse("10000000000000.00").unwrap(), Money::MAX);
    }

    #[test]
    fn refuses_invalid_amounts_with_the_right_error() {
        let cases = [
            ("", MoneyError::Empty),
            (" ", MoneyError::Malformed),
            (" 1", MoneyError::Malformed),
            ("1 ", MoneyError::Malformed),
            ("1 000", MoneyError::Malformed),
            ("abc", MoneyError::Malformed),
            ("1.", MoneyError::Malformed),
            (".5", MoneyError::Malformed),
            ("1.2.3", MoneyError::Malformed),
            ("1,000.00", MoneyError::Malformed),
            ("+1", MoneyError::Malformed),
            ("+1.00", MoneyError::Malformed),
            ("1e3", MoneyError::Malformed),
            ("1E3", MoneyError::Malformed),
            ("1.0e2", MoneyError::Malformed),
            ("０", MoneyError::Malformed),
            ("-", MoneyError::Malformed),
            ("--1", MoneyError::Malformed),
            ("NaN", MoneyError::Malformed),
            ("-0.01", MoneyError::Negative),
            ("-1", MoneyError::Negative),
            ("-0", MoneyError::Negative),
            ("1.000", MoneyError::TooManyDecimalPlaces),
            ("0.001", MoneyError::TooManyDecimalPlaces),
            ("10000000000000.01", MoneyError::TooLarge),
            ("10000000000001", MoneyError::TooLarge),
            ("99999999999999999999999999999", MoneyError::TooLarge),
        ];
        for (input, expected) in cases {
            assert_eq!(Money::parse(input), Err(expected), "input {input:?}");
        }
    }

    #[test]
    fn displays_two_places() {
        assert_eq!(Money::ZERO.to_string(), "0.00");
        assert_eq!(Money::from_fen(5).unwrap().to_string(), "0.05");
        assert_eq!(Money::from_fen(123_450).unwrap().to_string(), "1234.50");
        assert_eq!(Money::MAX.to_string(), "10000000000000.00");
    }

    #[test]
    fn from_fen_checks_the_range() {
        assert_eq!(Money::from_fen(-1), Err(MoneyError::Negative));
        assert_eq!(Money::from_fen(Money::MAX_FEN + 1), Err(MoneyError::TooLarge));
        assert!(Money::from_fen(Money::MAX_FEN).is_ok());
    }

    #[test]
    fn decimal_round_trip() {
        let m = Money::parse("1234.5").unwrap();
        let d = m.to_decimal();
        assert_eq!(d.scale(), 2);
        assert_eq!(d.to_string(), "1234.50");
        assert_eq!(Money::from_decimal(d), Ok(m));
        assert_eq!(Money::ZERO.to_decimal().to_string(), "0.00");
    }

    #[test]
    fn from_decimal_checks_sign_places_and_range() {
        let dec = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(Money::from_decimal(dec("12")).unwrap().fen(), 1200);
        assert_eq!(Money::from_decimal(dec("1.000")).unwrap().fen(), 100);
        assert_eq!(Money::from_decimal(dec("0.1")).unwrap().fen(), 10);
        assert_eq!(Money::from_decimal(dec("-0.00")).unwrap().fen(), 0);
        assert_eq!(Money::from_decimal(dec("-0.01")), Err(MoneyError::Negative));
        assert_eq!(Money::from_decimal(dec("0.001")), Err(MoneyError::TooManyDecimalPlaces));
        assert_eq!(Money::from_decimal(dec("10000000000000.01")), Err(MoneyError::TooLarge));
        assert_eq!(Money::from_decimal(Decimal::MAX), Err(MoneyError::TooLarge));
    }

    #[test]
    fn checked_arithmetic_stays_in_range() {
        let one = Money::from_fen(100).unwrap();
        let two = Money::from_fen(200).unwrap();
        assert_eq!(one.checked_add(one), Some(two));
        assert_eq!(two.checked_sub(one), Some(one));
        assert_eq!(one.checked_sub(one), Some(Money::ZERO));
        assert_eq!(one.checked_sub(two), None);
        assert_eq!(Money::MAX.checked_add(Money::from_fen(1).unwrap()), None);
        assert_eq!(Money::MAX.checked_add(Money::ZERO), Some(Money::MAX));
    }

    #[test]
    fn serde_uses_strings_only() {
        let m = Money::parse("500000").unwrap();
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"500000.00\"");
        let back: Money = serde_json::from_str("\"500000.00\"").unwrap();
        assert_eq!(back, m);

        for number in ["500000", "500000.5", "-1", "1e3"] {
            let err = serde_json::from_str::<Money>(number).unwrap_err();
            assert!(err.to_string().contains("十进制字符串"), "{number}: {err}");
        }
        let err = serde_json::from_str::<Money>("\"1.000\"").unwrap_err();
        assert!(err.to_string().contains("两位小数"), "{err}");
        assert!(serde_json::from_str::<Money>("null").is_err());
        assert!(serde_json::from_str::<Money>("true").is_err());
    }

    #[test]
    fn error_codes_and_field_errors() {
        let e = MoneyError::TooManyDecimalPlaces.to_field_error("sections[1].estimated_amount");
        assert_eq!(e.field, "sections[1].estimated_amount");
        assert_eq!(e.code, "too_many_decimal_places");
        assert_eq!(e.message, "金额最多保留两位小数（精确到分）");
        assert_eq!(MoneyError::Empty.code(), "empty");
        assert_eq!(MoneyError::Malformed.code(), "malformed");
        assert_eq!(MoneyError::Negative.code(), "negative");
        assert_eq!(MoneyError::TooLarge.code(), "too_large");
    }

    #[test]
    fn schema_is_a_patterned_string() {
        use utoipa::{PartialSchema, ToSchema};
        let json = serde_json::to_value(Money::schema()).unwrap();
        assert_eq!(json["type"], "string");
        assert_eq!(json["pattern"], MONEY_PATTERN);
        assert_eq!(json["examples"][0], "500000.00");
        assert_eq!(Money::name(), "Money");
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(fen in 0..=Money::MAX_FEN) {
            let m = Money::from_fen(fen).unwrap();
            prop_assert_eq!(Money::parse(&m.to_string()), Ok(m));
            prop_assert_eq!(Money::from_decimal(m.to_decimal()), Ok(m));
        }

        #[test]
        fn accepted_strings_match_the_pattern_shape(s in "[0-9]{1,14}(\\.[0-9]{1,2})?") {
            // Everything of the documented shape parses unless it exceeds the maximum.
            match Money::parse(&s) {
                Ok(m) => prop_assert!(m.fen() <= Money::MAX_FEN),
                Err(e) => prop_assert_eq!(e, MoneyError::TooLarge),
            }
        }
    }
}
