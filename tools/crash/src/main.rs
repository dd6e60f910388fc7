//! The crash harness (test plan D1, D2, F1). Each cycle: fresh missions, the release server started, writers
//! adding findings through `POST /api/v1/missions/{id}/findings` as fast as it answers, then at a random moment
//! either `kill -9` of the server or — on odd cycles when `--pg-stop` is given — an immediate stop of
//! PostgreSQL (requests must then get 503 within 6 s, and the app must recover by itself once it is back).
//! After each cycle: every acknowledged finding is stored, every finding has its audit row, and SQLite's
//! `integrity_check` and `foreign_key_check` are clean. Exit code 1 on any loss or problem.
//!
//! `giamsat-crash --bin target/release/giamsat --database-url URL --cycles N [--workers 4]
//!  [--pg-stop CMD --pg-start CMD]` (the commands run with `sh -c`). `tools/crash/run.sh` drives it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test harness: a panic is a failed run"
)]

use std::process::{ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use giamsat_domain::interchange;
use giamsat_domain::policy::Role;
use giamsat_store::accounts::{self, NewUser};
use giamsat_store::audit::Actor;
use giamsat_store::entities::{audit_events, findings};
use giamsat_store::sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Statement,
};
use giamsat_store::{Db, db, missions};
use giamsat_web::auth::{hash_token, random_token};

const SEED: &str = include_str!("../../../tests/fixtures/seed-mission.json");
/// The longest a request may take during a database outage (test plan F1).
const OUTAGE_ANSWER: Duration = Duration::from_secs(6);

struct Args {
    bin: String,
    url: String,
    cycles: u32,
    workers: usize,
    pg_stop: Option<String>,
    pg_start: Option<String>,
}

fn args() -> Result<Args, String> {
    let mut args =
        Args { bin: String::new(), url: String::new(), cycles: 10, workers: 4, pg_stop: None, pg_start: None };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--bin" => args.bin = value()?,
            "--database-url" => args.url = value()?,
            "--cycles" => args.cycles = value()?.parse().map_err(|_| "--cycles: a number")?,
            "--workers" => args.workers = value()?.parse().map_err(|_| "--workers: a number")?,
            "--pg-stop" => args.pg_stop = Some(value()?),
            "--pg-start" => args.pg_start = Some(value()?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if args.bin.is_empty() || args.url.is_empty() {
        return Err("usage: giamsat-crash --bin PATH --database-url URL [--cycles N] [--workers N] \
                    [--pg-stop CMD --pg-start CMD]"
            .to_owned());
    }
    Ok(args)
}

fn random_below(n: u64) -> u64 {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the system's random source");
    u64::from_le_bytes(bytes) % n.max(1)
}

async fn sh(command: &str) -> Result<(), String> {
    let status = tokio::process::Command::new("sh").arg("-c").arg(command).status().await.map_err(|e| e.to_string())?;
    if status.success() { Ok(()) } else { Err(format!("`{command}` failed: {status}")) }
}

/// Everything one cycle found wrong, and its figures.
#[derive(Default)]
struct Totals {
    acknowledged: usize,
    lost: usize,
    problems: Vec<String>,
    ready_ms: Vec<u128>,
    outage_ms: Vec<u128>,
    recovery_ms: Vec<u128>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match run(&args).await {
        Ok(totals) => {
            let max = |v: &[u128]| v.iter().max().copied().unwrap_or(0);
            println!(
                "{} cycles: {} acknowledged writes, {} lost; restart to ready max {} ms; answers during outages \
                 max {} ms ({} probes); recovery after the database returned max {} ms",
                args.cycles,
                totals.acknowledged,
                totals.lost,
                max(&totals.ready_ms),
                max(&totals.outage_ms),
                totals.outage_ms.len(),
                max(&totals.recovery_ms),
            );
            if totals.lost == 0 && totals.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                for problem in &totals.problems {
                    eprintln!("PROBLEM: {problem}");
                }
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("harness failed: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn connect(url: &str) -> Result<Db, String> {
    db::connect(url, 2).await.map_err(|e| format!("connect: {e}"))
}

async fn run(args: &Args) -> Result<Totals, String> {
    let db = connect(&args.url).await?;
    giamsat_store::migrate(&db).await.map_err(|e| e.to_string())?;
    let new = NewUser {
        email: format!("crash-{}@harness.giamsat", random_token().get(..10).unwrap_or("x")),
        display_name: "Crash harness".to_owned(),
        role: Role::Admin,
        organisation_id: None,
        password_hash: None,
    };
    let admin = accounts::create(&db, &new, &Actor::system(giamsat_store::sea_orm::prelude::ChronoUtc::now()))
        .await
        .map_err(|e| e.to_string())?;
    let token = format!("gs_{}", random_token());
    let prefix: String = token.chars().take(10).collect();
    accounts::create_api_token(
        &db,
        admin,
        "crash harness",
        &hash_token(&token),
        &prefix,
        &Actor::system(giamsat_store::sea_orm::prelude::ChronoUtc::now()),
    )
    .await
    .map_err(|e| e.to_string())?;
    db.close().await.map_err(|e| e.to_string())?;
    let mission = interchange::parse(SEED.as_bytes()).map_err(|e| e.to_string())?;
    let files = std::env::temp_dir().join(format!("giamsat-crash-files-{}", std::process::id()));
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        listener.local_addr().map_err(|e| e.to_string())?.port()
    };
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().map_err(|e| e.to_string())?;
    let mut totals = Totals::default();
    let mut acked_all: Vec<String> = Vec::new();
    for cycle in 0..args.cycles {
        let db = connect(&args.url).await?;
        let mut ids = Vec::new();
        for _ in 0..args.workers {
            ids.push(
                missions::insert(&db, &mission, &Actor::system(giamsat_store::sea_orm::prelude::ChronoUtc::now()))
                    .await
                    .map_err(|e| e.to_string())?,
            );
        }
        db.close().await.map_err(|e| e.to_string())?;

        let started = Instant::now();
        let mut server = tokio::process::Command::new(&args.bin)
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .env("DATABASE_URL", &args.url)
            .env("GIAMSAT_DEMO", "0")
            .env("GIAMSAT_FILES_DIR", &files)
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("start {}: {e}", args.bin))?;
        if !wait_ready(&client, &base, Duration::from_secs(15)).await {
            return Err(format!("cycle {cycle}: the server was not ready within 15 s"));
        }
        totals.ready_ms.push(started.elapsed().as_millis());

        let acks = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = ids
            .iter()
            .enumerate()
            .map(|(w, id)| {
                let writer = Writer {
                    client: client.clone(),
                    base: base.clone(),
                    token: token.clone(),
                    mission: *id,
                    label: format!("{cycle}-{w}"),
                };
                tokio::spawn(writer.run(acks.clone(), stop.clone()))
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(200 + random_below(1800))).await;
        let database_cycle = args.pg_stop.is_some() && cycle % 2 == 1;
        let how = if database_cycle {
            outage(args, &client, &base, &token, ids[0], &mut totals).await?;
            tokio::time::sleep(Duration::from_millis(300)).await;
            "PostgreSQL stopped (immediate), app kept running"
        } else {
            "kill -9 of the app"
        };
        server.kill().await.map_err(|e| e.to_string())?;
        stop.store(true, Ordering::SeqCst);
        for writer in writers {
            writer.await.map_err(|e| e.to_string())?;
        }
        let acked: Vec<String> = std::mem::take(&mut *acks.lock().expect("no writer panicked"));
        totals.acknowledged += acked.len();
        acked_all.extend(acked.iter().cloned());
        let (lost, problems) = verify(&args.url, &acked_all, &ids, mission.findings.len()).await?;
        println!(
            "cycle {cycle}: {how}; {} acknowledged this cycle, {lost} lost overall, {} problems",
            acked.len(),
            problems.len()
        );
        totals.lost = lost;
        totals.problems.extend(problems.into_iter().map(|p| format!("cycle {cycle}: {p}")));
    }
    let _ = std::fs::remove_dir_all(files);
    Ok(totals)
}

async fn wait_ready(client: &reqwest::Client, base: &str, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Ok(response) = client.get(format!("{base}/readyz")).timeout(Duration::from_secs(2)).send().await
            && response.status() == 200
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// Stops PostgreSQL at once; checks that requests meanwhile get a 503 within 6 s; starts it again and checks
/// that the running app answers again by itself.
async fn outage(
    args: &Args,
    client: &reqwest::Client,
    base: &str,
    token: &str,
    mission: i64,
    totals: &mut Totals,
) -> Result<(), String> {
    sh(args.pg_stop.as_deref().unwrap_or_default()).await?;
    for probe in
        [format!("{base}/api/v1/missions/{mission}"), format!("{base}/api/v1/missions"), format!("{base}/readyz")]
    {
        let started = Instant::now();
        // The token is accepted on the API only (a page answers it 401 before asking the database).
        let request = client.get(&probe);
        let request = if probe.contains("/api/") { request.bearer_auth(token) } else { request };
        let response = request.send().await;
        let took = started.elapsed();
        totals.outage_ms.push(took.as_millis());
        match response {
            Ok(r) if r.status() == 503 && took <= OUTAGE_ANSWER => {
                let body = r.text().await.unwrap_or_default();
                if body.contains("sqlx") || body.contains("Connection refused") || body.contains("error returned") {
                    totals.problems.push(format!("{probe}: the 503 shows internals: {body}"));
                }
            }
            Ok(r) => totals.problems.push(format!("{probe} during the outage: {} after {took:?}", r.status())),
            Err(e) => totals.problems.push(format!("{probe} during the outage: no answer after {took:?} ({e})")),
        }
    }
    sh(args.pg_start.as_deref().unwrap_or_default()).await?;
    let back = Instant::now();
    if wait_ready(client, base, Duration::from_secs(30)).await {
        totals.recovery_ms.push(back.elapsed().as_millis());
    } else {
        totals.problems.push("the app did not recover within 30 s of PostgreSQL's return".to_owned());
    }
    Ok(())
}

struct Writer {
    client: reqwest::Client,
    base: String,
    token: String,
    mission: i64,
    label: String,
}

impl Writer {
    /// Adds findings one after another; a finding counts as acknowledged only on 201.
    async fn run(self, acks: Arc<Mutex<Vec<String>>>, stop: Arc<AtomicBool>) {
        let url = format!("{}/api/v1/missions/{}/findings", self.base, self.mission);
        let mut version = None;
        let mut seq = 0u64;
        while !stop.load(Ordering::SeqCst) {
            let Some(current) = version else {
                version = self.version().await;
                if version.is_none() {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                continue;
            };
            let text = format!("crash {} #{seq}", self.label);
            let body = serde_json::json!({"version": current, "kind": "strength", "text": text});
            match self.client.post(&url).bearer_auth(&self.token).json(&body).send().await {
                Ok(response) if response.status() == 201 => {
                    let answer: serde_json::Value = response.json().await.unwrap_or_default();
                    acks.lock().expect("no writer panicked").push(text);
                    version = answer["version"].as_i64().and_then(|v| i32::try_from(v).ok());
                    seq += 1;
                }
                // Stale (a write committed whose answer was lost): read the version again.
                Ok(response) if response.status() == 409 => version = None,
                _ => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    async fn version(&self) -> Option<i32> {
        let url = format!("{}/api/v1/missions/{}", self.base, self.mission);
        let response = self.client.get(url).bearer_auth(&self.token).send().await.ok()?;
        let body: serde_json::Value = response.json().await.ok()?;
        body["version"].as_i64().and_then(|v| i32::try_from(v).ok())
    }
}

/// Counts acknowledged findings missing from the database and lists every other problem: SQLite's checks, and
/// for this cycle's missions one `finding.add` audit row per added finding, the last one holding them all.
async fn verify(
    url: &str,
    acked: &[String],
    missions: &[i64],
    seed_findings: usize,
) -> Result<(usize, Vec<String>), String> {
    let db = connect(url).await?;
    let mut problems = Vec::new();
    if db::sqlite_path(url).is_some() {
        for (pragma, expected_empty) in [("PRAGMA integrity_check", false), ("PRAGMA foreign_key_check", true)] {
            let rows = db
                .query_all_raw(Statement::from_string(db.get_database_backend(), pragma))
                .await
                .map_err(|e| e.to_string())?;
            let first = rows.first().and_then(|r| r.try_get_by_index::<String>(0).ok());
            let ok = if expected_empty { rows.is_empty() } else { first.as_deref() == Some("ok") };
            if !ok {
                problems.push(format!("{pragma}: {first:?} ({} rows)", rows.len()));
            }
        }
    }
    let stored: std::collections::HashSet<String> =
        findings::Entity::find().all(&db).await.map_err(|e| e.to_string())?.into_iter().map(|f| f.text).collect();
    let lost = acked.iter().filter(|t| !stored.contains(*t)).count();
    for id in missions {
        let texts: Vec<String> = findings::Entity::find()
            .filter(findings::Column::MissionId.eq(*id))
            .all(&db)
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|f| f.text)
            .collect();
        let audits = audit_events::Entity::find()
            .filter(audit_events::Column::MissionId.eq(*id))
            .filter(audit_events::Column::Action.eq("finding.add"));
        let count = audits.clone().count(&db).await.map_err(|e| e.to_string())?;
        let added = texts.len().saturating_sub(seed_findings);
        if usize::try_from(count).unwrap_or(usize::MAX) != added {
            problems.push(format!("mission {id}: {added} findings added but {count} finding.add audit rows"));
        }
        if let Some(last) = audits.order_by_desc(audit_events::Column::Id).one(&db).await.map_err(|e| e.to_string())? {
            let after: serde_json::Value =
                serde_json::from_str(last.after.as_deref().unwrap_or("null")).map_err(|e| e.to_string())?;
            let audited: Vec<&str> =
                after["findings"].as_array().into_iter().flatten().filter_map(|f| f["text"].as_str()).collect();
            for text in &texts {
                if !audited.contains(&text.as_str()) {
                    problems.push(format!("mission {id}: finding {text:?} has no audit row"));
                }
            }
        }
    }
    db.close().await.map_err(|e| e.to_string())?;
    Ok((lost, problems))
}
