//! Trading statistics (细则 §19): projects, sections, budget, contract amounts, the savings
//! rate, bidders per section, failed sections and bonds, grouped by category, subtype,
//! Beijing month of registration and regulator; as JSON or CSV, public. Bid and bond
//! figures count only sections already opened, so no statistic reveals a sealed tender.

use ggzy_oversight::statistics;
use ggzy_store::statistics::{self as repo, Dimension};

use crate::ServiceError;
use ggzy_views::statistics::dimension_of;
pub use ggzy_views::statistics::{Statistics, StatisticsGroup, StatisticsQuery};

impl crate::contexts::Disclosure<'_> {
    pub fn statistics(&self, query: StatisticsQuery) -> Result<Statistics, ServiceError> {
        let request = statistics::read_request(query.group_by.as_deref(), query.from.as_deref(), query.to.as_deref())
            .map_err(ServiceError::Invalid)?;
        let Some((start, end)) = request.registered_between() else {
            return Err(ServiceError::Internal("month bounds out of range".into()));
        };
        let dimensions: Vec<Dimension> = request.group_by.iter().copied().map(dimension_of).collect();
        let now = self.now_naive();
        let rows = self.store().read(|conn| repo::aggregate(conn, &dimensions, start, end, now))?;
        let group_by = request.group_by.iter().map(|g| g.as_str().to_owned()).collect();
        Ok(Statistics { group_by, groups: rows.into_iter().map(StatisticsGroup::from).collect() })
    }

    /// The same figures as CSV (UTF-8 with a header row).
    pub fn statistics_csv(&self, query: StatisticsQuery) -> Result<String, ServiceError> {
        Ok(self.statistics(query)?.to_csv())
    }
}
