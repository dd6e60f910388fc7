//! 1. The authorization matrix: every route, every subject, every state.

use std::time::Instant;

use giamsat_domain::workflow::MissionState;
use giamsat_web::router::ROUTES;

use super::policy::*;
use super::world::*;

#[test]
fn the_matrix_has_an_entry_for_every_route() {
    for (method, path) in ROUTES {
        for who in EVERYONE {
            for state in STATES {
                let _ = expected(method, path, who, state);
            }
        }
    }
}

#[tokio::test]
async fn every_route_answers_every_subject_in_every_state_as_the_policy_says() {
    let started = Instant::now();
    let mut world = World::new().await;
    let mut failures = Vec::new();
    let mut cells = 0;
    for state in STATES {
        // A new login-throttling window (5 min): each state posts one failed login per subject.
        world.app.advance_minutes(6);
        let mut mission = world.mission_in(state).await;
        for (method, pattern) in ROUTES {
            for who in EVERYONE {
                let want = expected(method, pattern, who, state);
                let cell = Cell { method, pattern, who, state, to: matrix_target(state), kind: MATRIX_KIND };
                let got = world.run(&cell, &mut mission).await;
                cells += 1;
                if got != Ok(want) {
                    failures.push(failure(&cell, "", want, &got));
                }
            }
        }
    }
    eprintln!("authorization matrix: {cells} cells in {:.1?}", started.elapsed());
    assert!(
        failures.is_empty(),
        "{} of {cells} cells differ from the policy:\n{}",
        failures.len(),
        failures.join("\n")
    );
    world.app.cleanup().await;
}

#[tokio::test]
async fn every_workflow_step_is_decided_by_the_policy_then_by_the_workflow() {
    let mut world = World::new().await;
    let mut failures = Vec::new();
    let mut cells = 0;
    for state in STATES {
        let mut mission = world.mission_in(state).await;
        for to in MissionState::ALL {
            for who in EVERYONE {
                let want = transition_outcome(who, state, *to);
                let cell = Cell {
                    method: "post",
                    pattern: "/missions/{id}/transition",
                    who,
                    state,
                    to: *to,
                    kind: MATRIX_KIND,
                };
                let got = world.run(&cell, &mut mission).await;
                cells += 1;
                if got != Ok(want) {
                    failures.push(failure(&cell, &format!(" to={}", to.code()), want, &got));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cells} steps differ from the policy:\n{}",
        failures.len(),
        failures.join("\n")
    );
    world.app.cleanup().await;
}

#[tokio::test]
async fn every_kind_of_item_is_guarded_by_its_action() {
    let mut world = World::new().await;
    let mut failures = Vec::new();
    let mut cells = 0;
    for state in STATES {
        let mut mission = world.mission_in(state).await;
        for kind in ["targets", "sessions", "findings", "recommendations"] {
            for pattern in ["/missions/{id}/items/{kind}/new", "/missions/{id}/items/{kind}/{index}"] {
                for who in EVERYONE {
                    let want = on_mission(who, item_allowed(kind, who, state.mission_state()));
                    let cell = Cell { method: "get", pattern, who, state, to: matrix_target(state), kind };
                    let got = world.run(&cell, &mut mission).await;
                    cells += 1;
                    if got != Ok(want) {
                        failures.push(failure(&cell, &format!(" kind={kind}"), want, &got));
                    }
                }
            }
        }
        // An unknown kind is no page at all, for those who may see the mission too.
        for who in EVERYONE {
            let cell = Cell {
                method: "get",
                pattern: "/missions/{id}/items/{kind}/new",
                who,
                state,
                to: matrix_target(state),
                kind: "members",
            };
            let want = if who == Who::Anonymous { Outcome::LoginRedirect } else { Outcome::NotFound };
            let got = world.run(&cell, &mut mission).await;
            if got != Ok(want) {
                failures.push(failure(&cell, " kind=members", want, &got));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cells} cells differ from the policy:\n{}",
        failures.len(),
        failures.join("\n")
    );
    world.app.cleanup().await;
}
