//! The one way text reaches a person in either language. Anything a person may be told — an
//! error, a refusal, the name of a role or a state — implements [`Message`]: it gives a
//! [`Text`], the message in Chinese and in English with its parameters filled in. A page shows
//! the reader's language ([`Text::get`]); logs and the console show both (`Display`:
//! "中文 / English"). No layer splits a bilingual string apart: the two languages travel
//! separately from where the message is made to where it is shown.
//!
//! Each domain keeps its messages' wording together in its own catalogue (`messages.rs` beside
//! its code, the web's `i18n/`), which the tidy test holds to.

use serde::Serialize;
use std::fmt;

/// A language a person reads gaoxin in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

/// A message in both languages, parameters filled in.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The message in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// Both languages, for logs and the console.
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.zh == self.en {
            f.write_str(&self.zh)
        } else {
            write!(f, "{} / {}", self.zh, self.en)
        }
    }
}

/// Something a person may be told, in either language.
pub trait Message {
    fn text(&self) -> Text;

    /// The message in `lang`.
    fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.text().zh,
            Lang::En => self.text().en,
        }
    }
}

/// A fixed name — a role, a state, a light, a step — in either language, known when gaoxin is
/// built: a [`Message`] a page may hold without allocating.
pub trait Name {
    fn name(&self, lang: Lang) -> &'static str;
}

/// A message fixed in a catalogue: its two languages as written there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fixed {
    pub zh: &'static str,
    pub en: &'static str,
}

impl Name for Fixed {
    fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

impl<T: Name> Message for T {
    fn text(&self) -> Text {
        Text::new(self.name(Lang::Zh), self.name(Lang::En))
    }
}

impl Message for Text {
    fn text(&self) -> Text {
        self.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_reads_in_one_language_and_shows_both_in_logs() {
        let t = Text::new("记录不存在", "no such record");
        assert_eq!(t.get(Lang::Zh), "记录不存在");
        assert_eq!(t.say(Lang::En), "no such record");
        assert_eq!(t.to_string(), "记录不存在 / no such record");
        assert_eq!(Text::new("2026-11", "2026-11").to_string(), "2026-11");
    }
}
