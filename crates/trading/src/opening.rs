//! The opening of a section's bids (开标): when it may begin, and, where the bidders sealed
//! their bids, the decryption window (tendering.decryption_window) — when it closes, who
//! may still decrypt, and what each envelope becomes when it closes (电子招标投标办法 §30,
//! §31, as the platform reads them). The caller loads the section and its envelopes and
//! writes what these answer.

use chrono::{Duration, NaiveDateTime};

use crate::lifecycle::{BidStatus, DecryptionOutcome};

/// The opening time has not come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooEarly;

/// Whether the opening (or its decryption window) may begin at `now`: at or after the
/// announced opening time.
pub fn may_begin(opening_at: NaiveDateTime, now: NaiveDateTime) -> Result<(), TooEarly> {
    if now < opening_at {
        Err(TooEarly)
    } else {
        Ok(())
    }
}

/// When a decryption window opened at `opened_at` for `minutes` closes.
pub fn window_closes(opened_at: NaiveDateTime, minutes: i32) -> NaiveDateTime {
    opened_at + Duration::minutes(i64::from(minutes))
}

/// Why a bidder cannot decrypt its envelope now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecryptRefusal {
    /// The bid was withdrawn before the deadline.
    Withdrawn,
    /// The tender's staff have not opened the window.
    WindowNotOpen,
    /// The window closed at `closes_at` (tendering.decryption_window).
    WindowClosed { closes_at: NaiveDateTime },
    /// The envelope already has its outcome.
    AlreadyDecided,
}

/// Whether a bidder may decrypt its envelope at `now`: the bid still in, within the open
/// window, the envelope without an outcome.
pub fn may_decrypt(
    status: BidStatus,
    window_closes_at: Option<NaiveDateTime>,
    decided: bool,
    now: NaiveDateTime,
) -> Result<(), DecryptRefusal> {
    if status != BidStatus::Submitted {
        return Err(DecryptRefusal::Withdrawn);
    }
    match window_closes_at {
        None => return Err(DecryptRefusal::WindowNotOpen),
        Some(closes_at) if now >= closes_at => return Err(DecryptRefusal::WindowClosed { closes_at }),
        Some(_) => {}
    }
    if decided {
        return Err(DecryptRefusal::AlreadyDecided);
    }
    Ok(())
}

/// Why the bids of a section whose bidders seal cannot be opened yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseRefusal {
    /// There are envelopes and no window was opened for them (tendering.decryption_window).
    WindowNeverOpened,
    /// The window runs until `closes_at` and some envelopes are still undecided.
    StillOpen { closes_at: NaiveDateTime },
}

/// What each envelope (given by its recorded outcome, in order) becomes when the window is
/// closed at `now` for the opening: the recorded outcome, or revoked where none was
/// recorded. With no envelope there is nothing to wait for; the window may close early
/// once every envelope has its outcome.
pub fn close_window(
    window_closes_at: Option<NaiveDateTime>,
    recorded: &[Option<DecryptionOutcome>],
    now: NaiveDateTime,
) -> Result<Vec<DecryptionOutcome>, CloseRefusal> {
    if recorded.is_empty() {
        return Ok(Vec::new());
    }
    let closes_at = window_closes_at.ok_or(CloseRefusal::WindowNeverOpened)?;
    if now < closes_at && recorded.iter().any(Option::is_none) {
        return Err(CloseRefusal::StillOpen { closes_at });
    }
    Ok(recorded.iter().map(|outcome| DecryptionOutcome::at_window_close(*outcome)).collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::NaiveDate;

    use super::*;

    fn at(hour: u32, minute: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 4).and_then(|d| d.and_hms_opt(hour, minute, 0)).unwrap()
    }

    #[test]
    fn the_opening_begins_at_its_time() {
        assert_eq!(may_begin(at(2, 0), at(1, 59)), Err(TooEarly));
        assert_eq!(may_begin(at(2, 0), at(2, 0)), Ok(()));
        assert_eq!(may_begin(at(2, 0), at(3, 0)), Ok(()));
    }

    #[test]
    fn a_window_closes_its_minutes_after_it_opens() {
        assert_eq!(window_closes(at(2, 0), 30), at(2, 30));
        assert_eq!(window_closes(at(23, 50), 20), at(23, 50) + Duration::minutes(20));
    }

    #[test]
    fn a_bidder_decrypts_its_own_undecided_envelope_within_the_window() {
        assert_eq!(may_decrypt(BidStatus::Submitted, Some(at(2, 30)), false, at(2, 29)), Ok(()));
        assert_eq!(
            may_decrypt(BidStatus::Submitted, Some(at(2, 30)), false, at(2, 30)),
            Err(DecryptRefusal::WindowClosed { closes_at: at(2, 30) })
        );
        assert_eq!(may_decrypt(BidStatus::Submitted, None, false, at(2, 0)), Err(DecryptRefusal::WindowNotOpen));
        assert_eq!(
            may_decrypt(BidStatus::Submitted, Some(at(2, 30)), true, at(2, 10)),
            Err(DecryptRefusal::AlreadyDecided)
        );
        // A withdrawn bid is told so before anything about the window.
        assert_eq!(may_decrypt(BidStatus::Withdrawn, None, true, at(2, 10)), Err(DecryptRefusal::Withdrawn));
    }

    #[test]
    fn closing_the_window_revokes_what_was_not_decrypted() {
        use DecryptionOutcome::*;
        let recorded = [Some(Decrypted), None, Some(Withdrawn)];
        assert_eq!(close_window(Some(at(2, 30)), &recorded, at(2, 30)), Ok(vec![Decrypted, Revoked, Withdrawn]));
        assert_eq!(
            close_window(Some(at(2, 30)), &recorded, at(2, 29)),
            Err(CloseRefusal::StillOpen { closes_at: at(2, 30) })
        );
        // Every envelope decided: no need to wait for the window's end.
        assert_eq!(close_window(Some(at(2, 30)), &[Some(Decrypted)], at(2, 1)), Ok(vec![Decrypted]));
        assert_eq!(close_window(None, &[None], at(3, 0)), Err(CloseRefusal::WindowNeverOpened));
        assert_eq!(close_window(None, &[], at(3, 0)), Ok(vec![]));
    }
}
