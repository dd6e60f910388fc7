//! Synthetic data for benchmarks and load tests: `giamsat seed synthetic --missions N [--seed S]`.
//!
//! Missions are generated deterministically (`generate`) and written with the same row builders as
//! `missions::insert`, search indexing and the audit trail, so the database looks as if every mission had been
//! imported one by one — only much faster: ids are allocated here, rows of many missions go out in multi-row
//! INSERTs (SQLite) or `COPY` (PostgreSQL), and the whole load is one transaction in which the secondary
//! indexes and the per-row triggers are set aside and rebuilt at the end (`load`). Generation runs on a blocking
//! thread while the previous batch is written.
//!
//! It assumes it is the only writer while it runs (ids are taken from `MAX(id)`): stop the server first.

mod demo;
pub use demo::load_demo_units;
mod generate;
mod load;
mod vocabulary;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use giamsat_domain::interchange;
use giamsat_domain::mission::Who;
use giamsat_domain::org::{LineageKind, Validity};
use giamsat_domain::report::{ArticleContent, ReportState, content_hash, publishable, slug};
use giamsat_domain::text::{fold, person_sort_key};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, Iterable, NotSet,
    QueryFilter, QueryTrait, Statement,
};

use crate::audit::{self, Actor, Change};
use crate::db::begin_write;
use crate::decisions::decision_row;
use crate::entities::{
    admin_units, audit_events, decisions, finding_targets, findings, mission_members, missions as mission_rows, people,
    photos, position_assignments, recommendation_addressees, recommendation_events, recommendation_raised_by,
    recommendations, report_versions, reports, search_documents, sessions, targets,
};
use crate::missions::{
    finding_row, finding_target_rows, member_rows, mission_date, mission_row, photo_rows, recommendation_link_rows,
    recommendation_row, session_row, target_row,
};
use crate::{Db, StoreError, orgs, units};
use generate::{Generated, Generator, Rng, reform_day};
use load::{FirstIds, Load, Target, Writes};
use vocabulary::LOCALITIES;

/// Missions per batch handed from stage to stage: large enough to amortise a statement, small enough to keep
/// memory flat.
const BATCH: usize = 500;
/// Bound parameters per statement: under SQLite's 32 766 and PostgreSQL's 65 535.
const MAX_PARAMETERS: usize = 30_000;
/// People in the directory the teams are drawn from.
const PEOPLE: usize = 4_000;

/// What a seeding run wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seeded {
    pub missions: usize,
    pub rows: u64,
    pub elapsed: Duration,
}

/// The reference data the missions point at, by key.
struct Reference {
    owner_org_ids: Vec<i64>,
    person_ids: HashMap<String, i64>,
    /// (unit kind code, name) → (id, validity) of each unit so named.
    units: HashMap<(String, String), Vec<(i64, Validity)>>,
}

/// Writes `count` generated missions (seeded by `seed`) with everything they hold: decisions shared by
/// several teams, members, targets linked to the administrative units valid on the mission date, sessions with
/// photo captions, findings, recommendations with their follow-up history, search rows and one audit row each.
/// Every row is stamped `now` (the command's reading of the clock). `progress` is called after each written
/// batch with the number of missions written so far.
///
/// # Errors
/// [`StoreError::Db`]; the load is rolled back whole (only the reference data it created stays).
pub async fn seed(
    db: &Db,
    count: usize,
    seed: u64,
    now: DateTime<Utc>,
    mut progress: impl FnMut(usize),
) -> Result<Seeded, StoreError> {
    let started = Instant::now();
    let owners = generate::owners();
    let mut rng = Rng::new(seed);
    let names = generate::people(&mut rng, PEOPLE);
    let reference = reference_data(db, &owners, &names, now).await?;
    let mut ids = Ids::read(db).await?;
    let first = FirstIds { mission: ids.mission, search: ids.search };
    let (mut load, target) = Load::begin(db, TABLES).await?;

    // Three stages on their own threads, so that on two cores generating and building batch n+1 (text
    // folding, JSON, the INSERT statements) overlaps writing batch n (SQLite runs on its connection's thread).
    let (sender, mut generated) = tokio::sync::mpsc::channel::<Vec<Generated>>(2);
    let producer = tokio::task::spawn_blocking(move || {
        let mut generator = Generator::new(seed, owners, names);
        let mut left = count;
        while left > 0 {
            let n = left.min(BATCH);
            left -= n;
            if sender.blocking_send((0..n).map(|_| generator.next_mission()).collect()).is_err() {
                break;
            }
        }
    });
    let (built_sender, mut built) = tokio::sync::mpsc::channel::<Result<Built, StoreError>>(2);
    let builder = tokio::task::spawn_blocking(move || {
        while let Some(batch) = generated.blocking_recv() {
            let result = build(&batch, &reference, &mut ids, now).and_then(|rows| {
                Ok(Built { missions: batch.len(), rows: rows.count(), writes: rows.writes(&target)? })
            });
            let failed = result.is_err();
            if built_sender.blocking_send(result).is_err() || failed {
                break;
            }
        }
    });
    let mut written = 0;
    let mut rows = 0;
    while let Some(batch) = built.recv().await {
        let batch = batch?;
        load.write(batch.writes).await?;
        rows += batch.rows;
        written += batch.missions;
        progress(written);
    }
    let joined = |e: tokio::task::JoinError| StoreError::Db(sea_orm::DbErr::Custom(e.to_string()));
    producer.await.map_err(joined)?;
    builder.await.map_err(joined)?;
    load.finish(first).await?;
    if db.get_database_backend() == DatabaseBackend::Postgres {
        reset_sequences(db).await?;
        // Autovacuum analyses the new rows only later: until then the planner, which believes the tables
        // nearly empty, scans instead of using the indexes (the mission page took 1.4 s at 100 000 missions).
        db.execute_unprepared("ANALYZE").await?;
    } else {
        // Each batch left segments in the full-text index, which every search walks: merged into one, a search
        // at 100 000 missions answers 1.6 times as fast (3 s of merging).
        db.execute_unprepared("INSERT INTO search_fts(search_fts) VALUES ('optimize')").await?;
        // Loaded through the write-ahead log (not `connect_bulk`'s connection), the pages are still in it, and
        // the next process to open the file would read through it before its first answer (0.8 s after 100 000
        // missions): they go into the database file now, and the log is emptied. Through a rollback journal
        // (`connect_bulk`), the file returns to the write-ahead log the app uses.
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await?;
        db.execute_unprepared("PRAGMA journal_mode = WAL").await?;
    }
    Ok(Seeded { missions: written, rows, elapsed: started.elapsed() })
}

/// The administrative units before and after the reform, the owners and the people, created where missing.
async fn reference_data(
    db: &Db,
    owners: &[generate::OwnerSpec],
    names: &[String],
    now: DateTime<Utc>,
) -> Result<Reference, StoreError> {
    let txn = begin_write(db).await?;
    let mut known: KnownUnits = admin_units::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|u| ((u.kind, u.name, u.valid_from, u.valid_to), u.id))
        .collect();
    let reform = reform_day();
    let until = Validity { from: None, to: reform.pred_opt() };
    let since = Validity { from: Some(reform), to: None };
    for l in LOCALITIES {
        let province = unit(&txn, &mut known, l.province, l.province_kind, None, Validity::default()).await?.0;
        let district = unit(&txn, &mut known, l.district, l.district_kind, Some(province), until).await?.0;
        let mut new_ids = Vec::with_capacity(l.new.len());
        for (name, _) in l.new {
            new_ids.push(unit(&txn, &mut known, name, l.new_kind, Some(province), since).await?);
        }
        for (i, name) in l.old.iter().enumerate() {
            let (old, created) = unit(&txn, &mut known, name, l.old_kind, Some(district), until).await?;
            if !created {
                continue;
            }
            let into: Vec<i64> =
                l.new.iter().zip(&new_ids).filter(|((_, from), _)| from.contains(&i)).map(|(_, (id, _))| *id).collect();
            let (kind, partial) =
                if into.len() > 1 { (LineageKind::SplitInto, true) } else { (LineageKind::MergedInto, false) };
            for to in into {
                units::link(&txn, old, to, kind, partial, reform).await?;
            }
        }
    }
    let mut owner_org_ids = Vec::with_capacity(owners.len());
    for o in owners {
        owner_org_ids.push(orgs::owner_id(&txn, &o.owner, o.system, now).await?);
    }
    let existing: Vec<String> = people::Entity::find()
        .filter(people::Column::FullName.is_in(names.iter().map(String::as_str)))
        .all(&txn)
        .await?
        .into_iter()
        .map(|p| p.full_name)
        .collect();
    let missing: Vec<people::ActiveModel> = names
        .iter()
        .filter(|n| !existing.contains(n))
        .map(|n| people::ActiveModel {
            id: NotSet,
            full_name: Set(n.clone()),
            name_folded: Set(fold(n)),
            sort_key: Set(person_sort_key(n)),
        })
        .collect();
    put(&txn, missing).await?;
    let person_ids = people::Entity::find()
        .filter(people::Column::FullName.is_in(names.iter().map(String::as_str)))
        .all(&txn)
        .await?
        .into_iter()
        .map(|p| (p.full_name, p.id))
        .collect();
    let mut units: HashMap<(String, String), Vec<(i64, Validity)>> = HashMap::new();
    for ((kind, name, from, to), id) in known {
        units.entry((kind, name)).or_default().push((id, Validity { from, to }));
    }
    txn.commit().await?;
    Ok(Reference { owner_org_ids, person_ids, units })
}

/// Units by (kind code, name, valid from, valid to).
type KnownUnits = HashMap<(String, String, Option<NaiveDate>, Option<NaiveDate>), i64>;

/// The id of the unit, created if new (and then `true`).
async fn unit(
    conn: &impl ConnectionTrait,
    known: &mut KnownUnits,
    name: &str,
    kind: giamsat_domain::org::UnitKind,
    parent: Option<i64>,
    valid: Validity,
) -> Result<(i64, bool), StoreError> {
    let key = (kind.code().to_owned(), name.to_owned(), valid.from, valid.to);
    if let Some(id) = known.get(&key) {
        return Ok((*id, false));
    }
    let id = units::create(conn, name, kind, parent, valid).await?;
    known.insert(key, id);
    Ok((id, true))
}

/// The next free id of every table written here.
struct Ids {
    decision: i64,
    mission: i64,
    member: i64,
    position: i64,
    target: i64,
    session: i64,
    photo: i64,
    finding: i64,
    finding_target: i64,
    recommendation: i64,
    addressee: i64,
    raised_by: i64,
    event: i64,
    search: i64,
    audit: i64,
    report: i64,
    report_version: i64,
    /// The decision the last team was set up by, carried across batches.
    current_decision: Option<i64>,
    /// Slugs of published articles, and the next suffix to try for each wanted slug (as `reports` picks
    /// `slug`, `slug-2`, `slug-3` …).
    slugs: std::collections::HashSet<String>,
    next_suffix: HashMap<String, usize>,
}

const TABLES: &[&str] = &[
    "decisions",
    "missions",
    "mission_members",
    "position_assignments",
    "targets",
    "sessions",
    "photos",
    "findings",
    "finding_targets",
    "recommendations",
    "recommendation_addressees",
    "recommendation_raised_by",
    "recommendation_events",
    "search_documents",
    "audit_events",
    "reports",
    "report_versions",
];

impl Ids {
    async fn read(db: &Db) -> Result<Ids, StoreError> {
        let backend = db.get_database_backend();
        let mut next = Vec::with_capacity(TABLES.len());
        for table in TABLES {
            let sql = format!("SELECT COALESCE(MAX(id), 0) AS m FROM {table}");
            let row = db.query_one_raw(Statement::from_string(backend, sql)).await?;
            next.push(row.map_or(Ok(0), |r| r.try_get_by_index::<i64>(0))? + 1);
        }
        let [
            decision,
            mission,
            member,
            position,
            target,
            session,
            photo,
            finding,
            finding_target,
            recommendation,
            addressee,
            raised_by,
            event,
            search,
            audit,
            report,
            report_version,
        ] = next[..]
        else {
            unreachable!("one id per table");
        };
        Ok(Ids {
            decision,
            mission,
            member,
            position,
            target,
            session,
            photo,
            finding,
            finding_target,
            recommendation,
            addressee,
            raised_by,
            event,
            search,
            audit,
            report,
            report_version,
            current_decision: None,
            slugs: reports::Entity::find().all(db).await?.into_iter().filter_map(|r| r.slug).collect(),
            next_suffix: HashMap::new(),
        })
    }
}

/// Takes the next id of a counter.
fn take(counter: &mut i64) -> i64 {
    let id = *counter;
    *counter += 1;
    id
}

/// The rows of one batch, by table, ids assigned.
#[derive(Default)]
struct Rows {
    decisions: Vec<decisions::ActiveModel>,
    missions: Vec<mission_rows::ActiveModel>,
    positions: Vec<position_assignments::ActiveModel>,
    members: Vec<mission_members::ActiveModel>,
    targets: Vec<targets::ActiveModel>,
    sessions: Vec<sessions::ActiveModel>,
    photos: Vec<photos::ActiveModel>,
    findings: Vec<findings::ActiveModel>,
    finding_targets: Vec<finding_targets::ActiveModel>,
    recommendations: Vec<recommendations::ActiveModel>,
    addressees: Vec<recommendation_addressees::ActiveModel>,
    raised_by: Vec<recommendation_raised_by::ActiveModel>,
    events: Vec<recommendation_events::ActiveModel>,
    search: Vec<search_documents::ActiveModel>,
    /// The words of `search`, for the vocabulary (`search_terms`). A hash set looked up before each word is
    /// copied: a batch's missions repeat a few thousand words, and collecting every occurrence as a string and
    /// sorting them was a tenth of the load's own CPU.
    terms: std::collections::HashSet<String>,
    audit: Vec<audit_events::ActiveModel>,
    reports: Vec<reports::ActiveModel>,
    versions: Vec<report_versions::ActiveModel>,
}

impl Rows {
    fn count(&self) -> u64 {
        [
            self.decisions.len(),
            self.missions.len(),
            self.positions.len(),
            self.members.len(),
            self.targets.len(),
            self.sessions.len(),
            self.photos.len(),
            self.findings.len(),
            self.finding_targets.len(),
            self.recommendations.len(),
            self.addressees.len(),
            self.raised_by.len(),
            self.events.len(),
            self.search.len(),
            self.audit.len(),
            self.reports.len(),
            self.versions.len(),
        ]
        .iter()
        .map(|n| *n as u64)
        .sum()
    }

    /// Every row as `target` takes it, parents before children.
    fn writes(self, target: &Target) -> Result<Writes, StoreError> {
        let mut out = Writes::new(target);
        out.add(self.decisions)?;
        out.add(self.missions)?;
        out.add(self.positions)?;
        out.add(self.members)?;
        out.add(self.targets)?;
        out.add(self.sessions)?;
        out.add(self.photos)?;
        out.add(self.findings)?;
        out.add(self.finding_targets)?;
        out.add(self.recommendations)?;
        out.add(self.addressees)?;
        out.add(self.raised_by)?;
        out.add(self.events)?;
        out.add_search(self.search)?;
        out.add_terms(self.terms.into_iter().collect());
        out.add(self.audit)?;
        // A report points at its latest version and the version at its report: reports first, then versions.
        out.add(self.reports)?;
        out.add(self.versions)?;
        Ok(out)
    }
}

/// A batch ready to write.
struct Built {
    missions: usize,
    rows: u64,
    writes: Writes,
}

/// Multi-row INSERTs of `rows`, as many rows per statement as the parameter limit allows.
fn statements<A>(out: &mut Vec<Statement>, backend: DatabaseBackend, rows: Vec<A>)
where
    A: ActiveModelTrait,
{
    let columns = <<A::Entity as EntityTrait>::Column as Iterable>::iter().count();
    let per_statement = (MAX_PARAMETERS / columns.max(1)).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(per_statement).collect();
        out.push(<A::Entity as EntityTrait>::insert_many(chunk).build(backend));
    }
}

/// Writes `rows` with [`statements`].
async fn put<A>(conn: &impl ConnectionTrait, rows: Vec<A>) -> Result<(), StoreError>
where
    A: ActiveModelTrait,
{
    let mut out = Vec::new();
    statements(&mut out, conn.get_database_backend(), rows);
    for statement in out {
        conn.execute_raw(statement).await?;
    }
    Ok(())
}

fn midday(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(9, 0, 0).unwrap_or_default().and_utc()
}

/// The rows of a batch of missions, with ids allocated from `ids`.
#[allow(clippy::too_many_lines)]
fn build(batch: &[Generated], reference: &Reference, ids: &mut Ids, now: DateTime<Utc>) -> Result<Rows, StoreError> {
    let mut rows = Rows::default();
    let actor = Actor::cli(now);
    for g in batch {
        let mission = &g.mission;
        let owner_org_id = *reference.owner_org_ids.get(g.owner).ok_or(StoreError::NotFound)?;
        if g.new_decision {
            ids.current_decision = None;
            if let Some(number) = &mission.decision.number {
                let id = take(&mut ids.decision);
                let mut row = decision_row(owner_org_id, &mission.decision, Some(number), now);
                row.id = Set(id);
                rows.decisions.push(row);
                ids.current_decision = Some(id);
            }
        }
        let mission_id = take(&mut ids.mission);
        let mut row = mission_row(mission, owner_org_id, ids.current_decision, now);
        row.id = Set(mission_id);
        rows.missions.push(row);

        let person_ids: Vec<Option<i64>> = mission
            .members
            .iter()
            .map(|m| match &m.who {
                Who::Person { name, .. } => reference.person_ids.get(name).copied(),
                Who::Group { .. } => None,
            })
            .collect();
        let (positions, members) = member_rows(mission_id, mission, &person_ids);
        rows.positions.extend(positions.into_iter().map(|mut r| {
            r.id = Set(take(&mut ids.position));
            r
        }));
        rows.members.extend(members.into_iter().map(|mut r| {
            r.id = Set(take(&mut ids.member));
            r
        }));

        let day = mission_date(mission);
        let mut target_ids = Vec::with_capacity(mission.targets.len());
        for (i, target) in mission.targets.iter().enumerate() {
            let id = take(&mut ids.target);
            let mut row = target_row(mission_id, i, target, admin_unit(reference, target, day));
            row.id = Set(id);
            rows.targets.push(row);
            target_ids.push(id);
        }
        for (i, session) in mission.sessions.iter().enumerate() {
            let session_id = take(&mut ids.session);
            let mut row = session_row(mission_id, i, session, &target_ids)?;
            row.id = Set(session_id);
            rows.sessions.push(row);
            rows.photos.extend(photo_rows(mission_id, session_id, session).into_iter().map(|mut r| {
                r.id = Set(take(&mut ids.photo));
                r
            }));
        }
        for (i, finding) in mission.findings.iter().enumerate() {
            let finding_id = take(&mut ids.finding);
            let mut row = finding_row(mission_id, i, finding, now);
            row.id = Set(finding_id);
            rows.findings.push(row);
            rows.finding_targets.extend(
                finding_target_rows(mission_id, finding_id, finding, &target_ids)?.into_iter().map(|mut r| {
                    r.id = Set(take(&mut ids.finding_target));
                    r
                }),
            );
        }
        for (i, (rec, steps)) in mission.recommendations.iter().zip(&g.history).enumerate() {
            let rec_id = take(&mut ids.recommendation);
            let mut row = recommendation_row(mission_id, i, rec);
            row.id = Set(rec_id);
            rows.recommendations.push(row);
            let (addressees, raised_by) = recommendation_link_rows(mission_id, rec_id, rec, &target_ids)?;
            rows.addressees.extend(addressees.into_iter().map(|mut r| {
                r.id = Set(take(&mut ids.addressee));
                r
            }));
            rows.raised_by.extend(raised_by.into_iter().map(|mut r| {
                r.id = Set(take(&mut ids.raised_by));
                r
            }));
            for step in steps {
                rows.events.push(recommendation_events::ActiveModel {
                    id: Set(take(&mut ids.event)),
                    recommendation_id: Set(rec_id),
                    at: Set(midday(step.on)),
                    actor: Set(actor.label.clone()),
                    kind: Set("status_change".to_owned()),
                    from_status: Set(Some(step.from.code().to_owned())),
                    to_status: Set(Some(step.to.code().to_owned())),
                    due_from: Set(None),
                    due_to: Set(None),
                    note: Set(step.note.to_owned()),
                    approved_by: Set(None),
                    link_id: Set(None),
                });
            }
        }
        let documents = crate::search::mission_documents(mission_id, mission);
        for word in crate::search::words_of(&documents) {
            if !rows.terms.contains(word) {
                rows.terms.insert(word.to_owned());
            }
        }
        rows.search.extend(documents.into_iter().map(|mut r| {
            r.id = Set(take(&mut ids.search));
            r
        }));
        let mission_json = interchange::to_json(mission);
        if let Some(published_at) = mission.publication.as_ref().and_then(|p| p.published_at)
            && publishable(mission.state)
        {
            publish(&mut rows, ids, &actor, mission_id, mission, &mission_json, published_at.with_timezone(&Utc));
        }
        let mut audit_row = audit::row(
            &actor,
            Change {
                action: "mission.create",
                entity: "mission",
                entity_id: Some(mission_id),
                mission_id: Some(mission_id),
                before: None,
                after: Some(mission_json),
            },
            now,
        );
        audit_row.id = Set(take(&mut ids.audit));
        rows.audit.push(audit_row);
    }
    Ok(rows)
}

/// The published news article of a mission, as the editorial workflow leaves it after one publication: the
/// working copy (state published) and its immutable version 1, with the audit row of the publication.
fn publish(
    rows: &mut Rows,
    ids: &mut Ids,
    actor: &Actor,
    mission_id: i64,
    mission: &giamsat_domain::mission::Mission,
    mission_json: &str,
    at: DateTime<Utc>,
) {
    let content = ArticleContent::generate(mission);
    let json = content.canonical_json();
    let hash = content_hash(&[&json, mission_json]);
    let (report_id, version_id) = (take(&mut ids.report), take(&mut ids.report_version));
    let wanted = slug(&content.title);
    let mut n = ids.next_suffix.get(&wanted).copied().unwrap_or(1);
    let free = loop {
        let candidate = if n == 1 { wanted.clone() } else { format!("{wanted}-{n}") };
        n += 1;
        if ids.slugs.insert(candidate.clone()) {
            break candidate;
        }
    };
    ids.next_suffix.insert(wanted, n);
    rows.reports.push(reports::ActiveModel {
        id: Set(report_id),
        mission_id: Set(mission_id),
        state: Set(ReportState::Published.code().to_owned()),
        base: Set(json.clone()),
        draft: Set(json.clone()),
        comment: Set(None),
        requested_by: Set(None),
        approved_by: Set(None),
        slug: Set(Some(free)),
        category: Set(content.category.clone()),
        category_slug: Set(content.category.as_deref().map(slug)),
        latest_version_id: Set(Some(version_id)),
        published_versions: Set(1),
        first_published_at: Set(Some(at)),
        updated_at: Set(at),
        // Created, submitted, approved, published: four writes.
        version: Set(4),
    });
    rows.versions.push(report_versions::ActiveModel {
        id: Set(version_id),
        report_id: Set(report_id),
        mission_id: Set(mission_id),
        number: Set(1),
        title: Set(content.title.clone()),
        category: Set(content.category.clone()),
        content: Set(json),
        mission: Set(mission_json.to_owned()),
        content_hash: Set(hash.clone()),
        corrects: Set(None),
        published_at: Set(at),
        published_by: Set(None),
        formal_settings: Set(None),
    });
    let mut audit_row = audit::row(
        actor,
        Change {
            action: "report.publish",
            entity: "report",
            entity_id: Some(report_id),
            mission_id: Some(mission_id),
            before: None,
            after: Some(format!("{{\"number\":1,\"content_hash\":\"{hash}\"}}")),
        },
        at,
    );
    audit_row.id = Set(take(&mut ids.audit));
    rows.audit.push(audit_row);
}

/// The unit a target names as it was on the mission date, when exactly one matches (as `missions::insert`
/// finds it).
fn admin_unit(reference: &Reference, target: &giamsat_domain::mission::Target, day: Option<NaiveDate>) -> Option<i64> {
    use giamsat_domain::codes::TargetKind;
    use giamsat_domain::org::UnitKind;
    let kind = match target.kind {
        TargetKind::Ward => UnitKind::Ward,
        TargetKind::Commune => UnitKind::Commune,
        TargetKind::SpecialZone => UnitKind::SpecialZone,
        _ => return None,
    };
    let day = day?;
    let candidates = reference.units.get(&(kind.code().to_owned(), target.name.clone()))?;
    let mut valid = candidates.iter().filter(|(_, v)| v.contains(day));
    match (valid.next(), valid.next()) {
        (Some((id, _)), None) => Some(*id),
        _ => None,
    }
}

/// PostgreSQL's sequences do not see explicit ids: move each past the largest.
async fn reset_sequences(db: &Db) -> Result<(), StoreError> {
    for table in TABLES {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table})) \
             WHERE EXISTS (SELECT 1 FROM {table})"
        );
        db.execute_raw(Statement::from_string(DatabaseBackend::Postgres, sql)).await?;
    }
    Ok(())
}
