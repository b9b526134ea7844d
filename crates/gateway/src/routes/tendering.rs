use actix_web::{get, post, web, HttpResponse};
use ggzy_service::announcements::{
    Announcement, AnnouncementPage, AnnouncementQuery, PublishAnnouncement, PublishCorrection,
};
use ggzy_service::bonds::{
    Bond, BondClosure, ConfirmRefund, DepositBond, ForfeitBond, LedgerVerification, OwnBondPage, OwnBondQuery,
    Reconciliation, RecordBondEvent,
};

use super::run;
use crate::auth::Caller;
use crate::body::CsvBody;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// Publish the tender announcement of a registered project (tenderer or commissioned
/// agent): documents with their sha256, bid deadline, opening, and the bond of every
/// section. Refused when the bidding period is shorter than the category's rule or a bond
/// is above its cap.
#[utoipa::path(
    tag = "tendering",
    params(("id" = String, Path, description = "Project id")),
    request_body = PublishAnnouncement,
    responses(
        (status = 201, description = "Published", body = Announcement),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the tenderer or its agent", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The project is not in a state to announce", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/announcements")]
#[tracing::instrument(skip_all)]
pub async fn publish_announcement(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<PublishAnnouncement>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let announcement =
        run(&state, move |p| p.tendering().publish_announcement(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Created().json(announcement))
}

/// Publish a correction (更正公告). A change that affects bid preparation later than the
/// clarification period before the deadline must move the deadline.
#[utoipa::path(
    tag = "tendering",
    params(("id" = String, Path, description = "Announcement id")),
    request_body = PublishCorrection,
    responses(
        (status = 201, description = "Published", body = Announcement),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the tenderer or its agent", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such announcement", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The bid deadline has passed", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/corrections")]
#[tracing::instrument(skip_all)]
pub async fn publish_correction(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<PublishCorrection>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let announcement =
        run(&state, move |p| p.tendering().publish_correction(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Created().json(announcement))
}

/// The published openings (开标时间、地点), soonest first, in a range of Beijing dates: the
/// day's openings for the centre's desk and the public. Public.
#[utoipa::path(
    tag = "public",
    params(ggzy_service::announcements::OpeningScheduleQuery),
    responses(
        (status = 200, description = "One page", body = ggzy_service::announcements::OpeningSchedulePage),
        (status = 400, description = "Malformed query or an unknown parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter, cursor or limit, each named", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/openings")]
#[tracing::instrument(skip_all)]
pub async fn opening_schedule(
    state: web::Data<AppState>,
    _caller: Caller,
    query: web::Query<ggzy_service::announcements::OpeningScheduleQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = run(&state, move |p| p.tendering().opening_schedule(query.into_inner())).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Announcements in publication order, with their content hash, narrowed by project,
/// category, kind and publication dates. Public.
#[utoipa::path(
    tag = "public",
    params(AnnouncementQuery),
    responses(
        (status = 200, description = "One page", body = AnnouncementPage),
        (status = 400, description = "Malformed query or an unknown parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter, cursor or limit, each named", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/announcements")]
#[tracing::instrument(skip_all)]
pub async fn list_announcements(
    state: web::Data<AppState>,
    _caller: Caller,
    query: web::Query<AnnouncementQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = run(&state, move |p| p.tendering().announcements(query.into_inner())).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One announcement. Public.
#[utoipa::path(
    tag = "public",
    params(("id" = String, Path, description = "Announcement id")),
    responses(
        (status = 200, description = "The announcement", body = Announcement),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such announcement", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/announcements/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_announcement(
    state: web::Data<AppState>,
    _caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let announcement = run(&state, move |p| p.tendering().announcement(&id)).await?;
    Ok(HttpResponse::Ok().json(announcement))
}

/// A bidder deposits its bid bond for a section into the platform's dedicated account
/// (bond.central): the announced amount, before the deadline, from its basic account for
/// construction (construction.bond.basic_account), non-cash for procurement.
#[utoipa::path(
    tag = "bonds",
    params(("id" = String, Path, description = "Section id")),
    request_body = DepositBond,
    responses(
        (status = 201, description = "Held", body = Bond),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a bidder, or a restriction or missing credit commitment bars it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such section", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not announced, past the deadline, or already deposited", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a rule says no, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/bonds")]
#[tracing::instrument(skip_all)]
pub async fn deposit_bond(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<DepositBond>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let bond = run(&state, move |p| p.bonds().deposit_bond(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Created().json(bond))
}

/// Record the event that starts the refund clock of a section's bonds (award notice,
/// contract, termination); each bond's deadline is computed from the rules.
#[utoipa::path(
    tag = "bonds",
    params(("id" = String, Path, description = "Section id")),
    request_body = RecordBondEvent,
    responses(
        (status = 200, description = "Bonds whose clock started", body = Vec<Bond>),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the tenderer or its agent", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such section", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The deadline reaches beyond the years the platform can count (after 2200)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/bond-events")]
#[tracing::instrument(skip_all)]
pub async fn record_bond_event(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<RecordBondEvent>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let bonds = run(&state, move |p| p.bonds().record_bond_event(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(bonds))
}

/// A bond: its own bidder, the centre and supervisors.
#[utoipa::path(
    tag = "bonds",
    params(("id" = String, Path, description = "Bond id")),
    responses(
        (status = 200, description = "The bond", body = Bond),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such bond, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_bond(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let bond = run(&state, move |p| p.bonds().bond(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(bond))
}

/// The centre sends the refund instruction to the bank: a pending transfer (construction
/// refunds add demand-deposit interest). Sent twice, the second is refused.
#[utoipa::path(
    tag = "bonds",
    params(("id" = String, Path, description = "Bond id")),
    responses(
        (status = 200, description = "Refund pending", body = Bond),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not centre staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such bond", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not held (already pending, refunded or forfeited)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/refund-instructions")]
#[tracing::instrument(skip_all)]
pub async fn instruct_refund(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let bond = run(&state, move |p| p.bonds().instruct_refund(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(bond))
}

/// The bank's confirmation (the pending refund is posted) or failure (voided).
#[utoipa::path(
    tag = "bonds",
    params(("id" = String, Path, description = "Bond id")),
    request_body = ConfirmRefund,
    responses(
        (status = 200, description = "Refunded, or back to held after a failure", body = Bond),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not centre staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such bond", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No refund pending", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/refund-confirmations")]
#[tracing::instrument(skip_all)]
pub async fn confirm_refund(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<ConfirmRefund>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let bond = run(&state, move |p| p.bonds().confirm_refund(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(bond))
}

/// The tenderer forfeits a bond in a case construction.bond.forfeit lists.
#[utoipa::path(
    tag = "bonds",
    params(("id" = String, Path, description = "Bond id")),
    request_body = ForfeitBond,
    responses(
        (status = 200, description = "Forfeited", body = Bond),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the tenderer or its agent", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such bond", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not held", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/forfeiture")]
#[tracing::instrument(skip_all)]
pub async fn forfeit_bond(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<ForfeitBond>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let bond = run(&state, move |p| p.bonds().forfeit_bond(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(bond))
}

/// The calling bidder's own bid bonds in every section, newest deposit first: section,
/// project, amount, form, status, deposit, refund deadline and settlement. Only a bidder is
/// given this list, and only of its own bonds; any other query parameter is a 400.
#[utoipa::path(
    tag = "bonds",
    params(OwnBondQuery),
    responses(
        (status = 200, description = "One page of the bidder's bonds", body = OwnBondPage),
        (status = 400, description = "Unknown or malformed query parameter (named in errors[])", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a bidder", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid status, section id, cursor or limit", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_own_bonds(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<OwnBondQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = run(&state, move |p| p.bonds().own_bonds(caller.principal(), query.into_inner())).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Bonds past their refund deadline without a refund (the platform is liable: bond.central).
#[utoipa::path(
    tag = "bonds",
    responses(
        (status = 200, description = "Overdue bonds, oldest deadline first", body = Vec<Bond>),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/overdue")]
#[tracing::instrument(skip_all)]
pub async fn overdue_bonds(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let bonds = run(&state, move |p| p.bonds().overdue_bonds(caller.principal())).await?;
    Ok(HttpResponse::Ok().json(bonds))
}

/// Recompute every balance from the transfers and check the ledger's invariants.
#[utoipa::path(
    tag = "bonds",
    responses(
        (status = 200, description = "The verification", body = LedgerVerification),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/verification")]
#[tracing::instrument(skip_all)]
pub async fn verify_ledger(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let verification = run(&state, move |p| p.bonds().verify_ledger(caller.principal())).await?;
    Ok(HttpResponse::Ok().json(verification))
}

/// Match a bank statement (CSV `date,amount,payer_account,reference`, the reference being
/// the bond id) against the bonds that moved money (centre staff).
#[utoipa::path(
    tag = "bonds",
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, description = "Matched and unmatched, both sides", body = Reconciliation),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not centre staff", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not text/csv", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or wrong header", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/bank-statements")]
#[tracing::instrument(skip_all)]
pub async fn reconcile_statement(
    state: web::Data<AppState>,
    caller: Caller,
    CsvBody(body): CsvBody,
) -> Result<HttpResponse, ApiError> {
    let result = run(&state, move |p| p.bonds().reconcile_statement(caller.principal(), &body)).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// The bonds of a section, in deposit order: from its opening record on for the project's
/// tenderer and agents (who forfeit), the centre, its regulators and inspectors; before it
/// for the bond desk alone. A bidder lists its own with `GET /bonds`.
#[utoipa::path(
    tag = "bonds",
    params(("id" = String, Path, description = "Section id")),
    responses(
        (status = 200, description = "The section's bonds", body = Vec<Bond>),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such section, one the caller may not read, or before its opening a caller other than the bond desk", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/bonds")]
#[tracing::instrument(skip_all)]
pub async fn section_bonds(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let bonds = run(&state, move |p| p.bonds().section_bonds(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(bonds))
}

/// Whether a section's bonds are settled: every bond account at zero, every bond with one
/// outcome.
#[utoipa::path(
    tag = "bonds",
    params(("id" = String, Path, description = "Section id")),
    responses(
        (status = 200, description = "The closure check", body = BondClosure),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such section, or before its opening a caller other than the bond desk", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/bond-closure")]
#[tracing::instrument(skip_all)]
pub async fn bond_closure(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let result = run(&state, move |p| p.bonds().bond_closure(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(result))
}
