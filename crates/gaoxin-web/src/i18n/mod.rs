//! 消息目录 — every piece of interface text, in Chinese (the default) and English, in one
//! catalogue per domain (`i18n/monitor.rs`, `i18n/ledger.rs` …, `i18n/common.rs` for what every
//! page uses). Each entry is a method on [`Tr`], so a template that names a missing entry does
//! not compile, and a [`gaoxin_core::text::Fixed`] message (`Msg::key()`) for errors that travel before they are
//! shown. Messages from core and the store come as `gaoxin_core::text::Message`s, shown with
//! `say(lang)`. Plan content (names of zones, departments, tasks) is not here: it comes from the
//! plan file.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use std::convert::Infallible;

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The `lang` attribute of the page.
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "zh" | "zh-CN" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, for the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

/// The request's language as core's messages take it ([`gaoxin_core::text::Message::say`]).
impl From<Lang> for gaoxin_core::text::Lang {
    fn from(lang: Lang) -> Self {
        match lang {
            Lang::Zh => gaoxin_core::text::Lang::Zh,
            Lang::En => gaoxin_core::text::Lang::En,
        }
    }
}

/// The cookie that remembers the language.
pub const LANG_COOKIE: &str = "gaoxin_lang";

/// The language of a request: `?lang=` first, then the cookie, then Chinese.
impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang::from_parts(parts))
    }
}

impl Lang {
    /// The language of a request: `?lang=` first, then the cookie, then Chinese.
    pub fn from_parts(parts: &Parts) -> Lang {
        let from_query = parts.uri.query().and_then(|q| {
            q.split('&')
                .find_map(|kv| kv.strip_prefix("lang="))
                .and_then(Lang::from_code)
        });
        let from_cookie = || {
            parts
                .headers
                .get_all(header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(';'))
                .find_map(|c| c.trim().strip_prefix(LANG_COOKIE)?.strip_prefix('='))
                .and_then(Lang::from_code)
        };
        from_query.or_else(from_cookie).unwrap_or_default()
    }
}

/// The instructions sheet of the figures template.
pub const TEMPLATE_INSTRUCTIONS: &[&str] = &[
    "1. 只在“本期值”和“说明”两列填写；其余各列由 gaoxin 生成，请勿修改（区域代码、数据代码、报告期用于识别数据）。",
    "2. 本期值填数字，可带千分位逗号；增速、占比填百分数的数值（如 8.5 表示 8.5%）。",
    "3. 与上年同期相比变动超过方案规定幅度（默认 ±30%）的数据，必须在“说明”中写明原因。",
    "4. 保存为 .xlsx（不要另存为含宏的 .xlsm），在“数据填报”页面上传：先试导入，核对无误后确认导入。",
    "5. 有任何一行出错，整个文件都不导入；改正后重新上传即可。导入的数据即为已提交，等待数据来源部门审核。",
];

/// Every domain's entries, for the catalogue's tests.
pub const ALL: &[&[(&str, &str, &str)]] = &[
    account::ENTRIES,
    admin::ENTRIES,
    benchmarking::ENTRIES,
    bulletin::ENTRIES,
    common::ENTRIES,
    dispatch::ENTRIES,
    ledger::ENTRIES,
    monitor::ENTRIES,
    supervise::ENTRIES,
    workbench::ENTRIES,
];

/// Interface text in one language.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
}

/// One domain's entries: a method on [`Tr`] each (so a template naming a missing entry does not
/// compile), the same as a [`gaoxin_core::text::Fixed`] message for errors (`Msg::key()`), and the list of them all
/// for the catalogue's tests.
macro_rules! catalog {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        impl $crate::i18n::Tr {
            $(pub fn $key(&self) -> &'static str {
                match self.lang { $crate::i18n::Lang::Zh => $zh, $crate::i18n::Lang::En => $en }
            })*
        }

        impl $crate::i18n::Msg {
            $(#[allow(dead_code)]
            pub const fn $key() -> gaoxin_core::text::Fixed {
                gaoxin_core::text::Fixed { zh: $zh, en: $en }
            })*
        }

        /// Every entry, for the catalogue's tests: (key, zh, en).
        pub const ENTRIES: &[(&str, &str, &str)] = &[$((stringify!($key), $zh, $en)),*];
    };
}

/// The catalogue's entries as messages in both languages (`Msg::bad_period()`): what an error
/// carries until it is shown in the reader's language.
#[derive(Debug)]
pub struct Msg;

/// Fills the `{}` placeholders of a catalog entry, in order.
pub fn fill(template: &str, args: &[&dyn std::fmt::Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut args = args.iter();
    let mut rest = template;
    while let Some(at) = rest.find("{}") {
        out.push_str(&rest[..at]);
        if let Some(a) = args.next() {
            out.push_str(&a.to_string());
        }
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

mod account;
mod admin;
mod benchmarking;
pub use benchmarking::PEER_INSTRUCTIONS;
mod bulletin;
mod common;
mod dispatch;
mod ledger;
mod monitor;
mod supervise;
mod workbench;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_has_both_languages_and_english_is_translated() {
        for (key, zh, en) in ALL.iter().copied().flatten() {
            assert!(!zh.trim().is_empty(), "{key}: empty Chinese");
            // Only the language switch speaks Chinese in the English interface: it is read by
            // the person who wants Chinese back.
            let cjk = en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            let switch = matches!(*key, "switch_lang" | "switch_lang_title");
            assert!(!cjk || switch, "{key}: English text contains Chinese: {en}");
            assert_eq!(
                zh.matches("{}").count(),
                en.matches("{}").count(),
                "{key}: placeholders differ"
            );
        }
    }

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<&str> = ALL.iter().copied().flatten().map(|e| e.0).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n);
    }
}
