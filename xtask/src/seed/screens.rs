//! Every role's screens walked on the seeded district, through the running binary: each
//! list read to its end, page by page, and held to what the seed made — what the role must
//! see, and what it must not (another bidder's bids and bonds, a section's bonds before a
//! bidder's eyes, another tenderer's or regulator's projects, another expert's committees).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{ensure, Context};
use ggzy_service::Role;
use serde_json::Value;

use super::Platform;

/// What the seed made that the screens must show.
pub struct World {
    pub bidders: Vec<String>,
    pub tenderers: Vec<String>,
    pub experts: Vec<String>,
    /// Each tendered section and the bidders (by index) that bid in it.
    pub tenders: Vec<(String, Vec<usize>)>,
    /// Each listed section and the bidders that hold a deposit in it.
    pub listings: Vec<(String, Vec<usize>)>,
    /// The tender that failed: its section, its bidders, and those whose bids stood.
    pub failing: Option<(String, Vec<usize>, Vec<usize>)>,
    /// Each drawn section and its committee.
    pub committees: Vec<(String, Vec<String>)>,
    /// How many projects were registered.
    pub projects: usize,
}

/// Every item of a list, page by page (`limit` 7, so that every list here spans pages).
fn items(p: &Platform, path: &str, token: &str) -> anyhow::Result<Vec<Value>> {
    let mut all = Vec::new();
    let mut after = String::new();
    let join = if path.contains('?') { '&' } else { '?' };
    for _ in 0..1000 {
        let (status, page) = p.get_as(&format!("{path}{join}limit=7{after}"), token)?;
        ensure!(status == 200, "GET {path}: {status} {page}");
        all.extend(
            page["items"].as_array().with_context(|| format!("GET {path}: no items in {page}"))?.iter().cloned(),
        );
        match page["next_cursor"].as_str() {
            Some(cursor) => after = format!("&after={cursor}"),
            None => return Ok(all),
        }
    }
    anyhow::bail!("GET {path}: more than 1,000 pages")
}

fn field(items: &[Value], name: &str) -> BTreeSet<String> {
    items.iter().filter_map(|i| i[name].as_str().map(str::to_owned)).collect()
}

fn set<'a>(items: impl IntoIterator<Item = &'a String>) -> BTreeSet<String> {
    items.into_iter().cloned().collect()
}

/// Walks every role's screens; answers a one-line summary, or the first screen that shows
/// too much or too little.
pub fn walk(p: &Platform, world: &World) -> anyhow::Result<String> {
    let mut checked = 0_usize;
    // The centre's desk: every project, the pool, every draw, the day's openings.
    let centre = p.token(Role::CentreStaff, Some("centre"))?;
    let projects = items(p, "/api/v1/projects", &centre)?;
    ensure!(projects.len() == world.projects, "centre: {} projects of {}", projects.len(), world.projects);
    let ids: Vec<&str> = projects.iter().filter_map(|p| p["id"].as_str()).collect();
    ensure!(ids.windows(2).all(|w| w[0] < w[1]), "centre: the project list is not in id order, each once");
    let section_phase: BTreeMap<String, String> = projects
        .iter()
        .flat_map(|p| p["sections"].as_array().cloned().unwrap_or_default())
        .filter_map(|s| Some((s["id"].as_str()?.to_owned(), s["phase"].as_str()?.to_owned())))
        .collect();
    let pool = items(p, "/api/v1/experts", &centre)?;
    ensure!(field(&pool, "id") == set(&world.experts), "centre: the expert pool is not the seeded experts");
    let draws = items(p, "/api/v1/expert-draws", &centre)?;
    let drawn: BTreeSet<String> = world.committees.iter().map(|(s, _)| s.clone()).collect();
    ensure!(field(&draws, "section_id") == drawn, "centre: the draws are not those of the tenders");
    let day = items(p, "/api/v1/public/openings?from=2026-09-22&to=2026-09-22", &centre)?;
    let opened: BTreeSet<String> =
        world.tenders.iter().map(|(s, _)| s.clone()).chain(world.failing.iter().map(|f| f.0.clone())).collect();
    ensure!(opened.is_subset(&field(&day, "section_id")), "centre: the day's openings miss a tender");
    checked += 4;
    // The phases the procedures reached, as every screen shows them.
    for (section, _) in &world.tenders {
        let phase = section_phase.get(section).map(String::as_str);
        ensure!(
            matches!(phase, Some("contracted" | "candidates_published" | "awarded")),
            "section {section}: phase {phase:?} after evaluation"
        );
    }
    if let Some((section, _, _)) = &world.failing {
        ensure!(section_phase.get(section).map(String::as_str) == Some("failed"), "the failing tender is not failed");
    }

    // Tenderers and industry regulators: exactly the projects that are theirs.
    let projects_where = |key: &str, value: &str| -> BTreeSet<String> {
        projects.iter().filter(|p| p[key] == value).filter_map(|p| p["id"].as_str().map(str::to_owned)).collect()
    };
    for tenderer in &world.tenderers {
        let token = p.token(Role::Tenderer, Some(tenderer))?;
        let own = field(&items(p, "/api/v1/projects", &token)?, "id");
        let expected = projects_where("tenderer_id", tenderer);
        ensure!(own == expected, "tenderer {tenderer}: {} projects listed, {} its own", own.len(), expected.len());
        checked += 1;
    }
    let regulators: BTreeSet<String> = field(&projects, "regulator_id");
    for regulator in &regulators {
        let token = p.token(Role::IndustryRegulator, Some(regulator))?;
        let supervised = field(&items(p, "/api/v1/projects", &token)?, "id");
        let expected = projects_where("regulator_id", regulator);
        ensure!(supervised == expected, "regulator {regulator}: not exactly the projects it supervises");
        let inbox = p.get_as("/api/v1/reports", &token)?;
        ensure!(inbox.0 == 200 && inbox.1["items"].is_array(), "regulator {regulator}: reports inbox {inbox:?}");
        checked += 2;
    }

    // Bidders: their own bids and bonds, every opening they stood in; never another's.
    for (n, bidder) in world.bidders.iter().enumerate() {
        let token = p.token(Role::Bidder, Some(bidder))?;
        let bid_in: BTreeSet<String> = world
            .tenders
            .iter()
            .filter(|(_, who)| who.contains(&n))
            .map(|(s, _)| s.clone())
            .chain(world.failing.iter().filter(|(_, all, _)| all.contains(&n)).map(|f| f.0.clone()))
            .collect();
        let bids = items(p, "/api/v1/bids", &token)?;
        ensure!(field(&bids, "section_id") == bid_in, "bidder {n}: its bids are not the sections it bid in");
        ensure!(bids.len() == bid_in.len(), "bidder {n}: {} bids in {} sections", bids.len(), bid_in.len());
        let bonded: BTreeSet<String> = bid_in
            .iter()
            .cloned()
            .chain(world.listings.iter().filter(|(_, who)| who.contains(&n)).map(|(s, _)| s.clone()))
            .collect();
        let bonds = items(p, "/api/v1/bonds", &token)?;
        ensure!(field(&bonds, "section_id") == bonded, "bidder {n}: its bonds are not the sections it bonded");
        let stood: BTreeSet<String> = world
            .tenders
            .iter()
            .filter(|(_, who)| who.contains(&n))
            .map(|(s, _)| s.clone())
            .chain(world.failing.iter().filter(|(_, _, standing)| standing.contains(&n)).map(|f| f.0.clone()))
            .collect();
        let heard: BTreeSet<String> = items(p, "/api/v1/notifications", &token)?
            .iter()
            .filter(|notice| notice["kind"] == "opening.held")
            .filter_map(|notice| notice["payload"]["section_id"].as_str().map(str::to_owned))
            .collect();
        ensure!(heard == stood, "bidder {n}: told of openings {heard:?}, stood in {stood:?}");
        // Not the tender side's screens: a section's bonds, the project list.
        if let Some((other, _)) = world.tenders.iter().find(|(_, who)| !who.contains(&n)) {
            let (status, _) = p.get_as(&format!("/api/v1/sections/{other}/bonds"), &token)?;
            ensure!(status == 404, "bidder {n}: another section's bonds answered {status}");
        }
        // Its projects: exactly those of the sections it bonded or bid in, without the
        // tenderer's registration contact; another's project is not found.
        let mine = items(p, "/api/v1/projects", &token)?;
        let expected: BTreeSet<String> = projects
            .iter()
            .filter(|project| {
                project["sections"].as_array().is_some_and(|sections| {
                    sections.iter().any(|s| s["id"].as_str().is_some_and(|id| bonded.contains(id)))
                })
            })
            .filter_map(|project| project["id"].as_str().map(str::to_owned))
            .collect();
        ensure!(field(&mine, "id") == expected, "bidder {n}: its project list is not the projects it takes part in");
        ensure!(
            mine.iter().all(|project| project["registration_form"].is_null()),
            "bidder {n}: a registration contact in its project list"
        );
        if let Some(other) = projects.iter().filter_map(|p| p["id"].as_str()).find(|id| !expected.contains(*id)) {
            let (status, _) = p.get_as(&format!("/api/v1/projects/{other}"), &token)?;
            ensure!(status == 404, "bidder {n}: a project it takes no part in answered {status}");
        }
        checked += 7;
    }

    // Experts: the committees each sits on, no other.
    for expert in &world.experts {
        let token = p.token(Role::Expert, Some(expert))?;
        let sits: BTreeSet<String> =
            world.committees.iter().filter(|(_, members)| members.contains(expert)).map(|(s, _)| s.clone()).collect();
        let listed = field(&items(p, "/api/v1/experts/me/committees", &token)?, "section_id");
        ensure!(listed == sits, "expert {expert}: listed committees {listed:?}, sits on {sits:?}");
        checked += 1;
    }

    // The public: the credit list names its participants; a participant found by a part of
    // its name.
    let (status, records) = p.get("/api/v1/public/credit-records")?;
    ensure!(status == 200, "public credit records: {status}");
    // The page names every participant its items are about (name and credit code).
    let about = field(records["items"].as_array().map(Vec::as_slice).unwrap_or_default(), "participant_id");
    let named: BTreeSet<String> = records["participants"]
        .as_array()
        .map(|ps| {
            ps.iter().filter(|p| p["name"].is_string()).filter_map(|p| p["id"].as_str().map(str::to_owned)).collect()
        })
        .unwrap_or_default();
    ensure!(
        !about.is_empty() && about.is_subset(&named),
        "public credit records without participants' names: {records}"
    );
    let (_, first) = p.get_as(&format!("/api/v1/participants/{}", world.bidders[0]), &centre)?;
    let name = first["name"].as_str().context("a bidder's name")?;
    let part: String = name.chars().skip(2).take(4).collect();
    let encoded: String = part.bytes().map(|b| format!("%{b:02X}")).collect();
    let (status, found) = p.get(&format!("/api/v1/public/search?kind=participant&limit=200&q={encoded}"))?;
    ensure!(
        status == 200
            && field(found["items"].as_array().map(Vec::as_slice).unwrap_or_default(), "id")
                .contains(&world.bidders[0]),
        "public search for “{part}” did not find {name}: {found}"
    );
    checked += 2;
    Ok(format!("{checked} screen checks passed (centre, tenderers, regulators, bidders, experts, public)"))
}
