//! The one diesel schema, shared by both backends (migrations/postgres and
//! migrations/sqlite create the same tables).

diesel::table! {
    audit_chain_heads (chain) {
        chain -> Text,
        position -> BigInt,
        event_hash -> Text,
    }
}

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
    clock_floors (kind, subject_id) {
        kind -> Text,
        subject_id -> Text,
        due -> Timestamp,
        set_at -> Timestamp,
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

diesel::table! {
    commitment_texts (version) {
        version -> Integer,
        body -> Text,
        effective_from -> Date,
        published_at -> Timestamp,
    }
}

diesel::table! {
    commitments (id) {
        id -> Text,
        participant_id -> Text,
        text_version -> Integer,
        signed_on -> Date,
        signed_at -> Timestamp,
        signed_by -> Text,
        revoked_on -> Nullable<Date>,
    }
}

diesel::table! {
    credit_records (id) {
        id -> Text,
        participant_id -> Text,
        kind -> Text,
        severity -> Nullable<Text>,
        source -> Text,
        decision -> Text,
        decided_on -> Date,
        publication_months -> Nullable<Integer>,
        repaired_on -> Nullable<Date>,
        origin -> Text,
        external_key -> Nullable<Text>,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    restrictions (id) {
        id -> Text,
        participant_id -> Text,
        kind -> Text,
        starts_on -> Date,
        ends_on -> Date,
        decision -> Text,
        decided_by -> Text,
        rule_id -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    conduct_reports (id) {
        id -> Text,
        participant_id -> Text,
        project_id -> Nullable<Text>,
        description -> Text,
        reported_by -> Text,
        reported_at -> Timestamp,
        status -> Text,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        record_id -> Nullable<Text>,
    }
}

diesel::table! {
    repair_applications (id) {
        id -> Text,
        record_id -> Text,
        participant_id -> Text,
        obligations_proof_sha256 -> Text,
        commitment_id -> Text,
        applied_at -> Timestamp,
        status -> Text,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        reason -> Nullable<Text>,
    }
}

diesel::table! {
    credit_policies (version) {
        version -> Integer,
        effective_from -> Date,
        body -> Text,
        published_at -> Timestamp,
        published_by -> Text,
    }
}

diesel::table! {
    credit_reads (seq) {
        seq -> BigInt,
        reader -> Text,
        participant_id -> Text,
        purpose -> Text,
        read_at -> Timestamp,
    }
}

diesel::table! {
    announcements (id) {
        id -> Text,
        project_id -> Text,
        kind -> Text,
        supersedes -> Nullable<Text>,
        published_at -> Timestamp,
        documents_issued_at -> Timestamp,
        bid_deadline -> Timestamp,
        opening_at -> Timestamp,
        opening_place -> Text,
        body -> Text,
        content_hash -> Text,
        published_by -> Text,
        category -> Text,
    }
}

diesel::table! {
    section_terms (section_id) {
        section_id -> Text,
        announcement_id -> Text,
        bond_amount -> BigInt,
        bid_deadline -> Timestamp,
        opening_at -> Timestamp,
    }
}

diesel::table! {
    ledger_accounts (id) {
        id -> Text,
        kind -> Text,
        owner -> Nullable<Text>,
        section_id -> Nullable<Text>,
        debits_must_not_exceed_credits -> Integer,
        credits_must_not_exceed_debits -> Integer,
        debits_posted -> BigInt,
        credits_posted -> BigInt,
        debits_pending -> BigInt,
        credits_pending -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ledger_transfers (seq) {
        seq -> BigInt,
        id -> Text,
        debit_account_id -> Text,
        credit_account_id -> Text,
        amount -> BigInt,
        kind -> Text,
        pending -> Integer,
        post_pending -> Integer,
        void_pending -> Integer,
        pending_id -> Nullable<Text>,
        reason -> Nullable<Text>,
        rule_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ledger_resolutions (pending_id) {
        pending_id -> Text,
        resolved_by -> Text,
        status -> Text,
        amount -> BigInt,
    }
}

diesel::table! {
    bonds (id) {
        id -> Text,
        section_id -> Text,
        bidder_id -> Text,
        account_id -> Text,
        form -> Text,
        amount -> BigInt,
        payer_account -> Nullable<Text>,
        guarantee -> Nullable<Text>,
        deposited_at -> Timestamp,
        status -> Text,
        refund_trigger -> Nullable<Text>,
        refund_trigger_at -> Nullable<Timestamp>,
        refund_rule -> Nullable<Text>,
        refund_deadline -> Nullable<Timestamp>,
        outcome -> Nullable<Text>,
        settled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    section_keys (section_id) {
        section_id -> Text,
        wrapped_key -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    bids (id) {
        id -> Text,
        section_id -> Text,
        bidder_id -> Text,
        sealed -> Text,
        receipt_hash -> Text,
        commitment_hash -> Nullable<Text>,
        revealed_nonce -> Nullable<Text>,
        status -> Text,
        submitted_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    sealing_keys (id) {
        id -> Text,
        participant_id -> Text,
        suite -> Text,
        encryption_key -> Text,
        verifying_key -> Text,
        registered_at -> Timestamp,
        registered_by -> Text,
    }
}

diesel::table! {
    bidder_sealed_sections (section_id) {
        section_id -> Text,
        window_minutes -> Integer,
        window_opened_at -> Nullable<Timestamp>,
        window_closes_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    bid_envelopes (bid_id) {
        bid_id -> Text,
        key_id -> Text,
        envelope -> Text,
        outcome -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    openings (section_id) {
        section_id -> Text,
        opened_at -> Timestamp,
        opened_by -> Text,
        witness_id -> Text,
        outcome -> Text,
        record -> Text,
        bid_count -> BigInt,
    }
}

diesel::table! {
    experts (id) {
        id -> Text,
        name -> Text,
        specialties -> Text,
        employer_id -> Nullable<Text>,
        active -> Integer,
        restricted_until -> Nullable<Date>,
        restriction_decision -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    expert_relations (expert_id, participant_id) {
        expert_id -> Text,
        participant_id -> Text,
        relation -> Text,
    }
}

diesel::table! {
    expert_draws (id) {
        id -> Text,
        section_id -> Text,
        specialty -> Text,
        size -> Integer,
        record -> Text,
        drawn_at -> Timestamp,
        drawn_by -> Text,
    }
}

diesel::table! {
    expert_scores (section_id, expert_id) {
        section_id -> Text,
        expert_id -> Text,
        scores -> Text,
        submitted_at -> Timestamp,
    }
}

diesel::table! {
    section_results (section_id) {
        section_id -> Text,
        report -> Text,
        publicity_start -> Timestamp,
        publicity_end -> Timestamp,
        winner_id -> Nullable<Text>,
        awarded_at -> Nullable<Timestamp>,
        contract_amount -> Nullable<BigInt>,
        contract_sha256 -> Nullable<Text>,
        contract_signed_at -> Nullable<Timestamp>,
        contract_late -> Nullable<Integer>,
    }
}

diesel::table! {
    idempotency_keys (scope, key) {
        scope -> Text,
        key -> Text,
        fingerprint -> Text,
        status -> Nullable<Integer>,
        content_type -> Nullable<Text>,
        body -> Nullable<Text>,
        created_at -> Timestamp,
        claim -> Nullable<Text>,
        applied_object -> Nullable<Text>,
    }
}

diesel::table! {
    questions (id) {
        id -> Text,
        project_id -> Text,
        asked_by -> Text,
        question -> Text,
        asked_at -> Timestamp,
        answer -> Nullable<Text>,
        answered_at -> Nullable<Timestamp>,
        answered_by -> Nullable<Text>,
    }
}

diesel::table! {
    venues (id) {
        id -> Text,
        name -> Text,
        kind -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    venue_bookings (id) {
        id -> Text,
        venue_id -> Text,
        project_id -> Text,
        purpose -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        booked_by -> Text,
        cancelled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    suspensions (id) {
        id -> Text,
        project_id -> Text,
        previous_status -> Text,
        reason -> Text,
        ordered_by -> Text,
        by_regulator -> Integer,
        suspended_at -> Timestamp,
        resumed_at -> Nullable<Timestamp>,
        resumed_by -> Nullable<Text>,
    }
}

diesel::table! {
    documents (id) {
        id -> Text,
        sha256 -> Text,
        size_bytes -> BigInt,
        kind -> Text,
        title -> Text,
        media_type -> Text,
        project_id -> Nullable<Text>,
        uploaded_by -> Text,
        uploader_role -> Text,
        uploader_org -> Nullable<Text>,
        uploaded_at -> Timestamp,
        section_id -> Nullable<Text>,
    }
}

diesel::table! {
    document_downloads (id) {
        id -> Text,
        announcement_id -> Text,
        project_id -> Text,
        sha256 -> Text,
        downloaded_by -> Text,
        downloader_role -> Text,
        downloader_org -> Nullable<Text>,
        downloaded_at -> Timestamp,
    }
}

diesel::table! {
    notifications (id) {
        id -> Text,
        recipient -> Text,
        project_id -> Nullable<Text>,
        kind -> Text,
        payload -> Text,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    notice_reminders (reminder_key) {
        reminder_key -> Text,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    webhook_subscriptions (id) {
        id -> Text,
        owner -> Text,
        url -> Text,
        secret -> Text,
        active -> Integer,
        created_at -> Timestamp,
        previous_secret -> Nullable<Text>,
        previous_secret_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        subscription_id -> Text,
        notification_id -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    objections (id) {
        id -> Text,
        project_id -> Text,
        section_id -> Nullable<Text>,
        stage -> Text,
        objector_id -> Text,
        content -> Text,
        knew_at -> Nullable<Timestamp>,
        raised_at -> Timestamp,
        rule_id -> Text,
        reply_rule_id -> Text,
        reply_due -> Timestamp,
        answer -> Nullable<Text>,
        answered_at -> Nullable<Timestamp>,
        answered_by -> Nullable<Text>,
        suspension_id -> Nullable<Text>,
    }
}

diesel::table! {
    complaints (id) {
        id -> Text,
        project_id -> Text,
        complainant_id -> Text,
        objection_id -> Nullable<Text>,
        content -> Text,
        knew_at -> Timestamp,
        filed_at -> Timestamp,
        regulator_id -> Nullable<Text>,
        status -> Text,
        acceptance_due -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        pauses -> Text,
        decided_at -> Nullable<Timestamp>,
        outcome -> Nullable<Text>,
        decision -> Nullable<Text>,
    }
}

diesel::table! {
    wrongdoing_reports (id) {
        id -> Text,
        tracking_code -> Text,
        project_id -> Nullable<Text>,
        participant_id -> Nullable<Text>,
        content -> Text,
        reporter -> Nullable<Text>,
        contact -> Nullable<Text>,
        department_id -> Text,
        received_at -> Timestamp,
        handling -> Text,
        status -> Text,
    }
}

diesel::table! {
    archive_reads (seq) {
        seq -> BigInt,
        project_id -> Text,
        reader -> Text,
        purpose -> Text,
        read_at -> Timestamp,
    }
}

diesel::table! {
    violation_cases (id) {
        id -> Text,
        project_id -> Nullable<Text>,
        subject_kind -> Text,
        subject_id -> Text,
        suspected_codes -> Text,
        description -> Text,
        evidence -> Text,
        report_id -> Nullable<Text>,
        reported_by -> Text,
        reporter_org -> Nullable<Text>,
        reported_at -> Timestamp,
        status -> Text,
        steps -> Text,
        decision -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

diesel::table! {
    violation_case_departments (case_id, department_id) {
        case_id -> Text,
        department_id -> Text,
        part -> Text,
    }
}

diesel::table! {
    person_relations (person_id, participant_id) {
        person_id -> Text,
        participant_id -> Text,
        relation -> Text,
        declared_at -> Timestamp,
    }
}

diesel::table! {
    project_officials (id) {
        id -> Text,
        project_id -> Text,
        person_id -> Text,
        role -> Text,
        named_by -> Text,
        named_at -> Timestamp,
        withdrawn_at -> Nullable<Timestamp>,
        withdrawn_reason -> Nullable<Text>,
    }
}

diesel::table! {
    participant_controls (controller_id, controlled_id) {
        controller_id -> Text,
        controlled_id -> Text,
        kind -> Text,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    bid_rejections (section_id, bidder_id) {
        section_id -> Text,
        bidder_id -> Text,
        reason -> Text,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    risk_alerts (id) {
        id -> Text,
        fingerprint -> Text,
        indicator -> Text,
        rule_id -> Text,
        severity -> Text,
        project_ids -> Text,
        section_ids -> Text,
        bidders -> Text,
        evidence -> Text,
        department_id -> Text,
        status -> Text,
        detected_at -> Timestamp,
        handling -> Text,
        violation_cases -> Text,
        version -> BigInt,
        group_id -> Text,
    }
}

diesel::table! {
    risk_alert_departments (alert_id, department_id) {
        alert_id -> Text,
        department_id -> Text,
    }
}

diesel::table! {
    basic_account_declarations (bond_id) {
        bond_id -> Text,
        bidder_id -> Text,
        section_id -> Text,
        account_key -> Text,
    }
}

diesel::table! {
    entrusted_agents (bidder_id, person_id) {
        bidder_id -> Text,
        person_id -> Text,
        entrusted_at -> Timestamp,
        entrusted_by -> Text,
    }
}

diesel::table! {
    ocds_releases (position) {
        position -> BigInt,
        project_id -> Text,
        project_code -> Text,
        published_at -> Timestamp,
        body -> Text,
    }
}

diesel::table! {
    ocds_release_counter (id) {
        id -> Integer,
        last -> BigInt,
    }
}

diesel::table! {
    public_events (position) {
        position -> BigInt,
        event_type -> Text,
        occurred_at -> Timestamp,
        object_type -> Text,
        object_id -> Text,
        project_id -> Nullable<Text>,
        resource -> Nullable<Text>,
    }
}

diesel::table! {
    public_event_counter (id) {
        id -> Integer,
        last -> BigInt,
    }
}

diesel::table! {
    service_items (id) {
        id -> Text,
        name -> Text,
        promised_working_days -> Integer,
        description -> Text,
        published_by -> Text,
        published_at -> Timestamp,
    }
}

diesel::table! {
    service_ratings (id) {
        id -> Text,
        service_item_id -> Text,
        participant_id -> Text,
        project_id -> Text,
        score -> Integer,
        on_time -> Integer,
        comment -> Nullable<Text>,
        rated_at -> Timestamp,
    }
}

diesel::table! {
    listings (id) {
        id -> Text,
        project_id -> Text,
        section_id -> Text,
        announcement_id -> Text,
        starting_price -> BigInt,
        increment -> BigInt,
        reserve_price -> Nullable<BigInt>,
        appraisal -> Nullable<BigInt>,
        deposit -> BigInt,
        listing_start -> Timestamp,
        listing_end -> Timestamp,
        extension_seconds -> Integer,
        floor_approval -> Nullable<Text>,
        place -> Text,
        relisting_of -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    listing_progress (listing_id) {
        listing_id -> Text,
        phase -> Text,
        current_price -> Nullable<BigInt>,
        leader_id -> Nullable<Text>,
        auction_end -> Nullable<Timestamp>,
        quotes -> Integer,
        concluded_at -> Nullable<Timestamp>,
        confirmation -> Nullable<Text>,
        confirmed_at -> Nullable<Timestamp>,
        version -> Integer,
    }
}

diesel::table! {
    listing_bidders (listing_id, bidder_id) {
        listing_id -> Text,
        bidder_id -> Text,
        bidder_number -> Integer,
        joined_at -> Timestamp,
    }
}

diesel::table! {
    listing_quotes (listing_id, sequence) {
        listing_id -> Text,
        sequence -> Integer,
        bidder_id -> Text,
        bidder_number -> Integer,
        price -> BigInt,
        phase -> Text,
        placed_at -> Timestamp,
    }
}

diesel::table! {
    search_entries (id) {
        id -> BigInt,
        kind -> Text,
        object_id -> Text,
        project_id -> Nullable<Text>,
        name -> Text,
        code -> Text,
        party -> Nullable<Text>,
        text -> Text,
    }
}

diesel::joinable!(persons -> participants (employer_id));
diesel::joinable!(violation_case_departments -> violation_cases (case_id));
diesel::joinable!(calendar_days -> calendar_years (year));
diesel::joinable!(staff -> departments (department_id));
diesel::joinable!(sections -> projects (project_id));
diesel::joinable!(openings -> sections (section_id));
diesel::joinable!(commissions -> projects (project_id));
diesel::joinable!(commission_agents -> commissions (commission_id));
diesel::joinable!(commission_agents -> persons (person_id));

diesel::allow_tables_to_appear_in_same_query!(
    announcements,
    bidder_sealed_sections,
    listings,
    listing_progress,
    listing_bidders,
    listing_quotes,
    archive_reads,
    audit_events,
    bid_rejections,
    bids,
    bonds,
    calendar_days,
    calendar_years,
    clock_floors,
    commission_agents,
    commissions,
    commitment_texts,
    commitments,
    complaints,
    conduct_reports,
    credit_policies,
    credit_reads,
    credit_records,
    departments,
    direct_awards,
    expert_draws,
    expert_relations,
    expert_scores,
    experts,
    idempotency_keys,
    ledger_accounts,
    ledger_resolutions,
    ledger_transfers,
    notice_reminders,
    notifications,
    documents,
    document_downloads,
    objections,
    ocds_release_counter,
    ocds_releases,
    openings,
    participant_controls,
    participants,
    person_relations,
    persons,
    project_officials,
    project_code_counters,
    projects,
    public_event_counter,
    public_events,
    questions,
    repair_applications,
    restrictions,
    risk_alerts,
    risk_alert_departments,
    basic_account_declarations,
    entrusted_agents,
    rule_sets,
    sealing_keys,
    section_keys,
    section_results,
    section_terms,
    sections,
    service_accounts,
    service_items,
    service_ratings,
    staff,
    suspensions,
    venue_bookings,
    venues,
    violation_case_departments,
    violation_cases,
    webhook_deliveries,
    webhook_subscriptions,
    wrongdoing_reports,
    search_entries,
);
