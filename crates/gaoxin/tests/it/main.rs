//! gaoxin's integration tests: one binary. `store` and `accounts` run on SQLite, and on
//! PostgreSQL too when `GAOXIN_TEST_PG_URL` is set; `web` and `auth` run on SQLite, or on
//! PostgreSQL when it is set; `cli` runs the built binary (SQLite); `web` drives
//! the router in-process; `accounts` and `auth` cover accounts, the audit log, sign-in and
//! access control.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail loudly
#![allow(missing_debug_implementations)]

mod accounts;
mod auth;
mod benchmarking;
mod cli;
mod dispatch;
mod figures;
mod hardening;
mod ledgers;
mod notify;
mod schema;
mod store;
mod supervision;
mod support;
mod tidy;
pub mod web;
mod web_benchmarking;
mod web_bulletin;
mod web_figures;
mod web_ledgers;
mod web_screen;
mod web_supervision;
mod web_work;
mod web_workbench;
