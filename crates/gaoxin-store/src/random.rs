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
