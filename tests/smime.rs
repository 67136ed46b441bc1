//! The S/MIME engine against messages written by `openssl cms` / `openssl smime`
//! (tests/data/make-smime.sh, commands in tests/data/smime/NOTES.md), and mailseal's own
//! output read back. Runs natively and, through wasm-bindgen-test, in wasm under Node.
//! Live round trips with the openssl binary are in tests/interop_smime.rs.

mod common;
#[path = "support/smime_mime.rs"]
mod smime_mime;

use common::{fixture, rng, smime_ring as ring, write_ctx, Ready, NOW};
use mailseal::engine::{KeyProblem, ReadContext};
use mailseal::policy::{Algorithms, SmimeCipher, SmimeKeyTransport, SmimeSignedForm};
use mailseal::{
    EncryptionState, Engine, ErrorCode, ImportOptions, Keyring, SignatureReport, SignatureState,
    SmimeEngine,
};
use smime_mime::{content_type, detached, p7m};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const E: SmimeEngine = SmimeEngine;

fn f(name: &str) -> &'static [u8] {
    fixture(&format!("smime/{name}"))
}

fn entity() -> &'static [u8] {
    f("entity.txt")
}

/// Only certificates (no private keys), plus the trust anchor.
fn ring_certs(people: &[&str]) -> Keyring {
    let mut ring = ring(&[]);
    for p in people {
        ring.import(f(&format!("{p}.crt")), &ImportOptions::default(), NOW)
            .expect("cert");
    }
    ring
}

fn ctx() -> ReadContext {
    ReadContext::at(NOW)
}

fn verify_eml(ring: &Keyring, eml: &[u8]) -> SignatureReport {
    if content_type(eml).starts_with("multipart/signed") {
        let (signed, sig) = detached(eml);
        let v = E
            .verify_detached(ring, &signed, &sig, &ctx())
            .ready()
            .expect("verify");
        assert!(v.content.is_none());
        v.report
    } else {
        let v = E
            .verify_opaque(ring, &p7m(eml), &ctx())
            .ready()
            .expect("verify");
        assert_eq!(v.content.as_deref(), Some(entity()), "opaque content");
        v.report
    }
}

// ---- read: decrypt what openssl wrote ----------------------------------------------------

#[test]
fn decrypts_every_openssl_variant() {
    // (fixture, key holder, algorithm, authenticated)
    let cases = [
        ("enc-alice-aes256.eml", "alice", "aes256-cbc", false),
        ("enc-alice-aes128.eml", "alice", "aes128-cbc", false),
        ("enc-alice-aes192.eml", "alice", "aes192-cbc", false),
        ("enc-alice-3des.eml", "alice", "3des-cbc", false),
        ("enc-alice-gcm.eml", "alice", "aes256-gcm", true),
        ("enc-alice-gcm128.eml", "alice", "aes128-gcm", true),
        ("enc-alice-oaep.eml", "alice", "aes256-cbc", false),
        ("enc-alice-oaep256.eml", "alice", "aes256-cbc", false),
        ("enc-alice-ski.eml", "alice", "aes256-cbc", false),
        ("enc-alice-stream.eml", "alice", "aes256-cbc", false),
        ("enc-alice-gcm-stream.eml", "alice", "aes256-gcm", true),
        ("enc-alice-smime.eml", "alice", "aes256-cbc", false),
        ("enc-bob.eml", "bob", "aes256-cbc", false),
        ("enc-carol.eml", "carol", "aes256-cbc", false),
        ("enc-dave.eml", "dave", "aes256-cbc", false),
        ("enc-dave-sha256kdf.eml", "dave", "aes256-cbc", false),
        ("enc-dave-gcm.eml", "dave", "aes256-gcm", true),
        ("enc-dave-ski.eml", "dave", "aes256-cbc", false),
        ("enc-erin.eml", "erin", "aes128-cbc", false),
        ("enc-alice-bob.eml", "alice", "aes256-cbc", false),
        ("enc-alice-bob.eml", "bob", "aes256-cbc", false),
        ("enc-alice-bob-dave.eml", "alice", "aes256-cbc", false),
        ("enc-alice-bob-dave.eml", "bob", "aes256-cbc", false),
        ("enc-alice-bob-dave.eml", "dave", "aes256-cbc", false),
        ("enc-carol-bob-dave-gcm.eml", "carol", "aes256-gcm", true),
        ("enc-carol-bob-dave-gcm.eml", "bob", "aes256-gcm", true),
        ("enc-carol-bob-dave-gcm.eml", "dave", "aes256-gcm", true),
    ];
    for (file, who, alg, authenticated) in cases {
        // Everyone else's keys are in the ring too: the right one must be picked.
        let mut people = vec!["alice", "bob", "carol", "dave", "erin"];
        people.retain(|p| *p == who || !file.contains(p));
        let ring = ring(&people);
        let d = E.decrypt(&ring, &p7m(f(file)), &ctx()).ready().expect(file);
        assert_eq!(
            d.report.state,
            EncryptionState::Decrypted,
            "{file} for {who}"
        );
        assert_eq!(
            d.content.as_deref().map(|c| &c[..]),
            Some(entity()),
            "{file}"
        );
        assert_eq!(d.report.algorithm.as_deref(), Some(alg), "{file}");
        assert_eq!(d.report.authenticated, Some(authenticated), "{file}");
        assert!(d.report.key_id.is_some());
    }
}

/// Unsealing does not match private keys against their certificates again (they were matched
/// on import; the vault's AEAD vouches for the pair): the RSA, P-256 and P-384 keys of an
/// unsealed keyring still open what openssl wrote for them.
#[test]
fn keys_from_a_sealed_keyring_decrypt_what_openssl_wrote() {
    let key = [0x42u8; 32];
    let sealed = ring(&["alice", "dave", "erin"])
        .seal_with_key(&key, &mut rng())
        .expect("seal");
    let ring = Keyring::unseal_with_key(&sealed, &key).expect("unseal");
    for file in ["enc-alice-aes256.eml", "enc-dave.eml", "enc-erin.eml"] {
        let d = E.decrypt(&ring, &p7m(f(file)), &ctx()).ready().expect(file);
        assert_eq!(d.report.state, EncryptionState::Decrypted, "{file}");
        assert_eq!(
            d.content.as_deref().map(|c| &c[..]),
            Some(entity()),
            "{file}"
        );
    }
}

#[test]
fn the_der_form_decrypts_too() {
    let d = E
        .decrypt(&ring(&["alice"]), f("enc-alice-der.p7m"), &ctx())
        .ready()
        .unwrap();
    assert_eq!(d.report.state, EncryptionState::Decrypted);
}

#[test]
fn fail_without_the_private_key_is_no_key() {
    // Bob's key cannot open a message for Alice; a certificate without its key neither.
    for ring in [ring(&["bob", "dave"]), ring_certs(&["alice"])] {
        let d = E
            .decrypt(&ring, &p7m(f("enc-alice-aes256.eml")), &ctx())
            .ready()
            .unwrap();
        assert_eq!(d.report.state, EncryptionState::NoKey);
        assert!(d.content.is_none());
        assert_eq!(
            d.report.detail.as_deref(),
            Some("The private key for decryption could not be found.")
        );
    }
}

/// Flips one bit at `at` counted from the end of the DER.
fn flip_from_end(der: &[u8], at: usize) -> Vec<u8> {
    let mut bad = der.to_vec();
    let i = bad.len() - at;
    bad[i] ^= 0x01;
    bad
}

#[test]
fn fail_tampered_gcm_ciphertext_or_tag_is_failed() {
    let ring = ring(&["alice"]);
    let der = p7m(f("enc-alice-gcm.eml"));
    // The last 16 bytes are the tag; before them (after the GCM parameters) the ciphertext.
    for at in [1, 20, 40] {
        let d = E
            .decrypt(&ring, &flip_from_end(&der, at), &ctx())
            .ready()
            .unwrap();
        assert_eq!(d.report.state, EncryptionState::Failed, "flip at -{at}");
        assert!(d.content.is_none());
        assert_eq!(
            d.report.detail.as_deref(),
            Some("The message could not be decrypted.")
        );
    }
}

#[test]
fn fail_tampered_cbc_never_yields_the_plaintext() {
    let ring = ring(&["alice"]);
    let der = p7m(f("enc-alice-aes256.eml"));
    for at in [1, 17, 40] {
        let d = E
            .decrypt(&ring, &flip_from_end(&der, at), &ctx())
            .ready()
            .unwrap();
        // CBC has no integrity: a flip may leave valid padding, but the content is never
        // reported as authenticated nor equal to the original.
        if d.report.state == EncryptionState::Decrypted {
            assert_eq!(d.report.authenticated, Some(false));
            assert_ne!(d.content.as_deref().map(|c| &c[..]), Some(entity()));
        } else {
            assert_eq!(d.report.state, EncryptionState::Failed);
        }
    }
}

#[test]
fn fail_tampered_rsa_key_transport_reads_like_any_other_failure() {
    // Damage the RSA-encrypted content key: implicit rejection gives a substitute key, and
    // the outcome is the same opaque failure as for damaged content.
    let ring = ring(&["alice"]);
    let der = p7m(f("enc-alice-gcm.eml"));
    let pos = der
        .windows(4)
        .position(|w| w == [0x04, 0x82, 0x01, 0x00])
        .expect("the 256-byte encrypted key");
    let mut bad = der.clone();
    bad[pos + 4 + 100] ^= 0x80;
    let d = E.decrypt(&ring, &bad, &ctx()).ready().unwrap();
    assert_eq!(d.report.state, EncryptionState::Failed);
    assert_eq!(
        d.report.detail.as_deref(),
        Some("The message could not be decrypted.")
    );
}

#[test]
fn fail_garbage_is_malformed_not_a_panic() {
    let ring = ring(&["alice"]);
    let der = p7m(f("enc-alice-stream.eml"));
    for cut in [0, 1, 10, der.len() / 2, der.len() - 3] {
        let _ = E.decrypt(&ring, &der[..cut], &ctx()).ready();
        let _ = E.verify_opaque(&ring, &der[..cut], &ctx()).ready();
    }
    // A damaged detached signature is a verdict: the signed part can still be shown.
    let r = E
        .verify_detached(&ring, entity(), b"not cms", &ctx())
        .ready()
        .unwrap();
    assert_eq!(r.report.state, SignatureState::Invalid);
    let err = E.decrypt(&ring, b"not cms", &ctx()).ready().unwrap_err();
    assert_eq!(err.code(), ErrorCode::MalformedMessage);
    // A signature is not an encrypted message.
    let err = E
        .decrypt(&ring, &p7m(f("signed-alice-opaque.eml")), &ctx())
        .ready()
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::MalformedMessage);
}

#[test]
fn fail_mutated_input_never_panics() {
    use rand_chacha::rand_core::RngCore;
    let ring = ring(&["alice", "dave"]);
    let mut r = rng();
    let inputs = [
        p7m(f("enc-alice-stream.eml")),
        p7m(f("enc-dave-gcm.eml")),
        p7m(f("signed-alice-opaque-stream.eml")),
        detached(f("signed-dave.eml")).1,
    ];
    for input in &inputs {
        for _ in 0..40 {
            let mut bad = input.clone();
            for _ in 0..1 + r.next_u32() % 4 {
                let i = r.next_u32() as usize % bad.len();
                bad[i] = r.next_u32() as u8;
            }
            // Whatever comes back, it is a value: decrypted content is never the original
            // unless the report says so.
            if let Ok(d) = E.decrypt(&ring, &bad, &ctx()).ready() {
                assert_eq!(
                    d.content.is_some(),
                    d.report.state == EncryptionState::Decrypted
                );
            }
            let _ = E.verify_opaque(&ring, &bad, &ctx()).ready();
            let _ = E.verify_detached(&ring, entity(), &bad, &ctx()).ready();
        }
    }
}

// ---- read: verify what openssl wrote -----------------------------------------------------

#[test]
fn verifies_openssl_signatures_of_every_key_type_and_shape() {
    let ring = ring(&[]);
    let cases = [
        ("signed-alice.eml", "alice@example.com"),
        ("signed-bob.eml", "bob@example.com"),
        ("signed-carol.eml", "carol@example.com"),
        ("signed-dave.eml", "dave@example.com"),
        ("signed-erin.eml", "erin@example.com"),
        ("signed-alice-opaque.eml", "alice@example.com"),
        ("signed-alice-opaque-stream.eml", "alice@example.com"),
        ("signed-alice-smime-opaque.eml", "alice@example.com"),
        ("signed-alice-pss.eml", "alice@example.com"),
        ("signed-alice-noattr.eml", "alice@example.com"),
    ];
    for (file, email) in cases {
        let r = verify_eml(&ring, f(file));
        assert_eq!(r.state, SignatureState::Valid, "{file}: {:?}", r.detail);
        let signer = r.signer.clone().expect("signer");
        assert_eq!(signer.emails, [email], "{file}");
        assert_eq!(r.digest.as_deref(), Some("sha256"), "{file}");
        // Sender binding (done by `open`): the From address must be the signer's.
        assert_eq!(
            r.clone().bind_sender(Some(email)).state,
            SignatureState::Valid
        );
        let other = r.bind_sender(Some("mallory@example.com"));
        assert_eq!(other.state, SignatureState::SenderMismatch, "{file}");
        assert_eq!(
            other.detail.as_deref(),
            Some(
                format!("This message was not signed by its sender. It was signed by {email}.")
                    .as_str()
            )
        );
    }
    let v = E
        .verify_opaque(&ring, f("signed-alice-opaque.p7m"), &ctx())
        .ready()
        .unwrap();
    assert_eq!(v.report.state, SignatureState::Valid);
    assert!(v.report.signed_at.is_some());
}

#[test]
fn fail_negative_signatures_get_the_right_verdict() {
    let ring = ring(&[]);
    let cases = [
        ("signed-frank-expired.eml", SignatureState::Expired),
        ("signed-heidi-serverauth.eml", SignatureState::Untrusted),
        ("signed-mallory-untrusted.eml", SignatureState::Untrusted),
        ("signed-alice-sha1.eml", SignatureState::Invalid),
        ("signed-weak1024.eml", SignatureState::Invalid),
        ("signed-alice-mallory.eml", SignatureState::Untrusted),
    ];
    for (file, state) in cases {
        let r = verify_eml(&ring, f(file));
        assert_eq!(r.state, state, "{file}: {:?}", r.detail);
        assert!(r.detail.is_some());
    }
}

/// Two signers (openssl `-signer alice -signer bob`), both valid: a message From either of
/// them is valid, bound to that signer, with both listed (RFC 5652 allows several
/// SignerInfos); From anyone else is a mismatch.
#[test]
fn two_signers_bind_to_whichever_one_is_the_sender() {
    let r = verify_eml(&ring(&[]), f("signed-alice-bob.eml"));
    assert_eq!(r.state, SignatureState::Valid);
    let listed: Vec<&str> = r.signers.iter().map(|s| s.emails[0].as_str()).collect();
    assert_eq!(listed, ["alice@example.com", "bob@example.com"]);
    for from in ["alice@example.com", "Bob@Example.com"] {
        let bound = r.clone().bind_sender(Some(from));
        assert_eq!(bound.state, SignatureState::Valid, "{from}");
        assert!(bound
            .signer
            .unwrap()
            .emails
            .contains(&from.to_ascii_lowercase()));
        assert_eq!(bound.signers.len(), 2);
    }
    assert_eq!(
        r.bind_sender(Some("carol@example.com")).state,
        SignatureState::SenderMismatch
    );
}

#[test]
fn fail_tampered_signed_part_is_invalid() {
    let ring = ring(&[]);
    let (signed, sig) = detached(f("signed-alice.eml"));
    let tampered = String::from_utf8(signed.clone())
        .unwrap()
        .replace("4711", "4712");
    let r = E
        .verify_detached(&ring, tampered.as_bytes(), &sig, &ctx())
        .ready()
        .unwrap()
        .report;
    assert_eq!(r.state, SignatureState::Invalid);
    // The opaque form: tamper with the content inside the signature.
    let der = p7m(f("signed-alice-opaque.eml"));
    let pos = der.windows(4).position(|w| w == b"4711").unwrap();
    let mut bad = der.clone();
    bad[pos + 3] = b'2';
    let v = E.verify_opaque(&ring, &bad, &ctx()).ready().unwrap();
    assert_eq!(v.report.state, SignatureState::Invalid);
    assert!(v.content.is_some(), "content shown, marked not verified");
}

#[test]
fn fail_detached_signature_with_content_is_invalid() {
    let ring = ring(&[]);
    let opaque = p7m(f("signed-alice-opaque.eml"));
    let r = E
        .verify_detached(&ring, entity(), &opaque, &ctx())
        .ready()
        .unwrap()
        .report;
    assert_eq!(r.state, SignatureState::Invalid);
}

#[test]
fn unknown_signer_and_untrusted_without_anchor() {
    // -nocerts: the certificate must come from the keyring.
    let eml = f("signed-alice-nocerts.eml");
    let r = verify_eml(&ring(&[]), eml);
    assert_eq!(r.state, SignatureState::UnknownSigner);
    assert_eq!(
        r.detail.as_deref(),
        Some("The certificate for verification could not be found.")
    );
    assert_eq!(
        verify_eml(&ring_certs(&["alice"]), eml).state,
        SignatureState::Valid
    );
    // Without the trust anchor the good signature is only untrusted.
    let r = verify_eml(&Keyring::new(), f("signed-alice.eml"));
    assert_eq!(r.state, SignatureState::Untrusted);
    // Judged at the caller's time: in 2037 Alice's certificate has expired.
    let (signed, sig) = detached(f("signed-alice.eml"));
    let later = ReadContext::at(mailseal::Time::from_unix(2_114_380_800));
    let r = E
        .verify_detached(&ring(&[]), &signed, &sig, &later)
        .ready()
        .unwrap();
    assert_eq!(r.report.state, SignatureState::Expired);
    // In 2025 it is not valid yet: its own state, not `expired`.
    let earlier = ReadContext::at(mailseal::Time::from_unix(1_735_689_600));
    let r = E
        .verify_detached(&ring(&[]), &signed, &sig, &earlier)
        .ready()
        .unwrap();
    assert_eq!(r.report.state, SignatureState::NotYetValid);
    assert_eq!(
        r.report.detail.as_deref(),
        Some("The certificate of the signer is not valid yet.")
    );
}

#[test]
fn unsorted_signed_attributes_verify_over_the_bytes_sent() {
    use der::{Decode, Encode};
    use rsa::pkcs8::DecodePrivateKey;
    use sha2::Digest;
    // Sign with mailseal, then reorder the signed attributes (not DER-sorted any more, as some
    // writers send them) and re-sign those bytes with Alice's key.
    let ring = ring(&["alice"]);
    let mut r = rng();
    let algs = Algorithms::default();
    let ctx_w = &mut write_ctx(&mut r, &algs);
    let out = E
        .sign(&ring, "alice@example.com", entity().to_vec(), ctx_w)
        .ready()
        .unwrap();
    let (signed, mut sig) = detached(&out);
    let ci = cms::content_info::ContentInfo::from_der(&sig).unwrap();
    let sd: cms::signed_data::SignedData = ci.content.decode_as().unwrap();
    let si = sd.signer_infos.0.get(0).unwrap();
    let attrs: Vec<Vec<u8>> = si
        .signed_attrs
        .as_ref()
        .unwrap()
        .iter()
        .map(|a| a.to_der().unwrap())
        .collect();
    let sorted = attrs.concat();
    let reversed: Vec<u8> = attrs.iter().rev().flatten().copied().collect();
    assert_ne!(sorted, reversed);
    let at = sig.windows(sorted.len()).position(|w| w == sorted).unwrap();
    sig[at..at + sorted.len()].copy_from_slice(&reversed);
    // Reordered but not re-signed: invalid.
    let rep = E
        .verify_detached(&ring, &signed, &sig, &ctx())
        .ready()
        .unwrap()
        .report;
    assert_eq!(rep.state, SignatureState::Invalid);

    let set = der::asn1::AnyRef::new(der::Tag::Set, &reversed)
        .unwrap()
        .to_der()
        .unwrap();
    let key =
        rsa::RsaPrivateKey::from_pkcs8_pem(std::str::from_utf8(f("alice.key")).unwrap()).unwrap();
    let new_sig = key
        .sign(
            rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
            &sha2::Sha256::digest(&set),
        )
        .unwrap();
    let old_sig = si.signature.as_bytes();
    let at = sig
        .windows(old_sig.len())
        .position(|w| w == old_sig)
        .unwrap();
    sig[at..at + old_sig.len()].copy_from_slice(&new_sig);
    let rep = E
        .verify_detached(&ring, &signed, &sig, &ctx())
        .ready()
        .unwrap()
        .report;
    assert_eq!(rep.state, SignatureState::Valid, "{:?}", rep.detail);
}

#[test]
fn lf_stored_signed_part_still_verifies() {
    let (signed, sig) = detached(f("signed-alice.eml"));
    let lf: Vec<u8> = signed.iter().copied().filter(|&b| b != b'\r').collect();
    let r = E
        .verify_detached(&ring(&[]), &lf, &sig, &ctx())
        .ready()
        .unwrap();
    assert_eq!(r.report.state, SignatureState::Valid);
}

#[test]
fn sign_then_encrypt_from_openssl_opens() {
    let ring = ring(&["bob", "dave"]);
    for file in [
        "signed-enc-bob.eml",
        "signed-opaque-enc-bob.eml",
        "signed-enc-dave-gcm.eml",
    ] {
        let d = E.decrypt(&ring, &p7m(f(file)), &ctx()).ready().unwrap();
        assert_eq!(d.report.state, EncryptionState::Decrypted, "{file}");
        let inner = d.content.expect("inner entity");
        let r = verify_eml(&ring, &inner);
        assert_eq!(r.state, SignatureState::Valid, "{file}");
        assert_eq!(r.signer.unwrap().emails, ["alice@example.com"]);
    }
}

// ---- write: mailseal's output read back --------------------------------------------------

#[test]
fn signs_in_both_forms_with_rsa_and_ec_keys() {
    let ring = ring(&["alice", "dave", "erin"]);
    let mut r = rng();
    for form in [SmimeSignedForm::Detached, SmimeSignedForm::Opaque] {
        let algs = Algorithms {
            smime_signed_form: form,
            ..Default::default()
        };
        for who in ["alice", "dave", "erin"] {
            let email = format!("{who}@example.com");
            let out = E
                .sign(
                    &ring,
                    &email,
                    entity().to_vec(),
                    &mut write_ctx(&mut r, &algs),
                )
                .ready()
                .unwrap();
            let ct = content_type(&out);
            match form {
                SmimeSignedForm::Detached => {
                    assert!(ct.contains("multipart/signed"), "{ct}");
                    assert!(ct.contains("micalg=sha-256"));
                    assert!(ct.contains("protocol=\"application/pkcs7-signature\""));
                    let (signed, _) = detached(&out);
                    assert_eq!(signed, entity(), "signed part byte for byte");
                }
                SmimeSignedForm::Opaque => assert!(ct.contains("smime-type=signed-data"), "{ct}"),
            }
            let rep = verify_eml(&ring_certs(&[]), &out);
            assert_eq!(
                rep.state,
                SignatureState::Valid,
                "{who} {form:?}: {:?}",
                rep.detail
            );
            assert_eq!(rep.signer.unwrap().emails, vec![email.clone()]);
            assert_eq!(rep.signed_at.as_deref(), Some("2026-12-01T00:00:00Z"));
        }
    }
}

#[test]
fn separate_encryption_certificate_is_sent_and_preferred() {
    use der::{Decode, DecodePem, Encode};
    // Ivy signs with one certificate and receives encrypted mail with another.
    let ring = ring(&["ivy-sign", "ivy-enc"]);
    let ivy = "ivy@example.com";
    let sign_id = E.signing_key(&ring, ivy, NOW).unwrap().id().to_string();
    let enc_id = E.encryption_key(&ring, ivy, NOW).unwrap().id().to_string();
    assert_ne!(sign_id, enc_id);
    let mut r = rng();
    let algs = Algorithms::default();
    let out = E
        .sign(&ring, ivy, entity().to_vec(), &mut write_ctx(&mut r, &algs))
        .ready()
        .unwrap();
    let (signed, sig) = detached(&out);
    let rep = E
        .verify_detached(&ring_certs(&[]), &signed, &sig, &ctx())
        .ready()
        .unwrap()
        .report;
    assert_eq!(rep.state, SignatureState::Valid, "{:?}", rep.detail);
    assert_eq!(rep.signer.unwrap().key_id, sign_id);

    let ci = cms::content_info::ContentInfo::from_der(&sig).unwrap();
    let sd: cms::signed_data::SignedData = ci.content.decode_as().unwrap();
    let enc_cert = x509_cert::Certificate::from_pem(f("ivy-enc.crt")).unwrap();
    let sent = sd
        .certificates
        .as_ref()
        .unwrap()
        .0
        .iter()
        .any(|c| matches!(c, cms::cert::CertificateChoices::Certificate(c) if *c == enc_cert));
    assert!(
        sent,
        "the encryption certificate travels with the signature"
    );
    let si = sd.signer_infos.0.get(0).unwrap();
    let pref = si
        .signed_attrs
        .as_ref()
        .unwrap()
        .iter()
        .find(|a| a.oid.to_string() == "1.2.840.113549.1.9.16.2.11")
        .expect("SMIMEEncryptionKeyPreference");
    let value = pref.values.get(0).unwrap().to_der().unwrap();
    // [0] IMPLICIT IssuerAndSerialNumber: the certificate's issuer and serial number.
    assert_eq!(value[0], 0xa0);
    let isn = cms::cert::IssuerAndSerialNumber {
        issuer: enc_cert.tbs_certificate.issuer.clone(),
        serial_number: enc_cert.tbs_certificate.serial_number.clone(),
    }
    .to_der()
    .unwrap();
    assert_eq!(&value[value.len() - (isn.len() - 2)..], &isn[2..]);

    // Mail to Ivy is encrypted to the encryption certificate.
    let out = E
        .encrypt(
            &ring,
            &[ivy.to_string()],
            None,
            entity().to_vec(),
            &mut write_ctx(&mut r, &algs),
        )
        .ready()
        .unwrap();
    let d = E.decrypt(&ring, &p7m(&out), &ctx()).ready().unwrap();
    assert_eq!(d.report.key_id.as_deref(), Some(enc_id.as_str()));
}

#[test]
fn encrypts_to_every_recipient_in_every_mode() {
    let everyone = ["alice", "bob", "carol", "dave", "erin"];
    let ring_all = ring(&everyone);
    let to: Vec<String> = everyone
        .iter()
        .map(|p| format!("{p}@example.com"))
        .collect();
    let mut r = rng();
    for (cipher, kt, alg, auth) in [
        (
            SmimeCipher::Aes256Cbc,
            SmimeKeyTransport::RsaPkcs1v15,
            "aes256-cbc",
            false,
        ),
        (
            SmimeCipher::Aes128Cbc,
            SmimeKeyTransport::RsaOaepSha256,
            "aes128-cbc",
            false,
        ),
        (
            SmimeCipher::Aes256Gcm,
            SmimeKeyTransport::RsaOaepSha256,
            "aes256-gcm",
            true,
        ),
        (
            SmimeCipher::Aes128Gcm,
            SmimeKeyTransport::RsaPkcs1v15,
            "aes128-gcm",
            true,
        ),
    ] {
        let algs = Algorithms {
            smime_cipher: cipher,
            smime_key_transport: kt,
            ..Default::default()
        };
        let out = E
            .encrypt(
                &ring_all,
                &to,
                None,
                entity().to_vec(),
                &mut write_ctx(&mut r, &algs),
            )
            .ready()
            .unwrap();
        assert!(content_type(&out).starts_with("application/pkcs7-mime"));
        let der = p7m(&out);
        for who in everyone {
            let d = E.decrypt(&ring(&[who]), &der, &ctx()).ready().unwrap();
            assert_eq!(d.report.state, EncryptionState::Decrypted, "{who} {alg}");
            assert_eq!(d.content.as_deref().map(|c| &c[..]), Some(entity()));
            assert_eq!(d.report.algorithm.as_deref(), Some(alg));
            assert_eq!(d.report.authenticated, Some(auth));
        }
    }
}

#[test]
fn sign_then_encrypt_round_trip() {
    let ring = ring(&["alice", "dave"]);
    let mut r = rng();
    let algs = Algorithms::default();
    let to = vec![
        "dave@example.com".to_string(),
        "alice@example.com".to_string(),
    ];
    let out = E
        .encrypt(
            &ring,
            &to,
            Some("alice@example.com"),
            entity().to_vec(),
            &mut write_ctx(&mut r, &algs),
        )
        .ready()
        .unwrap();
    let d = E.decrypt(&ring, &p7m(&out), &ctx()).ready().unwrap();
    let inner = d.content.unwrap();
    let rep = verify_eml(&ring, &inner);
    assert_eq!(rep.state, SignatureState::Valid);
}

#[test]
fn fail_missing_or_unusable_keys_are_named() {
    let mut ring = ring(&["alice", "frank", "heidi"]);
    ring.import(f("bob.crt"), &ImportOptions::default(), NOW)
        .unwrap();
    let problem = |addr: &str, sign: bool| {
        let r = if sign {
            E.signing_key(&ring, addr, NOW).map(|_| ())
        } else {
            E.encryption_key(&ring, addr, NOW).map(|_| ())
        };
        r.err().map(|u| u.problem)
    };
    assert_eq!(problem("alice@example.com", true), None);
    assert_eq!(problem("bob@example.com", false), None);
    assert_eq!(problem("bob@example.com", true), Some(KeyProblem::NoSecret));
    assert_eq!(
        problem("frank@example.com", true),
        Some(KeyProblem::Expired)
    );
    assert_eq!(
        problem("heidi@example.com", false),
        Some(KeyProblem::WrongUsage)
    );
    assert_eq!(
        problem("nobody@example.com", false),
        Some(KeyProblem::NotFound)
    );
    // RSA-1024: refused for writing as it is for reading.
    let weak = self::ring(&["weak"]);
    let u = E.signing_key(&weak, "weak@example.com", NOW).unwrap_err();
    assert_eq!(u.problem, KeyProblem::TooWeak(1024));
    assert!(
        u.detail().contains("1024-bit RSA key is too weak"),
        "{}",
        u.detail()
    );

    let mut r = rng();
    let algs = Algorithms::default();
    let to = vec![
        "alice@example.com".to_string(),
        "nobody@example.com".to_string(),
    ];
    let err = E
        .encrypt(
            &ring,
            &to,
            None,
            entity().to_vec(),
            &mut write_ctx(&mut r, &algs),
        )
        .ready()
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::RecipientKeyMissing);
    assert!(err.message().contains("nobody@example.com"));
    let err = E
        .sign(
            &ring,
            "bob@example.com",
            entity().to_vec(),
            &mut write_ctx(&mut r, &algs),
        )
        .ready()
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::SenderKeyMissing);
}

// ---- the whole flow: open() and protect() with the S/MIME engine ----------------------

fn with_headers(from: &str, entity: &[u8]) -> Vec<u8> {
    let mut m = format!(
        "From: {from}\r\nTo: bob@example.com\r\nSubject: Ticket 4711\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n"
    )
    .into_bytes();
    m.extend_from_slice(entity);
    m
}

fn open_with(ring: &mut Keyring, raw: &[u8]) -> mailseal::open::Opened {
    let engines: [&dyn Engine; 1] = [&E];
    mailseal::open::open(ring, &engines, raw, &mailseal::open::OpenOptions::at(NOW)).expect("open")
}

/// (fixture, From, key holders, encryption, signature, authenticated)
type OpenCase = (
    &'static str,
    &'static str,
    &'static [&'static str],
    EncryptionState,
    SignatureState,
    Option<bool>,
);

#[test]
fn open_reads_openssl_mail_with_the_right_report() {
    let cases: [OpenCase; 9] = [
        (
            "signed-alice.eml",
            "alice@example.com",
            &[],
            EncryptionState::None,
            SignatureState::Valid,
            None,
        ),
        (
            "signed-alice.eml",
            "Mallory <mallory@example.com>",
            &[],
            EncryptionState::None,
            SignatureState::SenderMismatch,
            None,
        ),
        (
            "signed-alice-opaque.eml",
            "alice@example.com",
            &[],
            EncryptionState::None,
            SignatureState::Valid,
            None,
        ),
        (
            "signed-alice-sha1.eml",
            "alice@example.com",
            &[],
            EncryptionState::None,
            SignatureState::Invalid,
            None,
        ),
        (
            "enc-alice-aes256.eml",
            "bob@example.com",
            &["alice"],
            EncryptionState::Decrypted,
            SignatureState::None,
            Some(false),
        ),
        (
            "enc-alice-gcm.eml",
            "bob@example.com",
            &["alice"],
            EncryptionState::Decrypted,
            SignatureState::None,
            Some(true),
        ),
        (
            "signed-enc-bob.eml",
            "alice@example.com",
            &["bob"],
            EncryptionState::Decrypted,
            SignatureState::Valid,
            Some(true),
        ),
        (
            "signed-opaque-enc-bob.eml",
            "alice@example.com",
            &["bob"],
            EncryptionState::Decrypted,
            SignatureState::Valid,
            Some(true),
        ),
        (
            "signed-bare-enc-bob.eml",
            "alice@example.com",
            &["bob"],
            EncryptionState::Decrypted,
            SignatureState::Valid,
            Some(true),
        ),
    ];
    for (file, from, keys, enc, sig, auth) in cases {
        let mut ring = ring(keys);
        let opened = open_with(&mut ring, &with_headers(from, f(file)));
        assert_eq!(
            opened.encryption.state, enc,
            "{file}: {:?}",
            opened.encryption.detail
        );
        assert_eq!(
            opened.signature.state, sig,
            "{file}: {:?}",
            opened.signature.detail
        );
        assert_eq!(opened.encryption.authenticated, auth, "{file}");
        let text = opened.text.unwrap_or_default();
        assert!(text.contains("Ticket #4711 is solved."), "{file}: {text:?}");
    }
    // Outlook's generic type for a streamed (BER) envelope: the DER/BER decides.
    let generic = String::from_utf8(f("enc-alice-stream.eml").to_vec())
        .unwrap()
        .replace(
            "application/pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"",
            "application/octet-stream; name=\"smime.p7m\"",
        );
    assert!(generic.contains("application/octet-stream"));
    let opened = open_with(
        &mut ring(&["alice"]),
        &with_headers("x@example.com", generic.as_bytes()),
    );
    assert_eq!(opened.encryption.state, EncryptionState::Decrypted);
    // No key: nothing shown.
    let opened = open_with(
        &mut ring(&["bob"]),
        &with_headers("x@example.com", f("enc-alice-aes256.eml")),
    );
    assert_eq!(opened.encryption.state, EncryptionState::NoKey);
    assert!(opened.text.is_none());
}

#[test]
fn protect_then_open_round_trip() {
    use mailseal::protect::{protect, Message, ProtectOptions};
    let mut ring = ring(&["alice", "bob", "dave"]);
    let raw = b"From: alice@example.com\r\nTo: bob@example.com, dave@example.com\r\nSubject: Ticket 4711\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\nMessage-ID: <t4711@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nTicket #4711 is solved.\r\n";
    let engines: [&dyn Engine; 1] = [&E];
    let mut r = rng();
    let mut opts = ProtectOptions::new(true, true, NOW);
    opts.method = mailseal::protect::MethodChoice::Smime;
    let out = protect(&mut ring, &engines, Message::Raw(raw), &opts, &mut r).expect("protect");
    assert_eq!(out.deliveries.len(), 1, "{:?}", out.warnings);
    let mime = &out.deliveries[0].mime;
    for who in ["bob", "dave", "alice"] {
        let opened = open_with(&mut ring_certs_plus(who), mime);
        assert_eq!(opened.encryption.state, EncryptionState::Decrypted, "{who}");
        assert_eq!(
            opened.signature.state,
            SignatureState::Valid,
            "{who}: {:?}",
            opened.signature.detail
        );
        assert_eq!(opened.encryption.authenticated, Some(true));
        assert!(opened
            .text
            .unwrap_or_default()
            .contains("Ticket #4711 is solved."));
    }
}

/// The trust anchor, everyone's certificates, and `who`'s private key.
fn ring_certs_plus(who: &str) -> Keyring {
    let mut ring = ring(&[who]);
    for p in ["alice", "bob", "dave"] {
        ring.import(f(&format!("{p}.crt")), &ImportOptions::default(), NOW)
            .expect("cert");
    }
    ring
}

// ---- the policy's signature rules ---------------------------------------------------------

/// Rules stricter than the floor: RSA keys of at least `bits`.
fn rules_min_rsa(bits: u32) -> mailseal::SignatureRules {
    mailseal::SignatureRules {
        min_rsa_bits: mailseal::MinRsaBits::new(bits).expect("at or above the floor"),
        ..Default::default()
    }
}

#[test]
fn a_stricter_policy_refuses_a_2048_bit_signer_with_its_number() {
    let ring = ring(&[]);
    let (signed, sig) = detached(f("signed-alice.eml"));
    // The default keeps today's verdicts and sentences.
    let default = E
        .verify_detached(&ring, &signed, &sig, &ctx())
        .ready()
        .unwrap();
    assert_eq!(default.report.state, SignatureState::Valid);
    let sha1 = verify_eml(&ring, f("signed-alice-sha1.eml"));
    assert_eq!(
        sha1.detail.as_deref(),
        Some("The signature uses SHA1, which is no longer considered secure.")
    );
    let weak = verify_eml(&ring, f("signed-weak1024.eml"));
    assert_eq!(
        weak.detail.as_deref(),
        Some(
            "The signature was made with a 1024-bit RSA key, which is too weak \
             (2048 bits or more are required)."
        )
    );

    let strict = ReadContext {
        signatures: rules_min_rsa(3072),
        ..ctx()
    };
    for v in [
        E.verify_detached(&ring, &signed, &sig, &strict),
        E.verify_opaque(&ring, f("signed-alice-opaque.p7m"), &strict),
    ] {
        let r = v.ready().unwrap().report;
        assert_eq!(r.state, SignatureState::Invalid);
        assert_eq!(
            r.detail.as_deref(),
            Some(
                "The signature was made with a 2048-bit RSA key, which is too weak \
                 (3072 bits or more are required)."
            )
        );
    }
}

#[test]
fn a_stricter_policy_refuses_sha256_signatures_and_signing_with_small_keys() {
    let ring = ring(&["alice"]);
    let strict = ReadContext {
        signatures: mailseal::SignatureRules {
            weak_hashes: mailseal::WeakHashes::new(vec![
                mailseal::SignatureHash::Md5,
                mailseal::SignatureHash::Sha1,
                mailseal::SignatureHash::Ripemd160,
                mailseal::SignatureHash::Sha256,
            ])
            .unwrap(),
            ..Default::default()
        },
        ..ctx()
    };
    let (signed, sig) = detached(f("signed-alice.eml"));
    let r = E
        .verify_detached(&ring, &signed, &sig, &strict)
        .ready()
        .unwrap()
        .report;
    assert_eq!(r.state, SignatureState::Invalid);
    assert_eq!(
        r.detail.as_deref(),
        Some("The signature uses SHA256, which is no longer considered secure.")
    );

    // Writing follows the same rules: a 2048-bit signer is not offered under 3072.
    let mut r = rng();
    let algs = Algorithms {
        signatures: rules_min_rsa(3072),
        ..Default::default()
    };
    let err = E
        .sign(
            &ring,
            "alice@example.com",
            entity().to_vec(),
            &mut write_ctx(&mut r, &algs),
        )
        .ready()
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::SenderKeyMissing);
    assert!(
        err.message().contains("2048-bit RSA key is too weak"),
        "{}",
        err.message()
    );
    let ok = E
        .sign(
            &ring,
            "alice@example.com",
            entity().to_vec(),
            &mut write_ctx(&mut r, &Algorithms::default()),
        )
        .ready();
    assert!(ok.is_ok());
}

/// A signature whose signing time lies before its certificate was valid (the date set back, or
/// a wrong clock) keeps its verdict, as openssl gives it, but the agent is told: before, it read
/// `valid` without a word, while OpenPGP refuses the same (sweep 21). A signing time within
/// the certificate's validity says nothing of it.
#[test]
fn a_signing_time_before_the_certificate_is_told() {
    let ring = ring(&["alice"]);
    let algs = Algorithms::default();
    let handle = E.signing_key(&ring, "alice@example.com", NOW).unwrap();
    let signed_at = |now: mailseal::Time| {
        let mut r = rng();
        let mut writing = write_ctx(&mut r, &algs);
        writing.now = now;
        let out = E
            .sign_as(&ring, &handle, entity().to_vec(), &mut writing)
            .ready()
            .unwrap();
        let (signed, sig) = detached(&out);
        E.verify_detached(&ring, &signed, &sig, &ctx())
            .ready()
            .unwrap()
            .report
    };
    // Alice's certificate is valid from 2026-01-01.
    let backdated = signed_at(mailseal::Time::from_unix(1_748_736_000)); // 2025-06-01
    assert_eq!(backdated.state, SignatureState::Valid);
    let detail = backdated.detail.unwrap_or_default();
    assert!(
        detail.contains("before the signer's certificate was valid (from 2026-01-01"),
        "{detail}"
    );
    let in_time = signed_at(NOW);
    assert_eq!(in_time.state, SignatureState::Valid);
    assert!(!in_time.detail.unwrap_or_default().contains("before"));
}

/// An S/MIME envelope whose base64 lacks its `=` padding: the MIME parser's decoder drops the
/// last quantum's octets, so the DER is damaged; `open` of a message it owns decoded it in
/// place and decrypted it (sweep 22). Both ways now give the same error.
#[test]
fn base64_without_padding_opens_the_same_owned_and_borrowed() {
    let message = fixture("in-place/smime-base64-without-padding.eml");
    let opts = mailseal::OpenOptions::at(NOW);
    let engines: [&dyn Engine; 1] = [&E];
    let mut keys = ring(&["bob"]);
    let (borrowed, _) = mailseal::open_async(&keys, &engines, message, &opts).ready();
    let owned = mailseal::open_owned(&mut keys, &engines, message.to_vec(), &opts);
    let code = |o: &mailseal::Result<mailseal::Opened>| o.as_ref().err().map(|e| e.code());
    assert_eq!(code(&borrowed), Some(ErrorCode::MalformedMessage));
    assert_eq!(code(&owned), code(&borrowed));
}
