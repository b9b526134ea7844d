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

diesel::joinable!(persons -> participants (employer_id));

diesel::allow_tables_to_appear_in_same_query!(audit_events, departments, participants, persons, service_accounts,);
