//! National identifiers: the unified social credit code of organisations, the resident
//! identity number of persons, and the syntax of a bank account number.
//!
//! Input is taken exactly as given: no trimming and no case folding, so what is stored
//! is what the user typed and a code has one spelling only.

use std::borrow::Cow;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

use crate::validation::FieldError;

/// GB 32100-2015 alphabet; a character's value is its index. I, O, S, V, Z are left out
/// because they are easily confused with 1, 0, 5, U, 2.
const CREDIT_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// 3^(i−1) mod 31: all coprime to 31, so any single wrong character changes the check.
const CREDIT_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/// GB 11714 organisation code weights.
const ORGANISATION_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

const CREDIT_CODE_PATTERN: &str = "^[0-9A-HJ-NPQRTUWXY]{18}$";
const CREDIT_CODE_EXAMPLE: &str = "91110000600037341L";

/// A unified social credit code (统一社会信用代码) whose check character is correct.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CreditCode(String);

/// A suspicious but accepted credit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CreditCodeWarning {
    /// The embedded organisation code (characters 9–17) fails its own GB 11714 check.
    /// Some codes issued on migration carry such organisation codes, so this is only
    /// reported, never refused.
    OrganisationCodeCheckMismatch { expected: char },
}

impl CreditCodeWarning {
    pub fn code(&self) -> &'static str {
        match self {
            CreditCodeWarning::OrganisationCodeCheckMismatch { .. } => "organisation_code_check_mismatch",
        }
    }
}

impl fmt::Display for CreditCodeWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CreditCodeWarning::OrganisationCodeCheckMismatch { .. } => {
                f.write_str("统一社会信用代码第 9–17 位（组织机构代码）的校验位不符，代码已接受，请核对是否输错")
            }
        }
    }
}

/// Why a string is not a unified social credit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum CreditCodeError {
    #[error("统一社会信用代码应为 18 位，实际为 {length} 位")]
    WrongLength { length: usize },
    #[error("统一社会信用代码第 {position} 位的字符“{character}”无效：只能是数字或除 I、O、S、V、Z 以外的大写字母")]
    InvalidCharacter { position: usize, character: char },
    #[error("统一社会信用代码校验不通过（第 18 位校验码与前 17 位不符），请核对是否输错")]
    CheckDigitMismatch { expected: char },
}

impl CreditCodeError {
    pub fn code(&self) -> &'static str {
        match self {
            CreditCodeError::WrongLength { .. } => "wrong_length",
            CreditCodeError::InvalidCharacter { .. } => "invalid_character",
            CreditCodeError::CheckDigitMismatch { .. } => "check_digit_mismatch",
        }
    }

    pub fn to_field_error(&self, field: impl Into<String>) -> FieldError {
        FieldError::new(field, self.code(), self.to_string())
    }
}

/// The check character of GB 32100 over the values of the first 17 characters.
fn credit_check(values: &[u32]) -> char {
    let sum: u32 = CREDIT_WEIGHTS.iter().zip(values).map(|(w, v)| w * v).sum();
    char::from(CREDIT_ALPHABET[((31 - sum % 31) % 31) as usize])
}

impl CreditCode {
    /// The 18th character that completes the first 17 of a code (GB 32100): for building
    /// valid codes (synthetic districts, tests). `None` unless given 17 characters of the
    /// code's alphabet.
    pub fn check_character(first17: &str) -> Option<char> {
        let values: Vec<u32> = first17.chars().map(credit_value).collect::<Option<_>>()?;
        (values.len() == 17).then(|| credit_check(&values))
    }

    /// Validates a code; the warnings list suspicious parts that do not make it invalid.
    pub fn parse(s: &str) -> Result<(CreditCode, Vec<CreditCodeWarning>), CreditCodeError> {
        let chars: Vec<char> = s.chars().collect();
        if chars.len() != 18 {
            return Err(CreditCodeError::WrongLength { length: chars.len() });
        }
        let mut values = [0u32; 18];
        for (i, c) in chars.iter().enumerate() {
            values[i] = credit_value(*c).ok_or(CreditCodeError::InvalidCharacter { position: i + 1, character: *c })?;
        }

        let expected = credit_check(&values);
        if chars[17] != expected {
            return Err(CreditCodeError::CheckDigitMismatch { expected });
        }

        let mut warnings = Vec::new();
        let organisation_expected = organisation_check(&chars[8..16]);
        if chars[16] != organisation_expected {
            warnings.push(CreditCodeWarning::OrganisationCodeCheckMismatch { expected: organisation_expected });
        }
        Ok((CreditCode(s.to_owned()), warnings))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Characters 9–17: the GB 11714 organisation code.
    pub fn organisation_code(&self) -> &str {
        // All 18 characters are ASCII, so byte offsets are character offsets.
        &self.0[8..17]
    }
}

fn credit_value(c: char) -> Option<u32> {
    let byte = u8::try_from(c).ok()?;
    CREDIT_ALPHABET.iter().position(|a| *a == byte).and_then(|i| u32::try_from(i).ok())
}

/// GB 11714 check character over the first eight organisation-code characters.
fn organisation_check(body: &[char]) -> char {
    let sum: u32 = ORGANISATION_WEIGHTS.iter().zip(body).map(|(w, c)| w * c.to_digit(36).unwrap_or(0)).sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        c => char::from_digit(c, 10).unwrap_or('0'),
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for CreditCode {
    type Err = CreditCodeError;

    /// Like [`CreditCode::parse`], dropping the warnings.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CreditCode::parse(s).map(|(code, _)| code)
    }
}

impl Serialize for CreditCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CreditCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl utoipa::PartialSchema for CreditCode {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(CREDIT_CODE_PATTERN))
            .min_length(Some(18))
            .max_length(Some(18))
            .description(Some("统一社会信用代码（GB 32100-2015），18 位，大写，第 18 位为校验码"))
            .examples([CREDIT_CODE_EXAMPLE])
            .into()
    }
}

impl utoipa::ToSchema for CreditCode {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("CreditCode")
    }
}

/// GB 11643 weights (2^(17−i) mod 11).
const RESIDENT_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_CHECK: &[u8; 11] = b"10X98765432";

/// A resident identity number (公民身份号码) with a valid birth date and check character.
///
/// Personal information: it is deliberately not `Serialize` and not `Display`, and its
/// `Debug` shows only the masked form, so it cannot leave the process whole by accident.
/// Store a keyed hash of [`ResidentId::as_str`] plus [`ResidentId::masked`].
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ResidentId(String);

/// Why a string is not a resident identity number. Never carries the number itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum ResidentIdError {
    #[error("公民身份号码应为 18 位，实际为 {length} 位")]
    WrongLength { length: usize },
    #[error("公民身份号码第 {position} 位的字符无效：前 17 位只能是数字，第 18 位只能是数字或大写 X")]
    InvalidCharacter { position: usize, character: char },
    #[error("公民身份号码第 7–14 位不是有效的出生日期")]
    InvalidBirthDate,
    #[error("公民身份号码校验不通过（第 18 位校验码与前 17 位不符），请核对是否输错")]
    CheckDigitMismatch { expected: char },
}

impl ResidentIdError {
    pub fn code(&self) -> &'static str {
        match self {
            ResidentIdError::WrongLength { .. } => "wrong_length",
            ResidentIdError::InvalidCharacter { .. } => "invalid_character",
            ResidentIdError::InvalidBirthDate => "invalid_birth_date",
            ResidentIdError::CheckDigitMismatch { .. } => "check_digit_mismatch",
        }
    }

    pub fn to_field_error(&self, field: impl Into<String>) -> FieldError {
        FieldError::new(field, self.code(), self.to_string())
    }
}

/// The check character of GB 11643 over the first 17 digits.
fn resident_check(digits: &[u32]) -> char {
    let sum: u32 = RESIDENT_WEIGHTS.iter().zip(digits).map(|(w, d)| w * d).sum();
    char::from(RESIDENT_CHECK[(sum % 11) as usize])
}

impl ResidentId {
    /// The 18th character that completes 17 digits (GB 11643): for building valid numbers
    /// (synthetic districts, tests). `None` unless given 17 digits.
    pub fn check_character(first17: &str) -> Option<char> {
        let digits: Vec<u32> = first17.chars().map(|c| c.to_digit(10)).collect::<Option<_>>()?;
        (digits.len() == 17).then(|| resident_check(&digits))
    }

    pub fn parse(s: &str) -> Result<ResidentId, ResidentIdError> {
        let chars: Vec<char> = s.chars().collect();
        if chars.len() != 18 {
            return Err(ResidentIdError::WrongLength { length: chars.len() });
        }
        let mut digits = [0u32; 17];
        for (i, c) in chars[..17].iter().enumerate() {
            digits[i] = match c {
                '0'..='9' => c.to_digit(10).unwrap_or(0),
                _ => return Err(ResidentIdError::InvalidCharacter { position: i + 1, character: *c }),
            };
        }
        let last = chars[17];
        if !(last.is_ascii_digit() || last == 'X') {
            return Err(ResidentIdError::InvalidCharacter { position: 18, character: last });
        }

        let number = |range: std::ops::Range<usize>| digits[range].iter().fold(0u32, |n, d| n * 10 + d);
        let year = i32::try_from(number(6..10)).map_err(|_| ResidentIdError::InvalidBirthDate)?;
        if year < 1900 || NaiveDate::from_ymd_opt(year, number(10..12), number(12..14)).is_none() {
            return Err(ResidentIdError::InvalidBirthDate);
        }

        let expected = resident_check(&digits);
        if last != expected {
            return Err(ResidentIdError::CheckDigitMismatch { expected });
        }
        Ok(ResidentId(s.to_owned()))
    }

    /// The whole number, only for computing the keyed hash that is stored.
    /// Never return it in a response, write it to a log or put it in an error.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// First 6 and last 4 characters, e.g. `110101********123X`: safe to show and log.
    pub fn masked(&self) -> String {
        // All 18 characters are ASCII, so byte offsets are character offsets.
        format!("{}********{}", &self.0[..6], &self.0[14..])
    }
}

impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ResidentId").field(&self.masked()).finish()
    }
}

/// A digit, full-width (０–９) or not, as its ASCII digit.
fn ascii_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')),
        _ => None,
    }
}

/// The digits of an account number: spaces, hyphens and other separators are writing, and
/// full-width digits are digits.
pub fn account_digits(number: &str) -> String {
    number.chars().filter_map(ascii_digit).collect()
}

/// Whether a text is an account number as people write one: digits (full-width or not),
/// with spaces or hyphens between them (the pattern `PayerAccount.number` documents).
pub fn is_account_number(number: &str) -> bool {
    !account_digits(number).is_empty()
        && number.chars().all(|c| ascii_digit(c).is_some() || matches!(c, ' ' | '-' | '－'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID_CREDIT_CODES: [&str; 5] =
        ["91110000600037341L", "914403001922038216", "91110108551385082Q", "9144030071526726XG", "91350100M000100Y43"];

    #[test]
    fn accepts_the_known_valid_credit_codes_without_warnings() {
        for s in VALID_CREDIT_CODES {
            let (code, warnings) = CreditCode::parse(s).unwrap();
            assert_eq!(code.as_str(), s);
            assert_eq!(code.to_string(), s);
            assert!(warnings.is_empty(), "{s}: {warnings:?}");
        }
        let (code, _) = CreditCode::parse("91350100M000100Y43").unwrap();
        assert_eq!(code.organisation_code(), "M000100Y4");
    }

    #[test]
    fn every_single_substitution_is_refused() {
        let original: Vec<char> = "91110000600037341L".chars().collect();
        let outsiders = ['I', 'O', 'S', 'V', 'Z', 'z', 'a', 'l', ' ', '-', '１', '中'];
        let candidates: Vec<char> = CREDIT_ALPHABET.iter().map(|b| char::from(*b)).chain(outsiders).collect();
        let mut tried = 0;
        for position in 0..original.len() {
            for &c in &candidates {
                if c == original[position] {
                    continue;
                }
                let mut changed = original.clone();
                changed[position] = c;
                let s: String = changed.into_iter().collect();
                assert!(CreditCode::parse(&s).is_err(), "accepted {s:?}");
                tried += 1;
            }
        }
        assert_eq!(tried, 18 * (30 + outsiders.len()));
    }

    #[test]
    fn credit_code_errors() {
        assert_eq!(CreditCode::parse("91110000600037341"), Err(CreditCodeError::WrongLength { length: 17 }));
        assert_eq!(CreditCode::parse(""), Err(CreditCodeError::WrongLength { length: 0 }));
        assert_eq!(CreditCode::parse(" 91110000600037341L"), Err(CreditCodeError::WrongLength { length: 19 }));
        assert_eq!(
            CreditCode::parse("91110000600037341l"),
            Err(CreditCodeError::InvalidCharacter { position: 18, character: 'l' })
        );
        assert_eq!(
            CreditCode::parse("9111000060003734IL"),
            Err(CreditCodeError::InvalidCharacter { position: 17, character: 'I' })
        );
        let err = CreditCode::parse("91110000600037341M").unwrap_err();
        assert_eq!(err, CreditCodeError::CheckDigitMismatch { expected: 'L' });
        assert_eq!(err.code(), "check_digit_mismatch");
        let fe = err.to_field_error("credit_code");
        assert_eq!(fe.field, "credit_code");
        assert!(fe.message.contains("校验"));
        assert_eq!(CreditCodeError::WrongLength { length: 3 }.to_string(), "统一社会信用代码应为 18 位，实际为 3 位");
    }

    #[test]
    fn a_bad_organisation_check_is_only_a_warning() {
        // Change character 17 of 91110000600037341L from 1 to 2 and fix the 18th.
        let body = "9111000060003734";
        let first17 = format!("{body}2");
        let sum: u32 = first17.chars().zip(CREDIT_WEIGHTS).map(|(c, w)| w * credit_value(c).unwrap()).sum();
        let check = char::from(CREDIT_ALPHABET[((31 - sum % 31) % 31) as usize]);
        let s = format!("{first17}{check}");
        let (code, warnings) = CreditCode::parse(&s).unwrap();
        assert_eq!(code.as_str(), s);
        let expected = CreditCodeWarning::OrganisationCodeCheckMismatch { expected: '1' };
        assert_eq!(warnings, vec![expected]);
        assert_eq!(expected.code(), "organisation_code_check_mismatch");
    }

    #[test]
    fn credit_code_serde_validates() {
        let (code, _) = CreditCode::parse("91110000600037341L").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"91110000600037341L\"");
        let back: CreditCode = serde_json::from_str("\"91110000600037341L\"").unwrap();
        assert_eq!(back, code);
        assert!(serde_json::from_str::<CreditCode>("\"91110000600037341M\"").is_err());
        assert!(serde_json::from_str::<CreditCode>("\"91110000600037341l\"").is_err());
    }

    #[test]
    fn credit_code_schema() {
        use utoipa::{PartialSchema, ToSchema};
        let json = serde_json::to_value(CreditCode::schema()).unwrap();
        assert_eq!(json["type"], "string");
        assert_eq!(json["examples"][0], CREDIT_CODE_EXAMPLE);
        assert_eq!(CreditCode::name(), "CreditCode");
    }

    /// Appends the GB 11643 check character to 17 digits.
    fn with_check(first17: &str) -> String {
        let sum: u32 = first17.chars().zip(RESIDENT_WEIGHTS).map(|(c, w)| w * c.to_digit(10).unwrap()).sum();
        format!("{first17}{}", char::from(RESIDENT_CHECK[(sum % 11) as usize]))
    }

    /// A valid number whose check character is X, found by varying the sequence code.
    fn one_ending_in_x() -> String {
        (0..1000).map(|seq| with_check(&format!("11011819900307{seq:03}"))).find(|s| s.ends_with('X')).unwrap()
    }

    #[test]
    fn check_characters_complete_valid_identifiers() {
        assert_eq!(CreditCode::check_character("91110000600037341"), Some('L'));
        assert_eq!(CreditCode::check_character("91350100M000100Y4"), Some('3'));
        assert_eq!(CreditCode::check_character("9111000060003734"), None, "16 characters");
        assert_eq!(CreditCode::check_character("9111000060003734I"), None, "I is not in the alphabet");
        for first17 in ["11011819900307123", "44030420001231002", "35010220240229555"] {
            assert_eq!(ResidentId::check_character(first17), with_check(first17).chars().last());
        }
        assert_eq!(ResidentId::check_character("1101181990030712"), None);
        assert_eq!(ResidentId::check_character("1101181990030712X"), None);
    }

    #[test]
    fn accepts_numbers_with_a_correct_check() {
        for first17 in ["11011819900307123", "44030420001231002", "11010519000101001", "35010220240229555"] {
            let s = with_check(first17);
            let id = ResidentId::parse(&s).unwrap();
            assert_eq!(id.as_str(), s);
        }
        let x = one_ending_in_x();
        assert!(ResidentId::parse(&x).is_ok());
        let lower = x.replace('X', "x");
        assert_eq!(ResidentId::parse(&lower), Err(ResidentIdError::InvalidCharacter { position: 18, character: 'x' }));
    }

    #[test]
    fn resident_id_errors() {
        let valid = with_check("11011819900307123");
        assert_eq!(ResidentId::parse(&valid[..17]), Err(ResidentIdError::WrongLength { length: 17 }));
        assert_eq!(ResidentId::parse(&format!(" {valid}")), Err(ResidentIdError::WrongLength { length: 19 }));
        assert_eq!(
            ResidentId::parse(&format!("X{}", &valid[1..])),
            Err(ResidentIdError::InvalidCharacter { position: 1, character: 'X' })
        );
        // Not a date: 1990-02-30, 1899-12-31, month 13.
        for first17 in ["11011819900230123", "11011818991231123", "11011819901301123"] {
            assert_eq!(ResidentId::parse(&with_check(first17)), Err(ResidentIdError::InvalidBirthDate), "{first17}");
        }
        // Every other check character is refused.
        for c in "0123456789X".chars() {
            let mut s = valid[..17].to_owned();
            s.push(c);
            if s != valid {
                let err = ResidentId::parse(&s).unwrap_err();
                assert!(matches!(err, ResidentIdError::CheckDigitMismatch { .. }));
                assert_eq!(err.code(), "check_digit_mismatch");
            }
        }
        let fe = ResidentIdError::InvalidBirthDate.to_field_error("agents[0].resident_id");
        assert_eq!(fe.code, "invalid_birth_date");
        assert_eq!(fe.field, "agents[0].resident_id");
    }

    #[test]
    fn resident_id_never_prints_whole() {
        let s = with_check("11011819900307123");
        let id = ResidentId::parse(&s).unwrap();
        let masked = id.masked();
        assert_eq!(masked, format!("110118********{}", &s[14..]));
        assert_eq!(masked.len(), 18);
        let debug = format!("{id:?}");
        assert!(!debug.contains(&s), "{debug}");
        assert!(!debug.contains("19900307"), "{debug}");
        assert!(debug.contains(&masked));
    }
}
