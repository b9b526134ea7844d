//! Reading closed enums back from their text columns: a value the code does not know is a
//! fault naming the table, the column and the value, never a default.

use ggzy_kernel::ClosedEnum;

use crate::ServiceError;

/// Parses the stored text of `column` (`table.column`) as a `T`.
pub(crate) fn stored<T: ClosedEnum>(column: &'static str, text: &str) -> Result<T, ServiceError> {
    T::parse(text).ok_or_else(|| ServiceError::Internal(format!("{column} holds `{text}`, which is not a {}", T::NAME)))
}

/// Parses an optional stored text.
pub(crate) fn stored_opt<T: ClosedEnum>(column: &'static str, text: Option<&str>) -> Result<Option<T>, ServiceError> {
    text.map(|t| stored(column, t)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ggzy_ledger::BondStatus;

    #[test]
    fn unknown_stored_text_names_table_column_and_value() {
        assert_eq!(stored::<BondStatus>("bonds.status", "held").ok(), Some(BondStatus::Held));
        let Err(ServiceError::Internal(message)) = stored::<BondStatus>("bonds.status", "refnded") else {
            panic!("an unknown value must be a fault");
        };
        assert_eq!(message, "bonds.status holds `refnded`, which is not a BondStatus");
        assert_eq!(stored_opt::<BondStatus>("bonds.status", None).ok(), Some(None));
    }
}
