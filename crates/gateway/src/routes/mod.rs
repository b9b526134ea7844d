//! Routes: each handler extracts, calls one service function and maps the result.
//!
//! A handler's attribute gives its path within the scope of the path's first segment
//! (`#[post("/{id}/bids")]` in the `/sections` scope is `POST /api/v1/sections/{id}/bids`);
//! [`api_v1`] registers each handler in its scope. actix matches a request against the
//! patterns of a scope in turn, each pattern with a parameter a regular expression: in one
//! list of 189 routes a bid was tried against every route registered before it, about a
//! third of the HTTP side's CPU. In scopes it is tried against its segment's routes only.

pub mod archive;
pub mod audit;
pub mod auth;
pub mod bids;
pub mod calendar;
pub mod complaints;
pub mod credit;
pub mod departments;
pub mod documents;
pub mod evaluation;
pub mod events;
pub mod listings;
pub mod objections;
pub mod ocds;
pub mod officials;
pub mod ops;
pub mod participants;
pub mod persons;
pub mod proceedings;
pub mod projects;
pub mod reports;
pub mod risk;
pub mod rules;
pub mod search;
pub mod service_accounts;
pub mod service_quality;
pub mod staff;
pub mod statistics;
pub mod tendering;
pub mod violations;
pub mod webhooks;

use actix_web::web;
use ggzy_service::{Platform, ServiceError};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::problem::{ApiError, ProblemType};
use crate::AppState;

/// Everything under /api/v1, one scope per first segment. Within a scope, a fixed path comes
/// before a pattern that would take it for a parameter.
pub fn api_v1(cfg: &mut ServiceConfig<'_>) {
    // Scopes are tried in this order, by their prefixes: sections first, where the bids of a
    // deadline arrive all at once.
    cfg.service(utoipa_actix_web::scope("/sections").configure(|cfg| {
        // A section's resources are tried in this order, each with its own pattern: the bid,
        // which every bidder posts in the last minutes before a deadline, first.
        cfg.service(bids::submit_bid)
            .service(risk::reject_bid)
            .service(tendering::deposit_bond)
            .service(bids::opening_events)
            .service(tendering::record_bond_event)
            .service(tendering::bond_closure)
            .service(tendering::section_bonds)
            .service(bids::open_bids)
            .service(bids::open_decryption_window)
            .service(bids::section_bids)
            .service(evaluation::draw_experts)
            .service(evaluation::submit_scores)
            .service(evaluation::evaluation_report)
            .service(evaluation::award)
            .service(evaluation::sign_contract);
    }))
    .service(utoipa_actix_web::scope("/auth").configure(|cfg| {
        cfg.service(auth::issue_token);
    }))
    .service(utoipa_actix_web::scope("/departments").configure(|cfg| {
        cfg.service(departments::list_departments).service(staff::add_staff).service(staff::list_staff);
    }))
    .service(utoipa_actix_web::scope("/participants").configure(|cfg| {
        cfg.service(participants::register_participant)
            .service(participants::list_participants)
            .service(participants::get_participant)
            .service(participants::update_participant)
            .service(credit::sign_commitment)
            .service(credit::list_commitments)
            .service(credit::participant_records)
            .service(credit::credit_reads)
            .service(credit::credit_score)
            .service(credit::credit_report)
            .service(risk::record_control)
            .service(risk::entrust_agent)
            .service(risk::entrusted_agents)
            .service(bids::register_sealing_key)
            .service(bids::sealing_keys);
    }))
    .service(utoipa_actix_web::scope("/persons").configure(|cfg| {
        cfg.service(persons::register_person)
            .service(persons::list_persons)
            .service(persons::get_person)
            .service(officials::declare_person_relation)
            .service(officials::person_relations);
    }))
    .service(utoipa_actix_web::scope("/service-accounts").configure(|cfg| {
        cfg.service(service_accounts::create_service_account).service(service_accounts::list_service_accounts);
    }))
    .service(utoipa_actix_web::scope("/audit").configure(|cfg| {
        cfg.service(audit::verify_audit);
    }))
    .service(utoipa_actix_web::scope("/projects").configure(|cfg| {
        cfg.service(archive::project_archive_zip)
            .service(archive::project_archive)
            .service(archive::archive_reads)
            .service(documents::project_documents)
            .service(projects::register_project)
            .service(projects::list_projects)
            .service(projects::get_project)
            .service(projects::assign_regulator)
            .service(projects::commission_agency)
            .service(projects::replace_agents)
            .service(projects::report_direct_award)
            .service(objections::raise_objection)
            .service(objections::list_objections)
            .service(officials::name_official)
            .service(officials::project_officials)
            .service(officials::withdraw_official)
            .service(complaints::file_complaint)
            .service(proceedings::ask_question)
            .service(proceedings::list_questions)
            .service(proceedings::suspend_project)
            .service(proceedings::resume_project)
            .service(proceedings::terminate_project)
            .service(tendering::publish_announcement)
            .service(listings::create_listing);
    }))
    .service(utoipa_actix_web::scope("/documents").configure(|cfg| {
        cfg.service(documents::upload_document).service(documents::download_document).service(documents::get_document);
    }))
    .service(utoipa_actix_web::scope("/uploads").configure(|cfg| {
        cfg.service(documents::begin_upload).service(documents::get_upload).service(documents::continue_upload);
    }))
    .service(utoipa_actix_web::scope("/announcements").configure(|cfg| {
        cfg.service(documents::download_issued_document)
            .service(documents::announcement_downloads)
            .service(tendering::publish_correction);
    }))
    .service(utoipa_actix_web::scope("/bids").configure(|cfg| {
        cfg.service(documents::download_bid_document)
            .service(bids::list_own_bids)
            .service(bids::get_bid)
            .service(bids::modify_bid)
            .service(bids::withdraw_bid)
            .service(bids::reveal_commitment)
            .service(bids::decrypt_bid)
            .service(bids::record_decryption_failure);
    }))
    .service(utoipa_actix_web::scope("/calendar").configure(|cfg| {
        cfg.service(calendar::list_calendar_years)
            .service(calendar::get_calendar_year)
            .service(calendar::load_calendar_year);
    }))
    .service(utoipa_actix_web::scope("/rules").configure(|cfg| {
        cfg.service(rules::list_rules).service(rules::entry_decision).service(rules::deadline);
    }))
    .service(utoipa_actix_web::scope("/rule-sets").configure(|cfg| {
        cfg.service(rules::list_rule_sets).service(rules::get_rule_set).service(rules::publish_rule_set);
    }))
    .service(utoipa_actix_web::scope("/public").configure(|cfg| {
        cfg.service(projects::list_direct_awards)
            .service(credit::public_records)
            .service(credit::public_restrictions)
            .service(service_quality::service_items)
            .service(service_quality::service_quality)
            .service(statistics::statistics_csv)
            .service(statistics::statistics)
            .service(proceedings::public_answers)
            .service(tendering::list_announcements)
            .service(search::search)
            .service(tendering::get_announcement)
            .service(listings::list_listings)
            .service(listings::get_listing)
            .service(listings::list_quotes)
            .service(listings::listing_events)
            .service(tendering::opening_schedule)
            .service(bids::opening_record)
            .service(evaluation::section_result);
    }))
    .service(utoipa_actix_web::scope("/credit").configure(|cfg| {
        cfg.service(credit::commitment_text)
            .service(credit::write_record)
            .service(credit::report_conduct)
            .service(credit::decide_conduct)
            .service(credit::impose_restriction)
            .service(credit::credit_policy)
            .service(credit::apply_repair)
            .service(credit::list_repair_applications)
            .service(credit::decide_repair)
            .service(credit::import_court_list)
            .service(credit::publish_policy)
            .service(credit::list_conduct_reports);
    }))
    .service(utoipa_actix_web::scope("/objections").configure(|cfg| {
        cfg.service(objections::answer_objection).service(objections::objection_queue);
    }))
    .service(utoipa_actix_web::scope("/bookings").configure(|cfg| {
        cfg.service(proceedings::bookings_across_rooms).service(proceedings::cancel_booking);
    }))
    .service(utoipa_actix_web::scope("/expert-draws").configure(|cfg| {
        cfg.service(evaluation::list_draws)
            .service(evaluation::get_draw)
            .service(evaluation::replay_draw)
            .service(evaluation::recuse_expert);
    }))
    .service(utoipa_actix_web::scope("/questions").configure(|cfg| {
        cfg.service(objections::question_queue).service(proceedings::answer_question);
    }))
    .service(utoipa_actix_web::scope("/oversight").configure(|cfg| {
        cfg.service(objections::unanswered_objections)
            .service(objections::running_deadlines)
            .service(violations::conduct_codes);
    }))
    .service(utoipa_actix_web::scope("/reports").configure(|cfg| {
        cfg.service(reports::file_report)
            // The list before the one with a parameter.
            .service(reports::list_reports)
            .service(reports::report_status)
            .service(reports::handle_report);
    }))
    .service(utoipa_actix_web::scope("/violations").configure(|cfg| {
        cfg.service(violations::record_violation)
            .service(violations::list_violations)
            .service(violations::get_violation)
            .service(violations::open_investigation)
            .service(violations::add_investigation_step)
            .service(violations::decide_violation);
    }))
    .service(utoipa_actix_web::scope("/events").configure(|cfg| {
        cfg.service(events::list_events);
    }))
    .service(utoipa_actix_web::scope("/ocds").configure(|cfg| {
        cfg.service(ocds::list_releases).service(ocds::process_releases).service(ocds::process_record);
    }))
    .service(utoipa_actix_web::scope("/service-items").configure(|cfg| {
        cfg.service(service_quality::publish_service_item);
    }))
    .service(utoipa_actix_web::scope("/service-ratings").configure(|cfg| {
        cfg.service(service_quality::rate_service);
    }))
    .service(utoipa_actix_web::scope("/risk").configure(|cfg| {
        cfg.service(risk::list_alerts).service(risk::get_alert).service(risk::handle_alert).service(risk::scan);
    }))
    .service(utoipa_actix_web::scope("/complaints").configure(|cfg| {
        cfg.service(complaints::list_complaints)
            .service(complaints::get_complaint)
            .service(complaints::accept_complaint)
            .service(complaints::pause_complaint)
            .service(complaints::resume_complaint)
            .service(complaints::decide_complaint);
    }))
    .service(utoipa_actix_web::scope("/webhooks").configure(|cfg| {
        cfg.service(webhooks::subscribe).service(webhooks::list_subscriptions).service(webhooks::rotate_secret);
    }))
    .service(utoipa_actix_web::scope("/venues").configure(|cfg| {
        cfg.service(proceedings::create_venue)
            .service(proceedings::list_venues)
            .service(proceedings::book_venue)
            .service(proceedings::list_bookings);
    }))
    .service(utoipa_actix_web::scope("/notifications").configure(|cfg| {
        cfg.service(proceedings::list_notifications)
            .service(proceedings::unread_notifications)
            .service(proceedings::mark_all_notifications_read)
            .service(proceedings::mark_notification_read);
    }))
    .service(utoipa_actix_web::scope("/listings").configure(|cfg| {
        cfg.service(listings::place_quote)
            .service(listings::close_listing)
            .service(listings::confirm_listing)
            .service(listings::record_refusal);
    }))
    .service(utoipa_actix_web::scope("/bonds").configure(|cfg| {
        // The fixed path before the one with a parameter, so "overdue" is not taken for an id.
        cfg.service(tendering::overdue_bonds)
            .service(tendering::list_own_bonds)
            .service(tendering::get_bond)
            .service(tendering::instruct_refund)
            .service(tendering::confirm_refund)
            .service(tendering::forfeit_bond);
    }))
    .service(utoipa_actix_web::scope("/ledger").configure(|cfg| {
        cfg.service(tendering::verify_ledger).service(tendering::reconcile_statement);
    }))
    .service(utoipa_actix_web::scope("/experts").configure(|cfg| {
        cfg.service(evaluation::register_expert)
            .service(evaluation::list_experts)
            .service(evaluation::own_committees)
            .service(evaluation::declare_relation)
            .service(evaluation::restrict_expert);
    }));
}

/// Operations endpoints at the root.
pub fn operations(cfg: &mut ServiceConfig<'_>) {
    cfg.service(ops::healthz).service(ops::readyz).service(ops::metrics);
}

/// Keyset paging: `after` is the `next_cursor` of the previous page.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Cursor from the previous page's `next_cursor`.
    #[param(format = Uuid)]
    pub after: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// Runs a use case on a service thread (diesel is synchronous), inside the request's span.
pub async fn run<T, F>(state: &web::Data<AppState>, use_case: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Platform) -> Result<T, ServiceError> + Send + 'static,
{
    let span = tracing::Span::current();
    let on_thread = state.clone();
    state
        .service_threads
        .run(move || span.in_scope(|| use_case(&on_thread.platform)))
        .await
        .map_err(|_| ApiError::new(ProblemType::InternalError, "服务内部错误，请稍后重试或联系平台运维"))?
        .map_err(ApiError::from)
}
