//! What arrives from the network or from other people's mail headers (issue 14): a lookup
//! answer (`lookup_candidates`, `import_found`), a CRL (`import_crl`), a refresh answer
//! (`refresh_key`) and an Autocrypt offer (`learn_autocrypt`), into Bob's keyring (the test CA
//! trusted, so a CRL can verify). The first byte picks which.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mailseal::{AutocryptOffer, Keyring, LookupSource};
use mailseal_fuzz::{bob_ring, NOW};

/// Bob's keyring, made once; each input works on a copy.
fn desk() -> Keyring {
    static RING: OnceLock<Keyring> = OnceLock::new();
    RING.get_or_init(bob_ring).clone()
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, answer)) = data.split_first() else {
        return;
    };
    let mut ring = desk();
    let address = "alice@example.org";
    match choice % 5 {
        0 => {
            let _ = ring.lookup_candidates(address, answer, NOW);
        }
        1 => {
            if let Ok(found) =
                ring.import_found(address, LookupSource::WkdDirect, answer, None, NOW)
            {
                // what was found is listed with its origin and exports
                for k in found {
                    assert!(k.origin.is_some() || k.trusted || !k.emails.is_empty());
                    let _ = ring.export_public(&k.id);
                }
            }
        }
        2 => {
            if ring.import_crl(answer, NOW).is_ok() {
                let _ = ring.list(NOW);
                let _ = ring.revocation_requests(NOW);
            }
            // The same bytes as an OCSP answer (DER; the signature check needs a CA of the
            // keyring, so mostly the parser is reached).
            if ring.import_ocsp(answer, NOW).is_ok() {
                let _ = ring.list(NOW);
                let _ = ring.ocsp_statuses();
            }
        }
        3 => {
            let ids: Vec<String> = ring.list(NOW).into_iter().map(|k| k.id).collect();
            for id in ids {
                let _ = ring.refresh_key(&id, answer, NOW);
            }
        }
        _ => {
            let offer = AutocryptOffer {
                address: address.to_string(),
                prefer_encrypt: true,
                keydata: answer.to_vec(),
                date: Some("2026-11-30T10:00:00Z".to_string()),
            };
            let _ = ring.learn_autocrypt(&offer, NOW);
        }
    }
});
