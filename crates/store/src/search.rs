//! Full-text search over missions, targets, findings, recommendations and people, on each database's own
//! engine (SQLite FTS5, PostgreSQL `tsvector`), behind one function. Matching is on folded words by prefix,
//! for every abbreviation variant of the query (`domain::search::query_variants`): each query word stands for
//! the indexed words it begins, found in the vocabulary (`search_terms`); ranking — exact diacritics first —
//! and highlighting happen here in Rust, so both backends answer alike.

use std::collections::{BTreeMap, BTreeSet};

use giamsat_domain::messages::labels;
use giamsat_domain::mission::{Mission, Origin};
use giamsat_domain::policy::Visibility;
use giamsat_domain::search::{Exactness, index_form, query_variants, whole_words};
use giamsat_domain::text::capitalize_first;
use sea_orm::{
    ActiveValue, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, FromQueryResult, NotSet,
    QueryFilter, Statement, TransactionSession, TransactionTrait, Value,
};

use crate::StoreError;
use crate::entities::search_documents;

/// Words of a folded query that the engines can match: letters and digits only.
fn words(variant: &str) -> Vec<String> {
    index_form(variant).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// One search row. `context` is indexed with it but not shown: the words of the mission and units it belongs to,
/// so that a query whose words fall in different fields ("Hàng Bạc tài chính", "QU 2021 chất lượng") finds the
/// row that holds them together.
fn document(
    kind: &str,
    mission_id: Option<i64>,
    ref_id: Option<i64>,
    position: Option<i64>,
    title: String,
    body: String,
    context: &str,
) -> search_documents::ActiveModel {
    let folded = index_form(&format!("{title} {body} {context}"));
    search_documents::ActiveModel {
        id: NotSet,
        kind: Set(kind.to_owned()),
        mission_id: Set(mission_id),
        ref_id: Set(ref_id),
        position: Set(position),
        title: Set(title),
        body: Set(body),
        folded: Set(folded),
    }
}

/// Replaces the search rows of a mission; call it in the transaction that changes the mission.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn index_mission(conn: &impl ConnectionTrait, mission_id: i64, mission: &Mission) -> Result<(), StoreError> {
    search_documents::Entity::delete_many()
        .filter(search_documents::Column::MissionId.eq(mission_id))
        .exec(conn)
        .await?;
    insert_documents(conn, mission_documents(mission_id, mission)).await
}

/// Inserts search rows and adds their words to the vocabulary.
async fn insert_documents(
    conn: &impl ConnectionTrait,
    documents: Vec<search_documents::ActiveModel>,
) -> Result<(), StoreError> {
    let terms = terms_of(&documents);
    search_documents::Entity::insert_many(documents).exec(conn).await?;
    for statement in term_statements(conn.get_database_backend(), terms) {
        conn.execute_raw(statement).await?;
    }
    Ok(())
}

/// The words `documents` give the engines, as both tokenise the folded column: runs of letters and digits.
pub(crate) fn terms_of(documents: &[search_documents::ActiveModel]) -> BTreeSet<String> {
    let mut words: Vec<&str> = words_of(documents).collect();
    words.sort_unstable();
    words.dedup();
    words.into_iter().map(str::to_owned).collect()
}

/// Each word of `documents`, as often as it occurs (see [`terms_of`]).
pub(crate) fn words_of(documents: &[search_documents::ActiveModel]) -> impl Iterator<Item = &str> {
    documents
        .iter()
        .filter_map(|d| match &d.folded {
            ActiveValue::Set(folded) | ActiveValue::Unchanged(folded) => Some(folded),
            ActiveValue::NotSet => None,
        })
        .flat_map(|folded| folded.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
}

/// What PostgreSQL's trigger (migration 20) stores in `words` for `folded` — the runs of letters and digits
/// as `strip(to_tsvector('simple', …))` keeps them: each once, without positions, and none longer than the
/// parser's 2047 bytes — sorted by their bytes as a tsvector holds them, for a load that writes the column itself.
pub(crate) fn tsvector_words(folded: &str) -> Vec<&str> {
    const LONGEST_WORD: usize = 2047;
    let mut words: Vec<&str> =
        folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty() && w.len() <= LONGEST_WORD).collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// The INSERTs that add `terms` to the vocabulary (those already there are skipped), a thousand per statement.
pub(crate) fn term_statements(backend: DatabaseBackend, terms: BTreeSet<String>) -> Vec<Statement> {
    let terms: Vec<String> = terms.into_iter().collect();
    terms
        .chunks(1000)
        .map(|chunk| {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("(${i})")).collect();
            Statement::from_sql_and_values(
                backend,
                format!(
                    "INSERT INTO search_terms (term) VALUES {} ON CONFLICT (term) DO NOTHING",
                    placeholders.join(", ")
                ),
                chunk.iter().map(|t| Value::from(t.clone())),
            )
        })
        .collect()
}

/// The search rows of a mission: itself, its people, targets, sessions with minutes, findings and
/// recommendations, each indexed with the mission's name (team, decision number, year) and the units it concerns.
pub(crate) fn mission_documents(mission_id: i64, mission: &Mission) -> Vec<search_documents::ActiveModel> {
    let id = Some(mission_id);
    let position = |i: usize| i64::try_from(i).ok();
    let name = giamsat_domain::naming::name_of(mission);
    let target = |i: &usize| mission.targets.get(*i).map(|t| labels::target_with_kind(t.kind, &t.name));
    let targets_of = |indices: &[usize]| indices.iter().filter_map(target).collect::<Vec<_>>().join(" ");
    let years: Vec<String> = [mission.fieldwork.from(), mission.fieldwork.to()]
        .into_iter()
        .flatten()
        .map(|d| d.format("%Y").to_string())
        .collect();
    let mut rows = vec![document(
        "mission",
        id,
        id,
        None,
        name.clone(),
        [
            Some(mission.subject.clone()),
            Some(mission.supervising_body.clone()),
            mission.decision.number.as_ref().map(|n| n.raw().to_owned()),
            mission.decision.summary.clone(),
            Some(mission.owner.name.clone()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · "),
        &format!("{} {}", targets_of(&(0..mission.targets.len()).collect::<Vec<_>>()), years.join(" ")),
    )];
    // People are indexed through the missions they served on, so they are found only by those who may see the
    // mission: who sits on a team is itself not public before publication.
    for (i, m) in mission.members.iter().enumerate() {
        if let giamsat_domain::mission::Who::Person { name: person, position: held } = &m.who {
            rows.push(document("person", id, id, position(i), person.clone(), held.clone().unwrap_or_default(), &name));
        }
    }
    for (i, t) in mission.targets.iter().enumerate() {
        rows.push(document("target", id, id, position(i), labels::target_with_kind(t.kind, &t.name), name.clone(), ""));
    }
    for (i, session) in mission.sessions.iter().enumerate() {
        let Some(minutes) = session.minutes.as_deref().filter(|m| !m.trim().is_empty()) else { continue };
        rows.push(document(
            "session",
            id,
            id,
            position(i),
            labels::session(&target(&session.target).unwrap_or_default(), session.date),
            minutes.to_owned(),
            &name,
        ));
    }
    for (i, f) in mission.findings.iter().enumerate() {
        rows.push(document(
            "finding",
            id,
            id,
            position(i),
            labels::finding_kind(f.kind).to_owned(),
            capitalize_first(&f.text),
            &format!("{name} {}", targets_of(&f.targets)),
        ));
    }
    for (i, r) in mission.recommendations.iter().enumerate() {
        let from = match &r.origin {
            Origin::Upward { raised_by } => targets_of(raised_by),
            Origin::Downward { issuer } => issuer.clone().unwrap_or_default(),
        };
        rows.push(document(
            "recommendation",
            id,
            id,
            position(i),
            format!("{} – {}", labels::direction(r.direction()), r.addressees.join(", ")),
            capitalize_first(&r.text),
            &format!("{name} {from}"),
        ));
    }
    rows
}

/// The form of the rows [`mission_documents`] writes. Raise it whenever that form changes: every database then
/// rebuilds its missions' rows once, when it is next opened (`missions::rebuild_search_index`).
pub const INDEX_FORM: i64 = 2;

/// The form of the search rows the database holds (0 before it was recorded).
///
/// # Errors
/// [`StoreError::Db`].
pub async fn stored_form(conn: &impl ConnectionTrait) -> Result<i64, StoreError> {
    let backend = conn.get_database_backend();
    Ok(
        match conn
            .query_one_raw(Statement::from_string(backend, "SELECT version FROM search_index_state WHERE id = 1"))
            .await?
        {
            Some(row) => row.try_get_by_index::<i64>(0)?,
            None => 0,
        },
    )
}

/// Records that every mission's rows are of the current [`INDEX_FORM`].
///
/// # Errors
/// [`StoreError::Db`].
pub async fn record_current_form(conn: &impl ConnectionTrait) -> Result<(), StoreError> {
    conn.execute_raw(Statement::from_sql_and_values(
        conn.get_database_backend(),
        "UPDATE search_index_state SET version = $1 WHERE id = 1",
        [INDEX_FORM.into()],
    ))
    .await?;
    Ok(())
}

/// Adds an administrative unit to the index. Units are public reference data: their rows belong to no mission
/// and every signed-in user may find them.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn index_unit(
    conn: &impl ConnectionTrait,
    unit_id: i64,
    label: String,
    validity: String,
) -> Result<(), StoreError> {
    insert_documents(conn, vec![document("unit", None, Some(unit_id), None, label, validity, "")]).await
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub kind: String,
    pub mission_id: Option<i64>,
    pub ref_id: Option<i64>,
    pub position: Option<i64>,
    pub title: String,
    pub body: String,
    /// The name of the mission it belongs to ([`giamsat_domain::naming::mission_name`]).
    pub mission_name: Option<String>,
    /// How closely it matches, best first ([`giamsat_domain::search::exactness`]): 4 the query as typed, whole
    /// words; 3 as typed, inside words; 2 without diacritics; 1 its words in different fields; 0 otherwise.
    pub exactness: u8,
}

#[derive(Debug, FromQueryResult)]
struct Row {
    id: i64,
    kind: String,
    mission_id: Option<i64>,
    ref_id: Option<i64>,
    position: Option<i64>,
    title: String,
    body: String,
    folded: String,
    mission_team: Option<String>,
    mission_body: Option<String>,
    mission_from: Option<chrono::NaiveDate>,
    decision_number: Option<String>,
    decision_date: Option<chrono::NaiveDate>,
}

/// The columns of a hit's mission name, joined to the candidates `c` (at most [`CANDIDATES`] primary-key
/// lookups, so naming costs no statement of its own).
const NAME_COLUMNS: &str = "m.team_name AS mission_team, m.supervising_body AS mission_body, \
                            m.fieldwork_from AS mission_from, dn.number_raw AS decision_number, \
                            dn.issued_on AS decision_date";
const NAME_JOINS: &str = "LEFT JOIN missions m ON m.id = c.mission_id LEFT JOIN decisions dn ON dn.id = m.decision_id";

/// How many words of the vocabulary one query word may stand for, the shortest first: "ng" is nga, ngo, ngu …
/// rather than every word that begins with it.
const EXPANSIONS: usize = 32;

/// How many of the newest matches are ranked for exactness; the best `limit` of them are returned.
const CANDIDATES: usize = 100;

/// The query's variants (at most 16), each as the words the engines can match.
fn word_groups(query: &str) -> Vec<Vec<String>> {
    query_variants(query).iter().map(|v| words(v)).filter(|w| !w.is_empty()).take(16).collect()
}

/// The first string after every string that begins with `prefix` (its last character incremented), if any.
fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = (u32::from(last) + 1..=u32::from(char::MAX)).find_map(char::from_u32) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// The words of the vocabulary that each query word begins, shortest first, in one statement; a word typed as
/// an abbreviation (`whole`, [`whole_words`]) stands only for itself.
async fn expansions(
    conn: &impl ConnectionTrait,
    groups: &[Vec<String>],
    whole: &[String],
) -> Result<BTreeMap<String, Vec<String>>, StoreError> {
    let wanted: Vec<&String> = groups.iter().flatten().collect::<BTreeSet<_>>().into_iter().collect();
    let mut values: Vec<Value> = Vec::new();
    let mut selects = Vec::new();
    for (i, word) in wanted.iter().enumerate() {
        values.push(word.as_str().into());
        let mut range = format!("term >= ${}", values.len());
        if whole.contains(word) {
            range = format!("term = ${}", values.len());
        } else if let Some(end) = prefix_end(word) {
            values.push(end.into());
            range.push_str(&format!(" AND term < ${}", values.len()));
        }
        selects.push(format!(
            "SELECT CAST({i} AS BIGINT) AS w, term FROM (SELECT term FROM search_terms WHERE {range} \
             ORDER BY length(term), term LIMIT {EXPANSIONS}) AS e{i}"
        ));
    }
    let backend = conn.get_database_backend();
    let rows = conn.query_all_raw(Statement::from_sql_and_values(backend, selects.join(" UNION ALL "), values)).await?;
    let mut expanded: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in rows {
        let index: i64 = row.try_get_by_index(0)?;
        let term: String = row.try_get_by_index(1)?;
        if let Some(word) = usize::try_from(index).ok().and_then(|i| wanted.get(i)) {
            expanded.entry((*word).clone()).or_default().push(term);
        }
    }
    Ok(expanded)
}

/// The engine's match expression: any variant, all its words, each as any of the words it begins. A variant
/// with a word that begins no word of the index cannot match and is left out; `None` when none is left.
fn match_expression(
    backend: DatabaseBackend,
    groups: &[Vec<String>],
    expanded: &BTreeMap<String, Vec<String>>,
) -> Option<String> {
    let (or, and, quote): (&str, &str, fn(&String) -> String) = match backend {
        DatabaseBackend::Postgres => (" | ", " & ", |t| format!("'{t}'")),
        _ => (" OR ", " AND ", |t| format!("\"{t}\"")),
    };
    let variants: Vec<String> = groups
        .iter()
        .filter_map(|group| {
            let words = group
                .iter()
                .map(|w| {
                    let terms = expanded.get(w).filter(|t| !t.is_empty())?;
                    Some(format!("({})", terms.iter().map(quote).collect::<Vec<_>>().join(or)))
                })
                .collect::<Option<Vec<_>>>()?;
            Some(format!("({})", words.join(and)))
        })
        .collect();
    (!variants.is_empty()).then(|| variants.join(or))
}

/// The ranges of documents PostgreSQL's search reads in turn, by id from the newest ([`newest_on_postgres`]);
/// SQLite's search has no use for them.
#[derive(Debug, Clone, Copy)]
pub struct Windows {
    /// How many of the newest documents are walked back one by one.
    pub walked: i64,
    /// How many documents before the walk's oldest match are read through GIN and the key's range together,
    /// when the walk suggests that they hold the missing candidates ([`Windows::dense`]).
    pub recent: i64,
}

impl Windows {
    /// How many matches among the walked documents make the recent window worth reading: as many as it takes
    /// for [`CANDIDATES`] matches to be expected in it, at the walked documents' rate (at least one).
    #[must_use]
    pub fn dense(self) -> i64 {
        let candidates = i64::try_from(CANDIDATES).unwrap_or(i64::MAX);
        (self.walked.saturating_mul(candidates) / self.recent.max(1)).max(1)
    }
}

/// At 100 000 missions (3.5 million documents) a word in one document of two hundred — "hàng bạc" — has ten
/// matches among the newest 2 000 and 22 000 in all; its hundred newest lie among the next 100 000, whose
/// matches cost 330 pages to read instead of 13 000 (120 ms → 15 ms). A rarer word ("thổ châu": 2 400
/// matches, none among the newest) skips that window: the key's range alone costs 3 ms, and GIN's bitmap
/// would be built twice.
pub const WINDOWS: Windows = Windows { walked: 2_000, recent: 100_000 };

/// What PostgreSQL's search statements run under, for their transaction only: no sort where an index gives the
/// order, no sequential scan, no parallel plan, no JIT (the older matches' sort, forbidden but unavoidable,
/// prices the plan high enough to compile it: 400 ms), and the walk's generic plan, made once per connection
/// (planning it each time made a common word's search an eighth slower).
const POSTGRES_SETTINGS: &[(&str, &str)] = &[
    ("enable_sort", "off"),
    ("enable_seqscan", "off"),
    ("max_parallel_workers_per_gather", "0"),
    ("jit", "off"),
    ("plan_cache_mode", "force_generic_plan"),
];

/// [`POSTGRES_SETTINGS`] as the statements that set them for the transaction, in one round trip.
#[must_use]
pub fn postgres_settings() -> String {
    POSTGRES_SETTINGS.iter().map(|(name, value)| format!("SET LOCAL {name} = '{value}'")).collect::<Vec<_>>().join("; ")
}

/// Set before the older matches are read: their statement is planned for the values bound each time, so that
/// the query's selectivity and the windows' bounds are known — a rare word is read through GIN alone, the recent
/// window through GIN and the key together. A generic plan knows neither and, on a small index, walked the whole
/// recent window row by row (13 ms instead of 1 at 1 000 missions).
const POSTGRES_CUSTOM_PLANS: &str = "SET LOCAL plan_cache_mode = force_custom_plan";

/// The newest [`CANDIDATES`] matches on PostgreSQL, in bounded steps. GIN gives every match unordered, which
/// for a common word is a million rows to fetch and sort; walking the documents from the newest finds a common
/// word's candidates at once but a rare word's only after the whole table. PostgreSQL chooses between the two
/// on its estimate of the words' frequency, and at 100 000 missions a wrong estimate made a rare word's search
/// walk three million rows (seconds). So one statement walks back through the newest documents
/// ([`Windows::walked`]), stopping at the [`CANDIDATES`]th match; if they hold too few, and too few to expect
/// the rest nearby ([`Windows::dense`]), it reads the older matches through GIN alone (the executor starts that
/// branch of the `UNION ALL` only then). If the walk found too few but enough to expect the rest nearby, a
/// second statement reads the matches among the documents just before ([`Windows::recent`]: GIN's bitmap and
/// the key's range intersected, so that only those rows are fetched), then, only if they are still too few,
/// the older ones through GIN alone.
async fn newest_on_postgres(
    conn: &(impl ConnectionTrait + TransactionTrait),
    visible_sql: &str,
    expression: String,
    windows: Windows,
) -> Result<Vec<Row>, StoreError> {
    let txn = conn.begin().await?;
    txn.execute_unprepared(&postgres_settings()).await?;
    let columns = "d.id, d.kind, d.mission_id, d.ref_id, d.position, d.title, d.body, d.folded";
    let named = |candidates: String| format!("SELECT c.*, {NAME_COLUMNS} FROM ({candidates}) AS c {NAME_JOINS}");
    let floor = format!("(SELECT COALESCE(MAX(id), 0) - {} FROM search_documents)", windows.walked);
    // The newest by a backward walk of the key, their words checked row by row (`IS TRUE` is no index condition:
    // checking a common word's first hundred matches costs less than building its GIN bitmap, a million
    // entries); the older by GIN alone (`id + 0` is neither an index condition nor the key's order: no walk
    // through three million ids), behind a gate on the walk's count, a constant of the statement. The plan is
    // generic, so the query is parsed in a subquery, once per execution (a bare `to_tsquery($1)` was parsed
    // again for every row checked: 2 000 times for a rare word, 5 ms instead of 2).
    let query = "(SELECT to_tsquery('simple', $1))";
    let walk = named(format!(
        "WITH newest AS (SELECT {columns} FROM search_documents d WHERE d.id > {floor} \
         AND (d.words @@ {query}) IS TRUE AND {visible_sql} ORDER BY d.id DESC LIMIT {CANDIDATES}) \
         SELECT *, TRUE AS from_walk FROM newest UNION ALL (SELECT {columns}, FALSE FROM search_documents d \
         WHERE (SELECT COUNT(*) FROM newest) < {dense} AND d.id + 0 <= {floor} AND d.words @@ {query} \
         AND {visible_sql} ORDER BY d.id + 0 DESC LIMIT {CANDIDATES}) LIMIT {CANDIDATES}",
        dense = windows.dense()
    ));
    let found = txn
        .query_all_raw(Statement::from_sql_and_values(DatabaseBackend::Postgres, walk, [expression.clone().into()]))
        .await?;
    let mut walked = 0;
    let mut rows = Vec::with_capacity(found.len());
    for row in &found {
        walked += usize::from(row.try_get_by::<bool, _>("from_walk")?);
        rows.push(Row::from_query_result(row, "")?);
    }
    // Too few, all from the walk, and enough for the gate to keep GIN's branch shut: the rest is expected just
    // before.
    if rows.len() < CANDIDATES && walked == rows.len() && i64::try_from(walked).unwrap_or(i64::MAX) >= windows.dense() {
        let oldest = rows.iter().map(|r| r.id).min().unwrap_or_default();
        let missing = CANDIDATES - rows.len();
        // The recent by GIN and the key's range (`id + 0` orders them without offering the key's order, which
        // would walk them all one by one); the older by GIN alone. The walk read every document from `oldest`
        // on, so nothing between the window's start and `oldest` is missed.
        let older = |condition: &str| {
            format!(
                "(SELECT {columns} FROM search_documents d WHERE {condition} \
                 AND d.words @@ to_tsquery('simple', $1) AND {visible_sql} ORDER BY d.id + 0 DESC LIMIT {missing})"
            )
        };
        let sql = named(format!(
            "SELECT * FROM ({} UNION ALL {}) AS u LIMIT {missing}",
            older("d.id < $2 AND d.id > $3"),
            older("d.id + 0 <= $3")
        ));
        let params: [Value; 3] = [expression.into(), oldest.into(), oldest.saturating_sub(windows.recent).into()];
        txn.execute_unprepared(POSTGRES_CUSTOM_PLANS).await?;
        rows.extend(
            Row::find_by_statement(Statement::from_sql_and_values(DatabaseBackend::Postgres, sql, params))
                .all(&txn)
                .await?,
        );
    }
    // It only read; ending it also ends the settings.
    txn.rollback().await?;
    Ok(rows)
}

/// Searches what `visibility` allows; at most `limit`
/// results, best first.
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`].
pub async fn search(
    conn: &(impl ConnectionTrait + TransactionTrait),
    visibility: Visibility,
    query: &str,
    limit: usize,
) -> Result<Vec<Hit>, StoreError> {
    search_in(conn, visibility, query, limit, WINDOWS).await
}

/// [`search`], with PostgreSQL's [`Windows`] given (the tests make them small enough to reach every step).
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`].
pub async fn search_in(
    conn: &(impl ConnectionTrait + TransactionTrait),
    visibility: Visibility,
    query: &str,
    limit: usize,
    windows: Windows,
) -> Result<Vec<Hit>, StoreError> {
    let backend = conn.get_database_backend();
    let groups = word_groups(query);
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    let expanded = expansions(conn, &groups, &whole_words(query)).await?;
    let Some(expression) = match_expression(backend, &groups, &expanded) else {
        return Ok(Vec::new());
    };
    let visible_sql = match crate::visibility::visible_ids_sql(visibility, backend) {
        None => "TRUE".to_owned(),
        // Documents of no mission (administrative units) are public.
        Some(ids) => format!("(d.mission_id IS NULL OR d.mission_id IN ({ids}))"),
    };
    // The newest matches, ranked below; the engines' own ranks differ, so they are not used.
    let mut rows = if backend == DatabaseBackend::Postgres {
        newest_on_postgres(conn, &visible_sql, expression, windows).await?
    } else {
        // Newest first by the FTS5 rowid (= the document id), which FTS5 walks backwards without sorting, its
        // iterators advancing only as far as the candidates need: a common word costs what a rare one does.
        let sql = format!(
            "SELECT c.*, {NAME_COLUMNS} FROM (SELECT d.id, d.kind, d.mission_id, d.ref_id, d.position, d.title, \
             d.body, d.folded FROM search_fts JOIN search_documents d ON d.id = search_fts.rowid \
             WHERE search_fts MATCH $1 AND {} ORDER BY search_fts.rowid DESC LIMIT {CANDIDATES}) AS c {NAME_JOINS}",
            visible_sql.replace("TRUE", "1 = 1")
        );
        Row::find_by_statement(Statement::from_sql_and_values(backend, sql, [expression.into()])).all(conn).await?
    };
    // Newest first, whichever way the engine found them.
    rows.sort_by_key(|r| std::cmp::Reverse(r.id));
    let ranking = Exactness::new(query);
    let mut hits: Vec<Hit> = rows
        .into_iter()
        .map(|r| {
            let exactness = ranking.of(&format!("{} {}", r.title, r.body), &r.folded);
            let mission_name = match (r.mission_id, &r.mission_body) {
                (Some(id), Some(body)) => Some(crate::names::name_from(
                    id,
                    r.mission_team.as_deref(),
                    body,
                    r.mission_from,
                    r.decision_number.as_deref(),
                    r.decision_date,
                )?),
                _ => None,
            };
            Ok(Hit {
                kind: r.kind,
                mission_id: r.mission_id,
                ref_id: r.ref_id,
                position: r.position,
                title: r.title,
                body: r.body,
                mission_name,
                exactness,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    // Stable: among equally exact hits the newest (highest id, as fetched) come first.
    hits.sort_by_key(|h| std::cmp::Reverse(h.exactness));
    hits.truncate(limit);
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_form_splits_dashes_and_slashes() {
        assert_eq!(index_form("Chỉ thị 45-CT/TW về KT-XH"), "chi thi 45 ct tw ve kt xh");
    }

    #[test]
    fn the_words_of_a_row_are_those_of_a_tsvector_each_once_in_byte_order() {
        assert_eq!(tsvector_words("doan giam sat, so 5 (doan) Zed"), ["5", "Zed", "doan", "giam", "sat", "so"]);
        assert!(tsvector_words("").is_empty());
        let long = "x".repeat(2048);
        assert_eq!(tsvector_words(&format!("b {long} a")), ["a", "b"], "a word too long is not indexed");
    }

    #[test]
    fn match_expressions_cover_every_variant_with_the_words_each_query_word_begins() {
        let groups = word_groups("HĐND quận");
        assert!(groups.contains(&vec!["hdnd".to_owned(), "quan".to_owned()]), "{groups:?}");
        assert!(groups.iter().any(|g| g.len() == 5), "the expanded abbreviation: {groups:?}");
        let expanded: BTreeMap<String, Vec<String>> = [("cu", &["cu", "cua", "cung"][..]), ("tri", &["tri", "trinh"])]
            .into_iter()
            .map(|(w, t)| (w.to_owned(), t.iter().map(|t| (*t).to_owned()).collect()))
            .collect();
        let groups = word_groups("cu tri");
        assert_eq!(
            match_expression(DatabaseBackend::Sqlite, &groups, &expanded).as_deref(),
            Some("((\"cu\" OR \"cua\" OR \"cung\") AND (\"tri\" OR \"trinh\"))")
        );
        assert_eq!(
            match_expression(DatabaseBackend::Postgres, &groups, &expanded).as_deref(),
            Some("(('cu' | 'cua' | 'cung') & ('tri' | 'trinh'))")
        );
        assert_eq!(
            match_expression(DatabaseBackend::Sqlite, &word_groups("cu zzz"), &expanded),
            None,
            "a word that begins no indexed word leaves its variant out"
        );
        assert!(word_groups(" \" * ' ").is_empty(), "nothing to match");
    }

    #[test]
    fn prefix_ranges_end_after_every_word_they_begin() {
        assert_eq!(prefix_end("hang").as_deref(), Some("hanh"));
        assert_eq!(prefix_end("a9").as_deref(), Some("a:"));
        assert_eq!(prefix_end(&format!("a{}", char::MAX)).as_deref(), Some("b"));
        assert_eq!(prefix_end(&char::MAX.to_string()), None);
        assert_eq!(prefix_end("\u{D7FF}").as_deref(), Some("\u{E000}"), "surrogates are skipped");
    }

    #[test]
    fn the_vocabulary_holds_every_word_of_the_folded_column() {
        let rows = vec![
            document("target", Some(1), Some(1), Some(0), "phường Hàng Bạc".into(), "Đoàn số 5".into(), ""),
            document("unit", None, Some(2), None, "phường Hàng Bạc".into(), "45-CT/TW".into(), "2021"),
        ];
        let terms: Vec<String> = terms_of(&rows).into_iter().collect();
        assert_eq!(terms, ["2021", "45", "5", "bac", "ct", "doan", "hang", "phuong", "so", "tw"], "the context too");
        let statements = term_statements(DatabaseBackend::Sqlite, (0..2500).map(|i| format!("w{i}")).collect());
        assert_eq!(statements.len(), 3, "a thousand words per statement");
    }
}
