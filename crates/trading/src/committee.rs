//! An evaluation committee (评标委员会): the experts a draw may choose from and why others
//! may not sit (recusal), the committee's size, the record that replays a draw, recusals
//! and their replacements, who sits on it, the scores its members hand in, and where it
//! stands for one member. The requests of the expert pool and of the draw are read here.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use ggzy_kernel::closed_enum;
use ggzy_kernel::validation::read;
use ggzy_kernel::{Answer, FieldError, Money, WorkingCalendar};
use ggzy_rules::{rule_ids, Category, Deadline, DeadlineError, RuleSet};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

closed_enum! {
    /// Where a committee the expert sits on stands, as far as the expert is concerned.
    pub enum CommitteeState {
        /// 待评分: the expert has not submitted its scores.
        AwaitingScores = "awaiting_scores",
        /// 已评分: the expert's scores are in; the committee's report is not yet recorded.
        Scored = "scored",
        /// 评标报告已形成: the committee's evaluation report is recorded.
        Reported = "reported",
    }
}

impl CommitteeState {
    /// The state for one member: the report decides it once recorded, whatever the
    /// member did; before it, whether the member's scores are in.
    pub fn of(report_recorded: bool, scores_submitted: bool) -> Self {
        match (report_recorded, scores_submitted) {
            (true, _) => CommitteeState::Reported,
            (false, true) => CommitteeState::Scored,
            (false, false) => CommitteeState::AwaitingScores,
        }
    }
}

/// A committee the calling expert sits on: where and in what state — never who else sits
/// on it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnCommittee {
    /// The draw that seated the committee (its latest for the section).
    #[schema(format = Uuid)]
    pub draw_id: String,
    #[schema(format = Uuid)]
    pub section_id: String,
    pub section_name: String,
    #[schema(format = Uuid)]
    pub project_id: String,
    pub project_code: String,
    pub project_name: String,
    pub specialty: String,
    pub drawn_at: DateTime<Utc>,
    pub state: CommitteeState,
    /// When the expert submitted its scores; null until it has.
    pub scores_submitted_at: Option<DateTime<Utc>>,
}

/// The page of an expert's committees (newest draw first) after the one of draw `after`,
/// in state `wanted` if given, at most `take` of them; `None` when `after` is none of them.
/// The cursor is found among all the expert's committees, so that a committee whose state
/// changed between two pages of a filtered list still places the next page.
pub fn own_page(
    committees: Vec<OwnCommittee>,
    after: Option<&str>,
    wanted: Option<CommitteeState>,
    take: usize,
) -> Option<Vec<OwnCommittee>> {
    let start = match after {
        Some(after) => committees.iter().position(|c| c.draw_id == after)? + 1,
        None => 0,
    };
    Some(
        committees
            .into_iter()
            .skip(start)
            .filter(|c| wanted.is_none_or(|wanted| wanted == c.state))
            .take(take)
            .collect(),
    )
}

/// An expert of the pool (专家库).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Expert {
    pub id: String,
    pub name: String,
    pub specialties: Vec<String>,
    pub employer_id: Option<String>,
    pub active: bool,
    pub restricted_until: Option<NaiveDate>,
}

/// Who a draw may choose from, and who it may not with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Eligibility {
    /// Sorted by id, as the draw and its replay take them.
    pub eligible: Vec<String>,
    /// One problem per expert left out, in the pool's order, the expert's id as its field.
    pub excluded: Vec<FieldError>,
}

/// The experts of `specialty` in active service who may sit on a committee on `today`
/// (recusal): not while restricted, not when employed by a party of the project (its
/// tenderer, agencies and bidders), not after declaring a relation with a party.
/// `relations` are (expert, participant) pairs.
pub fn eligibility(
    pool: &[Expert],
    relations: &[(String, String)],
    parties: &[String],
    specialty: &str,
    today: NaiveDate,
) -> Eligibility {
    let mut eligible = Vec::new();
    let mut excluded = Vec::new();
    for expert in pool {
        if !expert.active || !expert.specialties.iter().any(|s| s == specialty) {
            continue;
        }
        if expert.restricted_until.is_some_and(|until| until >= today) {
            excluded.push(FieldError::new(&expert.id, "restricted", "受限期内的专家不参加抽取"));
        } else if expert.employer_id.as_ref().is_some_and(|e| parties.contains(e)) {
            excluded.push(FieldError::new(
                &expert.id,
                "employer_is_party",
                "专家所在单位是本项目的招标人、代理机构或投标人（recusal）",
            ));
        } else if relations.iter().any(|(e, p)| *e == expert.id && parties.contains(p)) {
            excluded.push(FieldError::new(
                &expert.id,
                "declared_relation",
                "专家申报了与本项目当事人的利害关系（recusal）",
            ));
        } else {
            eligible.push(expert.id.clone());
        }
    }
    eligible.sort();
    Eligibility { eligible, excluded }
}

/// A committee size the rules refuse: fewer than `minimum` members, or an even number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeRefusal {
    /// The rule that sets the minimum (construction.evaluation.committee, procurement.committee).
    pub rule: &'static str,
    pub minimum: u32,
}

impl SizeRefusal {
    /// The problem of the `size` field.
    pub fn to_field_error(self) -> FieldError {
        FieldError::new("size", "committee_size", format!("须为不少于 {} 的单数", self.minimum))
    }

    /// What the rule says, in one line.
    pub fn message(self) -> String {
        format!("评标委员会成员人数须为 {} 人以上单数", self.minimum)
    }
}

/// A committee is an odd number of members, at least the minimum `rule` sets.
pub fn check_size(size: u32, rule: &'static str, minimum: u32) -> Result<usize, SizeRefusal> {
    if size < minimum || size % 2 == 0 {
        return Err(SizeRefusal { rule, minimum });
    }
    usize::try_from(size).map_err(|_| SizeRefusal { rule, minimum })
}

/// A recusal and the replacement drawn for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Recusal {
    pub expert_id: String,
    pub reason: String,
    pub seed: String,
    pub replacement: Option<String>,
}

/// What is recorded of a draw, enough to replay it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DrawRecord {
    pub seed: String,
    /// Every eligible expert, sorted by id.
    pub candidates: Vec<String>,
    /// Who the seed chose.
    pub selected: Vec<String>,
    pub recusals: Vec<Recusal>,
    /// Experts excluded, with why (employer, declared relation, restriction).
    pub excluded: Vec<FieldError>,
}

// A draw recomputed from its record (no doc comment: the schema has no description).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DrawReplay {
    pub matches: bool,
    pub recorded: Vec<String>,
    pub replayed: Vec<String>,
}

/// Why an expert cannot stand down from a committee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecusalRefusal {
    /// The expert does not sit on the committee.
    NotOnCommittee,
    /// Every eligible expert has been drawn already: nobody can replace it.
    NoReplacement,
}

/// An expert not on the committee is the request's fault (its `expert_id`); a pool with
/// nobody left to draw is the committee's state.
impl From<RecusalRefusal> for Answer {
    fn from(refusal: RecusalRefusal) -> Self {
        match refusal {
            RecusalRefusal::NotOnCommittee => {
                Answer::Invalid(vec![FieldError::new("expert_id", "not_on_committee", "该专家不在本评标委员会")])
            }
            RecusalRefusal::NoReplacement => Answer::Conflict("没有可补抽的专家".into()),
        }
    }
}

impl DrawRecord {
    /// The first draw of a committee of `size` from the eligible experts, with `seed`.
    pub fn draw(seed: String, eligibility: Eligibility, size: usize) -> DrawRecord {
        let selected = crate::draw(&seed, &eligibility.eligible, size);
        DrawRecord {
            seed,
            candidates: eligibility.eligible,
            selected,
            recusals: Vec::new(),
            excluded: eligibility.excluded,
        }
    }

    /// Who sits on the committee: the recusals applied in the order they were made to
    /// those selected — each one's expert leaves, its replacement joins at the end — so a
    /// replacement who later stands down leaves too.
    pub fn committee(&self) -> Vec<String> {
        let mut members: Vec<String> = self.selected.clone();
        for recusal in &self.recusals {
            members.retain(|member| *member != recusal.expert_id);
            if let Some(replacement) = &recusal.replacement {
                members.push(replacement.clone());
            }
        }
        members
    }

    /// A member stands down; one replacement is drawn with `seed` from the candidates never
    /// drawn before, and the recusal is recorded.
    pub fn recuse(&mut self, expert_id: &str, reason: String, seed: String) -> Result<(), RecusalRefusal> {
        if !self.committee().iter().any(|member| member == expert_id) {
            return Err(RecusalRefusal::NotOnCommittee);
        }
        let taken: Vec<&String> =
            self.selected.iter().chain(self.recusals.iter().filter_map(|r| r.replacement.as_ref())).collect();
        let remaining: Vec<String> = self.candidates.iter().filter(|c| !taken.contains(c)).cloned().collect();
        let replacement = crate::draw(&seed, &remaining, 1).pop().ok_or(RecusalRefusal::NoReplacement)?;
        self.recusals.push(Recusal { expert_id: expert_id.to_owned(), reason, seed, replacement: Some(replacement) });
        Ok(())
    }

    /// Whether `expert_id` sits on the committee now ([`DrawRecord::committee`]).
    pub fn seats(&self, expert_id: &str) -> bool {
        self.committee().iter().any(|member| member == expert_id)
    }

    /// The draw recomputed from the record of a committee of `size`: the seed over the
    /// candidates, then each replacement from its own seed over the candidates not yet
    /// drawn. It matches when the first draw gives those selected and every replacement
    /// the one recorded.
    pub fn replay(&self, size: usize) -> DrawReplay {
        let replayed = crate::draw(&self.seed, &self.candidates, size);
        let mut matches = replayed == self.selected;
        let mut taken: Vec<String> = self.selected.clone();
        for recusal in &self.recusals {
            let remaining: Vec<String> = self.candidates.iter().filter(|c| !taken.contains(c)).cloned().collect();
            let again = crate::draw(&recusal.seed, &remaining, 1).pop();
            matches &= again == recusal.replacement;
            taken.extend(again);
        }
        DrawReplay { matches, recorded: self.selected.clone(), replayed }
    }

    /// Who has just joined: the whole committee when it is drawn, the replacement of the
    /// latest recusal when one is made.
    pub fn new_members(&self, after_recusal: bool) -> Vec<String> {
        if after_recusal {
            self.recusals.last().and_then(|r| r.replacement.clone()).into_iter().collect()
        } else {
            self.committee()
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewExpert {
    #[schema(required = true, value_type = String)]
    pub name: Option<String>,
    /// Specialty codes, e.g. "building", "municipal", "procurement-goods".
    #[schema(required = true)]
    pub specialties: Option<Vec<String>>,
    #[schema(value_type = Option<String>, format = Uuid)]
    pub employer_id: Option<String>,
}

/// An expert to register, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewExpertValues {
    pub name: String,
    /// At least one; none empty or holding a comma (they are stored comma-joined).
    pub specialties: Vec<String>,
    pub employer_id: Option<String>,
}

/// Reads an expert to register.
pub fn read_new_expert(request: NewExpert) -> Result<NewExpertValues, Vec<FieldError>> {
    let mut problems = Vec::new();
    let name = read::required_text(&mut problems, "name", request.name, 50);
    let specialties = read::required(&mut problems, "specialties", request.specialties).unwrap_or_default();
    if specialties.is_empty() || specialties.iter().any(|s| s.is_empty() || s.contains(',')) {
        problems.push(FieldError::new("specialties", "invalid", "至少一个专业，且专业代码不能为空或含逗号"));
    }
    let employer_id = request.employer_id.and_then(|e| read::uuid(&mut problems, "employer_id", e));
    match name {
        Some(name) if problems.is_empty() => Ok(NewExpertValues { name, specialties, employer_id }),
        _ => Err(problems),
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclareRelation {
    #[schema(required = true, value_type = String, format = Uuid)]
    pub participant_id: Option<String>,
    /// e.g. "former employer (last 3 years)", "spouse works there".
    #[schema(required = true, value_type = String)]
    pub relation: Option<String>,
}

/// Reads an expert's declaration: the participant and the relation.
pub fn read_relation(request: DeclareRelation) -> Result<(String, String), Vec<FieldError>> {
    let mut problems = Vec::new();
    let participant = read::required(&mut problems, "participant_id", request.participant_id);
    let relation = read::required_text(&mut problems, "relation", request.relation, 200);
    match (participant, relation) {
        (Some(participant), Some(relation)) if problems.is_empty() => Ok((participant, relation)),
        _ => Err(problems),
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RestrictExpert {
    #[schema(required = true, value_type = String, format = Date)]
    pub until: Option<NaiveDate>,
    #[schema(required = true, value_type = String)]
    pub decision: Option<String>,
}

/// Reads a regulator's restriction of an expert: the last day and the decision.
pub fn read_expert_restriction(request: RestrictExpert) -> Result<(NaiveDate, String), Vec<FieldError>> {
    let mut problems = Vec::new();
    let until = read::required(&mut problems, "until", request.until);
    let decision = read::required_text(&mut problems, "decision", request.decision, 100);
    match (until, decision) {
        (Some(until), Some(decision)) if problems.is_empty() => Ok((until, decision)),
        _ => Err(problems),
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrawExperts {
    #[schema(required = true, value_type = String, example = "building")]
    pub specialty: Option<String>,
    /// Committee size: odd, at least 5 (construction.evaluation.committee; procurement.committee:
    /// at least 7 when the budget reaches 10,000,000 yuan).
    #[serde(default, deserialize_with = "ggzy_kernel::validation::whole_number")]
    #[schema(required = true, value_type = u32, minimum = 1, maximum = 99, example = 5)]
    pub size: Option<u32>,
}

/// Reads a draw: the specialty and the size asked for (checked against the rules with
/// [`check_size`] once the project is known).
pub fn read_draw(request: DrawExperts) -> Result<(String, u32), Vec<FieldError>> {
    let mut problems = Vec::new();
    let specialty = read::required_text(&mut problems, "specialty", request.specialty, 50);
    let size = read::required(&mut problems, "size", request.size);
    match (specialty, size) {
        (Some(specialty), Some(size)) if problems.is_empty() => Ok((specialty, size)),
        _ => Err(problems),
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecuseExpert {
    #[schema(required = true, value_type = String)]
    pub expert_id: Option<String>,
    #[schema(required = true, value_type = String)]
    pub reason: Option<String>,
}

/// Reads a recusal: the expert and the reason.
pub fn read_recusal(request: RecuseExpert) -> Result<(String, String), Vec<FieldError>> {
    let mut problems = Vec::new();
    let expert_id = read::required(&mut problems, "expert_id", request.expert_id);
    let reason = read::required_text(&mut problems, "reason", request.reason, 200);
    match (expert_id, reason) {
        (Some(expert_id), Some(reason)) if problems.is_empty() => Ok((expert_id, reason)),
        _ => Err(problems),
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BidScore {
    #[schema(required = true, value_type = String, format = Uuid)]
    pub bidder_id: Option<String>,
    /// 0 to 100 with at most two decimals.
    #[schema(required = true, value_type = String, example = "86.50")]
    pub score: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitScores {
    #[schema(required = true)]
    pub scores: Option<Vec<BidScore>>,
}

/// One member's scores, by bidder.
pub type ScoreSheet = BTreeMap<String, Decimal>;

/// Reads a member's score sheet: every entry's bidder and a score of 0 to 100 with at most
/// two decimals.
pub fn read_scores(request: SubmitScores) -> Result<ScoreSheet, Vec<FieldError>> {
    let mut problems = Vec::new();
    let mut sheet = ScoreSheet::new();
    for (index, entry) in
        read::required(&mut problems, "scores", request.scores).unwrap_or_default().into_iter().enumerate()
    {
        let bidder = read::required(&mut problems, &format!("scores[{index}].bidder_id"), entry.bidder_id);
        let score = read::required(&mut problems, &format!("scores[{index}].score"), entry.score).and_then(|s| {
            let parsed = crate::parse_score(&s);
            if parsed.is_none() {
                problems.push(FieldError::new(
                    format!("scores[{index}].score"),
                    "invalid_score",
                    "评分须为 0 至 100、至多两位小数",
                ));
            }
            parsed
        });
        if let (Some(bidder), Some(score)) = (bidder, score) {
            sheet.insert(bidder, score);
        }
    }
    if problems.is_empty() {
        Ok(sheet)
    } else {
        Err(problems)
    }
}

/// A sheet scores every standing bid of the section, each once.
pub fn covers_every_bid(sheet: &ScoreSheet, bidders: &[String]) -> Result<(), FieldError> {
    let mut expected: Vec<&String> = bidders.iter().collect();
    expected.sort();
    if sheet.keys().collect::<Vec<_>>() == expected {
        Ok(())
    } else {
        Err(FieldError::new("scores", "not_every_bid", "须对本标段每一份有效投标评分，且只评一次"))
    }
}

/// How many members of the committee have not handed in their scores; the report waits
/// for every one.
pub fn unscored_members(committee: &[String], sheets: &[(String, ScoreSheet)]) -> usize {
    committee.iter().filter(|member| !sheets.iter().any(|(expert, _)| expert == *member)).count()
}

/// A bid as the opening recorded it: whose, and at what price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedPrice {
    pub bidder_id: String,
    pub bidder_name: String,
    pub price: Money,
}

/// A ranked candidate (中标候选人).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Candidate {
    pub rank: usize,
    pub bidder_id: String,
    pub bidder_name: String,
    #[schema(value_type = String)]
    pub average_score: Decimal,
    pub price: Money,
}

/// The committee's candidates: every member's sheet without the bids it rejected, ranked
/// by average score (ties to the lower price), the first `candidates_max` of them
/// (construction.candidates.max).
pub fn candidates(
    sheets: &[(String, ScoreSheet)],
    rejected: &[String],
    bids: &[OpenedPrice],
    candidates_max: usize,
) -> Vec<Candidate> {
    let kept: Vec<ScoreSheet> = sheets
        .iter()
        .map(|(_, sheet)| {
            sheet.iter().filter(|(bidder, _)| !rejected.contains(bidder)).map(|(b, s)| (b.clone(), *s)).collect()
        })
        .collect();
    let prices: BTreeMap<String, Decimal> = bids.iter().map(|b| (b.bidder_id.clone(), b.price.to_decimal())).collect();
    crate::rank(&kept, &prices)
        .into_iter()
        .take(candidates_max)
        .map(|ranked| {
            let bid = bids.iter().find(|b| b.bidder_id == ranked.bidder_id);
            Candidate {
                rank: ranked.rank,
                bidder_name: bid.map(|b| b.bidder_name.clone()).unwrap_or_default(),
                price: bid.map_or(Money::ZERO, |b| b.price),
                bidder_id: ranked.bidder_id,
                average_score: ranked.average,
            }
        })
        .collect()
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardSection {
    #[schema(required = true, value_type = String, format = Uuid)]
    pub winner_id: Option<String>,
}

/// Reads an award: the winner named.
pub fn read_award(request: AwardSection) -> Result<String, Vec<FieldError>> {
    let mut problems = Vec::new();
    read::required(&mut problems, "winner_id", request.winner_id).ok_or(problems)
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignContract {
    #[schema(required = true, value_type = String, example = "985000.00")]
    pub amount: Option<String>,
    #[schema(required = true, value_type = String)]
    pub sha256: Option<String>,
}

/// Reads a signed contract: its amount and the sha256 of its file.
pub fn read_contract(request: SignContract) -> Result<(Money, String), Vec<FieldError>> {
    let mut problems = Vec::new();
    let amount = read::required(&mut problems, "amount", request.amount)
        .and_then(|a| Money::parse(&a).map_err(|e| problems.push(e.to_field_error("amount"))).ok());
    let sha256 = read::required(&mut problems, "sha256", request.sha256).filter(|s| {
        let ok = read::is_sha256(s);
        if !ok {
            problems.push(FieldError::new("sha256", "invalid_sha256", "须为 64 位小写十六进制 sha256"));
        }
        ok
    });
    match (amount, sha256) {
        (Some(amount), Some(sha256)) if problems.is_empty() => Ok((amount, sha256)),
        _ => Err(problems),
    }
}

/// The rule of the contract signing window of a project's category: procurement's, or
/// construction's for every other tender.
pub fn contract_rule(category: Category) -> &'static str {
    if category == Category::Procurement {
        rule_ids::PROCUREMENT_CONTRACT_WINDOW
    } else {
        rule_ids::CONSTRUCTION_CONTRACT_WINDOW
    }
}

/// The contract signing window of a section awarded at `awarded_at`.
pub fn contract_window(
    category: Category,
    rule_set: &RuleSet,
    awarded_at: DateTime<Utc>,
    calendar: &WorkingCalendar,
) -> Result<Deadline, DeadlineError> {
    rule_set.due(contract_rule(category), awarded_at, calendar)
}

/// Whether a contract signed at `signed_at` is late for a window due at `due` (at the due
/// instant it is late).
pub fn signed_late(due: DateTime<Utc>, signed_at: DateTime<Utc>) -> bool {
    signed_at >= due
}

/// The evaluation report (评标报告) as it is recorded: the candidates, and the end of their
/// publicity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationReport {
    pub candidates: Vec<Candidate>,
    /// construction.candidates.publicity, counted from the report.
    pub publicity_end: DateTime<Utc>,
}

/// Why the report cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportRefusal {
    /// This many members of the committee have not handed in their scores.
    Unscored(usize),
    AlreadyRecorded,
    /// The publicity period could not be counted.
    Uncounted(DeadlineError),
}

/// Missing scores and a recorded report are the section's state; a publicity period that
/// cannot be counted is told as the deadline tells it.
impl From<ReportRefusal> for Answer {
    fn from(refusal: ReportRefusal) -> Self {
        match refusal {
            ReportRefusal::Unscored(missing) => Answer::Conflict(format!("尚有 {missing} 名评标委员未提交评分")),
            ReportRefusal::AlreadyRecorded => Answer::Conflict("评标报告已形成".into()),
            ReportRefusal::Uncounted(error) => Answer::from(error),
        }
    }
}

/// What the section's report is when it is recorded at `now`: every member has scored and
/// none was recorded before; the candidates are ranked by [`candidates`] within the rule
/// set's maximum (construction.candidates.max), and their publicity runs from `now`
/// (construction.candidates.publicity).
#[allow(clippy::too_many_arguments)]
pub fn report(
    committee: &[String],
    sheets: &[(String, ScoreSheet)],
    already_recorded: bool,
    rejected: &[String],
    bids: &[OpenedPrice],
    rule_set: &RuleSet,
    calendar: &WorkingCalendar,
    now: DateTime<Utc>,
) -> Result<EvaluationReport, ReportRefusal> {
    let missing = unscored_members(committee, sheets);
    if missing > 0 {
        return Err(ReportRefusal::Unscored(missing));
    }
    if already_recorded {
        return Err(ReportRefusal::AlreadyRecorded);
    }
    let candidates_max = usize::try_from(rule_set.tendering.candidates_max).unwrap_or(usize::MAX);
    let candidates = candidates(sheets, rejected, bids, candidates_max);
    let publicity =
        rule_set.due(rule_ids::CONSTRUCTION_CANDIDATES_PUBLICITY, now, calendar).map_err(ReportRefusal::Uncounted)?;
    Ok(EvaluationReport { candidates, publicity_end: publicity.due })
}

/// Why the tenderer's award is not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AwardStop {
    /// The award itself is refused ([`crate::decide_award`]).
    Refused(crate::AwardRefusal),
    /// A winner is already named.
    AlreadyAwarded,
}

impl AwardStop {
    /// The rule and words a stopped award is told with.
    pub fn answer(self) -> Answer {
        match self {
            AwardStop::Refused(crate::AwardRefusal::PublicityRunning { ends }) => Answer::Rule {
                rule: rule_ids::CONSTRUCTION_CANDIDATES_PUBLICITY,
                detail: format!("中标候选人公示期至 {} 结束，期满后方可确定中标人", ggzy_kernel::beijing_text(ends)),
                problems: Vec::new(),
            },
            AwardStop::Refused(crate::AwardRefusal::NotACandidate) => {
                Answer::Invalid(vec![FieldError::new("winner_id", "not_a_candidate", "中标人须为中标候选人")])
            }
            AwardStop::Refused(crate::AwardRefusal::NotFirstRanked) => Answer::Rule {
                rule: rule_ids::CONSTRUCTION_CANDIDATES_MAX,
                detail: "国有资金占控股或者主导地位的项目，应当确定排名第一的中标候选人为中标人".into(),
                problems: vec![FieldError::new("winner_id", "not_first_ranked", "须为排名第一的中标候选人")],
            },
            AwardStop::AlreadyAwarded => Answer::Conflict("已确定中标人".into()),
        }
    }
}

/// Whether the tenderer names `winner` the winner of a section at `now`: what
/// [`crate::decide_award`] decides of the publicity, the candidates and their ranks, and
/// then that no winner was named before (`awarded`).
pub fn award(
    now: DateTime<Utc>,
    publicity_end: DateTime<Utc>,
    candidates: &[Candidate],
    winner: &str,
    funding: ggzy_rules::Funding,
    awarded: bool,
) -> Result<(), AwardStop> {
    let ranks: Vec<(&str, usize)> = candidates.iter().map(|c| (c.bidder_id.as_str(), c.rank)).collect();
    crate::decide_award(now, publicity_end, &ranks, winner, funding).map_err(AwardStop::Refused)?;
    if awarded {
        return Err(AwardStop::AlreadyAwarded);
    }
    Ok(())
}

/// The years a section's shown dates were counted through without their official
/// calendar (`official` lists the years that have one): its candidates' publicity and,
/// once awarded, its contract window; sorted, each once.
pub fn provisional_years(
    official: &[i32],
    publicity: (DateTime<Utc>, DateTime<Utc>),
    contract: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> Vec<i32> {
    let mut years = ggzy_kernel::provisional_span(official, publicity.0, publicity.1);
    if let Some((awarded_at, due)) = contract {
        years.extend(ggzy_kernel::provisional_span(official, awarded_at, due));
    }
    years.sort_unstable();
    years.dedup();
    years
}

/// The specialty filter of the expert pool's list: a code as `read::text` reads it, never
/// with a comma (codes are stored comma-joined).
pub fn read_specialty_filter(problems: &mut Vec<FieldError>, text: String) -> Option<String> {
    let specialty = read::text(problems, "specialty", text, 100)?;
    if specialty.contains(',') {
        problems.push(FieldError::new("specialty", "invalid", "专业代码不能含逗号"));
        return None;
    }
    Some(specialty)
}

/// An expert's specialty codes as stored: comma-joined.
pub fn stored_specialties(specialties: &[String]) -> String {
    specialties.join(",")
}

/// An expert's specialty codes from their stored form (empty parts left out).
pub fn specialties_of(stored: &str) -> Vec<String> {
    stored.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// An expert's employer, when named, is a registered participant (`employer_known`).
pub fn check_employer(employer_known: Option<bool>) -> Result<(), FieldError> {
    match employer_known {
        Some(false) => Err(FieldError::new("employer_id", "unknown_participant", "所在单位须为已登记的市场主体")),
        _ => Ok(()),
    }
}

/// An expert declares a relation with a participant that exists (`participant_known`).
pub fn check_relation(participant_known: bool) -> Result<(), FieldError> {
    if participant_known {
        Ok(())
    } else {
        Err(FieldError::new("participant_id", "unknown_participant", "市场主体不存在"))
    }
}

/// Why a committee cannot be drawn for a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrawRefusal {
    /// The section is not opened: the committee evaluates opened bids.
    NotOpened,
    /// The section has its committee; a member steps aside by recusal instead.
    AlreadyDrawn,
    /// The size asked for is not one the rules allow.
    Size(SizeRefusal),
    /// Fewer experts of `specialty` may sit than the committee needs.
    TooFewEligible { specialty: String, eligible: usize, size: usize },
}

impl DrawRefusal {
    /// What the centre is told of a refusal of the section's state or of the pool (a size
    /// refusal names its rule instead: [`SizeRefusal::message`]).
    pub fn detail(&self) -> String {
        match self {
            DrawRefusal::NotOpened => "开标后方可抽取评标专家".into(),
            DrawRefusal::AlreadyDrawn => "本标段已抽取评标委员会；个别回避请用回避补抽".into(),
            DrawRefusal::Size(refusal) => refusal.message(),
            DrawRefusal::TooFewEligible { specialty, eligible, size } => {
                format!("符合条件的 {specialty} 专业专家只有 {eligible} 名，不足 {size} 名")
            }
        }
    }
}

/// A size the rules refuse names its rule and the `size` field; every other refusal is the
/// section's or the pool's state.
impl From<DrawRefusal> for Answer {
    fn from(refusal: DrawRefusal) -> Self {
        match refusal {
            DrawRefusal::Size(size) => {
                Answer::Rule { rule: size.rule, detail: size.message(), problems: vec![size.to_field_error()] }
            }
            other => Answer::Conflict(other.detail()),
        }
    }
}

/// The section a committee is drawn for, as the draw needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DrawSection {
    pub opened: bool,
    /// A committee was drawn for it before.
    pub drawn_before: bool,
    pub category: Category,
    /// The project's estimated total: procurement's larger committee starts at a budget.
    pub budget: Money,
}

/// A committee drawn: the record to keep and its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedDraw {
    pub record: DrawRecord,
    pub size: usize,
}

/// The draw of a section's committee of `size` experts of `specialty` with `seed`, from
/// `eligibility`. Refusals in the order the centre is told them: the section not opened,
/// a committee already drawn, a size the rules refuse (the minimum `tendering` sets for
/// the category and budget, odd), too few eligible experts.
pub fn plan_draw(
    section: DrawSection,
    specialty: &str,
    size: u32,
    tendering: &ggzy_rules::ruleset::TenderingNumbers,
    eligibility: Eligibility,
    seed: String,
) -> Result<PlannedDraw, DrawRefusal> {
    if !section.opened {
        return Err(DrawRefusal::NotOpened);
    }
    if section.drawn_before {
        return Err(DrawRefusal::AlreadyDrawn);
    }
    let (rule, minimum) = tendering.committee_minimum(section.category, section.budget);
    let size = check_size(size, rule, minimum).map_err(DrawRefusal::Size)?;
    if eligibility.eligible.len() < size {
        return Err(DrawRefusal::TooFewEligible {
            specialty: specialty.to_owned(),
            eligible: eligibility.eligible.len(),
            size,
        });
    }
    Ok(PlannedDraw { record: DrawRecord::draw(seed, eligibility, size), size })
}

/// Why a member's scores are not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScoreRefusal {
    /// The caller does not sit on the section's committee.
    NotOnCommittee,
    /// The committee's report is recorded: scores are closed.
    Reported,
    /// The sheet does not score every standing bid once ([`covers_every_bid`]).
    NotEveryBid(FieldError),
    /// The member handed in its scores before: a sheet is taken once (the store tells).
    AlreadySubmitted,
}

/// A caller off the committee is barred; a recorded report or sheet is the section's
/// state; a sheet that misses a bid is the request's fault.
impl From<ScoreRefusal> for Answer {
    fn from(refusal: ScoreRefusal) -> Self {
        match refusal {
            ScoreRefusal::NotOnCommittee => Answer::forbidden("不是本标段评标委员会成员"),
            ScoreRefusal::Reported => Answer::Conflict("评标报告已形成".into()),
            ScoreRefusal::NotEveryBid(problem) => Answer::Invalid(vec![problem]),
            ScoreRefusal::AlreadySubmitted => Answer::Conflict("已提交评分".into()),
        }
    }
}

/// Where a section stands on the way from its committee to its contract, when an act
/// needs a step that has not been taken or was taken already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultStop {
    /// No committee was drawn: there is nothing to report on.
    NoCommittee,
    /// The committee's report is not recorded: nothing to award or sign.
    NoReport,
    /// No winner is named: no contract to sign.
    NotAwarded,
    /// The contract is registered already.
    ContractSigned,
}

/// Every stop is the section's state.
impl From<ResultStop> for Answer {
    fn from(stop: ResultStop) -> Self {
        Answer::Conflict(
            match stop {
                ResultStop::NoCommittee => "尚未抽取评标专家",
                ResultStop::NoReport => "评标报告尚未形成",
                ResultStop::NotAwarded => "尚未确定中标人",
                ResultStop::ContractSigned => "合同已登记",
            }
            .into(),
        )
    }
}

/// The committee a report is made by: the latest draw's, `None` when none was drawn.
pub fn reporting_committee<T>(latest_draw: Option<T>) -> Result<T, ResultStop> {
    latest_draw.ok_or(ResultStop::NoCommittee)
}

/// The recorded report an award or a contract follows; `None` when none is recorded.
pub fn recorded_report<T>(result: Option<T>) -> Result<T, ResultStop> {
    result.ok_or(ResultStop::NoReport)
}

/// When the winner a contract follows was named; `None` when none is.
pub fn contract_award<T>(awarded_at: Option<T>) -> Result<T, ResultStop> {
    awarded_at.ok_or(ResultStop::NotAwarded)
}

/// Whether `expert_id`'s `sheet` is taken for a section whose committee is `committee`,
/// whose standing bids are `bidders`: a member's, before the report, scoring every bid.
pub fn accept_scores(
    committee: &[String],
    expert_id: &str,
    reported: bool,
    sheet: &ScoreSheet,
    bidders: &[String],
) -> Result<(), ScoreRefusal> {
    if !committee.iter().any(|member| member == expert_id) {
        return Err(ScoreRefusal::NotOnCommittee);
    }
    if reported {
        return Err(ScoreRefusal::Reported);
    }
    covers_every_bid(sheet, bidders).map_err(ScoreRefusal::NotEveryBid)
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectBid {
    #[schema(required = true, value_type = String, format = Uuid)]
    pub bidder_id: Option<String>,
    /// The committee's reason (否决投标的理由).
    #[schema(required = true, value_type = String)]
    pub reason: Option<String>,
}

/// Reads a rejection: the bidder and the committee's reason.
pub fn read_rejection(request: RejectBid) -> Result<(String, String), Vec<FieldError>> {
    let mut problems = Vec::new();
    let bidder = read::required(&mut problems, "bidder_id", request.bidder_id)
        .and_then(|b| read::uuid(&mut problems, "bidder_id", b));
    let reason = read::required_text(&mut problems, "reason", request.reason, 500);
    match (bidder, reason) {
        (Some(bidder), Some(reason)) if problems.is_empty() => Ok((bidder, reason)),
        _ => Err(problems),
    }
}

/// Why the committee's rejection of a bid is not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectionRefusal {
    NotOpened,
    /// The report is recorded; it ranked the bids as they stood.
    Reported,
    /// The participant has no bid in the section.
    NotABidder,
}

impl RejectionRefusal {
    /// What the centre is told of a refusal of the section's state.
    pub fn detail(self) -> &'static str {
        match self {
            RejectionRefusal::NotOpened => "标段尚未开标",
            RejectionRefusal::Reported => "评标报告已形成，不能再否决投标",
            RejectionRefusal::NotABidder => "该主体未在本标段投标",
        }
    }

    /// The problem of the `bidder_id` field, for [`RejectionRefusal::NotABidder`].
    pub fn to_field_error(self) -> FieldError {
        FieldError::new("bidder_id", "not_a_bidder", self.detail())
    }

    /// How the centre is told: a participant with no bid is the request's problem, the
    /// section's state a conflict.
    pub fn answer(self) -> Answer {
        match self {
            RejectionRefusal::NotABidder => Answer::Invalid(vec![self.to_field_error()]),
            RejectionRefusal::NotOpened | RejectionRefusal::Reported => Answer::Conflict(self.detail().into()),
        }
    }
}

/// Whether the committee's rejection of `bidder`'s bid is recorded: after the opening,
/// before the report, of a bid in the section (`bidders`).
pub fn may_reject(opened: bool, reported: bool, bidders: &[String], bidder: &str) -> Result<(), RejectionRefusal> {
    if !opened {
        return Err(RejectionRefusal::NotOpened);
    }
    if reported {
        return Err(RejectionRefusal::Reported);
    }
    if !bidders.iter().any(|b| b == bidder) {
        return Err(RejectionRefusal::NotABidder);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_draw_names_the_size_rule_or_the_state() {
        let size = SizeRefusal { rule: "construction.evaluation.committee", minimum: 5 };
        let Answer::Rule { rule, detail, problems } = Answer::from(DrawRefusal::Size(size)) else {
            panic!("a size is refused by its rule")
        };
        assert_eq!(
            (rule, detail.as_str()),
            ("construction.evaluation.committee", "评标委员会成员人数须为 5 人以上单数")
        );
        assert_eq!((problems[0].field.as_str(), problems[0].code.as_str()), ("size", "committee_size"));
        assert_eq!(problems[0].message, "须为不少于 5 的单数");
        assert_eq!(Answer::from(DrawRefusal::NotOpened), Answer::Conflict("开标后方可抽取评标专家".into()));
        assert_eq!(
            Answer::from(DrawRefusal::AlreadyDrawn),
            Answer::Conflict("本标段已抽取评标委员会；个别回避请用回避补抽".into())
        );
        let few = DrawRefusal::TooFewEligible { specialty: "A01".into(), eligible: 3, size: 5 };
        assert_eq!(Answer::from(few), Answer::Conflict("符合条件的 A01 专业专家只有 3 名，不足 5 名".into()));
    }

    #[test]
    fn a_refused_report_says_who_is_missing_or_why_it_cannot_be_counted() {
        assert_eq!(Answer::from(ReportRefusal::Unscored(2)), Answer::Conflict("尚有 2 名评标委员未提交评分".into()));
        assert_eq!(Answer::from(ReportRefusal::AlreadyRecorded), Answer::Conflict("评标报告已形成".into()));
        let year = ggzy_kernel::CalendarError::YearOutOfRange { year: 2300 };
        let Answer::Conflict(detail) = Answer::from(ReportRefusal::Uncounted(DeadlineError::Calendar(year))) else {
            panic!("an uncountable calendar is the platform's state")
        };
        assert!(detail.starts_with("2300 年既未载入官方节假日安排"), "{detail}");
    }

    #[test]
    fn a_refused_recusal_names_the_expert_or_the_empty_pool() {
        let Answer::Invalid(problems) = Answer::from(RecusalRefusal::NotOnCommittee) else {
            panic!("an expert not on the committee is the request's fault")
        };
        assert_eq!((problems[0].field.as_str(), problems[0].code.as_str()), ("expert_id", "not_on_committee"));
        assert_eq!(Answer::from(RecusalRefusal::NoReplacement), Answer::Conflict("没有可补抽的专家".into()));
    }

    fn ids(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn the_report_decides_the_state_once_recorded() {
        assert_eq!(CommitteeState::of(false, false), CommitteeState::AwaitingScores);
        assert_eq!(CommitteeState::of(false, true), CommitteeState::Scored);
        assert_eq!(CommitteeState::of(true, true), CommitteeState::Reported);
        // A member who never scored still sees the committee as reported.
        assert_eq!(CommitteeState::of(true, false), CommitteeState::Reported);
    }

    fn recusal(expert_id: &str, replacement: Option<&str>) -> Recusal {
        Recusal {
            expert_id: expert_id.into(),
            reason: "回避".into(),
            seed: "s".into(),
            replacement: replacement.map(str::to_owned),
        }
    }

    fn record(selected: &[&str], recusals: Vec<Recusal>) -> DrawRecord {
        DrawRecord {
            seed: "seed".into(),
            candidates: ids(&["a", "b", "c", "d", "e", "f", "g"]),
            selected: ids(selected),
            recusals,
            excluded: Vec::new(),
        }
    }

    #[test]
    fn recused_experts_leave_and_replacements_join_in_order() {
        let selected = ["a", "b", "c", "d", "e"];
        assert_eq!(record(&selected, vec![]).committee(), ids(&selected));
        let recusals = vec![recusal("b", Some("f")), recusal("d", None), recusal("f", Some("g"))];
        // b stood down for f, d for nobody, then f for g: f was seated, then left.
        let drawn = record(&selected, recusals.clone());
        assert_eq!(drawn.committee(), ids(&["a", "c", "e", "g"]));
        assert_eq!(drawn.new_members(true), ids(&["g"]));
        assert_eq!(drawn.new_members(false), drawn.committee());
        assert_eq!(record(&selected, recusals[..1].to_vec()).committee(), ids(&["a", "c", "d", "e", "f"]));
    }

    #[test]
    fn a_replacement_is_drawn_from_those_never_drawn_until_none_is_left() {
        let mut drawn = record(&["a", "b", "c", "d", "e"], vec![]);
        assert_eq!(drawn.recuse("x", "回避".into(), "s1".into()), Err(RecusalRefusal::NotOnCommittee));
        drawn.recuse("b", "回避".into(), "s1".into()).unwrap();
        let first = drawn.recusals[0].replacement.clone().unwrap();
        assert!(["f", "g"].contains(&first.as_str()));
        // The replacement replays from its own seed among f and g.
        assert_eq!(Some(first.clone()), crate::draw("s1", &ids(&["f", "g"]), 1).pop());
        // b stood down: it cannot stand down again, and is never drawn back.
        assert_eq!(drawn.recuse("b", "回避".into(), "s2".into()), Err(RecusalRefusal::NotOnCommittee));
        drawn.recuse(&first, "回避".into(), "s2".into()).unwrap();
        let second = drawn.recusals[1].replacement.clone().unwrap();
        assert!(second != first && ["f", "g"].contains(&second.as_str()));
        assert_eq!(drawn.recuse("a", "回避".into(), "s3".into()), Err(RecusalRefusal::NoReplacement));
        assert_eq!(drawn.recusals.len(), 2, "a refused recusal records nothing");
        assert_eq!(drawn.committee().len(), 5);
    }

    fn expert(id: &str, specialties: &[&str]) -> Expert {
        Expert {
            id: id.into(),
            name: id.into(),
            specialties: ids(specialties),
            employer_id: None,
            active: true,
            restricted_until: None,
        }
    }

    #[test]
    fn the_pool_leaves_out_restricted_parties_and_related_experts_with_why() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 9, d).unwrap();
        let mut restricted = expert("e1", &["building"]);
        restricted.restricted_until = Some(day(10));
        let mut lapsed = expert("e2", &["building"]);
        lapsed.restricted_until = Some(day(9));
        let mut employed = expert("e3", &["building", "municipal"]);
        employed.employer_id = Some("bidder-1".into());
        let related = expert("e4", &["building"]);
        let mut inactive = expert("e5", &["building"]);
        inactive.active = false;
        let other_specialty = expert("e6", &["municipal"]);
        let unrelated = expert("e7", &["building"]);
        let pool = [unrelated, restricted, lapsed, employed, related, inactive, other_specialty];
        let relations = vec![("e4".to_owned(), "tenderer".to_owned()), ("e7".to_owned(), "someone-else".to_owned())];
        let parties = ids(&["tenderer", "bidder-1"]);
        let found = eligibility(&pool, &relations, &parties, "building", day(10));
        assert_eq!(found.eligible, ids(&["e2", "e7"]), "sorted by id");
        let excluded: Vec<(&str, &str)> = found.excluded.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(excluded, [("e1", "restricted"), ("e3", "employer_is_party"), ("e4", "declared_relation")]);
        // The restriction's last day is inclusive: the day after, the expert is back.
        assert!(eligibility(&pool, &relations, &parties, "building", day(11)).eligible.contains(&"e1".to_owned()));

        let drawn = DrawRecord::draw("seed".into(), found.clone(), 1);
        assert_eq!(drawn.candidates, found.eligible);
        assert_eq!(drawn.selected, crate::draw("seed", &found.eligible, 1));
        assert_eq!(drawn.excluded, found.excluded);
    }

    #[test]
    fn a_committee_is_odd_and_at_least_the_minimum() {
        let rule = "construction.evaluation.committee";
        assert_eq!(check_size(5, rule, 5), Ok(5));
        assert_eq!(check_size(9, rule, 7), Ok(9));
        for size in [3, 6, 8] {
            let refusal = check_size(size, rule, 7).unwrap_err();
            assert_eq!(refusal, SizeRefusal { rule, minimum: 7 });
            assert_eq!(refusal.to_field_error().code, "committee_size");
        }
    }

    #[test]
    fn the_requests_of_the_pool_and_the_draw_name_every_problem() {
        let codes = |errors: Vec<FieldError>| -> Vec<(String, String)> {
            errors.into_iter().map(|e| (e.field, e.code)).collect()
        };
        let expert =
            NewExpert { name: Some(" ".into()), specialties: Some(ids(&["a,b"])), employer_id: Some("E".into()) };
        assert_eq!(
            codes(read_new_expert(expert).unwrap_err()),
            [
                ("name".to_owned(), "blank".to_owned()),
                ("specialties".to_owned(), "invalid".to_owned()),
                ("employer_id".to_owned(), "invalid_id".to_owned())
            ]
        );
        let expert =
            NewExpert { name: Some(" 王工 ".into()), specialties: Some(ids(&["building"])), employer_id: None };
        assert_eq!(
            read_new_expert(expert).unwrap(),
            NewExpertValues { name: "王工".into(), specialties: ids(&["building"]), employer_id: None }
        );
        assert_eq!(
            codes(read_draw(DrawExperts::default()).unwrap_err()),
            [("specialty".to_owned(), "required".to_owned()), ("size".to_owned(), "required".to_owned())]
        );
        assert_eq!(
            read_draw(DrawExperts { specialty: Some("building".into()), size: Some(5) }).unwrap(),
            ("building".to_owned(), 5)
        );
        assert_eq!(
            codes(read_recusal(RecuseExpert { expert_id: None, reason: Some("x".repeat(201)) }).unwrap_err()),
            [("expert_id".to_owned(), "required".to_owned()), ("reason".to_owned(), "too_long".to_owned())]
        );
        assert_eq!(
            codes(read_relation(DeclareRelation::default()).unwrap_err()),
            [("participant_id".to_owned(), "required".to_owned()), ("relation".to_owned(), "required".to_owned())]
        );
        assert_eq!(
            codes(read_expert_restriction(RestrictExpert { until: None, decision: Some("d".into()) }).unwrap_err()),
            [("until".to_owned(), "required".to_owned())]
        );
    }

    #[test]
    fn a_score_sheet_is_read_whole_and_must_cover_every_bid() {
        let entry = |bidder: Option<&str>, score: Option<&str>| BidScore {
            bidder_id: bidder.map(str::to_owned),
            score: score.map(str::to_owned),
        };
        let bad = SubmitScores {
            scores: Some(vec![entry(Some("b1"), Some("100.001")), entry(None, Some("50")), entry(Some("b3"), None)]),
        };
        let fields: Vec<String> = read_scores(bad).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["scores[0].score", "scores[1].bidder_id", "scores[2].score"]);
        assert_eq!(read_scores(SubmitScores::default()).unwrap_err()[0].field, "scores");

        let sheet = read_scores(SubmitScores {
            scores: Some(vec![entry(Some("b2"), Some("86.50")), entry(Some("b1"), Some("90"))]),
        })
        .unwrap();
        assert_eq!(sheet["b2"], Decimal::new(8650, 2));
        assert_eq!(covers_every_bid(&sheet, &ids(&["b1", "b2"])), Ok(()));
        assert_eq!(covers_every_bid(&sheet, &ids(&["b2", "b1"])), Ok(()));
        assert_eq!(covers_every_bid(&sheet, &ids(&["b1", "b2", "b3"])).unwrap_err().code, "not_every_bid");
        assert_eq!(covers_every_bid(&sheet, &ids(&["b1"])).unwrap_err().code, "not_every_bid");
        // The same bidder twice is one entry of the sheet, not a score of every bid.
        let twice = read_scores(SubmitScores {
            scores: Some(vec![entry(Some("b1"), Some("90")), entry(Some("b1"), Some("80"))]),
        })
        .unwrap();
        assert!(covers_every_bid(&twice, &ids(&["b1", "b2"])).is_err());
    }

    fn sheet(scores: &[(&str, i64)]) -> ScoreSheet {
        scores.iter().map(|(bidder, score)| ((*bidder).to_owned(), Decimal::new(*score, 0))).collect()
    }

    #[test]
    fn the_report_waits_for_every_member_and_ranks_without_rejected_bids() {
        let committee = ids(&["e1", "e2", "e3"]);
        let mut sheets = vec![
            ("e1".to_owned(), sheet(&[("b1", 90), ("b2", 80), ("b3", 95)])),
            ("e2".to_owned(), sheet(&[("b1", 70), ("b2", 80), ("b3", 95)])),
        ];
        assert_eq!(unscored_members(&committee, &sheets), 1);
        sheets.push(("e3".to_owned(), sheet(&[("b1", 80), ("b2", 80), ("b3", 95)])));
        assert_eq!(unscored_members(&committee, &sheets), 0);
        let price = |yuan: i64| Money::from_fen(yuan * 100).unwrap();
        let bids = vec![
            OpenedPrice { bidder_id: "b1".into(), bidder_name: "甲".into(), price: price(900) },
            OpenedPrice { bidder_id: "b2".into(), bidder_name: "乙".into(), price: price(800) },
            OpenedPrice { bidder_id: "b3".into(), bidder_name: "丙".into(), price: price(700) },
        ];
        // b3 scored best but was rejected; b1 and b2 tie at 80 and the lower price ranks first.
        let ranked = candidates(&sheets, &ids(&["b3"]), &bids, 3);
        let order: Vec<(usize, &str, &str)> =
            ranked.iter().map(|c| (c.rank, c.bidder_id.as_str(), c.bidder_name.as_str())).collect();
        assert_eq!(order, [(1, "b2", "乙"), (2, "b1", "甲")]);
        assert_eq!(ranked[0].average_score, Decimal::new(80, 0));
        assert_eq!(ranked[0].price, price(800));
        assert_eq!(candidates(&sheets, &[], &bids, 1).iter().map(|c| c.bidder_id.as_str()).collect::<Vec<_>>(), ["b3"]);
    }

    #[test]
    fn a_contract_is_signed_within_its_categorys_window() {
        use chrono::TimeZone;
        let rule_set = RuleSet::seed();
        let calendar = WorkingCalendar::official().unwrap();
        let awarded = Utc.with_ymd_and_hms(2026, 12, 4, 2, 0, 0).unwrap();
        for (category, rule) in [
            (Category::Procurement, rule_ids::PROCUREMENT_CONTRACT_WINDOW),
            (Category::Construction, rule_ids::CONSTRUCTION_CONTRACT_WINDOW),
            (Category::Other, rule_ids::CONSTRUCTION_CONTRACT_WINDOW),
        ] {
            let window = contract_window(category, &rule_set, awarded, &calendar).unwrap();
            assert_eq!(window, rule_set.due(rule, awarded, &calendar).unwrap(), "{category:?}");
            assert!(!signed_late(window.due, window.due - chrono::Duration::seconds(1)));
            assert!(signed_late(window.due, window.due));
        }
    }

    #[test]
    fn a_report_is_recorded_once_every_member_has_scored() {
        use chrono::TimeZone;
        let committee = ids(&["e1", "e2"]);
        let mut sheets = vec![("e1".to_owned(), sheet(&[("b1", 90), ("b2", 80)]))];
        let price = |yuan: i64| Money::from_fen(yuan * 100).unwrap();
        let bids = vec![
            OpenedPrice { bidder_id: "b1".into(), bidder_name: "甲".into(), price: price(900) },
            OpenedPrice { bidder_id: "b2".into(), bidder_name: "乙".into(), price: price(800) },
        ];
        let rule_set = RuleSet::seed();
        let calendar = WorkingCalendar::official().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 12, 4, 2, 0, 0).unwrap();
        let decide = |sheets: &[(String, ScoreSheet)], recorded: bool| {
            report(&committee, sheets, recorded, &[], &bids, &rule_set, &calendar, now)
        };
        assert_eq!(decide(&sheets, false), Err(ReportRefusal::Unscored(1)));
        // The missing scores are told before the report already recorded.
        assert_eq!(decide(&sheets, true), Err(ReportRefusal::Unscored(1)));
        sheets.push(("e2".to_owned(), sheet(&[("b1", 70), ("b2", 80)])));
        assert_eq!(decide(&sheets, true), Err(ReportRefusal::AlreadyRecorded));
        let recorded = decide(&sheets, false).unwrap();
        assert_eq!(recorded.candidates, candidates(&sheets, &[], &bids, usize::MAX));
        let publicity = rule_set.due(rule_ids::CONSTRUCTION_CANDIDATES_PUBLICITY, now, &calendar).unwrap();
        assert_eq!(recorded.publicity_end, publicity.due);
        assert!(recorded.publicity_end > now);
        let few = RuleSet { time_limits: Vec::new(), ..RuleSet::seed() };
        assert!(matches!(
            report(&committee, &sheets, false, &[], &bids, &few, &calendar, now),
            Err(ReportRefusal::Uncounted(DeadlineError::UnknownRule(_)))
        ));
    }

    #[test]
    fn an_award_names_its_winner_and_a_contract_its_amount_and_file() {
        assert_eq!(read_award(AwardSection { winner_id: None }).unwrap_err()[0].code, "required");
        assert_eq!(read_award(AwardSection { winner_id: Some("w".into()) }).unwrap(), "w");
        let bad = SignContract { amount: Some("-1".into()), sha256: Some("A".repeat(64)) };
        let fields: Vec<(String, String)> =
            read_contract(bad).unwrap_err().into_iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[1], ("sha256".to_owned(), "invalid_sha256".to_owned()));
        let (amount, sha) =
            read_contract(SignContract { amount: Some("985000.00".into()), sha256: Some("a".repeat(64)) }).unwrap();
        assert_eq!((amount.fen(), sha.len()), (98_500_000, 64));
    }
}

#[cfg(test)]
mod decision_tests {
    use super::*;
    use ggzy_rules::ruleset::TenderingNumbers;

    fn ids(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    fn pool(n: usize) -> Eligibility {
        Eligibility { eligible: (0..n).map(|i| format!("e{i}")).collect(), excluded: Vec::new() }
    }

    fn section(opened: bool, drawn_before: bool, category: Category, yuan: i64) -> DrawSection {
        DrawSection { opened, drawn_before, category, budget: Money::from_fen(yuan * 100).unwrap() }
    }

    #[test]
    fn a_draw_waits_for_the_opening_and_is_made_once() {
        let t = TenderingNumbers::seed();
        let open = section(true, false, Category::Construction, 1_000);
        let planned = plan_draw(open, "building", 5, &t, pool(7), "seed".into()).unwrap();
        assert_eq!(planned.size, 5);
        assert_eq!(planned.record, DrawRecord::draw("seed".into(), pool(7), 5));
        // The section's state comes first, whatever else is wrong.
        let closed = section(false, true, Category::Construction, 1_000);
        assert_eq!(plan_draw(closed, "building", 4, &t, pool(0), "s".into()), Err(DrawRefusal::NotOpened));
        let drawn = section(true, true, Category::Construction, 1_000);
        assert_eq!(plan_draw(drawn, "building", 4, &t, pool(0), "s".into()), Err(DrawRefusal::AlreadyDrawn));
        assert_eq!(DrawRefusal::NotOpened.detail(), "开标后方可抽取评标专家");
        assert_eq!(DrawRefusal::AlreadyDrawn.detail(), "本标段已抽取评标委员会；个别回避请用回避补抽");
    }

    #[test]
    fn a_committee_is_odd_at_least_the_minimum_and_needs_enough_experts() {
        let t = TenderingNumbers::seed();
        let building = section(true, false, Category::Construction, 1_000);
        let size_refused = |rule, minimum| Err(DrawRefusal::Size(SizeRefusal { rule, minimum }));
        assert_eq!(
            plan_draw(building, "b", 3, &t, pool(9), "s".into()),
            size_refused(rule_ids::CONSTRUCTION_EVALUATION_COMMITTEE, 5)
        );
        assert_eq!(
            plan_draw(building, "b", 6, &t, pool(9), "s".into()),
            size_refused(rule_ids::CONSTRUCTION_EVALUATION_COMMITTEE, 5)
        );
        // The size is told before the pool.
        assert_eq!(
            plan_draw(building, "b", 4, &t, pool(0), "s".into()),
            size_refused(rule_ids::CONSTRUCTION_EVALUATION_COMMITTEE, 5)
        );
        // Procurement's larger committee from its budget threshold (10,000,000 yuan) on.
        let below = section(true, false, Category::Procurement, 9_999_999);
        assert_eq!(plan_draw(below, "g", 5, &t, pool(5), "s".into()).map(|p| p.size), Ok(5));
        let at = section(true, false, Category::Procurement, 10_000_000);
        assert_eq!(plan_draw(at, "g", 5, &t, pool(9), "s".into()), size_refused(rule_ids::PROCUREMENT_COMMITTEE, 7));
        assert_eq!(plan_draw(at, "g", 7, &t, pool(7), "s".into()).map(|p| p.size), Ok(7));
        // Exactly enough experts draws; one fewer is refused with the counts.
        let too_few = plan_draw(building, "building", 5, &t, pool(4), "s".into());
        assert_eq!(too_few, Err(DrawRefusal::TooFewEligible { specialty: "building".into(), eligible: 4, size: 5 }));
        assert_eq!(too_few.unwrap_err().detail(), "符合条件的 building 专业专家只有 4 名，不足 5 名");
        assert_eq!(plan_draw(building, "building", 5, &t, pool(5), "s".into()).map(|p| p.record.selected.len()), Ok(5));
    }

    #[test]
    fn scores_come_from_a_member_before_the_report_for_every_bid() {
        let committee = ids(&["e1", "e2"]);
        let bidders = ids(&["b2", "b1"]);
        let sheet: ScoreSheet = [("b1".to_owned(), Decimal::from(80)), ("b2".to_owned(), Decimal::from(90))].into();
        assert_eq!(accept_scores(&committee, "e1", false, &sheet, &bidders), Ok(()));
        // Not a member: told first, even after the report and with a partial sheet.
        assert_eq!(
            accept_scores(&committee, "x", true, &ScoreSheet::new(), &bidders),
            Err(ScoreRefusal::NotOnCommittee)
        );
        assert_eq!(accept_scores(&committee, "e2", true, &ScoreSheet::new(), &bidders), Err(ScoreRefusal::Reported));
        let partial: ScoreSheet = [("b1".to_owned(), Decimal::from(80))].into();
        let Err(ScoreRefusal::NotEveryBid(problem)) = accept_scores(&committee, "e2", false, &partial, &bidders) else {
            panic!("a partial sheet is refused");
        };
        assert_eq!((problem.field.as_str(), problem.code.as_str()), ("scores", "not_every_bid"));
    }

    #[test]
    fn a_score_refusal_bars_a_stranger_and_tells_the_rest_as_state_or_request() {
        assert_eq!(
            Answer::from(ScoreRefusal::NotOnCommittee),
            Answer::Forbidden { detail: "不是本标段评标委员会成员".into(), rule: None }
        );
        assert_eq!(Answer::from(ScoreRefusal::Reported), Answer::Conflict("评标报告已形成".into()));
        assert_eq!(Answer::from(ScoreRefusal::AlreadySubmitted), Answer::Conflict("已提交评分".into()));
        let problem = FieldError::new("scores", "not_every_bid", "须为每个投标评分");
        assert_eq!(Answer::from(ScoreRefusal::NotEveryBid(problem.clone())), Answer::Invalid(vec![problem]));
    }

    #[test]
    fn a_missing_step_before_the_contract_is_the_sections_state() {
        assert_eq!(reporting_committee(Some("d1")), Ok("d1"));
        assert_eq!(reporting_committee::<&str>(None), Err(ResultStop::NoCommittee));
        assert_eq!(recorded_report(Some(3)), Ok(3));
        assert_eq!(recorded_report::<u8>(None), Err(ResultStop::NoReport));
        assert_eq!(contract_award(Some(7)), Ok(7));
        assert_eq!(contract_award::<u8>(None), Err(ResultStop::NotAwarded));
        let told = [
            (ResultStop::NoCommittee, "尚未抽取评标专家"),
            (ResultStop::NoReport, "评标报告尚未形成"),
            (ResultStop::NotAwarded, "尚未确定中标人"),
            (ResultStop::ContractSigned, "合同已登记"),
        ];
        for (stop, detail) in told {
            assert_eq!(Answer::from(stop), Answer::Conflict(detail.into()));
        }
    }

    #[test]
    fn a_rejection_names_a_bidder_of_an_opened_section_before_the_report() {
        const B: &str = "01a199c5-3280-7667-9c55-000000000001";
        let request = |bidder: Option<&str>, reason: Option<&str>| RejectBid {
            bidder_id: bidder.map(str::to_owned),
            reason: reason.map(str::to_owned),
        };
        assert_eq!(
            read_rejection(request(Some(B), Some(" 报价低于成本 "))),
            Ok((B.to_owned(), "报价低于成本".to_owned()))
        );
        let problems = read_rejection(request(None, Some(""))).unwrap_err();
        let codes: Vec<(&str, &str)> = problems.iter().map(|p| (p.field.as_str(), p.code.as_str())).collect();
        assert_eq!(codes, vec![("bidder_id", "required"), ("reason", "blank")]);
        let problems = read_rejection(request(Some("b"), Some(&"字".repeat(501)))).unwrap_err();
        let codes: Vec<(&str, &str)> = problems.iter().map(|p| (p.field.as_str(), p.code.as_str())).collect();
        assert_eq!(codes, vec![("bidder_id", "invalid_id"), ("reason", "too_long")]);

        let bidders = ids(&["b1", "b2"]);
        assert_eq!(may_reject(true, false, &bidders, "b2"), Ok(()));
        assert_eq!(may_reject(false, true, &[], "x"), Err(RejectionRefusal::NotOpened));
        assert_eq!(may_reject(true, true, &[], "x"), Err(RejectionRefusal::Reported));
        assert_eq!(may_reject(true, false, &bidders, "x"), Err(RejectionRefusal::NotABidder));
        let problem = RejectionRefusal::NotABidder.to_field_error();
        assert_eq!(
            (problem.field.as_str(), problem.code.as_str(), problem.message.as_str()),
            ("bidder_id", "not_a_bidder", "该主体未在本标段投标")
        );
        assert_eq!(RejectionRefusal::NotABidder.answer(), Answer::Invalid(vec![problem]));
        assert_eq!(RejectionRefusal::NotOpened.answer(), Answer::Conflict("标段尚未开标".into()));
        assert_eq!(RejectionRefusal::Reported.answer(), Answer::Conflict("评标报告已形成，不能再否决投标".into()));
    }
}

#[cfg(test)]
mod replay_tests {
    use super::*;

    fn pool(n: usize) -> Eligibility {
        Eligibility { eligible: (0..n).map(|i| format!("e{i}")).collect(), excluded: Vec::new() }
    }

    #[test]
    fn a_draw_and_its_replacements_replay_from_their_seeds() {
        let mut record = DrawRecord::draw("seed".into(), pool(9), 5);
        let replay = record.replay(5);
        assert!(replay.matches);
        assert_eq!(replay.replayed, record.selected);
        assert_eq!(replay.recorded, record.selected);
        let member = record.selected[1].clone();
        record.recuse(&member, "回避".into(), "s2".into()).unwrap();
        assert!(!record.seats(&member));
        assert!(record.seats(record.recusals[0].replacement.as_deref().unwrap()));
        assert!(record.replay(5).matches, "a replacement replays from its own seed");
        // A replacement other than the seed gives does not match; nor does another size.
        let mut forged = record.clone();
        forged.recusals[0].replacement = Some("nobody".into());
        assert!(!forged.replay(5).matches);
        assert!(!record.replay(3).matches);
        let mut reseeded = DrawRecord::draw("seed".into(), pool(9), 5);
        reseeded.selected.reverse();
        assert!(!reseeded.replay(5).matches, "the order drawn is the seed's");
    }
}

#[cfg(test)]
mod result_tests {
    use super::*;
    use chrono::TimeZone;
    use ggzy_rules::Funding;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap()
    }

    fn candidate(bidder: &str, rank: usize) -> Candidate {
        Candidate {
            rank,
            bidder_id: bidder.into(),
            bidder_name: bidder.into(),
            average_score: Decimal::from(80),
            price: Money::ZERO,
        }
    }

    #[test]
    fn a_stopped_award_names_its_rule_and_the_field_to_change() {
        let ends = at(2026, 12, 1);
        let running = AwardStop::Refused(crate::AwardRefusal::PublicityRunning { ends }).answer();
        let Answer::Rule { rule, detail, problems } = running else { panic!("{running:?}") };
        assert_eq!(rule, rule_ids::CONSTRUCTION_CANDIDATES_PUBLICITY);
        assert!(detail.starts_with("中标候选人公示期至 2026-12-01"), "{detail}");
        assert!(problems.is_empty());
        let rank = AwardStop::Refused(crate::AwardRefusal::NotFirstRanked).answer();
        let Answer::Rule { rule, problems, .. } = rank else { panic!("{rank:?}") };
        assert_eq!(rule, rule_ids::CONSTRUCTION_CANDIDATES_MAX);
        assert_eq!((problems[0].field.as_str(), problems[0].code.as_str()), ("winner_id", "not_first_ranked"));
        let candidate = AwardStop::Refused(crate::AwardRefusal::NotACandidate).answer();
        let Answer::Invalid(problems) = candidate else { panic!("{candidate:?}") };
        assert_eq!((problems[0].field.as_str(), problems[0].code.as_str()), ("winner_id", "not_a_candidate"));
        assert_eq!(AwardStop::AlreadyAwarded.answer(), Answer::Conflict("已确定中标人".into()));
    }

    #[test]
    fn an_award_is_refused_as_decide_award_says_then_once_awarded() {
        let end = at(2026, 12, 1);
        let before = end - chrono::Duration::seconds(1);
        let list = [candidate("b1", 1), candidate("b2", 2)];
        let state = Funding::StateFunded;
        assert_eq!(award(end, end, &list, "b1", state, false), Ok(()));
        // The publicity, the candidate and the rank are told before an award made already.
        assert_eq!(
            award(before, end, &list, "b1", state, true),
            Err(AwardStop::Refused(crate::AwardRefusal::PublicityRunning { ends: end }))
        );
        assert_eq!(
            award(end, end, &list, "x", state, true),
            Err(AwardStop::Refused(crate::AwardRefusal::NotACandidate))
        );
        assert_eq!(
            award(end, end, &list, "b2", state, true),
            Err(AwardStop::Refused(crate::AwardRefusal::NotFirstRanked))
        );
        assert_eq!(award(end, end, &list, "b1", state, true), Err(AwardStop::AlreadyAwarded));
        assert_eq!(award(end, end, &list, "b2", Funding::SocialInvestment, false), Ok(()));
    }

    #[test]
    fn provisional_years_join_the_publicity_and_the_contract_window() {
        let official = [2026];
        assert!(provisional_years(&official, (at(2026, 11, 1), at(2026, 11, 5)), None).is_empty());
        assert_eq!(provisional_years(&official, (at(2026, 12, 28), at(2027, 1, 5)), None), vec![2027]);
        assert_eq!(
            provisional_years(&official, (at(2026, 12, 28), at(2027, 1, 5)), Some((at(2027, 1, 6), at(2028, 1, 10)))),
            vec![2027, 2028]
        );
        assert_eq!(
            provisional_years(
                &[2026, 2027],
                (at(2026, 12, 28), at(2027, 1, 5)),
                Some((at(2027, 1, 6), at(2027, 2, 1)))
            ),
            Vec::<i32>::new()
        );
    }

    #[test]
    fn a_specialty_filter_is_one_code_and_specialties_are_stored_comma_joined() {
        let mut problems = Vec::new();
        assert_eq!(read_specialty_filter(&mut problems, " building ".into()), Some("building".into()));
        assert!(problems.is_empty());
        assert_eq!(read_specialty_filter(&mut problems, "a,b".into()), None);
        assert_eq!(read_specialty_filter(&mut problems, " ".into()), None);
        let codes: Vec<(&str, &str)> = problems.iter().map(|p| (p.field.as_str(), p.code.as_str())).collect();
        assert_eq!(codes, vec![("specialty", "invalid"), ("specialty", "blank")]);
        let codes = vec!["building".to_owned(), "municipal".to_owned()];
        assert_eq!(stored_specialties(&codes), "building,municipal");
        assert_eq!(specialties_of(&stored_specialties(&codes)), codes);
        assert_eq!(specialties_of(",building,,"), vec!["building".to_owned()]);
        assert!(specialties_of("").is_empty());
    }
}

#[cfg(test)]
mod own_page_tests {
    use super::*;
    use chrono::TimeZone;

    fn committee(draw: &str, state: CommitteeState) -> OwnCommittee {
        OwnCommittee {
            draw_id: draw.into(),
            section_id: format!("s-{draw}"),
            section_name: String::new(),
            project_id: String::new(),
            project_code: String::new(),
            project_name: String::new(),
            specialty: "building".into(),
            drawn_at: Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap(),
            state,
            scores_submitted_at: None,
        }
    }

    fn draws(page: Option<Vec<OwnCommittee>>) -> Option<Vec<String>> {
        page.map(|items| items.into_iter().map(|c| c.draw_id).collect())
    }

    #[test]
    fn a_page_starts_after_its_cursor_among_all_and_keeps_the_state_asked() {
        use CommitteeState::*;
        let all = || {
            vec![
                committee("d4", AwaitingScores),
                committee("d3", Scored),
                committee("d2", AwaitingScores),
                committee("d1", Reported),
            ]
        };
        let ids = |list: &[&str]| Some(list.iter().map(|d| (*d).to_owned()).collect::<Vec<_>>());
        assert_eq!(draws(own_page(all(), None, None, 10)), ids(&["d4", "d3", "d2", "d1"]));
        assert_eq!(draws(own_page(all(), None, None, 2)), ids(&["d4", "d3"]));
        assert_eq!(draws(own_page(all(), None, Some(AwaitingScores), 10)), ids(&["d4", "d2"]));
        // The cursor's own committee is no longer awaiting scores: the page still follows it.
        assert_eq!(draws(own_page(all(), Some("d3"), Some(AwaitingScores), 10)), ids(&["d2"]));
        assert_eq!(draws(own_page(all(), Some("d1"), None, 10)), ids(&[]));
        assert_eq!(draws(own_page(all(), Some("x"), None, 10)), None);
        assert_eq!(draws(own_page(vec![], None, Some(Reported), 10)), ids(&[]));
    }
}

#[cfg(test)]
mod reference_tests {
    use super::*;

    #[test]
    fn an_employer_and_a_related_participant_are_registered() {
        assert_eq!(check_employer(None), Ok(()));
        assert_eq!(check_employer(Some(true)), Ok(()));
        let problem = check_employer(Some(false)).unwrap_err();
        assert_eq!(
            (problem.field.as_str(), problem.code.as_str(), problem.message.as_str()),
            ("employer_id", "unknown_participant", "所在单位须为已登记的市场主体")
        );
        assert_eq!(check_relation(true), Ok(()));
        let problem = check_relation(false).unwrap_err();
        assert_eq!(
            (problem.field.as_str(), problem.code.as_str(), problem.message.as_str()),
            ("participant_id", "unknown_participant", "市场主体不存在")
        );
    }
}
