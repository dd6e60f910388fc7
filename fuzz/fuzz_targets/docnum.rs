#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| giamsat_fuzz::docnum(data));
