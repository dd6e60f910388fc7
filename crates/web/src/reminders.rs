//! Reminders: a round lists, for every active account, the open recommendations it follows that are overdue or
//! due within 7 days (days in Asia/Ho_Chi_Minh) — those whose owner account it is, and those it may see that
//! have no owner account — and, when SMTP is configured, e-mails each account its list in Vietnamese. A round
//! runs only under the database lease `reminders`, so with several instances on one database each round is sent
//! once. `serve` calls [`run_once`] every `GIAMSAT_REMINDER_INTERVAL` seconds.

use chrono::{DateTime, Duration, Utc};
use giamsat_domain::messages::ledger::{ReminderLine, reminder_email};
use giamsat_domain::messages::report::approval_email;
use giamsat_domain::policy::{self, Action, Capacity, MissionScope, Role, Subject};
use giamsat_store::{StoreError, accounts, dashboard, leases};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::state::AppState;

/// The lease's name in `job_leases`.
pub const LEASE: &str = "reminders";
/// How far ahead "due soon" looks, as on the dashboard.
const DUE_SOON_DAYS: i64 = 7;

/// Where and as whom reminders are sent.
#[derive(Debug)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// A mailer for `url` (`smtp://host:port`) sending as `from`.
    ///
    /// # Errors
    /// A message naming the setting that is not valid.
    pub fn new(url: &str, from: &str) -> Result<Mailer, String> {
        let bad = || giamsat_domain::messages::cli::invalid_smtp_url(url);
        let address = url.strip_prefix("smtp://").ok_or_else(bad)?.trim_end_matches('/');
        let (host, port) = match address.rsplit_once(':') {
            Some((host, port)) => (host, port.parse().map_err(|_| bad())?),
            None => (address, 25),
        };
        if host.is_empty() {
            return Err(bad());
        }
        // Plain SMTP to a relay: the local MTA does TLS and retries (see the README).
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(port).build();
        let from = from.parse().map_err(|e| giamsat_domain::messages::cli::invalid_smtp_from(from, e))?;
        Ok(Mailer { transport, from })
    }
}

/// Why a round stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReminderError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a round did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Round {
    /// Another instance holds the lease.
    Skipped,
    /// The round ran: `due` accounts had items to be reminded of, `sent` e-mails were accepted by the relay.
    Ran { due: usize, sent: usize },
}

/// One round at `now`, holding the lease for `lease` (the interval, so the next round anywhere comes after it).
///
/// # Errors
/// [`ReminderError::Store`] when the database fails; an e-mail the relay refuses is logged and the round goes on.
pub async fn run_once(state: &AppState, now: DateTime<Utc>, lease: Duration) -> Result<Round, ReminderError> {
    let holder = format!("{}:{}", std::process::id(), uuid::Uuid::new_v4());
    if !leases::acquire(&state.db, LEASE, &holder, now, lease).await? {
        return Ok(Round::Skipped);
    }
    let today = giamsat_domain::date::vietnam_day(now);
    let until = today + Duration::days(DUE_SOON_DAYS);
    let (mut due, mut sent) = (0, 0);
    for user in accounts::list(&state.db).await?.into_iter().filter(|u| !u.disabled) {
        let subject = Subject { user_id: user.id, role: user.role, organisation_id: user.organisation_id };
        let items = dashboard::reminders_for(&state.db, policy::visibility(Some(&subject)), user.id, until).await?;
        if items.is_empty() {
            continue;
        }
        due += 1;
        let Some(mailer) = &state.mailer else { continue };
        let line = |d: &dashboard::DueItem| ReminderLine {
            text: giamsat_domain::text::capitalize_first(&d.text),
            mission: d.mission_name.clone(),
            due_on: d.due_on,
            url: format!("{}/recommendations/{}", state.public_url, d.id),
        };
        let (overdue, soon): (Vec<_>, Vec<_>) = items.iter().partition(|d| d.due_on < today);
        let overdue: Vec<ReminderLine> = overdue.into_iter().map(line).collect();
        let soon: Vec<ReminderLine> = soon.into_iter().map(line).collect();
        let (title, body) = reminder_email(&user.display_name, &overdue, &soon);
        match send(mailer, &user.email, &title, body).await {
            Ok(()) => sent += 1,
            Err(e) => tracing::warn!(user = user.id, error = %e, "reminder not sent"),
        }
    }
    tracing::info!(due, sent, "reminder round done");
    Ok(Round::Ran { due, sent })
}

/// E-mails the accounts that may approve `mission_id`'s article that `writer` sent it for approval: the
/// mission's leaders, else (nobody leads it) the administrators. Returns how many e-mails the relay accepted; one
/// it refuses is logged and the others are still sent. Called after the step is committed, so a failure here
/// never undoes it.
///
/// # Errors
/// [`ReminderError::Store`] when the database fails.
pub async fn notify_approvers(state: &AppState, mission_id: i64, writer: &str) -> Result<usize, ReminderError> {
    let Some(mailer) = &state.mailer else { return Ok(0) };
    let candidates = accounts::approver_candidates(&state.db, mission_id).await?;
    // The owner and state only: no account has id 0, so the capacity is filled per candidate below.
    let scope = accounts::mission_scope(&state.db, mission_id, 0).await?;
    let may_approve = |(user, capacity): &(accounts::User, Option<Capacity>)| {
        let subject = Subject { user_id: user.id, role: user.role, organisation_id: user.organisation_id };
        let scope = MissionScope { capacity: *capacity, ..scope.clone() };
        policy::can(Some(&subject), Action::ApproveReport, Some(&scope))
    };
    let allowed: Vec<&accounts::User> = candidates.iter().filter(|c| may_approve(c)).map(|(u, _)| u).collect();
    let leaders: Vec<&accounts::User> = allowed.iter().copied().filter(|u| u.role != Role::Admin).collect();
    let recipients = if leaders.is_empty() { allowed } else { leaders };
    let mission = giamsat_store::mywork::label_of(&state.db, mission_id).await?;
    let name = crate::pages::mywork::name_of(&mission);
    let url = format!("{}/missions/{mission_id}/report", state.public_url);
    let mut sent = 0;
    for user in recipients {
        let (title, body) = approval_email(&user.display_name, &name, writer, &url);
        match send(mailer, &user.email, &title, body).await {
            Ok(()) => sent += 1,
            Err(e) => tracing::warn!(user = user.id, mission = mission_id, error = %e, "approval request not e-mailed"),
        }
    }
    Ok(sent)
}

async fn send(mailer: &Mailer, to: &str, subject: &str, body: String) -> Result<(), String> {
    let to: Mailbox = to.parse().map_err(|e| format!("{e}"))?;
    // Quoted-printable: recommendation texts make lines longer than 8bit SMTP allows; Vietnamese letters are
    // encoded, the ASCII around them stays readable.
    let body = Body::new_with_encoding(body, ContentTransferEncoding::QuotedPrintable)
        .map_err(|_| "the body cannot be encoded".to_owned())?;
    let message = Message::builder()
        .from(mailer.from.clone())
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| e.to_string())?;
    mailer.transport.send(message).await.map(drop).map_err(|e| e.to_string())
}
