//! gaoxin's integration tests: one binary. `store` is the storage suite (SQLite always,
//! PostgreSQL too when `GAOXIN_TEST_PG_URL` is set); `cli` runs the built binary; `web` drives
//! the router in-process; `accounts` and `auth` cover accounts, the audit log, sign-in and
//! access control.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail loudly
#![allow(missing_debug_implementations)]

mod accounts;
mod auth;
mod cli;
mod store;
mod support;
pub mod web;
