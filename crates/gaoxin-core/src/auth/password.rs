//! 口令 — the password policy and Argon2id hashing.
//!
//! The default policy is the 等保 (GB/T 22239-2019 level 3) profile: at least 8 characters
//! mixing letters, digits and symbols, changed every 90 days. OWASP ASVS 5.0 (V6.2) advises
//! against composition rules and forced rotation; a deployment that follows ASVS sets
//! `require_mix = false` and `max_age_days = None` (see docs/security.md).

use crate::time::Timestamp;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Passwords longer than this are refused, so hashing cannot be used to burn CPU.
pub const MAX_LENGTH: usize = 128;

/// What a password must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub min_length: usize,
    /// Letters, digits and symbols, all three.
    pub require_mix: bool,
    /// A password older than this must be changed; `None`: never.
    pub max_age_days: Option<u32>,
}

impl Default for PasswordPolicy {
    /// The 等保 profile.
    fn default() -> Self {
        PasswordPolicy {
            min_length: 8,
            require_mix: true,
            max_age_days: Some(90),
        }
    }
}

/// One rule a password breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyViolation {
    TooShort {
        min: usize,
    },
    TooLong,
    NotMixed,
    ContainsUsername,
    /// A common password, a keyboard walk, a repeated pattern, a word with digits tacked on:
    /// found in a few million guesses (zxcvbn's estimate below 10⁸).
    Guessable,
}

impl PasswordPolicy {
    /// Every rule `password` breaks; empty when it is acceptable.
    pub fn check(&self, password: &str, username: &str) -> Vec<PolicyViolation> {
        let mut out = Vec::new();
        let n = password.chars().count();
        if n < self.min_length {
            out.push(PolicyViolation::TooShort {
                min: self.min_length,
            });
        }
        if n > MAX_LENGTH {
            out.push(PolicyViolation::TooLong);
        }
        if self.require_mix {
            let letter = password.chars().any(char::is_alphabetic);
            let digit = password.chars().any(|c| c.is_ascii_digit());
            let symbol = password
                .chars()
                .any(|c| !c.is_alphanumeric() && !c.is_whitespace());
            if !(letter && digit && symbol) {
                out.push(PolicyViolation::NotMixed);
            }
        }
        let user = username.trim().to_lowercase();
        if user.chars().count() >= 3 && password.to_lowercase().contains(&user) {
            out.push(PolicyViolation::ContainsUsername);
        }
        // Checked against zxcvbn's lists of common passwords, names and words, and its
        // patterns; the user name and the product's name count as known words too.
        if n <= MAX_LENGTH && !password.is_empty() && guessable(password, &user) {
            out.push(PolicyViolation::Guessable);
        }
        out
    }

    /// Whether a password set at `changed_at` must be changed at `now`.
    pub fn expired(&self, changed_at: Timestamp, now: Timestamp) -> bool {
        self.max_age_days
            .is_some_and(|d| now.0 - changed_at.0 >= i64::from(d) * 86_400)
    }
}

/// Words a password here is likely built on that zxcvbn's English lists lack: the product,
/// the city and province, the administrators' names, and the pinyin and number phrases common
/// in Chinese passwords.
const LOCAL_WORDS: [&str; 14] = [
    "gaoxin",
    "gaoxinqu",
    "shijiazhuang",
    "sjz",
    "hebei",
    "zhengding",
    "admin",
    "sysadmin",
    "secadmin",
    "auditadmin",
    "woaini",
    "5201314",
    "1314",
    "zhongguo",
];

/// Whether zxcvbn finds `password` within 10⁸ guesses (its score below 3).
fn guessable(password: &str, username: &str) -> bool {
    let mut known = vec![username];
    known.extend(LOCAL_WORDS);
    let estimate = zxcvbn::zxcvbn(password, &known);
    (estimate.score() as u8) < 3
}

/// Hashing failed (a salt of the wrong length; never the password itself).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", crate::text::Message::text(self))]
pub struct HashError(pub(crate) String);

/// The Argon2id hash of `password` with a 16-byte random `salt`, as a PHC string
/// (`$argon2id$v=19$m=19456,t=2,p=1$…`), the parameters OWASP recommends.
pub fn hash(password: &str, salt: &[u8; 16]) -> Result<String, HashError> {
    let salt = SaltString::encode_b64(salt).map_err(|e| HashError(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// Whether `password` matches a stored PHC hash. A malformed hash matches nothing.
pub fn verify(password: &str, phc: &str) -> bool {
    if password.chars().count() > MAX_LENGTH {
        return false;
    }
    PasswordHash::new(phc).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_is_the_dengbao_profile() {
        let p = PasswordPolicy::default();
        assert!(p.check("Gx2025!ok", "clerk").is_empty());
        // Common passwords pass the length and mix rules but not the list.
        for common in [
            "P@ssw0rd1",
            "Password123!",
            "Qwerty123!",
            "Admin@123",
            "woaini1314!",
            "Gaoxin@2025",
        ] {
            assert!(
                p.check(common, "clerk")
                    .contains(&PolicyViolation::Guessable),
                "{common}"
            );
        }
        assert!(
            p.check("short1!", "clerk")
                .contains(&PolicyViolation::TooShort { min: 8 })
        );
        assert!(
            p.check("onlyletters", "clerk")
                .contains(&PolicyViolation::NotMixed)
        );
        assert!(
            p.check("clerk2025!", "Clerk")
                .contains(&PolicyViolation::ContainsUsername)
        );
        // The rules that are not about guessing, on a password zxcvbn finds hard.
        assert_eq!(
            p.check("Tq7mK2vL9pWx", "clerk"),
            vec![PolicyViolation::NotMixed]
        );
        let relaxed = PasswordPolicy {
            require_mix: false,
            max_age_days: None,
            ..p.clone()
        };
        assert!(relaxed.check("correct horse battery", "clerk").is_empty());
    }

    #[test]
    fn passwords_expire_after_the_maximum_age() {
        let p = PasswordPolicy::default();
        let t0 = Timestamp(1_700_000_000);
        assert!(!p.expired(t0, Timestamp(t0.0 + 89 * 86_400)));
        assert!(p.expired(t0, Timestamp(t0.0 + 90 * 86_400)));
        let never = PasswordPolicy {
            max_age_days: None,
            ..p
        };
        assert!(!never.expired(t0, Timestamp(t0.0 + 9_999 * 86_400)));
    }

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash("Gx2025!ok", &[7; 16]).unwrap();
        assert!(h.starts_with("$argon2id$v=19$"));
        assert!(verify("Gx2025!ok", &h));
        assert!(!verify("Gx2025!ok?", &h));
        assert!(!verify("Gx2025!ok", "not a hash"));
        assert_ne!(h, hash("Gx2025!ok", &[8; 16]).unwrap(), "salted");
    }
}
