//! `gaoxin`: the command line. `serve` runs the web application; `plan` checks, lists and loads
//! plan files. Errors go to stderr in Chinese and English with exit status 1.

mod backup;
mod bench;
mod bench_audit;
mod bench_ledgers;
mod bench_lists;
mod bench_load;
mod benchmark;
mod cli;
mod data;
mod ledger;
mod monitor;
mod users;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
