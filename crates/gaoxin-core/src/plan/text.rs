//! 方案原文 — the plan's full text, and the quotes that tie each target and task to it.
//!
//! Quotes are matched ignoring whitespace, because texts copied from PDFs and Word documents
//! break lines and space numbers unpredictably (`达到 320\n家`). A quote must occur exactly once,
//! so a link from a target to its sentence is never ambiguous.

use serde::Serialize;
use std::ops::Range;

/// The plan text, as written in the plan file's `[text]` section.
#[derive(Debug, Clone, Serialize)]
pub struct PlanText {
    pub body: String,
}

/// A sentence (or part of one) of the plan text that an item comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// The quote as the plan file writes it.
    pub text: String,
    /// Where it is in the plan text, in bytes.
    #[serde(skip)]
    pub span: Range<usize>,
    /// The HTML anchor of the quote on the plan-text page.
    pub anchor: String,
}

/// A piece of one paragraph of the plan text, for rendering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextSegment {
    pub text: String,
    /// Part of at least one quote.
    pub quoted: bool,
    /// Anchors of the quotes that start here.
    pub anchors: Vec<String>,
}

/// Why a quote could not be placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuoteProblem {
    Empty,
    NotFound,
    Ambiguous(usize),
}

/// The plan text without whitespace, for finding quotes: built once, searched for every quote.
#[derive(Debug, Clone)]
pub struct TextIndex {
    squeezed: String,
    /// For each byte of `squeezed`, the byte in the body where its character starts.
    offsets: Vec<usize>,
}

impl TextIndex {
    pub fn new(body: &str) -> TextIndex {
        let mut squeezed = String::with_capacity(body.len());
        let mut offsets = Vec::with_capacity(body.len());
        for (i, c) in body.char_indices().filter(|(_, c)| !c.is_whitespace()) {
            squeezed.push(c);
            offsets.extend(std::iter::repeat_n(i, c.len_utf8()));
        }
        TextIndex { squeezed, offsets }
    }

    /// Finds a quote, ignoring whitespace on both sides; it must occur exactly once.
    pub fn locate(&self, quote: &str) -> Result<Quote, QuoteProblem> {
        let needle: String = quote.chars().filter(|c| !c.is_whitespace()).collect();
        let Some(first_len) = needle.chars().next().map(char::len_utf8) else {
            return Err(QuoteProblem::Empty);
        };
        // Every occurrence, overlapping ones included.
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(i) = self
            .squeezed
            .get(from..)
            .and_then(|rest| rest.find(&needle))
        {
            found.push(from + i);
            from += i + first_len;
        }
        match found.as_slice() {
            [] => Err(QuoteProblem::NotFound),
            [at] => {
                let last_start =
                    at + needle.len() - needle.chars().last().map_or(1, char::len_utf8);
                let start = self.offsets[*at];
                let end = self.offsets[last_start]
                    + self.squeezed[last_start..]
                        .chars()
                        .next()
                        .map_or(1, char::len_utf8);
                Ok(Quote {
                    text: quote.to_string(),
                    anchor: format!("q{start}-{end}"),
                    span: start..end,
                })
            }
            many => Err(QuoteProblem::Ambiguous(many.len())),
        }
    }
}

impl PlanText {
    /// Finds a quote in the text, ignoring whitespace on both sides. To place many quotes,
    /// build a [`TextIndex`] once instead.
    pub fn locate(&self, quote: &str) -> Result<Quote, QuoteProblem> {
        TextIndex::new(&self.body).locate(quote)
    }

    /// The text as paragraphs of segments, with the given quotes marked.
    pub fn paragraphs(&self, quotes: &[&Quote]) -> Vec<Vec<TextSegment>> {
        let mut out = Vec::new();
        let mut para_start = 0;
        for line in self.body.split('\n') {
            let range = para_start..para_start + line.len();
            para_start = range.end + 1;
            if line.trim().is_empty() {
                continue;
            }
            out.push(self.segments(range, quotes));
        }
        out
    }

    fn segments(&self, para: Range<usize>, quotes: &[&Quote]) -> Vec<TextSegment> {
        let mut cuts = vec![para.start, para.end];
        for q in quotes {
            for at in [q.span.start, q.span.end] {
                if para.contains(&at) {
                    cuts.push(at);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        cuts.windows(2)
            .filter_map(|w| {
                let (a, b) = (w[0], w[1]);
                let text = self.body.get(a..b)?.to_string();
                let quoted = quotes.iter().any(|q| q.span.start <= a && b <= q.span.end);
                let mut anchors: Vec<String> = quotes
                    .iter()
                    .filter(|q| q.span.start == a)
                    .map(|q| q.anchor.clone())
                    .collect();
                anchors.sort();
                anchors.dedup();
                Some(TextSegment {
                    text,
                    quoted,
                    anchors,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(body: &str) -> PlanText {
        PlanText {
            body: body.to_string(),
        }
    }

    #[test]
    fn locate_ignores_whitespace_and_line_breaks() {
        let t = text("市级以上创新平台达到 320\n家。");
        let q = t.locate("市级以上创新平台达到320 家").unwrap();
        assert_eq!(&t.body[q.span.clone()], "市级以上创新平台达到 320\n家");
    }

    #[test]
    fn locate_refuses_missing_and_repeated_quotes() {
        let t = text("达到 10%，达到 10%。");
        assert_eq!(t.locate("达到 10%"), Err(QuoteProblem::Ambiguous(2)));
        assert_eq!(t.locate("达到 11%"), Err(QuoteProblem::NotFound));
        assert_eq!(t.locate("  "), Err(QuoteProblem::Empty));
    }

    #[test]
    fn paragraphs_mark_quotes_and_anchor_their_starts() {
        let t = text("甲乙丙丁\n戊己");
        let q = t.locate("乙丙").unwrap();
        let paras = t.paragraphs(&[&q]);
        assert_eq!(paras.len(), 2);
        let texts: Vec<(&str, bool)> = paras[0]
            .iter()
            .map(|s| (s.text.as_str(), s.quoted))
            .collect();
        assert_eq!(texts, vec![("甲", false), ("乙丙", true), ("丁", false)]);
        assert_eq!(paras[0][1].anchors, vec![q.anchor.clone()]);
        assert!(!paras[1][0].quoted);
    }
}
