//! Sealed keyrings (the vault format): header, key derivation parameters, the sealed body and
//! the stored entries inside it, opened with [`VAULT_KEY`] (a password would spend the KDF's
//! cost on every input). With `MAILSEAL_FUZZ_SEEDS=DIR` it only writes its seed, Bob's keyring
//! sealed with that key, into DIR and exits (scripts/fuzz.sh).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailseal::Keyring;
use mailseal_fuzz::{bob_ring, NOW, VAULT_KEY};

fuzz_target!(
    init: {
        if let Ok(dir) = std::env::var("MAILSEAL_FUZZ_SEEDS") {
            let sealed = bob_ring()
                .seal_with_key(&VAULT_KEY, &mut mailseal::os_rng())
                .expect("seal");
            std::fs::write(format!("{dir}/bob-ring.vault"), sealed).expect("write the seed");
            std::process::exit(0);
        }
    },
    |data: &[u8]| {
        if let Ok(ring) = Keyring::unseal_with_key(data, &VAULT_KEY) {
            let _ = ring.list(NOW);
        }
    }
);
