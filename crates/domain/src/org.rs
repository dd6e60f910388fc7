//! Organisations and administrative units: two separate time-versioned hierarchies of arbitrary depth.
//!
//! Party bodies (Quận ủy, its Ban Thường vụ, Ban Dân vận, Đảng ủy phường, chi bộ) and State bodies (HĐND, its
//! Thường trực and Ban, UBND, agencies) form one tree of [`OrgKind`]s; administrative units (province, district,
//! ward, commune, special zone …) another. Units carry validity dates and lineage (merged / split / renamed), so
//! the 2021 wards and the units after the 2025 reform both fit, and a mission refers to a unit as it was then.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::codes::coded_enum;

coded_enum! {
    /// What an organisation is. The hierarchy has no fixed depth.
    pub enum OrgKind {
        PartyCommittee => "party_committee",
        PartyStandingCommittee => "party_standing_committee",
        PartyBoard => "party_board",
        PartyInspection => "party_inspection",
        PartyCell => "party_cell",
        PeoplesCouncil => "peoples_council",
        CouncilStanding => "council_standing",
        CouncilBoard => "council_board",
        PeoplesCommittee => "peoples_committee",
        StateAgency => "state_agency",
        FatherlandFront => "fatherland_front",
        Other => "other",
    }
}

coded_enum! {
    /// Administrative level. Before 1/7/2025 three levels; after it two, with "đặc khu" new and "thị trấn" gone.
    pub enum UnitKind {
        Province => "province",
        Municipality => "municipality",
        UrbanDistrict => "urban_district",
        RuralDistrict => "rural_district",
        Town => "town",
        ProvincialCity => "provincial_city",
        Ward => "ward",
        Commune => "commune",
        Township => "township",
        SpecialZone => "special_zone",
    }
}

coded_enum! {
    /// How a unit became another.
    pub enum LineageKind {
        MergedInto => "merged_into",
        SplitInto => "split_into",
        RenamedTo => "renamed_to",
    }
}

/// A validity window; `to` is the last day the unit existed. Open ends are unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Validity {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Validity {
    #[must_use]
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= day) && self.to.is_none_or(|t| day <= t)
    }
}

/// An administrative unit as it existed over `valid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminUnit {
    pub id: i64,
    pub name: String,
    pub kind: UnitKind,
    pub parent: Option<i64>,
    pub valid: Validity,
}

/// `from` became (part of) `to` on `effective_on`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lineage {
    pub from: i64,
    pub to: i64,
    pub kind: LineageKind,
    /// Only part of `from` went into `to` (Tràng Tiền: mostly into phường Hoàn Kiếm, partly into Cửa Nam).
    pub partial: bool,
    pub effective_on: NaiveDate,
}

/// The units named `name` (exact NFC match) and of kind `kind` that existed on `day`.
#[must_use]
pub fn units_on<'a>(units: &'a [AdminUnit], name: &str, kind: UnitKind, day: NaiveDate) -> Vec<&'a AdminUnit> {
    units.iter().filter(|u| u.name == name && u.kind == kind && u.valid.contains(day)).collect()
}

/// The one lineage rule, used by the links between recommendations and by the ledger's unit filter: `units`
/// with every unit they became and every unit that became them, through any number of reforms (merged, split,
/// renamed), but not their siblings. Phường Hàng Bạc (until 2025) and phường Hoàn Kiếm (since) are the same
/// place for follow-up; phường Hàng Bạc and phường Đồng Xuân, merged together, are not. Sorted, without repeats,
/// `units` included. `edges` are `(from, to)`: `from` became (part of) `to`.
#[must_use]
pub fn lineage(units: &[i64], edges: &[(i64, i64)]) -> Vec<i64> {
    let mut all: std::collections::BTreeSet<i64> = units.iter().copied().collect();
    for forward in [true, false] {
        let mut seen: HashSet<i64> = units.iter().copied().collect();
        let mut frontier: Vec<i64> = units.to_vec();
        while let Some(current) = frontier.pop() {
            for &(from, to) in edges {
                let (near, far) = if forward { (from, to) } else { (to, from) };
                if near == current && seen.insert(far) {
                    all.insert(far);
                    frontier.push(far);
                }
            }
        }
    }
    all.into_iter().collect()
}

/// Why a parent link would break the hierarchy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HierarchyError {
    /// Setting this parent would make the node its own ancestor.
    Cycle {
        id: i64,
    },
    UnknownParent {
        id: i64,
    },
}

/// The chain of ancestors of `id` (nearest first), given each node's parent.
///
/// # Errors
/// [`HierarchyError::Cycle`] if the chain loops, [`HierarchyError::UnknownParent`] if a parent is missing.
pub fn ancestors(id: i64, parents: &HashMap<i64, Option<i64>>) -> Result<Vec<i64>, HierarchyError> {
    let mut chain = Vec::new();
    let mut current = id;
    loop {
        let parent = *parents.get(&current).ok_or(HierarchyError::UnknownParent { id: current })?;
        match parent {
            None => return Ok(chain),
            Some(p) if p == id || chain.contains(&p) => return Err(HierarchyError::Cycle { id }),
            Some(p) => {
                chain.push(p);
                current = p;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid")
    }

    fn reform() -> (Vec<AdminUnit>, Vec<Lineage>) {
        let until = Validity { from: None, to: Some(day(2025, 6, 30)) };
        let since = Validity { from: Some(day(2025, 7, 1)), to: None };
        let unit = |id, name: &str, kind, parent, valid| AdminUnit { id, name: name.to_owned(), kind, parent, valid };
        let units = vec![
            unit(1, "Hà Nội", UnitKind::Municipality, None, Validity::default()),
            unit(2, "Hoàn Kiếm", UnitKind::UrbanDistrict, Some(1), until),
            unit(3, "Hàng Bạc", UnitKind::Ward, Some(2), until),
            unit(4, "Tràng Tiền", UnitKind::Ward, Some(2), until),
            unit(5, "Hoàn Kiếm", UnitKind::Ward, Some(1), since),
            unit(6, "Cửa Nam", UnitKind::Ward, Some(1), since),
        ];
        let edge = |from, to, kind, partial| Lineage { from, to, kind, partial, effective_on: day(2025, 7, 1) };
        let lineage = vec![
            edge(3, 5, LineageKind::MergedInto, false),
            edge(4, 5, LineageKind::SplitInto, true),
            edge(4, 6, LineageKind::SplitInto, true),
        ];
        (units, lineage)
    }

    #[test]
    fn a_unit_is_found_as_it_was_on_the_mission_date() {
        let (units, _) = reform();
        assert_eq!(units_on(&units, "Hàng Bạc", UnitKind::Ward, day(2021, 3, 23)).len(), 1);
        assert!(units_on(&units, "Hàng Bạc", UnitKind::Ward, day(2025, 8, 1)).is_empty());
        let hoan_kiem_2026 = units_on(&units, "Hoàn Kiếm", UnitKind::Ward, day(2026, 1, 1));
        assert_eq!(hoan_kiem_2026.iter().map(|u| u.id).collect::<Vec<_>>(), vec![5]);
        assert_eq!(units_on(&units, "Hoàn Kiếm", UnitKind::UrbanDistrict, day(2021, 1, 1))[0].id, 2);
    }

    #[test]
    fn lineage_follows_every_reform_both_ways_but_never_to_siblings() {
        let (_, reform) = reform();
        let mut edges: Vec<(i64, i64)> = reform.iter().map(|e| (e.from, e.to)).collect();
        assert_eq!(lineage(&[4], &edges), vec![4, 5, 6], "a split ward leads to every successor");
        assert_eq!(lineage(&[3], &edges), vec![3, 5], "merged with Tràng Tiền, but not the same place");
        assert_eq!(lineage(&[5], &edges), vec![3, 4, 5], "back to every predecessor");
        assert_eq!(lineage(&[6], &edges), vec![4, 6]);
        // A second reform: phường Hoàn Kiếm (5) renamed 7 in 2030; every generation is followed.
        edges.push((5, 7));
        assert_eq!(lineage(&[3], &edges), vec![3, 5, 7]);
        assert_eq!(lineage(&[7], &edges), vec![3, 4, 5, 7]);
        assert_eq!(lineage(&[9], &edges), vec![9], "a unit without reform is itself");
    }

    #[test]
    fn ancestors_of_any_depth_and_cycles_are_refused() {
        let parents = HashMap::from([(1, None), (2, Some(1)), (3, Some(2)), (4, Some(3))]);
        assert_eq!(ancestors(4, &parents), Ok(vec![3, 2, 1]));
        let looped = HashMap::from([(1, Some(3)), (2, Some(1)), (3, Some(2))]);
        assert_eq!(ancestors(1, &looped), Err(HierarchyError::Cycle { id: 1 }));
        assert_eq!(ancestors(9, &parents), Err(HierarchyError::UnknownParent { id: 9 }));
    }

    #[test]
    fn validity_bounds_are_inclusive() {
        let v = Validity { from: Some(day(2021, 1, 1)), to: Some(day(2025, 6, 30)) };
        assert!(v.contains(day(2021, 1, 1)) && v.contains(day(2025, 6, 30)));
        assert!(!v.contains(day(2025, 7, 1)));
    }
}
