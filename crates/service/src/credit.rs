//! Credit records of market participants (管理办法 §36–38, §43–46): commitments, good and
//! bad records written by regulators, the centre's conduct reports, restrictions that bar
//! trading, scores and reports, disclosure with logged reads, repair, and imports of the
//! court-enforcement list.

use chrono::NaiveDate;
use ggzy_credit::disclosure;
use ggzy_credit::policy_version;
use ggzy_credit::queries::{self, ListQuery, RepairListing};
use ggzy_credit::recording::{self, Writer};
use ggzy_credit::repair::{self, RepairOutcome};
use ggzy_credit::{
    Commitment, CreditPolicy, CreditRecord, CreditReport, Refusal, RepairStatus, Restriction, Score, TradingAct,
};
use ggzy_kernel::Answer;
use ggzy_store::credit::{self as repo, CreditRecordRow};
use ggzy_store::DbConnection;
use ggzy_views::credit::{
    commitment_entry, commitment_from_row, commitment_row, conduct_report_entry, credit_record_entry, latest_version,
    pending_conduct_report_row, policy_entry, policy_from_row, policy_row, record_from_row, record_row,
    repair_application_entry, repair_application_row, repair_decision_entry, restriction_entry, restriction_from_row,
    restriction_row, standing_from_rows,
};
pub use ggzy_views::credit::{
    CommitmentText, ConductReport, ConductReportPage, CourtImportResult, CreditRead, CreditRecordPage,
    CreditRecordView, ListedParticipant, RepairApplication, RepairApplicationPage, RestrictionPage, SignedCommitment,
};

use crate::policy::{authorize, authorized, Action};
use crate::stored::stored;
use crate::validate;
use crate::{Principal, ServiceError};

pub use ggzy_credit::queries::{ConductReportQuery, RepairApplicationQuery};
pub use ggzy_credit::requests::{
    self, ConductDecision, ConductOutcome, NewConductReport, NewCreditRecord, NewRepairApplication, NewRestriction,
    RepairDecision,
};

/// The participants of a public list's items, by id, each once.
fn listed_participants(conn: &mut DbConnection, ids: Vec<String>) -> Result<Vec<ListedParticipant>, ServiceError> {
    Ok(ggzy_store::participants::names_of(conn, &disclosure::named_once(ids))?.into_iter().map(Into::into).collect())
}

/// A participant's records.
fn records_of(conn: &mut DbConnection, participant_id: &str) -> Result<Vec<CreditRecord>, ServiceError> {
    Ok(repo::records_of(conn, participant_id)?.iter().map(record_from_row).collect::<Result<_, _>>()?)
}

/// Whether the participant a request names is registered.
fn participant_registered(conn: &mut DbConnection, participant_id: &str) -> Result<bool, ServiceError> {
    Ok(ggzy_store::participants::find(conn, participant_id)?.is_some())
}

/// The refusal of a trading act as a service error naming the restriction and its end.
pub(crate) fn refusal_error(refusal: Refusal) -> ServiceError {
    let rule = disclosure::refusal_rule(&refusal);
    ServiceError::Forbidden { detail: refusal.message(), rule: Some(rule) }
}

impl crate::contexts::Credit<'_> {
    /// Seeds credit policy version 1 into an empty database.
    pub fn ensure_seed_credit_policy(&self) -> Result<(), ServiceError> {
        let seed = policy_row(&CreditPolicy::seed(), self.now_naive(), "seed: RULES.md".into())
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        self.store().write(|conn| -> Result<(), ServiceError> {
            if repo::policies(conn)?.is_empty() {
                repo::insert_policy(conn, &seed)?;
            }
            Ok(())
        })
    }

    /// The credit policy in force on a date.
    pub fn credit_policy_on(&self, conn: &mut DbConnection, date: NaiveDate) -> Result<CreditPolicy, ServiceError> {
        let rows = repo::policies(conn)?;
        let effective_from: Vec<NaiveDate> = rows.iter().map(|r| r.effective_from).collect();
        let in_force = policy_version::in_force_on(&effective_from, date)
            .map_err(|problem| ServiceError::Invalid(vec![problem]))?;
        let row =
            rows.get(in_force).ok_or_else(|| ServiceError::Internal("credit policy in force not loaded".into()))?;
        Ok(policy_from_row(row)?)
    }

    pub fn current_credit_policy(&self) -> Result<CreditPolicy, ServiceError> {
        let today = self.today();
        self.store().read(|conn| self.credit_policy_on(conn, today))
    }

    /// Publishes a new credit policy version (comprehensive regulator): publication periods
    /// and the score model (credit.score). It takes effect after today and after the latest
    /// version; the version number is assigned here.
    #[tracing::instrument(skip_all)]
    pub fn publish_credit_policy(
        &self,
        principal: Option<&Principal>,
        draft: serde_json::Value,
    ) -> Result<CreditPolicy, ServiceError> {
        let principal = authorized(principal, Action::PublishRuleSet)?;
        let today = self.today();
        let now = self.now_naive();
        self.store().write(|conn| {
            let rows = repo::policies(conn)?;
            let latest = rows.last().ok_or_else(|| ServiceError::Internal("no credit policy".into()))?;
            let policy = policy_version::decide_draft(draft, latest_version(latest)?, today).map_err(Answer::from)?;
            let row = policy_row(&policy, now, principal.actor()).map_err(|e| ServiceError::Internal(e.to_string()))?;
            repo::insert_policy(conn, &row)?;
            crate::record_entry(conn, principal, now, policy_entry(&policy))?;
            Ok(policy)
        })
    }

    pub fn commitment_text(&self) -> Result<CommitmentText, ServiceError> {
        let row = self.store().read(repo::latest_commitment_text)?;
        Ok(row.ok_or_else(|| ServiceError::Internal("no commitment text".into()))?.into())
    }

    /// A participant signs the current commitment text (credit.commitment).
    #[tracing::instrument(skip_all, fields(participant_id = %participant_id))]
    pub fn sign_commitment(
        &self,
        principal: Option<&Principal>,
        participant_id: &str,
    ) -> Result<SignedCommitment, ServiceError> {
        let principal = authorized(principal, Action::ActForParticipant { participant_id })?;
        let now = self.now_naive();
        let today = self.today();
        self.store().write(|conn| {
            if !participant_registered(conn, participant_id)? {
                return Err(ServiceError::NotFound { what: "participant" });
            }
            let text = repo::latest_commitment_text(conn)?
                .ok_or_else(|| ServiceError::Internal("no commitment text".into()))?;
            let text_version = CommitmentText::signed_version(&text)?;
            let commitment = Commitment::signed(self.fresh_id(), participant_id.to_owned(), text_version, today);
            let row = commitment_row(commitment, now, principal.actor());
            repo::insert_commitment(conn, &row)?;
            let view = SignedCommitment::try_from(&row)?;
            crate::record_entry(conn, principal, now, commitment_entry(&view))?;
            crate::idempotency::answer_created(self, conn, principal, &view)?;
            Ok(view)
        })
    }

    /// Commitments are public record.
    pub fn commitments(&self, participant_id: &str) -> Result<Vec<SignedCommitment>, ServiceError> {
        let rows = self.store().read(|conn| repo::commitments_of(conn, participant_id))?;
        Ok(rows.iter().map(SignedCommitment::try_from).collect::<Result<_, _>>()?)
    }

    /// Writes a record inside a transaction (shared by regulators' records, accepted conduct
    /// reports and imports).
    fn insert_credit_record(
        &self,
        conn: &mut DbConnection,
        principal: &Principal,
        record: CreditRecord,
        origin: &str,
        external_key: Option<String>,
    ) -> Result<CreditRecordRow, ServiceError> {
        let now = self.now_naive();
        let row = record_row(&record, origin, external_key, principal.actor(), now);
        repo::insert_record(conn, &row)?;
        crate::record_entry(conn, principal, now, credit_record_entry(&row, &record))?;
        Ok(row)
    }

    /// A finding of a supervisory decision written as a credit record; returns its id.
    pub(crate) fn record_credit_finding(
        &self,
        conn: &mut DbConnection,
        principal: &Principal,
        record: CreditRecord,
        origin: &str,
    ) -> Result<String, ServiceError> {
        Ok(self.insert_credit_record(conn, principal, record, origin, None)?.id)
    }

    /// The department name a regulator writes records as.
    pub(crate) fn department_name(conn: &mut DbConnection, principal: &Principal) -> Result<String, ServiceError> {
        let org = principal.org.clone().unwrap_or_default();
        Ok(ggzy_store::departments::find(conn, &org)?.map(|d| d.name).unwrap_or(org))
    }

    /// A regulator writes a good or bad record (only regulators write bad records).
    #[tracing::instrument(skip_all)]
    pub fn write_credit_record(
        &self,
        principal: Option<&Principal>,
        request: NewCreditRecord,
    ) -> Result<CreditRecordView, ServiceError> {
        let principal = authorized(principal, Action::WriteCreditRecord)?;
        let today = self.today();
        let values =
            requests::read_new_record(request, today, &self.current_credit_policy()?).map_err(ServiceError::Invalid)?;
        self.store().write(|conn| {
            let registered = participant_registered(conn, &values.participant_id)?;
            let writer = Writer { id: self.fresh_id(), source: Self::department_name(conn, principal)? };
            let record = recording::regulator_record(values, registered, writer).map_err(Answer::from)?;
            let row = self.insert_credit_record(conn, principal, record, "regulator", None)?;
            Ok(CreditRecordView::on(&row, today)?)
        })
    }

    /// A participant's records. Reading records that are no longer (or never were) public
    /// is for authorised roles only and is logged with the stated purpose.
    pub fn participant_credit_records(
        &self,
        principal: Option<&Principal>,
        participant_id: &str,
        purpose: Option<String>,
    ) -> Result<Vec<CreditRecordView>, ServiceError> {
        let principal = authorized(principal, Action::ReadCreditRecords { participant_id })?;
        let today = self.today();
        let now = self.now_naive();
        let purpose = requests::read_stated_purpose(purpose);
        self.store().write(|conn| {
            let rows = repo::records_of(conn, participant_id)?;
            let records = rows.iter().map(record_from_row).collect::<Result<Vec<_>, _>>()?;
            let views = rows.iter().map(|r| CreditRecordView::on(r, today)).collect::<Result<Vec<_>, _>>()?;
            if disclosure::read_is_logged(&records, today) {
                repo::log_read(conn, &principal.actor(), participant_id, &purpose, now)?;
            }
            Ok(views)
        })
    }

    /// Who read a participant's unpublished records, and why.
    pub fn credit_reads(
        &self,
        principal: Option<&Principal>,
        participant_id: &str,
    ) -> Result<Vec<CreditRead>, ServiceError> {
        authorize(principal, Action::AuditCreditReads)?;
        let rows = self.store().read(|conn| repo::reads_of(conn, participant_id))?;
        Ok(rows.into_iter().map(CreditRead::from).collect())
    }

    /// Bad records on the public list today (no token).
    pub fn public_credit_records(
        &self,
        after: Option<String>,
        limit: Option<u32>,
    ) -> Result<CreditRecordPage, ServiceError> {
        let page = validate::page(after, limit)?;
        let today = self.today();
        let since = disclosure::public_list_since(&self.current_credit_policy()?, today);
        self.store().read(|conn| {
            // The candidates in id order until a page of public ones is filled.
            let (items, next_cursor) =
                repo::walk_records_decided_since(conn, since, page.after, page.limit as usize, |row| {
                    CreditRecordView::listed_on(row, today).map_err(ServiceError::from)
                })?;
            let participants = listed_participants(conn, items.iter().map(|r| r.participant_id.clone()).collect())?;
            Ok(CreditRecordPage { items, participants, next_cursor })
        })
    }

    /// The centre reports bad trading conduct; it records nothing itself.
    #[tracing::instrument(skip_all)]
    pub fn report_conduct(
        &self,
        principal: Option<&Principal>,
        request: NewConductReport,
    ) -> Result<ConductReport, ServiceError> {
        let principal = authorized(principal, Action::ReportConduct)?;
        let report = requests::read_conduct_report(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let (registered, project_exists) =
                repo::conduct_report_reads(conn, &report.participant_id, report.project_id.as_deref())?;
            let report = recording::conduct_report(report, registered, project_exists).map_err(Answer::from)?;
            let row = pending_conduct_report_row(self.fresh_id(), report, principal.actor(), now);
            repo::insert_conduct_report(conn, &row)?;
            let view = ConductReport::try_from(row)?;
            crate::record_entry(conn, principal, now, conduct_report_entry(view.clone()))?;
            Ok(view)
        })
    }

    /// Conduct reports, newest first: `status=pending` is the regulators' queue of reports
    /// to decide; the centre follows its own reports here. The centre, 公管办 and inspectors
    /// all; an industry regulator those on the projects it supervises.
    #[tracing::instrument(skip_all)]
    pub fn conduct_reports(
        &self,
        principal: Option<&Principal>,
        query: ConductReportQuery,
    ) -> Result<ConductReportPage, ServiceError> {
        let principal = authorized(principal, Action::ListConductReports)?;
        // An industry regulator's: those on the projects it supervises (a report on no
        // project is 公管办's).
        let regulator = crate::policy::industry_of(principal).map(str::to_owned);
        let ListQuery { status, participant_id, page } =
            queries::read_conduct_query(query).map_err(ServiceError::Invalid)?;
        self.store().read(|conn| {
            let mut rows = repo::conduct_reports_page(
                conn,
                regulator.as_deref(),
                status.map(ggzy_credit::ConductReportStatus::as_str),
                participant_id.as_deref(),
                page.after.as_deref(),
                i64::from(page.limit) + 1,
            )?;
            let next_cursor = crate::validate::next_cursor(&mut rows, page.limit, |row| row.id.clone());
            Ok(ConductReportPage {
                items: rows.into_iter().map(ConductReport::try_from).collect::<Result<_, _>>()?,
                next_cursor,
            })
        })
    }

    /// A regulator decides a conduct report: dismissed, or recorded as bad trading conduct.
    #[tracing::instrument(skip_all, fields(report_id = %report_id))]
    pub fn decide_conduct_report(
        &self,
        principal: Option<&Principal>,
        report_id: &str,
        request: ConductDecision,
    ) -> Result<ConductReport, ServiceError> {
        let principal = authorized(principal, Action::WriteCreditRecord)?;
        let outcome =
            requests::read_conduct_decision(request, &self.current_credit_policy()?).map_err(ServiceError::Invalid)?;
        let today = self.today();
        let now = self.now_naive();
        self.store().write(|conn| {
            let report =
                repo::find_conduct_report(conn, report_id)?.ok_or(ServiceError::NotFound { what: "conduct report" })?;
            let standing = stored("conduct_reports.status", &report.status)?;
            let writer = Writer { id: self.fresh_id(), source: Self::department_name(conn, principal)? };
            let verdict = recording::decide_conduct_report(standing, &report.participant_id, outcome, writer, today)
                .map_err(Answer::from)?;
            let record_id = verdict
                .record
                .map(|record| self.record_credit_finding(conn, principal, record, "conduct_report"))
                .transpose()?;
            // Decided only if still pending when written, as another decision may have come
            // in between.
            let status = verdict.status.as_str();
            let decided =
                repo::decided_conduct_report(conn, report_id, status, &principal.actor(), now, record_id.as_deref())?;
            Ok(ConductReport::try_from(decided.ok_or(Answer::from(recording::ReportAlreadyDecided))?)?)
        })
    }

    /// A regulator imposes a restriction (debarment, serious-dishonesty list, agency
    /// suspension, loss of entry qualification).
    #[tracing::instrument(skip_all)]
    pub fn impose_restriction(
        &self,
        principal: Option<&Principal>,
        request: NewRestriction,
    ) -> Result<Restriction, ServiceError> {
        let principal = authorized(principal, Action::WriteCreditRecord)?;
        let values = requests::read_restriction(request).map_err(ServiceError::Invalid)?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let registered = participant_registered(conn, &values.participant_id)?;
            let writer = Writer { id: self.fresh_id(), source: Self::department_name(conn, principal)? };
            let restriction = recording::impose_restriction(values, registered, writer).map_err(Answer::from)?;
            repo::insert_restriction(conn, &restriction_row(&restriction, now))?;
            crate::record_entry(conn, principal, now, restriction_entry(&restriction))?;
            Ok(restriction)
        })
    }

    /// Restrictions in force today (public).
    pub fn public_restrictions(
        &self,
        after: Option<String>,
        limit: Option<u32>,
    ) -> Result<RestrictionPage, ServiceError> {
        let page = validate::page(after, limit)?;
        let today = self.today();
        self.store().read(|conn| {
            let mut rows = repo::restrictions_running(conn, today, page.after.as_deref(), i64::from(page.limit) + 1)?;
            let next_cursor = validate::next_cursor(&mut rows, page.limit, |row| row.id.clone());
            let items: Vec<Restriction> = rows.iter().map(restriction_from_row).collect::<Result<_, _>>()?;
            let participants = listed_participants(conn, items.iter().map(|r| r.participant_id.clone()).collect())?;
            Ok(RestrictionPage { items, participants, next_cursor })
        })
    }

    /// Refuses a trading act of a participant that a restriction bars or that has no
    /// commitment in force; the error names the restriction and its end date.
    pub(crate) fn credit_gate(
        &self,
        conn: &mut DbConnection,
        participant_id: &str,
        act: TradingAct,
    ) -> Result<(), ServiceError> {
        self.credit_standing(conn, participant_id, act)?.map_err(refusal_error)
    }

    /// The credit gate's answer for an act, loaded and decided; the outer error is the
    /// store's, the inner the gate's refusal.
    pub(crate) fn credit_standing(
        &self,
        conn: &mut DbConnection,
        participant_id: &str,
        act: TradingAct,
    ) -> Result<Result<(), Refusal>, ServiceError> {
        self.credit_standing_of(&repo::standing_rows(conn, participant_id)?, act)
    }

    /// The credit gate's answer for an act, decided on standing already read (a bid reads
    /// it with its section's facts); the outer error is a stored row's fault.
    pub(crate) fn credit_standing_of(
        &self,
        standing: &repo::StandingRows,
        act: TradingAct,
    ) -> Result<Result<(), Refusal>, ServiceError> {
        let (restrictions, commitments) = standing_from_rows(standing)?;
        Ok(ggzy_credit::gate(act, self.today(), &restrictions, &commitments))
    }

    /// The score as of a date, with the records that made it.
    pub fn credit_score(
        &self,
        principal: Option<&Principal>,
        participant_id: &str,
        as_of: Option<NaiveDate>,
        purpose: Option<String>,
    ) -> Result<Score, ServiceError> {
        authorize(principal, Action::ReadCreditReport { participant_id })?;
        let as_of = as_of.unwrap_or_else(|| self.today());
        self.store().write(|conn| {
            self.expert_read(conn, principal, participant_id, purpose)?;
            let policy = self.credit_policy_on(conn, as_of)?;
            Ok(policy.score.score(&records_of(conn, participant_id)?, as_of))
        })
    }

    /// An expert reads a participant's credit only as a member of the committee of an opened
    /// section the participant bid in; anyone else is told the participant does not exist.
    /// Every read by an expert is logged with its purpose, as reads of unpublished records are.
    fn expert_read(
        &self,
        conn: &mut DbConnection,
        principal: Option<&Principal>,
        participant_id: &str,
        purpose: Option<String>,
    ) -> Result<(), ServiceError> {
        let Some(caller) = principal else { return Ok(()) };
        let Some(expert_id) = crate::policy::acting_expert(caller) else { return Ok(()) };
        if !crate::evaluation::evaluates_bidder(conn, expert_id, participant_id)? {
            return Err(ServiceError::NotFound { what: "participant" });
        }
        let purpose = requests::read_expert_purpose(purpose).map_err(|problem| ServiceError::Invalid(vec![problem]))?;
        repo::log_read(conn, &caller.actor(), participant_id, &purpose, self.now_naive())?;
        Ok(())
    }

    /// The credit report of a participant as of a date, for evaluation committees.
    pub fn credit_report(
        &self,
        principal: Option<&Principal>,
        participant_id: &str,
        as_of: Option<NaiveDate>,
        purpose: Option<String>,
    ) -> Result<CreditReport, ServiceError> {
        authorize(principal, Action::ReadCreditReport { participant_id })?;
        let as_of = as_of.unwrap_or_else(|| self.today());
        self.store().write(|conn| {
            if !participant_registered(conn, participant_id)? {
                return Err(ServiceError::NotFound { what: "participant" });
            }
            self.expert_read(conn, principal, participant_id, purpose)?;
            let policy = self.credit_policy_on(conn, as_of)?;
            let records = records_of(conn, participant_id)?;
            let (restrictions, commitments) = standing_from_rows(&repo::standing_rows(conn, participant_id)?)?;
            Ok(ggzy_credit::report(participant_id, as_of, &policy, &records, &restrictions, &commitments))
        })
    }

    /// The participant applies to repair a bad record (credit.repair).
    #[tracing::instrument(skip_all, fields(record_id = %record_id))]
    pub fn apply_for_repair(
        &self,
        principal: Option<&Principal>,
        record_id: &str,
        request: NewRepairApplication,
    ) -> Result<RepairApplication, ServiceError> {
        let principal_ref = principal.ok_or(ServiceError::Unauthenticated)?;
        let asked = requests::read_repair_application(request).map_err(ServiceError::Invalid)?;
        let today = self.today();
        let now = self.now_naive();
        self.store().write(|conn| {
            let (row, pending, commitment) = repo::repair_application_reads(conn, record_id, &asked.commitment_id)?
                .ok_or(ServiceError::NotFound { what: "credit record" })?;
            authorize(principal, Action::ActForParticipant { participant_id: &row.participant_id })?;
            let commitment = commitment.as_ref().map(commitment_from_row).transpose()?;
            let policy = self.credit_policy_on(conn, today)?;
            let record = record_from_row(&row)?;
            let taken =
                repair::decide_application(&record, pending.as_deref(), commitment.as_ref(), &policy, today, asked)
                    .map_err(Answer::from)?;
            let application = repair_application_row(self.fresh_id(), taken, now);
            repo::insert_repair_application(conn, &application)?;
            let view = RepairApplication::try_from(application)?;
            crate::record_entry(conn, principal_ref, now, repair_application_entry(view.clone()))?;
            Ok(view)
        })
    }

    /// Repair applications, newest first: every one for regulators and inspectors (those
    /// awaiting a decision with `status=pending`), a participant's own for the participant.
    pub fn repair_applications(
        &self,
        principal: Option<&Principal>,
        query: RepairApplicationQuery,
    ) -> Result<RepairApplicationPage, ServiceError> {
        let principal = authorized(principal, Action::ListRepairApplications)?;
        let own = crate::policy::acting_participant(principal).map(str::to_owned);
        let ListQuery { status, participant_id, page } =
            queries::read_repair_query(query).map_err(ServiceError::Invalid)?;
        let listing = queries::repair_listing(own.as_deref(), participant_id);
        let participant = match &listing {
            RepairListing::Nothing => return Ok(RepairApplicationPage { items: vec![], next_cursor: None }),
            RepairListing::Of(participant) => participant.clone(),
        };
        self.store().read(|conn| {
            let mut rows = repo::repair_applications_after(
                conn,
                participant.as_deref(),
                status.map(RepairStatus::as_str),
                page.after.as_deref(),
                i64::from(page.limit) + 1,
            )?
            .ok_or_else(crate::validate::unknown_cursor)?;
            let next_cursor = validate::next_cursor(&mut rows, page.limit, |row| row.id.clone());
            Ok(RepairApplicationPage {
                items: rows.into_iter().map(RepairApplication::try_from).collect::<Result<_, _>>()?,
                next_cursor,
            })
        })
    }

    /// The regulator decides a repair application; an approved one ends the record's
    /// publication and scoring today.
    #[tracing::instrument(skip_all, fields(application_id = %application_id))]
    pub fn decide_repair(
        &self,
        principal: Option<&Principal>,
        application_id: &str,
        request: RepairDecision,
    ) -> Result<RepairApplication, ServiceError> {
        let principal = authorized(principal, Action::WriteCreditRecord)?;
        let verdict = requests::read_repair_decision(request).map_err(ServiceError::Invalid)?;
        let today = self.today();
        let now = self.now_naive();
        self.store().write(|conn| {
            let application = repo::find_repair_application(conn, application_id)?
                .ok_or(ServiceError::NotFound { what: "repair application" })?;
            let standing = stored("repair_applications.status", &application.status)?;
            let RepairOutcome { status, reason, repaired_on } =
                repair::decide_verdict(standing, verdict, today).map_err(Answer::from)?;
            // Decided only if still pending when written, as another decision may have come
            // in between.
            let (actor, reason_given) = (principal.actor(), reason.as_deref());
            let decided =
                repo::decided_repair_application(conn, application_id, status.as_str(), &actor, now, reason_given)?
                    .ok_or(Answer::from(repair::AlreadyDecided))?;
            if let Some(repaired_on) = repaired_on {
                repo::set_repaired(conn, &application.record_id, repaired_on)?;
            }
            crate::record_entry(conn, principal, now, repair_decision_entry(&application, status, reason_given))?;
            Ok(RepairApplication::try_from(decided)?)
        })
    }

    /// Imports the court-enforcement list (失信被执行人) from CSV with the header
    /// `credit_code,case_number,court,decided_on`; re-importing a line changes nothing.
    #[tracing::instrument(skip_all)]
    pub fn import_court_enforcement(
        &self,
        principal: Option<&Principal>,
        csv: &str,
    ) -> Result<CourtImportResult, ServiceError> {
        let principal = authorized(principal, Action::ImportCourtList)?;
        let lines = requests::read_court_list(csv).map_err(|header| ServiceError::Invalid(vec![header]))?;
        let policy = self.current_credit_policy()?;
        let months = recording::court_publication_months(&policy).map_err(|e| ServiceError::Internal(e.message))?;
        self.store().write(|conn| {
            let keys: Vec<_> = lines.iter().flatten().map(|e| (e.credit_code.clone(), e.external_key())).collect();
            let found = repo::court_lines_found(conn, &keys)?;
            let import = recording::court_import(lines, found, || self.fresh_id(), months);
            let created = import.created.len();
            for (record, key) in import.created {
                self.insert_credit_record(conn, principal, record, "court_import", Some(key))?;
            }
            Ok(CourtImportResult { created, already_present: import.already_present, rejected: import.rejected })
        })
    }
}
