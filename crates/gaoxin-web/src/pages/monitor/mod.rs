//! 指标监测 — the cockpit and a zone's trends ([`cockpit`]), and the figures behind them: entry
//! ([`entry`]), review and confirmation ([`review`]), what is not yet in ([`missing`]), the
//! periods' deadlines ([`periods`]), a value's history ([`history`]) and the Excel template and
//! upload ([`upload`]); the tasks' quantified sub-targets as rows ([`subtarget`]); the zones side
//! by side ([`compare`]).

pub mod cockpit;
pub mod compare;
pub mod entry;
pub mod history;
pub mod missing;
pub mod periods;
pub mod review;
pub mod subtarget;
pub mod upload;

pub use cockpit::period_of;

/// The routes of the figures pages (entry, review, missing, deadlines, history, upload), each with what it requires (see [`crate::routes`]).
pub(crate) fn routes() -> crate::routes::Routes {
    use crate::routes::{Access, upload_limit};
    use gaoxin_core::auth::Capability;
    let business = Access::Needs(Capability::ReadBusiness);
    cockpit::routes()
        .get("/figures", business, entry::entry)
        .post("/figures", business, entry::entry_post)
        .get("/figures/review", business, review::review)
        .post("/figures/review", business, review::review_post)
        .get("/figures/missing", business, missing::missing)
        .get("/figures/periods", business, periods::periods)
        .post("/figures/periods", business, periods::periods_post)
        .get("/figures/history", business, history::history)
        .get("/figures/template", business, upload::template)
        .method(
            "POST",
            "/figures/upload",
            business,
            axum::routing::post(upload::upload)
                .layer(upload_limit(gaoxin_excel::Limits::FIGURES.max_bytes)),
        )
        .post("/figures/upload/confirm", business, upload::upload_confirm)
}
