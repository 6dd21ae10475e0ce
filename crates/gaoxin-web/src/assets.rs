//! Static assets, embedded in the binary at build time and served by it: the pages need no
//! internet. URLs carry a digest of the content (`?v=`), so browsers may cache them for good.

use crate::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::OnceLock;

struct Asset {
    name: &'static str,
    mime: &'static str,
    body: &'static [u8],
}

macro_rules! web_file {
    ($path:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/", $path))
    };
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "app.css",
        mime: "text/css; charset=utf-8",
        body: web_file!("app.css"),
    },
    Asset {
        name: "favicon.svg",
        mime: "image/svg+xml",
        body: web_file!("favicon.svg"),
    },
    Asset {
        name: "app.js",
        mime: "text/javascript; charset=utf-8",
        body: web_file!("app.js"),
    },
    Asset {
        name: "echarts.min.js",
        mime: "text/javascript; charset=utf-8",
        body: web_file!("node_modules/echarts/dist/echarts.min.js"),
    },
    Asset {
        name: "htmx.min.js",
        mime: "text/javascript; charset=utf-8",
        body: web_file!("node_modules/htmx.org/dist/htmx.min.js"),
    },
];

/// FNV-1a: a stable, dependency-free digest, enough to tell versions of a file apart.
fn digest(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The URL of an asset, with its digest: `/assets/app.css?v=…`.
pub fn url(name: &str) -> String {
    static URLS: OnceLock<Vec<(&'static str, String)>> = OnceLock::new();
    let urls = URLS.get_or_init(|| {
        ASSETS
            .iter()
            .map(|a| {
                (
                    a.name,
                    format!("/assets/{}?v={}", a.name, &digest(a.body)[..12]),
                )
            })
            .collect()
    });
    urls.iter()
        .find(|(n, _)| *n == name)
        .map_or_else(|| format!("/assets/{name}"), |(_, u)| u.clone())
}

pub async fn serve(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(a) => (
            [
                (header::CONTENT_TYPE, a.mime),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            a.body,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
