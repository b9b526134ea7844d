//! The requests that move a bond — a deposit, the event that starts the refund clocks, the
//! bank's answer to a refund, a forfeit — and their reading into typed values, every
//! problem of a request named at once (registration.one_time_notice). Whether the bond may
//! be taken or moved is decided afterwards, on the stored facts
//! ([`admit_deposit`](crate::admit_deposit) and the bond's state).

use ggzy_kernel::identifiers::is_account_number;
use ggzy_kernel::validation::read;
use ggzy_kernel::{FieldError, Money, PageRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::lifecycle::{BondForm, BondStatus, ForfeitReason, RefundTrigger};

/// The account the money comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayerAccount {
    #[schema(required = true, value_type = String, example = "中国银行北京密云支行")]
    pub bank: Option<String>,
    /// Digits (full-width or not), spaces and hyphens between them.
    #[schema(required = true, value_type = String, example = "3456 7890 1234 5678", pattern = "^[-－ 0-9０-９]*[0-9０-９][-－ 0-9０-９]*$")]
    pub number: Option<String>,
    /// Whether it is the bidder's basic account (基本账户; construction.bond.basic_account).
    #[schema(required = true, value_type = bool)]
    pub is_basic_account: Option<bool>,
}

/// A guarantee document (保函).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuaranteeDocument {
    #[schema(required = true, value_type = String)]
    pub issuer: Option<String>,
    #[schema(required = true, value_type = String)]
    pub number: Option<String>,
    #[schema(required = true, value_type = String)]
    pub sha256: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepositBond {
    #[schema(required = true, value_type = BondForm)]
    pub form: Option<BondForm>,
    /// Must equal the announced bond of the section.
    #[schema(required = true, value_type = String, example = "12000.00")]
    pub amount: Option<String>,
    pub payer_account: Option<PayerAccount>,
    pub guarantee: Option<GuaranteeDocument>,
}

/// The payer's account of a deposit, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payer {
    pub bank: String,
    pub number: String,
    pub is_basic_account: bool,
}

/// A deposit, read; whether the section takes it is [`admit_deposit`](crate::admit_deposit)'s
/// to decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepositValues {
    pub form: BondForm,
    pub amount: Money,
    /// Required where money moves (a transfer or a bank draft); kept when given otherwise.
    pub payer: Option<Payer>,
    /// Required for a guarantee; kept as given.
    pub guarantee: Option<GuaranteeDocument>,
}

impl DepositValues {
    /// The bond this deposit offers, as [`admit_deposit`](crate::admit_deposit) judges it:
    /// its form, its amount in fen and, where a payer is named, whether the money comes from
    /// the bidder's basic account.
    pub fn offered(&self) -> crate::OfferedBond {
        crate::OfferedBond {
            form: self.form,
            amount: self.amount.fen(),
            from_basic_account: self.payer.as_ref().map(|payer| payer.is_basic_account),
        }
    }
}

/// Reads a deposit: the form and the amount, the payer's account where money moves, the
/// document of a guarantee.
pub fn read_deposit(request: DepositBond) -> Result<DepositValues, Vec<FieldError>> {
    let mut problems = Vec::new();
    let form = read::required(&mut problems, "form", request.form);
    let amount = read::required(&mut problems, "amount", request.amount)
        .and_then(|a| Money::parse(&a).map_err(|e| problems.push(e.to_field_error("amount"))).ok());
    let payer = match (form, request.payer_account) {
        (Some(form), None) if form.moves_money() => {
            problems.push(FieldError::new("payer_account", "required", "须注明付款账户"));
            None
        }
        (_, Some(account)) => payer(&mut problems, account),
        _ => None,
    };
    let guarantee = match (form, request.guarantee) {
        (Some(BondForm::Guarantee), None) => {
            problems.push(FieldError::new("guarantee", "required", "保函形式须提供保函信息"));
            None
        }
        (_, guarantee) => guarantee,
    };
    match (form, amount) {
        (Some(form), Some(amount)) if problems.is_empty() => Ok(DepositValues { form, amount, payer, guarantee }),
        _ => Err(problems),
    }
}

fn payer(problems: &mut Vec<FieldError>, account: PayerAccount) -> Option<Payer> {
    let bank = read::required_text(problems, "payer_account.bank", account.bank, 100);
    let number = read::required_text(problems, "payer_account.number", account.number, 40).and_then(|number| {
        if is_account_number(&number) {
            Some(number)
        } else {
            problems.push(FieldError::new(
                "payer_account.number",
                "invalid_account_number",
                "账号须由数字组成，可用空格或连字符分隔",
            ));
            None
        }
    });
    let is_basic_account = read::required(problems, "payer_account.is_basic_account", account.is_basic_account);
    match (bank, number, is_basic_account) {
        (Some(bank), Some(number), Some(is_basic_account)) => Some(Payer { bank, number, is_basic_account }),
        _ => None,
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordBondEvent {
    #[schema(required = true, value_type = RefundTrigger)]
    pub event: Option<RefundTrigger>,
    /// The winning bidder, for award notices and contracts.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub winner_id: Option<String>,
}

/// The event that starts a section's refund clocks, read: the event and the winner, if named.
pub fn read_bond_event(request: RecordBondEvent) -> Result<(RefundTrigger, Option<String>), Vec<FieldError>> {
    let mut problems = Vec::new();
    match read::required(&mut problems, "event", request.event) {
        Some(event) => Ok((event, request.winner_id)),
        None => Err(problems),
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForfeitBond {
    #[schema(required = true, value_type = ForfeitReason)]
    pub reason: Option<ForfeitReason>,
    #[schema(required = true, value_type = String)]
    pub decision: Option<String>,
}

/// A forfeit, read: the case of construction.bond.forfeit and the tenderer's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForfeitValues {
    pub reason: ForfeitReason,
    pub decision: String,
}

/// Reads a forfeit.
pub fn read_forfeit(request: ForfeitBond) -> Result<ForfeitValues, Vec<FieldError>> {
    let mut problems = Vec::new();
    let reason = read::required(&mut problems, "reason", request.reason);
    let decision = read::required_text(&mut problems, "decision", request.decision, 200);
    match (reason, decision) {
        (Some(reason), Some(decision)) if problems.is_empty() => Ok(ForfeitValues { reason, decision }),
        _ => Err(problems),
    }
}

/// The bank's answer to a refund instruction.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRefund {
    /// True when the bank paid; false when the payment failed.
    #[schema(required = true, value_type = bool)]
    pub paid: Option<bool>,
    #[schema(required = true, value_type = String)]
    pub bank_reference: Option<String>,
}

/// The bank's answer, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundAnswer {
    pub paid: bool,
    pub bank_reference: String,
}

/// Reads the bank's answer to a refund instruction.
pub fn read_refund_answer(request: ConfirmRefund) -> Result<RefundAnswer, Vec<FieldError>> {
    let mut problems = Vec::new();
    let paid = read::required(&mut problems, "paid", request.paid);
    let bank_reference = read::required_text(&mut problems, "bank_reference", request.bank_reference, 100);
    match (paid, bank_reference) {
        (Some(paid), Some(bank_reference)) if problems.is_empty() => Ok(RefundAnswer { paid, bank_reference }),
        _ => Err(problems),
    }
}

/// The query of a bidder's own list of bonds. Any other parameter is refused.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OwnBondQuery {
    /// Only bonds in this state.
    #[param(value_type = Option<BondStatus>)]
    pub status: Option<String>,
    /// Only bonds of this section.
    #[param(format = Uuid)]
    pub section_id: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// A bidder's own list of bonds, its query read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnBondFilter {
    pub status: Option<BondStatus>,
    pub section_id: Option<String>,
    pub page: PageRequest,
}

/// Reads the query of a bidder's own list of bonds: its state, its section, then its page
/// (cursor, then size), every problem named at once.
pub fn read_own_bond_query(query: OwnBondQuery) -> Result<OwnBondFilter, Vec<FieldError>> {
    let mut problems = Vec::new();
    let status = query.status.as_deref().and_then(|s| read::closed::<BondStatus>(&mut problems, "status", s));
    let section_id = query.section_id.and_then(|s| read::uuid(&mut problems, "section_id", s));
    let after = query.after.and_then(|a| read::uuid(&mut problems, "after", a));
    let page = PageRequest::new(after, query.limit).map_err(|e| problems.push(e)).ok();
    match page {
        Some(page) if problems.is_empty() => Ok(OwnBondFilter { status, section_id, page }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(errors: &[FieldError]) -> Vec<(&str, &str)> {
        errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
    }

    fn account(number: &str) -> PayerAccount {
        PayerAccount {
            bank: Some(" 中国银行北京密云支行 ".into()),
            number: Some(number.into()),
            is_basic_account: Some(true),
        }
    }

    #[test]
    fn a_deposit_offers_its_form_amount_and_whether_it_comes_from_the_basic_account() {
        let payer = Payer { bank: "中国银行".into(), number: "34567890".into(), is_basic_account: false };
        let amount = Money::from_fen(1_200_000).unwrap();
        let deposit = DepositValues { form: BondForm::Transfer, amount, payer: Some(payer), guarantee: None };
        let offered = deposit.offered();
        assert_eq!(
            (offered.form, offered.amount, offered.from_basic_account),
            (BondForm::Transfer, 1_200_000, Some(false))
        );
        let guarantee = DepositValues { form: BondForm::Guarantee, payer: None, ..deposit };
        assert_eq!(guarantee.offered().from_basic_account, None);
    }

    #[test]
    fn a_transfer_is_read_with_its_payer() {
        let deposit = DepositBond {
            form: Some(BondForm::Transfer),
            amount: Some("12000.00".into()),
            payer_account: Some(account("３４５６ 7890-1234")),
            guarantee: None,
        };
        let read = read_deposit(deposit).unwrap();
        assert_eq!(read.amount.fen(), 1_200_000);
        assert_eq!(
            read.payer,
            Some(Payer {
                bank: "中国银行北京密云支行".into(),
                number: "３４５６ 7890-1234".into(),
                is_basic_account: true
            })
        );
    }

    #[test]
    fn every_problem_of_a_deposit_is_named_at_once() {
        let missing_payer =
            DepositBond { form: Some(BondForm::Transfer), amount: Some("12000.001".into()), ..Default::default() };
        assert_eq!(
            codes(&read_deposit(missing_payer).unwrap_err()),
            [("amount", "too_many_decimal_places"), ("payer_account", "required")]
        );
        let bad_payer = DepositBond {
            form: Some(BondForm::Transfer),
            amount: Some("1".into()),
            payer_account: Some(PayerAccount {
                bank: Some(" ".into()),
                number: Some("见附件".into()),
                is_basic_account: None,
            }),
            guarantee: None,
        };
        assert_eq!(
            codes(&read_deposit(bad_payer).unwrap_err()),
            [
                ("payer_account.bank", "blank"),
                ("payer_account.number", "invalid_account_number"),
                ("payer_account.is_basic_account", "required"),
            ]
        );
        let guarantee_without_document =
            DepositBond { form: Some(BondForm::Guarantee), amount: Some("1".into()), ..Default::default() };
        assert_eq!(codes(&read_deposit(guarantee_without_document).unwrap_err()), [("guarantee", "required")]);
        assert_eq!(
            codes(&read_deposit(DepositBond::default()).unwrap_err()),
            [("form", "required"), ("amount", "required")]
        );
    }

    #[test]
    fn a_guarantee_needs_no_payer_and_keeps_its_document() {
        let document =
            GuaranteeDocument { issuer: Some("北京银行".into()), number: Some("BG-1".into()), sha256: None };
        let deposit = DepositBond {
            form: Some(BondForm::Guarantee),
            amount: Some("500".into()),
            payer_account: None,
            guarantee: Some(document.clone()),
        };
        let read = read_deposit(deposit).unwrap();
        assert_eq!((read.payer, read.guarantee), (None, Some(document)));
    }

    #[test]
    fn an_event_a_forfeit_and_a_bank_answer_are_read() {
        assert_eq!(codes(&read_bond_event(RecordBondEvent::default()).unwrap_err()), [("event", "required")]);
        let event = RecordBondEvent { event: Some(RefundTrigger::AwardNotice), winner_id: Some("w".into()) };
        assert_eq!(read_bond_event(event).unwrap(), (RefundTrigger::AwardNotice, Some("w".into())));

        let forfeit = ForfeitBond { reason: None, decision: Some("x".repeat(201)) };
        assert_eq!(codes(&read_forfeit(forfeit).unwrap_err()), [("reason", "required"), ("decision", "too_long")]);
        let forfeit =
            ForfeitBond { reason: Some(ForfeitReason::WithdrawalAfterDeadline), decision: Some(" 决定 ".into()) };
        assert_eq!(read_forfeit(forfeit).unwrap().decision, "决定");

        let answer = ConfirmRefund { paid: None, bank_reference: Some("\u{7}".into()) };
        assert_eq!(
            codes(&read_refund_answer(answer).unwrap_err()),
            [("paid", "required"), ("bank_reference", "control_character")]
        );
        let answer = ConfirmRefund { paid: Some(false), bank_reference: Some("B-77".into()) };
        assert_eq!(read_refund_answer(answer).unwrap(), RefundAnswer { paid: false, bank_reference: "B-77".into() });
    }

    #[test]
    fn an_own_bond_query_is_read_with_its_defaults() {
        let read = read_own_bond_query(OwnBondQuery::default()).unwrap();
        assert_eq!(read, OwnBondFilter { status: None, section_id: None, page: PageRequest::default() });
        let section = "6f1c1f7e-8f3a-4a57-9c5e-2b3a4c5d6e7f".to_owned();
        let read = read_own_bond_query(OwnBondQuery {
            status: Some("refund_pending".into()),
            section_id: Some(section.clone()),
            after: Some(section.clone()),
            limit: Some(200),
        })
        .unwrap();
        assert_eq!(read.status, Some(BondStatus::RefundPending));
        assert_eq!(read.section_id, Some(section.clone()));
        assert_eq!(read.page, PageRequest { after: Some(section), limit: 200 });
    }

    #[test]
    fn every_problem_of_an_own_bond_query_is_named_in_order() {
        let all_wrong = OwnBondQuery {
            status: Some("lost".into()),
            section_id: Some("S1".into()),
            after: Some("x".into()),
            limit: Some(0),
        };
        assert_eq!(
            codes(&read_own_bond_query(all_wrong).unwrap_err()),
            [
                ("status", "unknown_value"),
                ("section_id", "invalid_id"),
                ("after", "invalid_id"),
                ("limit", "limit_out_of_range")
            ]
        );
        let only_the_limit = OwnBondQuery { limit: Some(201), ..Default::default() };
        assert_eq!(codes(&read_own_bond_query(only_the_limit).unwrap_err()), [("limit", "limit_out_of_range")]);
        let only_the_status = OwnBondQuery { status: Some("Held".into()), limit: Some(1), ..Default::default() };
        assert_eq!(codes(&read_own_bond_query(only_the_status).unwrap_err()), [("status", "unknown_value")]);
    }
}
