//! `open` on a whole message, both standards, with Bob's keys: MIME, detection, CMS and
//! OpenPGP, decryption, verification, display; from a borrowed message and as `open_owned`
//! (what the wasm module and the CLI call: the message decoded and decrypted in its own
//! buffer). Any outcome but a panic is fine; a verdict on garbage must not be `valid` unless a
//! real signature is in it (checked by the test suites).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailseal::{open, open_owned, Engine, OpenOptions, PgpEngine, SmimeEngine};
use mailseal_fuzz::{bob_ring, NOW};

thread_local! {
    static RING: std::cell::RefCell<mailseal::Keyring> = std::cell::RefCell::new(bob_ring());
}

fuzz_target!(|data: &[u8]| {
    let engines: [&dyn Engine; 2] = [&SmimeEngine, &PgpEngine];
    RING.with_borrow_mut(|ring| {
        let _ = open(ring, &engines, data, &OpenOptions::at(NOW));
        let _ = open_owned(ring, &engines, data.to_vec(), &OpenOptions::at(NOW));
    });
});
