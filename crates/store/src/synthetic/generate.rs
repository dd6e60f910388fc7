//! Deterministic generation of whole missions: the same seed gives the same missions, byte for byte, on every
//! machine. Every mission is built through `Mission::new`, so it holds the domain's invariants, and its state
//! is one its data supports.

#![allow(
    clippy::indexing_slicing,
    reason = "every index is drawn by the generator below the length of the constant, non-empty table it reads"
)]

use chrono::{Datelike, Duration, NaiveDate};
use giamsat_domain::codes::{FindingKind, MemberRole, SessionModality, SupervisionForm, SupervisionSystem, TargetKind};
use giamsat_domain::date::{Period, format_short};
use giamsat_domain::docnum::DocumentNumber;
use giamsat_domain::messages::labels;
use giamsat_domain::mission::{
    Decision, Finding, Member, Mission, MissionParts, Origin, Owner, Photo, Publication, Recommendation, Session,
    Target, Team, Who,
};
use giamsat_domain::org::UnitKind;
use giamsat_domain::recommendation::{FollowUp, RecStatus};
use giamsat_domain::text::capitalize_first;
use giamsat_domain::workflow::MissionState;

use super::vocabulary::{self as v, LOCALITIES, Locality};

/// SplitMix64: tiny, fast, and the same sequence everywhere, which is all synthetic data needs (no crate).
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// A number in `lo..=hi`, small ones more often (mean about a quarter of the way): most missions are
    /// small, a few are large.
    fn skewed(&mut self, lo: usize, hi: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        let span = (hi - lo + 1) as f64;
        (lo + (span * u * u * u) as usize).min(hi)
    }

    /// True `per_mille` times in a thousand.
    fn chance(&mut self, per_mille: usize) -> bool {
        self.below(1000) < per_mille
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `k` distinct indices of `0..n`, in random order.
    fn sample(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        let k = k.min(n);
        for i in 0..k {
            let j = i + self.below(n - i);
            all.swap(i, j);
        }
        all.truncate(k);
        all
    }
}

/// The 2025 reform: from this day the district level is gone.
pub(crate) fn reform_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default()
}

/// "Today" for the generated data: fixed, so the same seed gives the same states on any day.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default()
}

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 1, 4).unwrap_or_default()
}

/// The level of government an owner sits at, which decides its words and the units it supervises.
#[derive(Debug, Clone, Copy)]
enum Level {
    /// Before the reform: a district (or provincial city) of `LOCALITIES[i]`.
    District(usize),
    /// After the reform: the province of `LOCALITIES[i]`.
    Province(usize),
    /// After the reform: new unit `j` of `LOCALITIES[i]`.
    Local(usize, usize),
}

/// An organisation that owns missions, with the words its documents use.
#[derive(Debug, Clone)]
pub(crate) struct OwnerSpec {
    pub owner: Owner,
    pub system: SupervisionSystem,
    level: Level,
    /// "Quận ủy", "HĐND quận": how the body names itself in positions.
    body: String,
    /// "quận", "thành phố": the administrative word of its level.
    admin: String,
    /// The issuer code of its Party decisions ("QU").
    code: &'static str,
}

fn district_word(kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::RuralDistrict => "huyện",
        UnitKind::Town => "thị xã",
        UnitKind::ProvincialCity | UnitKind::Municipality => "thành phố",
        UnitKind::Province => "tỉnh",
        UnitKind::Ward => "phường",
        UnitKind::Commune => "xã",
        UnitKind::SpecialZone => "đặc khu",
        _ => "quận",
    }
}

fn party_body(kind: UnitKind) -> (&'static str, &'static str) {
    match kind {
        UnitKind::RuralDistrict => ("Huyện ủy", "HU"),
        UnitKind::Town => ("Thị ủy", "TU"),
        UnitKind::ProvincialCity | UnitKind::Municipality => ("Thành ủy", "TU"),
        UnitKind::Province => ("Tỉnh ủy", "TU"),
        UnitKind::UrbanDistrict => ("Quận ủy", "QU"),
        _ => ("Đảng ủy", "ĐU"),
    }
}

/// Every owner of the synthetic world: for each district before the reform its Party committee and People's
/// Council, and after it those of each province and of each new ward, commune or special zone.
pub(crate) fn owners() -> Vec<OwnerSpec> {
    let mut out = Vec::new();
    let mut provinces_seen: Vec<&str> = Vec::new();
    for (i, l) in LOCALITIES.iter().enumerate() {
        let admin = district_word(l.district_kind);
        let (party, code) = party_body(l.district_kind);
        let province_admin = district_word(l.province_kind);
        let (province_party, _) = party_body(l.province_kind);
        out.push(OwnerSpec {
            owner: Owner {
                name: format!("{party} {}", l.district),
                short_name: party.to_owned(),
                parent: Some(format!("Đảng bộ {} {}", capitalize_first(province_admin), l.province)),
                place: l.district.to_owned(),
            },
            system: SupervisionSystem::Party,
            level: Level::District(i),
            body: party.to_owned(),
            admin: admin.to_owned(),
            code,
        });
        out.push(OwnerSpec {
            owner: Owner {
                name: format!("HĐND {admin} {}", l.district),
                short_name: format!("HĐND {admin}"),
                parent: Some(format!("HĐND {province_admin} {}", l.province)),
                place: l.district.to_owned(),
            },
            system: SupervisionSystem::Council,
            level: Level::District(i),
            body: format!("HĐND {admin}"),
            admin: admin.to_owned(),
            code: "HĐND",
        });
        if !provinces_seen.contains(&l.province) {
            provinces_seen.push(l.province);
            out.push(OwnerSpec {
                owner: Owner {
                    name: format!("{province_party} {}", l.province),
                    short_name: province_party.to_owned(),
                    parent: None,
                    place: l.province.to_owned(),
                },
                system: SupervisionSystem::Party,
                level: Level::Province(i),
                body: province_party.to_owned(),
                admin: province_admin.to_owned(),
                code: "TU",
            });
            out.push(OwnerSpec {
                owner: Owner {
                    name: format!("HĐND {province_admin} {}", l.province),
                    short_name: format!("HĐND {province_admin}"),
                    parent: None,
                    place: l.province.to_owned(),
                },
                system: SupervisionSystem::Council,
                level: Level::Province(i),
                body: format!("HĐND {province_admin}"),
                admin: province_admin.to_owned(),
                code: "HĐND",
            });
        }
        let local_admin = district_word(l.new_kind);
        for (j, (name, _)) in l.new.iter().enumerate() {
            out.push(OwnerSpec {
                owner: Owner {
                    name: format!("Đảng ủy {local_admin} {name}"),
                    short_name: format!("Đảng ủy {local_admin}"),
                    parent: Some(format!("Đảng bộ {} {}", capitalize_first(province_admin), l.province)),
                    place: (*name).to_owned(),
                },
                system: SupervisionSystem::Party,
                level: Level::Local(i, j),
                body: format!("Đảng ủy {local_admin}"),
                admin: local_admin.to_owned(),
                code: "ĐU",
            });
            out.push(OwnerSpec {
                owner: Owner {
                    name: format!("HĐND {local_admin} {name}"),
                    short_name: format!("HĐND {local_admin}"),
                    parent: Some(format!("HĐND {province_admin} {}", l.province)),
                    place: (*name).to_owned(),
                },
                system: SupervisionSystem::Council,
                level: Level::Local(i, j),
                body: format!("HĐND {local_admin}"),
                admin: local_admin.to_owned(),
                code: "HĐND",
            });
        }
    }
    out
}

/// A pool of distinct Vietnamese full names; members are drawn from it, so people serve on many teams.
pub(crate) fn people(rng: &mut Rng, count: usize) -> Vec<String> {
    let mut names = Vec::new();
    for family in v::FAMILY {
        for (middles, givens) in [(v::MIDDLE_MALE, v::GIVEN_MALE), (v::MIDDLE_FEMALE, v::GIVEN_FEMALE)] {
            for middle in middles {
                for given in givens {
                    names.push(format!("{family} {middle} {given}"));
                }
            }
        }
    }
    let order = rng.sample(names.len(), count);
    order.into_iter().map(|i| names[i].clone()).collect()
}

fn target_kind(kind: UnitKind) -> TargetKind {
    match kind {
        UnitKind::Ward => TargetKind::Ward,
        UnitKind::Commune => TargetKind::Commune,
        UnitKind::SpecialZone => TargetKind::SpecialZone,
        _ => TargetKind::District,
    }
}

/// One generated mission, with what the writer needs beyond the mission itself.
pub(crate) struct Generated {
    pub mission: Mission,
    /// Index into [`owners`].
    pub owner: usize,
    /// Whether this mission's decision is new (the first team it sets up).
    pub new_decision: bool,
    /// For each recommendation, the steps of its follow-up (from, to, day, note).
    pub history: Vec<Vec<Step>>,
}

pub(crate) struct Step {
    pub from: RecStatus,
    pub to: RecStatus,
    pub on: NaiveDate,
    pub note: &'static str,
}

struct OpenDecision {
    owner: usize,
    decision: Decision,
    basis: Option<String>,
    topic: &'static str,
    teams_left: usize,
    next_team: u32,
    issued_on: NaiveDate,
}

/// Generates missions one after another from a seed.
pub(crate) struct Generator {
    rng: Rng,
    owners: Vec<OwnerSpec>,
    people: Vec<String>,
    sequence: Vec<u32>,
    open: Option<OpenDecision>,
}

impl Generator {
    pub(crate) fn new(seed: u64, owners: Vec<OwnerSpec>, people: Vec<String>) -> Self {
        let sequence = vec![0; owners.len()];
        Generator { rng: Rng::new(seed ^ 0x5EED), owners, people, sequence, open: None }
    }

    fn pick_owner(&mut self, on: NaiveDate) -> usize {
        let after = on >= reform_day();
        let rare = self.rng.below(v::RARE_ONE_IN as usize) == 0;
        let candidates: Vec<(usize, u32)> = self
            .owners
            .iter()
            .enumerate()
            .filter_map(|(i, o)| {
                let (locality, level_ok) = match o.level {
                    Level::District(l) => (l, !after),
                    Level::Province(l) => (l, after),
                    Level::Local(l, _) => (l, after),
                };
                let weight = LOCALITIES[locality].weight;
                let wanted = if rare { weight == 0 } else { weight > 0 };
                (level_ok && wanted).then_some((i, weight.max(1)))
            })
            .collect();
        let total: u32 = candidates.iter().map(|(_, w)| w).sum();
        let mut roll = u32::try_from(self.rng.below(total as usize)).unwrap_or(0);
        for (i, w) in &candidates {
            if roll < *w {
                return *i;
            }
            roll -= w;
        }
        candidates[0].0
    }

    fn open_decision(&mut self) -> OpenDecision {
        let span = (today() - Duration::days(40) - first_day()).num_days();
        let issued_on = first_day()
            + Duration::days(i64::try_from(self.rng.below(usize::try_from(span).unwrap_or(1))).unwrap_or(0));
        let owner = self.pick_owner(issued_on);
        let spec = &self.owners[owner];
        self.sequence[owner] += 1 + u32::try_from(self.rng.below(6)).unwrap_or(0);
        let seq = self.sequence[owner];
        let number = match spec.system {
            SupervisionSystem::Council => format!("{seq:02}/QĐ-HĐND"),
            _ => format!("{seq}-QĐ/{}", spec.code),
        };
        let teams = if self.rng.chance(250) { self.rng.between(2, 5) } else { 1 };
        let topic = if issued_on >= reform_day() && self.rng.chance(300) {
            *self.rng.pick(v::TOPICS_AFTER_REFORM)
        } else {
            *self.rng.pick(v::TOPICS)
        };
        let teams_word = if teams > 1 { "các đoàn giám sát" } else { "đoàn giám sát" };
        let issuer = match spec.system {
            SupervisionSystem::Council => format!("Thường trực {}", spec.body),
            _ => spec.body.clone(),
        };
        let basis = self.rng.chance(600).then(|| match spec.system {
            SupervisionSystem::Council => {
                format!("Nghị quyết về chương trình giám sát năm {} của {}", issued_on.year(), spec.body)
            }
            _ => format!("Chương trình kiểm tra, giám sát năm {} của Ban Thường vụ {}", issued_on.year(), spec.body),
        });
        OpenDecision {
            owner,
            decision: Decision {
                number: DocumentNumber::parse(&number).ok(),
                issued_on: Some(issued_on),
                issuer: Some(issuer),
                summary: Some(format!("thành lập {teams_word} {topic}")),
            },
            basis,
            topic,
            teams_left: teams,
            next_team: 1 + u32::try_from(self.rng.below(3)).unwrap_or(0),
            issued_on,
        }
    }

    /// The next mission.
    pub(crate) fn next_mission(&mut self) -> Generated {
        let new_decision = self.open.as_ref().is_none_or(|o| o.teams_left == 0);
        if new_decision {
            self.open = Some(self.open_decision());
        }
        let Some(open) = self.open.as_mut() else { unreachable!("a decision was just opened") };
        open.teams_left -= 1;
        let ordinal = open.next_team;
        open.next_team += 1;
        let (owner, decision, basis, topic, issued_on) =
            (open.owner, open.decision.clone(), open.basis.clone(), open.topic, open.issued_on);
        let mut parts = self.parts(owner, decision, basis, topic, issued_on, ordinal);
        let history = self.follow_up(&mut parts);
        let mission = Mission::new(parts).unwrap_or_else(|e| unreachable!("generated missions are valid: {e:?}"));
        Generated { mission, owner, new_decision, history }
    }

    fn targets(&mut self, owner: usize) -> Vec<Target> {
        let spec = &self.owners[owner];
        let mut pool: Vec<Target> = Vec::new();
        match spec.level {
            Level::District(l) => {
                let loc: &Locality = &LOCALITIES[l];
                for name in loc.old {
                    pool.push(Target { kind: target_kind(loc.old_kind), name: (*name).to_owned() });
                    if spec.system == SupervisionSystem::Party {
                        pool.push(Target {
                            kind: TargetKind::PartyOrg,
                            name: format!("Đảng ủy {} {name}", district_word(loc.old_kind)),
                        });
                    }
                }
                for agency in v::AGENCIES_DISTRICT {
                    pool.push(Target {
                        kind: TargetKind::Agency,
                        name: format!("{agency} {} {}", spec.admin, loc.district),
                    });
                }
            }
            Level::Province(l) => {
                let province = LOCALITIES[l].province;
                for loc in LOCALITIES.iter().filter(|x| x.province == province) {
                    for (name, _) in loc.new {
                        pool.push(Target { kind: target_kind(loc.new_kind), name: (*name).to_owned() });
                    }
                }
                for agency in v::AGENCIES_PROVINCE {
                    pool.push(Target { kind: TargetKind::Agency, name: format!("{agency} {} {province}", spec.admin) });
                }
            }
            Level::Local(l, j) => {
                let name = LOCALITIES[l].new[j].0;
                for n in 1..=40 {
                    pool.push(Target {
                        kind: TargetKind::PartyOrg, name: format!("Chi bộ tổ dân phố số {n}")
                    });
                }
                for agency in ["Trung tâm Phục vụ hành chính công", "Công an", "Trạm Y tế", "Trường Tiểu học"]
                {
                    pool.push(Target { kind: TargetKind::Agency, name: format!("{agency} {} {name}", spec.admin) });
                }
            }
        }
        let count = self.rng.skewed(1, 30);
        self.rng.sample(pool.len(), count).into_iter().map(|i| pool[i].clone()).collect()
    }

    fn members(&mut self, owner: usize) -> Vec<Member> {
        let spec = &self.owners[owner];
        let (b, a) = (spec.body.clone(), spec.admin.clone());
        let council = spec.system == SupervisionSystem::Council;
        let leaders: Vec<String> = if council {
            vec![
                format!("Phó Chủ tịch {b}"),
                format!("Trưởng ban Pháp chế {b}"),
                format!("Trưởng ban Kinh tế - Xã hội {b}"),
                format!("Chủ tịch {b}"),
            ]
        } else {
            vec![
                format!("Ủy viên Ban Thường vụ {b}, Chủ nhiệm Ủy ban Kiểm tra {b}"),
                format!("Phó Bí thư Thường trực {b}"),
                format!("Ủy viên Ban Thường vụ {b}, Trưởng ban Tổ chức {b}"),
                format!("Ủy viên Ban Thường vụ {b}, Phó Chủ tịch Thường trực HĐND {a}"),
            ]
        };
        let deputies: Vec<String> = if council {
            vec![format!("Phó Trưởng ban Pháp chế {b}"), format!("Phó Trưởng ban Kinh tế - Xã hội {b}")]
        } else {
            vec![
                format!("Ủy viên Ban Thường vụ {b}, Trưởng ban Dân vận {b}"),
                format!("Phó Chủ nhiệm Ủy ban Kiểm tra {b}"),
                format!("Ủy viên Ban Chấp hành Đảng bộ {a}, Chánh Văn phòng {b}"),
            ]
        };
        let others: Vec<String> = if council {
            vec![
                format!("Ủy viên Ban Pháp chế {b}"),
                format!("Đại biểu {b}"),
                format!("Ủy viên Ban Kinh tế - Xã hội {b}"),
            ]
        } else {
            vec![
                format!("Ủy viên Ủy ban Kiểm tra {b}"),
                format!("Phó Trưởng ban Tuyên giáo {b}"),
                format!("Phó Chánh Văn phòng {b}"),
            ]
        };
        let secretary = format!("Chuyên viên Văn phòng {b}");
        let mut roles = vec![(MemberRole::Leader, self.rng.pick(&leaders).clone())];
        for _ in 0..self.rng.below(3) {
            roles.push((MemberRole::DeputyLeader, self.rng.pick(&deputies).clone()));
        }
        for _ in 0..self.rng.between(1, 4) {
            roles.push((MemberRole::Member, self.rng.pick(&others).clone()));
        }
        if self.rng.chance(700) {
            roles.push((MemberRole::Secretary, secretary));
        }
        let chosen = self.rng.sample(self.people.len(), roles.len());
        let mut members: Vec<Member> = roles
            .into_iter()
            .zip(chosen)
            .map(|((role, position), person)| Member {
                role,
                who: Who::Person { name: self.people[person].clone(), position: Some(position) },
            })
            .collect();
        if self.rng.chance(300) {
            members.push(Member {
                role: MemberRole::Member,
                who: Who::Group {
                    description: format!("các đồng chí thành viên là đại diện lãnh đạo một số phòng, ban {a}"),
                },
            });
        }
        members
    }

    fn state(&mut self, fieldwork_to: NaiveDate) -> MissionState {
        if fieldwork_to + Duration::days(30) > today() {
            return if self.rng.chance(500) { MissionState::InProgress } else { MissionState::Drafting };
        }
        match self.rng.below(100) {
            0..=4 => MissionState::InProgress,
            5..=9 => MissionState::Drafting,
            10..=34 => MissionState::Concluded,
            35..=89 => MissionState::FollowUp,
            _ => MissionState::Closed,
        }
    }

    #[allow(clippy::too_many_lines)]
    fn parts(
        &mut self,
        owner: usize,
        decision: Decision,
        basis: Option<String>,
        topic: &'static str,
        issued_on: NaiveDate,
        ordinal: u32,
    ) -> MissionParts {
        let spec = self.owners[owner].clone();
        let council = spec.system == SupervisionSystem::Council;
        let team_name = if council && self.rng.chance(100) {
            format!("Tổ công tác số {ordinal}")
        } else if council {
            format!("Đoàn giám sát số {ordinal}")
        } else {
            format!("Đoàn Giám sát số {ordinal}")
        };
        let supervising_body = if council {
            self.rng
                .pick(&[
                    format!("Thường trực {}", spec.body),
                    format!("Ban Pháp chế {}", spec.body),
                    format!("Ban Kinh tế - Xã hội {}", spec.body),
                ])
                .clone()
        } else {
            self.rng.pick(&[format!("Ban Thường vụ {}", spec.body), format!("Ủy ban Kiểm tra {}", spec.body)]).clone()
        };
        let targets = self.targets(owner);
        let from = issued_on + Duration::days(i64::try_from(self.rng.between(7, 30)).unwrap_or(7));
        let to = from + Duration::days(i64::try_from(targets.len() / 3 + self.rng.between(2, 10)).unwrap_or(2));
        let state = self.state(to);
        let fieldwork = Period::new(Some(from), Some(to)).unwrap_or_default();
        let reference_period = if self.rng.chance(400) {
            Period::new(NaiveDate::from_ymd_opt(from.year() - 1, 1, 1), Some(issued_on)).unwrap_or_default()
        } else {
            Period::default()
        };
        let members = self.members(owner);
        let days = (to - from).num_days();
        let visited =
            if state == MissionState::InProgress { self.rng.between(1, targets.len()) } else { targets.len() };
        let mut sessions = Vec::new();
        for (i, target) in targets.iter().enumerate().take(visited) {
            let date = from
                + Duration::days(i64::try_from(self.rng.below(usize::try_from(days + 1).unwrap_or(1))).unwrap_or(0));
            let label = labels::target_with_kind(target.kind, &target.name);
            let photos = (0..self.rng.below(4))
                .map(|k| Photo {
                    caption: if k == 0 {
                        format!("{team_name} làm việc tại {label}.")
                    } else {
                        format!("Đồng chí Trưởng đoàn phát biểu tại buổi làm việc với {label}.")
                    },
                    file: None,
                })
                .collect();
            sessions.push(Session {
                target: i,
                date: Some(date),
                modality: Some(if self.rng.chance(200) { SessionModality::Reports } else { SessionModality::Direct }),
                minutes: self.rng.chance(300).then(|| format!("Biên bản làm việc ngày {}", format_short(date))),
                photos,
            });
        }
        let finding_count = self.rng.skewed(5, 30);
        let mut findings = Vec::with_capacity(finding_count);
        for k in 0..finding_count {
            let kind = match k {
                0 => FindingKind::Strength,
                1 => FindingKind::Shortcoming,
                2 => FindingKind::Cause,
                _ => *self.rng.pick(FindingKind::ALL),
            };
            let phrase = match kind {
                FindingKind::Strength => *self.rng.pick(v::STRENGTHS),
                FindingKind::Shortcoming => *self.rng.pick(v::SHORTCOMINGS),
                FindingKind::Cause => *self.rng.pick(v::CAUSES),
            };
            let (finding_targets, text) = if kind != FindingKind::Cause && self.rng.chance(700) {
                let t = self.rng.below(targets.len());
                let label = labels::target_with_kind(targets[t].kind, &targets[t].name);
                (vec![t], format!("{} {phrase}.", capitalize_first(&label)))
            } else {
                (Vec::new(), format!("{}.", capitalize_first(phrase)))
            };
            findings.push(Finding { kind, targets: finding_targets, text });
        }
        let rec_count = self.rng.skewed(3, 20);
        let mut recommendations = Vec::with_capacity(rec_count);
        let due_base = to + Duration::days(60);
        for _ in 0..rec_count {
            let t = self.rng.below(targets.len());
            let label = labels::target_with_kind(targets[t].kind, &targets[t].name);
            let (origin, addressee, text) = if self.rng.chance(400) {
                let addressee = if council {
                    format!("UBND {} {}", spec.admin, spec.owner.place)
                } else {
                    format!("Ban Thường vụ {}", spec.body)
                };
                let phrase = self.rng.pick(v::UPWARD);
                let text = format!("Đề nghị {addressee} {phrase}.");
                (Origin::Upward { raised_by: vec![t] }, addressee, text)
            } else {
                let addressee = capitalize_first(&label);
                let phrase = self.rng.pick(v::DOWNWARD);
                let issuer = self.rng.chance(500).then(|| supervising_body.clone());
                (Origin::Downward { issuer }, addressee.clone(), format!("{addressee} {phrase}."))
            };
            recommendations.push(Recommendation {
                origin,
                addressees: vec![addressee.clone()],
                text,
                follow_up: FollowUp {
                    status: RecStatus::Issued,
                    owner: Some(addressee),
                    due_on: Some(due_base + Duration::days(i64::try_from(self.rng.below(120)).unwrap_or(0))),
                    priority: self.rng.chance(100),
                },
            });
        }
        let publication = (state >= MissionState::Concluded && self.rng.chance(500)).then(|| {
            let day = to + Duration::days(i64::try_from(self.rng.between(1, 5)).unwrap_or(1));
            let offset = chrono::FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| unreachable!("+07:00 is valid"));
            Publication {
                category: Some((*self.rng.pick(v::CATEGORIES)).to_owned()),
                published_at: day.and_hms_opt(9, 30, 0).and_then(|t| t.and_local_timezone(offset).single()),
                byline: Some(self.rng.pick(&self.people).clone()),
                source: Some(format!("Văn phòng {}", spec.body)),
            }
        });
        MissionParts {
            owner: spec.owner.clone(),
            system: spec.system,
            form: SupervisionForm::Thematic,
            basis,
            decision,
            supervising_body,
            team: Team { name: Some(team_name), ordinal: Some(ordinal) },
            subject: topic.to_owned(),
            fieldwork,
            reference_period,
            members,
            targets,
            sessions,
            findings,
            findings_none_recorded: Vec::new(),
            recommendations,
            conclusion_preamble: None,
            publication,
            state,
        }
    }

    /// Sets each recommendation's status as far as the mission's state allows, and returns the steps that led
    /// there (the follow-up history).
    fn follow_up(&mut self, parts: &mut MissionParts) -> Vec<Vec<Step>> {
        use RecStatus as R;
        let state = parts.state;
        let start = parts.fieldwork.to().unwrap_or_else(today);
        let mut all = Vec::with_capacity(parts.recommendations.len());
        for rec in &mut parts.recommendations {
            let path: &[RecStatus] = match state {
                MissionState::Concluded => {
                    if self.rng.chance(500) {
                        &[R::Acknowledged]
                    } else {
                        &[]
                    }
                }
                MissionState::FollowUp => match self.rng.below(10) {
                    0..=1 => &[],
                    2..=3 => &[R::Acknowledged],
                    4..=5 => &[R::Acknowledged, R::InProgress],
                    6..=7 => &[R::Acknowledged, R::InProgress, R::Implemented],
                    8 => &[R::EscalatedResupervision],
                    _ => &[R::Acknowledged, R::NotImplemented],
                },
                MissionState::Closed => match self.rng.below(10) {
                    0..=6 => &[R::Acknowledged, R::InProgress, R::Implemented],
                    7..=8 => &[R::Acknowledged, R::NotImplemented],
                    _ => &[R::Superseded],
                },
                _ => &[],
            };
            let mut steps = Vec::with_capacity(path.len());
            let mut from = R::Issued;
            let mut on = start;
            for to in path {
                on += Duration::days(i64::try_from(self.rng.between(10, 60)).unwrap_or(10));
                let note = v::PROGRESS_NOTES[match to {
                    R::Acknowledged => 0,
                    R::InProgress => 1,
                    R::Implemented => 2,
                    R::NotImplemented => 3,
                    R::Superseded => 4,
                    _ => 5,
                }];
                steps.push(Step { from, to: *to, on: on.min(today()), note });
                from = *to;
            }
            rec.follow_up.status = from;
            all.push(steps);
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_deterministic_and_its_missions_are_valid() {
        let run = |seed| {
            let mut rng = Rng::new(seed);
            let mut g = Generator::new(seed, owners(), people(&mut rng, 500));
            (0..200).map(|_| g.next_mission().mission).collect::<Vec<_>>()
        };
        let a = run(7);
        assert_eq!(a, run(7), "same seed, same missions");
        assert_ne!(a, run(8), "another seed, other missions");
        for m in &a {
            assert!((1..=30).contains(&m.targets.len()));
            assert!((5..=30).contains(&m.findings.len()));
            assert!((3..=20).contains(&m.recommendations.len()));
            assert!(m.leader().is_some());
            assert!(m.state >= MissionState::InProgress);
        }
    }

    #[test]
    fn skewed_numbers_stay_in_range_and_favour_small_ones() {
        let mut rng = Rng::new(1);
        let xs: Vec<usize> = (0..10_000).map(|_| rng.skewed(1, 30)).collect();
        assert!(xs.iter().all(|x| (1..=30).contains(x)));
        assert!(xs.contains(&30) && xs.contains(&1));
        let mean = xs.iter().sum::<usize>() as f64 / xs.len() as f64;
        assert!((5.0..12.0).contains(&mean), "{mean}");
    }
}
