//! OpenPGP payloads given to the OpenPGP engine: armor (and HTML-wrapped armor), packets,
//! decryption with Bob's keys (PKESK, SEIPD, compression), from copies and in the payload's own
//! buffer (armor decoded in place, partial lengths joined), signatures inline, cleartext and
//! detached.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailseal::{Engine, PgpEngine, ReadContext};
use mailseal_fuzz::{bob_ring, ready, NOW};

thread_local! {
    static RING: mailseal::Keyring = bob_ring();
}

fuzz_target!(|data: &[u8]| {
    let ctx = ReadContext::at(NOW);
    RING.with(|ring| {
        let _ = ready(PgpEngine.decrypt(ring, data, &ctx));
        let mut own = data.to_vec();
        let _ = ready(PgpEngine.decrypt_in_place(ring, &mut own, &ctx));
        let _ = ready(PgpEngine.verify_opaque(ring, data, &ctx));
        let _ = ready(PgpEngine.verify_detached(
            ring,
            b"Content-Type: text/plain\r\n\r\nhi\r\n",
            data,
            &ctx,
        ));
    });
});
