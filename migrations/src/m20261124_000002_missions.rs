//! Decisions and missions with everything they hold.
//!
//! - A decision is its own row because one decision sets up many teams. Its number is kept as written
//!   (`number_raw`) plus parsed parts; there is deliberately no unique index on the number: every district has
//!   a 109-QĐ/QU.
//! - `missions.version` is the optimistic-concurrency counter of the whole aggregate: every write says which
//!   version it read and is refused if another write came first.
//! - Child rows carry `position` (protocol order as written, never re-sorted) and a denormalised `mission_id`,
//!   so a whole mission loads in a fixed number of queries whatever its size.
//! - `pub_published_at` is text (RFC 3339 as written) because a timestamp column would lose the +07:00 offset
//!   on PostgreSQL and change the exported bytes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, big_pk_auto, boolean, date_null, integer, integer_null, string, string_null, text,
    text_null, timestamp_with_time_zone,
};

use crate::{create_indexes, drop_tables, fk};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let cascade = ForeignKeyAction::Cascade;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("decisions"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(big_integer(Alias::new("owner_org_id")))
                    .col(text_null(Alias::new("number_raw")))
                    .col(string_null(Alias::new("doc_system")))
                    .col(string_null(Alias::new("type_code")))
                    .col(integer_null(Alias::new("sequence")))
                    .col(integer_null(Alias::new("doc_year")))
                    .col(string_null(Alias::new("issuer_code")))
                    .col(date_null(Alias::new("issued_on")))
                    .col(text_null(Alias::new("issuer")))
                    .col(text_null(Alias::new("summary")))
                    .col(integer(Alias::new("version")))
                    .col(timestamp_with_time_zone(Alias::new("created_at")))
                    .foreign_key(&mut fk("decisions", "owner_org_id", "organisations", ForeignKeyAction::Restrict))
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, "decisions", &[&["owner_org_id", "number_raw"]]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("missions"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(integer(Alias::new("version")))
                    .col(string(Alias::new("state")))
                    .col(big_integer(Alias::new("owner_org_id")))
                    .col(string(Alias::new("system")))
                    .col(string(Alias::new("form")))
                    .col(text_null(Alias::new("basis")))
                    .col(big_integer_null(Alias::new("decision_id")))
                    .col(text(Alias::new("supervising_body")))
                    .col(text_null(Alias::new("team_name")))
                    .col(integer_null(Alias::new("team_ordinal")))
                    .col(text(Alias::new("subject")))
                    .col(date_null(Alias::new("fieldwork_from")))
                    .col(date_null(Alias::new("fieldwork_to")))
                    .col(date_null(Alias::new("reference_from")))
                    .col(date_null(Alias::new("reference_to")))
                    // Codes of finding kinds recorded as "none" (không có), comma-separated; '' when none.
                    .col(string(Alias::new("findings_none_recorded")))
                    .col(text_null(Alias::new("conclusion_preamble")))
                    .col(boolean(Alias::new("has_publication")))
                    .col(text_null(Alias::new("pub_category")))
                    .col(string_null(Alias::new("pub_published_at")))
                    .col(text_null(Alias::new("pub_byline")))
                    .col(text_null(Alias::new("pub_source")))
                    .col(timestamp_with_time_zone(Alias::new("created_at")))
                    .col(timestamp_with_time_zone(Alias::new("updated_at")))
                    .foreign_key(&mut fk("missions", "owner_org_id", "organisations", ForeignKeyAction::Restrict))
                    .foreign_key(&mut fk("missions", "decision_id", "decisions", ForeignKeyAction::SetNull))
                    .to_owned(),
            )
            .await?;
        create_indexes(
            manager,
            "missions",
            &[&["state", "id"], &["owner_org_id", "id"], &["decision_id"], &["fieldwork_from", "id"]],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("mission_members"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(big_integer(Alias::new("mission_id")))
                    .col(integer(Alias::new("position")))
                    .col(string(Alias::new("role")))
                    .col(big_integer_null(Alias::new("person_id")))
                    // Verbatim name and position as held at the time, even when linked to a person.
                    .col(text_null(Alias::new("name")))
                    .col(text_null(Alias::new("position_text")))
                    .col(text_null(Alias::new("description")))
                    .foreign_key(&mut fk("mission_members", "mission_id", "missions", cascade))
                    .foreign_key(&mut fk("mission_members", "person_id", "people", ForeignKeyAction::SetNull))
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, "mission_members", &[&["mission_id", "position"], &["person_id"]]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("targets"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(big_integer(Alias::new("mission_id")))
                    .col(integer(Alias::new("position")))
                    .col(string(Alias::new("kind")))
                    .col(text(Alias::new("name")))
                    .col(text(Alias::new("name_folded")))
                    .col(big_integer_null(Alias::new("admin_unit_id")))
                    .col(big_integer_null(Alias::new("organisation_id")))
                    .foreign_key(&mut fk("targets", "mission_id", "missions", cascade))
                    .foreign_key(&mut fk("targets", "admin_unit_id", "admin_units", ForeignKeyAction::SetNull))
                    .foreign_key(&mut fk("targets", "organisation_id", "organisations", ForeignKeyAction::SetNull))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_targets_mission_id_name")
                    .table(Alias::new("targets"))
                    .col(Alias::new("mission_id"))
                    .col(Alias::new("name"))
                    .unique()
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, "targets", &[&["name_folded"], &["admin_unit_id"]]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("sessions"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(big_integer(Alias::new("mission_id")))
                    .col(big_integer(Alias::new("target_id")))
                    .col(integer(Alias::new("position")))
                    .col(date_null(Alias::new("held_on")))
                    .col(string_null(Alias::new("modality")))
                    .col(text_null(Alias::new("minutes")))
                    .foreign_key(&mut fk("sessions", "mission_id", "missions", cascade))
                    .foreign_key(&mut fk("sessions", "target_id", "targets", cascade))
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, "sessions", &[&["mission_id", "position"], &["held_on"]]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("photos"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(big_integer(Alias::new("mission_id")))
                    .col(big_integer(Alias::new("session_id")))
                    .col(integer(Alias::new("position")))
                    .col(text(Alias::new("caption")))
                    // Key in the file storage; files never live in the database.
                    .col(text_null(Alias::new("file_key")))
                    .col(string_null(Alias::new("content_type")))
                    .foreign_key(&mut fk("photos", "mission_id", "missions", cascade))
                    .foreign_key(&mut fk("photos", "session_id", "sessions", cascade))
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, "photos", &[&["mission_id"], &["session_id"]]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("findings"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(big_integer(Alias::new("mission_id")))
                    .col(integer(Alias::new("position")))
                    .col(string(Alias::new("kind")))
                    .col(text(Alias::new("text")))
                    .col(timestamp_with_time_zone(Alias::new("created_at")))
                    .foreign_key(&mut fk("findings", "mission_id", "missions", cascade))
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, "findings", &[&["mission_id", "position"]]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("finding_targets"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(big_integer(Alias::new("mission_id")))
                    .col(big_integer(Alias::new("finding_id")))
                    .col(big_integer(Alias::new("target_id")))
                    .foreign_key(&mut fk("finding_targets", "mission_id", "missions", cascade))
                    .foreign_key(&mut fk("finding_targets", "finding_id", "findings", cascade))
                    .foreign_key(&mut fk("finding_targets", "target_id", "targets", cascade))
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, "finding_targets", &[&["mission_id"], &["finding_id"]]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("recommendations"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(big_integer(Alias::new("mission_id")))
                    .col(integer(Alias::new("position")))
                    .col(string(Alias::new("direction")))
                    .col(text_null(Alias::new("issuer")))
                    .col(text(Alias::new("text")))
                    .col(string(Alias::new("status")))
                    .col(text_null(Alias::new("owner")))
                    .col(date_null(Alias::new("due_on")))
                    // The first due date ever set; later changes are logged in recommendation_events.
                    .col(date_null(Alias::new("original_due_on")))
                    .col(boolean(Alias::new("priority")))
                    .col(integer(Alias::new("version")))
                    .foreign_key(&mut fk("recommendations", "mission_id", "missions", cascade))
                    .to_owned(),
            )
            .await?;
        create_indexes(
            manager,
            "recommendations",
            &[&["mission_id", "position"], &["status", "due_on"], &["direction", "status", "id"]],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("recommendation_addressees"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(big_integer(Alias::new("mission_id")))
                    .col(big_integer(Alias::new("recommendation_id")))
                    .col(integer(Alias::new("position")))
                    .col(text(Alias::new("addressee")))
                    .col(big_integer_null(Alias::new("organisation_id")))
                    .foreign_key(&mut fk("recommendation_addressees", "mission_id", "missions", cascade))
                    .foreign_key(&mut fk("recommendation_addressees", "recommendation_id", "recommendations", cascade))
                    .foreign_key(&mut fk(
                        "recommendation_addressees",
                        "organisation_id",
                        "organisations",
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        create_indexes(
            manager,
            "recommendation_addressees",
            &[&["mission_id"], &["recommendation_id"], &["addressee"]],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("recommendation_raised_by"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(big_integer(Alias::new("mission_id")))
                    .col(big_integer(Alias::new("recommendation_id")))
                    .col(big_integer(Alias::new("target_id")))
                    .foreign_key(&mut fk("recommendation_raised_by", "mission_id", "missions", cascade))
                    .foreign_key(&mut fk("recommendation_raised_by", "recommendation_id", "recommendations", cascade))
                    .foreign_key(&mut fk("recommendation_raised_by", "target_id", "targets", cascade))
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, "recommendation_raised_by", &[&["mission_id"], &["recommendation_id"]]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("recommendation_events"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(big_integer(Alias::new("recommendation_id")))
                    .col(timestamp_with_time_zone(Alias::new("at")))
                    .col(text(Alias::new("actor")))
                    // status_change | progress | due_date_change | link
                    .col(string(Alias::new("kind")))
                    .col(string_null(Alias::new("from_status")))
                    .col(string_null(Alias::new("to_status")))
                    .col(date_null(Alias::new("due_from")))
                    .col(date_null(Alias::new("due_to")))
                    .col(text(Alias::new("note")))
                    .foreign_key(&mut fk("recommendation_events", "recommendation_id", "recommendations", cascade))
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, "recommendation_events", &[&["recommendation_id", "at"]]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "recommendation_events",
                "recommendation_raised_by",
                "recommendation_addressees",
                "recommendations",
                "finding_targets",
                "findings",
                "photos",
                "sessions",
                "targets",
                "mission_members",
                "missions",
                "decisions",
            ],
        )
        .await
    }
}
