//! Liveness and readiness for load balancers and orchestration.

use axum::extract::State;
use axum::http::StatusCode;

use crate::state::AppState;

/// Always 200 while the process serves: the upper bound of what a route costs.
pub async fn healthz() -> &'static str {
    "ok"
}

/// 200 when the database answers, else 503.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "database not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
