//! The MIME layer alone: parsing with the default limits, detecting the cryptographic
//! layer, what would be displayed, and canonicalisation (what signing hashes).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailseal::mime::{canonicalize, detect, readable, Limits, MimeTree};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    if let Ok(tree) = MimeTree::parse(data, &limits) {
        let _ = detect(&tree);
        let _ = readable(&tree);
    }
    let _ = MimeTree::parse_head(data, &limits);
    let _ = canonicalize(data, &limits);
});
