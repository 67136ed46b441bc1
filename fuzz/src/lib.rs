//! What the fuzz targets share: keyrings made of the committed fixtures (tests/data), the
//! fixed clock they were made for, and a way to run the engines' futures (ready at once on
//! the native crypto provider).

use std::future::Future;

use mailseal::{ImportOptions, Keyring, Time};

/// 2026-12-01T00:00:00Z, the clock of the fixtures.
pub const NOW: Time = Time::from_unix(1_796_083_200);

/// The key every fuzzed vault is opened with (and its seed sealed with).
pub const VAULT_KEY: [u8; 32] = [7; 32];

macro_rules! data {
    ($path:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/data/",
            $path
        ))
    };
}

/// Bob's desk, both standards: his secret keys, Alice's public ones, the test CA trusted. The
/// fixtures addressed to Bob decrypt with it, so mutations of them reach the deep paths.
pub fn bob_ring() -> Keyring {
    let mut ring = Keyring::new();
    let files: [(&[u8], bool); 7] = [
        (data!("smime/root-ca.crt"), true),
        (data!("smime/int-ca.crt"), false),
        (data!("smime/bob.crt"), false),
        (data!("smime/bob.key"), false),
        (data!("smime/alice.crt"), false),
        (data!("openpgp/bob.sec.asc"), true),
        (data!("openpgp/alice.pub.asc"), true),
    ];
    for (file, is_trusted) in files {
        let opts = ImportOptions {
            trusted: is_trusted,
            ..ImportOptions::default()
        };
        ring.import(file, &opts, NOW).expect("fixture imports");
    }
    ring
}

/// The output of a future that is ready at its first poll (the native crypto provider);
/// `None` if it is not.
pub fn ready<F: Future>(future: F) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(out) => Some(out),
        std::task::Poll::Pending => None,
    }
}
