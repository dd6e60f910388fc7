use serde_json::{Value, json};

use super::*;
use crate::interchange;

const SEED_JSON: &str = include_str!("../../../../tests/fixtures/seed-mission.json");
const SEED_ARTICLE: &str = include_str!("../../../../tests/fixtures/seed-article.txt");

fn seed_value() -> Value {
    serde_json::from_str(SEED_JSON).expect("the seed is JSON")
}

fn mission_of(value: &Value) -> Mission {
    interchange::parse(value.to_string().as_bytes()).unwrap_or_else(|e| panic!("variant refused: {e}"))
}

/// The seed mission with `edit` applied to its JSON.
fn seed_with(edit: impl FnOnce(&mut Value)) -> Mission {
    let mut value = seed_value();
    edit(&mut value);
    mission_of(&value)
}

fn seed() -> Mission {
    mission_of(&seed_value())
}

/// Dashes unified and white space collapsed, as the brief compares the lead.
fn normalise(s: &str) -> String {
    s.replace(['–', '—'], "-").split_whitespace().collect::<Vec<_>>().join(" ")
}

fn target(kind: &str, name: &str) -> Value {
    json!({ "kind": kind, "name": name })
}

fn person(role: &str, name: &str, position: Option<&str>) -> Value {
    json!({ "name": name, "role": role, "position": position })
}

fn group(role: &str, description: &str) -> Value {
    json!({ "name": null, "role": role, "description": description })
}

fn upward(raised_by: &[&str], addressees: &[&str], text: &str) -> Value {
    json!({ "direction": "upward", "raised_by": raised_by, "addressees": addressees, "text": text })
}

fn downward(issuer: Option<&str>, addressees: &[&str], text: &str) -> Value {
    json!({ "direction": "downward", "issuer": issuer, "addressees": addressees, "text": text })
}

fn finding(kind: &str, targets: &[&str], text: &str) -> Value {
    json!({ "kind": kind, "targets": targets, "text": text })
}

fn rename_captions(value: &mut Value, from: &str, to: &str) {
    if let Some(sessions) = value["sessions"].as_array_mut() {
        for photo in sessions.iter_mut().filter_map(|s| s["photos"].as_array_mut()).flatten() {
            let caption = photo["caption"].as_str().unwrap_or_default().replace(from, to);
            photo["caption"] = json!(caption);
        }
    }
}

// ----- the variants -------------------------------------------------------------------------------------

/// A People's Council team of the provincial Thường trực, supervising three districts.
fn council() -> Value {
    let mut v = seed_value();
    v["owner"] = json!({ "name": "Hội đồng nhân dân tỉnh Tây Ninh", "short_name": "HĐND tỉnh", "parent": null,
                         "place": "Tây Ninh" });
    v["system"] = json!("council");
    let subject = "việc thực hiện chính sách, pháp luật về bảo đảm trật tự, an toàn giao thông trên địa bàn \
                   tỉnh giai đoạn 2021 – 2023";
    v["decision"] = json!({
        "number": "45/QĐ-HĐND", "issued_on": "2023-08-10", "issuer": "Thường trực HĐND tỉnh",
        "summary": format!("thành lập Đoàn giám sát {subject}")
    });
    v["supervising_body"] = json!("Thường trực HĐND tỉnh");
    v["team"] = json!({ "name": "Đoàn giám sát của Thường trực HĐND tỉnh", "ordinal": null });
    v["subject"] = json!(subject);
    v["fieldwork"] = json!({ "from": "2023-09-12", "to": "2023-09-14" });
    v["members"] = json!([
        person("leader", "Nguyễn Văn Hùng", Some("Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch Thường trực HĐND tỉnh")),
        person("deputy_leader", "Trần Thị Mai", Some("Trưởng ban Pháp chế HĐND tỉnh")),
        person("member", "Lê Văn Tâm", Some("Phó Trưởng ban Pháp chế HĐND tỉnh")),
        group("member", "đại diện lãnh đạo Ủy ban MTTQ Việt Nam tỉnh, một số sở, ngành liên quan"),
    ]);
    v["targets"] = json!([
        target("district", "huyện Bến Cầu"),
        target("district", "thị xã Trảng Bàng"),
        target("district", "thành phố Tây Ninh"),
    ]);
    v["sessions"] = json!([{ "target": "huyện Bến Cầu", "date": "2023-09-12", "photos": [
        { "caption": "Đoàn giám sát của Thường trực HĐND tỉnh làm việc với UBND huyện Bến Cầu." }
    ] }]);
    v["findings"] = json!([
        finding(
            "strength",
            &[],
            "các địa phương đã ban hành nhiều văn bản chỉ đạo, triển khai kịp thời các \
                 quy định về bảo đảm trật tự, an toàn giao thông"
        ),
        finding("strength", &[], "số vụ tai nạn giao thông giảm trên cả ba tiêu chí"),
        finding(
            "shortcoming",
            &["huyện Bến Cầu"],
            "tình trạng xe quá tải lưu thông trên các tuyến đường \
                 huyện vẫn còn xảy ra"
        ),
        finding("shortcoming", &[], "việc xử lý vi phạm hành lang an toàn đường bộ có lúc chưa kiên quyết."),
        finding("cause", &[], "kinh phí bố trí cho công tác bảo đảm trật tự, an toàn giao thông còn hạn chế"),
    ]);
    v["recommendations"] = json!([
        upward(&[], &["UBND tỉnh"], "quan tâm bố trí kinh phí nâng cấp, sửa chữa các tuyến đường xuống cấp"),
        upward(&[], &["UBND tỉnh"], "sớm đầu tư hệ thống camera giám sát giao thông tại các nút giao trọng điểm"),
        upward(&[], &["Bộ Công an"], "bổ sung trang thiết bị, phương tiện cho lực lượng cảnh sát giao thông cấp huyện"),
        upward(
            &["thị xã Trảng Bàng"],
            &["Sở Giao thông vận tải"],
            "xem xét điều chỉnh tổ chức giao thông tại \
               nút giao Quốc lộ 22 với đường tỉnh 782"
        ),
        downward(
            Some("Đoàn giám sát"),
            &["UBND tỉnh"],
            "chỉ đạo các sở, ngành rà soát, bố trí kinh phí bảo trì \
                 các tuyến đường do tỉnh quản lý"
        ),
        downward(Some("Đoàn giám sát"), &["UBND tỉnh"], "tăng cường kiểm tra, xử lý xe quá tải, quá khổ"),
        downward(
            Some("Đoàn giám sát"),
            &["UBND các huyện, thị xã, thành phố"],
            "đẩy mạnh tuyên truyền, phổ \
                 biến pháp luật về trật tự, an toàn giao thông"
        ),
    ]);
    v["conclusion_preamble"] = Value::Null;
    v["publication"] = json!({ "category": "Hoạt động giám sát", "published_at": "2023-09-15T10:20:00+07:00",
                               "byline": "Tin, ảnh: Minh Thư", "source": "Văn phòng Đoàn ĐBQH và HĐND tỉnh" });
    v
}

/// Ban Văn hóa - Xã hội HĐND tỉnh (no team name) supervising two agencies.
fn council_board() -> Value {
    let mut v = council();
    let subject = "việc thực hiện chính sách, pháp luật về bảo hiểm y tế trên địa bàn tỉnh";
    v["decision"] = json!({
        "number": "15/QĐ-HĐND", "issued_on": "2024-05-06", "issuer": "Thường trực HĐND tỉnh",
        "summary": format!("thành lập Đoàn giám sát {subject}")
    });
    v["supervising_body"] = json!("Ban Văn hóa - Xã hội HĐND tỉnh");
    v["team"] = json!({ "name": null, "ordinal": null });
    v["subject"] = json!(subject);
    v["fieldwork"] = json!({ "from": "2024-05-20", "to": "2024-05-21" });
    v["members"] = json!([
        person("leader", "Phạm Thị Hoa", Some("Trưởng ban Văn hóa - Xã hội HĐND tỉnh")),
        person("member", "Đỗ Minh Quang", Some("Phó Trưởng ban Văn hóa - Xã hội HĐND tỉnh")),
        person("member", "Hoàng Thu Hà", None),
        group("assistant", "chuyên viên Văn phòng Đoàn ĐBQH và HĐND tỉnh"),
    ]);
    v["targets"] = json!([target("agency", "Sở Y tế"), target("agency", "Bảo hiểm xã hội tỉnh")]);
    v["sessions"] = json!([]);
    v["findings"] = json!([
        finding("strength", &[], "tỷ lệ bao phủ bảo hiểm y tế toàn tỉnh đạt 93,5%, vượt chỉ tiêu được giao"),
        finding(
            "shortcoming",
            &["Sở Y tế"],
            "việc cung ứng thuốc, vật tư y tế tại một số cơ sở khám, chữa \
                 bệnh chưa kịp thời"
        ),
    ]);
    v["recommendations"] = json!([
        upward(&["Sở Y tế"], &["Bộ Y tế"], "sớm ban hành hướng dẫn thống nhất về đấu thầu thuốc, vật tư y tế"),
        downward(
            Some("Ban Văn hóa - Xã hội HĐND tỉnh"),
            &["Sở Y tế", "Bảo hiểm xã hội tỉnh"],
            "phối hợp chặt \
                 chẽ trong thanh toán chi phí khám, chữa bệnh bảo hiểm y tế, bảo đảm quyền lợi của người bệnh"
        ),
    ]);
    v["publication"] = Value::Null;
    v
}

fn working_group() -> Value {
    let mut v = seed_value();
    v["team"] = json!({ "name": "Tổ công tác số 3", "ordinal": 3 });
    rename_captions(&mut v, "Đoàn Giám sát số 5", "Tổ công tác số 3");
    v
}

fn one_target() -> Value {
    let mut v = seed_value();
    v["targets"] = json!([target("ward", "Hàng Bạc")]);
    v["sessions"] = json!([v["sessions"][0].clone()]);
    for rec in v["recommendations"].as_array_mut().into_iter().flatten() {
        if rec["direction"] == "downward" {
            rec["addressees"] = json!(["Đảng ủy phường Hàng Bạc", "Ban Chỉ đạo bầu cử phường Hàng Bạc"]);
        }
    }
    v
}

/// 150 distinct commune names.
fn commune_names() -> Vec<String> {
    let first = [
        "An", "Bình", "Hòa", "Phú", "Tân", "Thạnh", "Long", "Mỹ", "Phước", "Vĩnh", "Hưng", "Thuận", "Đông", "Tây",
        "Nam",
    ];
    let second = ["Lợi", "Hưng", "Thành", "Lộc", "Phát", "Điền", "Hiệp", "Tiến", "Sơn", "Xuân"];
    first.iter().flat_map(|a| second.iter().map(move |b| format!("{a} {b}"))).collect()
}

fn many_communes() -> Value {
    let mut v = seed_value();
    v["targets"] = commune_names().iter().map(|n| target("commune", n)).collect();
    v["sessions"] = json!([]);
    v
}

fn unknown_kinds() -> Value {
    let mut v = seed_value();
    for t in v["targets"].as_array_mut().into_iter().flatten() {
        t["kind"] = json!("unknown");
    }
    v
}

fn no_decision_date() -> Value {
    let mut v = seed_value();
    v["decision"]["issued_on"] = Value::Null;
    v
}

fn basis_only() -> Value {
    let mut v = seed_value();
    v["decision"] = json!({ "number": null, "issued_on": null, "issuer": null, "summary": null });
    v["basis"] = json!("Chương trình kiểm tra, giám sát năm 2021 của Ban Thường vụ Quận ủy");
    v
}

fn no_findings_yet() -> Value {
    let mut v = seed_value();
    v["findings"] = json!([]);
    v["recommendations"] = json!([]);
    v["conclusion_preamble"] = Value::Null;
    v
}

fn across_months() -> Value {
    let mut v = seed_value();
    v["fieldwork"] = json!({ "from": "2021-03-29", "to": "2021-04-02" });
    v
}

fn across_years() -> Value {
    let mut v = seed_value();
    v["decision"]["issued_on"] = json!("2020-12-15");
    v["fieldwork"] = json!({ "from": "2020-12-28", "to": "2021-01-05" });
    v
}

fn no_fieldwork() -> Value {
    let mut v = seed_value();
    v["fieldwork"] = json!({ "from": null, "to": null });
    v
}

fn cong_van() -> Value {
    let mut v = council_board();
    v["decision"] = json!({
        "number": "628/HĐND-VHXH", "issued_on": "2024-05-06", "issuer": "Thường trực HĐND tỉnh",
        "summary": "giám sát việc thực hiện chính sách, pháp luật về bảo hiểm y tế trên địa bàn tỉnh"
    });
    v
}

/// A Fatherland Front team.
fn front() -> Value {
    let mut v = seed_value();
    v["system"] = json!("front");
    v["decision"] = json!({
        "number": "12/QĐ-MTTQ", "issued_on": "2021-03-10", "issuer": "Ban Thường trực Ủy ban MTTQ Việt Nam quận",
        "summary": "thành lập Đoàn giám sát công tác bầu cử đại biểu Quốc hội khóa XV và đại biểu HĐND các cấp \
                    nhiệm kỳ 2021 – 2026"
    });
    v["supervising_body"] = json!("Ban Thường trực Ủy ban MTTQ Việt Nam quận");
    v["team"] = json!({ "name": "Đoàn giám sát của Ban Thường trực Ủy ban MTTQ Việt Nam quận", "ordinal": null });
    v["subject"] = json!("việc lập, niêm yết danh sách cử tri");
    v["fieldwork"] = json!({ "from": "2021-04-20", "to": "2021-04-20" });
    v["members"] = json!([
        person("leader", "Lê Thị Thu", Some("Chủ tịch Ủy ban MTTQ Việt Nam quận")),
        group("member", "đại diện các tổ chức chính trị - xã hội quận"),
        person("secretary", "Vũ Đức Anh", Some("chuyên viên Ủy ban MTTQ Việt Nam quận")),
    ]);
    v["targets"] = json!([target("ward", "Đồng Xuân"), target("ward", "Hàng Bạc")]);
    v["sessions"] = json!([]);
    v["findings"] = json!([finding("strength", &[], "danh sách cử tri được niêm yết đúng thời hạn, đúng địa điểm")]);
    v["recommendations"] = json!([downward(
        None,
        &["Ủy ban nhân dân các phường"],
        "tiếp tục rà soát, cập nhật \
                                  danh sách cử tri..."
    )]);
    v["conclusion_preamble"] = Value::Null;
    v["publication"] = json!({ "category": null, "published_at": null, "byline": "PV", "source": null });
    v
}

/// Everything optional left out.
fn bare() -> Value {
    let mut v = seed_value();
    v["decision"] = json!({ "number": null, "issued_on": null, "issuer": null, "summary": null });
    v["team"] = json!({ "name": null, "ordinal": null });
    v["fieldwork"] = json!({ "from": null, "to": null });
    for key in ["members", "targets", "sessions", "findings", "recommendations"] {
        v[key] = json!([]);
    }
    v["conclusion_preamble"] = Value::Null;
    v["publication"] = Value::Null;
    v
}

fn variants() -> Vec<(&'static str, Value)> {
    vec![
        ("v01_seed", seed_value()),
        ("v02_council", council()),
        ("v03_council_board_agencies", council_board()),
        ("v04_working_group", working_group()),
        ("v05_one_target", one_target()),
        ("v06_150_communes", many_communes()),
        ("v07_unknown_kinds", unknown_kinds()),
        ("v08_no_decision_date", no_decision_date()),
        ("v09_basis_only", basis_only()),
        ("v10_no_findings_yet", no_findings_yet()),
        ("v11a_across_months", across_months()),
        ("v11b_across_years", across_years()),
        ("v12_no_fieldwork", no_fieldwork()),
        ("v13_cong_van", cong_van()),
        ("v14_front", front()),
        ("v15_bare", bare()),
    ]
}

// ----- golden files and properties ----------------------------------------------------------------------

#[test]
fn every_variant_matches_its_golden_text() {
    for (name, value) in variants() {
        insta::assert_snapshot!(name, compose(&mission_of(&value)).to_text());
    }
}

#[test]
fn the_seed_renders_as_markdown() {
    insta::assert_snapshot!("v01_seed_markdown", compose(&seed()).to_markdown());
}

fn has_iso_date(s: &str) -> bool {
    s.as_bytes().windows(10).any(|w| {
        w[..4].iter().all(u8::is_ascii_digit)
            && w[4] == b'-'
            && w[5..7].iter().all(u8::is_ascii_digit)
            && w[7] == b'-'
            && w[8..].iter().all(u8::is_ascii_digit)
    })
}

#[test]
fn no_variant_prints_placeholders_iso_dates_or_doubled_words() {
    for (name, value) in variants() {
        let article = compose(&mission_of(&value));
        for text in [article.to_text(), article.to_markdown()] {
            for bad in ["null", "None", "Some(", "{", "}", " ,", " .", ",,", ";,", ",;", ";;", ", ,"] {
                assert!(!text.contains(bad), "{name}: contains «{bad}»:\n{text}");
            }
            // An ellipsis typed by a clerk ("...") is kept; any other run of full stops is a doubled one.
            assert!(!text.replace("...", "").contains(".."), "{name}: a doubled full stop:\n{text}");
            assert!(!text.contains(".…") && !text.contains("…."), "{name}: a stop after an ellipsis");
            assert!(!has_iso_date(&text), "{name}: an ISO date:\n{text}");
            let lower = text.to_lowercase();
            for word in ["phường", "xã", "đặc khu", "đơn vị", "các", "đồng chí", "về việc", "tại"]
            {
                assert!(!lower.contains(&format!("{word} {word}")), "{name}: «{word} {word}»");
            }
            assert!(!text.contains("  "), "{name}: a double space");
        }
        assert!(!article.title.is_empty() && !article.lead.is_empty(), "{name}: empty title or lead");
        assert!(date::check_terms(&article.title).is_ok(), "{name}: bad term in «{}»", article.title);
        assert!(article.lead.ends_with(['.', '…']), "{name}: the lead is not a sentence");
        for paragraph in &article.paragraphs {
            assert!(paragraph.ends_with(['.', '…']), "{name}: «{paragraph}» is not a sentence");
            assert_eq!(capitalize_first(paragraph), *paragraph, "{name}: lower-case paragraph start");
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever the clerk typed, composing never panics and every block still ends a sentence.
    #[test]
    fn composing_never_panics_on_odd_text(
        subject in "\\PC{0,40}",
        team in "\\PC{0,20}",
        position in "\\PC{0,30}",
        target_name in "\\PC{0,20}",
        kind in proptest::sample::select(TargetKind::ALL.to_vec()),
        clause_text in "\\PC{0,30}",
        addressee in "\\PC{0,20}",
    ) {
        let mut v = seed_value();
        v["subject"] = json!(subject);
        v["team"]["name"] = json!(team);
        v["members"][0]["position"] = json!(position);
        v["targets"][0] = target(kind.code(), &target_name);
        v["findings"][0]["text"] = json!(clause_text.clone());
        v["recommendations"][0]["addressees"] = json!([addressee]);
        v["recommendations"][3]["text"] = json!(clause_text);
        v["conclusion_preamble"] = json!(position);
        if let Ok(mission) = interchange::parse(v.to_string().as_bytes()) {
            let article = compose(&mission);
            proptest::prop_assert!(!article.lead.is_empty());
            proptest::prop_assert!(article.to_text().ends_with('\n'));
            let _ = article.to_markdown();
        }
    }
}

// ----- the seed reproduces the real article ---------------------------------------------------------------

#[test]
fn the_seed_lead_is_the_published_lead() {
    let published = SEED_ARTICLE
        .lines()
        .find(|l| l.starts_with("Thực hiện Quyết định số 109-QĐ/QU"))
        .expect("the seed article has its lead");
    assert!(published.trim_end().ends_with("tại 3 phường: Đồng Xuân, Hàng Bạc và Tràng Tiền."));
    assert_eq!(normalise(&compose(&seed()).lead), normalise(published));
}

#[test]
fn the_seed_body_carries_every_finding_recommendation_and_the_preamble() {
    let mission = seed();
    let article = compose(&mission);
    let body = article.paragraphs.join("\n");
    let texts = mission
        .findings
        .iter()
        .map(|f| f.text.as_str())
        .chain(mission.recommendations.iter().map(|r| r.text.as_str()))
        .chain(mission.conclusion_preamble.as_deref());
    for text in texts {
        assert!(body.contains(text) || body.contains(&capitalize_first(text)), "missing: {text}");
    }
    assert_eq!(article.paragraphs.len(), 4);
    assert!(article.paragraphs[0].starts_with(
        "Cùng tham dự Đoàn Giám sát số 5 có các đồng chí: Nguyễn Quốc Hoàn – Ủy viên Ban Thường vụ Quận ủy, \
         Trưởng ban Dân vận Quận ủy, Phó trưởng đoàn và các đồng chí thành viên là đại diện lãnh đạo một số \
         phòng, ban quận."
    ));
    assert!(article.paragraphs[1].starts_with("Qua giám sát cho thấy, công tác chuẩn bị Bầu cử"));
    assert!(article.paragraphs[1].contains("luật định. Công tác rà soát danh sách cử tri;"));
    assert!(article.paragraphs[1].ends_with("nơi niêm yết danh sách cử tri…"));
    assert!(article.paragraphs[2].starts_with(
        "Tại các buổi giám sát, các phường đã kiến nghị Quận ủy, Ủy ban Bầu cử quận sớm ban hành hướng dẫn"
    ));
    assert!(article.paragraphs[2].contains("công tác bầu cử; sớm có phương án kịch bản"));
    assert!(article.paragraphs[3].starts_with(
        "Để đảm bảo cuộc Bầu cử đại biểu Quốc hội và bầu cử đại biểu HĐND các cấp nhiệm kỳ 2021 - 2026 trên \
         địa bàn quận thành công tốt đẹp, đúng pháp luật, Ban Thường vụ Quận ủy đề nghị Đảng ủy, Ban Chỉ đạo \
         bầu cử các phường tiếp tục bám sát kế hoạch"
    ));
    assert!(article.paragraphs[3].ends_with("phòng chống dịch Covid-19 trên địa bàn."));
    assert!(article.paragraphs[3].contains("kết thúc bầu cử. Tăng cường sự lãnh đạo"));
    assert_eq!(article.captions.len(), 2);
    assert_eq!(article.byline.as_deref(), Some("Tin: Trần Quỳnh"));
    assert!(article.to_text().ends_with("Tin: Trần Quỳnh\n\n(Ban Tuyên giáo Quận ủy)\n"));
}

#[test]
fn the_seed_title_is_generated_without_the_published_typo() {
    let title = compose(&seed()).title;
    assert_eq!(
        title,
        "Đoàn Giám sát số 5 giám sát công tác lãnh đạo, chỉ đạo việc chuẩn bị và tổ chức cuộc Bầu cử đại biểu \
         Quốc hội khóa XV và HĐND các cấp, nhiệm kỳ 2021 – 2026 tại 3 phường"
    );
    assert!(!title.contains("20216"));
    assert_eq!(date::check_terms(&title), Ok(()));
    // The published title does not pass the same check.
    let published = SEED_ARTICLE.lines().find(|l| l.starts_with("Đoàn Giám sát số 5 giám sát")).expect("title");
    assert!(date::check_terms(published).is_err());
}

// ----- decision citation ----------------------------------------------------------------------------------

fn decision(number: Option<&str>, issued_on: Option<&str>, issuer: Option<&str>, summary: Option<&str>) -> Mission {
    seed_with(|v| {
        v["decision"] = json!({ "number": number, "issued_on": issued_on, "issuer": issuer, "summary": summary });
    })
}

#[test]
fn the_citation_names_number_date_issuer_and_summary() {
    let cite = |m: &Mission| citation(m).expect("a citation");
    let full = decision(Some("109-QĐ/QU"), Some("2021-03-09"), Some("Quận ủy"), Some("thành lập các đoàn"));
    assert_eq!(cite(&full), "Thực hiện Quyết định số 109-QĐ/QU, ngày 09/3/2021 của Quận ủy về việc thành lập các đoàn");
    let undated = decision(Some("109-QĐ/QU"), None, Some("Quận ủy"), Some("thành lập các đoàn"));
    assert_eq!(cite(&undated), "Thực hiện Quyết định số 109-QĐ/QU của Quận ủy về việc thành lập các đoàn");
    let unnumbered = decision(None, None, Some("Quận ủy"), Some("thành lập các đoàn"));
    assert_eq!(cite(&unnumbered), "Thực hiện quyết định của Quận ủy về việc thành lập các đoàn");
    let dated_only = decision(None, Some("2021-03-09"), Some("Quận ủy"), None);
    assert_eq!(cite(&dated_only), "Thực hiện quyết định ngày 09/3/2021 của Quận ủy");
    let no_issuer = decision(Some("45/QĐ-HĐND"), Some("2023-08-10"), None, None);
    assert_eq!(cite(&no_issuer), "Thực hiện Quyết định số 45/QĐ-HĐND ngày 10/8/2023", "no comma in a State citation");
}

#[test]
fn a_cong_van_or_a_plan_is_cited_by_its_kind() {
    let state = decision(Some("628/HĐND-VHXH"), Some("2023-06-07"), Some("Thường trực HĐND tỉnh"), Some("giám sát"));
    assert_eq!(
        citation(&state).expect("cited"),
        "Thực hiện Công văn số 628/HĐND-VHXH ngày 07/6/2023 của Thường trực HĐND tỉnh về việc giám sát"
    );
    let party = decision(Some("1189-CV/HU"), None, Some("Huyện ủy"), None);
    assert_eq!(citation(&party).expect("cited"), "Thực hiện Công văn số 1189-CV/HU của Huyện ủy");
    let plan = decision(Some("12-KH/QU"), None, Some("Quận ủy"), None);
    assert_eq!(citation(&plan).expect("cited"), "Thực hiện Kế hoạch số 12-KH/QU của Quận ủy");
}

#[test]
fn a_typed_about_is_not_doubled() {
    for summary in ["về việc thành lập các đoàn", "V/v thành lập các đoàn", "Về việc thành lập các đoàn."]
    {
        let m = decision(Some("109-QĐ/QU"), None, None, Some(summary));
        assert_eq!(citation(&m).expect("cited"), "Thực hiện Quyết định số 109-QĐ/QU về việc thành lập các đoàn");
    }
}

#[test]
fn a_basis_stands_in_for_or_precedes_the_decision() {
    let basis = "Chương trình kiểm tra, giám sát năm 2023 của Tỉnh ủy";
    let only = seed_with(|v| {
        v["basis"] = json!(basis);
        v["decision"] = json!({ "number": null, "issued_on": null, "issuer": null, "summary": null });
    });
    assert_eq!(citation(&only).expect("cited"), format!("Thực hiện {basis}"));
    let both = seed_with(|v| v["basis"] = json!(basis));
    assert!(citation(&both).expect("cited").starts_with(&format!("Thực hiện {basis} và Quyết định số 109-QĐ/QU")));
    assert!(citation(&mission_of(&bare())).is_none());
}

// ----- the lead -------------------------------------------------------------------------------------------

#[test]
fn without_citation_or_dates_the_lead_starts_with_the_team() {
    let nothing = seed_with(|v| {
        v["decision"] = json!({ "number": null, "issued_on": null, "issuer": null, "summary": null });
        v["fieldwork"] = json!({ "from": null, "to": null });
    });
    let lead = compose(&nothing).lead;
    // Without a numbered decision, the team is named with the body it belongs to.
    assert!(
        lead.starts_with("Đoàn Giám sát số 5 của Ban Thường vụ Quận ủy do đồng chí Nguyễn Thị Phương Chung"),
        "{lead}"
    );
    let dated =
        seed_with(|v| v["decision"] = json!({ "number": null, "issued_on": null, "issuer": null, "summary": null }));
    assert!(compose(&dated).lead.starts_with("Từ ngày 23 đến ngày 26/3/2021, Đoàn Giám sát số 5 của Ban"));
    let undated = compose(&mission_of(&no_fieldwork())).lead;
    assert!(undated.contains("nhiệm kỳ 2021 – 2026, Đoàn Giám sát số 5 do đồng chí"), "{undated}");
    assert!(!undated.contains(';'), "no dangling semicolon: {undated}");
}

#[test]
fn fieldwork_is_written_the_administrative_way() {
    let lead_of = |from: Option<&str>, to: Option<&str>| {
        compose(&seed_with(|v| v["fieldwork"] = json!({ "from": from, "to": to }))).lead
    };
    assert!(lead_of(Some("2021-03-23"), Some("2021-03-23")).contains("; ngày 23/3/2021, Đoàn"));
    assert!(lead_of(Some("2021-03-29"), Some("2021-04-02")).contains("; từ ngày 29/3 đến ngày 02/4/2021, Đoàn"));
    assert!(lead_of(Some("2020-12-28"), Some("2021-01-05")).contains("; từ ngày 28/12/2020 đến ngày 05/01/2021, Đoàn"));
    assert!(lead_of(Some("2021-03-23"), None).contains("; từ ngày 23/3/2021, Đoàn"));
    assert!(lead_of(None, Some("2021-03-26")).contains("; đến ngày 26/3/2021, Đoàn"));
}

#[test]
fn the_leader_is_written_with_position_and_title() {
    let clause_with = |members: Value, team: Value| {
        leader_clause(&seed_with(|v| {
            v["members"] = members;
            v["team"] = team;
        }))
    };
    let team5 = json!({ "name": "Đoàn Giám sát số 5", "ordinal": 5 });
    assert_eq!(
        clause_with(json!([person("leader", "Nguyễn Văn A", Some("Bí thư Quận ủy"))]), team5.clone()),
        Some("do đồng chí Nguyễn Văn A – Bí thư Quận ủy làm Trưởng Đoàn".to_owned())
    );
    assert_eq!(
        clause_with(json!([person("leader", "Nguyễn Văn A", None)]), team5.clone()),
        Some("do đồng chí Nguyễn Văn A làm Trưởng Đoàn".to_owned())
    );
    assert_eq!(
        clause_with(
            json!([person("leader", "Nguyễn Văn A", Some("Phó Chủ nhiệm UBKT Quận ủy"))]),
            json!({ "name": "Tổ công tác số 3", "ordinal": 3 })
        ),
        Some("do đồng chí Nguyễn Văn A – Phó Chủ nhiệm UBKT Quận ủy làm Tổ trưởng".to_owned())
    );
    assert_eq!(clause_with(json!([person("member", "Nguyễn Văn A", None)]), team5.clone()), None);
    assert_eq!(clause_with(json!([group("leader", "lãnh đạo Ban Dân vận")]), team5), None);
    let leaderless = compose(&seed_with(|v| v["members"] = json!([]))).lead;
    assert!(leaderless.contains("26/3/2021, Đoàn Giám sát số 5 đã tổ chức giám sát công tác"), "{leaderless}");
}

#[test]
fn without_a_team_name_the_supervising_body_itself_is_the_actor() {
    let unnamed = seed_with(|v| v["team"] = json!({ "name": null, "ordinal": null }));
    assert_eq!(actor(&unnamed), "Ban Thường vụ Quận ủy");
    assert!(compose(&unnamed).lead.contains("26/3/2021, Ban Thường vụ Quận ủy do đồng chí"));
    assert!(!compose(&unnamed).to_text().contains("Đoàn giám sát của"));
    let council = mission_of(&council());
    assert_eq!(actor(&council), "Đoàn giám sát của Thường trực HĐND tỉnh", "a name as written is kept");
    assert!(compose(&council).lead.contains(
        "; từ ngày 12 đến ngày 14/9/2023, Đoàn giám sát của Thường trực HĐND tỉnh do đồng chí Nguyễn Văn Hùng"
    ));
}

// ----- targets --------------------------------------------------------------------------------------------

fn targets(list: &[(&str, &str)]) -> Vec<Target> {
    let value = seed_with(|v| {
        v["targets"] = list.iter().map(|(k, n)| target(k, n)).collect();
        v["sessions"] = json!([]);
    });
    value.targets.clone()
}

#[test]
fn targets_are_counted_and_listed_with_their_kind_word_once() {
    let wards = targets(&[("ward", "Đồng Xuân"), ("ward", "Hàng Bạc"), ("ward", "Tràng Tiền")]);
    assert_eq!(targets_phrase(&wards, true).as_deref(), Some("tại 3 phường: Đồng Xuân, Hàng Bạc và Tràng Tiền"));
    assert_eq!(targets_phrase(&wards, false).as_deref(), Some("tại 3 phường"));
    assert_eq!(targets_phrase(&targets(&[("ward", "Hàng Bạc")]), true).as_deref(), Some("tại phường Hàng Bạc"));
    assert_eq!(targets_phrase(&targets(&[("ward", "Phường Hàng Bạc")]), true).as_deref(), Some("tại phường Hàng Bạc"));
    let stored_with_word = targets(&[("commune", "xã An Bình"), ("commune", "Tân Lập")]);
    assert_eq!(targets_phrase(&stored_with_word, true).as_deref(), Some("tại 2 xã: An Bình và Tân Lập"));
    assert_eq!(targets_phrase(&[], true), None);
}

#[test]
fn mixed_or_unknown_kinds_are_units() {
    let mixed = targets(&[
        ("ward", "Hàng Bạc"),
        ("commune", "Tân Lập"),
        ("agency", "Sở Y tế"),
        ("party_org", "Đảng ủy phường Hàng Bạc"),
    ]);
    assert_eq!(
        targets_phrase(&mixed, true).as_deref(),
        Some("tại 4 đơn vị: phường Hàng Bạc, xã Tân Lập, Sở Y tế và Đảng ủy phường Hàng Bạc")
    );
    let unknown = targets(&[("unknown", "Tân Lập"), ("unknown", "Tân Hòa")]);
    assert_eq!(targets_phrase(&unknown, true).as_deref(), Some("tại 2 đơn vị: Tân Lập và Tân Hòa"));
    assert_eq!(targets_phrase(&targets(&[("unknown", "Tân Lập")]), true).as_deref(), Some("tại đơn vị Tân Lập"));
    assert_eq!(targets_phrase(&targets(&[("agency", "Sở Y tế")]), true).as_deref(), Some("tại Sở Y tế"));
    let orgs = targets(&[("party_org", "Đảng ủy phường Hàng Bạc"), ("party_org", "Chi bộ Khu dân cư số 3")]);
    assert_eq!(
        targets_phrase(&orgs, true).as_deref(),
        Some("tại 2 tổ chức đảng: Đảng ủy phường Hàng Bạc và Chi bộ Khu dân cư số 3")
    );
    let districts = targets(&[("district", "huyện Bến Cầu"), ("district", "thị xã Trảng Bàng")]);
    assert_eq!(
        targets_phrase(&districts, true).as_deref(),
        Some("tại 2 địa phương: huyện Bến Cầu và thị xã Trảng Bàng")
    );
    let numbered = targets(&[("ward", "1"), ("ward", "Phường 3")]);
    assert_eq!(targets_phrase(&numbered, true).as_deref(), Some("tại 2 phường: phường 1 và phường 3"));
}

#[test]
fn a_hundred_and_fifty_communes_are_all_listed_once() {
    let article = compose(&mission_of(&many_communes()));
    assert!(article.lead.contains("tại 150 xã: An Lợi, An Hưng, "));
    assert!(article.lead.ends_with(", Nam Sơn và Nam Xuân."));
    assert!(article.title.ends_with("tại 150 xã"));
    assert!(commune_names().iter().all(|n| article.lead.contains(n.as_str())));
    assert!(!article.lead.contains("xã xã"));
}

// ----- composition ----------------------------------------------------------------------------------------

fn composition_with(members: Value) -> Option<String> {
    composition(&seed_with(|v| v["members"] = members))
}

#[test]
fn the_composition_lists_deputies_members_and_groups() {
    assert_eq!(
        composition(&seed()).as_deref(),
        Some(
            "Cùng tham dự Đoàn Giám sát số 5 có các đồng chí: Nguyễn Quốc Hoàn – Ủy viên Ban Thường vụ Quận ủy, \
             Trưởng ban Dân vận Quận ủy, Phó trưởng đoàn và các đồng chí thành viên là đại diện lãnh đạo một số \
             phòng, ban quận."
        )
    );
    let leader = person("leader", "Nguyễn Thị Phương Chung", Some("Phó chủ tịch HĐND quận"));
    assert_eq!(composition_with(json!([leader.clone()])), None);
    assert_eq!(
        composition_with(json!([leader.clone(), person("deputy_leader", "Nguyễn Quốc Hoàn", None)])).as_deref(),
        Some("Cùng tham dự Đoàn Giám sát số 5 có đồng chí Nguyễn Quốc Hoàn – Phó trưởng đoàn.")
    );
    assert_eq!(
        composition_with(json!([
            leader.clone(),
            person("deputy_leader", "A", Some("Ủy viên Ban Thường vụ, Trưởng ban Dân vận")),
            person("member", "B", Some("Chánh Văn phòng Quận ủy")),
            person("secretary", "C", Some("chuyên viên Văn phòng Quận ủy")),
        ]))
        .as_deref(),
        Some(
            "Cùng tham dự Đoàn Giám sát số 5 có các đồng chí: A – Ủy viên Ban Thường vụ, Trưởng ban Dân vận, \
             Phó trưởng đoàn; B – Chánh Văn phòng Quận ủy và C – chuyên viên Văn phòng Quận ủy, Thư ký."
        )
    );
    assert_eq!(
        composition_with(json!([
            leader,
            group("member", "đại diện lãnh đạo một số phòng, ban quận"),
            person("member", "D", Some("Phó Chánh Văn phòng Quận ủy"))
        ]))
        .as_deref(),
        Some(
            "Cùng tham dự Đoàn Giám sát số 5 có đại diện lãnh đạo một số phòng, ban quận và đồng chí D – Phó \
             Chánh Văn phòng Quận ủy."
        )
    );
    assert_eq!(
        composition_with(json!([person("member", "E", None), person("member", "G", None)])).as_deref(),
        Some("Tham gia Đoàn Giám sát số 5 có các đồng chí: E và G.")
    );
    assert_eq!(
        composition(&mission_of(&working_group())).as_deref().map(|c| c.contains("Quận ủy, Tổ phó và")),
        Some(true)
    );
}

// ----- findings and recommendations -----------------------------------------------------------------------

#[test]
fn clauses_become_sentences_with_one_full_stop() {
    assert_eq!(end_sentence("a"), "a.");
    assert_eq!(end_sentence("a."), "a.");
    assert_eq!(end_sentence("a…"), "a…");
    assert_eq!(end_sentence("a..."), "a...");
    assert_eq!(clause(" a. "), "a");
    assert_eq!(clause("a;"), "a");
    assert_eq!(clause("a..."), "a...");
    assert_eq!(
        sentences("Qua giám sát cho thấy,", &["a", "b.", "đảng ủy c…", "d"]),
        "Qua giám sát cho thấy, a. B. Đảng ủy c… D."
    );
    assert_eq!(sentences("", &["a", "", "b"]), "A. B.");
}

#[test]
fn no_findings_means_no_findings_paragraph() {
    let article = compose(&mission_of(&no_findings_yet()));
    assert_eq!(article.paragraphs.len(), 2, "{:?}", article.paragraphs);
    assert_eq!(
        article.paragraphs[0], "Đến nay, Đoàn Giám sát số 5 đã làm việc với các phường Hàng Bạc và Tràng Tiền.",
        "under way, the article says where the team has been so far"
    );
    assert!(!article.to_text().contains("Qua giám sát cho thấy"));
    assert!(findings_paragraphs(&mission_of(&bare())).is_empty());
}

#[test]
fn shortcomings_and_causes_follow_the_strengths() {
    let paragraphs = findings_paragraphs(&mission_of(&council()));
    assert_eq!(
        paragraphs,
        vec![
            "Qua giám sát cho thấy, các địa phương đã ban hành nhiều văn bản chỉ đạo, triển khai kịp thời các quy \
             định về bảo đảm trật tự, an toàn giao thông. Số vụ tai nạn giao thông giảm trên cả ba tiêu chí."
                .to_owned(),
            "Bên cạnh những kết quả đạt được, tại huyện Bến Cầu, tình trạng xe quá tải lưu thông trên các tuyến \
             đường huyện vẫn còn xảy ra. Việc xử lý vi phạm hành lang an toàn đường bộ có lúc chưa kiên quyết."
                .to_owned(),
            "Về nguyên nhân, kinh phí bố trí cho công tác bảo đảm trật tự, an toàn giao thông còn hạn chế.".to_owned(),
        ]
    );
    let only_shortcomings = seed_with(|v| {
        v["findings"] = json!([finding("shortcoming", &["Hàng Bạc", "Tràng Tiền"], "việc niêm yết còn chậm")]);
    });
    assert_eq!(
        findings_paragraphs(&only_shortcomings),
        vec!["Qua giám sát cho thấy, tại các phường Hàng Bạc và Tràng Tiền, việc niêm yết còn chậm.".to_owned()]
    );
}

#[test]
fn addressees_share_their_common_tail() {
    let join = |list: &[&str]| join_addressees(&list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
    assert_eq!(
        join(&["Đảng ủy các phường", "Ban Chỉ đạo bầu cử các phường"]),
        "Đảng ủy, Ban Chỉ đạo bầu cử các phường"
    );
    assert_eq!(join(&["Quận ủy", "Ủy ban Bầu cử quận"]), "Quận ủy, Ủy ban Bầu cử quận");
    assert_eq!(join(&["Thường trực HĐND tỉnh", "UBND tỉnh"]), "Thường trực HĐND, UBND tỉnh");
    assert_eq!(
        join(&["Đảng ủy phường Hàng Bạc", "Ban Chỉ đạo bầu cử phường Hàng Bạc"]),
        "Đảng ủy, Ban Chỉ đạo bầu cử phường Hàng Bạc"
    );
    assert_eq!(
        join(&["Tiểu ban bầu cử các phường", "Ban Chỉ đạo bầu cử các phường"]),
        "Tiểu ban bầu cử, Ban Chỉ đạo bầu cử các phường"
    );
    assert_eq!(join(&["Sở Y tế", "Bảo hiểm xã hội tỉnh"]), "Sở Y tế, Bảo hiểm xã hội tỉnh");
    assert_eq!(join(&["UBND tỉnh", "tỉnh"]), "UBND tỉnh, Tỉnh", "each addressee is a name");
    assert_eq!(join(&["UBND quận"]), "UBND quận");
    assert_eq!(join(&[]), "");
}

#[test]
fn upward_recommendations_are_grouped_by_units_and_addressees() {
    assert_eq!(
        upward_paragraph(&mission_of(&council())).as_deref(),
        Some(
            "Tại các buổi giám sát, các địa phương đã kiến nghị UBND tỉnh quan tâm bố trí kinh phí nâng cấp, sửa \
             chữa các tuyến đường xuống cấp; sớm đầu tư hệ thống camera giám sát giao thông tại các nút giao \
             trọng điểm; kiến nghị Bộ Công an bổ sung trang thiết bị, phương tiện cho lực lượng cảnh sát giao \
             thông cấp huyện. Thị xã Trảng Bàng đã kiến nghị Sở Giao thông vận tải xem xét điều chỉnh tổ chức \
             giao thông tại nút giao Quốc lộ 22 với đường tỉnh 782."
        )
    );
    let single = mission_of(&one_target());
    assert!(
        upward_paragraph(&single)
            .expect("raised")
            .starts_with("Tại buổi giám sát, phường Hàng Bạc đã kiến nghị Quận ủy")
    );
    // Files no longer bring an item without addressee, but records stored before that rule still read well.
    let mut parts = seed().into_parts();
    parts.recommendations = vec![crate::mission::Recommendation {
        origin: crate::mission::Origin::Upward { raised_by: Vec::new() },
        addressees: Vec::new(),
        text: "sớm ban hành hướng dẫn.".to_owned(),
        follow_up: crate::recommendation::FollowUp::default(),
    }];
    let no_addressee = Mission::new(parts).expect("an item without addressee is a valid record");
    assert_eq!(
        upward_paragraph(&no_addressee).as_deref(),
        Some("Tại các buổi giám sát, các phường đã kiến nghị sớm ban hành hướng dẫn.")
    );
}

#[test]
fn downward_requests_are_sentences_after_the_preamble() {
    assert_eq!(
        downward_paragraphs(&mission_of(&council())),
        vec![
            "Đoàn giám sát đề nghị UBND tỉnh chỉ đạo các sở, ngành rà soát, bố trí kinh phí bảo trì các tuyến \
             đường do tỉnh quản lý. Tăng cường kiểm tra, xử lý xe quá tải, quá khổ."
                .to_owned(),
            "Đoàn giám sát cũng đề nghị UBND các huyện, thị xã, thành phố đẩy mạnh tuyên truyền, phổ biến pháp \
             luật về trật tự, an toàn giao thông."
                .to_owned(),
        ]
    );
    let no_issuer = mission_of(&front());
    assert_eq!(
        downward_paragraphs(&no_issuer),
        vec![
            "Ban Thường trực Ủy ban MTTQ Việt Nam quận đề nghị Ủy ban nhân dân các phường tiếp tục rà soát, cập \
              nhật danh sách cử tri..."
                .to_owned()
        ]
    );
}

// ----- rendering ------------------------------------------------------------------------------------------

#[test]
fn text_and_markdown_render_every_block() {
    let article = Article {
        title: "T *1*".to_owned(),
        lead: "L".to_owned(),
        paragraphs: vec!["P_1".to_owned(), "- not a list".to_owned(), "1. not a list".to_owned()],
        captions: vec!["C".to_owned()],
        byline: Some("Tin: X".to_owned()),
        source: Some("Ban Tuyên giáo Quận ủy".to_owned()),
    };
    assert_eq!(
        article.to_text(),
        "T *1*\n\nL\n\nP_1\n\n- not a list\n\n1. not a list\n\nC\n\nTin: X\n\n(Ban Tuyên giáo Quận ủy)\n"
    );
    assert_eq!(
        article.to_markdown(),
        "# T \\*1\\*\n\n**L**\n\nP\\_1\n\n\\- not a list\n\n1\\. not a list\n\n*C*\n\nTin: X\n\n(Ban Tuyên giáo Quận ủy)\n"
    );
    let sourced = seed_with(|v| v["publication"]["source"] = json!("(Ban Tuyên giáo Quận ủy)"));
    assert_eq!(compose(&sourced).source.as_deref(), Some("Ban Tuyên giáo Quận ủy"));
    let bare = compose(&mission_of(&bare()));
    assert_eq!((bare.byline, bare.source, bare.captions.len()), (None, None, 0));
}
