//! Randomness from the operating system, for salts, tokens and secrets.

/// `N` random bytes.
pub fn bytes<const N: usize>() -> Result<[u8; N], getrandom::Error> {
    let mut out = [0u8; N];
    getrandom::getrandom(&mut out)?;
    Ok(out)
}

/// A random token for cookies and forms: 32 bytes, hex.
pub fn token() -> Result<String, getrandom::Error> {
    Ok(gaoxin_core::audit::to_hex(&bytes::<32>()?))
}

/// A one-time password that meets the default policy: lower- and upper-case letters, digits and
/// hyphens, 17 characters, about 80 bits.
pub fn one_time_password() -> Result<String, getrandom::Error> {
    const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGIT: &[u8] = b"23456789";
    let r = bytes::<14>()?;
    let pick = |set: &[u8], b: u8| char::from(set[usize::from(b) % set.len()]);
    let lower: String = r[0..5].iter().map(|b| pick(LOWER, *b)).collect();
    let upper: String = r[5..10].iter().map(|b| pick(UPPER, *b)).collect();
    let digits: String = r[10..14].iter().map(|b| pick(DIGIT, *b)).collect();
    Ok(format!("{lower}-{upper}-{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use gaoxin_core::auth::password::PasswordPolicy;

    #[test]
    fn one_time_passwords_meet_the_default_policy_and_differ() {
        let a = one_time_password().unwrap();
        let b = one_time_password().unwrap();
        assert_ne!(a, b);
        assert!(
            PasswordPolicy::default().check(&a, "someone").is_empty(),
            "{a}"
        );
        assert_eq!(token().unwrap().len(), 64);
    }
}
