//! Every real-world shaped sample of tests/data/mime through the public `open` flow with
//! the keys that made them: the MIME layer's detection, exact signed bytes and readable
//! content give the right verdicts with both engines. Runs natively and in wasm.

mod common;

use common::{fixture, NOW};
use mailseal::{
    open, EncryptionState, ImportOptions, Keyring, OpenOptions, Opened, Scope, SignatureState,
};
use zeroize::Zeroizing;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// Alice's S/MIME key (PKCS#12), the CA chain with the root as trust anchor, the PGP RSA key
/// (verified by the admin).
fn ring() -> Keyring {
    let mut ring = Keyring::new();
    let imports: [(&str, Option<&str>, bool); 4] = [
        ("keys/root-ca.crt.pem", None, true),
        ("keys/intermediate-ca.crt.pem", None, false),
        ("keys/alice.p12", Some("alice-pass"), false),
        ("keys/pgp-rsa-nopass.sec.asc", None, true),
    ];
    for (file, pass, trusted) in imports {
        let opts = ImportOptions {
            passphrase: pass.map(|p| Zeroizing::new(p.to_string())),
            trusted,
        };
        ring.import(fixture(file), &opts, NOW)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    ring
}

fn open_raw(name: &str, raw: &[u8]) -> Opened {
    let mut ring = ring();
    open(
        &mut ring,
        &mailseal::standards::all(),
        raw,
        &OpenOptions::at(NOW),
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn open_sample(name: &str) -> Opened {
    open_raw(name, fixture(&format!("mime/{name}")))
}

#[test]
fn lf_copies_verify_and_tampered_copies_do_not() {
    for name in [
        "thunderbird-smime-signed.eml",
        "applemail-smime-signed.eml",
        "gpg-pgpmime-signed.eml",
    ] {
        let raw = fixture(&format!("mime/{name}"));
        let lf: Vec<u8> = raw.iter().copied().filter(|&b| b != b'\r').collect();
        let o = open_raw(name, &lf);
        assert_eq!(
            o.signature.state,
            SignatureState::Valid,
            "{name} (LF): {:?}",
            o.signature
        );
        // "Hello Bob" / "Invoice attached" -> one letter changed inside the signed part.
        let text = String::from_utf8(raw.to_vec()).unwrap();
        let tampered = text.replacen("Hello Bob", "Hello Rob", 1).replacen(
            "Invoice attached.",
            "Invoice attacked.",
            1,
        );
        assert_ne!(tampered, text);
        let o = open_raw(name, tampered.as_bytes());
        assert_eq!(
            o.signature.state,
            SignatureState::Invalid,
            "{name} (tampered)"
        );
    }
}

#[test]
fn signed_samples_verify_over_the_exact_bytes() {
    for name in [
        "openssl-smime-signed.eml",
        "openssl-cms-signed-crlf.eml",
        "thunderbird-smime-signed.eml",
        "applemail-smime-signed.eml",
        "openssl-smime-opaque.eml",
    ] {
        let o = open_sample(name);
        assert_eq!(
            o.signature.state,
            SignatureState::Valid,
            "{name}: {:?}",
            o.signature
        );
        assert_eq!(o.signature.scope, Some(Scope::Whole), "{name}");
        assert!(!o.quote_for_reply.is_empty(), "{name}");
    }
    // PGP/MIME signed by the PGP RSA key, From is that key's address.
    let o = open_sample("gpg-pgpmime-signed.eml");
    assert_eq!(
        o.signature.state,
        SignatureState::Valid,
        "{:?}",
        o.signature
    );
    assert!(o.text.unwrap().contains("Café at 10?"));
}

#[test]
fn encrypted_samples_decrypt() {
    for name in [
        "openssl-smime-enveloped.eml",
        "openssl-cms-authenveloped.eml",
        "outlook-p7m-octet-stream.eml",
        "outlook-p7m-ber.eml",
        "gpg-pgpmime-encrypted.eml",
        "gpg-inline-encrypted.eml",
    ] {
        let o = open_sample(name);
        assert_eq!(
            o.encryption.state,
            EncryptionState::Decrypted,
            "{name}: {:?}",
            o.encryption
        );
        assert!(!o.quote_for_reply.is_empty(), "{name}");
    }
}

#[test]
fn partial_and_nested_samples_are_never_valid() {
    let o = open_sample("gpg-inline-clearsigned.eml");
    assert_ne!(o.signature.state, SignatureState::Valid);
    assert_eq!(o.signature.scope, Some(Scope::Partial));
    let o = open_sample("nested-signed-in-list-footer.eml");
    assert_ne!(o.signature.state, SignatureState::Valid);
    let o = open_sample("efail-wrapped-ciphertext.eml");
    assert_eq!(o.encryption.state, EncryptionState::None);
    assert!(o.attachments.iter().any(|a| a.filename == "smime.p7m"));
}
