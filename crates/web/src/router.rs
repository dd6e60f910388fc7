//! Every route, registered in one place, and the middleware that wraps them all.

use std::time::Duration;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use tower::ServiceBuilder;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::auth::session;
use crate::csrf;
use crate::error::{ErrorPage, default_message};
use crate::page_cache;
use crate::pages;
use crate::state::AppState;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Strict by default: only the app's own assets, no inline script or style, never framed.
const CSP: &str = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
                   form-action 'self'; frame-ancestors 'none'";

/// Declares every route once: the router is built from this list, and `ROUTES` lists the same pairs for the
/// authorization-matrix test, which fails for a route it has no expectation for.
macro_rules! routes {
    ($($method:ident $path:literal => $handler:path,)+) => {
        /// Every `(method, path)` the app serves.
        pub const ROUTES: &[(&str, &str)] = &[$((stringify!($method), $path),)+];

        fn app_routes() -> Router<AppState> {
            Router::new()$(.route(
                $path,
                axum::routing::$method($handler)
                    .layer(DefaultBodyLimit::max(body_limit(stringify!($method), $path))),
            ))+
        }
    };
}

routes! {
    get "/" => pages::missions::dashboard,
    get "/missions" => pages::missions::list,
    get "/my-work" => pages::mywork::show,
    get "/missions/new" => pages::mission_form::new_form,
    post "/missions" => pages::mission_form::create,
    get "/missions/{id}" => pages::missions::show,
    get "/missions/{id}/edit" => pages::mission_form::edit_form,
    post "/missions/{id}/edit" => pages::mission_form::update,
    get "/missions/{id}/members" => pages::mission_form::members_form,
    post "/missions/{id}/members" => pages::mission_form::save_members,
    get "/decisions/{id}/edit" => pages::decision::edit_form,
    post "/decisions/{id}/edit" => pages::decision::update,
    get "/recommendations/{id}" => pages::ledger::show,
    post "/recommendations/{id}/status" => pages::ledger::change_status,
    post "/recommendations/{id}/progress" => pages::ledger::report,
    post "/recommendations/{id}/due" => pages::ledger::change_due,
    post "/recommendations/{id}/assign" => pages::ledger::assign,
    post "/recommendations/{id}/link" => pages::ledger::link,
    get "/recommendations/{id}/evidence/{key}" => pages::ledger::evidence,
    get "/ledger" => pages::ledger::list,
    get "/ledger.csv" => pages::ledger::export_csv,
    get "/ledger.xlsx" => pages::ledger::export_xlsx,
    get "/ledger/import" => pages::ledger::import_form,
    post "/ledger/import" => pages::ledger::import,
    get "/ledger/charts" => pages::ledger::charts,
    get "/ledger/units/{id}" => pages::ledger::unit,
    get "/ledger/addressees/{id}" => pages::ledger::addressee,
    post "/account/calendar" => pages::calendar::create,
    post "/account/calendar/revoke" => pages::calendar::revoke,
    get "/calendar/{token}" => pages::calendar::feed,
    get "/search" => pages::search::search,
    get "/directory" => pages::directory::show,
    get "/import" => pages::mission_form::import_form,
    post "/import" => pages::mission_form::import,
    get "/missions/{id}/export" => pages::missions::export,
    get "/missions/{id}/article" => pages::article::preview,
    get "/missions/{id}/formal" => pages::formal::html,
    get "/missions/{id}/formal.pdf" => pages::formal::pdf,
    get "/missions/{id}/formal.docx" => pages::formal::docx,
    get "/missions/{id}/formal/settings" => pages::formal::report_settings,
    post "/missions/{id}/formal/settings" => pages::formal::save_report_settings,
    get "/organisations/{id}/formal-settings" => pages::formal::organisation_settings,
    post "/organisations/{id}/formal-settings" => pages::formal::save_organisation_settings,
    get "/missions/{id}/report" => pages::report::show,
    post "/missions/{id}/report" => pages::report::save,
    post "/missions/{id}/report/regenerate" => pages::report::regenerate,
    post "/missions/{id}/report/request" => pages::report::request,
    post "/missions/{id}/report/withdraw" => pages::report::withdraw,
    post "/missions/{id}/report/approve" => pages::report::approve,
    post "/missions/{id}/report/send-back" => pages::report::send_back,
    post "/missions/{id}/report/publish" => pages::report::publish,
    post "/missions/{id}/transition" => pages::missions::transition,
    post "/missions/{id}/assignments" => pages::missions::assign,
    post "/missions/{id}/assignments/{user_id}/delete" => pages::missions::unassign,
    get "/missions/{id}/items/{kind}/new" => pages::items::new_form,
    post "/missions/{id}/items/{kind}" => pages::items::create,
    get "/missions/{id}/items/{kind}/{index}" => pages::items::edit_form,
    post "/missions/{id}/items/{kind}/{index}" => pages::items::update,
    post "/missions/{id}/items/{kind}/{index}/delete" => pages::items::delete,
    post "/missions/{id}/findings/none" => pages::items::none_recorded,
    get "/missions/{id}/photos/{key}" => pages::items::photo,
    get "/missions/{id}/record" => pages::record::pick,
    get "/missions/{id}/record/{index}" => pages::record::show,
    post "/missions/{id}/record/{index}/photos" => pages::record::photos,
    post "/missions/{id}/record/{index}/findings" => pages::record::finding,
    post "/missions/{id}/record/{index}/recommendations" => pages::record::recommendation,
    get "/login" => pages::account::login_form,
    post "/login" => pages::account::login,
    post "/logout" => pages::account::logout,
    get "/account" => pages::account::show,
    post "/account/password" => pages::account::change_password,
    post "/account/tokens" => pages::account::create_token,
    post "/account/tokens/{id}/revoke" => pages::account::revoke_token,
    get "/setup/{token}" => pages::account::link_form,
    post "/setup/{token}" => pages::account::use_link,
    get "/admin/users" => pages::admin::users,
    post "/admin/users" => pages::admin::create_user,
    post "/admin/users/{id}/reset" => pages::admin::reset_password,
    post "/admin/users/{id}/role" => pages::admin::change_role,
    post "/admin/users/{id}/disable" => pages::admin::disable,
    post "/admin/users/{id}/enable" => pages::admin::enable,
    get "/admin/users/{id}/tokens" => pages::admin::tokens,
    post "/admin/users/{id}/tokens/{token_id}/revoke" => pages::admin::revoke_token,
    get "/admin/audit" => pages::admin::audit,
    get "/admin/audit.csv" => pages::admin::audit_csv,
    get "/api/v1/missions" => pages::api::list,
    post "/api/v1/missions" => pages::api::create,
    get "/api/v1/missions/{id}" => pages::api::get,
    get "/api/v1/missions/{id}/export" => pages::api::export,
    post "/api/v1/missions/{id}/findings" => pages::api::add_finding,
    get "/api/v1/recommendations" => pages::api_ledger::list,
    get "/api/v1/recommendations/{id}" => pages::api_ledger::get,
    post "/api/v1/recommendations/{id}/status" => pages::api_ledger::change_status,
    post "/api/v1/recommendations/{id}/progress" => pages::api_ledger::report,
    post "/api/v1/recommendations/{id}/due" => pages::api_ledger::change_due,
    get "/api/v1/openapi.json" => pages::api::openapi,
    get "/tin-tuc" => pages::portal::index,
    get "/tin-tuc/chuyen-muc/{category}" => pages::portal::category,
    get "/tin-tuc/{slug}" => pages::portal::article,
    get "/tin-tuc/{slug}/ban/{number}" => pages::portal::version,
    get "/feed.atom" => pages::portal::feed,
    get "/anh/{key}" => pages::portal::photo,
    get "/healthz" => pages::health::healthz,
    get "/readyz" => pages::health::readyz,
    get "/static/app.css" => pages::assets::css,
}

/// The body of an ordinary form: a few fields of text (the longest field, 20 000 characters, is under 250 KiB
/// percent-encoded), so a larger body is refused before it is parsed.
pub const FORM_BODY_MAX: usize = 2 * 1024 * 1024;

/// The largest body `method path` accepts (413 beyond; the README lists them): files and documents — an
/// interchange upload, a session's photo, progress evidence, the ledger's CSV, every JSON API request — up to
/// [`crate::csrf::MAX_BODY`]; what they carry has its own limit, refused with a message next to its field (a
/// photo [`crate::storage::MAX_PHOTO_BYTES`], a mission document `interchange::MAX_FILE_BYTES`). Every other
/// form, [`FORM_BODY_MAX`].
#[must_use]
pub fn body_limit(method: &str, path: &str) -> usize {
    let carries_files = method == "post"
        && (path.starts_with("/api/v1/")
            || matches!(
                path,
                "/import"
                    | "/ledger/import"
                    | "/missions/{id}/items/{kind}"
                    | "/missions/{id}/items/{kind}/{index}"
                    | "/missions/{id}/record/{index}/photos"
                    | "/recommendations/{id}/progress"
            ));
    if carries_files { crate::csrf::MAX_BODY } else { FORM_BODY_MAX }
}

/// Builds the whole application. Pure: the same state gives the same router, in tests and in `serve`.
pub fn build_router(state: AppState) -> Router {
    let secure = state.sessions.secure;
    let routes = app_routes()
        .layer(middleware::from_fn_with_state(state.clone(), page_cache::serve))
        .layer(middleware::from_fn_with_state(state.clone(), csrf::protect))
        .layer(middleware::from_fn_with_state(state.clone(), session::resolve))
        .with_state(state);

    // Behind HTTPS (secure cookies), browsers are told to come back over HTTPS only, for a year; on plain-HTTP
    // localhost the header would lock the browser out of the app, so it is not sent. No `includeSubDomains`:
    // the app does not own its parent domain's other hosts.
    let hsts = secure.then_some(HeaderValue::from_static("max-age=31536000"));
    let headers = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(header::STRICT_TRANSPORT_SECURITY, move |_: &Response| hsts.clone()))
        // A page may carry a stricter policy of its own (the formal report's print page); every other gets this.
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")));

    routes.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
                let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
            }))
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            // gzip for clients that ask (pages shrink about five-fold); bodies under 32 bytes stay as they are.
            // The fastest level: the default (6) spent 90 % of the CPU of a cached page compressing it, for
            // bodies about a tenth smaller.
            .layer(CompressionLayer::new().gzip(true).quality(CompressionLevel::Fastest))
            .layer(headers)
            .layer(middleware::from_fn(render_errors))
            .layer(middleware::from_fn(crate::input::clean))
            .layer(RequestBodyLimitLayer::new(crate::csrf::MAX_BODY))
            .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, Duration::from_secs(30))),
    )
}

/// An API handler's JSON error with the request id set: every API error has the one shape of
/// `pages::api::ApiError`, whoever wrote it.
async fn with_request_id(response: Response, request_id: &str) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, crate::csrf::MAX_BODY).await else {
        return Response::from_parts(parts, axum::body::Body::empty());
    };
    let body = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Object(mut error)) => {
            error.insert("request_id".to_owned(), request_id.into());
            parts.headers.remove(header::CONTENT_LENGTH);
            serde_json::Value::Object(error).to_string().into_bytes()
        }
        _ => bytes.to_vec(),
    };
    Response::from_parts(parts, axum::body::Body::from(body))
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate<'a> {
    chrome: crate::pages::Chrome,
    status: u16,
    message: &'a str,
    request_id: &'a str,
}

/// Turns every error response without a body of its own into the error page, with the request id.
async fn render_errors(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let explicit = response.extensions().get::<ErrorPage>().cloned();
    // A page a handler rendered itself (a form shown again with its errors) or a JSON error of the API is kept;
    // bare responses and axum's plain-text rejections get the error page.
    let rendered_by_handler = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"));
    if explicit.is_none() && rendered_by_handler {
        return if is_api { with_request_id(response, &request_id).await } else { response };
    }
    let message = explicit.map_or_else(|| default_message(status).to_owned(), |page| page.message);
    if is_api {
        let (mut parts, _) = response.into_parts();
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let body = serde_json::json!({ "status": status.as_u16(), "message": message, "request_id": request_id });
        return Response::from_parts(parts, axum::body::Body::from(body.to_string()));
    }
    let page = ErrorTemplate {
        chrome: crate::pages::Chrome::default(),
        status: status.as_u16(),
        message: &message,
        request_id: &request_id,
    };
    let (mut parts, _) = response.into_parts();
    let body = page.render().unwrap_or_else(|_| message.clone());
    parts.headers.remove(header::CONTENT_LENGTH);
    let mut rendered = (status, Html(body)).into_response();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE {
            rendered.headers_mut().insert(name.clone(), value.clone());
        }
    }
    rendered
}
