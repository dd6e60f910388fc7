//! The formal report's routes: the print page, the PDF and the DOCX downloads, behind `Action::Export`.

use giamsat_domain::policy::Role;

use crate::support::spawn_app;

#[tokio::test]
async fn the_formal_report_downloads_as_print_html_pdf_and_docx() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;

    let mission_page = staff.get(&format!("/missions/{id}")).await.text().await.expect("body");
    for link in ["formal\"", "formal.pdf\"", "formal.docx\""] {
        assert!(mission_page.contains(&format!("/missions/{id}/{link}")), "the mission page links {link}");
    }

    let page = staff.get(&format!("/missions/{id}/formal")).await;
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"].to_str().expect("ascii").starts_with("text/html"));
    let csp = page.headers()["content-security-policy"].to_str().expect("ascii").to_owned();
    assert!(csp.contains("default-src 'none'") && !csp.contains("script"), "{csp}");
    let html = page.text().await.expect("body");
    for expected in ["ĐẢNG CỘNG SẢN VIỆT NAM", "QUẬN ỦY HOÀN KIẾM", "Số      -BC/QU", "I. KẾT QUẢ GIÁM SÁT", "@page"]
    {
        assert!(html.contains(expected), "{expected:?} missing from the print page");
    }

    let pdf = staff.get(&format!("/missions/{id}/formal.pdf")).await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let disposition = pdf.headers()["content-disposition"].to_str().expect("ascii").to_owned();
    assert_eq!(disposition, format!("attachment; filename=\"giamsat-{id}-bao-cao-ket-qua-giam-sat.pdf\""));
    assert!(pdf.bytes().await.expect("body").starts_with(b"%PDF"));

    let docx = staff.get(&format!("/missions/{id}/formal.docx")).await;
    assert_eq!(docx.status(), 200);
    assert_eq!(
        docx.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert!(docx.headers()["content-disposition"].to_str().expect("ascii").ends_with(".docx\""));
    assert!(docx.bytes().await.expect("body").starts_with(b"PK"));
    app.cleanup().await;
}

#[tokio::test]
async fn the_formal_report_is_never_public_nor_for_a_viewer() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let viewer = app.user(Role::Viewer, Some(app.owner_of(id).await), None).await;
    for suffix in ["formal", "formal.pdf", "formal.docx"] {
        let path = format!("/missions/{id}/{suffix}");
        assert_eq!(viewer.get(&path).await.status(), 403, "{path}: a viewer may read, not export");
        let anonymous = app.get(&path).await;
        assert_ne!(anonymous.status(), 200, "{path} is never public");
    }
    let viewer_page = viewer.get(&format!("/missions/{id}")).await.text().await.expect("body");
    assert!(!viewer_page.contains("formal.pdf"), "no download button without the right to export");
    app.cleanup().await;
}
