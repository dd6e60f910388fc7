//! `spawn_app`: one app per test, on its own database and port.

use giamsat_store::audit::Actor;
use giamsat_store::testing::TestDb;
use giamsat_web::{AppState, build_router};

pub const SEED: &str = include_str!("../fixtures/seed-mission.json");

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub test_db: TestDb,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request reaches the app")
    }

    /// Stores the seed mission directly and returns its id.
    pub async fn insert_seed(&self) -> i64 {
        let mission = giamsat_domain::interchange::parse(SEED.as_bytes()).expect("seed parses");
        giamsat_store::missions::insert(&self.test_db.db, &mission, &Actor::system()).await.expect("seed stored")
    }

    pub async fn cleanup(self) {
        self.test_db.cleanup().await.expect("test database dropped");
    }
}

pub async fn spawn_app() -> TestApp {
    let test_db = TestDb::new().await.expect("a fresh test database");
    let app = build_router(AppState { db: test_db.db.clone() });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let base = format!("http://{}", listener.local_addr().expect("bound"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    TestApp { base, client, test_db }
}
