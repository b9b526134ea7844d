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

/// A stored amount in fen (`table.column`) as `Money`.
pub fn stored_money(column: &'static str, fen: i64) -> Result<crate::Money, StoredFault> {
    crate::Money::from_fen(fen).map_err(|_| StoredFault::new(column, fen, "an amount in fen"))
}

/// Reads a JSON column (`table.column`) as a `T`. The fault names the column and why the
/// text does not read, not the text: it may be long, or a bid's opened content.
pub fn stored_json<T: serde::de::DeserializeOwned>(
    column: &'static str,
    text: impl AsRef<[u8]>,
) -> Result<T, StoredFault> {
    serde_json::from_slice(text.as_ref()).map_err(|e| StoredFault::new(column, e, "JSON of the shape it is written in"))
}

/// JSON kept as the text it was stored as, for a value an answer passes on unchanged: read
/// from its row and written into the answer without being parsed into a tree and printed
/// again (a page of 50 projects carries 50 entry decisions). Equal when the texts are.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct StoredJson(Box<serde_json::value::RawValue>);

impl StoredJson {
    /// `value` written as JSON.
    pub fn of<T: serde::Serialize + ?Sized>(value: &T) -> Result<StoredJson, serde_json::Error> {
        serde_json::value::to_raw_value(value).map(StoredJson)
    }

    /// The JSON text.
    pub fn text(&self) -> &str {
        self.0.get()
    }

    /// The JSON read as a `T`.
    pub fn read<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.0.get())
    }
}

impl PartialEq for StoredJson {
    fn eq(&self, other: &StoredJson) -> bool {
        self.text() == other.text()
    }
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
    fn a_stored_amount_out_of_range_is_a_fault() {
        assert_eq!(stored_money("bonds.amount", 150).map(|m| m.fen()), Ok(150));
        let fault = stored_money("bonds.amount", -1).err();
        assert_eq!(
            fault.map(|f| f.to_string()).as_deref(),
            Some("bonds.amount holds `-1`, which is not an amount in fen")
        );
    }

    #[test]
    fn a_json_column_not_of_its_shape_is_a_fault() {
        assert_eq!(stored_json::<Vec<String>>("alerts.bidders", r#"["a"]"#), Ok(vec!["a".to_owned()]));
        let fault = stored_json::<Vec<String>>("alerts.bidders", r#"{"secret": 1}"#).err();
        assert_eq!(fault.as_ref().map(|f| f.column), Some("alerts.bidders"));
        assert!(fault.is_some_and(|f| !f.value.contains("secret")), "the fault must not repeat the stored text");
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
}
