//! Bank accounts as one comparable identity. Bidders write the same account in many ways:
//! the number with spaces or hyphens, the bank by its full name, its short name or its
//! English initials, with or without the branch. Two writings of one account must meet.

/// Canonical names of the banks a Beijing district sees, with the ways they are written.
/// The first name of each row is the canonical one. Longest prefix wins, so a branch name
/// that follows is left as the branch.
const BANKS: &[&[&str]] = &[
    &["中国工商银行", "工商银行", "工行", "ICBC"],
    &["中国农业银行", "农业银行", "农行", "ABC"],
    &["中国银行", "中行", "BOC"],
    &["中国建设银行", "建设银行", "建行", "CCB"],
    &["交通银行", "交行", "BOCOM"],
    &["中国邮政储蓄银行", "邮政储蓄银行", "邮储银行", "PSBC"],
    &["招商银行", "招行", "CMB"],
    &["中信银行", "CITIC"],
    &["中国光大银行", "光大银行", "CEB"],
    &["华夏银行", "HXB"],
    &["中国民生银行", "民生银行", "CMBC"],
    &["兴业银行", "CIB"],
    &["上海浦东发展银行", "浦发银行", "SPDB"],
    &["平安银行", "PAB"],
    &["广发银行", "CGB"],
    &["北京银行", "BOB"],
    &["北京农村商业银行", "北京农商银行", "北京农商行", "BRCB"],
];

/// A bank name split into its canonical institution and the branch written after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankName {
    pub institution: String,
    pub branch: String,
}

fn cleaned(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '－' | '—' | '·' | '.' | '(' | ')' | '（' | '）' | ','))
        .flat_map(char::to_uppercase)
        .collect()
}

/// The institution of a bank name (longest known writing at its start) and its branch.
pub fn bank_name(name: &str) -> BankName {
    let text = cleaned(name);
    let mut best: Option<(usize, &str)> = None;
    for row in BANKS {
        for alias in *row {
            if text.starts_with(alias) && best.is_none_or(|(length, _)| alias.len() > length) {
                best = Some((alias.len(), row[0]));
            }
        }
    }
    match best {
        Some((length, canonical)) => BankName { institution: canonical.to_owned(), branch: text[length..].to_owned() },
        None => BankName { institution: text, branch: String::new() },
    }
}

pub use ggzy_kernel::identifiers::{account_digits, is_account_number};

/// One comparable key for an account: its institution and its digits. The branch is not
/// part of it: an account number is unique within its bank, and branches are written in
/// too many ways to compare.
pub fn account_key(bank: &str, number: &str) -> String {
    format!("{}|{}", bank_name(bank).institution, account_digits(number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_account_written_three_ways_is_one_key() {
        let a = account_key("中国工商银行北京密云支行", "0200-0012-3456-7890");
        let b = account_key("工商银行 北京密云支行", "0200 0012 3456 7890");
        let c = account_key("工行北京密云支行", "020000123456 7890");
        let d = account_key("ICBC", "0200001234567890");
        assert_eq!(a, "中国工商银行|0200001234567890");
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(a, d);
    }

    #[test]
    fn numbers_are_digits_however_written() {
        assert_eq!(account_digits("０２００－００１２ 3456"), "020000123456");
        assert!(is_account_number("0200-0012 3456"));
        assert!(is_account_number("０２００－００１２"));
        assert!(!is_account_number("无"));
        assert!(!is_account_number("见附件"));
        assert!(!is_account_number("6222 x"));
        assert!(!is_account_number(" - "));
    }

    #[test]
    fn different_banks_or_numbers_stay_apart() {
        assert_ne!(account_key("中国银行", "6222"), account_key("中国工商银行", "6222"));
        assert_ne!(account_key("中国银行", "6222"), account_key("中国银行", "6223"));
        // 中国银行 is not a prefix of 中国工商银行, nor 中行 of 中信银行.
        assert_eq!(bank_name("中国工商银行").institution, "中国工商银行");
        assert_eq!(bank_name("中信银行北京分行").institution, "中信银行");
        assert_eq!(
            bank_name("北京农商银行密云支行"),
            BankName { institution: "北京农村商业银行".into(), branch: "密云支行".into() }
        );
        // An unknown bank is compared as written, without spaces.
        assert_eq!(bank_name("密云 村镇银行").institution, "密云村镇银行");
    }
}
