//! `Keyring::import` of anything: PEM and DER certificates and bundles, PKCS#1/#8/SEC1 keys
//! (encrypted too), PKCS#12, OpenPGP keys armored and binary, keyrings. The first byte picks
//! the passphrase given (none, a fixture's, a wrong one) and whether the key is trusted.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailseal::{ImportOptions, Keyring};
use mailseal_fuzz::NOW;
use zeroize::Zeroizing;

const PASSPHRASES: [Option<&str>; 4] = [None, Some("alice-pass"), Some(""), Some("wrong")];

fuzz_target!(|data: &[u8]| {
    let Some((&choice, key)) = data.split_first() else {
        return;
    };
    let opts = ImportOptions {
        passphrase: PASSPHRASES[usize::from(choice & 3)].map(|p| Zeroizing::new(p.to_string())),
        trusted: choice & 4 != 0,
    };
    let mut ring = Keyring::new();
    if ring.import(key, &opts, NOW).is_ok() {
        // what was imported is listed and exported without trouble
        for info in ring.list(NOW) {
            let _ = ring.export_public(&info.id);
        }
    }
});
