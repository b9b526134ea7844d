//! The service's bounded contexts. `Platform` holds what every context shares (the store,
//! the injected clock, the keys, the rule-set and calendar readers, audit); each context is
//! a view of it that owns the use cases of one part of the domain, reached by
//! `platform.credit()`, `platform.bonds()` and so on. A context calling into another one
//! says so (`self.credit().credit_gate(…)`), which keeps the dependencies between contexts
//! visible in the code.

use crate::Platform;

macro_rules! contexts {
    ($($(#[$doc:meta])* $name:ident => $accessor:ident;)*) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Copy, Debug)]
            pub struct $name<'p> {
                platform: &'p Platform,
            }

            // A context is the platform seen from one part of the domain: what the platform
            // shares (store, clock, keys) is read through it as if on the platform itself.
            impl std::ops::Deref for $name<'_> {
                type Target = Platform;

                fn deref(&self) -> &Platform {
                    self.platform
                }
            }
        )*

        impl Platform {
            $(
                pub fn $accessor(&self) -> $name<'_> {
                    $name { platform: self }
                }
            )*
        }
    };
}

contexts! {
    /// Market participants, persons, departments, the centre's staff and service accounts.
    Registry => registry;
    /// Rule-set versions, the rules catalogue and the holiday calendar.
    Rules => rules;
    /// Projects and their sections, commissions, documents, announcements, proceedings
    /// (suspension, resumption, termination, rooms) and bids, sealed and opened.
    Tendering => tendering;
    /// Experts, draws, committees, scores, evaluation reports, award and contract.
    Evaluation => evaluation;
    /// Bid bonds and the ledger behind them: deposits, refunds, forfeits and their clocks.
    Bonds => bonds;
    /// Credit records, commitments, conduct reports, restrictions, scores and repair.
    Credit => credit;
    /// Objections, complaints, reports of wrongdoing, violation cases, risk alerts, the
    /// statutory clocks and their watch, project officials and service quality.
    Oversight => oversight;
    /// Listings of property rights: quotes, auctions, settlement.
    Listings => listings;
    /// What the public and the parties learn: search, events, webhooks, notifications,
    /// OCDS, statistics and the project archive.
    Disclosure => disclosure;
}
