//! Replays every corpus file and every saved crash (`fuzz/corpus/<target>/`, `fuzz/artifacts/<target>/`) through
//! the targets' checks on the stable toolchain, so a crash once found stays a regression test.

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut count = 0;
    for dir in ["corpus", "artifacts"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else { continue };
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            let data = std::fs::read(&path).expect("a readable corpus file");
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(outcome.is_ok(), "{} fails its check", path.display());
            count += 1;
        }
    }
    assert!(count > 0, "the {target} corpus is empty");
}

#[test]
fn docnum_corpus() {
    replay("docnum", giamsat_fuzz::docnum);
}

#[test]
fn date_corpus() {
    replay("date", giamsat_fuzz::date);
}

#[test]
fn interchange_corpus() {
    replay("interchange", giamsat_fuzz::interchange);
}
