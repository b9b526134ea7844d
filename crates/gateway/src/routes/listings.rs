//! Listings and auctions of land use rights, mining rights and state-owned property.

use actix_web::http::header;
use actix_web::{get, post, web, HttpResponse};
use ggzy_service::listings::{CreateListing, Listing, ListingPage, PlaceQuote, Quote, RecordRefusal};

use super::{run, PageQuery};
use crate::auth::Caller;
use crate::problem::{ApiError, Problem};
use crate::AppState;

/// Announce a listing (挂牌) of one section of a land, mining-right or state-property
/// project: the announcement goes out at once, the deposit becomes the section's bond. The
/// listing may start only after the category's announcement period (land.announcement,
/// mining.announcement, property.disclosure) and, for land and mining rights, run at least
/// land.listing_period. State-owned property below 90% of its appraisal needs an approval
/// (property.relisting_floor). The seller (tenderer role) or its commissioned agent.
#[utoipa::path(
    tag = "listings",
    params(("id" = String, Path, description = "Project id")),
    request_body = CreateListing,
    responses(
        (status = 201, description = "Announced", body = Listing, headers(("Location" = String, description = "URL of the listing"))),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the project's seller or agent", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such project, or not visible", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a listing category, the project is not open for it, or suspended", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields and periods, all named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/listings")]
#[tracing::instrument(skip_all)]
pub async fn create_listing(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<CreateListing>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let listing = run(&state, move |p| p.listings().create_listing(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/public/listings/{}", listing.id)))
        .json(listing))
}

/// Listings in announcement order. Public: the reserve price appears only after the end.
#[utoipa::path(
    tag = "public",
    params(PageQuery),
    responses(
        (status = 200, description = "One page", body = ListingPage),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid cursor or limit", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/listings")]
#[tracing::instrument(skip_all)]
pub async fn list_listings(
    state: web::Data<AppState>,
    _caller: Caller,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let PageQuery { after, limit } = query.into_inner();
    let page = run(&state, move |p| p.listings().listings(after, limit)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One listing: phase by the clock, current price, the least next quote, the auction's end,
/// and after the end the result (成交结果) with the winner. Public.
#[utoipa::path(
    tag = "public",
    params(("id" = String, Path, description = "Listing id")),
    responses(
        (status = 200, description = "The listing", body = Listing),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such listing", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/listings/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_listing(
    state: web::Data<AppState>,
    _caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let listing = run(&state, move |p| p.listings().listing(&id)).await?;
    Ok(HttpResponse::Ok().json(listing))
}

/// Every accepted quote in the order the database accepted it, with anonymous bidder
/// numbers (竞买号牌). Public.
#[utoipa::path(
    tag = "public",
    params(("id" = String, Path, description = "Listing id")),
    responses(
        (status = 200, description = "The quotes", body = Vec<Quote>),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such listing", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = []))
)]
#[get("/listings/{id}/quotes")]
#[tracing::instrument(skip_all)]
pub async fn list_quotes(
    state: web::Data<AppState>,
    _caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let quotes = run(&state, move |p| p.listings().listing_quotes(&id)).await?;
    Ok(HttpResponse::Ok().json(quotes))
}

/// A live stream of one listing for bidding screens (public, no identities; server-sent
/// events). It starts with `retry:`, then sends each accepted quote as `event: quote`
/// (`id:` its sequence, `data:` a Quote) in the order the database accepted them, and the
/// listing as it stands as `event: listing` (no `id:`; data a Listing: phase, current
/// price, leader's number, least next quote, the auction's end as late quotes move it)
/// after every change and whenever one of its times passes. A client that reconnects with
/// `Last-Event-ID` (browsers' EventSource does) gets every quote after that one, so it
/// misses none; without it, every quote from the first. When the listing is concluded the
/// stream sends `event: end` (`id: end`, data the Listing) and closes; a client coming back
/// with `Last-Event-ID: end` is answered 204, which stops EventSource reconnecting. A comment line keeps an idle
/// connection open every 15 seconds.
#[utoipa::path(
    tag = "public",
    params(
        ("id" = String, Path, description = "Listing id"),
        ("Last-Event-ID" = Option<String>, Header, description = "The `id:` of the last event the client received: a quote's sequence, or `end`"),
    ),
    responses(
        (status = 200, description = "The stream: `retry`, then `quote`, `listing` and at last `end` events", body = String, content_type = "text/event-stream"),
        (status = 204, description = "`Last-Event-ID: end`: the client already received the end (EventSource stops reconnecting)"),
        (status = 401, description = "A token was presented and is invalid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such listing", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`Last-Event-ID` is neither a quote sequence nor `end`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable, or as many streams open as the server allows", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds to wait before reconnecting"))),
    ),
    security((), ("bearer" = []))
)]
#[get("/listings/{id}/events")]
#[tracing::instrument(skip_all)]
pub async fn listing_events(
    state: web::Data<AppState>,
    _caller: Caller,
    id: web::Path<String>,
    request: actix_web::HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    if crate::live::resumes_after_end(&request) {
        return Ok(crate::live::ended());
    }
    let after = last_event_id(&request)?;
    let permit = state.live.admit().ok_or_else(crate::live::full)?;
    // Heard from before the first read, so that no later write goes unheard; read before
    // answering 200, so that an unknown listing is a 404.
    let signals = state.live.subscribe();
    let first = {
        let id = id.clone();
        run(&state, move |p| p.listings().listing_changes(&id, after)).await?
    };
    let stream = crate::live::listings::stream(state.clone(), id, after, first, signals, permit);
    Ok(crate::live::respond(stream))
}

/// `Last-Event-ID`: the sequence of the client's last quote, 0 when absent.
fn last_event_id(request: &actix_web::HttpRequest) -> Result<i32, ApiError> {
    let Some(value) = request.headers().get("Last-Event-ID") else { return Ok(0) };
    value.to_str().ok().and_then(|text| text.trim().parse::<i32>().ok()).filter(|n| *n >= 0).ok_or_else(|| {
        ApiError::new(crate::problem::ProblemType::ValidationFailed, "Last-Event-ID 不是报价序号").with_errors(vec![
            ggzy_kernel::FieldError::new(
                "Last-Event-ID",
                "invalid_event_id",
                "Last-Event-ID 应为非负整数（上次收到的报价序号）",
            ),
        ])
    })
}

/// A qualified bidder (deposit held, not barred by a credit restriction) quotes: the first
/// quote at least the starting price, each later one at least the current price plus the
/// increment, on the increment grid. In an auction a quote in its last minutes moves the
/// end to that many minutes after the quote.
#[utoipa::path(
    tag = "listings",
    params(("id" = String, Path, description = "Listing id")),
    request_body = PlaceQuote,
    responses(
        (status = 201, description = "Accepted", body = Quote),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a bidder, no deposit held, or barred by a restriction", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such listing", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not started, or ended", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Price missing, below the minimum or off the increment grid", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/quotes")]
#[tracing::instrument(skip_all)]
pub async fn place_quote(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<PlaceQuote>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let listing_id = id.clone();
    let quote = run(&state, move |p| p.listings().place_quote(caller.principal(), &id, body.into_inner())).await?;
    state.live.changed(&listing_id);
    Ok(HttpResponse::Created().json(quote))
}

/// The centre closes a listing whose time is up: two or more bidders who quoted send it to
/// an auction; otherwise the highest quote wins if it reaches the reserve, or it fails.
/// When it ends, losers' deposits (all of them on failure) go on their refund clock
/// (land.deposit.refund) and their refunds are instructed.
#[utoipa::path(
    tag = "listings",
    params(("id" = String, Path, description = "Listing id")),
    responses(
        (status = 200, description = "The listing after closing", body = Listing),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not centre staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such listing", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not yet over, or already ended", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/close")]
#[tracing::instrument(skip_all)]
pub async fn close_listing(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let listing_id = id.clone();
    let listing = run(&state, move |p| p.listings().close_listing(caller.principal(), &id)).await?;
    state.live.changed(&listing_id);
    Ok(HttpResponse::Ok().json(listing))
}

/// The winner signs the transaction confirmation (成交确认书): its deposit is applied to
/// the price, a ledger transfer to the seller's payable account.
#[utoipa::path(
    tag = "listings",
    params(("id" = String, Path, description = "Listing id")),
    responses(
        (status = 200, description = "Confirmed", body = Listing),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the winner", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such listing", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not sold, or already confirmed or refused", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/confirmation")]
#[tracing::instrument(skip_all)]
pub async fn confirm_listing(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let listing = run(&state, move |p| p.listings().confirm_listing(caller.principal(), &id)).await?;
    Ok(HttpResponse::Ok().json(listing))
}

/// The centre records that the winner refused to sign the confirmation: its deposit is
/// forfeited to the seller.
#[utoipa::path(
    tag = "listings",
    params(("id" = String, Path, description = "Listing id")),
    request_body = RecordRefusal,
    responses(
        (status = 200, description = "Refusal recorded, deposit forfeited", body = Listing),
        (status = 400, description = "Body is not JSON of the documented shape", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No token or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not centre staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such listing", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not sold, or already confirmed or refused", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Reason missing", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Database unavailable", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/refusal")]
#[tracing::instrument(skip_all)]
pub async fn record_refusal(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<RecordRefusal>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let listing =
        run(&state, move |p| p.listings().record_listing_refusal(caller.principal(), &id, body.into_inner())).await?;
    Ok(HttpResponse::Ok().json(listing))
}
