//! The demo `giamsat serve --demo` loads into an empty database: the seed mission, its reference units, the
//! committee's formal report settings and one account per role.

use giamsat_domain::interchange;
use giamsat_domain::policy::{Capacity, Role, Visibility};
use giamsat_store::accounts::{self, NewUser};
use giamsat_store::audit::Actor;
use giamsat_store::missions;

use crate::state::AppState;

/// Imports the seed mission into an empty database, so a first `cargo run` has something to show, and gives
/// it one demo account per role (random passwords, printed once).
pub async fn load(state: &AppState) -> Result<(), String> {
    let db = &state.db;
    let system = Actor::system(state.clock.now());
    if !missions::list(db, Visibility::All, None, 1).await.map_err(|e| e.to_string())?.is_empty() {
        return Ok(());
    }
    giamsat_store::synthetic::load_demo_units(db).await.map_err(|e| e.to_string())?;
    let mission = interchange::parse(crate::DEMO_MISSION.as_bytes()).map_err(|e| e.to_string())?;
    let id = missions::insert(db, &mission, &system).await.map_err(|e| e.to_string())?;
    tracing::info!(mission_id = id, "imported the demo mission into the empty database");
    let owner = accounts::mission_scope(db, id, 0).await.map_err(|e| e.to_string())?.owner_org_id;
    // The district committee's report is signed for its Standing Board and goes to the city's Standing
    // Committee first, as the seed's committee does.
    let settings = giamsat_domain::formal::Overrides {
        authority: Some("T/M BAN THƯỜNG VỤ".to_owned()),
        signer_title: Some("PHÓ BÍ THƯ".to_owned()),
        standing_recipients: vec!["Thường trực Thành ủy (để báo cáo)".to_owned()],
        ..Default::default()
    };
    let scope = giamsat_store::formal_settings::Scope::Organisation(owner);
    giamsat_store::formal_settings::save(db, scope, 0, &settings, &system, None).await.map_err(|e| e.to_string())?;
    if accounts::count(db).await.map_err(|e| e.to_string())? > 0 {
        return Ok(());
    }
    let mut lines = Vec::new();
    for (role, capacity) in [
        (Role::Admin, None),
        (Role::Staff, None),
        (Role::TeamLeader, Some(Capacity::Leader)),
        (Role::TeamMember, Some(Capacity::Member)),
        (Role::Writer, None),
        (Role::Viewer, None),
    ] {
        let email = format!("{}@demo.giamsat", role.code().replace('_', "-"));
        let password: String = crate::auth::random_token().chars().take(20).collect();
        let hash = state.passwords.hash(&password).await?;
        let new = NewUser {
            email: email.clone(),
            display_name: format!("{} (demo)", giamsat_domain::messages::labels::user_role(role)),
            role,
            organisation_id: (role != Role::Admin).then_some(owner),
            password_hash: Some(hash),
        };
        let user_id = accounts::create(db, &new, &system).await.map_err(|e| e.to_string())?;
        if let Some(capacity) = capacity {
            accounts::assign(db, id, user_id, capacity, &system).await.map_err(|e| e.to_string())?;
        }
        lines.push(format!("  {email:<28} {password}"));
    }
    // An addressee of the downward recommendations, so the ledger can be walked through from both sides: its
    // staff report progress on the items addressed to "Đảng ủy phường Hàng Bạc".
    let ward = giamsat_domain::mission::Owner {
        name: "Đảng ủy phường Hàng Bạc".to_owned(),
        short_name: "Đảng ủy phường".to_owned(),
        place: "Hàng Bạc".to_owned(),
        parent: None,
    };
    let ward_id = giamsat_store::orgs::owner_id(db, &ward, giamsat_domain::codes::SupervisionSystem::Party, system.at)
        .await
        .map_err(|e| e.to_string())?;
    let email = "ward-staff@demo.giamsat".to_owned();
    let password: String = crate::auth::random_token().chars().take(20).collect();
    let new = NewUser {
        email: email.clone(),
        display_name: "Cán bộ Đảng ủy phường Hàng Bạc (demo)".to_owned(),
        role: Role::Staff,
        organisation_id: Some(ward_id),
        password_hash: Some(state.passwords.hash(&password).await?),
    };
    accounts::create(db, &new, &system).await.map_err(|e| e.to_string())?;
    lines.push(format!("  {email:<28} {password}"));
    eprintln!("Demo accounts (printed once; passwords are not stored in clear):\n{}", lines.join("\n"));
    Ok(())
}
