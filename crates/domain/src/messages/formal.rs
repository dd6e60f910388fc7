//! Wording of the formal report (báo cáo / thông báo kết quả giám sát) in the official layouts.

use std::fmt;

use crate::formal::{Layout, Margins, Overrides, SettingsError};

/// Right-hand header of a Party document (Hướng dẫn 36-HD/VPTW).
pub const PARTY_TITLE: &str = "ĐẢNG CỘNG SẢN VIỆT NAM";
/// Quốc hiệu of a State document (Nghị định 30/2020/NĐ-CP).
pub const STATE_MOTTO_NATION: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
/// Tiêu ngữ, with its spaced hyphens.
pub const STATE_MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";
/// Before the number: Party "Số 12-BC/QU" (no colon), State "Số: 15/BC-HĐND".
pub const PARTY_NUMBER_WORD: &str = "Số";
pub const STATE_NUMBER_WORD: &str = "Số:";
/// A number not yet given, left blank for the clerk.
pub const NUMBER_BLANK: &str = "     ";
/// A date not yet given: "Hoàn Kiếm, ngày     tháng     năm 2021".
pub const DATE_BLANK_DAY: &str = "ngày      tháng      năm";
/// Opens the trích yếu.
pub const RESULT_OF_SUPERVISION: &str = "kết quả giám sát";
/// Closes the opening paragraphs.
pub const RESULTS_AS_FOLLOWS: &str = "Kết quả giám sát như sau:";

pub const SECTION_RESULTS: &str = "I. KẾT QUẢ GIÁM SÁT";
pub const SECTION_ASSESSMENT: &str = "II. ĐÁNH GIÁ";
pub const SECTION_RECOMMENDATIONS: &str = "III. KIẾN NGHỊ, ĐỀ XUẤT";
pub const PARTY_STRENGTHS: &str = "1. Ưu điểm";
pub const PARTY_SHORTCOMINGS: &str = "2. Hạn chế, khuyết điểm";
pub const STATE_STRENGTHS: &str = "1. Kết quả đạt được";
pub const STATE_SHORTCOMINGS: &str = "2. Tồn tại, hạn chế";
pub const CAUSES: &str = "3. Nguyên nhân";
/// Before the addressees of a group of recommendations: "1. Đối với Quận ủy, Ủy ban Bầu cử quận".
pub const FOR_ADDRESSEE: &str = "Đối với";
/// After the conclusion preamble: "Để …, Ban Thường vụ Quận ủy đề nghị:".
pub const REQUESTS: &str = "đề nghị:";
/// Heads of the parts of section III: the units' own recommendations, then the supervising side's requests.
pub const RECOMMENDATIONS_OF: &str = "Kiến nghị của";
pub const REQUESTS_OF: &str = "Đề nghị của";
/// Before the addressees of a group of the units' recommendations: "Kiến nghị Quận ủy, Ủy ban Bầu cử quận:".
pub const RECOMMEND_TO: &str = "Kiến nghị";
/// A kind of finding recorded as "none".
pub const NONE_RECORDED: &str = "Không có.";
/// A kind of finding not entered yet: "Chưa có đánh giá về ưu điểm."
pub const NOT_ASSESSED: &str = "Chưa có đánh giá về";
/// Section II of a mission not yet supervised.
pub const NOT_SUPERVISED_YET: &str = "Chưa tiến hành giám sát nên chưa có đánh giá.";
/// Section III without any item.
pub const NO_RECOMMENDATIONS: &str = "Không có kiến nghị, đề xuất.";
pub const NO_RECOMMENDATIONS_YET: &str = "Chưa có kiến nghị, đề xuất.";
/// Section I without any target or session.
pub const NO_SESSIONS: &str = "Chưa có buổi làm việc nào.";
/// Section I, a target without a session: "- Làm việc với phường Đồng Xuân.", "- Phường Đồng Xuân: chưa làm việc.",
/// "- Dự kiến làm việc với phường Đồng Xuân."
pub const WORKED_WITH_LINE: &str = "Làm việc với";
pub const NOT_YET_WORKED: &str = "chưa làm việc";
pub const WILL_WORK_WITH: &str = "Dự kiến làm việc với";
/// A subject that is itself a result ("kết quả thực hiện …") follows "kết quả giám sát" as "việc thực hiện …".
pub const RESULT_FOLDED: &str = "ket qua";
pub const MATTER: &str = "việc";
/// The sessions: "Ngày 23/3/2021, làm việc trực tiếp với phường Hàng Bạc."
pub const ON_DAY: &str = "Ngày";
pub const WORKED_DIRECTLY_WITH: &str = "làm việc trực tiếp với";
pub const REVIEWED_REPORT_OF: &str = "giám sát qua báo cáo của";
pub const WORKED_WITH: &str = "làm việc với";
/// No session recorded: "Đoàn giám sát tiến hành giám sát tại 3 phường: …".
pub const SUPERVISED: &str = "tiến hành giám sát";

pub const RECIPIENTS_HEADING: &str = "Nơi nhận:";
/// The recipients' line of supervised wards or communes: "Đảng ủy các phường: Đồng Xuân, …".
pub const PARTY_COMMITTEE_OF: &str = "Đảng ủy";
pub const PEOPLES_COMMITTEE_OF: &str = "UBND";
pub const THE: &str = "các";
/// More supervised units than a line holds: "Đảng ủy 150 xã được giám sát".
pub const SUPERVISED_SUFFIX: &str = "được giám sát";
/// The archive line, last of the Nơi nhận: a committee's office keeps it ("Lưu Văn phòng Quận ủy"); a body
/// without an office of its own keeps it itself ("Lưu Ban Dân vận").
pub const PARTY_ARCHIVE: &str = "Lưu Văn phòng";
pub const PARTY_ARCHIVE_OWN: &str = "Lưu";
pub const STATE_ARCHIVE: &str = "Lưu: VT";
/// Folded first words of an owner that is a body of a committee, not the committee ("Ban Dân vận Huyện ủy").
pub const NOT_A_COMMITTEE_FOLDED: &[&str] = &["ban ", "uy ban ", "van phong ", "to "];
/// Folded last word of a Party committee's short name ("Quận ủy", "Đảng ủy").
pub const COMMITTEE_FOLDED: &str = "uy";
/// After the body a team reports to: "Ban Thường vụ Quận ủy (để báo cáo)".
pub const FOR_REPORTING: &str = "(để báo cáo)";
/// Folded start of a superior line that names a Party organisation, not a body one can send to ("Đảng bộ …").
pub const PARTY_ORGANISATION_FOLDED: &str = "dang bo";
/// Abbreviations a header line writes in full (Hướng dẫn 36, Nghị định 30): the longest first.
pub const HEADER_ABBREVIATIONS: &[(&str, &str)] = &[
    ("TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
    ("TP.HCM", "Thành phố Hồ Chí Minh"),
    ("TPHCM", "Thành phố Hồ Chí Minh"),
    ("TP HCM", "Thành phố Hồ Chí Minh"),
    ("HĐND", "Hội đồng nhân dân"),
    ("UBND", "Ủy ban nhân dân"),
    ("MTTQ", "Mặt trận Tổ quốc"),
    ("TP.", "Thành phố"),
    ("Tp.", "Thành phố"),
    ("TP", "Thành phố"),
];
/// Folded words a superior body may be abbreviated to inside a body's name ("Ban … HĐND tỉnh X" under "Hội
/// đồng nhân dân tỉnh X").
pub const FOLDED_EXPANSIONS: &[(&str, &str)] = &[
    ("hdnd", "hoi dong nhan dan"),
    ("ubnd", "uy ban nhan dan"),
    ("mttq", "mat tran to quoc"),
    ("tp", "thanh pho"),
    ("tphcm", "thanh pho ho chi minh"),
];
/// Folded names of the body a body belongs to, which a signature block leaves out ("Ban Văn hóa - Xã hội HĐND
/// tỉnh" signs "TM. BAN VĂN HÓA - XÃ HỘI"; "Thường trực HĐND tỉnh" keeps it: "TM. THƯỜNG TRỰC HĐND").
pub const PARENT_MARKERS_FOLDED: &[&str] = &[
    "hdnd",
    "hoi dong nhan dan",
    "ubnd",
    "uy ban nhan dan",
    "quan uy",
    "huyen uy",
    "thi uy",
    "thanh uy",
    "tinh uy",
    "dang uy",
    "mttq",
];
/// Folded head word of a body that signs together with its parent's name.
pub const STANDING_FOLDED: &str = "thuong truc";
/// Signing titles by the kind of body (folded start of its name), each with the folded words a leader's position
/// holds to sign with it: the deputy's first. A State body is "HĐND …"; the rest are Party bodies.
pub const SIGNING_TITLES: &[(&str, &[(&str, &str)])] = &[
    ("ban thuong vu", &[("pho bi thu", "PHÓ BÍ THƯ"), ("bi thu", "BÍ THƯ")]),
    ("thuong truc hdnd", &[("pho chu tich", "PHÓ CHỦ TỊCH"), ("chu tich", "CHỦ TỊCH")]),
    ("thuong truc hoi dong nhan dan", &[("pho chu tich", "PHÓ CHỦ TỊCH"), ("chu tich", "CHỦ TỊCH")]),
    ("thuong truc", &[("pho bi thu", "PHÓ BÍ THƯ"), ("bi thu", "BÍ THƯ")]),
    ("uy ban kiem tra", &[("pho chu nhiem", "PHÓ CHỦ NHIỆM"), ("chu nhiem", "CHỦ NHIỆM")]),
    ("ban", &[("pho truong ban", "PHÓ TRƯỞNG BAN"), ("truong ban", "TRƯỞNG BAN")]),
    ("to dai bieu", &[("to pho", "TỔ PHÓ"), ("to truong", "TỔ TRƯỞNG")]),
    ("hdnd", &[("pho chu tich", "PHÓ CHỦ TỊCH"), ("chu tich", "CHỦ TỊCH")]),
    ("hoi dong nhan dan", &[("pho chu tich", "PHÓ CHỦ TỊCH"), ("chu tich", "CHỦ TỊCH")]),
    ("dang uy", &[("pho bi thu", "PHÓ BÍ THƯ"), ("bi thu", "BÍ THƯ")]),
    ("quan uy", &[("pho bi thu", "PHÓ BÍ THƯ"), ("bi thu", "BÍ THƯ")]),
    ("huyen uy", &[("pho bi thu", "PHÓ BÍ THƯ"), ("bi thu", "BÍ THƯ")]),
    ("thi uy", &[("pho bi thu", "PHÓ BÍ THƯ"), ("bi thu", "BÍ THƯ")]),
    ("thanh uy", &[("pho bi thu", "PHÓ BÍ THƯ"), ("bi thu", "BÍ THƯ")]),
    ("tinh uy", &[("pho bi thu", "PHÓ BÍ THƯ"), ("bi thu", "BÍ THƯ")]),
    ("uy ban mat tran", &[("pho chu tich", "PHÓ CHỦ TỊCH"), ("chu tich", "CHỦ TỊCH")]),
];
/// The code of a State report's issuer when no decision gives it ("Số:      /BC-HĐND").
pub const COUNCIL_CODE: &str = "HĐND";
pub const FRONT_CODE: &str = "MTTQ";
/// Folded kind words of localities, left out of a Party issuer's code ("Đảng ủy phường X" → "ĐU").
pub const LOCALITY_WORDS_FOLDED: &[&str] =
    &["phuong", "xa", "quan", "huyen", "tinh", "thanh pho", "thi xa", "thi tran", "dac khu"];

/// Signature block of the team, when the organisation has set no other signatory.
pub const PARTY_FOR_TEAM: &str = "T/M ĐOÀN GIÁM SÁT";
pub const STATE_FOR_TEAM: &str = "TM. ĐOÀN GIÁM SÁT";
pub const PARTY_FOR_GROUP: &str = "T/M TỔ CÔNG TÁC";
pub const STATE_FOR_GROUP: &str = "TM. TỔ CÔNG TÁC";
/// Signing for a body: "T/M BAN DÂN VẬN", "TM. BAN VĂN HÓA - XÃ HỘI".
pub const PARTY_FOR: &str = "T/M";
pub const STATE_FOR: &str = "TM.";
pub const TEAM_LEADER: &str = "TRƯỞNG ĐOÀN";
pub const GROUP_LEADER: &str = "TỔ TRƯỞNG";

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::NotAReport => f.write_str(
                "Báo cáo kết quả giám sát là báo cáo (BC) hoặc thông báo (TB); số này là loại văn bản khác.",
            ),
            SettingsError::NumberKindDiffers { number, chosen } => {
                write!(f, "Số này là của một {}, nhưng loại văn bản đã chọn là {}.", number.name_vi(), chosen.name_vi())
            }
            SettingsError::NumberOfOtherLayout(Layout::Party) => {
                f.write_str("Văn bản của Đảng ghi số theo mẫu 12-BC/QU (số - loại/cơ quan).")
            }
            SettingsError::NumberOfOtherLayout(Layout::State) => {
                f.write_str("Văn bản của HĐND, Mặt trận ghi số theo mẫu 15/BC-HĐND (số/loại-cơ quan).")
            }
            SettingsError::MarginOutOfRange => {
                write!(f, "Lề là một số milimét từ {} đến {}.", Margins::MIN_MM, Margins::MAX_MM)
            }
            SettingsError::TooManyRecipients => {
                write!(f, "Nơi nhận có nhiều nhất {} dòng.", Overrides::MAX_RECIPIENTS)
            }
        }
    }
}

/// The kind of a formal report was not one of the list.
pub const CHOOSE_KIND: &str = "Chọn báo cáo hoặc thông báo.";
