//! The participant registry (participant.register_once): market participants keyed by
//! unified social credit code, registered once and never asked to register again.

use chrono::{DateTime, Utc};
use ggzy_kernel::{CreditCode, CreditCodeWarning, FieldError, ParticipantId};
use ggzy_store::participants::{self as repo, ParticipantRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::policy::{authorize, Action};
use crate::validate::{self, Problems};
use crate::{ExistingRecord, Platform, Principal, ServiceError};

/// Rule id of RULES.md cited when a code is registered twice.
pub const REGISTER_ONCE: &str = "participant.register_once";

ggzy_kernel::closed_enum! {
    /// What a participant is on the market; one participant may be several.
    pub enum ParticipantKind {
        /// 招标人 / 采购人
        Tenderer = "tenderer",
        /// 投标人 / 供应商
        Bidder = "bidder",
        /// 招标代理机构
        Agency = "agency",
    }
}

/// Registration of a market participant (legal entity).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterParticipant {
    /// 统一社会信用代码 (GB 32100-2015), 18 characters, upper case.
    #[schema(required = true, value_type = String, example = "91110000600037341L")]
    pub credit_code: Option<String>,
    /// 名称
    #[schema(required = true, value_type = String, example = "北京某某建设有限公司")]
    pub name: Option<String>,
    /// One or more of tenderer, bidder, agency.
    #[schema(required = true, value_type = Vec<ParticipantKind>)]
    pub kinds: Option<Vec<String>>,
    /// 法定代表人姓名
    #[schema(required = true, value_type = String, example = "张三")]
    pub legal_representative: Option<String>,
    /// The legal representative's person record, when registered.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub legal_representative_person_id: Option<String>,
}

/// Changes to a participant; absent fields stay as they are. The credit code never changes.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateParticipant {
    pub name: Option<String>,
    #[schema(value_type = Option<Vec<ParticipantKind>>)]
    pub kinds: Option<Vec<String>>,
    pub legal_representative: Option<String>,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub legal_representative_person_id: Option<String>,
    /// Present only to be refused: a participant's code is fixed at registration.
    #[schema(value_type = Option<String>)]
    pub credit_code: Option<String>,
}

/// A warning that does not stop registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Warning {
    pub code: String,
    pub message: String,
}

/// A registered market participant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Participant {
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    #[schema(example = "91110000600037341L")]
    pub credit_code: String,
    pub name: String,
    pub kinds: Vec<ParticipantKind>,
    pub legal_representative: String,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub legal_representative_person_id: Option<String>,
    pub warnings: Vec<Warning>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Incremented by every change.
    pub version: i64,
}

/// One page of participants; pass `next_cursor` as `after` for the next.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParticipantPage {
    pub items: Vec<Participant>,
    pub next_cursor: Option<String>,
}

struct ValidRegistration {
    credit_code: CreditCode,
    organisation_code_warning: bool,
    name: String,
    kinds: Vec<ParticipantKind>,
    legal_representative: String,
    legal_representative_person_id: Option<String>,
}

const NAME_MAX: usize = 200;
const PERSON_NAME_MAX: usize = 50;

fn parse_kinds(problems: &mut Problems, field: &str, kinds: Vec<String>) -> Vec<ParticipantKind> {
    if kinds.is_empty() {
        problems.push(FieldError::new(field, "empty", "至少选择一种主体类型（tenderer、bidder、agency）"));
    }
    let mut parsed = Vec::new();
    for (index, text) in kinds.iter().enumerate() {
        match ParticipantKind::parse(text) {
            Some(kind) if !parsed.contains(&kind) => parsed.push(kind),
            Some(_) => problems.push(FieldError::new(format!("{field}[{index}]"), "duplicate", "主体类型重复")),
            None => problems.push(FieldError::new(
                format!("{field}[{index}]"),
                "unknown_kind",
                format!("未知的主体类型“{text}”，应为 tenderer、bidder 或 agency"),
            )),
        }
    }
    parsed.sort();
    parsed
}

fn parse_registration(request: RegisterParticipant) -> Result<ValidRegistration, ServiceError> {
    let mut problems = Problems::default();
    let credit = problems
        .required("credit_code", request.credit_code)
        .and_then(|code| CreditCode::parse(&code).map_err(|e| problems.push(e.to_field_error("credit_code"))).ok());
    let name = problems.required("name", request.name).and_then(|n| problems.text("name", n, NAME_MAX));
    let kinds = problems.required("kinds", request.kinds).map(|k| parse_kinds(&mut problems, "kinds", k));
    let legal_representative = problems
        .required("legal_representative", request.legal_representative)
        .and_then(|n| problems.text("legal_representative", n, PERSON_NAME_MAX));
    let person_id =
        request.legal_representative_person_id.and_then(|id| problems.uuid("legal_representative_person_id", id));
    problems.finish()?;
    match (credit, name, kinds, legal_representative) {
        (Some((credit_code, warnings)), Some(name), Some(kinds), Some(legal_representative)) => Ok(ValidRegistration {
            organisation_code_warning: warnings
                .iter()
                .any(|w| matches!(w, CreditCodeWarning::OrganisationCodeCheckMismatch { .. })),
            credit_code,
            name,
            kinds,
            legal_representative,
            legal_representative_person_id: person_id,
        }),
        _ => Err(ServiceError::Internal("validation passed without values".into())),
    }
}

fn kinds_column(kinds: &[ParticipantKind]) -> String {
    kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(",")
}

fn view(row: ParticipantRow) -> Participant {
    let kinds = row.kinds.split(',').filter_map(ParticipantKind::parse).collect();
    let warnings = if row.organisation_code_warning != 0 {
        vec![Warning {
            code: "organisation_code_check_mismatch".into(),
            message: "统一社会信用代码中的组织机构代码校验位不符（GB 11714），请核实".into(),
        }]
    } else {
        vec![]
    };
    Participant {
        id: row.id,
        credit_code: row.credit_code,
        name: row.name,
        kinds,
        legal_representative: row.legal_representative,
        legal_representative_person_id: row.legal_representative_person_id,
        warnings,
        created_at: DateTime::from_naive_utc_and_offset(row.created_at, Utc),
        updated_at: DateTime::from_naive_utc_and_offset(row.updated_at, Utc),
        version: row.version,
    }
}

fn existing(row: &ParticipantRow) -> ExistingRecord {
    ExistingRecord { id: row.id.clone(), href: format!("/api/v1/participants/{}", row.id) }
}

fn already_registered(row: &ParticipantRow) -> ServiceError {
    ServiceError::AlreadyExists { what: "participant", rule: Some(REGISTER_ONCE), existing: Some(existing(row)) }
}

fn person_must_exist(conn: &mut ggzy_store::DbConnection, person_id: Option<&str>) -> Result<(), ServiceError> {
    if let Some(id) = person_id {
        if ggzy_store::persons::find(conn, id)?.is_none() {
            return Err(ServiceError::Invalid(vec![FieldError::new(
                "legal_representative_person_id",
                "unknown_person",
                "法定代表人人员记录不存在",
            )]));
        }
    }
    Ok(())
}

impl Platform {
    /// Registers a participant once (participant.register_once); a known code answers with
    /// the existing record instead.
    #[tracing::instrument(skip_all)]
    pub fn register_participant(
        &self,
        principal: Option<&Principal>,
        request: RegisterParticipant,
    ) -> Result<Participant, ServiceError> {
        authorize(principal, Action::CreateParticipant)?;
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        let valid = parse_registration(request)?;
        let now = self.now_naive();
        let id = ParticipantId::new_v7(self.now()).to_string();
        let row = ParticipantRow {
            id: id.clone(),
            credit_code: valid.credit_code.as_str().to_owned(),
            name: valid.name,
            kinds: kinds_column(&valid.kinds),
            legal_representative: valid.legal_representative,
            legal_representative_person_id: valid.legal_representative_person_id,
            organisation_code_warning: i32::from(valid.organisation_code_warning),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let outcome = self.store().write(|conn| {
            if let Some(found) = repo::find_by_credit_code(conn, &row.credit_code)? {
                return Err(already_registered(&found));
            }
            person_must_exist(conn, row.legal_representative_person_id.as_deref())?;
            repo::insert(conn, &row)?;
            let created = view(row.clone());
            let payload = crate::payload_of(&created)?;
            crate::record(
                conn,
                principal,
                now,
                crate::AuditRecord {
                    chain: format!("participant:{id}"),
                    action: "participant.register",
                    object_type: "participant",
                    object_id: id.clone(),
                    payload,
                },
            )?;
            crate::idempotency::answer_created(self, conn, principal, &created)?;
            Ok(created)
        });
        match outcome {
            // Lost a race with a concurrent registration of the same code.
            Err(ServiceError::Conflict { .. }) => {
                match self.store().read(|conn| repo::find_by_credit_code(conn, &row.credit_code))? {
                    Some(found) => Err(already_registered(&found)),
                    None => Err(ServiceError::Conflict { detail: "并发写入冲突，请重试".into() }),
                }
            }
            other => other,
        }
    }

    #[tracing::instrument(skip_all, fields(participant_id = %id))]
    pub fn participant(&self, principal: Option<&Principal>, id: &str) -> Result<Participant, ServiceError> {
        authorize(principal, Action::ReadParticipant)?;
        let row = self.store().read(|conn| repo::find(conn, id))?;
        row.map(view).ok_or(ServiceError::NotFound { what: "participant" })
    }

    #[tracing::instrument(skip_all)]
    pub fn list_participants(
        &self,
        principal: Option<&Principal>,
        after: Option<String>,
        limit: Option<u32>,
    ) -> Result<ParticipantPage, ServiceError> {
        authorize(principal, Action::ReadParticipant)?;
        let page = validate::page(after, limit)?;
        let mut rows = self.store().read(|conn| repo::list(conn, page.after.as_deref(), i64::from(page.limit) + 1))?;
        let next_cursor = validate::next_cursor(&mut rows, page.limit, |row| row.id.clone());
        Ok(ParticipantPage { items: rows.into_iter().map(view).collect(), next_cursor })
    }

    #[tracing::instrument(skip_all, fields(participant_id = %id))]
    pub fn update_participant(
        &self,
        principal: Option<&Principal>,
        id: &str,
        request: UpdateParticipant,
    ) -> Result<Participant, ServiceError> {
        authorize(principal, Action::UpdateParticipant { participant_id: id })?;
        let principal = principal.ok_or(ServiceError::Unauthenticated)?;
        let mut problems = Problems::default();
        if request.credit_code.is_some() {
            problems.push(FieldError::new(
                "credit_code",
                "immutable",
                "统一社会信用代码在登记后不可修改（一次注册，participant.register_once）",
            ));
        }
        let name = request.name.and_then(|n| problems.text("name", n, NAME_MAX));
        let kinds = request.kinds.map(|k| parse_kinds(&mut problems, "kinds", k));
        let legal_representative =
            request.legal_representative.and_then(|n| problems.text("legal_representative", n, PERSON_NAME_MAX));
        let person_id =
            request.legal_representative_person_id.and_then(|id| problems.uuid("legal_representative_person_id", id));
        problems.finish()?;
        let now = self.now_naive();
        self.store().write(|conn| {
            let current = repo::find(conn, id)?.ok_or(ServiceError::NotFound { what: "participant" })?;
            person_must_exist(conn, person_id.as_deref())?;
            let mut changed = current.clone();
            if let Some(name) = name {
                changed.name = name;
            }
            if let Some(kinds) = &kinds {
                changed.kinds = kinds_column(kinds);
            }
            if let Some(legal_representative) = legal_representative {
                changed.legal_representative = legal_representative;
            }
            if person_id.is_some() {
                changed.legal_representative_person_id = person_id;
            }
            if changed == current {
                return Ok(view(current));
            }
            changed.updated_at = now;
            changed.version = current.version + 1;
            if !repo::update(conn, &changed, current.version)? {
                return Err(ServiceError::Conflict {
                    detail: "该主体已被他人修改，请重新读取后再试".into()
                });
            }
            let updated = view(changed);
            let payload = serde_json::json!({ "before": view(current), "after": &updated });
            crate::record(
                conn,
                principal,
                now,
                crate::AuditRecord {
                    chain: format!("participant:{id}"),
                    action: "participant.update",
                    object_type: "participant",
                    object_id: id.to_owned(),
                    payload,
                },
            )?;
            Ok(updated)
        })
    }
}

/// Whether a stored participant is registered as `kind`.
pub(crate) fn is_kind(row: &ggzy_store::participants::ParticipantRow, kind: ParticipantKind) -> bool {
    row.kinds.split(',').any(|k| k == kind.as_str())
}
