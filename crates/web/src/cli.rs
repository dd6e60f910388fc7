//! The command line: `giamsat [serve] | migrate | import FILE… | export ID [--out FILE]`.
//! Messages for people are Vietnamese; exit codes are 0 on success, 1 when any input was refused, 2 when the
//! database could not be used.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use giamsat_domain::interchange;
use giamsat_store::audit::Actor;
use giamsat_store::{Db, StoreError, missions};

use crate::config::{self, Config};
use crate::state::AppState;

#[derive(Parser)]
#[command(name = "giamsat", version, about = "Quản lý hoạt động giám sát của cấp ủy, HĐND")]
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
}

/// Runs the command line and returns the process's exit code.
pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    let config = Config::from_env(cli.database_url);
    init_logging(config.json_logs);
    let result = match cli.command.unwrap_or(Command::Serve { addr: None }) {
        Command::Serve { addr } => serve(&config, addr).await,
        Command::Migrate => open(&config).await.map(|_| ExitCode::SUCCESS),
        Command::Import { files } => match open(&config).await {
            Ok(db) => Ok(import(&db, &files).await),
            Err(e) => Err(e),
        },
        Command::Export { mission_id, out } => match open(&config).await {
            Ok(db) => Ok(export(&db, mission_id, out).await),
            Err(e) => Err(e),
        },
    };
    result.unwrap_or_else(|message| {
        eprintln!("giamsat: {message}");
        ExitCode::from(2)
    })
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Connects and migrates: every command runs on an up-to-date schema.
async fn open(config: &Config) -> Result<Db, String> {
    let db = giamsat_store::connect(&config.database_url, config.pool_size)
        .await
        .map_err(|e| format!("không mở được cơ sở dữ liệu: {e}"))?;
    giamsat_store::db::migrate(&db).await.map_err(|e| format!("không cập nhật được lược đồ cơ sở dữ liệu: {e}"))?;
    Ok(db)
}

async fn import(db: &Db, files: &[PathBuf]) -> ExitCode {
    let mut failed = false;
    for file in files {
        let name = file.display();
        let outcome = match std::fs::read(file) {
            Err(e) => Err(format!("không đọc được tệp: {e}")),
            Ok(bytes) => match interchange::parse(&bytes) {
                Err(e) => Err(e.to_string()),
                Ok(mission) => missions::insert(db, &mission, &Actor::cli()).await.map_err(|e| e.to_string()),
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

async fn export(db: &Db, id: i64, out: Option<PathBuf>) -> ExitCode {
    let stored = match missions::load(db, id).await {
        Ok(stored) => stored,
        Err(StoreError::NotFound) => {
            eprintln!("giamsat: không có cuộc giám sát #{id}");
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("giamsat: {e}");
            return ExitCode::from(2);
        }
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
            eprintln!("giamsat: không ghi được tệp {e}");
            ExitCode::FAILURE
        }
    }
}

/// Imports the seed mission into an empty database, so a first `cargo run` has something to show.
async fn load_demo(db: &Db) -> Result<(), String> {
    if !missions::list(db, None, 1).await.map_err(|e| e.to_string())?.is_empty() {
        return Ok(());
    }
    let mission = interchange::parse(crate::DEMO_MISSION.as_bytes()).map_err(|e| e.to_string())?;
    let id = missions::insert(db, &mission, &Actor::system()).await.map_err(|e| e.to_string())?;
    tracing::info!(mission_id = id, "imported the demo mission into the empty database");
    Ok(())
}

async fn serve(config: &Config, addr: Option<String>) -> Result<ExitCode, String> {
    let addr = addr.or_else(|| std::env::var(config::ADDR).ok()).unwrap_or_else(|| config::DEFAULT_ADDR.to_owned());
    let addr = config::parse_addr(&addr)?;
    let db = open(config).await?;
    if config.demo {
        load_demo(&db).await?;
    }
    let listener =
        tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("không nghe được trên {addr}: {e}"))?;
    tracing::info!("giamsat is serving on http://{addr}");
    let app = crate::build_router(AppState { db });
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("máy chủ dừng do lỗi: {e}"))?;
    tracing::info!("giamsat stopped");
    Ok(ExitCode::SUCCESS)
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
