//! Who must step aside from a project (recusal, 管理办法 §27; procurement.recusal): a
//! supervisor with ties to an agency or bidder of the project, a tenderer representative
//! with ties to a bidder. Ties are registered (the person's employer, the participants the
//! person legally represents) or declared by the person. The parties an official is
//! checked against, and whether a serving official must step aside now.

ggzy_kernel::closed_enum! {
    /// The part an official takes in a project.
    pub enum OfficialRole {
        /// 监督管理人员, §27(一): steps aside for ties with an agency or a bidder.
        Supervisor = "supervisor",
        /// 招标人代表, §27(二): steps aside for ties with a bidder.
        TendererRepresentative = "tenderer_representative",
    }
}

impl OfficialRole {
    /// The catalogue item breached by failing to step aside.
    pub fn conduct_code(self) -> &'static str {
        match self {
            OfficialRole::Supervisor => "27.1",
            OfficialRole::TendererRepresentative => "27.2",
        }
    }

    fn concerns(self, party: PartyRole) -> bool {
        match self {
            OfficialRole::Supervisor => matches!(party, PartyRole::Agency | PartyRole::Bidder),
            OfficialRole::TendererRepresentative => party == PartyRole::Bidder,
        }
    }
}

/// The part a participant takes in the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyRole {
    Tenderer,
    Agency,
    Bidder,
}

impl PartyRole {
    pub fn as_str(self) -> &'static str {
        match self {
            PartyRole::Tenderer => "tenderer",
            PartyRole::Agency => "agency",
            PartyRole::Bidder => "bidder",
        }
    }
}

/// How a person is tied to a participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tie {
    Employer,
    LegalRepresentative,
    Declared,
}

impl Tie {
    pub fn as_str(self) -> &'static str {
        match self {
            Tie::Employer => "employer",
            Tie::LegalRepresentative => "legal_representative",
            Tie::Declared => "declared",
        }
    }
}

/// A person's ties to participants.
#[derive(Debug, Clone, Default)]
pub struct Ties {
    pub employer: Option<String>,
    pub represents: Vec<String>,
    pub declared: Vec<String>,
}

impl Ties {
    fn to(&self, participant: &str) -> Option<Tie> {
        if self.employer.as_deref() == Some(participant) {
            Some(Tie::Employer)
        } else if self.represents.iter().any(|p| p == participant) {
            Some(Tie::LegalRepresentative)
        } else if self.declared.iter().any(|p| p == participant) {
            Some(Tie::Declared)
        } else {
            None
        }
    }
}

/// A reason to step aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub participant_id: String,
    pub party: PartyRole,
    pub tie: Tie,
}

/// Every conflict of an official with the parties of a project, in the parties' order.
pub fn conflicts(role: OfficialRole, ties: &Ties, parties: &[(String, PartyRole)]) -> Vec<Conflict> {
    parties
        .iter()
        .filter(|(_, party)| role.concerns(*party))
        .filter_map(|(id, party)| ties.to(id).map(|tie| Conflict { participant_id: id.clone(), party: *party, tie }))
        .collect()
}

/// The parties of a project an official is checked against, each once with its first
/// part: the tenderer, the agencies commissioned on it, then the bidders of its sections
/// already opened (before its opening who bids in a section is secret, 招标投标法 §22, so
/// the caller leaves out sealed sections and a recusal check cannot probe for a bidder).
pub fn project_parties(
    tenderer_id: &str,
    agency_ids: Vec<String>,
    bidder_ids: Vec<String>,
) -> Vec<(String, PartyRole)> {
    let mut parties = vec![(tenderer_id.to_owned(), PartyRole::Tenderer)];
    parties.extend(agency_ids.into_iter().map(|a| (a, PartyRole::Agency)));
    for bidder in bidder_ids {
        if !parties.iter().any(|(id, _)| *id == bidder) {
            parties.push((bidder, PartyRole::Bidder));
        }
    }
    parties
}

/// Whether an official must step aside now: still serving, with a conflict.
pub fn must_recuse(withdrawn: bool, conflicts: &[Conflict]) -> bool {
    !withdrawn && !conflicts.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parties() -> Vec<(String, PartyRole)> {
        vec![
            ("tenderer".into(), PartyRole::Tenderer),
            ("agency".into(), PartyRole::Agency),
            ("bidder-a".into(), PartyRole::Bidder),
            ("bidder-b".into(), PartyRole::Bidder),
        ]
    }

    #[test]
    fn a_tenderer_representative_is_employed_by_the_tenderer_and_recuses_only_for_bidders() {
        let ties = Ties { employer: Some("tenderer".into()), represents: vec![], declared: vec!["agency".into()] };
        assert!(conflicts(OfficialRole::TendererRepresentative, &ties, &parties()).is_empty());
        let ties = Ties { declared: vec!["bidder-b".into()], ..ties };
        assert_eq!(
            conflicts(OfficialRole::TendererRepresentative, &ties, &parties()),
            vec![Conflict { participant_id: "bidder-b".into(), party: PartyRole::Bidder, tie: Tie::Declared }]
        );
    }

    #[test]
    fn a_supervisor_recuses_for_agencies_and_bidders_by_any_tie() {
        let ties = Ties { employer: Some("agency".into()), represents: vec!["bidder-a".into()], declared: vec![] };
        let found = conflicts(OfficialRole::Supervisor, &ties, &parties());
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].party, found[0].tie), (PartyRole::Agency, Tie::Employer));
        assert_eq!((found[1].party, found[1].tie), (PartyRole::Bidder, Tie::LegalRepresentative));
        assert!(conflicts(OfficialRole::Supervisor, &Ties::default(), &parties()).is_empty());
    }

    #[test]
    fn a_party_is_checked_once_with_its_first_part() {
        let owned = |ids: &[&str]| ids.iter().map(|i| (*i).to_owned()).collect::<Vec<_>>();
        let parties = project_parties("t", owned(&["a"]), owned(&["b1", "a", "t", "b1", "b2"]));
        let expected = [
            ("t", PartyRole::Tenderer),
            ("a", PartyRole::Agency),
            ("b1", PartyRole::Bidder),
            ("b2", PartyRole::Bidder),
        ];
        assert_eq!(parties, expected.map(|(id, role)| (id.to_owned(), role)).to_vec());
        assert_eq!(project_parties("t", vec![], vec![]), vec![("t".to_owned(), PartyRole::Tenderer)]);
    }

    #[test]
    fn only_a_serving_official_with_a_conflict_must_step_aside() {
        let conflict = Conflict { participant_id: "b".into(), party: PartyRole::Bidder, tie: Tie::Declared };
        let table = [(false, true, true), (true, true, false), (false, false, false), (true, false, false)];
        for (withdrawn, conflicted, must) in table {
            let conflicts = if conflicted { vec![conflict.clone()] } else { vec![] };
            assert_eq!(must_recuse(withdrawn, &conflicts), must, "withdrawn={withdrawn} conflicted={conflicted}");
        }
    }
}
