//! The database's views, declared as diesel tables so that queries read and join them.
//! Kept apart from `schema.rs`, which mirrors the tables (the schema test compares it with
//! both databases' tables); a view is only ever read.

diesel::table! {
    /// A participant's restrictions and commitments, one row each (migration
    /// 2026-12-06-000039): a restriction's row has a kind, a commitment's a text version.
    participant_standing (id) {
        id -> Text,
        participant_id -> Text,
        kind -> Nullable<Text>,
        starts_on -> Nullable<Date>,
        ends_on -> Nullable<Date>,
        decision -> Nullable<Text>,
        decided_by -> Nullable<Text>,
        rule_id -> Nullable<Text>,
        recorded_at -> Nullable<Timestamp>,
        text_version -> Nullable<Integer>,
        signed_on -> Nullable<Date>,
        signed_at -> Nullable<Timestamp>,
        signed_by -> Nullable<Text>,
        revoked_on -> Nullable<Date>,
    }
}

use crate::schema::{
    bidder_sealed_sections, bids, bonds, listings, openings, projects, sealing_keys, section_terms, sections,
    suspensions,
};

// Pair by pair: a list would declare again the pairs of tables that schema.rs declares.
diesel::allow_tables_to_appear_in_same_query!(participant_standing, sections);
diesel::allow_tables_to_appear_in_same_query!(participant_standing, projects);
diesel::allow_tables_to_appear_in_same_query!(participant_standing, suspensions);
diesel::allow_tables_to_appear_in_same_query!(participant_standing, section_terms);
diesel::allow_tables_to_appear_in_same_query!(participant_standing, bidder_sealed_sections);
diesel::allow_tables_to_appear_in_same_query!(participant_standing, listings);
diesel::allow_tables_to_appear_in_same_query!(participant_standing, openings);
diesel::allow_tables_to_appear_in_same_query!(participant_standing, bonds);
diesel::allow_tables_to_appear_in_same_query!(participant_standing, bids);
diesel::allow_tables_to_appear_in_same_query!(participant_standing, sealing_keys);
