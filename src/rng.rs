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
