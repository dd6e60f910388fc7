//! Full-text search over missions, targets, findings, recommendations and people, on each database's own
//! engine (SQLite FTS5, PostgreSQL `tsvector`), behind one function. Matching is on folded words by prefix,
//! for every abbreviation variant of the query (`domain::search::query_variants`); ranking — exact
//! diacritics first — and highlighting happen here in Rust, so both backends answer alike.

use giamsat_domain::messages::labels;
use giamsat_domain::mission::{Mission, Origin};
use giamsat_domain::policy::Visibility;
use giamsat_domain::search::{exactness, query_variants};
use giamsat_domain::text::{capitalize_first, fold};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, FromQueryResult, NotSet, QueryFilter,
    Statement, Value,
};

use crate::StoreError;
use crate::entities::search_documents;

/// The folded form the engines index: `fold`, with `-` and `/` as word separators too, so "KT-XH" and
/// "45-CT/TW" split into words the same way on both engines.
#[must_use]
pub fn index_form(text: &str) -> String {
    fold(text).replace(['-', '/'], " ")
}

/// Words of a folded query that the engines can match: letters and digits only.
fn words(variant: &str) -> Vec<String> {
    index_form(variant).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

fn document(
    kind: &str,
    mission_id: Option<i64>,
    ref_id: Option<i64>,
    position: Option<i64>,
    title: String,
    body: String,
) -> search_documents::ActiveModel {
    let folded = index_form(&format!("{title} {body}"));
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
    search_documents::Entity::insert_many(mission_documents(mission_id, mission)).exec(conn).await?;
    Ok(())
}

/// The search rows of a mission: itself, its people, targets, findings and recommendations.
pub(crate) fn mission_documents(mission_id: i64, mission: &Mission) -> Vec<search_documents::ActiveModel> {
    let id = Some(mission_id);
    let position = |i: usize| i64::try_from(i).ok();
    let team = mission.team.name.clone().unwrap_or_else(|| "Đoàn giám sát".to_owned());
    let mut rows = vec![document(
        "mission",
        id,
        id,
        None,
        team.clone(),
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
    )];
    // People are indexed through the missions they served on, so they are found only by those who may see the
    // mission: who sits on a team is itself not public before publication.
    for (i, m) in mission.members.iter().enumerate() {
        if let giamsat_domain::mission::Who::Person { name, position: held } = &m.who {
            rows.push(document("person", id, id, position(i), name.clone(), held.clone().unwrap_or_default()));
        }
    }
    for (i, t) in mission.targets.iter().enumerate() {
        rows.push(document("target", id, id, position(i), labels::target_with_kind(t.kind, &t.name), team.clone()));
    }
    for (i, f) in mission.findings.iter().enumerate() {
        rows.push(document(
            "finding",
            id,
            id,
            position(i),
            labels::finding_kind(f.kind).to_owned(),
            capitalize_first(&f.text),
        ));
    }
    for (i, r) in mission.recommendations.iter().enumerate() {
        let from = match &r.origin {
            Origin::Upward { .. } => "Kiến nghị",
            Origin::Downward { .. } => "Đề nghị",
        };
        rows.push(document(
            "recommendation",
            id,
            id,
            position(i),
            format!("{from} – {}", r.addressees.join(", ")),
            capitalize_first(&r.text),
        ));
    }
    rows
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
    search_documents::Entity::insert(document("unit", None, Some(unit_id), None, label, validity)).exec(conn).await?;
    Ok(())
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
    /// 2: the query appears with its diacritics; 1: only when folded; 0: matched through an abbreviation.
    pub exactness: u8,
}

#[derive(Debug, FromQueryResult)]
struct Row {
    kind: String,
    mission_id: Option<i64>,
    ref_id: Option<i64>,
    position: Option<i64>,
    title: String,
    body: String,
}

/// The engine's match expression for the query's variants: any variant, all its words, each as a prefix.
fn match_expression(backend: DatabaseBackend, query: &str) -> Option<String> {
    let groups: Vec<Vec<String>> =
        query_variants(query).iter().map(|v| words(v)).filter(|w| !w.is_empty()).take(16).collect();
    if groups.is_empty() {
        return None;
    }
    let expression = match backend {
        DatabaseBackend::Postgres => groups
            .iter()
            .map(|g| format!("({})", g.iter().map(|w| format!("'{w}':*")).collect::<Vec<_>>().join(" & ")))
            .collect::<Vec<_>>()
            .join(" | "),
        _ => groups
            .iter()
            .map(|g| format!("({})", g.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" AND ")))
            .collect::<Vec<_>>()
            .join(" OR "),
    };
    Some(expression)
}

/// Searches what `visibility` allows; at most `limit`
/// results, best first.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn search(
    conn: &impl ConnectionTrait,
    visibility: Visibility,
    query: &str,
    limit: usize,
) -> Result<Vec<Hit>, StoreError> {
    let backend = conn.get_database_backend();
    let Some(expression) = match_expression(backend, query) else {
        return Ok(Vec::new());
    };
    let (visible_sql, mut values): (String, Vec<Value>) = match visibility {
        Visibility::All => ("TRUE".to_owned(), vec![]),
        Visibility::Organisation(org) => (
            "(d.mission_id IS NULL OR d.mission_id IN (SELECT id FROM missions WHERE owner_org_id = $2))".to_owned(),
            vec![org.into()],
        ),
        Visibility::AssignedTo(user) => (
            "(d.mission_id IS NULL OR d.mission_id IN (SELECT mission_id FROM mission_assignments WHERE user_id = $2))"
                .to_owned(),
            vec![user.into()],
        ),
        Visibility::Nothing => ("d.mission_id IS NULL".to_owned(), vec![]),
    };
    // A generous candidate set, ranked below; the engines' own ranks differ, so they are not used. Newest first
    // by the FTS5 rowid (= the document id), which FTS5 walks backwards without sorting: a common word costs
    // what a rare one does.
    let candidates = 500;
    let sql = match backend {
        DatabaseBackend::Postgres => format!(
            "SELECT d.kind, d.mission_id, d.ref_id, d.position, d.title, d.body FROM search_documents d \
             WHERE to_tsvector('simple', d.folded) @@ to_tsquery('simple', $1) AND {visible_sql} \
             ORDER BY d.id DESC LIMIT {candidates}"
        ),
        _ => format!(
            "SELECT d.kind, d.mission_id, d.ref_id, d.position, d.title, d.body FROM search_fts \
             JOIN search_documents d ON d.id = search_fts.rowid \
             WHERE search_fts MATCH $1 AND {} ORDER BY search_fts.rowid DESC LIMIT {candidates}",
            visible_sql.replace("TRUE", "1 = 1")
        ),
    };
    let mut params: Vec<Value> = vec![expression.into()];
    params.append(&mut values);
    let rows = Row::find_by_statement(Statement::from_sql_and_values(backend, sql, params)).all(conn).await?;
    let mut hits: Vec<Hit> = rows
        .into_iter()
        .map(|r| {
            let exactness = exactness(&format!("{} {}", r.title, r.body), query);
            Hit {
                kind: r.kind,
                mission_id: r.mission_id,
                ref_id: r.ref_id,
                position: r.position,
                title: r.title,
                body: r.body,
                exactness,
            }
        })
        .collect();
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
    fn match_expressions_cover_every_variant_with_prefixes() {
        let sqlite = match_expression(DatabaseBackend::Sqlite, "HĐND quận").expect("an expression");
        assert!(sqlite.contains("(\"hdnd\"* AND \"quan\"*)"), "{sqlite}");
        assert!(sqlite.contains("\"hoi\"* AND \"dong\"* AND \"nhan\"* AND \"dan\"*"), "{sqlite}");
        let postgres = match_expression(DatabaseBackend::Postgres, "hang bac").expect("an expression");
        assert_eq!(postgres, "('hang':* & 'bac':*)");
        assert_eq!(match_expression(DatabaseBackend::Sqlite, " \" * ' "), None, "nothing to match");
    }
}
