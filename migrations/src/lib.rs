//! Schema migrations. A migration never changes once merged; each has `up` and `down`, and the comments carry
//! the schema decisions. Tables are written with sea-query's builder so one definition serves SQLite and
//! PostgreSQL; only triggers need per-backend SQL.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_reference_data;
mod m20261124_000002_missions;
mod m20261124_000003_audit;
mod m20261124_000004_accounts;
mod m20261124_000005_search;
mod m20261130_000006_reports;
mod m20261130_000007_ledger;
mod m20261130_000008_indexes;
mod m20261130_000012_reminders;
mod m20261130_000013_formal_settings;
mod m20261130_000014_recommendation_links;
mod m20261130_000015_mission_counts;
mod m20261130_000016_search_terms;
mod m20261130_000017_ledger_status_index;
mod m20261205_000018_search_index_state;
mod m20261205_000019_data_version;
mod m20261206_000020_search_words_trigger;
mod m20261206_000021_report_state_indexes;
mod m20261208_000022_addressee_org_recommendation_index;

/// Every migration, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_reference_data::Migration),
            Box::new(m20261124_000002_missions::Migration),
            Box::new(m20261124_000003_audit::Migration),
            Box::new(m20261124_000004_accounts::Migration),
            Box::new(m20261124_000005_search::Migration),
            Box::new(m20261130_000006_reports::Migration),
            Box::new(m20261130_000007_ledger::Migration),
            Box::new(m20261130_000008_indexes::Migration),
            Box::new(m20261130_000012_reminders::Migration),
            Box::new(m20261130_000013_formal_settings::Migration),
            Box::new(m20261130_000014_recommendation_links::Migration),
            Box::new(m20261130_000015_mission_counts::Migration),
            Box::new(m20261130_000016_search_terms::Migration),
            Box::new(m20261130_000017_ledger_status_index::Migration),
            Box::new(m20261205_000018_search_index_state::Migration),
            Box::new(m20261205_000019_data_version::Migration),
            Box::new(m20261206_000020_search_words_trigger::Migration),
            Box::new(m20261206_000021_report_state_indexes::Migration),
            Box::new(m20261208_000022_addressee_org_recommendation_index::Migration),
        ]
    }
}

/// A foreign key from `table.column` to `to.id`, named after both.
pub(crate) fn fk(table: &str, column: &str, to: &str, on_delete: ForeignKeyAction) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(Alias::new(table), Alias::new(column))
        .to(Alias::new(to), Alias::new("id"))
        .on_delete(on_delete)
        .to_owned()
}

/// An index on `columns` of `table`, named after them.
pub(crate) fn index(table: &str, columns: &[&str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("ix_{table}_{}", columns.join("_"))).table(Alias::new(table));
    for column in columns {
        stmt.col(Alias::new(*column));
    }
    stmt.to_owned()
}

pub(crate) async fn create_indexes(manager: &SchemaManager<'_>, table: &str, indexes: &[&[&str]]) -> Result<(), DbErr> {
    for columns in indexes {
        manager.create_index(index(table, columns)).await?;
    }
    Ok(())
}

pub(crate) async fn drop_tables(manager: &SchemaManager<'_>, tables: &[&str]) -> Result<(), DbErr> {
    for table in tables {
        manager.drop_table(Table::drop().table(Alias::new(*table)).to_owned()).await?;
    }
    Ok(())
}
