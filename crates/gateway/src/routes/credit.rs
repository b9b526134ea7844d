use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDate;
use ggzy_credit::{CreditPolicy, CreditReport, Restriction, Score};
use ggzy_service::credit::{
    CommitmentText, ConductDecision, ConductReport, CourtImportResult, CreditRead, CreditRecordPage, CreditRecordView,
    NewConductReport, NewCreditRecord, NewRepairApplication, NewRestriction, RepairApplication, RepairApplicationPage,
    RepairApplicationQuery, RepairDecision, RestrictionPage, SignedCommitment,
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{run, PageQuery};
use crate::auth::Caller;
use crate::body::CsvBody;
use crate::problem::{ApiError, Problem};
use crate::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PurposeQuery {
    /// Why the records are read (logged when unpublished records are read).
    pub purpose: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOfQuery {
    /// The date to judge by (default today, Beijing time).
    pub as_of: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CreditReadQuery {
    /// The date to judge by (default today, Beijing time).
    pub as_of: Option<NaiveDate>,
    /// Why the credit is read; an expert's read is logged with it (default `评标`).
    pub purpose: Option<String>,
}

/// The platform's credit commitment text (信用承诺书) in force. Public.
#[utoipa::path(
    tag = "credit",
    responses(
        (status = 200, description = "The text", body = CommitmentText),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/commitment-text")]
#[tracing::instrument(skip_all)]
pub async fn commitment_text(state: web::Data<AppState>, _caller: Caller) -> Result<HttpResponse, ApiError> {
    let text = run(&state, |p| p.credit().commitment_text()).await?;
    Ok(HttpResponse::Ok().json(text))
}

/// A participant signs the commitment in its own name (credit.commitment); trading needs one in force.
#[utoipa::path(
    tag = "credit",
    params(("id" = String, Path, description = "Participant id")),
    responses(
        (status = 201, description = "Signed", body = SignedCommitment),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/commitments")]
#[tracing::instrument(skip_all)]
pub async fn sign_commitment(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let signed = run(&state, move |p| p.credit().sign_commitment(caller.principal(), &id)).await?;
    Ok(HttpResponse::Created().json(signed))
}

/// A participant's commitments. Public.
#[utoipa::path(
    tag = "credit",
    params(("id" = String, Path, description = "Participant id")),
    responses(
        (status = 200, description = "Commitments", body = Vec<SignedCommitment>),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/{id}/commitments")]
#[tracing::instrument(skip_all)]
pub async fn list_commitments(
    state: web::Data<AppState>,
    _caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let commitments = run(&state, move |p| p.credit().commitments(&id)).await?;
    Ok(HttpResponse::Ok().json(commitments))
}

/// A regulator writes a good or bad credit record; bad ones are published for the period of
/// credit.record.publicity within the severity's range (credit.severity.periods).
#[utoipa::path(
    tag = "credit",
    request_body = NewCreditRecord,
    responses(
        (status = 201, description = "Recorded", body = CreditRecordView),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/records")]
#[tracing::instrument(skip_all)]
pub async fn write_record(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<NewCreditRecord>,
) -> Result<HttpResponse, ApiError> {
    let record = run(&state, move |p| p.credit().write_credit_record(caller.principal(), body.into_inner())).await?;
    Ok(HttpResponse::Created().json(record))
}

/// All of a participant's records, published or not (authorised roles and the participant
/// itself); reading unpublished bad records is logged with the stated `purpose`.
#[utoipa::path(
    tag = "credit",
    params(("id" = String, Path, description = "Participant id"), PurposeQuery),
    responses(
        (status = 200, description = "Records", body = Vec<CreditRecordView>),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/credit-records")]
#[tracing::instrument(skip_all)]
pub async fn participant_records(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<PurposeQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let purpose = query.into_inner().purpose;
    let records = run(&state, move |p| p.credit().participant_credit_records(caller.principal(), &id, purpose)).await?;
    Ok(HttpResponse::Ok().json(records))
}

/// Who read a participant's unpublished records, when and why (comprehensive regulator,
/// inspectors).
#[utoipa::path(
    tag = "credit",
    params(("id" = String, Path, description = "Participant id")),
    responses(
        (status = 200, description = "Reads", body = Vec<CreditRead>),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/credit-reads")]
#[tracing::instrument(skip_all)]
pub async fn credit_reads(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let reads = run(&state, move |p| p.credit().credit_reads(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(reads))
}

/// Bad credit records on the public list today (published during their publication period). Public.
#[utoipa::path(
    tag = "credit",
    params(PageQuery),
    responses(
        (status = 200, description = "One page", body = CreditRecordPage),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/credit-records")]
#[tracing::instrument(skip_all)]
pub async fn public_records(
    state: web::Data<AppState>,
    _caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let PageQuery { after, limit } = query.into_inner();
    let page = run(&state, move |p| p.credit().public_credit_records(after, limit)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Centre staff report bad trading conduct seen while serving; a regulator decides.
#[utoipa::path(
    tag = "credit",
    request_body = NewConductReport,
    responses(
        (status = 201, description = "Reported", body = ConductReport),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/conduct-reports")]
#[tracing::instrument(skip_all)]
pub async fn report_conduct(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<NewConductReport>,
) -> Result<HttpResponse, ApiError> {
    let report = run(&state, move |p| p.credit().report_conduct(caller.principal(), body.into_inner())).await?;
    Ok(HttpResponse::Created().json(report))
}

/// Conduct reports, newest first; `status=pending` is the regulators' queue. Regulators,
/// inspectors and the centre.
#[utoipa::path(
    tag = "credit",
    params(ggzy_service::credit::ConductReportQuery),
    responses(
        (status = 200, description = "One page", body = ggzy_service::credit::ConductReportPage),
        (status = 400, description = "Malformed query or an unknown parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the centre, a regulator or an inspector", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter, cursor or limit, each named", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/conduct-reports")]
#[tracing::instrument(skip_all)]
pub async fn list_conduct_reports(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ggzy_service::credit::ConductReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = run(&state, move |p| p.credit().conduct_reports(caller.principal(), query.into_inner())).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// A regulator dismisses a conduct report or records it as bad trading conduct.
#[utoipa::path(
    tag = "credit",
    params(("id" = String, Path, description = "Report id")),
    request_body = ConductDecision,
    responses(
        (status = 200, description = "Decided", body = ConductReport),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already decided", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/conduct-reports/{id}/decision")]
#[tracing::instrument(skip_all)]
pub async fn decide_conduct(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<ConductDecision>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let report =
        run(&state, move |p| p.credit().decide_conduct_report(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(report))
}

/// A regulator imposes a restriction: debarment (construction.debarment, 1–3 years),
/// serious-dishonesty list, agency suspension or loss of entry qualification.
#[utoipa::path(
    tag = "credit",
    request_body = NewRestriction,
    responses(
        (status = 201, description = "Imposed", body = Restriction),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/restrictions")]
#[tracing::instrument(skip_all)]
pub async fn impose_restriction(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<NewRestriction>,
) -> Result<HttpResponse, ApiError> {
    let restriction =
        run(&state, move |p| p.credit().impose_restriction(caller.principal(), body.into_inner())).await?;
    Ok(HttpResponse::Created().json(restriction))
}

/// Restrictions in force today. Public.
#[utoipa::path(
    tag = "credit",
    params(PageQuery),
    responses(
        (status = 200, description = "One page", body = RestrictionPage),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/restrictions")]
#[tracing::instrument(skip_all)]
pub async fn public_restrictions(
    state: web::Data<AppState>,
    _caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let PageQuery { after, limit } = query.into_inner();
    let page = run(&state, move |p| p.credit().public_restrictions(after, limit)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// A participant's credit score and grade as of a date, with the records that made it.
#[utoipa::path(
    tag = "credit",
    params(("id" = String, Path, description = "Participant id"), CreditReadQuery),
    responses(
        (status = 200, description = "Score", body = Score),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid date, or a date before the first credit policy", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "An expert not on the committee of an opened section the participant bid in", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/credit-score")]
#[tracing::instrument(skip_all)]
pub async fn credit_score(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<CreditReadQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let CreditReadQuery { as_of, purpose } = query.into_inner();
    let score = run(&state, move |p| p.credit().credit_score(caller.principal(), &id, as_of, purpose)).await?;
    Ok(HttpResponse::Ok().json(score))
}

/// A participant's credit report as of a date, for evaluation committees: score, restrictions
/// in force, public records, commitment.
#[utoipa::path(
    tag = "credit",
    params(("id" = String, Path, description = "Participant id"), CreditReadQuery),
    responses(
        (status = 200, description = "Report", body = CreditReport),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid date, or a date before the first credit policy", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/credit-report")]
#[tracing::instrument(skip_all)]
pub async fn credit_report(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<CreditReadQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let CreditReadQuery { as_of, purpose } = query.into_inner();
    let report = run(&state, move |p| p.credit().credit_report(caller.principal(), &id, as_of, purpose)).await?;
    Ok(HttpResponse::Ok().json(report))
}

/// The credit policy in force: publication periods and the score model. Public.
#[utoipa::path(
    tag = "credit",
    responses(
        (status = 200, description = "Policy", body = CreditPolicy),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/policy")]
#[tracing::instrument(skip_all)]
pub async fn credit_policy(state: web::Data<AppState>, _caller: Caller) -> Result<HttpResponse, ApiError> {
    let policy = run(&state, |p| p.credit().current_credit_policy()).await?;
    Ok(HttpResponse::Ok().json(policy))
}

/// The participant applies to repair a bad record (credit.repair): after the minimum period,
/// with proof that the obligations are met and a commitment signed after the decision. Every
/// unmet condition is named at once.
#[utoipa::path(
    tag = "credit",
    params(("id" = String, Path, description = "Record id")),
    request_body = NewRepairApplication,
    responses(
        (status = 201, description = "Applied", body = RepairApplication),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An application to repair this record awaits a decision, or the first request with this Idempotency-Key is still running", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/records/{id}/repair-applications")]
#[tracing::instrument(skip_all)]
pub async fn apply_repair(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<NewRepairApplication>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let application =
        run(&state, move |p| p.credit().apply_for_repair(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Created().json(application))
}

/// Repair applications newest first: every one for regulators and inspectors (`status=pending`
/// for those awaiting a decision), a participant's own for the participant (tenderer, agent
/// or bidder). Every other role is refused. Any other query parameter is a 400.
#[utoipa::path(
    tag = "credit",
    params(RepairApplicationQuery),
    responses(
        (status = 200, description = "One page of repair applications", body = RepairApplicationPage),
        (status = 400, description = "Unknown or malformed query parameter (named in errors[])", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither a regulator, an inspector nor a participant", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid status, participant id, cursor or limit", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/repair-applications")]
#[tracing::instrument(skip_all)]
pub async fn list_repair_applications(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<RepairApplicationQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = run(&state, move |p| p.credit().repair_applications(caller.principal(), query.into_inner())).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// A regulator approves a repair (the record leaves publication and scoring today) or rejects
/// it with a reason.
#[utoipa::path(
    tag = "credit",
    params(("id" = String, Path, description = "Application id")),
    request_body = RepairDecision,
    responses(
        (status = 200, description = "Decided", body = RepairApplication),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not found", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already decided", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/repair-applications/{id}/decision")]
#[tracing::instrument(skip_all)]
pub async fn decide_repair(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<RepairDecision>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let application =
        run(&state, move |p| p.credit().decide_repair(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(application))
}

/// Import the court-enforcement list (失信被执行人) as CSV with the header
/// `credit_code,case_number,court,decided_on`; lines already imported change nothing.
#[utoipa::path(
    tag = "credit",
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, description = "Result", body = CourtImportResult),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not text/csv", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or wrong header", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/court-enforcement-imports")]
#[tracing::instrument(skip_all)]
pub async fn import_court_list(
    state: web::Data<AppState>,
    caller: Caller,
    CsvBody(body): CsvBody,
) -> Result<HttpResponse, ApiError> {
    let result = run(&state, move |p| p.credit().import_court_enforcement(caller.principal(), &body)).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Publish a new credit policy version (comprehensive regulator; the centre is refused under
/// centre.no_regulatory_power): publication periods and the score model. It must take
/// effect after today and after the latest version.
#[utoipa::path(
    tag = "credit",
    request_body = CreditPolicy,
    responses(
        (status = 201, description = "Published", body = CreditPolicy),
        (status = 400, description = "Body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the comprehensive regulator", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid policy, every problem in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/policies")]
#[tracing::instrument(skip_all)]
pub async fn publish_policy(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let policy = run(&state, move |p| p.credit().publish_credit_policy(caller.principal(), body.into_inner())).await?;
    Ok(HttpResponse::Created().json(policy))
}
