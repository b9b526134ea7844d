//! Oversight workflows' pure rules: objections, complaints, investigations, violations,
//! recusal, the deadline watch and collusion risk detection. Here: the decision clock of
//! complaints, which skips the working days paused for testing, appraisal or expert review
//! (construction.complaint.decision, procurement.complaint.decision), the prohibited-conduct
//! catalogue with the states of a violation case, who must recuse from a project, and the
//! states of complaints and risk alerts (`lifecycle`), who is told of what (`notices`),
//! when an objection may be raised (`objection`), and when a complaint may be filed and its
//! clock paused (`complaint`), and what a violation case's requests and decision carry
//! (`violation`) and how its investigation is opened, run and decided (`investigation`),
//! how officials are named and when a tie refuses them (`officials`), the deadline watch's
//! clocks, order and pages (`watch`), reports of wrongdoing and their handling
//! (`wrongdoing`), the centre's service items and their ratings (`service_quality`), a
//! list's page (`page`), what a request for trading statistics asks and the figures worked
//! out of their totals (`statistics`), and the addresses, grace periods and signing secrets of webhook
//! subscriptions (`subscriptions`).

pub mod clocks;
pub mod complaint;
pub mod conduct;
pub mod investigation;
pub mod lifecycle;
pub mod notices;
pub mod objection;
pub mod officials;
pub mod page;
pub mod recusal;
pub mod risk;
pub mod service_quality;
pub mod statistics;
pub mod subscriptions;
pub mod violation;
pub mod watch;
pub mod wrongdoing;

use chrono::{Days, NaiveDate};
use ggzy_kernel::{CalendarError, WorkingCalendar};

ggzy_kernel::closed_enum! {
    /// The part a department plays (三位一体).
    pub enum DepartmentKind {
        /// 综合监管部门（公管办）
        ComprehensiveRegulator = "comprehensive_regulator",
        /// 交易中心（服务机构，无监管职能）
        Centre = "centre",
        /// 纪检监察
        Inspector = "inspector",
        /// 行业监管部门
        IndustryRegulator = "industry_regulator",
    }
}

/// A pause of a complaint's clock: the dates from `from` (inclusive) to `until` (exclusive)
/// are not counted; an open pause (`until` None) stops the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

impl Pause {
    fn covers(&self, day: NaiveDate) -> bool {
        self.from <= day && self.until.is_none_or(|until| day < until)
    }
}

/// The last day of a period of `working_days` counted after `start` (the start day itself
/// not counted), skipping every working day a pause covers. `None` while a pause is open
/// and the count has reached it: the clock stands still.
pub fn paused_deadline(
    calendar: &WorkingCalendar,
    start: NaiveDate,
    working_days: u32,
    pauses: &[Pause],
) -> Result<Option<NaiveDate>, CalendarError> {
    let mut day = start;
    let mut counted = 0;
    while counted < working_days {
        day = day.checked_add_days(Days::new(1)).ok_or(CalendarError::OutOfRange)?;
        if let Some(open) = pauses.iter().find(|p| p.until.is_none()) {
            if day >= open.from {
                return Ok(None);
            }
        }
        if calendar.is_working_day(day)? && !pauses.iter().any(|p| p.covers(day)) {
            counted += 1;
        }
    }
    Ok(Some(day))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_pause_moves_the_deadline_by_the_working_days_it_covers() {
        let calendar = WorkingCalendar::official().unwrap();
        // 3 working days from Tue 2026-09-15: 09-16, 09-17, 09-18.
        assert_eq!(paused_deadline(&calendar, date("2026-09-15"), 3, &[]).unwrap(), Some(date("2026-09-18")));
        // Paused 09-17 up to 09-21: 09-17, 09-18 (and the weekend) do not count; 09-16 (1),
        // Sun 09-20 is a make-up workday but paused, 09-21 (2), 09-22 (3).
        let pause = Pause { from: date("2026-09-17"), until: Some(date("2026-09-21")) };
        assert_eq!(paused_deadline(&calendar, date("2026-09-15"), 3, &[pause]).unwrap(), Some(date("2026-09-22")));
        // An open pause stops the clock once the count reaches it.
        let open = Pause { from: date("2026-09-17"), until: None };
        assert_eq!(paused_deadline(&calendar, date("2026-09-15"), 3, &[open]).unwrap(), None);
        assert_eq!(paused_deadline(&calendar, date("2026-09-15"), 1, &[open]).unwrap(), Some(date("2026-09-16")));
    }
}
