//! The demo's sales board: a pipeline with its stages, a few hundred leads that went through
//! it (created, assigned, moved stage by stage with their statuses), and the notes and tasks
//! people left on them, spread over the last three months.
//!
//! Every lead is written the way the API writes one ([`write::create`], then
//! [`write::update`] for each move), so audit entries, timeline entries, stage history and
//! kanban ranks are the slice's own. Those writes stamp their rows with the transaction's
//! `now()`; after each one, [`backdate`] moves what it wrote to when it happened in the story.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Timelike, Utc};
use kernel::events::NewEvent;
use kernel::slice::SliceError;
use kernel::UnitOfWork;
use serde_json::Map;
use sqlx::PgConnection;
use uuid::Uuid;

use super::people::{People, Person, Rng, COMPANY_SIZES, INDUSTRIES};
use super::problem;
use crate::checks::{self, Rules};
use crate::fields::{LeadInput, LeadPatch};
use crate::history::{publish_leads, Actor, Effects};
use crate::Members;

/// Leads on the board.
pub const LEADS: usize = 300;

/// The pipeline made when the tenant has none: name, win probability, won, lost.
const STAGES: [(&str, i16, bool, bool); 6] = [
    ("New", 10, false, false),
    ("Contacted", 20, false, false),
    ("Qualified", 40, false, false),
    ("Proposal", 60, false, false),
    ("Won", 100, true, false),
    ("Lost", 0, false, true),
];

#[derive(Debug)]
struct Stage {
    id: Uuid,
    is_won: bool,
    is_lost: bool,
}

/// Where a lead's story ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// In the n-th open stage.
    Open(usize),
    Won,
    Lost,
}

/// What the story of a lead needs to know about the tenant.
struct Board {
    /// Open stages in order, then the won and the lost stage if the pipeline has them.
    open: Vec<Uuid>,
    won: Option<Uuid>,
    lost: Option<Uuid>,
    statuses: Vec<String>,
    /// Custom fields the demo fills, if the tenant's definitions allow the values.
    industry: bool,
    company_size: bool,
}

impl Board {
    fn status(&self, wanted: &str) -> Option<String> {
        self.statuses.iter().find(|s| s.as_str() == wanted).cloned()
    }
}

/// Seeds the board in the caller's transaction. `team` are the members who own leads, the
/// first the most.
pub async fn seed(
    work: &mut UnitOfWork,
    members: &dyn Members,
    team: &[Uuid],
    rng: &mut Rng,
    people: &mut People,
) -> Result<(), SliceError> {
    let board = prepare(work).await?;
    let conn: &mut PgConnection = work;
    let mut rules = Rules::load(&mut *conn, members).await.map_err(problem)?;
    let now = Utc::now();
    let mut created: Vec<(Uuid, Effects)> = Vec::with_capacity(LEADS);
    let mut updated: HashMap<Uuid, Effects> = HashMap::new();
    let mut entries: Vec<(Uuid, Vec<Uuid>)> = Vec::new();
    for _ in 0..LEADS {
        let person = people.person(rng);
        let story = Story::new(rng, &board, team, now);
        let actor = match story.owner.or_else(|| team.first().copied()) {
            Some(id) => Actor {
                kind: "user",
                id: Some(id),
            },
            None => Actor {
                kind: "system",
                id: None,
            },
        };
        let input = lead_input(&board, &person, &story);
        let (mut lead, effects) = crate::write::create(&mut *conn, &mut rules, actor, input)
            .await
            .map_err(problem)?;
        backdate(&mut *conn, lead.id, story.times[0]).await?;
        created.push((lead.id, effects));
        for (step, stage) in story.path.iter().enumerate().skip(1) {
            let patch = LeadPatch {
                stage_id: Some(Some(*stage)),
                status: story.statuses[step].clone(),
                ..LeadPatch::default()
            };
            let moved = crate::write::update(&mut *conn, &mut rules, actor, "move", &lead, &patch)
                .await
                .map_err(problem)?;
            if let Some((after, effects)) = moved {
                lead = after;
                let seen = updated.entry(lead.id).or_default();
                seen.stage_changed |= effects.stage_changed;
                seen.owner_changed |= effects.owner_changed;
            }
            backdate(&mut *conn, lead.id, story.times[step]).await?;
        }
        let written = activities(&mut *conn, lead.id, rng, &person, &story, actor, now).await?;
        if !written.is_empty() {
            entries.push((lead.id, written));
        }
    }
    publish_leads(work, "created", &created).await?;
    let updated: Vec<(Uuid, Effects)> = updated.into_iter().collect();
    publish_leads(work, "updated", &updated).await?;
    for (lead, ids) in entries {
        let event = NewEvent::for_ids("lead-timeline", "lead_timeline.created", ids)?
            .with("leadId", lead.to_string().into())?;
        work.publish(&event).await?;
    }
    Ok(())
}

/// The tenant's first pipeline (made with [`STAGES`] when it has none), its statuses, and
/// the demo's custom fields (defined unless the tenant has fields of those keys).
async fn prepare(work: &mut UnitOfWork) -> Result<Board, SliceError> {
    let existing =
        sqlx::query_scalar!("SELECT id FROM lead_pipelines ORDER BY created_at, id LIMIT 1")
            .fetch_optional(&mut **work)
            .await?;
    let pipeline = match existing {
        Some(id) => id,
        None => {
            let id = Uuid::now_v7();
            sqlx::query!(
                "INSERT INTO lead_pipelines (tenant_id, id, name)
                 VALUES (kernel_current_tenant(), $1, 'Sales')",
                id,
            )
            .execute(&mut **work)
            .await?;
            work.publish_ids("pipelines", "pipeline.created", &[id])
                .await?;
            id
        }
    };
    let mut stages = stages_of(work, pipeline).await?;
    if stages.is_empty() {
        for (position, (name, probability, is_won, is_lost)) in STAGES.iter().enumerate() {
            sqlx::query!(
                "INSERT INTO lead_stages (tenant_id, id, pipeline_id, name, position,
                     probability, is_won, is_lost)
                 VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6, $7)",
                Uuid::now_v7(),
                pipeline,
                name,
                i32::try_from(position).unwrap_or(i32::MAX),
                probability,
                is_won,
                is_lost,
            )
            .execute(&mut **work)
            .await?;
        }
        stages = stages_of(work, pipeline).await?;
    }
    for (key, label, options) in [
        ("industry", "Industry", INDUSTRIES),
        ("company_size", "Company size", COMPANY_SIZES),
    ] {
        sqlx::query!(
            "INSERT INTO lead_field_definitions (tenant_id, key, label, kind, options)
             VALUES (kernel_current_tenant(), $1, $2, 'select', $3) ON CONFLICT DO NOTHING",
            key,
            label,
            options as &[&str],
        )
        .execute(&mut **work)
        .await?;
    }
    let definitions = checks::definitions(work).await?;
    let fits = |key: &str, values: &[&str]| {
        definitions.iter().any(|d| {
            d.key == key
                && d.kind == "select"
                && values.iter().all(|v| d.options.iter().any(|o| o == v))
        })
    };
    Ok(Board {
        open: stages
            .iter()
            .filter(|s| !s.is_won && !s.is_lost)
            .map(|s| s.id)
            .collect(),
        won: stages.iter().find(|s| s.is_won).map(|s| s.id),
        lost: stages.iter().find(|s| s.is_lost).map(|s| s.id),
        statuses: checks::statuses(work).await?,
        industry: fits("industry", INDUSTRIES),
        company_size: fits("company_size", COMPANY_SIZES),
    })
}

/// The stages of `pipeline`, in order.
async fn stages_of(conn: &mut PgConnection, pipeline: Uuid) -> Result<Vec<Stage>, sqlx::Error> {
    sqlx::query_as!(
        Stage,
        "SELECT id, is_won, is_lost FROM lead_stages WHERE pipeline_id = $1
         ORDER BY position, id",
        pipeline,
    )
    .fetch_all(conn)
    .await
}

/// One lead's story: its owner and score, the stages it went through with the status it had
/// in each, and when each step happened.
struct Story {
    outcome: Outcome,
    /// In the last open stage (proposal), past the first two.
    late: bool,
    owner: Option<Uuid>,
    score: i64,
    path: Vec<Uuid>,
    /// The status each step sets (`None`: the tenant has no such status; left as it was).
    statuses: Vec<Option<String>>,
    /// When each step happened, oldest first; the last is the lead's latest activity.
    times: Vec<DateTime<Utc>>,
}

impl Story {
    fn new(rng: &mut Rng, board: &Board, team: &[Uuid], now: DateTime<Utc>) -> Self {
        let mut outcomes: Vec<(Outcome, i64)> = (0..board.open.len())
            .map(|k| (Outcome::Open(k), (30 - 6 * k as i64).max(8)))
            .collect();
        if board.won.is_some() {
            outcomes.push((Outcome::Won, 9));
        }
        if board.lost.is_some() {
            outcomes.push((Outcome::Lost, 9));
        }
        let outcome = if outcomes.is_empty() {
            Outcome::Open(0)
        } else {
            *rng.weighted(&outcomes)
        };
        let last_open = board.open.len().saturating_sub(1);
        let (mut path, score, age_days): (Vec<Uuid>, (i64, i64), (i64, i64)) = match outcome {
            Outcome::Open(k) => {
                let k = k as i64;
                (
                    board.open.iter().take(k as usize + 1).copied().collect(),
                    (5 + 12 * k, 40 + 15 * k),
                    (7 * k, 21 + 23 * k),
                )
            }
            Outcome::Won => (board.open.clone(), (70, 100), (25, 89)),
            Outcome::Lost => {
                let reached = rng.range(0, last_open as i64) as usize;
                (
                    board.open.iter().take(reached + 1).copied().collect(),
                    (0, 35),
                    (10, 89),
                )
            }
        };
        path.extend(match outcome {
            Outcome::Won => board.won,
            Outcome::Lost => board.lost,
            Outcome::Open(_) => None,
        });
        let owner = match team {
            [] => None,
            _ if outcome == Outcome::Open(0) && rng.chance(35) => None,
            [only] => Some(*only),
            [first, rest @ ..] if rng.chance(55) || rest.is_empty() => Some(*first),
            [_, rest @ ..] => Some(*rng.pick(rest)),
        };
        let statuses = (0..path.len())
            .map(|step| {
                let wanted = match outcome {
                    _ if step == 0 && owner.is_some() => "Assigned",
                    _ if step == 0 => "New",
                    Outcome::Won if step == path.len() - 1 => "Converted",
                    Outcome::Lost if step == path.len() - 1 => {
                        if rng.chance(70) {
                            "Dead"
                        } else {
                            "Recycled"
                        }
                    }
                    _ => "In Process",
                };
                board.status(wanted)
            })
            .collect();
        // Created `age` ago, its last step some of that time later, at
        // least an hour before now so nothing happens in the future.
        let age = Duration::days(rng.range(age_days.0, age_days.1.min(89)))
            + Duration::minutes(rng.range(60, 10 * 60));
        let created = working_hours(now - age, now);
        let age = now - created;
        let span =
            (age - Duration::hours(1)) * i32::try_from(rng.range(35, 95)).unwrap_or(50) / 100;
        let steps = i32::try_from(path.len()).unwrap_or(1).max(1);
        let mut times: Vec<DateTime<Utc>> = Vec::with_capacity(path.len());
        for step in 0..steps {
            let at = match step {
                0 => created,
                _ => working_hours(created + span * step / (steps - 1).max(1), now),
            };
            // Moving a time into working hours must not put a step before the one before.
            let after_previous = times.last().map(|t| *t + Duration::minutes(1));
            times.push(after_previous.map_or(at, |earliest| at.max(earliest)));
        }
        Story {
            late: matches!(outcome, Outcome::Open(k) if k >= 2 && k == last_open),
            outcome,
            owner,
            score: rng.range(score.0, score.1.min(100)),
            path,
            statuses,
            times,
        }
    }

    /// The time of the last step.
    fn last(&self) -> DateTime<Utc> {
        self.times.last().copied().unwrap_or_else(Utc::now)
    }

    /// The time of the step before the last (the first step if there is one).
    fn previous(&self) -> DateTime<Utc> {
        let mut back = self.times.iter().rev();
        back.nth(1)
            .or(self.times.first())
            .copied()
            .unwrap_or_else(Utc::now)
    }
}

/// `at` moved into the working day (08:00 to 19:00 UTC).
fn working_day(at: DateTime<Utc>) -> DateTime<Utc> {
    match at.hour() {
        0..=7 => at + Duration::hours(10),
        19..=23 => at - Duration::hours(10),
        _ => at,
    }
}

/// The end of the working day of `day` (17:00 UTC), when tasks fall due.
fn due_on(day: DateTime<Utc>) -> DateTime<Utc> {
    day.with_hour(17)
        .and_then(|t| t.with_minute(0))
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(day)
}

/// [`working_day`], unless that would put a past event in the future.
fn working_hours(at: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
    let moved = working_day(at);
    if moved < now - Duration::minutes(30) {
        moved
    } else {
        at
    }
}

fn lead_input(board: &Board, person: &Person, story: &Story) -> LeadInput {
    let mut custom = Map::new();
    if board.industry {
        custom.insert("industry".into(), person.company.industry.into());
    }
    if board.company_size {
        custom.insert("company_size".into(), person.company.size.into());
    }
    LeadInput {
        first_name: Some(person.first_name.clone()),
        last_name: Some(person.last_name.clone()),
        email: Some(person.email.clone()),
        phone: Some(person.phone.clone()),
        company: Some(person.company.name.clone()),
        title: Some(person.title.clone()),
        website: Some(person.company.website.clone()),
        source: Some(person.source.clone()),
        status: story.statuses.first().cloned().flatten(),
        score: Some(story.score),
        owner_id: story.owner,
        tags: Some(person.tags.clone()),
        custom: Some(custom),
        timezone: Some(person.timezone.clone()),
        pipeline_id: None,
        stage_id: story.path.first().copied(),
    }
}

/// Moves what this transaction has written so far for `lead` (the rows stamped `now()`) to
/// `at`: its timeline and audit entries, its stage history, and the lead's own times.
async fn backdate(
    conn: &mut PgConnection,
    lead: Uuid,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "WITH timeline AS (
             UPDATE lead_timeline SET created_at = $2, updated_at = $2
             WHERE lead_id = $1 AND created_at = now()
         ), audit AS (
             UPDATE lead_audit SET created_at = $2 WHERE lead_id = $1 AND created_at = now()
         ), stages AS (
             UPDATE lead_stage_history SET changed_at = $2
             WHERE lead_id = $1 AND changed_at = now()
         )
         UPDATE leads SET updated_at = $2,
             created_at = CASE WHEN created_at = now() THEN $2 ELSE created_at END
         WHERE id = $1",
        lead,
        at,
    )
    .execute(conn)
    .await?;
    Ok(())
}

const TOPICS: &[&str] = &[
    "lead follow-up",
    "appointment booking",
    "customer onboarding",
    "weekly reporting",
    "outbound prospecting",
    "missed calls after hours",
];

/// Note templates by where the lead is: `{first}`, `{company}`, `{industry}`, `{topic}`.
const EARLY_NOTES: &[&str] = &[
    "Left a voicemail for {first}; will try again Thursday morning.",
    "{first} replied to the intro email and asked for a short overview deck.",
    "Met {first} at our booth. {company} handles {topic} in spreadsheets today.",
    "{first} forwarded our email to their operations lead; waiting to hear back.",
];
const QUALIFIED_NOTES: &[&str] = &[
    "Discovery call with {first}: main pain is {topic}. Decision expected this quarter.",
    "{first} asked for a case study from another {industry} client.",
    "Demo went well. {first} wants to loop in finance before the next call.",
];
const PROPOSAL_NOTES: &[&str] = &[
    "Budget confirmed by {first}; procurement will send a security questionnaire.",
    "Sent the proposal to {first}: 12-month term, monthly billing, onboarding included.",
    "{first} is reviewing the proposal with their CFO; decision expected next week.",
];
const WON_NOTES: &[&str] = &[
    "Signed! {company} starts onboarding next week; kickoff call booked with {first}.",
    "Contract countersigned. {first} wants {topic} live before month end.",
];
const LOST_NOTES: &[&str] = &[
    "Lost to a cheaper competitor. {first} is open to talk again next year.",
    "{company} froze new spending this quarter; {first} asked us to check back in Q3.",
    "No response after three follow-ups; closing for now.",
];
const OPEN_TASKS: &[&str] = &[
    "Call {first} to qualify budget and timeline",
    "Send {first} the {industry} case study",
    "Book a demo with {first} and the {company} team",
    "Follow up on the proposal sent to {company}",
    "Check in with {first} about next steps",
];
const WON_TASKS: &[&str] = &[
    "Prepare the contract for {company}",
    "Send {first} the onboarding checklist",
];
const LOST_TASKS: &[&str] = &[
    "Ask {first} for feedback on the decision",
    "Send {first} a last follow-up before closing",
];

fn fill(rng: &mut Rng, template: &str, person: &Person) -> String {
    let topic: &str = TOPICS[usize::try_from(rng.range(0, TOPICS.len() as i64 - 1)).unwrap_or(0)];
    template
        .replace("{first}", &person.first_name)
        .replace("{company}", &person.company.name)
        .replace("{industry}", &person.company.industry.to_lowercase())
        .replace("{topic}", topic)
}

/// The notes and tasks people left on a lead; returns their ids.
async fn activities(
    conn: &mut PgConnection,
    lead: Uuid,
    rng: &mut Rng,
    person: &Person,
    story: &Story,
    actor: Actor,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, sqlx::Error> {
    let (previous, last) = (story.previous(), story.last());
    let (notes, tasks, note_chance, task_chance): (&[&str], &[&str], i64, i64) = match story.outcome
    {
        Outcome::Open(0) => (EARLY_NOTES, OPEN_TASKS, 10, 15),
        Outcome::Open(1) => (EARLY_NOTES, OPEN_TASKS, 55, 45),
        Outcome::Open(_) if story.late => (PROPOSAL_NOTES, OPEN_TASKS, 70, 55),
        Outcome::Open(_) => (QUALIFIED_NOTES, OPEN_TASKS, 65, 50),
        Outcome::Won => (WON_NOTES, WON_TASKS, 70, 40),
        Outcome::Lost => (LOST_NOTES, LOST_TASKS, 60, 25),
    };
    // Notes are about where the lead is now: written since its last move but one.
    let latest_note = (last + Duration::days(3)).min(now - Duration::minutes(30));
    let mut ids = Vec::new();
    if rng.chance(note_chance) {
        // One or two different notes.
        let first = usize::try_from(rng.range(0, notes.len() as i64 - 1)).unwrap_or(0);
        for n in 0..usize::try_from(rng.range(1, 2)).unwrap_or(1) {
            let at = working_hours(between(rng, previous, latest_note), now);
            let template = notes[(first + n) % notes.len()];
            let body = fill(rng, template, person);
            ids.push(entry(conn, lead, "note", &body, actor, at, None).await?);
        }
    }
    if rng.chance(task_chance) {
        let closed = matches!(story.outcome, Outcome::Won | Outcome::Lost);
        let template = *rng.pick(tasks);
        let body = fill(rng, template, person);
        let roll = rng.range(0, 99);
        let soon = now - Duration::minutes(30);
        let (at, task) = if closed || roll < 40 {
            // Done: written since the last move but one, due a few days later, done around
            // when it was due.
            let at = working_hours(between(rng, previous, last.min(soon)), now);
            let due = due_on(at + Duration::days(rng.range(1, 5)));
            let done = working_hours(due - Duration::hours(rng.range(0, 30)), now);
            let done = Some(done.clamp(at, soon.max(at)));
            (at, Task { due, done })
        } else {
            // Open: written since the last move, due in the coming days or a little overdue.
            let at = working_hours(between(rng, last, soon), now);
            let due = if roll < 75 {
                due_on(now + Duration::days(rng.range(1, 10)))
            } else {
                due_on(now - Duration::days(rng.range(1, 4)))
            };
            let due = if due > at + Duration::hours(1) {
                due
            } else {
                due_on(at + Duration::days(1))
            };
            (at, Task { due, done: None })
        };
        ids.push(entry(conn, lead, "task", &body, actor, at, Some(task)).await?);
    }
    Ok(ids)
}

struct Task {
    due: DateTime<Utc>,
    done: Option<DateTime<Utc>>,
}

/// A time between `from` and `to` (`from` when they are the wrong way round).
fn between(rng: &mut Rng, from: DateTime<Utc>, to: DateTime<Utc>) -> DateTime<Utc> {
    let span = (to - from).num_minutes().max(0);
    from + Duration::minutes(rng.range(0, span))
}

/// A note or task written at `at` by `actor`, as `POST /leads/{id}/notes|tasks` writes it.
async fn entry(
    conn: &mut PgConnection,
    lead: Uuid,
    kind: &str,
    body: &str,
    actor: Actor,
    at: DateTime<Utc>,
    task: Option<Task>,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    let (due, done_at) = task.map_or((None, None), |t| (Some(t.due), t.done));
    sqlx::query!(
        "INSERT INTO lead_timeline (tenant_id, id, lead_id, kind, body, due_at, done, done_at,
             author_id, created_at, updated_at)
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6::timestamptz IS NOT NULL, $6,
             $7, $8, coalesce($6, $8))",
        id,
        lead,
        kind,
        body,
        due,
        done_at,
        actor.id,
        at,
    )
    .execute(conn)
    .await?;
    Ok(id)
}
