//! How long the seed mission's reports take to render on this machine (a report, not a timed test):
//! `cargo bench -p giamsat-web --bench reports`. Medians over repeated runs, against the targets of issue 5.
//! Needs fonts-liberation2 (or GIAMSAT_FONT_DIR) and LibreOffice (libreoffice-writer-nogui).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test: a panic is a failed test"
)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use giamsat_domain::formal::{self, FormalSettings};
use giamsat_domain::interchange;

const SEED_JSON: &str = include_str!("../../../tests/fixtures/seed-mission.json");

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration) {
    let started = Instant::now();
    std::hint::black_box(f());
    let first = started.elapsed();
    let samples = (0..runs)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(f());
            started.elapsed()
        })
        .collect();
    (first, median(samples))
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let mission = interchange::parse(SEED_JSON.as_bytes()).expect("the seed mission parses");
    let report = formal::build(&mission, &FormalSettings::for_mission(&mission));
    let font_dir = std::env::var(giamsat_web::config::FONT_DIR)
        .unwrap_or_else(|_| giamsat_web::config::DEFAULT_FONT_DIR.to_owned());
    let fonts = giamsat_render::Fonts::load(Path::new(&font_dir)).unwrap_or_else(|e| panic!("{e}"));

    let (_, article) = time(2000, || giamsat_web::pages::article::article_html(&mission).expect("article"));
    let (pdf_first, pdf) = time(20, || giamsat_render::pdf(&report, &fonts).expect("pdf"));
    let today = chrono::NaiveDate::from_ymd_opt(2021, 4, 1).unwrap_or_default();
    let (_, docx) = time(200, || giamsat_render::docx(&report, today).expect("docx"));

    let dir = tempfile::tempdir().expect("temporary directory");
    let docx_path = dir.path().join("formal.docx");
    std::fs::write(&docx_path, giamsat_render::docx(&report, today).expect("docx")).expect("write the DOCX");
    let (_, office) = time(3, || {
        let status = Command::new("libreoffice")
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(dir.path())
            .arg(&docx_path)
            .env("HOME", dir.path())
            .output()
            .unwrap_or_else(|e| panic!("cannot run libreoffice ({e}): apt-get install -y libreoffice-writer-nogui"));
        assert!(status.status.success(), "libreoffice failed: {}", String::from_utf8_lossy(&status.stderr));
    });

    let ratio = office.as_secs_f64() / pdf.as_secs_f64();
    let verdict = |ok: bool| if ok { "ok" } else { "MISSED" };
    println!("reports of the seed mission (medians; first Typst run {})", ms(pdf_first));
    println!(
        "  article HTML          {:>12}  target < 1 ms     {}",
        ms(article),
        verdict(article < Duration::from_millis(1))
    );
    println!(
        "  formal PDF (Typst)    {:>12}  target < 150 ms   {}",
        ms(pdf),
        verdict(pdf < Duration::from_millis(150))
    );
    println!(
        "  formal DOCX           {:>12}  target < 20 ms    {}",
        ms(docx),
        verdict(docx < Duration::from_millis(20))
    );
    println!("  DOCX → PDF LibreOffice{:>12}", ms(office));
    println!("  Typst vs LibreOffice  {ratio:>9.1}×    target ≥ 20×      {}", verdict(ratio >= 20.0));
}
