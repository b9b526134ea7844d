//! Pure trading policy of the platform: what the rules of `RULES.md` say, as data.
//!
//! This crate owns:
//!
//! - the five trading categories, their subtypes, construction sectors, funding and
//!   procurement organisation ([`category`]);
//! - the definition of every rule of `RULES.md`: id, Chinese title, number and source
//!   ([`definitions`](mod@definitions)), and every rule id as a constant ([`rule_ids`]);
//! - versioned rule sets ([`RuleSet`], [`RuleBook`]): the catalogue of what must enter
//!   and its thresholds, the agent limit, bid-bond caps, every time limit and the
//!   regulator mapping, each version taking effect on a date;
//! - the entry decision (must enter, municipal platform, voluntary, not required) and
//!   the registration-form rule ([`entry`]);
//! - the publication of a new version: its number and the day it may take effect
//!   ([`publication`]);
//! - the kinds of stored documents and their numbers: size limits, retention
//!   ([`documents`]);
//! - deadline arithmetic over the working-day calendar ([`deadline`]), in one place for
//!   the whole platform.
//!
//! Every decision cites the rule ids (and sources) it applied. The crate is pure: no
//! I/O, no database, no web framework; versions are stored as JSON by others.

pub mod category;
pub mod deadline;
pub mod definitions;
pub mod documents;
pub mod entry;
pub mod publication;
pub mod rule_ids;
pub mod ruleset;

pub use category::{is_subtype, subtype_name, subtypes, Category, Funding, ProcurementOrganisation, Sector};
pub use deadline::{due_by, provisional_years_of, recount, Deadline, DeadlineError, Recount};
pub use definitions::{definition, definitions, RuleDefinition};
pub use documents::{DocumentKind, DocumentNumbers};
pub use entry::{Citation, EntryDecision, EntryFacts, EntryOutcome};
pub use ruleset::{
    AgentLimit, BondCap, BondRates, Bound, CatalogueEntry, CategoryAgentLimit, Direction, ListingNumbers, Platform,
    RegulatorMapping, RiskNumbers, RuleBook, RuleSet, SealingNumbers, TimeLimit, TimeUnit,
};
