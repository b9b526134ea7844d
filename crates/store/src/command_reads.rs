//! Reads and writes that one command makes together, each as one function: what a project
//! registration is decided on, the employers of named agents, a commission with its agents,
//! a change of agents, a listing's best quote with its count of bidders, a project with the
//! agencies commissioned on it.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::id_list::in_ids;
use crate::participants::ParticipantRow;
use crate::projects::{CommissionRow, ProjectRow};
use crate::schema::{departments, entrusted_agents, participants, persons};
use crate::{DbConnection, StoreError};

/// What a registration is decided on, read in its transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationReads {
    /// The participant named tenderer, when it exists.
    pub tenderer: Option<ParticipantRow>,
    /// Each active member of the centre's staff with how many projects it serves.
    pub staff_loads: Vec<(String, i64)>,
    /// The department named regulator, when it exists.
    pub regulator: Option<String>,
    /// The next number of the project code's sequence (drawn: the counter moves).
    pub sequence: i32,
}

/// The reads of a registration: the tenderer, the centre staff's loads (projects in the
/// `occupying` statuses), the regulator named, and the next number under `code_prefix`.
pub fn registration(
    conn: &mut DbConnection,
    tenderer_id: &str,
    occupying: &[&str],
    regulator_named: Option<&str>,
    code_prefix: &str,
) -> Result<RegistrationReads, StoreError> {
    let tenderer = crate::participants::find(conn, tenderer_id)?;
    let staff_loads = crate::staff::load_of_active(conn, "centre", occupying)?
        .into_iter()
        .map(|(member, load)| (member.id, load))
        .collect();
    let regulator = match regulator_named {
        Some(id) => departments::table
            .find(id)
            .select(departments::id)
            .first::<String>(conn)
            .optional()
            .map_err(StoreError::from)?,
        None => None,
    };
    let sequence = crate::projects::next_in_sequence(conn, code_prefix)?;
    Ok(RegistrationReads { tenderer, staff_loads, regulator, sequence })
}

/// The employer of each of these persons that exists (a person without one maps to `None`).
pub fn employers_of(
    conn: &mut DbConnection,
    person_ids: &[String],
) -> Result<BTreeMap<String, Option<String>>, StoreError> {
    let rows: Vec<(String, Option<String>)> = persons::table
        .filter(in_ids(persons::id, person_ids))
        .select((persons::id, persons::employer_id))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// These participants (those that exist), by id.
pub fn participants_by_id(
    conn: &mut DbConnection,
    ids: &[String],
) -> Result<HashMap<String, ParticipantRow>, StoreError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<ParticipantRow> =
        participants::table.filter(in_ids(participants::id, ids)).select(ParticipantRow::as_select()).load(conn)?;
    Ok(rows.into_iter().map(|row| (row.id.clone(), row)).collect())
}

/// Records a commission and names its agents, in the order given.
pub fn insert_commission_with_agents(
    conn: &mut DbConnection,
    commission: &CommissionRow,
    agents: &[String],
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    crate::projects::insert_commission(conn, commission)?;
    for agent in agents {
        crate::projects::add_agent(conn, &commission.id, agent, at)?;
    }
    Ok(())
}

/// Ends the acting of the `removed` agents of a commission, then names the `added` ones.
pub fn change_agents(
    conn: &mut DbConnection,
    commission_id: &str,
    removed: &[String],
    added: &[String],
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    for person in removed {
        crate::projects::remove_agent(conn, commission_id, person, at)?;
    }
    for person in added {
        crate::projects::add_agent(conn, commission_id, person, at)?;
    }
    Ok(())
}

/// A listing's best quote so far (the last accepted: its bidder and price) and how many
/// distinct bidders quoted in `phase`: what its end is decided on.
pub fn best_quote_and_bidders(
    conn: &mut DbConnection,
    listing_id: &str,
    phase: &str,
) -> Result<(Option<(String, i64)>, usize), StoreError> {
    let best = crate::listings::quotes(conn, listing_id)?.pop().map(|quote| (quote.bidder_id, quote.price));
    Ok((best, crate::listings::bidders_in_phase(conn, listing_id, phase)?))
}

/// A project with the agencies commissioned on it (in force), when it exists.
pub fn project_with_agencies(
    conn: &mut DbConnection,
    project_id: &str,
) -> Result<Option<(ProjectRow, Vec<String>)>, StoreError> {
    let Some(project) = crate::projects::find(conn, project_id)? else { return Ok(None) };
    let agencies = crate::projects::commissions_of(conn, project_id)?.into_iter().map(|c| c.agency_id).collect();
    Ok(Some((project, agencies)))
}

/// What a listing's view shows besides its own rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingViewReads {
    /// The category of the listing's project.
    pub category: String,
    /// The number of the bidder leading, when one leads.
    pub leading_number: Option<i32>,
    /// The winner, when the view names one.
    pub winner: Option<ParticipantRow>,
}

/// The reads of a listing's view: its project's category (`None` when the project is
/// missing), the number of `leader_id` and the participant `winner_id`.
pub fn listing_view(
    conn: &mut DbConnection,
    listing: &crate::listings::ListingRow,
    leader_id: Option<&str>,
    winner_id: Option<&str>,
) -> Result<Option<ListingViewReads>, StoreError> {
    let Some(project) = crate::projects::find(conn, &listing.project_id)? else { return Ok(None) };
    let leading_number = match leader_id {
        Some(leader) => crate::listings::number_of(conn, &listing.id, leader)?,
        None => None,
    };
    let winner = match winner_id {
        Some(id) => crate::participants::find(conn, id)?,
        None => None,
    };
    Ok(Some(ListingViewReads { category: project.category, leading_number, winner }))
}

/// What the progress of a section's opening is shown from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpeningProgressReads {
    pub project: ProjectRow,
    /// The agencies commissioned on the project (in force).
    pub agencies: Vec<String>,
    /// The stored status of the asking bidder's bid in the section, when it has one.
    pub bid_status: Option<String>,
    /// The opening time of the project's latest announcement.
    pub opening_at: Option<NaiveDateTime>,
    /// The section's decryption window, where its bidders seal.
    pub window: Option<crate::sealing::SealedSectionRow>,
    /// Whether the section has its opening record.
    pub opened: bool,
}

/// The reads of a section's opening progress, `bidder_id` being the bidder asking (if one
/// is); `None` when the section does not exist.
pub fn opening_progress(
    conn: &mut DbConnection,
    section_id: &str,
    bidder_id: Option<&str>,
) -> Result<Option<OpeningProgressReads>, StoreError> {
    let Some((_, project)) = crate::projects::section_and_project(conn, section_id)? else { return Ok(None) };
    let agencies = crate::projects::commissions_of(conn, &project.id)?.into_iter().map(|c| c.agency_id).collect();
    let bid_status = match bidder_id {
        Some(bidder) => crate::bids::of_bidder(conn, section_id, bidder)?.map(|bid| bid.status),
        None => None,
    };
    let opening_at = crate::announcements::of_project(conn, &project.id)?.pop().map(|a| a.opening_at);
    let window = crate::sealing::sealed_section(conn, section_id)?;
    let opened = crate::bids::opening(conn, section_id)?.is_some();
    Ok(Some(OpeningProgressReads { project, agencies, bid_status, opening_at, window, opened }))
}

/// What the people a bid names are checked against.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BidPeopleReads {
    /// The real-name agents of the agencies commissioned on the project.
    pub tenderer_agents: Vec<String>,
    /// The employer of each named person that is registered (`None`: one without employer).
    pub employers: BTreeMap<String, Option<String>>,
    /// Of the persons named in a field that takes entrusted people, those the bidder entrusted.
    pub entrusted: Vec<String>,
}

/// The people a bid names, as their reads ask of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BidPeopleAsked<'a> {
    /// Every person named.
    pub persons: Vec<&'a str>,
    /// The persons named in a field that takes entrusted people.
    pub entrusted: Vec<&'a str>,
}

/// The reads of the people a bid of `bidder_id` on `project_id` names: the project's agents,
/// then one read for the named persons' employers and one for the entrustments asked of
/// (each only when someone is named there).
pub fn bid_people(
    conn: &mut DbConnection,
    project_id: &str,
    bidder_id: &str,
    asked: &BidPeopleAsked<'_>,
) -> Result<BidPeopleReads, StoreError> {
    let tenderer_agents = crate::projects::agent_persons(conn, project_id)?;
    let employers = if asked.persons.is_empty() {
        BTreeMap::new()
    } else {
        let rows: Vec<(String, Option<String>)> = persons::table
            .filter(persons::id.eq_any(&asked.persons))
            .select((persons::id, persons::employer_id))
            .load(conn)?;
        rows.into_iter().collect()
    };
    let entrusted = if asked.entrusted.is_empty() {
        Vec::new()
    } else {
        entrusted_agents::table
            .filter(entrusted_agents::bidder_id.eq(bidder_id))
            .filter(entrusted_agents::person_id.eq_any(&asked.entrusted))
            .select(entrusted_agents::person_id)
            .load(conn)?
    };
    Ok(BidPeopleReads { tenderer_agents, employers, entrusted })
}
