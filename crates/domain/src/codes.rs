//! Closed vocabularies of the domain, each with its stable code (used in the interchange format, URLs and the
//! database) and nothing else: their Vietnamese labels live in [`crate::messages::labels`].

/// Declares a closed vocabulary: a `Copy` enum with `ALL`, `code()` and `from_code()`.
macro_rules! coded_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $name {
            /// Every value, in declaration order (the order forms and filters show them in).
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable code of this value.
            #[must_use]
            pub const fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// The value with this stable code, if any.
            #[must_use]
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// The codes of every value, joined for error messages.
            #[must_use]
            pub fn codes_list() -> String {
                Self::ALL.iter().map(|v| v.code()).collect::<Vec<_>>().join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
pub(crate) use coded_enum;

coded_enum! {
    /// Which supervision system the mission belongs to. Never inferred from the leader's job or the site
    /// category: the seed mission is a Party team led by an HĐND vice-chair and filed under "HĐND" news.
    pub enum SupervisionSystem {
        /// Giám sát của Đảng.
        Party => "party",
        /// Giám sát của HĐND.
        Council => "council",
        /// Giám sát của Mặt trận Tổ quốc.
        Front => "front",
    }
}

coded_enum! {
    /// Giám sát chuyên đề (from the annual programme, with a decision and a team) or thường xuyên.
    pub enum SupervisionForm {
        Thematic => "thematic",
        Regular => "regular",
    }
}

coded_enum! {
    /// A member's role in the team. A working group ("Tổ công tác") words the leader "Tổ trưởng"; the wording
    /// is chosen by the renderer from the team name, the role stays `Leader`.
    pub enum MemberRole {
        Leader => "leader",
        DeputyLeader => "deputy_leader",
        Member => "member",
        Secretary => "secretary",
        Assistant => "assistant",
    }
}

impl MemberRole {
    /// The role a member added to a team starts with. Most of a team are plain members, and a second leader
    /// chosen by oversight would block the mission (one leader per team), so a new row never starts as leader.
    pub const NEW: MemberRole = MemberRole::Member;
}

coded_enum! {
    /// What kind of unit a supervised target is. `Unknown` is legitimate: real records say "các xã, phường: …".
    pub enum TargetKind {
        Ward => "ward",
        Commune => "commune",
        SpecialZone => "special_zone",
        District => "district",
        Province => "province",
        PartyOrg => "party_org",
        Agency => "agency",
        Unknown => "unknown",
        /// A class of bodies written as one phrase: "UBND các quận, huyện, thị xã".
        Class => "class",
        /// An unspecified subset written as one phrase: "UBND một số xã, phường".
        Subset => "subset",
    }
}

impl TargetKind {
    /// A target that names one unit, which can be counted and visited. A class ("UBND các quận, huyện") or an
    /// unspecified subset ("một số xã, phường") is neither: texts list it without a number, and no session is
    /// required at it.
    #[must_use]
    pub const fn is_one_unit(self) -> bool {
        !matches!(self, TargetKind::Class | TargetKind::Subset)
    }
}

coded_enum! {
    /// How a working session was held: a visit, or supervision through the unit's written reports.
    pub enum SessionModality {
        Direct => "direct",
        Reports => "reports",
    }
}

coded_enum! {
    /// Ưu điểm, hạn chế, nguyên nhân.
    pub enum FindingKind {
        Strength => "strength",
        Shortcoming => "shortcoming",
        Cause => "cause",
    }
}

coded_enum! {
    /// Upward: kiến nghị raised by the supervised units to higher bodies. Downward: đề nghị / kết luận of the
    /// supervising side to the units.
    pub enum Direction {
        Upward => "upward",
        Downward => "downward",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_through_from_code() {
        for kind in TargetKind::ALL {
            assert_eq!(TargetKind::from_code(kind.code()), Some(*kind));
        }
        for role in MemberRole::ALL {
            assert_eq!(MemberRole::from_code(role.code()), Some(*role));
        }
        assert_eq!(SupervisionSystem::from_code("Party"), None);
    }

    #[test]
    fn codes_list_names_every_value() {
        assert_eq!(FindingKind::codes_list(), "strength, shortcoming, cause");
    }
}
