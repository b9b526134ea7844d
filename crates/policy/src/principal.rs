//! Who is asking: the authenticated principal and its role (DESIGN.md, Roles).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Roles of the platform (管办分离, 三位一体). The principal of every role but
/// `platform_admin` and `system` is bound to an organisation: a participant for tenderer,
/// agent and bidder; a department for centre staff, regulators and inspectors; an expert
/// record for experts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 招标人 / 采购人 / 出让人 / 转让方
    Tenderer,
    /// 招标代理机构实名代理人员
    Agent,
    /// 投标人 / 供应商 / 竞买人
    Bidder,
    /// 评标专家
    Expert,
    /// 交易中心工作人员
    CentreStaff,
    /// 行业监管部门
    IndustryRegulator,
    /// 公管办（综合监管）
    ComprehensiveRegulator,
    /// 纪检监察
    Inspector,
    /// 平台运维
    PlatformAdmin,
    /// 其他区级系统（服务账号）
    System,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::Tenderer,
        Role::Agent,
        Role::Bidder,
        Role::Expert,
        Role::CentreStaff,
        Role::IndustryRegulator,
        Role::ComprehensiveRegulator,
        Role::Inspector,
        Role::PlatformAdmin,
        Role::System,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Tenderer => "tenderer",
            Role::Agent => "agent",
            Role::Bidder => "bidder",
            Role::Expert => "expert",
            Role::CentreStaff => "centre_staff",
            Role::IndustryRegulator => "industry_regulator",
            Role::ComprehensiveRegulator => "comprehensive_regulator",
            Role::Inspector => "inspector",
            Role::PlatformAdmin => "platform_admin",
            Role::System => "system",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// The kind of department a staff role belongs to; none for other roles.
    pub fn department_kind(self) -> Option<ggzy_oversight::DepartmentKind> {
        use ggzy_oversight::DepartmentKind;
        match self {
            Role::CentreStaff => Some(DepartmentKind::Centre),
            Role::IndustryRegulator => Some(DepartmentKind::IndustryRegulator),
            Role::ComprehensiveRegulator => Some(DepartmentKind::ComprehensiveRegulator),
            Role::Inspector => Some(DepartmentKind::Inspector),
            _ => None,
        }
    }

    /// What kind of organisation a principal of this role is bound to.
    pub fn organisation_kind(self) -> OrganisationKind {
        match self {
            Role::Tenderer | Role::Agent | Role::Bidder => OrganisationKind::Participant,
            Role::Expert => OrganisationKind::Expert,
            Role::CentreStaff | Role::IndustryRegulator | Role::ComprehensiveRegulator | Role::Inspector => {
                OrganisationKind::Department
            }
            Role::PlatformAdmin | Role::System => OrganisationKind::None,
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganisationKind {
    Participant,
    Department,
    Expert,
    None,
}

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The token's `sub`: a user name, or a service account's client id.
    pub subject: String,
    pub role: Role,
    /// The organisation the principal acts for (participant id, department id or expert id).
    pub org: Option<String>,
    /// Scopes of a service account; empty for people.
    pub scopes: Vec<String>,
    /// The Idempotency-Key this request holds, if it sent one: the transaction that makes
    /// the request's change marks it, so that the change happens once however often the
    /// request is retried.
    pub request_key: Option<RequestKey>,
}

/// A claimed Idempotency-Key: its scope (the caller), the key, and the token of this claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestKey {
    pub scope: String,
    pub key: String,
    pub claim: String,
}

impl Principal {
    /// A system principal: the platform's own worker `subject`, or a service account (its
    /// client id) with its `scopes`; it acts for no organisation.
    pub fn system(subject: impl Into<String>, scopes: Vec<String>) -> Self {
        Principal { subject: subject.into(), role: Role::System, org: None, scopes, request_key: None }
    }

    /// How the principal is written into audit events.
    pub fn actor(&self) -> String {
        match &self.org {
            Some(org) => format!("{}:{}@{}", self.role, self.subject, org),
            None => format!("{}:{}", self.role, self.subject),
        }
    }

    pub fn acts_for(&self, org: &str) -> bool {
        self.org.as_deref() == Some(org)
    }

    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_system_principal_acts_for_no_organisation_with_the_scopes_given() {
        let closer = Principal::system("listing-closer", Vec::new());
        assert_eq!(
            (closer.subject.as_str(), closer.role, closer.org.as_deref()),
            ("listing-closer", Role::System, None)
        );
        assert_eq!(closer.actor(), "system:listing-closer");
        let account = Principal::system("svc-x", vec!["ocds:read".into()]);
        assert!(account.has_scope("ocds:read") && !account.has_scope("audit:read"));
        assert_eq!(account.request_key, None);
    }
}
