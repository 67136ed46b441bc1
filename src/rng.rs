//! The one place mailseal gets randomness.
//!
//! Library functions take `&mut dyn Rng` so tests can pass a seeded generator and no code
//! reaches for a hidden global. [`os_rng`] is the production source: the OS on native targets,
//! `crypto.getRandomValues` on wasm32 (through getrandom's `js` / `wasm_js` features).

/// A cryptographically secure random number generator.
pub trait Rng: rand_core::RngCore + rand_core::CryptoRng {}

impl<T: rand_core::RngCore + rand_core::CryptoRng + ?Sized> Rng for T {}

/// The operating system's (or the browser's) CSPRNG.
pub fn os_rng() -> rand_core::OsRng {
    rand_core::OsRng
}

/// The OS CSPRNG after it has answered once, or `random_unavailable`. `OsRng` panics when the
/// platform refuses (Cloudflare Workers refuse `crypto.getRandomValues` at a module's top
/// level, outside a request or event), and a panic in wasm traps the module; the JS entry
/// points that need randomness take their generator from here and fail with a typed error.
pub fn os_rng_checked() -> crate::error::Result<rand_core::OsRng> {
    use rand_core::RngCore;
    let mut probe = [0u8; 8];
    rand_core::OsRng.try_fill_bytes(&mut probe).map_err(|_| {
        crate::error::Error::new(
            crate::error::ErrorCode::RandomUnavailable,
            "The platform gave no random numbers, which this operation needs (Cloudflare \
             Workers give them only while handling a request or event, not at the top level \
             of a module).",
        )
    })?;
    Ok(rand_core::OsRng)
}
