//! The command line: `giamsat [serve] | migrate | import FILE… | export ID [--out FILE] | seed synthetic …`.
//! Messages for people are Vietnamese; exit codes are 0 on success, 1 when any input was refused, 2 when the
//! database could not be used.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use giamsat_domain::interchange;
use giamsat_domain::messages::cli as msg;
use giamsat_domain::policy::Role;
use giamsat_store::accounts::{self, LinkPurpose, NewUser};
use giamsat_store::audit::Actor;
use giamsat_store::{Db, StoreError, missions, orgs};

use crate::config::{self, Config};
use crate::pages::admin::password_link;
use crate::state::AppState;

#[derive(Parser)]
#[command(name = "giamsat", version, about = msg::ABOUT)]
struct Cli {
    /// Database to use; overrides DATABASE_URL (default: sqlite://data/giamsat.db).
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app (the default command).
    Serve {
        /// Address to listen on; overrides GIAMSAT_ADDR.
        #[arg(long)]
        addr: Option<String>,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Store missions from giamsat.mission/1 files; prints each new mission's id. One transaction per file.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Write one mission as a giamsat.mission/1 file (to standard output unless --out).
    Export {
        mission_id: i64,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Render a mission's report: the news article as html, md or txt; the formal report as html, pdf or docx.
    Render {
        mission_id: i64,
        /// article (the news article) or formal (the official report).
        #[arg(long, default_value = "article")]
        kind: String,
        /// article: html, md or txt; formal: html, pdf or docx.
        #[arg(long, default_value = "html")]
        format: String,
        /// A published version (1, 2 …); without it, the latest data (the working draft of the article, if any).
        #[arg(long)]
        version: Option<i32>,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Take a consistent copy of the SQLite database while the app runs (PostgreSQL: use pg_dump).
    Backup { file: PathBuf },
    /// Replace the SQLite database with a backup (stop the server first; PostgreSQL: use pg_restore).
    Restore { file: PathBuf },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Fill the database with generated data (stop the server first).
    Seed {
        #[command(subcommand)]
        command: SeedCommand,
    },
}

#[derive(Subcommand)]
enum SeedCommand {
    /// Realistic, deterministic missions for benchmarks: the same seed gives the same data.
    Synthetic {
        /// How many missions to write.
        #[arg(long)]
        missions: usize,
        /// The seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account and print its one-time password-setting link.
    Add {
        email: String,
        /// admin, staff, team_leader, team_member, writer or viewer.
        #[arg(long)]
        role: String,
        /// The account's organisation, by exact name or id (required for every role but admin).
        #[arg(long)]
        org: Option<String>,
        /// Display name (default: the part of the email before @).
        #[arg(long)]
        name: Option<String>,
    },
}

/// Runs the command line and returns the process's exit code.
pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    let config = Config::from_env(cli.database_url);
    init_logging(config.json_logs);
    // The one reading of the system time for what a command writes or dates (the server reads `state.clock`).
    let now = Utc::now();
    let result = match cli.command.unwrap_or(Command::Serve { addr: None }) {
        Command::Serve { addr } => serve(&config, addr).await,
        Command::Migrate => open(&config).await.map(|_| ExitCode::SUCCESS),
        Command::Import { files } => match open(&config).await {
            Ok(db) => Ok(import(&db, &files, now).await),
            Err(e) => Err(e),
        },
        Command::Export { mission_id, out } => match open(&config).await {
            Ok(db) => Ok(export(&db, mission_id, out).await),
            Err(e) => Err(e),
        },
        Command::Render { mission_id, kind, format, version, out } => match Rendering::parse(&kind, &format) {
            Ok(rendering) => match open(&config).await {
                Ok(db) => Ok(render(&db, mission_id, rendering, version, &config.font_dir, out, now).await),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        },
        Command::Backup { file } => backup(&config, &file).await,
        Command::Restore { file } => restore(&config, &file).await,
        Command::Seed { command: SeedCommand::Synthetic { missions, seed } } => match open_bulk(&config).await {
            Ok(db) => Ok(seed_synthetic(&db, missions, seed, now).await),
            Err(e) => Err(e),
        },
        Command::User { command: UserCommand::Add { email, role, org, name } } => match open(&config).await {
            Ok(db) => Ok(add_user(&state_for(&config, db, None), &email, &role, org.as_deref(), name.as_deref()).await),
            Err(e) => Err(e),
        },
    };
    result.unwrap_or_else(|message| {
        eprintln!("giamsat: {message}");
        ExitCode::from(2)
    })
}

/// What is logged unless `RUST_LOG` says otherwise: requests and decisions, never SQL (whose parameters would
/// carry the texts of unpublished findings).
pub const DEFAULT_LOG_FILTER: &str = "info,sqlx=warn,sea_orm=warn";

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(DEFAULT_LOG_FILTER));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Connects and migrates: every command runs on an up-to-date schema.
async fn open(config: &Config) -> Result<Db, String> {
    let db = giamsat_store::connect(&config.database_url, config.pool_size).await.map_err(msg::cannot_open_database)?;
    giamsat_store::migrate(&db).await.map_err(msg::cannot_migrate)?;
    Ok(db)
}

/// Migrates, then opens the single connection a bulk load writes through (durability relaxed for it alone:
/// see `giamsat_store::db::connect_bulk`).
async fn open_bulk(config: &Config) -> Result<Db, String> {
    open(config).await?.close().await.map_err(msg::cannot_open_database)?;
    giamsat_store::db::connect_bulk(&config.database_url).await.map_err(msg::cannot_open_database)
}

async fn import(db: &Db, files: &[PathBuf], now: DateTime<Utc>) -> ExitCode {
    let mut failed = false;
    for file in files {
        let name = file.display();
        let outcome = match std::fs::read(file) {
            Err(e) => Err(msg::cannot_read_file(e)),
            Ok(bytes) => match interchange::parse(&bytes) {
                Err(e) => Err(e.to_string()),
                Ok(mission) => {
                    // The operator may name any stored file, but only a key of the file store: another name
                    // (`../s.db`) would be served by nobody and stored all the same.
                    let foreign: Vec<String> = crate::pages::mission_form::named_files(&mission)
                        .into_iter()
                        .filter(|(_, key)| !crate::storage::FileStore::is_key(key))
                        .map(|(path, _)| format!("{path}: {}", giamsat_domain::messages::security::FILE_NOT_A_KEY))
                        .collect();
                    if foreign.is_empty() {
                        missions::insert(db, &mission, &Actor::cli(now)).await.map_err(|e| e.to_string())
                    } else {
                        Err(foreign.join("\n"))
                    }
                }
            },
        };
        match outcome {
            Ok(id) => println!("{id}\t{name}"),
            Err(message) => {
                failed = true;
                for line in message.lines() {
                    eprintln!("{name}: {line}");
                }
            }
        }
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

async fn seed_synthetic(db: &Db, missions: usize, seed: u64, now: DateTime<Utc>) -> ExitCode {
    let every = (missions / 20).max(1);
    let outcome = giamsat_store::synthetic::seed(db, missions, seed, now, |done| {
        if done % every < 500 || done == missions {
            eprintln!("  {done}/{missions}");
        }
    })
    .await;
    match outcome {
        Ok(seeded) => {
            let seconds = seeded.elapsed.as_secs_f64();
            println!(
                "{} missions, {} rows in {seconds:.1} s ({:.0} missions/s)",
                seeded.missions,
                seeded.rows,
                seeded.missions as f64 / seconds.max(f64::EPSILON)
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("giamsat: {e}");
            ExitCode::from(2)
        }
    }
}

/// A mission for a command, or the exit code after saying why not (1: no such mission, 2: database).
async fn load_mission(db: &Db, id: i64) -> Result<missions::StoredMission, ExitCode> {
    missions::load(db, id).await.map_err(|e| match e {
        StoreError::NotFound => {
            eprintln!("giamsat: {}", msg::no_such_mission(id));
            ExitCode::FAILURE
        }
        e => {
            eprintln!("giamsat: {e}");
            ExitCode::from(2)
        }
    })
}

async fn export(db: &Db, id: i64, out: Option<PathBuf>) -> ExitCode {
    let stored = match load_mission(db, id).await {
        Ok(stored) => stored,
        Err(code) => return code,
    };
    let json = interchange::to_json(&stored.mission);
    let written = match &out {
        Some(path) => std::fs::write(path, json).map_err(|e| format!("{}: {e}", path.display())),
        None => {
            print!("{json}");
            Ok(())
        }
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", msg::cannot_write_file(e));
            ExitCode::FAILURE
        }
    }
}

fn state_for(config: &Config, db: Db, addr: Option<std::net::SocketAddr>) -> AppState {
    let public_url = config.public_url.clone().unwrap_or_else(|| {
        format!("http://{}", addr.map_or_else(|| config::DEFAULT_ADDR.to_owned(), |a| a.to_string()))
    });
    AppState::new(db, &public_url, config.secure_cookies, &config.files_dir)
        .with_font_dir(&config.font_dir)
        .with_page_cache(config.page_cache_bytes)
}

async fn add_user(state: &AppState, email: &str, role: &str, org: Option<&str>, name: Option<&str>) -> ExitCode {
    let outcome: Result<String, String> = async {
        let role = Role::from_code(role).ok_or_else(|| msg::no_such_role(role, &Role::codes_list()))?;
        let organisation_id = match org {
            Some(org) => Some(
                orgs::find(&state.db, org)
                    .await
                    .map_err(|e| e.to_string())?
                    .ok_or_else(|| msg::no_such_organisation(org))?,
            ),
            None if role == Role::Admin => None,
            None => return Err(msg::ORGANISATION_REQUIRED.to_owned()),
        };
        let email = giamsat_domain::text::email(email).ok_or_else(|| msg::invalid_email(email))?;
        let display_name = name.map_or_else(|| email.split('@').next().unwrap_or_default().to_owned(), str::to_owned);
        let new = NewUser { email: email.clone(), display_name, role, organisation_id, password_hash: None };
        let id = accounts::create(&state.db, &new, &Actor::cli(state.clock.now())).await.map_err(|e| match e {
            StoreError::Duplicate { .. } => msg::email_taken(&email),
            e => e.to_string(),
        })?;
        password_link(state, Some(id), LinkPurpose::Password).await.map_err(|e| e.to_string())
    }
    .await;
    match outcome {
        Ok(link) => {
            println!("{link}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("giamsat: {message}");
            ExitCode::FAILURE
        }
    }
}

/// What `giamsat render` produces: a kind of report in one of the formats that kind has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rendering {
    ArticleHtml,
    ArticleMarkdown,
    ArticleText,
    FormalHtml,
    FormalPdf,
    FormalDocx,
}

impl Rendering {
    /// Checks the pair before anything is loaded, so that a wrong combination is said plainly.
    fn parse(kind: &str, format: &str) -> Result<Rendering, String> {
        match (kind, format) {
            ("article", "html") => Ok(Rendering::ArticleHtml),
            ("article", "md") => Ok(Rendering::ArticleMarkdown),
            ("article", "txt") => Ok(Rendering::ArticleText),
            ("article", other) => Err(msg::no_article_format(other)),
            ("formal", "html") => Ok(Rendering::FormalHtml),
            ("formal", "pdf") => Ok(Rendering::FormalPdf),
            ("formal", "docx") => Ok(Rendering::FormalDocx),
            ("formal", other) => Err(msg::no_formal_format(other)),
            (other, _) => Err(msg::no_such_kind(other)),
        }
    }

    fn bytes(self, source: &Source, font_dir: &std::path::Path, now: DateTime<Utc>) -> Result<Vec<u8>, String> {
        let Source { mission, content, settings } = source;
        let formal = || giamsat_domain::formal::build(mission, settings);
        let article = || content.to_article();
        match self {
            Rendering::ArticleHtml => crate::pages::article::render(content, |_| None).map(String::into_bytes),
            Rendering::ArticleMarkdown => Ok(article().to_markdown().into_bytes()),
            Rendering::ArticleText => Ok(article().to_text().into_bytes()),
            Rendering::FormalHtml => Ok(giamsat_render::html(&formal()).into_bytes()),
            Rendering::FormalPdf => giamsat_render::Fonts::load(font_dir)
                .and_then(|fonts| giamsat_render::pdf(&formal(), &fonts))
                .map_err(|e| e.to_string()),
            Rendering::FormalDocx => {
                let today = giamsat_domain::date::vietnam_day(now);
                giamsat_render::docx(&formal(), today).map_err(|e| e.to_string())
            }
        }
    }
}

/// What a rendering starts from.
struct Source {
    mission: giamsat_domain::mission::Mission,
    content: giamsat_domain::report::ArticleContent,
    settings: giamsat_domain::formal::FormalSettings,
}

/// A published version (its frozen article, mission and formal settings), or today's data with the working
/// draft of the article if a writer has started one and the formal report's settings as they stand.
async fn render_source(db: &Db, id: i64, version: Option<i32>) -> Result<Source, String> {
    use giamsat_domain::formal::FormalSettings;
    use giamsat_domain::report::ArticleContent;
    use giamsat_store::{formal_settings, reports};
    if let Some(number) = version {
        let published = reports::published_of_mission(db, id, Some(number))
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| msg::no_such_published(id, number))?;
        let mission = giamsat_domain::interchange::parse(published.mission_json.as_bytes())
            .map_err(|e| msg::published_unreadable(number, e))?;
        let settings = published.formal_settings.unwrap_or_else(|| FormalSettings::for_mission(&mission));
        return Ok(Source { mission, content: published.content, settings });
    }
    let stored = missions::load(db, id).await.map_err(|e| match e {
        giamsat_store::StoreError::NotFound => msg::no_such_mission(id),
        e => e.to_string(),
    })?;
    let draft = reports::find(db, id).await.map_err(|e| e.to_string())?;
    let settings = formal_settings::resolve(db, &stored).await.map_err(|e| e.to_string())?;
    let content = draft.map_or_else(|| ArticleContent::generate(&stored.mission), |r| r.draft);
    Ok(Source { mission: stored.mission, content, settings })
}

async fn render(
    db: &Db,
    id: i64,
    rendering: Rendering,
    version: Option<i32>,
    font_dir: &std::path::Path,
    out: Option<PathBuf>,
    now: DateTime<Utc>,
) -> ExitCode {
    let written = render_source(db, id, version)
        .await
        .and_then(|source| rendering.bytes(&source, font_dir, now))
        .and_then(|bytes| match &out {
            Some(path) => std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display())),
            None => std::io::Write::write_all(&mut std::io::stdout(), &bytes).map_err(|e| e.to_string()),
        });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("giamsat: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `VACUUM INTO` writes a consistent snapshot while other connections keep reading and writing.
async fn backup(config: &Config, file: &std::path::Path) -> Result<ExitCode, String> {
    if giamsat_store::db::sqlite_path(&config.database_url).is_none() {
        return Err(msg::BACKUP_POSTGRES.to_owned());
    }
    if file.exists() {
        return Err(msg::file_exists(file.display()));
    }
    let db = open(config).await?;
    giamsat_store::db::backup_into(&db, &file.to_string_lossy()).await.map_err(msg::backup_failed)?;
    println!("{}", file.display());
    Ok(ExitCode::SUCCESS)
}

/// Checks the backup (integrity, schema) before it replaces the database file.
async fn restore(config: &Config, file: &std::path::Path) -> Result<ExitCode, String> {
    let Some(target) = giamsat_store::db::sqlite_path(&config.database_url) else {
        return Err(msg::RESTORE_POSTGRES.to_owned());
    };
    giamsat_store::db::check_backup(&file.to_string_lossy()).await.map_err(|e| msg::not_a_backup(file.display(), e))?;
    let target = std::path::Path::new(target);
    let staging = target.with_extension("restoring");
    tokio::fs::copy(file, &staging).await.map_err(msg::copy_failed)?;
    for suffix in ["-wal", "-shm"] {
        let side = std::path::PathBuf::from(format!("{}{suffix}", target.display()));
        if side.exists() {
            tokio::fs::remove_file(&side).await.map_err(|e| e.to_string())?;
        }
    }
    tokio::fs::rename(&staging, target).await.map_err(msg::replace_failed)?;
    open(config).await?;
    println!("{}", msg::restored(target.display(), file.display()));
    Ok(ExitCode::SUCCESS)
}

/// On a database with no account, prints a one-time link that creates the first administrator.
async fn print_setup_link(state: &AppState) -> Result<(), String> {
    if accounts::count(&state.db).await.map_err(|e| e.to_string())? > 0 {
        return Ok(());
    }
    let link = password_link(state, None, LinkPurpose::Setup).await.map_err(|e| e.to_string())?;
    eprintln!("No account yet. Create the first administrator with this one-time link (valid 72 hours):\n  {link}");
    Ok(())
}

/// How often counted article views are written (one transaction per period).
const VIEW_FLUSH_PERIOD: std::time::Duration = std::time::Duration::from_secs(10);

async fn serve(config: &Config, addr: Option<String>) -> Result<ExitCode, String> {
    let addr = addr.or_else(|| std::env::var(config::ADDR).ok()).unwrap_or_else(|| config::DEFAULT_ADDR.to_owned());
    let addr = config::parse_addr(&addr)?;
    let db = open(config).await?;
    let mut state = state_for(config, db, Some(addr));
    state.trusted_proxies = config::parse_proxies(config.trusted_proxies.as_deref())?.into();
    if let Some(url) = &config.smtp_url {
        state.mailer = Some(std::sync::Arc::new(crate::reminders::Mailer::new(url, &config.smtp_from)?));
    }
    if config.demo {
        crate::demo::load(&state).await?;
    }
    print_setup_link(&state).await?;
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| msg::cannot_listen(addr, e))?;
    tracing::info!("giamsat is serving on http://{addr}");
    let views = state.views.clone();
    let flusher = views.spawn_flusher(state.db.clone(), VIEW_FLUSH_PERIOD);
    let reminders = spawn_reminders(state.clone(), config.reminder_interval);
    let db = state.db.clone();
    let app = crate::build_router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await.map_err(msg::server_failed)?;
    flusher.abort();
    if let Some(reminders) = reminders {
        reminders.abort();
    }
    if let Err(e) = views.flush(&db).await {
        tracing::warn!(error = %e, "view counts of the last seconds not saved");
    }
    tracing::info!("giamsat stopped");
    Ok(ExitCode::SUCCESS)
}

/// Runs a reminder round every `seconds` (none when 0); each round holds the database lease for one interval.
fn spawn_reminders(state: AppState, seconds: u64) -> Option<tokio::task::JoinHandle<()>> {
    let interval = std::time::Duration::from_secs(seconds);
    let lease = chrono::Duration::from_std(interval).ok().filter(|_| seconds > 0)?;
    Some(tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        loop {
            ticks.tick().await;
            if let Err(e) = crate::reminders::run_once(&state, state.clock.now(), lease).await {
                tracing::warn!(error = %e, "reminder round failed");
            }
        }
    }))
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish before the process exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
