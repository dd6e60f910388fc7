//! Reminders: the round under the database lease, and its e-mail as a local SMTP sink receives it.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::Duration;
use giamsat_domain::policy::Role;
use giamsat_domain::recommendation::DueChange;
use giamsat_store::ledger;
use giamsat_web::reminders::{Mailer, Round, run_once};
use giamsat_web::state::AppState;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::support::spawn_app;

/// A loopback SMTP server speaking just enough of the protocol; every message's DATA lands in the list.
pub(crate) async fn smtp_sink() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let url = format!("smtp://{}", listener.local_addr().expect("bound"));
    let received = Arc::new(Mutex::new(Vec::new()));
    let store = received.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.expect("greets");
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.split(' ').next().unwrap_or_default().to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                        "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                        "DATA" => {
                            write.write_all(b"354 go on\r\n").await.expect("answers");
                            let mut message = String::new();
                            while let Ok(Some(line)) = lines.next_line().await {
                                if line == "." {
                                    break;
                                }
                                message.push_str(line.strip_prefix('.').unwrap_or(&line));
                                message.push('\n');
                            }
                            store.lock().unwrap_or_else(PoisonError::into_inner).push(message);
                            b"250 queued\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.expect("answers");
                            break;
                        }
                        _ => b"502 not here\r\n",
                    };
                    write.write_all(reply).await.expect("answers");
                }
            });
        }
    });
    (url, received)
}

/// The body of a quoted-printable message, decoded (soft line breaks joined, `=XX` bytes restored).
pub(crate) fn decoded(message: &str) -> String {
    let body = message.split_once("\n\n").map_or(message, |(_, body)| body).replace("=\n", "");
    let mut bytes = Vec::new();
    let mut rest = body.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        match (first, tail.get(..2).and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok())) {
            (b'=', Some(byte)) => {
                bytes.push(byte);
                rest = &tail[2..];
            }
            _ => {
                bytes.push(first);
                rest = tail;
            }
        }
    }
    String::from_utf8(bytes).expect("UTF-8")
}

pub(crate) fn instance(app: &crate::support::TestApp, url: &str) -> AppState {
    let mut state = app.state.clone();
    state.mailer = Some(Arc::new(Mailer::new(url, "Giám sát <giamsat@localhost>").expect("a mailer")));
    state
}

#[tokio::test]
async fn one_instance_of_two_sends_the_vietnamese_reminder_and_another_may_after_the_lease() {
    let app = spawn_app().await;
    let mission = app.insert_seed().await;
    let (_, email) = app.account(Role::Staff, Some(app.owner_of(mission).await)).await;
    let db = &app.test_db.db;
    let now = app.state.clock.now();
    let today = now.with_timezone(&giamsat_domain::date::vn_offset()).date_naive();
    let ids = ledger::ids_of_mission(db, mission).await.expect("reads");
    for (rec, due) in [(ids[0], today - Duration::days(2)), (ids[1], today + Duration::days(3))] {
        let version = ledger::item(db, rec).await.expect("reads").version;
        let change = DueChange { to: Some(due), approved_by: String::new(), reason: String::new() };
        ledger::write(
            db,
            rec,
            version,
            ledger::Write::Due(change),
            &giamsat_store::audit::Actor::system(chrono::Utc::now()),
        )
        .await
        .expect("due date set");
    }
    let (url, received) = smtp_sink().await;
    let (first, second) = (instance(&app, &url), instance(&app, &url));
    let hour = Duration::hours(1);

    let (a, b) = tokio::join!(run_once(&first, now, hour), run_once(&second, now, hour));
    let rounds = [a.expect("a round"), b.expect("a round")];
    assert_eq!(rounds.iter().filter(|r| **r == Round::Skipped).count(), 1, "{rounds:?}");
    let ran = rounds.iter().find(|r| **r != Round::Skipped).copied();
    let Some(Round::Ran { due, sent }) = ran else { panic!("one round ran: {rounds:?}") };
    assert!(due >= 1 && sent == due, "{rounds:?}");
    let mails = received.lock().unwrap_or_else(PoisonError::into_inner).clone();
    assert_eq!(mails.len(), sent);
    let raw = mails.iter().find(|m| m.contains(&format!("To: {email}"))).expect("the staff member's reminder");
    assert!(raw.contains("Content-Transfer-Encoding: quoted-printable"), "{raw}");
    let mail = decoded(raw);
    assert!(mail.contains("Quá hạn:") && mail.contains("Đến hạn trong 7 ngày tới:"), "{mail}");
    let overdue = giamsat_domain::date::format_short(today - Duration::days(2));
    assert!(mail.contains(&format!("(hạn {overdue})")), "{mail}");
    assert!(mail.contains(&format!("/recommendations/{}", ids[0])));
    assert!(mail.contains("Thư này do hệ thống theo dõi kiến nghị gửi tự động."), "{mail}");
    assert!(mail.find("Quá hạn:") < mail.find(&format!("/recommendations/{}", ids[1])), "overdue first");

    assert_eq!(run_once(&second, now + Duration::minutes(59), hour).await.expect("a round"), Round::Skipped);
    let later = run_once(&second, now + hour, hour).await.expect("a round");
    assert!(matches!(later, Round::Ran { sent, .. } if sent >= 1), "{later:?}");
    assert_eq!(received.lock().unwrap_or_else(PoisonError::into_inner).len(), 2 * mails.len());
    app.cleanup().await;
}

#[tokio::test]
async fn without_smtp_a_round_sends_nothing_and_a_bad_smtp_url_is_refused() {
    let app = spawn_app().await;
    app.insert_seed().await;
    let round = run_once(&app.state, app.state.clock.now(), Duration::hours(1)).await.expect("a round");
    assert!(matches!(round, Round::Ran { sent: 0, .. }), "{round:?}");
    assert!(Mailer::new("http://mail", "a@b").is_err());
    assert!(Mailer::new("smtp://mail:cổng", "a@b").is_err());
    assert!(Mailer::new("smtp://mail:25", "không phải địa chỉ").is_err());
    app.cleanup().await;
}

#[tokio::test]
async fn an_item_with_an_owner_account_reminds_that_account_only() {
    let app = spawn_app().await;
    let mission = app.insert_seed().await;
    let db = &app.test_db.db;
    let org = app.owner_of(mission).await;
    let (_, colleague) = app.account(Role::Staff, Some(org)).await;
    let ward = giamsat_store::orgs::owner_id(
        db,
        &giamsat_domain::mission::Owner {
            name: "Đảng ủy phường Hàng Bạc".to_owned(),
            short_name: "Đảng ủy phường".to_owned(),
            place: "Hàng Bạc".to_owned(),
            parent: None,
        },
        giamsat_domain::codes::SupervisionSystem::Party,
        chrono::Utc::now(),
    )
    .await
    .expect("organisation stored");
    let (owner, owner_email) = app.account(Role::Staff, Some(ward)).await;
    let now = app.state.clock.now();
    let today = now.with_timezone(&giamsat_domain::date::vn_offset()).date_naive();
    let ids = ledger::ids_of_mission(db, mission).await.expect("reads");
    let system = giamsat_store::audit::Actor::system(chrono::Utc::now());
    for (rec, due) in [(ids[0], today - Duration::days(2)), (ids[1], today + Duration::days(3))] {
        let version = ledger::item(db, rec).await.expect("reads").version;
        let change = DueChange { to: Some(due), approved_by: String::new(), reason: String::new() };
        ledger::write(db, rec, version, ledger::Write::Due(change), &system).await.expect("due date set");
    }
    let version = ledger::item(db, ids[0]).await.expect("reads").version;
    let assign = ledger::Write::Assign {
        owner: Some("Văn phòng Đảng ủy phường".to_owned()),
        owner_user: Some(owner),
        addressees: vec!["Đảng ủy phường Hàng Bạc".to_owned()],
        priority: false,
    };
    ledger::write(db, ids[0], version, assign, &system).await.expect("assigned");
    let (url, received) = smtp_sink().await;

    let round = run_once(&instance(&app, &url), now, Duration::hours(1)).await.expect("a round");
    assert!(matches!(round, Round::Ran { .. }), "{round:?}");
    let mails = received.lock().unwrap_or_else(PoisonError::into_inner).clone();
    let mail_to = |email: &str| {
        decoded(mails.iter().find(|m| m.contains(&format!("To: {email}"))).expect("a reminder for the account"))
    };
    let theirs = mail_to(&owner_email);
    assert!(theirs.contains(&format!("/recommendations/{}", ids[0])), "{theirs}");
    assert!(!theirs.contains(&format!("/recommendations/{}\n", ids[1])), "the owner sees only their item: {theirs}");
    let colleagues = mail_to(&colleague);
    assert!(colleagues.contains(&format!("/recommendations/{}\n", ids[1])), "{colleagues}");
    assert!(
        !colleagues.contains(&format!("/recommendations/{}\n", ids[0])),
        "owned items go to the owner: {colleagues}"
    );
    app.cleanup().await;
}
