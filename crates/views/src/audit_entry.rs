//! What a command appends to the audit trail: the chain the event belongs to, what was
//! done, to which object, and the payload that says it. The views of each area build the
//! entries of their commands (`ggzy_views::bids::submitted_entry`, …); the service appends
//! them inside the command's transaction, where the chain's hashes are linked.

use ggzy_kernel::AuditAction;

/// One audit event as a command describes it; `payload` is serialised when it is appended.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry<P> {
    /// The chain it belongs to, e.g. `participant:<id>`.
    pub chain: String,
    pub action: AuditAction,
    pub object_type: &'static str,
    pub object_id: String,
    pub payload: P,
}

/// The chain of a project's acts, and of its sections' once their bidders are known.
pub fn project_chain(project_id: &str) -> String {
    format!("project:{project_id}")
}

/// An act on a project's chain.
pub fn project_entry<P>(
    project_id: &str,
    action: AuditAction,
    object_type: &'static str,
    object_id: impl Into<String>,
    payload: P,
) -> AuditEntry<P> {
    AuditEntry { chain: project_chain(project_id), action, object_type, object_id: object_id.into(), payload }
}

/// The chain of a participant's own record: its keys, commitments and credit.
pub fn participant_chain(participant_id: &str) -> String {
    format!("participant:{participant_id}")
}

/// The chain of an expert's own record: registration, relations and restrictions.
pub fn expert_chain(expert_id: &str) -> String {
    format!("expert:{expert_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_record_has_its_own_chain() {
        assert_eq!(project_chain("p1"), "project:p1");
        assert_eq!(participant_chain("a1"), "participant:a1");
        assert_eq!(expert_chain("e1"), "expert:e1");
        assert_ne!(project_chain("x"), participant_chain("x"));
    }

    #[test]
    fn a_project_entry_is_on_the_project_chain() {
        let entry = project_entry("p1", AuditAction::ListingQuote, "listing", "l1", 7);
        assert_eq!((entry.chain.as_str(), entry.action), ("project:p1", AuditAction::ListingQuote));
        assert_eq!((entry.object_type, entry.object_id.as_str(), entry.payload), ("listing", "l1", 7));
    }
}
