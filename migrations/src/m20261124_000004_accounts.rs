//! Accounts, their sessions and everything that guards them.
//!
//! - `users.role` is one of the policy's roles, scoped to `organisation_id` (null only for administrators).
//!   `password_hash` is null until the one-time setup link is used: there are no default accounts.
//! - `mission_assignments` ties accounts to the missions they lead or serve on; the policy reads it.
//! - `auth_sessions.id` is the SHA-256 of the cookie's token, so the table cannot be replayed from a backup.
//!   Sessions live in the database so they survive restarts and work across instances.
//! - `login_attempts` feeds throttling per account and per client address.
//! - `one_time_tokens` and `api_tokens` store hashes only.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, big_pk_auto, boolean, integer, string, string_null, text, text_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null,
};

use crate::{create_indexes, drop_tables, fk};

#[derive(DeriveMigrationName)]
pub struct Migration;

async fn unique(manager: &SchemaManager<'_>, table: &str, columns: &[&str]) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(format!("ux_{table}_{}", columns.join("_"))).table(Alias::new(table)).unique();
    for column in columns {
        index.col(Alias::new(*column));
    }
    manager.create_index(index.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let cascade = ForeignKeyAction::Cascade;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("users"))
                    .col(big_pk_auto(Alias::new("id")))
                    // Stored lower-cased and NFC: the login compares exactly.
                    .col(string(Alias::new("email")))
                    .col(text(Alias::new("display_name")))
                    .col(string(Alias::new("role")))
                    .col(big_integer_null(Alias::new("organisation_id")))
                    .col(text_null(Alias::new("password_hash")))
                    .col(boolean(Alias::new("disabled")))
                    .col(integer(Alias::new("version")))
                    .col(timestamp_with_time_zone(Alias::new("created_at")))
                    .col(timestamp_with_time_zone_null(Alias::new("password_changed_at")))
                    .foreign_key(&mut fk("users", "organisation_id", "organisations", ForeignKeyAction::Restrict))
                    .to_owned(),
            )
            .await?;
        unique(manager, "users", &["email"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("mission_assignments"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(big_integer(Alias::new("mission_id")))
                    .col(big_integer(Alias::new("user_id")))
                    // leader | member
                    .col(string(Alias::new("capacity")))
                    .foreign_key(&mut fk("mission_assignments", "mission_id", "missions", cascade))
                    .foreign_key(&mut fk("mission_assignments", "user_id", "users", cascade))
                    .to_owned(),
            )
            .await?;
        unique(manager, "mission_assignments", &["mission_id", "user_id"]).await?;
        create_indexes(manager, "mission_assignments", &[&["user_id"]]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("auth_sessions"))
                    .col(string(Alias::new("id")).primary_key())
                    .col(big_integer(Alias::new("user_id")))
                    .col(string(Alias::new("csrf_token")))
                    .col(timestamp_with_time_zone(Alias::new("created_at")))
                    .col(timestamp_with_time_zone(Alias::new("last_seen_at")))
                    .foreign_key(&mut fk("auth_sessions", "user_id", "users", cascade))
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, "auth_sessions", &[&["user_id"], &["last_seen_at"]]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("login_attempts"))
                    .col(big_pk_auto(Alias::new("id")))
                    // "account:<email>" or "ip:<address>"
                    .col(string(Alias::new("key")))
                    .col(boolean(Alias::new("succeeded")))
                    .col(timestamp_with_time_zone(Alias::new("at")))
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, "login_attempts", &[&["key", "at"]]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("one_time_tokens"))
                    .col(string(Alias::new("id")).primary_key())
                    // null for the first administrator's setup link, which creates the account
                    .col(big_integer_null(Alias::new("user_id")))
                    // setup | password
                    .col(string(Alias::new("purpose")))
                    .col(timestamp_with_time_zone(Alias::new("expires_at")))
                    .col(timestamp_with_time_zone_null(Alias::new("used_at")))
                    .col(timestamp_with_time_zone(Alias::new("created_at")))
                    .foreign_key(&mut fk("one_time_tokens", "user_id", "users", cascade))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("api_tokens"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(big_integer(Alias::new("user_id")))
                    .col(text(Alias::new("name")))
                    .col(string(Alias::new("token_hash")))
                    .col(timestamp_with_time_zone(Alias::new("created_at")))
                    .col(timestamp_with_time_zone_null(Alias::new("revoked_at")))
                    .col(string_null(Alias::new("prefix")))
                    .foreign_key(&mut fk("api_tokens", "user_id", "users", cascade))
                    .to_owned(),
            )
            .await?;
        unique(manager, "api_tokens", &["token_hash"]).await?;
        create_indexes(manager, "api_tokens", &[&["user_id"]]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &["api_tokens", "one_time_tokens", "login_attempts", "auth_sessions", "mission_assignments", "users"],
        )
        .await
    }
}
