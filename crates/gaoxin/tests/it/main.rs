//! gaoxin's integration tests: one binary. `store` is the storage suite (SQLite always,
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail loudly
#![allow(missing_debug_implementations)]
//! PostgreSQL too when `GAOXIN_TEST_PG_URL` is set); `cli` runs the built binary; `web` drives
//! the router in-process.

mod accounts;
mod auth;
mod cli;
mod store;
mod support;
pub mod web;
