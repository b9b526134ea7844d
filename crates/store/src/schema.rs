//! The one diesel schema, shared by both backends (migrations/postgres and
//! migrations/sqlite create the same tables).

diesel::table! {
    audit_events (seq) {
        seq -> BigInt,
        id -> Text,
        chain -> Text,
        position -> BigInt,
        occurred_at -> Timestamp,
        actor -> Text,
        action -> Text,
        object_type -> Text,
        object_id -> Text,
        payload -> Text,
        payload_hash -> Text,
        prev_hash -> Text,
        event_hash -> Text,
    }
}

diesel::table! {
    departments (id) {
        id -> Text,
        name -> Text,
        kind -> Text,
        industries -> Text,
    }
}

diesel::table! {
    participants (id) {
        id -> Text,
        credit_code -> Text,
        name -> Text,
        kinds -> Text,
        legal_representative -> Text,
        legal_representative_person_id -> Nullable<Text>,
        organisation_code_warning -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    persons (id) {
        id -> Text,
        name -> Text,
        id_number_hash -> Text,
        id_number_masked -> Text,
        employer_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    service_accounts (id) {
        id -> Text,
        client_id -> Text,
        name -> Text,
        secret_hash -> Text,
        scopes -> Text,
        created_at -> Timestamp,
        disabled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    calendar_years (year) {
        year -> Integer,
        loaded_at -> Timestamp,
        loaded_by -> Text,
    }
}

diesel::table! {
    calendar_days (day) {
        day -> Date,
        year -> Integer,
        kind -> Text,
        name -> Text,
    }
}

diesel::table! {
    rule_sets (version) {
        version -> Integer,
        effective_from -> Date,
        title -> Text,
        body -> Text,
        published_at -> Timestamp,
        published_by -> Text,
    }
}

diesel::table! {
    staff (id) {
        id -> Text,
        department_id -> Text,
        subject -> Text,
        name -> Text,
        active -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    project_code_counters (prefix) {
        prefix -> Text,
        last -> Integer,
    }
}

diesel::table! {
    projects (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        category -> Text,
        subtype -> Text,
        tenderer_id -> Text,
        status -> Text,
        regulator_id -> Nullable<Text>,
        service_owner_id -> Text,
        rule_set_version -> Integer,
        entry_outcome -> Text,
        estimated_total -> BigInt,
        details -> Text,
        registered_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    sections (id) {
        id -> Text,
        project_id -> Text,
        code -> Text,
        position -> Integer,
        name -> Text,
        estimated_amount -> BigInt,
    }
}

diesel::table! {
    commissions (id) {
        id -> Text,
        project_id -> Text,
        agency_id -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    commission_agents (id) {
        id -> BigInt,
        commission_id -> Text,
        person_id -> Text,
        added_at -> Timestamp,
        removed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    direct_awards (id) {
        id -> Text,
        project_id -> Text,
        contractor_id -> Text,
        amount -> BigInt,
        reported_at -> Timestamp,
        publicity_end -> Timestamp,
        publicity_end_day -> Date,
        rule_id -> Text,
    }
}

diesel::joinable!(persons -> participants (employer_id));
diesel::joinable!(calendar_days -> calendar_years (year));
diesel::joinable!(staff -> departments (department_id));
diesel::joinable!(sections -> projects (project_id));
diesel::joinable!(commissions -> projects (project_id));
diesel::joinable!(commission_agents -> commissions (commission_id));
diesel::joinable!(commission_agents -> persons (person_id));

diesel::allow_tables_to_appear_in_same_query!(
    audit_events,
    calendar_days,
    calendar_years,
    commission_agents,
    commissions,
    departments,
    direct_awards,
    participants,
    persons,
    project_code_counters,
    projects,
    rule_sets,
    sections,
    service_accounts,
    staff,
);
