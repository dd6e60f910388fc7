//! Administration: accounts (created without a password; a one-time link sets it) and the audit trail.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use giamsat_domain::audit_diff::{self, FieldChange};
use giamsat_domain::date::vn_offset;
use giamsat_domain::messages::labels;
use giamsat_domain::messages::security as msg;
use giamsat_domain::policy::{Action, Role};
use giamsat_domain::text;
use giamsat_store::accounts::{self, LinkPurpose, NewUser};
use giamsat_store::{StoreError, audit, orgs};
use serde::Deserialize;

use crate::auth::guard::{Authenticated, allow};
use crate::auth::session::CurrentUser;
use crate::auth::{hash_token, random_token};
use crate::error::AppError;
use crate::pages::account::actor;
use crate::pages::{Chrome, page};
use crate::state::AppState;

/// How long a one-time password link stays valid.
pub const LINK_LIFETIME: Duration = Duration::hours(72);

/// Creates a one-time password link for `user_id` and returns its URL.
///
/// # Errors
/// [`AppError`] if it cannot be stored.
pub async fn password_link(state: &AppState, user_id: Option<i64>, purpose: LinkPurpose) -> Result<String, StoreError> {
    let token = random_token();
    let now = state.clock.now();
    accounts::create_link(&state.db, &hash_token(&token), user_id, purpose, now, now + LINK_LIFETIME).await?;
    Ok(format!("{}/setup/{token}", state.public_url))
}

struct UserRow {
    id: i64,
    email: String,
    name: String,
    role: &'static str,
    organisation: String,
    has_password: bool,
    disabled: bool,
    /// The role-change form's choice: empty (no default) unless a refused change is shown again.
    chosen_role: String,
    /// The organisation-change choice: the account's own, or the refused change's.
    chosen_organisation: String,
    /// Why this account's role change was refused (a code the template words next to the field).
    role_problem: Option<&'static str>,
}

/// A refused role change, shown again on its row with the input kept.
struct RefusedRoleChange {
    user_id: i64,
    role: String,
    organisation_id: String,
    problem: &'static str,
}

struct Option_ {
    value: String,
    label: String,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    chrome: Chrome,
    csrf: String,
    users: Vec<UserRow>,
    roles: Vec<Option_>,
    organisations: Vec<Option_>,
    link: Option<(String, String)>,
    /// The change just confirmed by a redirect ("role", "disabled", "enabled").
    done: Option<&'static str>,
    problem: Option<&'static str>,
    form_email: String,
    form_name: String,
    form_role: String,
    form_organisation: String,
}

impl UsersPage {
    /// The new-account field a problem belongs next to.
    fn problem_field(&self) -> Option<&'static str> {
        self.problem.map(|problem| match problem {
            "email" | "email_taken" => "email",
            "name" => "name",
            "role" => "role",
            _ => "organisation",
        })
    }
}

async fn users_page(
    state: &AppState,
    current: &CurrentUser,
    link: Option<(String, String)>,
    done: Option<&'static str>,
    problem: Option<&'static str>,
    form: Option<&NewUserForm>,
    refused: Option<&RefusedRoleChange>,
) -> Result<UsersPage, AppError> {
    let organisations = orgs::list(&state.db).await?;
    let org_name = |id: Option<i64>| {
        id.and_then(|id| organisations.iter().find(|o| o.id == id)).map(|o| o.name.clone()).unwrap_or_default()
    };
    let users = accounts::list(&state.db)
        .await?
        .into_iter()
        .map(|u| {
            let refused = refused.filter(|r| r.user_id == u.id);
            let organisation_id = u.organisation_id.map(|o| o.to_string()).unwrap_or_default();
            UserRow {
                id: u.id,
                chosen_role: refused.map(|r| r.role.clone()).unwrap_or_default(),
                chosen_organisation: refused.map_or(organisation_id, |r| r.organisation_id.clone()),
                role_problem: refused.map(|r| r.problem),
                organisation: org_name(u.organisation_id),
                email: u.email,
                name: u.display_name,
                role: labels::user_role(u.role),
                has_password: u.password_hash.is_some(),
                disabled: u.disabled,
            }
        })
        .collect();
    Ok(UsersPage {
        chrome: Chrome::of(current),
        csrf: current.csrf.clone().unwrap_or_default(),
        users,
        roles: Role::ALL
            .iter()
            .map(|r| Option_ { value: r.code().to_owned(), label: labels::user_role(*r).to_owned() })
            .collect(),
        organisations: organisations
            .iter()
            .map(|o| Option_ { value: o.id.to_string(), label: o.name.clone() })
            .collect(),
        link,
        done,
        problem,
        form_email: form.map(|f| f.email.clone()).unwrap_or_default(),
        form_name: form.map(|f| f.name.clone()).unwrap_or_default(),
        form_role: form.map(|f| f.role.clone()).unwrap_or_default(),
        form_organisation: form.and_then(|f| f.organisation_id.clone()).unwrap_or_default(),
    })
}

/// The organisation field's id if it names a stored organisation: an id from a stale page or a forged form is
/// "no organisation chosen", not a foreign-key failure.
async fn known_organisation(state: &AppState, field: Option<&str>) -> Result<Option<i64>, AppError> {
    match field.map(str::trim).filter(|f| f.parse::<i64>().is_ok()) {
        Some(id) => Ok(orgs::find(&state.db, id).await?),
        None => Ok(None),
    }
}

#[derive(Deserialize)]
pub struct UsersQuery {
    done: Option<String>,
}

/// GET /admin/users?done=: the list, confirming the change a redirect names (anything else confirms nothing).
pub async fn users(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Query(query): Query<UsersQuery>,
) -> Result<Response, AppError> {
    allow(&current, Action::Administer)?;
    let done = match query.done.as_deref() {
        Some("role") => Some("role"),
        Some("disabled") => Some("disabled"),
        Some("enabled") => Some("enabled"),
        _ => None,
    };
    page(&users_page(&state, &current, None, done, None, None, None).await?, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct NewUserForm {
    email: String,
    name: String,
    /// Absent and empty alike mean "no choice": refused next to the field.
    #[serde(default)]
    role: String,
    organisation_id: Option<String>,
}

/// POST /admin/users: the account is created without a password; the page shows its one-time link once.
pub async fn create_user(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Form(form): Form<NewUserForm>,
) -> Result<Response, AppError> {
    allow(&current, Action::Administer)?;
    let email = text::email(&form.email);
    let name = text::clean(&form.name, 200).ok();
    let role = Role::from_code(&form.role);
    let organisation_id = known_organisation(&state, form.organisation_id.as_deref()).await?;
    let problem = if email.is_none() {
        Some("email")
    } else if name.is_none() {
        Some("name")
    } else if role.is_none() {
        Some("role")
    } else if role != Some(Role::Admin) && organisation_id.is_none() {
        Some("organisation")
    } else {
        None
    };
    if let Some(problem) = problem {
        return page(
            &users_page(&state, &current, None, None, Some(problem), Some(&form), None).await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let email = email.unwrap_or_default();
    let new = NewUser {
        email: email.clone(),
        display_name: name.unwrap_or_default(),
        role: role.unwrap_or(Role::Viewer),
        organisation_id,
        password_hash: None,
    };
    let id = match accounts::create(&state.db, &new, &actor(&current.user, &headers, state.clock.now())).await {
        Ok(id) => id,
        Err(StoreError::Duplicate { .. }) => {
            return page(
                &users_page(&state, &current, None, None, Some("email_taken"), Some(&form), None).await?,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
        Err(e) => return Err(e.into()),
    };
    let link = password_link(&state, Some(id), LinkPurpose::Password).await?;
    page(&users_page(&state, &current, Some((email, link)), None, None, None, None).await?, StatusCode::OK)
}

/// POST /admin/users/{id}/reset: ends the account's sessions and API tokens and shows a new one-time link.
pub async fn reset_password(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    allow(&current, Action::Administer)?;
    let user = accounts::by_id(&state.db, id).await?.ok_or(AppError::NotFound)?;
    accounts::reset(&state.db, id, &actor(&current.user, &headers, state.clock.now())).await?;
    let link = password_link(&state, Some(id), LinkPurpose::Password).await?;
    tracing::info!(admin = current.user.id, user_id = id, request = ?actor(&current.user, &headers, state.clock.now()).request_id, "password reset link issued");
    page(&users_page(&state, &current, Some((user.email, link)), None, None, None, None).await?, StatusCode::OK)
}

/// POST /admin/users/{id}/disable: the account can no longer log in; its sessions and API tokens end at once.
/// An administrator cannot disable their own account (nobody might be left to enable it).
pub async fn disable(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    allow(&current, Action::Administer)?;
    if id == current.user.id {
        return Err(AppError::Unprocessable(msg::CANNOT_DISABLE_SELF.to_owned()));
    }
    accounts::set_disabled(&state.db, id, true, &actor(&current.user, &headers, state.clock.now())).await?;
    Ok(axum::response::Redirect::to("/admin/users?done=disabled").into_response())
}

/// POST /admin/users/{id}/enable: the account may log in again (its old tokens stay revoked).
pub async fn enable(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    allow(&current, Action::Administer)?;
    accounts::set_disabled(&state.db, id, false, &actor(&current.user, &headers, state.clock.now())).await?;
    Ok(axum::response::Redirect::to("/admin/users?done=enabled").into_response())
}

struct TokenRow {
    id: i64,
    name: String,
    prefix: String,
    created: String,
    revoked: bool,
}

#[derive(Template)]
#[template(path = "admin_tokens.html")]
struct TokensPage {
    chrome: Chrome,
    csrf: String,
    user_id: i64,
    email: String,
    tokens: Vec<TokenRow>,
}

/// GET /admin/users/{id}/tokens: every API token of an account, live or revoked, with a revoke button.
pub async fn tokens(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    allow(&current, Action::Administer)?;
    let user = accounts::by_id(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let tokens = accounts::api_tokens_of(&state.db, id)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created: t.created_at.with_timezone(&vn_offset()).format("%d/%m/%Y %H:%M").to_string(),
            revoked: t.revoked,
        })
        .collect();
    page(
        &TokensPage {
            chrome: Chrome::of(&current),
            csrf: current.csrf.clone().unwrap_or_default(),
            user_id: id,
            email: user.email,
            tokens,
        },
        StatusCode::OK,
    )
}

/// POST /admin/users/{id}/tokens/{token_id}/revoke: revokes one API token of any account.
pub async fn revoke_token(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path((id, token_id)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    allow(&current, Action::Administer)?;
    accounts::revoke_api_token(&state.db, id, token_id, &actor(&current.user, &headers, state.clock.now())).await?;
    Ok(crate::pages::saved(&format!("/admin/users/{id}/tokens"), ""))
}

#[derive(Deserialize)]
pub struct RoleForm {
    /// Absent and empty alike mean "no choice": refused next to the field.
    #[serde(default)]
    role: String,
    organisation_id: Option<String>,
}

/// POST /admin/users/{id}/role: a new role (and organisation); the account's sessions end, so its next request
/// starts a new session with the new privileges.
pub async fn change_role(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<RoleForm>,
) -> Result<Response, AppError> {
    allow(&current, Action::Administer)?;
    // An unknown account is a missing page, not a refusal shown on a row that does not exist.
    accounts::by_id(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let organisation_id = known_organisation(&state, form.organisation_id.as_deref()).await?;
    let checked = match Role::from_code(&form.role) {
        None => Err("role"),
        Some(role) if role != Role::Admin && organisation_id.is_none() => Err("organisation"),
        Some(role) => Ok(role),
    };
    let role = match checked {
        Ok(role) => role,
        Err(problem) => {
            let refused = RefusedRoleChange {
                user_id: id,
                role: form.role,
                organisation_id: form.organisation_id.unwrap_or_default(),
                problem,
            };
            return page(
                &users_page(&state, &current, None, None, None, None, Some(&refused)).await?,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    accounts::change_role(&state.db, id, role, organisation_id, &actor(&current.user, &headers, state.clock.now()))
        .await?;
    Ok(axum::response::Redirect::to("/admin/users?done=role").into_response())
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    mission: Option<String>,
    actor: Option<String>,
}

impl AuditQuery {
    fn filter(&self) -> audit::Filter {
        audit::Filter {
            mission_id: self.mission.as_deref().and_then(|m| m.trim().parse().ok()),
            actor: self.actor.as_deref().map(str::trim).filter(|a| !a.is_empty()).map(|actor| {
                // "Hệ thống", "dong lenh": the words the page shows for the labels it stands for.
                let folded = text::fold(actor);
                labels::AUDIT_ACTOR_LABELS
                    .into_iter()
                    .find(|label| labels::audit_actor(label).is_some_and(|words| text::fold(words) == folded))
                    .map_or_else(|| actor.to_owned(), str::to_owned)
            }),
        }
    }
}

/// One changed field of an audit row, worded: "old → new", "thêm: new", "bỏ: old".
struct ChangeLine {
    path: String,
    text: String,
}

struct AuditRow {
    at: String,
    /// The account's name, or the command line's, the system's; the raw label when unknown.
    actor: String,
    /// The account's e-mail, under its name.
    actor_email: String,
    /// The raw actor label, for administrators who search the CSV or the logs.
    actor_label: String,
    action: String,
    /// The action's code and the entity, for administrators who grep.
    code: String,
    mission_id: Option<i64>,
    mission: String,
    changes: Vec<ChangeLine>,
    more: Option<String>,
}

/// The number of changed fields a row of the audit log shows; the rest are counted.
const SHOWN_CHANGES: usize = 12;
/// The characters of a value a row shows before "…".
const VALUE_CHARS: usize = 120;

fn at_text(event: &audit::Event) -> String {
    event.at.with_timezone(&vn_offset()).format("%d/%m/%Y %H:%M:%S").to_string()
}

/// The actor of an event as a person reads it: (name, e-mail).
fn actor_text(label: &str, account: Option<&audit::AccountName>) -> (String, String) {
    if let Some(account) = account {
        return (account.name.clone(), account.email.clone());
    }
    let name = match audit::account_id(label) {
        Some(id) => labels::audit_removed_account(id),
        None => labels::audit_actor(label).map_or_else(|| label.to_owned(), str::to_owned),
    };
    (name, String::new())
}

/// The action of `action` as a person reads it, capitalised; its code when this version has no word for it.
fn action_text(action: &str) -> String {
    labels::audit_action(action).map_or_else(|| action.to_owned(), text::capitalize_first)
}

fn change_lines(event: &audit::Event) -> (Vec<ChangeLine>, Option<String>) {
    let lines = audit_diff::diff(event.before.as_deref(), event.after.as_deref(), VALUE_CHARS);
    let more = (lines.len() > SHOWN_CHANGES).then(|| labels::audit_more(lines.len() - SHOWN_CHANGES));
    let shown = lines
        .into_iter()
        .take(SHOWN_CHANGES)
        .map(|line| ChangeLine {
            path: line.path,
            text: match line.change {
                FieldChange::Changed { old, new } => format!("{old} → {new}"),
                FieldChange::Added(new) => format!("{}: {new}", labels::AUDIT_ADDED),
                FieldChange::Removed(old) => format!("{}: {old}", labels::AUDIT_REMOVED),
            },
        })
        .collect();
    (shown, more)
}

fn audit_row(row: &audit::Described) -> AuditRow {
    let e = &row.event;
    let (actor, actor_email) = actor_text(&e.actor, row.account.as_ref());
    let (changes, more) = change_lines(e);
    AuditRow {
        at: at_text(e),
        actor,
        actor_email,
        actor_label: e.actor.clone(),
        action: action_text(&e.action),
        code: format!("{} · {} {}", e.action, e.entity, e.entity_id.map(|i| i.to_string()).unwrap_or_default())
            .trim_end()
            .to_owned(),
        mission_id: e.mission_id,
        mission: match (&row.mission_name, e.mission_id) {
            (Some(name), _) => name.clone(),
            (None, Some(id)) => format!("#{id}"),
            (None, None) => String::new(),
        },
        changes,
        more,
    }
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    chrome: Chrome,
    rows: Vec<AuditRow>,
    mission: String,
    actor: String,
}

/// GET /admin/audit?mission=&actor=: the newest 500 events, with names for accounts, actions and missions and
/// the changed fields rather than the stored JSON.
pub async fn audit(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    allow(&current, Action::Administer)?;
    let events = audit::described(&state.db, &query.filter(), 500).await?;
    let rows = events.iter().map(audit_row).collect();
    page(
        &AuditPage {
            chrome: Chrome::of(&current),
            rows,
            mission: query.mission.unwrap_or_default(),
            actor: query.actor.unwrap_or_default(),
        },
        StatusCode::OK,
    )
}

/// A CSV cell: quoted, with a leading `'` where a spreadsheet would read a formula.
pub(crate) fn csv_cell(value: &str) -> String {
    let value =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() };
    format!("\"{}\"", value.replace('"', "\"\""))
}

/// GET /admin/audit.csv: the same filter, up to 100 000 events, UTF-8 with a BOM so Excel reads Vietnamese.
pub async fn audit_csv(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    allow(&current, Action::Administer)?;
    let events = audit::list(&state.db, &query.filter(), 100_000).await?;
    let accounts = audit::accounts_of(&state.db, &events).await?;
    let mut out = String::from(
        "\u{feff}id,at,actor,action,entity,entity_id,mission_id,request_id,before,after,actor_name,action_label\r\n",
    );
    for e in &events {
        let cells = [
            e.id.to_string(),
            e.at.to_rfc3339(),
            e.actor.clone(),
            e.action.clone(),
            e.entity.clone(),
            e.entity_id.map(|i| i.to_string()).unwrap_or_default(),
            e.mission_id.map(|i| i.to_string()).unwrap_or_default(),
            e.request_id.clone().unwrap_or_default(),
            e.before.clone().unwrap_or_default(),
            e.after.clone().unwrap_or_default(),
            actor_text(&e.actor, audit::account_id(&e.actor).and_then(|id| accounts.get(&id))).0,
            action_text(&e.action),
        ];
        out.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"audit.csv\""),
        ],
        out,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(super::csv_cell("Hàng Bạc"), "\"Hàng Bạc\"");
        assert_eq!(super::csv_cell("=1+1"), "\"'=1+1\"");
        assert_eq!(super::csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(super::csv_cell("-2"), "\"'-2\"");
    }
}
