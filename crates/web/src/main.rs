//! `giamsat`: the command line and the HTTP server. Everything happens in [`giamsat_web::cli`].

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    giamsat_web::cli::run().await
}
