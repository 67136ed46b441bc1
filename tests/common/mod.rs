//! Shared test support: the committed fixtures (embedded, so the same tests run natively and
//! in wasm under Node), a fixed clock and a seeded RNG.
#![allow(dead_code)]

#[cfg(not(target_arch = "wasm32"))]
pub mod tools;

use include_dir::{include_dir, Dir};
use mailseal::Time;
use rand_chacha::rand_core::SeedableRng;

/// tests/data, embedded at compile time.
pub static DATA: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/tests/data");

/// A fixture's bytes by its path relative to tests/data.
pub fn fixture(path: &str) -> &'static [u8] {
    match DATA.get_file(path) {
        Some(f) => f.contents(),
        None => panic!("missing fixture {path}"),
    }
}

/// The fixtures manifest written by tests/data/make-keys.sh.
pub fn expected() -> serde_json::Value {
    serde_json::from_slice(fixture("keys/expected.json")).expect("expected.json parses")
}

/// 2026-12-01T00:00:00Z, the clock the key fixtures were made for.
pub const NOW: Time = Time::from_unix(1_796_083_200);

/// A keyring with these fixtures imported at NOW; `trusted:` before a name marks a trust
/// anchor (S/MIME) or a key the admin verified (OpenPGP).
pub fn ring_of(files: &[&str]) -> mailseal::Keyring {
    let mut ring = mailseal::Keyring::new();
    for f in files {
        let (file, trusted) = match f.strip_prefix("trusted:") {
            Some(file) => (file, true),
            None => (*f, false),
        };
        let opts = mailseal::ImportOptions {
            trusted,
            ..mailseal::ImportOptions::default()
        };
        ring.import(fixture(file), &opts, NOW)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    ring
}

/// A deterministic RNG for tests.
pub fn rng() -> rand_chacha::ChaCha20Rng {
    rand_chacha::ChaCha20Rng::seed_from_u64(7)
}

/// `.ready()` on an engine's future: its output, which natively (RustCrypto) is there at the
/// first poll. Panics if it is not, which would mean an asynchronous provider in a native test.
pub trait Ready: std::future::Future + Sized {
    fn ready(self) -> Self::Output {
        let mut future = std::pin::pin!(self);
        let waker = std::task::Waker::noop();
        match future
            .as_mut()
            .poll(&mut std::task::Context::from_waker(waker))
        {
            std::task::Poll::Ready(out) => out,
            std::task::Poll::Pending => panic!("the engine's future was not ready at once"),
        }
    }
}

impl<F: std::future::Future> Ready for F {}
