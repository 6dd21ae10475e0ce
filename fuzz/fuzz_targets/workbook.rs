//! An uploaded workbook, whatever its bytes: refused or read, within the upload's limits —
//! never a crash, and never more memory than the file holds (run with -rss_limit_mb).
#![no_main]

use gaoxin_excel::Limits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        // gaoxin_excel catches a panic inside calamine and refuses the file; libFuzzer's hook
        // would abort on the panic before it is caught. A panic gaoxin does not catch still
        // fails the run (libfuzzer-sys aborts on it after the call).
        std::panic::set_hook(Box::new(|_| {}));
    },
    |data: &[u8]| {
        let _ = gaoxin_excel::read_rows(data, &Limits::FIGURES);
        let _ = gaoxin_excel::read_cells(data, &Limits::LEDGER);
        // The import's streamed read: the same bounds, rows handed on one at a time.
        let _ = gaoxin_excel::stream_cells(data, &Limits::LEDGER, |_, _| true);
    }
);
