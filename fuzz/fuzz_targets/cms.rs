//! CMS payloads (DER and BER, as `application/pkcs7-mime` carries them) given to the S/MIME
//! engine: BER to DER, EnvelopedData / AuthEnvelopedData decryption with Bob's keys,
//! SignedData verification opaque and detached, certificate chains.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailseal::{Engine, ReadContext, SmimeEngine};
use mailseal_fuzz::{bob_ring, ready, NOW};

thread_local! {
    static RING: mailseal::Keyring = bob_ring();
}

fuzz_target!(|data: &[u8]| {
    let ctx = ReadContext::at(NOW);
    RING.with(|ring| {
        let _ = ready(SmimeEngine.decrypt(ring, data, &ctx));
        let _ = ready(SmimeEngine.verify_opaque(ring, data, &ctx));
        let _ = ready(SmimeEngine.verify_detached(
            ring,
            b"Content-Type: text/plain\r\n\r\nhi\r\n",
            data,
            &ctx,
        ));
    });
});
