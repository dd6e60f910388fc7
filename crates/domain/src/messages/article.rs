//! Wording of the news article ([`crate::article`]) and of the phrases the formal report borrows from it. The
//! composer only assembles these.

/// Opens the lead: "Thực hiện Quyết định số …".
pub const CARRYING_OUT: &str = "Thực hiện";
/// Between the kind of document and its number: "Quyết định số 109-QĐ/QU".
pub const NUMBER_WORD: &str = "số";
/// The launching document when its number (and so its kind) is unknown: "Thực hiện quyết định của …".
pub const DECISION_WORD: &str = "quyết định";
/// A launching document without a type code: "Công văn số 628/HĐND-VHXH".
pub const CONG_VAN_WORD: &str = "công văn";
/// Before a date: "…, ngày 09/3/2021".
pub const ON_DAY: &str = "ngày";
/// Before an issuer or a supervising body: "của Quận ủy".
pub const OF: &str = "của";
/// Before the trích yếu: "về việc thành lập …".
pub const ABOUT: &str = "về việc";
/// Prefixes of a trích yếu that already carries its "về việc", in lower case.
pub const ABOUT_PREFIXES: &[&str] = &["về việc ", "v/v ", "v/v: ", "v/v. "];
/// Joins a programme and a decision: "Thực hiện Chương trình … và Quyết định số …".
pub const AND: &str = "và";
/// Folded words that name a team in a trích yếu ("thành lập Đoàn giám sát …", "thành lập Tổ công tác …").
pub const TEAM_WORDS_FOLDED: &[&str] = &["doan giam sat", "to giam sat", "to cong tac", "doan kiem tra, giam sat"];
/// The folded plural marker before a team word: "thành lập các đoàn giám sát" forms several teams.
pub const PLURAL_FOLDED: &str = "cac";
/// Before the leader: "do đồng chí Nguyễn Thị Phương Chung".
pub const LED_BY_COMRADE: &str = "do đồng chí";
/// Between a name and its positions: "Nguyễn Quốc Hoàn – Ủy viên Ban Thường vụ Quận ủy".
pub const POSITION_DASH: &str = "–";
/// Before the leader's title: "làm Trưởng Đoàn".
pub const AS: &str = "làm";
/// The leader's title in the lead, capitalised as the seed article has it; a working group takes
/// [`super::labels::role`] ("Tổ trưởng").
pub const LEADER_TITLE: &str = "Trưởng Đoàn";
/// The verb of the lead, by how far the mission has got: "đã tổ chức giám sát công tác …".
pub const CARRIED_OUT_SUPERVISION: &str = "đã tổ chức giám sát";
pub const CARRYING_OUT_SUPERVISION: &str = "tiến hành giám sát";
pub const WILL_SUPERVISE: &str = "sẽ tổ chức giám sát";
/// The verb of the title: "Đoàn Giám sát số 5 giám sát …", "… sẽ giám sát …".
pub const SUPERVISES: &str = "giám sát";
pub const WILL_SUPERVISE_SHORT: &str = "sẽ giám sát";
/// The title's verb after an actor whose name ends in "giám sát" ("Đoàn giám sát tiến hành giám sát …").
pub const SUPERVISES_AFTER_TEAM_WORD: &str = "tiến hành giám sát";
/// "giám sát" folded: the ending of an actor's name that the verb would double, and the opening of a trích yếu
/// that may repeat the subject.
pub const SUPERVISION_FOLDED: &str = "giam sat";
/// Before the targets: "tại 3 phường: …", "tại phường Hàng Bạc".
pub const AT: &str = "tại";
/// Before the units supervised through their written reports: "…; đồng thời giám sát qua báo cáo của xã C".
pub const ALSO_THROUGH_REPORTS_OF: &str = "đồng thời giám sát qua báo cáo của";
pub const THROUGH_REPORTS_OF: &str = "qua báo cáo của";
/// The progress of a mission under way: "Đến nay, Đoàn đã làm việc với phường Hàng Bạc."
pub const SO_FAR: &str = "Đến nay,";
pub const HAS_WORKED_WITH: &str = "đã làm việc với";
/// Counting noun of targets of different or unknown kinds: "tại 9 đơn vị: …"; also "đơn vị Tân Lập".
pub const UNITS: &str = "đơn vị";
/// Counting noun of Party organisations: "tại 3 tổ chức đảng: …".
pub const PARTY_ORGS: &str = "tổ chức đảng";
/// Counting noun of districts or provinces, whose names carry their own kind word: "tại 3 địa phương: …".
pub const LOCALITIES: &str = "địa phương";
/// Plural marker: "các phường", "các phường Đồng Xuân và Hàng Bạc".
pub const PLURAL: &str = "các";
/// Opens the composition paragraph after a lead that named the leader.
pub const ALSO_ATTENDING: &str = "Cùng tham dự";
/// Opens the composition paragraph when the lead named no leader.
pub const TAKING_PART: &str = "Tham gia";
/// The composition of a body's supervision (no team name): "Cùng tham gia giám sát có các đồng chí: …".
pub const ALSO_TAKING_PART_IN_SUPERVISION: &str = "Cùng tham gia giám sát";
pub const TAKING_PART_IN_SUPERVISION: &str = "Tham gia giám sát";
/// "… có các đồng chí: A, Phó trưởng đoàn và …".
pub const HAS_COMRADES: &str = "có các đồng chí:";
/// "… có đồng chí A – …, Phó trưởng đoàn."
pub const HAS_COMRADE: &str = "có đồng chí";
/// "… có các đồng chí thành viên là …" (the group's description follows as written).
pub const HAS: &str = "có";
/// Before a named member who follows an unnamed group: "… và đồng chí A".
pub const COMRADE: &str = "đồng chí";
/// Opens the findings.
pub const FINDINGS_INTRO: &str = "Qua giám sát cho thấy,";
/// Opens the shortcomings after strengths.
pub const SHORTCOMINGS_AFTER_STRENGTHS: &str = "Bên cạnh những kết quả đạt được,";
/// Opens the causes after strengths or shortcomings.
pub const CAUSES_INTRO: &str = "Về nguyên nhân,";
/// Opens the upward recommendations when there were several sessions or targets.
pub const AT_THE_SESSIONS: &str = "Tại các buổi giám sát,";
/// Opens the upward recommendations of a single session at a single target.
pub const AT_THE_SESSION: &str = "Tại buổi giám sát,";
/// The units' verb: "các phường đã kiến nghị Quận ủy …".
pub const HAVE_RECOMMENDED: &str = "đã kiến nghị";
/// Introduces a further addressee of the same units: "…; kiến nghị UBND quận …".
pub const RECOMMENDED: &str = "kiến nghị";
/// The supervising side's verb: "Ban Thường vụ Quận ủy đề nghị …".
pub const REQUESTS: &str = "đề nghị";
/// The same issuer's further requests: "Ban Thường vụ Quận ủy cũng đề nghị UBND quận …".
pub const ALSO_REQUESTS: &str = "cũng đề nghị";
/// Words that start a shared trailing part of addressees ("Đảng ủy, Ban Chỉ đạo bầu cử các phường";
/// "Thường trực HĐND, UBND tỉnh"), in lower case.
pub const SHARED_TAIL_STARTS: &[&str] =
    &["các ", "phường ", "xã ", "đặc khu ", "thị trấn ", "quận ", "huyện ", "thị xã ", "thành phố ", "tỉnh "];
/// Where a long subject may be cut for a headline, keeping what comes before: "việc thực hiện chính sách về
/// bảo hiểm y tế| trên địa bàn tỉnh| giai đoạn 2021 – 2023".
pub const SUBJECT_BREAKS: &[&str] = &[
    ", ",
    "; ",
    " trên địa bàn",
    " giai đoạn",
    " nhiệm kỳ",
    " năm 20",
    " từ năm",
    " đến năm",
    " theo ",
    " gắn với",
    " đối với",
    " tại ",
    " và ",
];
/// Words a shortened subject may not end with ("… của", "… và").
pub const DANGLING_WORDS: &[&str] =
    &["và", "của", "về", "các", "những", "trong", "tại", "với", "đối", "theo", "trên", "cho", "việc", "để", "là"];
/// The most words a headline has: the seed's published headline has 40.
pub const HEADLINE_MAX_WORDS: usize = 40;
/// First words (lower case) that open a name ("Ban Thường vụ …", "Ủy ban nhân dân …", "Chỉ thị 45-CT/TW …"),
/// with the second words that make them one where the first word alone is also a common word ("Công an" but
/// "công tác", "Ban Thường vụ" but "ban hành"); an empty list accepts any second word. A clause quoted inside a
/// sentence keeps its capital only after such a start: any other ("kiến nghị Quận ủy Đề nghị …") is the clerk's
/// and is lowered.
pub const NAME_STARTS: &[(&str, &[&str])] = &[
    ("ủy", &[]),
    ("uỷ", &[]),
    ("quận", &[]),
    ("huyện", &[]),
    ("tỉnh", &[]),
    ("đảng", &[]),
    ("chi", &["bộ", "cục"]),
    ("sở", &[]),
    ("cục", &[]),
    ("viện", &[]),
    ("tòa", &["án"]),
    ("mặt", &["trận"]),
    ("đoàn", &[]),
    (
        "ban",
        &[
            "thường",
            "chỉ",
            "dân",
            "tuyên",
            "tổ",
            "kiểm",
            "kinh",
            "văn",
            "pháp",
            "nội",
            "quản",
            "đô",
            "bầu",
            "công",
            "tiếp",
            "giám",
            "dân",
            "đại",
        ],
    ),
    ("thành", &["ủy", "uỷ", "phố", "đoàn"]),
    ("thị", &["ủy", "uỷ", "xã", "trấn"]),
    ("chỉ", &["thị"]),
    ("công", &["an", "ty", "văn", "đoàn"]),
    ("kế", &["hoạch"]),
    ("chương", &["trình"]),
    ("nghị", &["quyết", "định"]),
    ("quyết", &["định"]),
    ("luật", &[]),
    ("thường", &["trực", "vụ"]),
    ("bảo", &["hiểm"]),
    ("kho", &["bạc"]),
    ("ngân", &["hàng"]),
    ("văn", &["phòng"]),
    ("phòng", &["tài", "giáo", "văn", "kinh", "nội", "tư", "y", "lao", "quản", "công", "cảnh", "nông", "tổ", "dân"]),
    ("tổ", &["công", "giám", "đại", "dân"]),
    ("hội", &["đồng", "nông", "cựu", "liên", "phụ", "chữ"]),
    ("đại", &["hội", "biểu"]),
    ("trung", &["ương", "tâm"]),
    ("nhà", &["nước"]),
    ("chính", &["phủ", "quyền"]),
    (
        "bộ",
        &[
            "chính", "công", "y", "tài", "giáo", "nội", "tư", "kế", "quốc", "xây", "giao", "nông", "lao", "văn",
            "thông", "khoa", "ngoại",
        ],
    ),
    ("liên", &["đoàn"]),
    ("trường", &[]),
    ("bệnh", &["viện"]),
];
/// Words Vietnamese doubles on purpose ("chung chung", "dần dần"), which proofreading does not count as a
/// doubled word.
pub const REDUPLICATIONS: &[&str] =
    &["chung", "dần", "từng", "thường", "ngày", "nhiều", "đâu", "ai", "gì", "xa", "mãi"];
/// Conjunctions across which a phrase may be repeated on purpose ("thực hiện hoặc thực hiện chưa dứt điểm").
pub const CONJUNCTIONS: &[&str] = &["hoặc", "và", "hay", "nhưng", "song"];
