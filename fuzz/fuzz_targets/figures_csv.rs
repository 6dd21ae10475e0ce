//! A figures CSV for `gaoxin figures import`, whatever its bytes: rows or errors by line and
//! column, never a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = gaoxin_core::monitor::import::parse_csv(text);
    }
});
