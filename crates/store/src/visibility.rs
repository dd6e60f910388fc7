//! The one filter of what a reader may see: a [`Visibility`] as the subquery of the mission ids it allows.
//! Lists, the ledger, "Việc của tôi", links and search restrict their queries through it, so a change of the
//! policy's visibility shows everywhere at once.

use giamsat_domain::policy::Visibility;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, DatabaseBackend, EntityTrait, QueryFilter, Select};

use crate::entities::{mission_assignments, missions};

/// The ids of the missions `visibility` allows, as a subquery; `None` when every mission is visible.
pub(crate) fn visible_ids(visibility: Visibility) -> Option<SelectStatement> {
    match visibility {
        Visibility::All => None,
        Visibility::Organisation(org) => Some(
            Query::select()
                .column(missions::Column::Id)
                .from(missions::Entity)
                .and_where(missions::Column::OwnerOrgId.eq(org))
                .to_owned(),
        ),
        Visibility::AssignedTo(user) => Some(
            Query::select()
                .column(mission_assignments::Column::MissionId)
                .from(mission_assignments::Entity)
                .and_where(mission_assignments::Column::UserId.eq(user))
                .to_owned(),
        ),
        Visibility::Nothing => Some(
            Query::select()
                .column(missions::Column::Id)
                .from(missions::Entity)
                .and_where(Expr::val(1).eq(0))
                .to_owned(),
        ),
    }
}

/// Restricts a query on a table with a `mission_id`-like column to visible missions.
pub(crate) fn restrict<E: EntityTrait>(
    select: Select<E>,
    column: impl ColumnTrait,
    visibility: Visibility,
) -> Select<E> {
    match visible_ids(visibility) {
        None => select,
        Some(ids) => select.filter(column.in_subquery(ids)),
    }
}

/// [`visible_ids`] as SQL text for the queries written by hand (search): `None` when every mission is visible.
/// The values inlined are ids (integers), never text a user typed.
pub(crate) fn visible_ids_sql(visibility: Visibility, backend: DatabaseBackend) -> Option<String> {
    visible_ids(visibility).map(|select| match backend {
        DatabaseBackend::Postgres => select.to_string(sea_orm::sea_query::PostgresQueryBuilder),
        DatabaseBackend::MySql => select.to_string(sea_orm::sea_query::MysqlQueryBuilder),
        _ => select.to_string(sea_orm::sea_query::SqliteQueryBuilder),
    })
}
