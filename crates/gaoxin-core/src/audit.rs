//! 审计日志 — the audit trail's hash chain. Each event is sealed with HMAC-SM3 (GB/T 32905)
//! over the previous event's seal and the event's own fields, keyed by a secret kept outside
//! the database. Editing, deleting or reordering any event breaks every seal after it.

use hmac::{Hmac, Mac};
use serde::Serialize;
use sm3::Sm3;

/// The seal before the first event.
pub const GENESIS: [u8; 32] = [0; 32];

/// One audit event, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEvent {
    /// Position in the chain, from 1, without gaps.
    pub id: i64,
    /// ISO 8601, +08:00.
    pub at: String,
    pub account: String,
    pub role: String,
    pub unit: String,
    pub ip: String,
    /// e.g. `account.create`, `login.failure`.
    pub action: String,
    pub target: String,
    /// `success`, `failure`, `denied`.
    pub result: String,
    /// JSON of what changed, before and after.
    pub before: Option<String>,
    pub after: Option<String>,
}

impl AuditEvent {
    /// Every field, each length-prefixed, so no two different events encode alike.
    fn canonical(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        out.extend_from_slice(&self.id.to_be_bytes());
        let texts = [
            &self.at,
            &self.account,
            &self.role,
            &self.unit,
            &self.ip,
            &self.action,
            &self.target,
            &self.result,
        ];
        for t in texts {
            out.extend_from_slice(&(t.len() as u64).to_be_bytes());
            out.extend_from_slice(t.as_bytes());
        }
        for t in [&self.before, &self.after] {
            match t {
                Some(t) => {
                    out.push(1);
                    out.extend_from_slice(&(t.len() as u64).to_be_bytes());
                    out.extend_from_slice(t.as_bytes());
                }
                None => out.push(0),
            }
        }
        out
    }

    /// The event's seal: HMAC-SM3(key, previous seal ‖ event).
    pub fn seal(&self, key: &[u8], previous: &[u8; 32]) -> [u8; 32] {
        Sealer::new(key).seal(self, previous)
    }
}

/// HMAC-SM3 keyed once: sealing or checking many events clones the keyed state instead of
/// deriving it from the key for each (two SM3 blocks saved per event).
#[derive(Clone)]
pub struct Sealer(Option<Hmac<Sm3>>);

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(…)")
    }
}

impl Sealer {
    pub fn new(key: &[u8]) -> Sealer {
        // HMAC takes keys of any length: this is always `Some`.
        Sealer(<Hmac<Sm3> as Mac>::new_from_slice(key).ok())
    }

    /// `event`'s seal over `previous`.
    pub fn seal(&self, event: &AuditEvent, previous: &[u8; 32]) -> [u8; 32] {
        let Some(keyed) = &self.0 else {
            return [0; 32];
        };
        let mut mac = keyed.clone();
        mac.update(previous);
        mac.update(&event.canonical());
        mac.finalize().into_bytes().into()
    }
}

/// Where and why a chain is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    /// The first event that does not verify (for a gap: the id that is missing).
    pub event_id: i64,
    pub reason: BreakReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakReason {
    /// The event's fields or seal were changed.
    SealMismatch,
    /// Events are missing before this one.
    Missing,
    /// The stored chain head does not match the last event: events were removed from the end.
    HeadMismatch,
    /// The chain ends before the event anchored outside the database: its last events were
    /// removed (and the head rewritten to hide it).
    CutBeforeAnchor,
    /// The anchored event is not the one in the database: the chain was rewritten.
    AnchorMismatch,
}

/// A stored event with its seal.
#[derive(Debug, Clone)]
pub struct SealedEvent {
    pub event: AuditEvent,
    pub seal: [u8; 32],
}

/// A chain checked event by event, in id order, so a caller can stream it from the database in
/// pages and hold only one page at a time (10,000,000 events in bounded memory).
#[derive(Debug, Clone)]
pub struct ChainCheck {
    previous: [u8; 32],
    expected_id: i64,
    count: u64,
}

impl Default for ChainCheck {
    fn default() -> Self {
        ChainCheck {
            previous: GENESIS,
            expected_id: 1,
            count: 0,
        }
    }
}

impl ChainCheck {
    /// The id the next event must have.
    pub fn next_id(&self) -> i64 {
        self.expected_id
    }

    /// Checks the next event.
    pub fn push(&mut self, sealer: &Sealer, e: &SealedEvent) -> Result<(), ChainBreak> {
        if e.event.id != self.expected_id {
            return Err(ChainBreak {
                event_id: self.expected_id,
                reason: BreakReason::Missing,
            });
        }
        if sealer.seal(&e.event, &self.previous) != e.seal {
            return Err(ChainBreak {
                event_id: e.event.id,
                reason: BreakReason::SealMismatch,
            });
        }
        self.previous = e.seal;
        self.expected_id += 1;
        self.count += 1;
        Ok(())
    }

    /// Ends the check against the head recorded with the chain (`last id`, `last seal`):
    /// the number of events checked.
    pub fn finish(self, head: Option<(i64, [u8; 32])>) -> Result<u64, ChainBreak> {
        let last = (self.expected_id - 1, self.previous);
        match head {
            Some(h) if h != last => Err(ChainBreak {
                event_id: last.0 + 1,
                reason: BreakReason::HeadMismatch,
            }),
            None if self.count > 0 => Err(ChainBreak {
                event_id: 1,
                reason: BreakReason::HeadMismatch,
            }),
            _ => Ok(self.count),
        }
    }
}

/// Verifies a whole chain, in id order, against the head recorded with it (`last id`, `last
/// seal`). Returns the number of events checked.
pub fn verify_chain(
    key: &[u8],
    events: impl IntoIterator<Item = SealedEvent>,
    head: Option<(i64, [u8; 32])>,
) -> Result<u64, ChainBreak> {
    let sealer = Sealer::new(key);
    let mut check = ChainCheck::default();
    for e in events {
        check.push(&sealer, &e)?;
    }
    check.finish(head)
}

/// The chain's head as it was seen at a moment, kept outside the database (a file beside the
/// key, copied with backups): an attacker who deletes the last events and rewrites the head
/// row leaves a chain that verifies, but not one that reaches the anchor. The anchor is sealed
/// with the audit key, so it cannot be moved back either.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// The last event's id then.
    pub last_id: i64,
    /// Its seal.
    pub last_seal: [u8; 32],
    /// When the anchor was written (ISO 8601, +08:00).
    pub at: String,
}

/// The first word of an anchor file, with its format version.
const ANCHOR_MAGIC: &str = "gaoxin-audit-anchor/1";

impl Anchor {
    fn mac(&self, key: &[u8]) -> [u8; 32] {
        let mut mac = match <Hmac<Sm3> as Mac>::new_from_slice(key) {
            Ok(m) => m,
            Err(_) => return [0; 32],
        };
        mac.update(ANCHOR_MAGIC.as_bytes());
        mac.update(&self.last_id.to_be_bytes());
        mac.update(&self.last_seal);
        mac.update(self.at.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// The anchor as one line of text, sealed with `key`.
    pub fn to_line(&self, key: &[u8]) -> String {
        format!(
            "{ANCHOR_MAGIC} {} {} {} {}\n",
            self.last_id,
            to_hex(&self.last_seal),
            self.at,
            to_hex(&self.mac(key))
        )
    }

    /// Reads an anchor line; `None` when it is not one, or its seal does not match `key`.
    pub fn from_line(line: &str, key: &[u8]) -> Option<Anchor> {
        let mut parts = line.split_whitespace();
        if parts.next()? != ANCHOR_MAGIC {
            return None;
        }
        let anchor = Anchor {
            last_id: parts.next()?.parse().ok()?,
            last_seal: from_hex(parts.next()?)?,
            at: parts.next()?.to_string(),
        };
        let mac = from_hex(parts.next()?)?;
        (parts.next().is_none() && anchor.mac(key) == mac).then_some(anchor)
    }

    /// Checks a verified chain (its last id and seal, and the seal of event `self.last_id` if
    /// the chain reaches it) against the anchor: the chain must reach the anchored event, and
    /// that event must be the one anchored.
    pub fn check(
        &self,
        chain_last_id: i64,
        seal_at_anchor: Option<[u8; 32]>,
    ) -> Result<(), ChainBreak> {
        if chain_last_id < self.last_id {
            return Err(ChainBreak {
                event_id: chain_last_id + 1,
                reason: BreakReason::CutBeforeAnchor,
            });
        }
        if seal_at_anchor != Some(self.last_seal) {
            return Err(ChainBreak {
                event_id: self.last_id,
                reason: BreakReason::AnchorMismatch,
            });
        }
        Ok(())
    }
}

/// Hex for storing seals as text.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses 64 hex digits.
pub fn from_hex(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, chunk) in s.as_bytes().chunks(2).enumerate() {
        let pair = std::str::from_utf8(chunk).ok()?;
        out[i] = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: i64, action: &str) -> AuditEvent {
        AuditEvent {
            id,
            at: "2026-11-28T06:00:00+08:00".into(),
            account: "admin".into(),
            role: "system-admin".into(),
            unit: "dispatch".into(),
            ip: "127.0.0.1".into(),
            action: action.into(),
            target: "account:clerk".into(),
            result: "success".into(),
            before: None,
            after: Some("{\"disabled\":false}".into()),
        }
    }

    fn chain(key: &[u8], n: i64) -> Vec<SealedEvent> {
        let mut prev = GENESIS;
        (1..=n)
            .map(|id| {
                let event = event(id, "account.create");
                let seal = event.seal(key, &prev);
                prev = seal;
                SealedEvent { event, seal }
            })
            .collect()
    }

    #[test]
    fn sm3_matches_the_gbt32905_example() {
        use sm3::Digest;
        // GB/T 32905-2016 appendix A.1: SM3("abc").
        let d = Sm3::digest(b"abc");
        assert_eq!(
            to_hex(&d),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
    }

    #[test]
    fn an_intact_chain_verifies() {
        let key = b"k";
        let c = chain(key, 5);
        let head = Some((5, c[4].seal));
        assert_eq!(verify_chain(key, c, head), Ok(5));
        assert_eq!(verify_chain(key, Vec::new(), None), Ok(0));
    }

    #[test]
    fn edits_deletions_and_truncation_are_named() {
        let key = b"k";
        let mut edited = chain(key, 5);
        let head = Some((5, edited[4].seal));
        edited[2].event.result = "failure".into();
        assert_eq!(
            verify_chain(key, edited, head),
            Err(ChainBreak {
                event_id: 3,
                reason: BreakReason::SealMismatch
            })
        );

        let mut deleted = chain(key, 5);
        deleted.remove(1);
        assert_eq!(
            verify_chain(key, deleted, head),
            Err(ChainBreak {
                event_id: 2,
                reason: BreakReason::Missing
            })
        );

        let mut truncated = chain(key, 5);
        truncated.pop();
        assert_eq!(
            verify_chain(key, truncated, head),
            Err(ChainBreak {
                event_id: 5,
                reason: BreakReason::HeadMismatch
            })
        );

        assert!(
            verify_chain(b"other key", chain(key, 2), None).is_err(),
            "a wrong key verifies nothing"
        );
    }

    #[test]
    fn an_anchor_finds_a_cut_tail_that_the_head_row_hides() {
        let key = b"k";
        let full = chain(key, 5);
        let anchor = Anchor {
            last_id: 5,
            last_seal: full[4].seal,
            at: "2026-12-02T10:00:00+08:00".into(),
        };
        let line = anchor.to_line(key);
        assert_eq!(Anchor::from_line(&line, key), Some(anchor.clone()));
        assert_eq!(Anchor::from_line(&line, b"other key"), None, "sealed");
        assert_eq!(
            Anchor::from_line(&line.replacen(" 5 ", " 3 ", 1), key),
            None,
            "cannot be moved back"
        );
        // Two events cut and the head row rewritten: the chain alone verifies …
        let mut cut = chain(key, 5);
        cut.truncate(3);
        let head = Some((3, cut[2].seal));
        assert_eq!(verify_chain(key, cut, head), Ok(3));
        // … the anchor does not.
        assert_eq!(
            anchor.check(3, None),
            Err(ChainBreak {
                event_id: 4,
                reason: BreakReason::CutBeforeAnchor
            })
        );
        assert_eq!(anchor.check(5, Some(full[4].seal)), Ok(()));
        assert_eq!(anchor.check(7, Some(full[4].seal)), Ok(()), "later events");
        assert!(anchor.check(5, Some([1; 32])).is_err(), "rewritten");
    }

    #[test]
    fn hex_round_trips() {
        let s = [0xab; 32];
        assert_eq!(from_hex(&to_hex(&s)), Some(s));
        assert_eq!(from_hex("zz"), None);
    }
}
