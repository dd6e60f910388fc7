//! `spawn_app`: one app per test, on its own database and port, with a clock the test can move; and users of
//! every role, logged in through the real login form.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use giamsat_domain::policy::{Capacity, Role};
use giamsat_store::accounts::{self, NewUser};
use giamsat_store::audit::Actor;
use giamsat_store::testing::TestDb;
use giamsat_web::auth::session::Clock;
use giamsat_web::{AppState, build_router};

pub const SEED: &str = include_str!("../fixtures/seed-mission.json");
pub const PASSWORD: &str = "mật khẩu thử nghiệm 2026";

pub struct TestApp {
    pub base: String,
    /// A client without cookies: an anonymous visitor.
    pub client: reqwest::Client,
    pub test_db: TestDb,
    pub state: AppState,
    /// Seconds added to the real time by the app's clock.
    pub clock_offset: Arc<AtomicI64>,
    /// Statements the app has sent to the database (the test's own `test_db.db` is not counted).
    pub queries: Arc<AtomicUsize>,
    /// Uploaded photos live here for the length of the test.
    _files: tempfile::TempDir,
}

/// A logged-in user with a client that keeps their cookies.
pub struct TestUser {
    pub id: i64,
    pub email: String,
    pub client: reqwest::Client,
    pub csrf: String,
    base: String,
}

impl TestUser {
    /// A user of `app` signed in on `client` (a session made by the test itself).
    pub fn from_client(app: &TestApp, id: i64, email: &str, client: reqwest::Client, csrf: String) -> TestUser {
        TestUser { id, email: email.to_owned(), client, csrf, base: app.base.clone() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request reaches the app")
    }

    /// Posts a form with this session's CSRF token added.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("_csrf", &self.csrf));
        self.client.post(self.url(path)).form(&form).send().await.expect("request reaches the app")
    }
}

/// The value of the first `_csrf` hidden field of a page.
pub fn csrf_of(page: &str) -> Option<String> {
    let at = page.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    Some(page[at..].split('"').next()?.to_owned())
}

pub fn cookie_client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request reaches the app")
    }

    /// Moves the app's clock forward.
    pub fn advance_minutes(&self, minutes: i64) {
        self.advance_seconds(minutes * 60);
    }

    /// Moves the app's clock forward by seconds.
    pub fn advance_seconds(&self, seconds: i64) {
        self.clock_offset.fetch_add(seconds, Ordering::SeqCst);
    }

    /// Stores the seed mission directly and returns its id.
    pub async fn insert_seed(&self) -> i64 {
        self.insert_json(SEED).await
    }

    pub async fn insert_json(&self, json: &str) -> i64 {
        let mission = giamsat_domain::interchange::parse(json.as_bytes()).expect("mission parses");
        giamsat_store::missions::insert(&self.test_db.db, &mission, &Actor::system(chrono::Utc::now()))
            .await
            .expect("mission stored")
    }

    /// The organisation that owns mission `id`.
    pub async fn owner_of(&self, mission_id: i64) -> i64 {
        accounts::mission_scope(&self.test_db.db, mission_id, 0).await.expect("mission exists").owner_org_id
    }

    /// Creates an account with [`PASSWORD`] (no login).
    pub async fn account(&self, role: Role, organisation_id: Option<i64>) -> (i64, String) {
        self.account_named(role, organisation_id, &format!("Người dùng {}", role.code())).await
    }

    /// Creates an account named `display_name` with [`PASSWORD`] (no login).
    pub async fn account_named(&self, role: Role, organisation_id: Option<i64>, display_name: &str) -> (i64, String) {
        let email =
            format!("{}-{}@test.giamsat", role.code(), giamsat_web::auth::random_token().get(..8).unwrap_or("x"));
        let hash = self.state.passwords.hash(PASSWORD).await.expect("hashes");
        let new = NewUser {
            email: email.clone(),
            display_name: display_name.to_owned(),
            role,
            organisation_id,
            password_hash: Some(hash),
        };
        (
            accounts::create(&self.test_db.db, &new, &Actor::system(chrono::Utc::now())).await.expect("account stored"),
            email,
        )
    }

    /// Logs in through the form with a fresh client; returns the login response and the client.
    pub async fn login(&self, email: &str, password: &str) -> (reqwest::Response, reqwest::Client) {
        let client = cookie_client();
        let form_page = client.get(self.url("/login")).send().await.expect("login page").text().await.expect("body");
        let csrf = csrf_of(&form_page).expect("the login form has a token");
        let response = client
            .post(self.url("/login"))
            .form(&[("email", email), ("password", password), ("next", "/"), ("_csrf", csrf.as_str())])
            .send()
            .await
            .expect("login reaches the app");
        (response, client)
    }

    /// A logged-in user of `role` in `organisation_id`, assigned to `mission` in `capacity` if given.
    pub async fn user(
        &self,
        role: Role,
        organisation_id: Option<i64>,
        assignment: Option<(i64, Capacity)>,
    ) -> TestUser {
        let (id, email) = self.account(role, organisation_id).await;
        self.logged_in(id, email, assignment).await
    }

    /// A logged-in user of `role` in `organisation_id` whose account is named `display_name`.
    pub async fn named_user(&self, role: Role, organisation_id: Option<i64>, display_name: &str) -> TestUser {
        let (id, email) = self.account_named(role, organisation_id, display_name).await;
        self.logged_in(id, email, None).await
    }

    /// A new session of account `id` (signed in with [`PASSWORD`]), assigned to `mission` in `capacity` first
    /// if given.
    pub async fn logged_in(&self, id: i64, email: String, assignment: Option<(i64, Capacity)>) -> TestUser {
        if let Some((mission_id, capacity)) = assignment {
            accounts::assign(&self.test_db.db, mission_id, id, capacity, &Actor::system(chrono::Utc::now()))
                .await
                .expect("assigned");
        }
        let (response, client) = self.login(&email, PASSWORD).await;
        assert_eq!(response.status(), 303, "login succeeds");
        let account = client.get(self.url("/account")).send().await.expect("account page").text().await.expect("body");
        let csrf = csrf_of(&account).expect("the account page has a token");
        TestUser { id, email, client, csrf, base: self.base.clone() }
    }

    pub async fn cleanup(self) {
        self.test_db.cleanup().await.expect("test database dropped");
    }
}

/// Every log line the apps of this test process wrote, with the filter the app uses by default.
static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();

struct LogSink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_logs() -> Arc<Mutex<Vec<u8>>> {
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(giamsat_web::cli::DEFAULT_LOG_FILTER))
            .with_ansi(false)
            .with_writer(move || LogSink(sink.clone()))
            .finish();
        // Another test binary's subscriber cannot exist here: one process, one global default.
        let _ = tracing::subscriber::set_global_default(subscriber);
        buffer
    })
    .clone()
}

/// The log lines written so far by every app of this process.
pub fn logs() -> String {
    String::from_utf8_lossy(&capture_logs().lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// The app with its state changed by `configure` first (a mailer, say).
pub async fn spawn_app_with(configure: impl FnOnce(&mut AppState)) -> TestApp {
    capture_logs();
    let test_db = TestDb::new().await.expect("a fresh test database");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let base = format!("http://{}", listener.local_addr().expect("bound"));
    let clock_offset = Arc::new(AtomicI64::new(0));
    let offset = clock_offset.clone();
    let files = tempfile::tempdir().expect("a files directory");
    let queries = Arc::new(AtomicUsize::new(0));
    let counter = queries.clone();
    let mut db = test_db.db.clone();
    db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let mut state = AppState::new(db, &base, false, files.path());
    state.clock = Clock::from_fn(move || chrono::Utc::now() + chrono::Duration::seconds(offset.load(Ordering::SeqCst)));
    configure(&mut state);
    let app = build_router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    TestApp { base, client, test_db, state, clock_offset, queries, _files: files }
}

/// A real photo, 16 × 12 pixels, in `format` (the store decodes what it keeps).
pub fn picture(format: image::ImageFormat) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(16, 12, |x, y| image::Rgb([(x * 15) as u8, (y * 20) as u8, 128]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(pixels).write_to(&mut out, format).expect("encodes");
    out.into_inner()
}

pub fn jpeg() -> Vec<u8> {
    picture(image::ImageFormat::Jpeg)
}

pub fn png() -> Vec<u8> {
    picture(image::ImageFormat::Png)
}

/// `jpeg` with `segments` inserted right after its start-of-image marker.
fn with_segments(jpeg: &[u8], segments: &[u8]) -> Vec<u8> {
    [&jpeg[..2], segments, &jpeg[2..]].concat()
}

/// One JPEG application segment `APPn` carrying `data` (at most 65 533 bytes).
fn app_segment(n: u8, data: &[u8]) -> Vec<u8> {
    let length = u16::try_from(data.len() + 2).expect("a segment holds at most 65 533 bytes");
    [&[0xFF, 0xE0 + n][..], &length.to_be_bytes(), data].concat()
}

/// The text an EXIF block of [`jpeg_with_gps`] carries: the GPS latitude reference and a camera's name.
pub const EXIF_CANARY: &str = "CANARY-CAMERA-HN";

/// A JPEG (16 × 12 pixels as stored, to be shown turned: 12 × 16) with an EXIF block (APP1) holding a GPS position,
/// a camera make and the orientation: what a phone writes.
pub fn jpeg_with_gps() -> Vec<u8> {
    // TIFF, little-endian: IFD0 at 8 with three entries (Make → the canary, Orientation 6 — turned 90° clockwise
    // —, GPSInfo → the GPS IFD), then the GPS IFD with GPSLatitudeRef "N" and GPSLatitude 21/1 1/1 2/1.
    let make = format!("{EXIF_CANARY}\0");
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    let ifd0_len = 2 + 3 * 12 + 4;
    let make_at = 8 + ifd0_len;
    let gps_at = make_at + make.len();
    tiff.extend(3u16.to_le_bytes());
    for (tag, kind, count, value) in
        [(0x010F_u16, 2_u16, make.len() as u32, make_at as u32), (0x0112, 3, 1, 6), (0x8825, 4, 1, gps_at as u32)]
    {
        tiff.extend(tag.to_le_bytes());
        tiff.extend(kind.to_le_bytes());
        tiff.extend(count.to_le_bytes());
        tiff.extend(value.to_le_bytes());
    }
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(make.as_bytes());
    let rationals_at = gps_at + 2 + 2 * 12 + 4;
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(1u16.to_le_bytes());
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(2u32.to_le_bytes());
    tiff.extend(*b"N\0\0\0");
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(5u16.to_le_bytes());
    tiff.extend(3u32.to_le_bytes());
    tiff.extend((rationals_at as u32).to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    for (numerator, denominator) in [(21u32, 1u32), (1, 1), (2, 1)] {
        tiff.extend(numerator.to_le_bytes());
        tiff.extend(denominator.to_le_bytes());
    }
    let exif = [&b"Exif\0\0"[..], &tiff].concat();
    with_segments(&jpeg(), &app_segment(1, &exif))
}

/// A real JPEG exactly `bytes` long: [`jpeg`] padded with application segments (metadata the store drops).
pub fn jpeg_of_size(bytes: usize) -> Vec<u8> {
    const MOST: usize = 65_533;
    let base = jpeg();
    let mut left = bytes.checked_sub(base.len()).expect("larger than the base picture");
    let mut segments = Vec::new();
    while left > 0 {
        // Each segment costs 4 bytes of its own; the last must not be left with fewer than 4.
        let mut data = (left - 4).min(MOST);
        if left - (data + 4) > 0 && left - (data + 4) < 4 {
            data -= 4;
        }
        segments.extend(app_segment(15, &vec![b'x'; data]));
        left -= data + 4;
    }
    let padded = with_segments(&base, &segments);
    assert_eq!(padded.len(), bytes);
    padded
}
