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
/// After the conclusion preamble: "Để …, Đoàn Giám sát số 5 kiến nghị, đề xuất như sau:".
pub const RECOMMENDS: &str = "kiến nghị, đề xuất như sau:";
/// Recommendations that name no addressee.
pub const ADDRESSEE_UNNAMED: &str = "Kiến nghị chung";
/// A kind of finding recorded as "none".
pub const NONE_RECORDED: &str = "Không có.";
/// A part with nothing entered yet.
pub const NOTHING_YET: &str = "Chưa có nội dung.";
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
/// The archive line, last of the Nơi nhận.
pub const PARTY_ARCHIVE: &str = "Lưu Văn phòng";
pub const STATE_ARCHIVE: &str = "Lưu: VT";

/// Signature block of the team, when the organisation has set no other signatory.
pub const PARTY_FOR_TEAM: &str = "T/M ĐOÀN GIÁM SÁT";
pub const STATE_FOR_TEAM: &str = "TM. ĐOÀN GIÁM SÁT";
pub const PARTY_FOR_GROUP: &str = "T/M TỔ CÔNG TÁC";
pub const STATE_FOR_GROUP: &str = "TM. TỔ CÔNG TÁC";
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
