//! 动态口令 — TOTP (RFC 6238), the second factor of the three administrators, and the base32
//! secrets and `otpauth://` URIs authenticator apps read.

use crate::time::Timestamp;
use hmac::{Hmac, Mac};

/// The hash a TOTP uses. Authenticator apps all read SHA-1; the others are for RFC 6238's
/// test vectors and for apps that support them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Sha1,
    Sha256,
    Sha512,
}

/// Seconds per code.
pub const STEP: i64 = 30;
/// Digits per code.
pub const DIGITS: u32 = 6;

fn hmac(alg: Algorithm, key: &[u8], msg: &[u8]) -> Vec<u8> {
    fn run<M: Mac + hmac::digest::KeyInit>(key: &[u8], msg: &[u8]) -> Vec<u8> {
        match <M as hmac::digest::KeyInit>::new_from_slice(key) {
            Ok(mut m) => {
                m.update(msg);
                m.finalize().into_bytes().to_vec()
            }
            Err(_) => Vec::new(),
        }
    }
    match alg {
        Algorithm::Sha1 => run::<Hmac<sha1::Sha1>>(key, msg),
        Algorithm::Sha256 => run::<Hmac<sha2::Sha256>>(key, msg),
        Algorithm::Sha512 => run::<Hmac<sha2::Sha512>>(key, msg),
    }
}

/// The code for time counter `counter` (RFC 4226's HOTP with dynamic truncation).
pub fn hotp(alg: Algorithm, key: &[u8], counter: u64, digits: u32) -> u32 {
    let mac = hmac(alg, key, &counter.to_be_bytes());
    let Some(last) = mac.last() else { return 0 };
    let offset = usize::from(last & 0x0f);
    let Some(b) = mac.get(offset..offset + 4) else {
        return 0;
    };
    let bin = (u32::from(b[0] & 0x7f) << 24)
        | (u32::from(b[1]) << 16)
        | (u32::from(b[2]) << 8)
        | u32::from(b[3]);
    bin % 10u32.pow(digits)
}

/// The code at time `at`.
pub fn code_at(alg: Algorithm, key: &[u8], at: Timestamp, digits: u32) -> u32 {
    hotp(alg, key, (at.0.max(0) / STEP) as u64, digits)
}

/// Whether `code` is valid at `now`, allowing one step of clock drift either way. Returns the
/// counter it matched, so a caller can refuse the same code twice.
pub fn verify(key: &[u8], code: &str, now: Timestamp) -> Option<u64> {
    let code = code.trim();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let given: u32 = code.parse().ok()?;
    let counter = now.0.max(0) / STEP;
    [counter - 1, counter, counter + 1]
        .into_iter()
        .filter(|c| *c >= 0)
        .map(|c| c as u64)
        .find(|c| hotp(Algorithm::Sha1, key, *c, DIGITS) == given)
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding, as authenticator apps expect secrets.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for b in bytes {
        buffer = (buffer << 8) | u32::from(*b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(BASE32[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Decodes base32 (case-insensitive, spaces and padding ignored).
pub fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for c in s.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let v = BASE32
            .iter()
            .position(|b| char::from(*b) == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// The `otpauth://totp/…` URI an authenticator app reads from the QR code.
pub fn provisioning_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP}",
        percent(issuer),
        percent(account),
        base32_encode(secret),
        percent(issuer)
    )
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B: the seeds are the ASCII digits "1234567890" repeated to the hash's
    /// size, 8-digit codes.
    #[test]
    fn rfc6238_test_vectors() {
        let sha1 = b"12345678901234567890".to_vec();
        let sha256 = b"12345678901234567890123456789012".to_vec();
        let sha512 = b"1234567890123456789012345678901234567890123456789012345678901234".to_vec();
        let vectors: [(i64, u32, u32, u32); 6] = [
            (59, 94_287_082, 46_119_246, 90_693_936),
            (1_111_111_109, 7_081_804, 68_084_774, 25_091_201),
            (1_111_111_111, 14_050_471, 67_062_674, 99_943_326),
            (1_234_567_890, 89_005_924, 91_819_424, 93_441_116),
            (2_000_000_000, 69_279_037, 90_698_825, 38_618_901),
            (20_000_000_000, 65_353_130, 77_737_706, 47_863_826),
        ];
        for (t, c1, c256, c512) in vectors {
            assert_eq!(
                code_at(Algorithm::Sha1, &sha1, Timestamp(t), 8),
                c1,
                "SHA1 at {t}"
            );
            assert_eq!(
                code_at(Algorithm::Sha256, &sha256, Timestamp(t), 8),
                c256,
                "SHA256 at {t}"
            );
            assert_eq!(
                code_at(Algorithm::Sha512, &sha512, Timestamp(t), 8),
                c512,
                "SHA512 at {t}"
            );
        }
    }

    #[test]
    fn verify_allows_one_step_of_drift_and_nothing_more() {
        let key = b"12345678901234567890";
        let now = Timestamp(1_111_111_111);
        let code = |t: i64| format!("{:06}", code_at(Algorithm::Sha1, key, Timestamp(t), 6));
        assert!(verify(key, &code(now.0), now).is_some());
        assert!(verify(key, &code(now.0 - 30), now).is_some());
        assert!(verify(key, &code(now.0 + 30), now).is_some());
        assert!(verify(key, &code(now.0 - 90), now).is_none());
        assert!(verify(key, "12345", now).is_none());
        assert!(verify(key, "abcdef", now).is_none());
    }

    #[test]
    fn base32_round_trips_rfc4648_vectors() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_encode(b"f"), "MY");
        assert_eq!(base32_decode("MZXW6YTBOI======").unwrap(), b"foobar");
        assert_eq!(base32_decode("mzxw 6ytb oi").unwrap(), b"foobar");
        assert!(base32_decode("1!").is_none());
    }

    #[test]
    fn provisioning_uri_is_what_apps_read() {
        let uri = provisioning_uri("gaoxin 高新", "admin", b"foobar");
        assert!(
            uri.starts_with("otpauth://totp/gaoxin%20%E9%AB%98%E6%96%B0:admin?secret=MZXW6YTBOI&")
        );
    }
}
