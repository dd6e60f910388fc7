//! Vietnamese labels of the closed vocabularies, as forms, lists and documents show them.

use crate::codes::{
    Direction, FindingKind, MemberRole, SessionModality, SupervisionForm, SupervisionSystem, TargetKind,
};
use crate::policy::{Capacity, Role};
use crate::recommendation::RecStatus;
use crate::workflow::MissionState;

/// Beside the confirmation box of the cancel form, when a cancellation was sent without it ticked.
pub const CANCEL_UNCONFIRMED: &str = "Đánh dấu ô xác nhận để hủy cuộc giám sát.";

#[must_use]
pub const fn system(value: SupervisionSystem) -> &'static str {
    match value {
        SupervisionSystem::Party => "Giám sát của Đảng",
        SupervisionSystem::Council => "Giám sát của HĐND",
        SupervisionSystem::Front => "Giám sát của MTTQ",
    }
}

#[must_use]
pub const fn form(value: SupervisionForm) -> &'static str {
    match value {
        SupervisionForm::Thematic => "Chuyên đề",
        SupervisionForm::Regular => "Thường xuyên",
    }
}

/// The role as a team list writes it; a working group ("Tổ công tác") says "Tổ trưởng", "Tổ phó".
#[must_use]
pub const fn role(value: MemberRole, working_group: bool) -> &'static str {
    match (value, working_group) {
        (MemberRole::Leader, false) => "Trưởng đoàn",
        (MemberRole::Leader, true) => "Tổ trưởng",
        (MemberRole::DeputyLeader, false) => "Phó trưởng đoàn",
        (MemberRole::DeputyLeader, true) => "Tổ phó",
        (MemberRole::Member, _) => "Thành viên",
        (MemberRole::Secretary, _) => "Thư ký",
        (MemberRole::Assistant, _) => "Cán bộ giúp việc",
    }
}

/// The word that precedes a target's name in a sentence ("phường Hàng Bạc"), when the kind has one. Party
/// organisations and agencies are named in full already; districts and provinces have several words (quận,
/// huyện, thị xã; tỉnh, thành phố), so the record's name stands alone.
#[must_use]
pub const fn kind_word(kind: TargetKind) -> Option<&'static str> {
    match kind {
        TargetKind::Ward => Some("phường"),
        TargetKind::Commune => Some("xã"),
        TargetKind::SpecialZone => Some("đặc khu"),
        TargetKind::District
        | TargetKind::Province
        | TargetKind::PartyOrg
        | TargetKind::Agency
        | TargetKind::Unknown
        | TargetKind::Class
        | TargetKind::Subset => None,
    }
}

/// A target named in running text: "phường Hàng Bạc", "Đảng ủy phường Hàng Bạc", "đơn vị Tân Lập".
#[must_use]
pub fn target_with_kind(kind: TargetKind, name: &str) -> String {
    match kind_word(kind) {
        Some(word) => format!("{word} {name}"),
        None if matches!(kind, TargetKind::PartyOrg | TargetKind::Agency) => crate::text::capitalize_first(name),
        None if !kind.is_one_unit() => name.to_owned(),
        None => format!("đơn vị {name}"),
    }
}

#[must_use]
pub const fn target_kind(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::Ward => "Phường",
        TargetKind::Commune => "Xã",
        TargetKind::SpecialZone => "Đặc khu",
        TargetKind::District => "Quận, huyện, thị xã",
        TargetKind::Province => "Tỉnh, thành phố",
        TargetKind::PartyOrg => "Tổ chức đảng",
        TargetKind::Agency => "Cơ quan, đơn vị",
        TargetKind::Unknown => "Chưa rõ loại",
        TargetKind::Class => "Nhóm cơ quan, đơn vị (các …)",
        TargetKind::Subset => "Một số đơn vị (chưa nêu tên)",
    }
}

#[must_use]
pub const fn modality(value: SessionModality) -> &'static str {
    match value {
        SessionModality::Direct => "Trực tiếp",
        SessionModality::Reports => "Qua báo cáo",
    }
}

#[must_use]
pub const fn finding_kind(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Strength => "Ưu điểm",
        FindingKind::Shortcoming => "Hạn chế",
        FindingKind::Cause => "Nguyên nhân",
    }
}

/// A recommendation's direction, in lists and headings: "Kiến nghị (gửi lên)", "Đề nghị, kết luận (gửi xuống)".
#[must_use]
pub const fn direction(value: Direction) -> &'static str {
    match value {
        Direction::Upward => "Kiến nghị (gửi lên)",
        Direction::Downward => "Đề nghị, kết luận (gửi xuống)",
    }
}

/// [`direction`] in full, on a recommendation's own page: who raised it.
#[must_use]
pub const fn direction_in_full(value: Direction) -> &'static str {
    match value {
        Direction::Upward => "Kiến nghị của đơn vị được giám sát (gửi lên)",
        Direction::Downward => "Đề nghị, kết luận của bên giám sát (gửi xuống)",
    }
}

#[must_use]
pub const fn mission_state(state: MissionState) -> &'static str {
    match state {
        MissionState::Planned => "Kế hoạch",
        MissionState::Decided => "Đã có quyết định",
        MissionState::Notified => "Đã thông báo",
        MissionState::InProgress => "Đang giám sát",
        MissionState::Drafting => "Đang dự thảo báo cáo",
        MissionState::Concluded => "Đã kết luận",
        MissionState::FollowUp => "Theo dõi thực hiện",
        MissionState::Closed => "Hoàn thành",
        MissionState::Cancelled => "Đã hủy",
    }
}

/// The button that moves a mission to `to`.
#[must_use]
pub const fn transition_action(to: MissionState) -> &'static str {
    match to {
        MissionState::Planned => "Đưa về kế hoạch",
        MissionState::Decided => "Ghi nhận quyết định",
        MissionState::Notified => "Đã thông báo cho đơn vị",
        MissionState::InProgress => "Bắt đầu giám sát",
        MissionState::Drafting => "Kết thúc làm việc, dự thảo báo cáo",
        MissionState::Concluded => "Ban hành kết luận",
        MissionState::FollowUp => "Chuyển theo dõi kiến nghị",
        MissionState::Closed => "Hoàn thành",
        MissionState::Cancelled => "Hủy cuộc giám sát",
    }
}

#[must_use]
pub const fn rec_status(status: RecStatus) -> &'static str {
    match status {
        RecStatus::Issued => "Đã ban hành",
        RecStatus::Acknowledged => "Đã tiếp nhận",
        RecStatus::InProgress => "Đang thực hiện",
        RecStatus::Implemented => "Đã thực hiện",
        RecStatus::NotImplemented => "Không thực hiện",
        RecStatus::Superseded => "Không còn phù hợp",
        RecStatus::EscalatedInspection => "Chuyển kiểm tra",
        RecStatus::EscalatedResupervision => "Tái giám sát",
    }
}

#[must_use]
pub const fn user_role(role: Role) -> &'static str {
    match role {
        Role::Admin => "Quản trị hệ thống",
        Role::Staff => "Cán bộ văn phòng",
        Role::TeamLeader => "Trưởng đoàn",
        Role::TeamMember => "Thành viên đoàn",
        Role::Writer => "Người viết báo cáo",
        Role::Viewer => "Người xem",
    }
}

/// A change of a mission as its audit row names it (`Edit::action`, transitions), said as what someone did.
#[must_use]
pub fn mission_change(action: &str) -> &'static str {
    match action {
        "mission.create" | "mission.import" => "tạo cuộc giám sát",
        "mission.edit" => "sửa thông tin chung của cuộc giám sát",
        "mission.members" => "sửa danh sách thành viên đoàn",
        "mission.transition" => "chuyển bước của cuộc giám sát",
        "mission.cancel_reason" => "hủy cuộc giám sát",
        "target.add" => "thêm một đơn vị được giám sát",
        "target.update" => "sửa một đơn vị được giám sát",
        "target.remove" => "xóa một đơn vị được giám sát",
        "session.add" => "thêm một buổi làm việc",
        "session.update" => "sửa một buổi làm việc",
        "session.remove" => "xóa một buổi làm việc",
        "photo.add" => "thêm ảnh vào một buổi làm việc",
        "finding.add" => "thêm một kết quả giám sát",
        "finding.update" => "sửa một kết quả giám sát",
        "finding.remove" => "xóa một kết quả giám sát",
        "finding.none_recorded" => "ghi nhận loại kết quả \"không có\"",
        "recommendation.add" => "thêm một kiến nghị, đề nghị",
        "recommendation.update" => "sửa một kiến nghị, đề nghị",
        "recommendation.remove" => "xóa một kiến nghị, đề nghị",
        _ => "cập nhật cuộc giám sát",
    }
}

/// The word that names an administrative unit of `kind` in running text ("phường Hàng Bạc").
#[must_use]
pub const fn unit_kind_word(kind: crate::org::UnitKind) -> &'static str {
    use crate::org::UnitKind;
    match kind {
        UnitKind::Province => "tỉnh",
        UnitKind::Municipality | UnitKind::ProvincialCity => "thành phố",
        UnitKind::UrbanDistrict => "quận",
        UnitKind::RuralDistrict => "huyện",
        UnitKind::Town => "thị xã",
        UnitKind::Ward => "phường",
        UnitKind::Commune => "xã",
        UnitKind::Township => "thị trấn",
        UnitKind::SpecialZone => "đặc khu",
    }
}

/// The kind of an administrative unit as the directory lists it, cities told apart.
#[must_use]
pub const fn unit_kind(kind: crate::org::UnitKind) -> &'static str {
    use crate::org::UnitKind;
    match kind {
        UnitKind::Municipality => "thành phố trực thuộc Trung ương",
        UnitKind::ProvincialCity => "thành phố thuộc tỉnh",
        other => unit_kind_word(other),
    }
}

/// When a unit existed: "từ 01/7/2025", "đến hết 30/6/2025", "01/01/2020 – 30/6/2025", or nothing.
#[must_use]
pub fn validity(from: Option<chrono::NaiveDate>, to: Option<chrono::NaiveDate>) -> String {
    use crate::date::format_short;
    match (from, to) {
        (None, None) => String::new(),
        (Some(from), None) => format!("từ {}", format_short(from)),
        (None, Some(to)) => format!("đến hết {}", format_short(to)),
        (Some(from), Some(to)) => format!("{} – {}", format_short(from), format_short(to)),
    }
}

/// A step of a unit's history: "nhập vào phường Hoàn Kiếm từ 01/7/2025".
#[must_use]
pub fn lineage_step(kind: crate::org::LineageKind, partial: bool, to: &str, on: chrono::NaiveDate) -> String {
    use crate::org::LineageKind;
    let verb = match (kind, partial) {
        (LineageKind::MergedInto, _) => "nhập vào",
        (LineageKind::SplitInto, true) => "một phần nhập vào",
        (LineageKind::SplitInto, false) => "tách thành",
        (LineageKind::RenamedTo, _) => "đổi tên thành",
    };
    format!("{verb} {to} từ {}", crate::date::format_short(on))
}

/// Where a unit came from: "có từ phường Hàng Bạc (01/7/2025)".
#[must_use]
pub fn lineage_origin(from: &str, on: chrono::NaiveDate) -> String {
    format!("có từ {from} ({})", crate::date::format_short(on))
}

/// An account's place on a team it is assigned to.
#[must_use]
pub const fn capacity(capacity: Capacity) -> &'static str {
    match capacity {
        Capacity::Leader => "Trưởng đoàn",
        Capacity::Member => "Thành viên",
    }
}

/// A session as search results name it: "Buổi làm việc với phường Hàng Bạc, ngày 23/3/2021".
#[must_use]
pub fn session(target: &str, date: Option<chrono::NaiveDate>) -> String {
    match date {
        Some(date) => format!("Buổi làm việc với {target}, ngày {}", crate::date::format_short(date)),
        None => format!("Buổi làm việc với {target} ({UNDATED})"),
    }
}

/// What a search result is, by the kind of its index row.
#[must_use]
pub fn search_kind(kind: &str) -> &'static str {
    match kind {
        "mission" => "Cuộc giám sát",
        "target" => "Đơn vị được giám sát",
        "session" => "Biên bản buổi làm việc",
        "finding" => "Kết quả giám sát",
        "recommendation" => "Kiến nghị, đề nghị",
        "unit" => "Đơn vị hành chính",
        _ => "Thành viên đoàn",
    }
}

/// What an audit row's `action` did, as the audit log names it (lower case, like [`mission_change`]); an
/// action this version does not know is shown as its code by the caller.
#[must_use]
pub fn audit_action(action: &str) -> Option<&'static str> {
    Some(match action {
        "mission.assign" => "phân công tài khoản vào cuộc giám sát",
        "mission.unassign" => "bỏ phân công tài khoản khỏi cuộc giám sát",
        "decision.update" => "sửa quyết định thành lập đoàn",
        "user.create" => "tạo tài khoản",
        "user.password" => "đặt mật khẩu",
        "user.reset" => "đặt lại mật khẩu, kết thúc các phiên đăng nhập",
        "user.disable" => "khóa tài khoản",
        "user.enable" => "mở lại tài khoản",
        "user.role" => "đổi vai trò, đơn vị của tài khoản",
        "api_token.create" => "tạo mã truy cập API",
        "api_token.revoke" => "thu hồi mã truy cập API",
        "calendar.create" => "tạo địa chỉ lịch",
        "calendar.revoke" => "thu hồi địa chỉ lịch",
        "report.create" => "tạo bài viết",
        "report.edit" => "sửa bài viết",
        "report.send_back" => "trả lại bài viết để sửa",
        "report.request_approval" => "gửi bài viết để duyệt",
        "report.approve" => "duyệt bài viết",
        "report.publish" => "đăng bài viết",
        "report.withdraw" => "rút bài viết về bản nháp",
        "formal_settings.save" => "lưu thiết lập báo cáo kết quả giám sát",
        "recommendation.status" => "cập nhật tình trạng thực hiện kiến nghị",
        "recommendation.progress" => "cập nhật tiến độ thực hiện kiến nghị",
        "recommendation.due" => "đổi thời hạn thực hiện kiến nghị",
        "recommendation.assign" => "giao người theo dõi kiến nghị",
        "recommendation.link" => "liên kết kiến nghị",
        _ if mission_change(action) != mission_change("") => mission_change(action),
        _ => return None,
    })
}

/// The actor labels of audited changes not made by an account.
pub const AUDIT_ACTOR_LABELS: [&str; 3] = ["cli", "system", "setup-link"];

/// Who made an audited change when it was not an account: the command line, the system, a one-time link.
#[must_use]
pub fn audit_actor(label: &str) -> Option<&'static str> {
    match label {
        "cli" => Some("Dòng lệnh"),
        "system" => Some("Hệ thống"),
        "setup-link" => Some("Liên kết dùng một lần"),
        _ => None,
    }
}

/// The audit log's word for a field that appeared, and for one that went.
pub const AUDIT_ADDED: &str = "thêm";
pub const AUDIT_REMOVED: &str = "bỏ";
/// The audit log's note under a row with more changed fields than it shows: "và 12 thay đổi khác".
#[must_use]
pub fn audit_more(count: usize) -> String {
    format!("… và {count} thay đổi khác")
}
/// An account named by the audit trail that no longer exists.
#[must_use]
pub fn audit_removed_account(id: i64) -> String {
    format!("Tài khoản #{id} (đã xóa)")
}

/// Who made a change when no account is named (the command line, the system, a removed account).
pub const SOMEONE: &str = "Một người dùng khác";

/// The confirmation a page shows after a save: "Đã lưu".
pub const SAVED: &str = "Đã lưu.";

/// A session whose date is not recorded.
pub const UNDATED: &str = "chưa rõ ngày";

/// The recording page's save when its session was changed (its unit or date) or removed meanwhile.
pub const SESSION_CHANGED: &str = "Buổi làm việc này vừa được người khác sửa (đơn vị, ngày) hoặc xóa. Nội dung bạn nhập vẫn được giữ; mở lại buổi làm việc từ trang cuộc giám sát rồi lưu.";

/// Beside the first photo field when a photo save carries no photo.
pub const NO_PHOTO: &str = "Chọn ít nhất một ảnh.";

#[cfg(test)]
mod tests {
    use super::{AUDIT_ACTOR_LABELS, audit_action, audit_actor};

    /// Every action code the store records (`grep -rn 'action:' crates/store`, `Edit::action`, the ledger's
    /// `Write::action`, the reports' steps) has its words.
    #[test]
    fn every_recorded_action_and_actor_has_a_label() {
        for code in [
            "mission.create",
            "mission.edit",
            "mission.members",
            "mission.transition",
            "mission.cancel_reason",
            "mission.assign",
            "mission.unassign",
            "decision.update",
            "target.add",
            "target.update",
            "target.remove",
            "session.add",
            "session.update",
            "session.remove",
            "photo.add",
            "finding.add",
            "finding.update",
            "finding.remove",
            "finding.none_recorded",
            "recommendation.add",
            "recommendation.update",
            "recommendation.remove",
            "recommendation.status",
            "recommendation.progress",
            "recommendation.due",
            "recommendation.assign",
            "recommendation.link",
            "user.create",
            "user.password",
            "user.reset",
            "user.disable",
            "user.enable",
            "user.role",
            "api_token.create",
            "api_token.revoke",
            "calendar.create",
            "calendar.revoke",
            "report.create",
            "report.edit",
            "report.send_back",
            "report.request_approval",
            "report.approve",
            "report.publish",
            "report.withdraw",
            "formal_settings.save",
        ] {
            assert!(audit_action(code).is_some(), "{code}");
        }
        assert_eq!(audit_action("something.new"), None, "an unknown code is shown as it is");
        for label in AUDIT_ACTOR_LABELS {
            assert!(audit_actor(label).is_some(), "{label}");
        }
        assert_eq!(audit_actor("user:3"), None);
    }
}
