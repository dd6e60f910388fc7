//! The raw material of synthetic missions: real place names before and after the 2025 reform, Vietnamese
//! names, positions and the phrases supervision records are written in. Data, not wording of the app: none of
//! it is shown as a label or a message.

use giamsat_domain::org::UnitKind;

/// A district (or city) of the old three-level map, its wards or communes, and what they became on 1/7/2025.
pub(super) struct Locality {
    pub province: &'static str,
    pub province_kind: UnitKind,
    pub district: &'static str,
    pub district_kind: UnitKind,
    pub old_kind: UnitKind,
    pub old: &'static [&'static str],
    pub new_kind: UnitKind,
    /// New unit name, and the indices into `old` merged into it (a unit listed under two is split).
    pub new: &'static [(&'static str, &'static [usize])],
    /// Relative frequency of missions here.
    pub weight: u32,
}

pub(super) const LOCALITIES: &[Locality] = &[
    Locality {
        province: "Hà Nội",
        province_kind: UnitKind::Municipality,
        district: "Hoàn Kiếm",
        district_kind: UnitKind::UrbanDistrict,
        old_kind: UnitKind::Ward,
        old: &[
            "Chương Dương",
            "Cửa Đông",
            "Cửa Nam",
            "Đồng Xuân",
            "Hàng Bạc",
            "Hàng Bài",
            "Hàng Bồ",
            "Hàng Bông",
            "Hàng Buồm",
            "Hàng Đào",
            "Hàng Gai",
            "Hàng Mã",
            "Hàng Trống",
            "Lý Thái Tổ",
            "Phan Chu Trinh",
            "Phúc Tân",
            "Trần Hưng Đạo",
            "Tràng Tiền",
        ],
        new_kind: UnitKind::Ward,
        new: &[
            ("Hoàn Kiếm", &[1, 3, 4, 6, 8, 9, 10, 11, 12, 13, 17]),
            ("Cửa Nam", &[2, 5, 7, 14, 16, 17]),
            ("Hồng Hà", &[0, 15]),
        ],
        weight: 12,
    },
    Locality {
        province: "Hà Nội",
        province_kind: UnitKind::Municipality,
        district: "Ba Đình",
        district_kind: UnitKind::UrbanDistrict,
        old_kind: UnitKind::Ward,
        old: &[
            "Cống Vị",
            "Điện Biên",
            "Đội Cấn",
            "Giảng Võ",
            "Kim Mã",
            "Liễu Giai",
            "Ngọc Hà",
            "Ngọc Khánh",
            "Nguyễn Trung Trực",
            "Phúc Xá",
            "Quán Thánh",
            "Thành Công",
            "Trúc Bạch",
            "Vĩnh Phúc",
        ],
        new_kind: UnitKind::Ward,
        new: &[("Ba Đình", &[1, 2, 8, 9, 10, 12]), ("Ngọc Hà", &[0, 5, 6, 13]), ("Giảng Võ", &[3, 4, 7, 11])],
        weight: 10,
    },
    Locality {
        province: "Hà Nội",
        province_kind: UnitKind::Municipality,
        district: "Hai Bà Trưng",
        district_kind: UnitKind::UrbanDistrict,
        old_kind: UnitKind::Ward,
        old: &[
            "Bạch Đằng",
            "Bách Khoa",
            "Bạch Mai",
            "Cầu Dền",
            "Đống Mác",
            "Đồng Nhân",
            "Đồng Tâm",
            "Lê Đại Hành",
            "Minh Khai",
            "Ngô Thì Nhậm",
            "Nguyễn Du",
            "Phạm Đình Hổ",
            "Phố Huế",
            "Quỳnh Lôi",
            "Quỳnh Mai",
            "Thanh Lương",
            "Thanh Nhàn",
            "Trương Định",
            "Vĩnh Tuy",
        ],
        new_kind: UnitKind::Ward,
        new: &[
            ("Hai Bà Trưng", &[0, 5, 7, 9, 10, 11, 12]),
            ("Vĩnh Tuy", &[8, 15, 18]),
            ("Bạch Mai", &[1, 2, 3, 4, 6, 13, 14, 16, 17]),
        ],
        weight: 10,
    },
    Locality {
        province: "Quảng Ninh",
        province_kind: UnitKind::Province,
        district: "Hạ Long",
        district_kind: UnitKind::ProvincialCity,
        old_kind: UnitKind::Ward,
        old: &[
            "Bạch Đằng",
            "Hồng Gai",
            "Hồng Hà",
            "Hồng Hải",
            "Hà Khẩu",
            "Hà Khánh",
            "Hà Lầm",
            "Hà Phong",
            "Hà Trung",
            "Hà Tu",
            "Hùng Thắng",
            "Tuần Châu",
            "Trần Hưng Đạo",
            "Yết Kiêu",
            "Cao Xanh",
            "Cao Thắng",
            "Việt Hưng",
            "Giếng Đáy",
            "Bãi Cháy",
        ],
        new_kind: UnitKind::Ward,
        new: &[
            ("Hồng Gai", &[0, 1, 2, 12, 13]),
            ("Hạ Long", &[3, 15]),
            ("Bãi Cháy", &[10, 17, 18]),
            ("Cao Xanh", &[5, 14]),
            ("Hà Lầm", &[6, 8]),
            ("Hà Tu", &[7, 9]),
            ("Tuần Châu", &[11]),
            ("Việt Hưng", &[4, 16]),
        ],
        weight: 8,
    },
    Locality {
        province: "Tây Ninh",
        province_kind: UnitKind::Province,
        district: "Bến Cầu",
        district_kind: UnitKind::RuralDistrict,
        old_kind: UnitKind::Commune,
        old: &[
            "Long Thuận",
            "Long Giang",
            "Long Chữ",
            "Tiên Thuận",
            "Lợi Thuận",
            "An Thạnh",
            "Long Khánh",
            "Long Phước",
        ],
        new_kind: UnitKind::Commune,
        new: &[("Bến Cầu", &[3, 4, 5]), ("Long Chữ", &[1, 2]), ("Long Thuận", &[0, 6, 7])],
        weight: 6,
    },
    Locality {
        province: "Kiên Giang",
        province_kind: UnitKind::Province,
        district: "Phú Quốc",
        district_kind: UnitKind::ProvincialCity,
        old_kind: UnitKind::Commune,
        old: &["Cửa Dương", "Cửa Cạn", "Gành Dầu", "Bãi Thơm", "Hàm Ninh", "Dương Tơ", "Hòn Thơm"],
        new_kind: UnitKind::SpecialZone,
        new: &[("Phú Quốc", &[0, 1, 2, 3, 4, 5, 6])],
        weight: 3,
    },
    // The rare place: one mission in several thousand names it.
    Locality {
        province: "Kiên Giang",
        province_kind: UnitKind::Province,
        district: "Kiên Hải",
        district_kind: UnitKind::RuralDistrict,
        old_kind: UnitKind::Commune,
        old: &["Hòn Tre", "Lại Sơn", "An Sơn", "Nam Du", "Thổ Châu"],
        new_kind: UnitKind::SpecialZone,
        new: &[("Thổ Châu", &[4]), ("Kiên Hải", &[0, 1, 2, 3])],
        weight: 0,
    },
];

/// What the rare locality's weight means: one mission in this many goes there.
pub(super) const RARE_ONE_IN: u32 = 5_000;

pub(super) const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
    "Lý", "Đinh", "Trịnh", "Mai", "Tạ",
];
pub(super) const MIDDLE_MALE: &[&str] = &["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Xuân", "Mạnh", "Ngọc"];
pub(super) const MIDDLE_FEMALE: &[&str] = &["Thị", "Thu", "Thanh", "Ngọc", "Thị Phương", "Thị Minh", "Hồng", "Kim"];
pub(super) const GIVEN_MALE: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Hải", "Hoàn", "Hùng", "Khánh", "Long", "Nam", "Phong", "Quân", "Sơn", "Thắng",
    "Tuấn", "Việt", "Vinh", "Trung", "Đạt", "Hiếu",
];
pub(super) const GIVEN_FEMALE: &[&str] = &[
    "Anh", "Chung", "Dung", "Hà", "Hằng", "Hương", "Lan", "Linh", "Mai", "Nga", "Oanh", "Phương", "Thảo", "Trang",
    "Vân", "Yến", "Hạnh", "Huyền",
];

pub(super) const TOPICS: &[&str] = &[
    "công tác lãnh đạo, chỉ đạo việc chuẩn bị và tổ chức cuộc bầu cử đại biểu Quốc hội khóa XV và đại biểu HĐND các cấp nhiệm kỳ 2021 – 2026",
    "việc thực hiện Chỉ thị số 05-CT/TW về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "công tác quản lý đất đai, trật tự xây dựng trên địa bàn",
    "việc thực hiện nhiệm vụ thu, chi ngân sách nhà nước",
    "công tác cải cách hành chính và chuyển đổi số",
    "công tác tiếp công dân, giải quyết khiếu nại, tố cáo",
    "việc thực hiện quy chế dân chủ ở cơ sở",
    "công tác phòng, chống tham nhũng, lãng phí, tiêu cực",
    "việc thực hiện chính sách bảo hiểm xã hội, bảo hiểm y tế",
    "công tác bảo đảm an toàn thực phẩm",
    "công tác phòng cháy, chữa cháy tại các khu dân cư",
    "việc quản lý, sử dụng nhà, đất công",
    "công tác xây dựng tổ chức cơ sở đảng và phát triển đảng viên",
    "việc thực hiện chính sách đối với người có công với cách mạng",
    "công tác bảo vệ môi trường và thu gom, xử lý rác thải sinh hoạt",
];
pub(super) const TOPICS_AFTER_REFORM: &[&str] = &[
    "việc sắp xếp đơn vị hành chính và vận hành chính quyền địa phương hai cấp",
    "việc tiếp nhận, giải quyết thủ tục hành chính tại Trung tâm phục vụ hành chính công",
];

pub(super) const STRENGTHS: &[&str] = &[
    "đã ban hành kịp thời các văn bản lãnh đạo, chỉ đạo, kế hoạch triển khai sát với tình hình thực tế",
    "công tác tuyên truyền được triển khai rộng khắp, bằng nhiều hình thức phù hợp với từng đối tượng",
    "việc phân công nhiệm vụ cho cán bộ, công chức rõ ràng, đúng quy định",
    "các chỉ tiêu chủ yếu đều đạt và vượt kế hoạch đề ra",
    "đã chủ động phối hợp với Ủy ban Mặt trận Tổ quốc và các đoàn thể trong quá trình triển khai",
    "hồ sơ, tài liệu được lưu trữ đầy đủ, khoa học",
    "việc tiếp nhận và xử lý phản ánh, kiến nghị của người dân được thực hiện nghiêm túc",
];
pub(super) const SHORTCOMINGS: &[&str] = &[
    "một số văn bản triển khai còn chậm so với kế hoạch",
    "việc cập nhật hồ sơ, sổ sách chưa đầy đủ, kịp thời",
    "tỷ lệ hồ sơ giải quyết đúng hạn chưa đạt chỉ tiêu đề ra",
    "công tác kiểm tra, đôn đốc có lúc chưa thường xuyên",
    "việc xử lý vi phạm trật tự xây dựng còn kéo dài",
    "một số kiến nghị của cử tri chưa được trả lời dứt điểm",
    "việc ứng dụng công nghệ thông tin trong quản lý còn hạn chế",
];
pub(super) const CAUSES: &[&str] = &[
    "khối lượng công việc lớn trong khi biên chế còn thiếu",
    "một số cán bộ chưa thực sự sâu sát cơ sở",
    "cơ sở vật chất, trang thiết bị còn hạn chế",
    "văn bản hướng dẫn của cấp trên ban hành chậm",
    "sự phối hợp giữa các cơ quan, đơn vị có lúc chưa chặt chẽ",
    "nhận thức của một bộ phận người dân còn hạn chế",
];
pub(super) const UPWARD: &[&str] = &[
    "quan tâm bổ sung kinh phí để sửa chữa trụ sở làm việc",
    "sớm ban hành văn bản hướng dẫn thống nhất về quy trình thực hiện",
    "tăng cường tập huấn nghiệp vụ cho cán bộ cơ sở",
    "xem xét bổ sung biên chế cho bộ phận một cửa",
    "chỉ đạo các cơ quan chuyên môn phối hợp giải quyết dứt điểm các vụ việc tồn đọng",
];
pub(super) const DOWNWARD: &[&str] = &[
    "tập trung khắc phục những hạn chế đã được chỉ ra",
    "rà soát, hoàn thiện hồ sơ theo đúng quy định",
    "tăng cường công tác kiểm tra, giám sát việc thực hiện",
    "đẩy mạnh ứng dụng công nghệ thông tin, chuyển đổi số",
    "chấn chỉnh công tác tiếp nhận, trả lời kiến nghị của cử tri",
    "xây dựng kế hoạch cụ thể, phân công rõ trách nhiệm từng cá nhân",
];
pub(super) const AGENCIES_DISTRICT: &[&str] = &[
    "Phòng Tài chính - Kế hoạch",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Nội vụ",
    "Phòng Quản lý đô thị",
    "Phòng Lao động - Thương binh và Xã hội",
    "Thanh tra",
    "Trung tâm Y tế",
    "Chi cục Thuế",
    "Ban Quản lý dự án đầu tư xây dựng",
    "Công an",
];
pub(super) const AGENCIES_PROVINCE: &[&str] = &[
    "Sở Tài chính",
    "Sở Nông nghiệp và Môi trường",
    "Sở Nội vụ",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Xây dựng",
    "Sở Khoa học và Công nghệ",
    "Thanh tra",
    "Công an",
];
pub(super) const PROGRESS_NOTES: &[&str] = &[
    "Đơn vị đã tiếp thu và xây dựng kế hoạch khắc phục",
    "Đơn vị báo cáo đã triển khai thực hiện",
    "Đã kiểm tra thực tế, kết quả đạt yêu cầu",
    "Đơn vị chưa thực hiện, đã có văn bản đôn đốc",
    "Nội dung được thay thế bằng kết luận giám sát mới",
    "Chuyển Ủy ban Kiểm tra xem xét theo thẩm quyền",
];
pub(super) const CATEGORIES: &[&str] =
    &["Thông tin hoạt động HĐND", "Hoạt động kiểm tra, giám sát", "Tin tức - Sự kiện"];
