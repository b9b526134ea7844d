use actix_web::{get, post, put, web, HttpResponse};
use ggzy_service::bids::{Bid, OpenBids, OpeningRecord, OwnBidPage, OwnBidQuery, RevealCommitment, SubmitBid};
use ggzy_service::sealed_bids::{DecryptBid, DecryptionFailure, DecryptionWindow, RegisterSealingKey, SealingKey};

use super::run;
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// Submit a sealed bid for a section before the deadline (bidders). The bond must be held
/// and no restriction may bar the bidder. Nobody else can read anything of it, or learn
/// that it exists, before opening.
#[utoipa::path(
    tag = "bids",
    params(("id" = String, Path, description = "Section id")),
    request_body = SubmitBid,
    responses(
        (status = 201, description = "Sealed and taken; the receipt hash is the bidder's proof", body = Bid),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a bidder, or barred by a restriction or a missing credit commitment", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such section", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not announced, at or after the deadline, or already bid", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or no bond held, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/bids")]
#[tracing::instrument(skip_all)]
pub async fn submit_bid(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<SubmitBid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let bid = run(&state, move |p| p.tendering().submit_bid(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Created().json(bid))
}

/// The calling bidder's own bids in every section, newest submission first: section,
/// project, status and times, whether the bidder sealed each and whether it has been
/// decrypted — never the price or the content (read one bid with `GET /bids/{id}`). Only a
/// bidder is given this list, and only of its own bids; any other query parameter is a 400.
#[utoipa::path(
    tag = "bids",
    params(OwnBidQuery),
    responses(
        (status = 200, description = "One page of the bidder's bids", body = OwnBidPage),
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
pub async fn list_own_bids(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<OwnBidQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = run(&state, move |p| p.tendering().own_bids(caller.principal(), query.into_inner())).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// A bid: its bidder at any time; after opening also the tenderer's side and supervisors.
#[utoipa::path(
    tag = "bids",
    params(("id" = String, Path, description = "Bid id")),
    responses(
        (status = 200, description = "The bid", body = Bid),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such bid, or not visible (before opening: everyone but the bidder)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_bid(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let bid = run(&state, move |p| p.tendering().bid(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(bid))
}

/// The bidder replaces its bid before the deadline.
#[utoipa::path(
    tag = "bids",
    params(("id" = String, Path, description = "Bid id")),
    request_body = SubmitBid,
    responses(
        (status = 200, description = "Replaced", body = Bid),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a bidder", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such bid of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "At or after the deadline, or withdrawn", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn modify_bid(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<SubmitBid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let bid = run(&state, move |p| p.tendering().modify_bid(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(bid))
}

/// The bidder withdraws before the deadline; the bond's refund clock starts.
#[utoipa::path(
    tag = "bids",
    params(("id" = String, Path, description = "Bid id")),
    responses(
        (status = 200, description = "Withdrawn", body = Bid),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a bidder", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such bid of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "At or after the deadline, or already withdrawn", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/withdrawal")]
#[tracing::instrument(skip_all)]
pub async fn withdraw_bid(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let bid = run(&state, move |p| p.tendering().withdraw_bid(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(bid))
}

/// After the deadline, before opening: the bidder reveals the nonce of its price
/// commitment.
#[utoipa::path(
    tag = "bids",
    params(("id" = String, Path, description = "Bid id")),
    request_body = RevealCommitment,
    responses(
        (status = 200, description = "Revealed", body = Bid),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a bidder", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such bid of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Before the deadline, after opening, or no commitment", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/reveal")]
#[tracing::instrument(skip_all)]
pub async fn reveal_commitment(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<RevealCommitment>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let bid = run(&state, move |p| p.tendering().reveal_commitment(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(bid))
}

/// Open a section's bids (开标) at or after the opening time, by the tenderer or its
/// agent with centre staff as witness. Fewer bids than construction.min_bidders fail the
/// section (流标).
#[utoipa::path(
    tag = "bids",
    params(("id" = String, Path, description = "Section id")),
    request_body = OpenBids,
    responses(
        (status = 200, description = "The opening record", body = OpeningRecord),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the tenderer or its agent", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such section", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Before the opening time, or already opened", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The witness is not centre staff", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/opening")]
#[tracing::instrument(skip_all)]
pub async fn open_bids(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<OpenBids>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let record = run(&state, move |p| p.tendering().open_bids(caller.principal(), &id, body.into_inner())).await?;
    state.live.changed(&record.section_id);
    Ok(HttpResponse::Ok().json(record))
}

/// The opening record of a section. Public once the section is opened.
#[utoipa::path(
    tag = "public",
    params(("id" = String, Path, description = "Section id")),
    responses(
        (status = 200, description = "The record", body = OpeningRecord),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not opened", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/sections/{id}/opening-record")]
#[tracing::instrument(skip_all)]
pub async fn opening_record(
    state: web::Data<AppState>,
    _caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let record = run(&state, move |p| p.tendering().opening_record(&id)).await?;
    Ok(HttpResponse::Ok().json(record))
}

/// A live stream of a section's opening for those who follow it (server-sent events): the
/// project's tenderer and agents, the centre, its regulators and the section's own bidders
/// (others: 404). It starts with `retry:` and `event: progress` (an OpeningProgress: stage
/// awaiting, decrypting or opened, the opening time, the decryption window, and once the
/// opening has begun the count of bids, decrypted, revoked, withdrawn and pending), sends
/// `progress` again whenever it changes, and at the opening `event: end` with the opening
/// record (`id: end`; a project terminated before its opening: stage `cancelled` and `end`
/// with that progress), then closes; `Last-Event-ID: end` is answered 204. Nothing about the bids, not even their number, is sent before the
/// opening begins (招标投标法 §22). A reconnecting client gets where the opening stands.
#[utoipa::path(
    tag = "bids",
    params(
        ("id" = String, Path, description = "Section id"),
        ("Last-Event-ID" = Option<String>, Header, description = "`end` once the client received the end"),
    ),
    responses(
        (status = 200, description = "The stream: `retry`, then `progress` events and at last `end`", body = String, content_type = "text/event-stream"),
        (status = 204, description = "`Last-Event-ID: end`: the client already received the end (EventSource stops reconnecting)"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such section, or not one the caller follows", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable, or as many streams open as the server allows", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds to wait before reconnecting"))),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/opening/events")]
#[tracing::instrument(skip_all)]
pub async fn opening_events(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    request: actix_web::HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let principal = caller.0.clone().ok_or_else(|| ApiError::unauthenticated("需要登录后才能观看开标"))?;
    if crate::live::resumes_after_end(&request) {
        return Ok(crate::live::ended());
    }
    let permit = state.live.admit().ok_or_else(crate::live::full)?;
    let signals = state.live.subscribe();
    let (first, record) = {
        let principal = principal.clone();
        run(&state, move |p| {
            let progress = p.tendering().opening_progress(Some(&principal), &id)?;
            let record = match progress.stage {
                ggzy_service::bids::OpeningStage::Opened => Some(p.tendering().opening_record(&id)?),
                _ => None,
            };
            Ok((progress, record))
        })
        .await?
    };
    let stream = crate::live::openings::stream(state.clone(), principal, first, record, signals, permit);
    Ok(crate::live::respond(stream))
}

/// Register the public keys a bidder seals its bids with (`ggzy bid keygen` prints them):
/// an X25519 or SM2 encryption key and an Ed25519 or SM2 verifying key. The latest
/// registered is the one envelopes must be signed with (bidders, for themselves).
#[utoipa::path(
    tag = "bids",
    params(("id" = String, Path, description = "Participant id")),
    request_body = RegisterSealingKey,
    responses(
        (status = 201, description = "Registered", body = SealingKey),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the bidder itself", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown suite, or a key that is not a key of the suite", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/sealing-keys")]
#[tracing::instrument(skip_all)]
pub async fn register_sealing_key(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<RegisterSealingKey>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let key =
        run(&state, move |p| p.tendering().register_sealing_key(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Created().json(key))
}

/// A participant's registered sealing keys, latest first (public keys).
#[utoipa::path(
    tag = "bids",
    params(("id" = String, Path, description = "Participant id")),
    responses(
        (status = 200, description = "The keys, latest (the one in use) first", body = Vec<SealingKey>),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/sealing-keys")]
#[tracing::instrument(skip_all)]
pub async fn sealing_keys(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let keys = run(&state, move |p| p.tendering().sealing_keys(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(keys))
}

/// Open the decryption window of a section whose bidders sealed their bids, at or after the
/// opening time (the tender's staff); the bidders then decrypt their own bids online until
/// it closes (tendering.decryption_window).
#[utoipa::path(
    tag = "bids",
    params(("id" = String, Path, description = "Section id")),
    responses(
        (status = 200, description = "The window", body = DecryptionWindow),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the tender's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such section", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not bidder-sealed, before the opening time, or opened already", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/decryption-window")]
#[tracing::instrument(skip_all)]
pub async fn open_decryption_window(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let window = run(&state, move |p| p.tendering().open_decryption_window(caller.principal(), &id)).await?;
    state.live.changed(&window.section_id);
    Ok(HttpResponse::Ok().json(window))
}

/// The bids of an opened section with their content — prices, people, and the documents
/// each names, whose files `GET /bids/{id}/documents/{sha256}` serves: what the evaluation
/// committee reads. The project's tenderer, agents, the centre, its regulators and
/// inspectors, and the members of the section's committee; before the opening nobody (404).
#[utoipa::path(
    tag = "bids",
    params(("id" = String, Path, description = "Section id")),
    responses(
        (status = 200, description = "The bids that stand, with their content", body = Vec<Bid>),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such opened section the caller reads", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/bids")]
#[tracing::instrument(skip_all)]
pub async fn section_bids(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let bids = run(&state, move |p| p.tendering().section_bids(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(bids))
}

/// Decrypt one's own bid online during the window by revealing its content key (`ggzy bid
/// open-key` prints it): it must match the envelope's commitment and open the content,
/// which must be a valid bid (bidders). The sealed files the envelope carries open with the
/// same key and are stored as the bidder wrote them; the content's `documents` must be
/// exactly those files (each then readable at `GET /bids/{id}/documents/{sha256}`).
#[utoipa::path(
    tag = "bids",
    params(("id" = String, Path, description = "Bid id")),
    request_body = DecryptBid,
    responses(
        (status = 200, description = "Decrypted: the bid with its content", body = Bid),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such bid of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not an envelope, the window not open, or decided already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The key does not match the commitment or open the content or a sealed file, the content is not a valid bid or names other files than it carries, or the window has closed", body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "A sealed file of the bid is missing from the document store or failed its integrity check", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/decryption")]
#[tracing::instrument(skip_all)]
pub async fn decrypt_bid(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<DecryptBid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let request = body.into_inner();
    let principal = caller.principal().cloned();
    let plan = {
        let (principal, id, request) = (principal.clone(), id.clone(), request.clone());
        run(&state, move |p| p.tendering().plan_decryption(principal.as_ref(), &id, &request)).await?
    };
    // The bid's sealed files open (and are stored) before anything is recorded.
    let opened = super::documents::open_sealed_files(&state, &plan).await?;
    let bid = run(&state, move |p| p.tendering().decrypt_bid(principal.as_ref(), &id, request, &opened)).await?;
    state.live.changed(&bid.section_id);
    Ok(HttpResponse::Ok().json(bid))
}

/// Record that a bid could not be decrypted through the platform's fault (centre staff,
/// before the opening record): the bid is withdrawn (撤回) rather than revoked, and the
/// platform's liability is on the project's record.
#[utoipa::path(
    tag = "bids",
    params(("id" = String, Path, description = "Bid id")),
    request_body = DecryptionFailure,
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not centre staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such envelope bid in an open window", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Decided already, or the opening record exists", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/decryption-failure")]
#[tracing::instrument(skip_all)]
pub async fn record_decryption_failure(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<DecryptionFailure>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    run(&state, move |p| p.tendering().record_decryption_failure(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}
