//! Reconciling a bank statement of the dedicated bond account with the bonds that moved
//! money: each line (`date,amount,payer_account,reference`, the reference being the bond
//! id) confirms one bond when its amount and payer are the ones registered; every line that
//! does not is named with why, and every bond no line confirms is listed.

use chrono::NaiveDate;
use ggzy_kernel::{FieldError, Money};

/// The header a statement starts with.
pub const HEADER: &str = "date,amount,payer_account,reference";

/// A bond's payment as registered: what its statement line must show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedPayment {
    pub bond_id: String,
    /// Fen.
    pub amount: i64,
    /// The account number the bidder said it pays from.
    pub payer_number: Option<String>,
}

/// A statement matched against the expected payments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatementMatch {
    /// Bonds the statement confirms, in line order.
    pub matched: Vec<String>,
    /// Lines that confirm nothing, each named `line N` (counted in the file) with why.
    pub unmatched_lines: Vec<FieldError>,
    /// Bonds that appear on no line, in the order expected.
    pub unmatched_bonds: Vec<String>,
}

fn lines(csv: &str) -> impl Iterator<Item = (usize, &str)> {
    csv.lines().enumerate().filter(|(_, line)| !line.trim().is_empty())
}

/// Whether the statement starts with `HEADER` (a byte-order mark and blank lines ignored).
pub fn check_header(csv: &str) -> Result<(), FieldError> {
    let header = lines(csv).next().map(|(_, line)| line.trim().trim_start_matches('\u{feff}'));
    if header == Some(HEADER) {
        Ok(())
    } else {
        Err(FieldError::new("line 1", "bad_header", format!("首行须为 {HEADER}")))
    }
}

/// Matches every line of the statement against `expected`; a bond is confirmed once.
pub fn reconcile(csv: &str, expected: &[ExpectedPayment]) -> Result<StatementMatch, FieldError> {
    check_header(csv)?;
    let mut result = StatementMatch::default();
    for (index, line) in lines(csv).skip(1) {
        let field = format!("line {}", index + 1);
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let [date, amount, account, reference] = fields.as_slice() else {
            result.unmatched_lines.push(FieldError::new(field, "wrong_field_count", "每行须有 4 个字段"));
            continue;
        };
        if NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err() {
            result.unmatched_lines.push(FieldError::new(field, "bad_date", format!("日期“{date}”须为 YYYY-MM-DD")));
            continue;
        }
        let Ok(amount) = Money::parse(amount) else {
            result.unmatched_lines.push(FieldError::new(field, "bad_amount", format!("金额“{amount}”无效")));
            continue;
        };
        let problem = match expected.iter().find(|e| e.bond_id == *reference) {
            None => FieldError::new(field, "unknown_bond", format!("附言“{reference}”不是任何保证金编号")),
            Some(bond) if bond.amount != amount.fen() => {
                let due = Money::from_fen(bond.amount).map(|m| m.to_string()).unwrap_or_default();
                FieldError::new(field, "amount_differs", format!("到账 {amount} 元，应缴 {due} 元"))
            }
            Some(bond) if bond.payer_number.as_deref() != Some(*account) => {
                FieldError::new(field, "payer_differs", "付款账户与登记的不一致")
            }
            Some(bond) if result.matched.contains(&bond.bond_id) => {
                FieldError::new(field, "duplicate", "同一保证金重复到账")
            }
            Some(bond) => {
                result.matched.push(bond.bond_id.clone());
                continue;
            }
        };
        result.unmatched_lines.push(problem);
    }
    result.unmatched_bonds =
        expected.iter().map(|e| e.bond_id.clone()).filter(|id| !result.matched.contains(id)).collect();
    Ok(result)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn expected() -> Vec<ExpectedPayment> {
        ["b1", "b2", "b3"]
            .iter()
            .map(|id| ExpectedPayment { bond_id: (*id).into(), amount: 2_000_000, payer_number: Some("6222".into()) })
            .collect()
    }

    fn codes(result: &StatementMatch) -> Vec<(&str, &str)> {
        result.unmatched_lines.iter().map(|p| (p.field.as_str(), p.code.as_str())).collect()
    }

    #[test]
    fn each_line_confirms_one_bond_or_says_why_not() {
        let csv = "\u{feff}date,amount,payer_account,reference\n\
                   2026-11-02,20000.00,6222,b1\n\
                   \n\
                   2026-11-02,20000.00,6222,b1\n\
                   2026-11-02,19999.99,6222,b2\n\
                   2026-11-02,20000.00,6333,b2\n\
                   2026-11-02,20000.00,6222,nobody\n\
                   11/02/2026,20000.00,6222,b3\n\
                   2026-11-02,twenty,6222,b3\n\
                   2026-11-02,20000.00,6222\n";
        let result = reconcile(csv, &expected()).unwrap();
        assert_eq!(result.matched, ["b1"]);
        assert_eq!(
            codes(&result),
            [
                ("line 4", "duplicate"),
                ("line 5", "amount_differs"),
                ("line 6", "payer_differs"),
                ("line 7", "unknown_bond"),
                ("line 8", "bad_date"),
                ("line 9", "bad_amount"),
                ("line 10", "wrong_field_count"),
            ],
            "lines are counted in the file, blank ones included"
        );
        assert_eq!(result.unmatched_lines[1].message, "到账 19999.99 元，应缴 20000.00 元");
        assert_eq!(result.unmatched_bonds, ["b2", "b3"]);
    }

    #[test]
    fn a_statement_without_its_header_is_refused_whole() {
        let refused = reconcile("2026-11-02,20000.00,6222,b1\n", &expected()).unwrap_err();
        assert_eq!((refused.field.as_str(), refused.code.as_str()), ("line 1", "bad_header"));
        assert!(check_header("\n\n date,amount,payer_account,reference \n").is_ok());
        assert!(check_header("").is_err());
        // A bond with no payer on record is confirmed by no line.
        let unregistered = vec![ExpectedPayment { bond_id: "b1".into(), amount: 2_000_000, payer_number: None }];
        let result =
            reconcile("date,amount,payer_account,reference\n2026-11-02,20000.00,6222,b1\n", &unregistered).unwrap();
        assert_eq!(codes(&result), [("line 2", "payer_differs")]);
        assert_eq!(result.unmatched_bonds, ["b1"]);
    }
}
