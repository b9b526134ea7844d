//! Reading values back from their columns: a stored value the code does not know (an enum
//! text it has no variant for, an amount out of range, a count below zero) is a fault
//! naming the table, the column and the value, never a default.

use std::fmt;

use crate::ClosedEnum;

/// A stored value the code cannot read: `column` is `table.column`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFault {
    pub column: &'static str,
    pub value: String,
    /// What the value should have been (an enum's name, "an amount in fen" …).
    pub expected: &'static str,
}

impl StoredFault {
    pub fn new(column: &'static str, value: impl fmt::Display, expected: &'static str) -> Self {
        StoredFault { column, value: value.to_string(), expected }
    }
}

impl fmt::Display for StoredFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} holds `{}`, which is not {}", self.column, self.value, self.expected)
    }
}

impl std::error::Error for StoredFault {}

/// Parses the stored text of `column` (`table.column`) as a `T`.
pub fn stored<T: ClosedEnum>(column: &'static str, text: &str) -> Result<T, StoredFault> {
    T::parse(text).ok_or_else(|| StoredFault::new(column, text, T::NAME))
}

/// Parses an optional stored text.
pub fn stored_opt<T: ClosedEnum>(column: &'static str, text: Option<&str>) -> Result<Option<T>, StoredFault> {
    text.map(|t| stored(column, t)).transpose()
}

/// A stored count or number that must fit a narrower unsigned type (`u32` months, ranks …).
pub fn stored_count<T: TryFrom<i64>>(column: &'static str, number: i64) -> Result<T, StoredFault> {
    T::try_from(number).map_err(|_| StoredFault::new(column, number, "a count in range"))
}

/// A stored amount in fen (never negative, never beyond `Money::MAX_FEN`).
pub fn stored_money(column: &'static str, fen: i64) -> Result<crate::Money, StoredFault> {
    crate::Money::from_fen(fen).map_err(|_| StoredFault::new(column, fen, "an amount in fen"))
}

/// A stored JSON column read back as a `T`; the fault carries the parser's complaint, not
/// the (possibly long) text.
pub fn stored_json<T: serde::de::DeserializeOwned>(
    column: &'static str,
    text: &str,
    expected: &'static str,
) -> Result<T, StoredFault> {
    serde_json::from_str(text).map_err(|e| StoredFault::new(column, e, expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::closed_enum! {
        enum Light {
            Red = "red",
            Green = "green",
        }
    }

    #[test]
    fn unknown_stored_text_names_table_column_and_value() {
        assert_eq!(stored::<Light>("lights.colour", "red"), Ok(Light::Red));
        let fault = stored::<Light>("lights.colour", "blue").err();
        assert_eq!(fault.map(|f| f.to_string()).as_deref(), Some("lights.colour holds `blue`, which is not Light"));
        assert_eq!(stored_opt::<Light>("lights.colour", None), Ok(None));
        assert_eq!(stored_opt::<Light>("lights.colour", Some("green")), Ok(Some(Light::Green)));
    }

    #[test]
    fn a_count_out_of_range_is_a_fault() {
        assert_eq!(stored_count::<u32>("records.months", 6), Ok(6));
        let fault = stored_count::<u32>("records.months", -1).err();
        assert_eq!(
            fault.map(|f| f.to_string()).as_deref(),
            Some("records.months holds `-1`, which is not a count in range")
        );
    }

    #[test]
    fn unreadable_stored_json_is_a_fault() {
        assert_eq!(stored_json::<Vec<u32>>("reports.body", "[1,2]", "a list of ranks"), Ok(vec![1, 2]));
        let fault = stored_json::<Vec<u32>>("reports.body", "[1,", "a list of ranks").err();
        assert_eq!(fault.as_ref().map(|f| (f.column, f.expected)), Some(("reports.body", "a list of ranks")));
    }

    #[test]
    fn a_negative_stored_amount_is_a_fault() {
        assert_eq!(stored_money("bonds.amount", 150), Ok(crate::Money::from_fen(150).unwrap()));
        let fault = stored_money("bonds.amount", -1).err();
        assert_eq!(
            fault.map(|f| f.to_string()).as_deref(),
            Some("bonds.amount holds `-1`, which is not an amount in fen")
        );
    }
}
