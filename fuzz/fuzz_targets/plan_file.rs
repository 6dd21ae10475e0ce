//! A plan file, whatever its bytes: `gaoxin plan check` answers with errors, never a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(errors) = gaoxin_core::Plan::parse("fuzz.toml", &text) {
        // Every error can be shown.
        let _ = errors.to_string();
    }
});
