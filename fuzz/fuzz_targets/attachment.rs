//! An attachment, whatever its name and bytes: accepted as a known kind or refused with the
//! reason, never a crash. The first line of the input is the file name.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|b| *b == b'\n').unwrap_or(data.len());
    let name = String::from_utf8_lossy(&data[..split]);
    let bytes = data.get(split + 1..).unwrap_or_default();
    if let Err(e) = gaoxin_core::dispatch::attachment::check(&name, bytes) {
        let _ = (e.zh(), e.en());
    }
    let _ = gaoxin_core::dispatch::attachment::clean_name(&name);
});
