//! Reading closed enums back from their text columns as a `ServiceError` (a fault naming
//! the table, the column and the value; see `ggzy_kernel::stored`).

use ggzy_kernel::ClosedEnum;

use crate::ServiceError;

/// Parses the stored text of `column` (`table.column`) as a `T`.
pub(crate) fn stored<T: ClosedEnum>(column: &'static str, text: &str) -> Result<T, ServiceError> {
    Ok(ggzy_kernel::stored(column, text)?)
}

/// Parses an optional stored text.
pub(crate) fn stored_opt<T: ClosedEnum>(column: &'static str, text: Option<&str>) -> Result<Option<T>, ServiceError> {
    Ok(ggzy_kernel::stored_opt(column, text)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ggzy_ledger::BondStatus;

    #[test]
    fn unknown_stored_text_is_an_internal_fault_naming_table_column_and_value() {
        assert_eq!(stored::<BondStatus>("bonds.status", "held").ok(), Some(BondStatus::Held));
        let Err(ServiceError::Internal(message)) = stored::<BondStatus>("bonds.status", "refnded") else {
            panic!("an unknown value must be a fault");
        };
        assert_eq!(message, "bonds.status holds `refnded`, which is not BondStatus");
        assert_eq!(stored_opt::<BondStatus>("bonds.status", None).ok(), Some(None));
    }
}
