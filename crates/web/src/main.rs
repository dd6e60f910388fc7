//! `giamsat`: the command line and the HTTP server. Everything happens in [`giamsat_web::cli`].

use std::process::ExitCode;

// Many threads (tokio's and one per SQLite connection) allocate and free small strings for every row: glibc's
// malloc spent a fifth of a search request in its arena locks and consolidation.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    giamsat_web::cli::run().await
}
