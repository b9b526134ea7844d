//! Whether a bidder may hand in a bid for a section: the checks of a submission in the order
//! a bidder is told of them, as one pure function of what the platform knows at that instant.

use chrono::NaiveDateTime;

/// What the platform knows of a section and a bidder when a bid arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionFacts {
    pub project_terminated: bool,
    /// The reason of the project's open suspension, if it is suspended.
    pub suspension_reason: Option<String>,
    /// The section's bid deadline (UTC); none before its tender announcement.
    pub bid_deadline: Option<NaiveDateTime>,
    /// Whether the bidder's bond in the section is one that backs a bid (held and not on its
    /// way back).
    pub bond_backs_bid: bool,
    /// Whether the bidder already has a bid in the section (a bidder changes it instead).
    pub already_bid: bool,
    /// Whether the section takes envelopes its bidders sealed.
    pub bidder_sealed: bool,
    /// Whether the section is a listed lot (sold by quotes and auction).
    pub listed: bool,
    /// Whether the section has its opening record: no bid joins an opened section, whatever
    /// a clock says.
    pub opened: bool,
}

/// Why a bid is refused, first reason first. `C` is the credit gate's refusal, decided by
/// the credit crate and passed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmissionRefusal<C> {
    ProjectTerminated,
    ProjectSuspended {
        reason: String,
    },
    NotAnnounced,
    /// At the deadline a bid is late (招标投标法 §28).
    DeadlinePassed,
    Credit(C),
    /// 投标保证金 not in the platform's bond account (rule `bond.central`).
    BondNotHeld,
    AlreadyBid,
    /// A listed lot is bought by quotes and the auction, never by sealed bids.
    ListedLot,
    /// A sealed bid file is taken only where bidders seal their bids: in an older section
    /// the platform seals the bid, and its documents are named by hash.
    PlatformSealed,
}

/// Admits a bid at `now` (UTC) or names the first reason it is refused. The credit gate's
/// outcome comes after the deadline and before the bond, as a bidder barred from bidding
/// learns that before being told about its bond.
pub fn admit_bid<C>(
    facts: &SubmissionFacts,
    credit: Result<(), C>,
    now: NaiveDateTime,
) -> Result<(), SubmissionRefusal<C>> {
    if facts.project_terminated {
        return Err(SubmissionRefusal::ProjectTerminated);
    }
    if let Some(reason) = &facts.suspension_reason {
        return Err(SubmissionRefusal::ProjectSuspended { reason: reason.clone() });
    }
    let deadline = facts.bid_deadline.ok_or(SubmissionRefusal::NotAnnounced)?;
    if now >= deadline || facts.opened {
        return Err(SubmissionRefusal::DeadlinePassed);
    }
    credit.map_err(SubmissionRefusal::Credit)?;
    if !facts.bond_backs_bid {
        return Err(SubmissionRefusal::BondNotHeld);
    }
    if facts.already_bid {
        return Err(SubmissionRefusal::AlreadyBid);
    }
    // A section whose bidders seal their bids is never a listed lot; only older sections
    // need the check.
    if !facts.bidder_sealed && facts.listed {
        return Err(SubmissionRefusal::ListedLot);
    }
    Ok(())
}

/// Admits a sealed bid file (a part of a bid, `ggzy-bid-file-v1`) at `now`, or names the
/// first reason it is refused: a section whose bidders seal, announced, before its deadline,
/// its project neither terminated nor suspended. Neither the credit gate nor the bond is
/// asked: they are asked of the bid that names the file, which is admitted or refused whole.
pub fn admit_sealed_file<C>(facts: &SubmissionFacts, now: NaiveDateTime) -> Result<(), SubmissionRefusal<C>> {
    if facts.project_terminated {
        return Err(SubmissionRefusal::ProjectTerminated);
    }
    if let Some(reason) = &facts.suspension_reason {
        return Err(SubmissionRefusal::ProjectSuspended { reason: reason.clone() });
    }
    let deadline = facts.bid_deadline.ok_or(SubmissionRefusal::NotAnnounced)?;
    if now >= deadline || facts.opened {
        return Err(SubmissionRefusal::DeadlinePassed);
    }
    if !facts.bidder_sealed {
        return Err(SubmissionRefusal::PlatformSealed);
    }
    Ok(())
}

/// Whether who bids in a section, and how many, is still secret (招标投标法 §22): until its
/// opening record (opened or failed) or the termination of its project, which ends the tender
/// without one. A listed lot's quotes are public as they come, by bidder number.
pub fn bidders_secret(opened: bool, listed: bool, project_terminated: bool) -> bool {
    !opened && !listed && !project_terminated
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn at(hour: u32, minute: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 30).and_then(|d| d.and_hms_opt(hour, minute, 0)).unwrap()
    }

    fn open_section() -> SubmissionFacts {
        SubmissionFacts {
            project_terminated: false,
            suspension_reason: None,
            bid_deadline: Some(at(2, 0)),
            bond_backs_bid: true,
            already_bid: false,
            bidder_sealed: true,
            listed: false,
            opened: false,
        }
    }

    #[test]
    fn a_bid_before_the_deadline_with_a_bond_is_admitted() {
        assert_eq!(admit_bid::<()>(&open_section(), Ok(()), at(1, 59)), Ok(()));
    }

    #[test]
    fn a_sealed_file_is_taken_before_the_deadline_where_bidders_seal_without_bond_or_bid() {
        let no_bond_yet = SubmissionFacts { bond_backs_bid: false, already_bid: true, ..open_section() };
        assert_eq!(admit_sealed_file::<()>(&no_bond_yet, at(1, 59)), Ok(()));
        assert_eq!(admit_sealed_file::<()>(&open_section(), at(2, 0)), Err(SubmissionRefusal::DeadlinePassed));
        let opened = SubmissionFacts { opened: true, ..open_section() };
        assert_eq!(admit_sealed_file::<()>(&opened, at(1, 0)), Err(SubmissionRefusal::DeadlinePassed));
        let platform = SubmissionFacts { bidder_sealed: false, ..open_section() };
        assert_eq!(admit_sealed_file::<()>(&platform, at(1, 0)), Err(SubmissionRefusal::PlatformSealed));
        let unannounced = SubmissionFacts { bid_deadline: None, ..open_section() };
        assert_eq!(admit_sealed_file::<()>(&unannounced, at(1, 0)), Err(SubmissionRefusal::NotAnnounced));
        let terminated = SubmissionFacts { project_terminated: true, ..open_section() };
        assert_eq!(admit_sealed_file::<()>(&terminated, at(1, 0)), Err(SubmissionRefusal::ProjectTerminated));
    }

    #[test]
    fn at_the_deadline_a_bid_is_late() {
        assert_eq!(admit_bid::<()>(&open_section(), Ok(()), at(2, 0)), Err(SubmissionRefusal::DeadlinePassed));
    }

    #[test]
    fn each_fact_refuses_on_its_own() {
        type Refusal = SubmissionRefusal<&'static str>;
        let cases: Vec<(SubmissionFacts, Result<(), &'static str>, Refusal)> = vec![
            (SubmissionFacts { project_terminated: true, ..open_section() }, Ok(()), Refusal::ProjectTerminated),
            (
                SubmissionFacts { suspension_reason: Some("投诉处理".into()), ..open_section() },
                Ok(()),
                Refusal::ProjectSuspended { reason: "投诉处理".into() },
            ),
            (SubmissionFacts { bid_deadline: None, ..open_section() }, Ok(()), Refusal::NotAnnounced),
            (SubmissionFacts { opened: true, ..open_section() }, Ok(()), Refusal::DeadlinePassed),
            (open_section(), Err("barred"), Refusal::Credit("barred")),
            (SubmissionFacts { bond_backs_bid: false, ..open_section() }, Ok(()), Refusal::BondNotHeld),
            (SubmissionFacts { already_bid: true, ..open_section() }, Ok(()), Refusal::AlreadyBid),
            (SubmissionFacts { bidder_sealed: false, listed: true, ..open_section() }, Ok(()), Refusal::ListedLot),
        ];
        for (facts, credit, refusal) in cases {
            assert_eq!(admit_bid(&facts, credit, at(1, 0)), Err(refusal));
        }
    }

    #[test]
    fn the_first_reason_is_named_when_several_apply() {
        let everything_wrong = SubmissionFacts {
            project_terminated: false,
            suspension_reason: Some("暂停".into()),
            bid_deadline: Some(at(0, 30)),
            bond_backs_bid: false,
            already_bid: true,
            bidder_sealed: false,
            listed: true,
            opened: true,
        };
        assert_eq!(
            admit_bid(&everything_wrong, Err("barred"), at(1, 0)),
            Err(SubmissionRefusal::ProjectSuspended { reason: "暂停".into() })
        );
        let late_and_barred = SubmissionFacts { bond_backs_bid: false, ..open_section() };
        assert_eq!(admit_bid(&late_and_barred, Err("barred"), at(3, 0)), Err(SubmissionRefusal::DeadlinePassed));
        assert_eq!(admit_bid(&late_and_barred, Err("barred"), at(1, 0)), Err(SubmissionRefusal::Credit("barred")));
    }

    #[test]
    fn bidders_are_secret_only_until_the_opening_or_the_end() {
        assert!(bidders_secret(false, false, false));
        assert!(!bidders_secret(true, false, false));
        assert!(!bidders_secret(false, true, false));
        assert!(!bidders_secret(false, false, true));
    }

    #[test]
    fn only_a_section_sealed_by_the_platform_is_checked_for_a_listing() {
        let facts = SubmissionFacts { listed: true, ..open_section() };
        assert_eq!(admit_bid::<()>(&facts, Ok(()), at(1, 0)), Ok(()));
    }
}
