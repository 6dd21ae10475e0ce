//! The domain of gaoxin (高新): the plan model, plan-file parsing and validation, and the
//! tables every view of the plan is built from. Plain Rust: no I/O, no async, no SQL, no HTTP.

pub mod audit;
pub mod auth;
pub mod benchmarking;
pub mod bulletin;
pub mod csv;
pub mod dispatch;
pub mod known;
pub mod ledger;
mod messages;
pub mod monitor;
pub mod notices;
pub mod plan;
pub mod rows;
pub mod supervise;
pub mod text;
pub mod time;

pub use plan::{Plan, PlanErrors};
