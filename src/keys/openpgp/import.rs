//! Importing OpenPGP keys: every transferable key of the data, checked for an algorithm
//! mailseal supports, its secret material unlocked, as keyring entries.

use pgp::composed::SignedPublicKey;
use pgp::types::{
    EcdhPublicParams, EcdsaPublicParams, EddsaLegacyPublicParams, KeyDetails, KeyVersion,
    PublicParams,
};

use super::entry::PgpEntry;
use super::read::{parse_armored, parse_binary, Found, Parsed, MAX_INPUT};
use super::secret::{is_stub, unprotect};
use super::summary::{algorithm_name, issued_by};
use crate::bytes::find;
use crate::error::{Error, ErrorCode, Result};

/// Parses every transferable key in `data` (armored or binary, one key or a keyring of several
/// keys or armor blocks). Protected secret keys are unlocked with `passphrase`.
pub(crate) fn parse_pgp(
    data: &[u8],
    passphrase: Option<&str>,
    trusted: bool,
) -> Result<Vec<PgpEntry>> {
    parse_pgp_reporting(data, passphrase, trusted, &mut Vec::new())
}

/// [`parse_pgp`], which leaves out the keys on algorithms mailseal does not compute with when
/// others of the data import: their fingerprints (uppercase hex) and errors go to `skipped`,
/// for the import's log.
pub(crate) fn parse_pgp_reporting(
    data: &[u8],
    passphrase: Option<&str>,
    trusted: bool,
    skipped: &mut Vec<(String, Error)>,
) -> Result<Vec<PgpEntry>> {
    if data.len() > MAX_INPUT {
        return Err(Error::new(
            ErrorCode::TooLarge,
            "OpenPGP key data larger than 16 MiB is refused.",
        ));
    }
    let mut found = Found::default();
    if find(data, b"-----BEGIN PGP ").is_some() {
        parse_armored(data, &mut found)?;
    } else if data.first().is_some_and(|b| b & 0x80 != 0) {
        parse_binary(data, &mut found)?;
    } else {
        return Err(Error::unsupported_format(
            "The data is neither ASCII-armored nor binary OpenPGP.",
        ));
    }
    if found.keys.is_empty() {
        return Err(found.nothing_found());
    }
    // A revocation certificate in the same file as its key (`cat key.asc rev.asc`) revokes it,
    // as gpg --import does (the signature is checked when the key is summarised).
    for sig in std::mem::take(&mut found.stray_revocations) {
        for key in &mut found.keys {
            let (primary_fpr, details) = match key {
                Parsed::Public(k) => (k.primary_key.fingerprint(), &mut k.details),
                Parsed::Secret(k) => (k.primary_key.fingerprint(), &mut k.details),
            };
            let named = issued_by(&sig, primary_fpr.as_bytes())
                // or by a key it names as designated revoker (checked with that key once
                // it is in the keyring: `Keyring::apply_designated_revocations`)
                || names_as_revoker(details, &sig);
            if named {
                details.revocation_signatures.push(sig.clone());
            }
        }
    }

    let mut entries = Vec::with_capacity(found.keys.len());
    let mut refused = Vec::new();
    for key in found.keys {
        let fingerprint = match &key {
            Parsed::Public(k) => k.primary_key.fingerprint(),
            Parsed::Secret(k) => k.primary_key.fingerprint(),
        };
        match entry_from_parsed(key, passphrase, trusted) {
            Ok(entry) => entries.push(entry),
            // A keyring with one antique key among good ones still imports the good ones,
            // and the log says which were left out.
            Err(e) if e.code() == ErrorCode::UnsupportedAlgorithm => {
                refused.push((hex::encode_upper(fingerprint.as_bytes()), e));
            }
            Err(e) => return Err(e),
        }
    }
    if entries.is_empty() {
        if let Some((_, e)) = refused.into_iter().next() {
            return Err(e);
        }
    } else {
        skipped.extend(refused);
    }
    Ok(entries)
}

/// Whether a self-signature of the key (unverified here) names the issuer of `sig` as a
/// designated revoker (RFC 9580 §5.2.3.23).
fn names_as_revoker(
    details: &pgp::composed::SignedKeyDetails,
    sig: &pgp::packet::Signature,
) -> bool {
    details
        .direct_signatures
        .iter()
        .chain(details.users.iter().flat_map(|u| u.signatures.iter()))
        .filter_map(|s| s.revocation_key())
        .any(|r| issued_by(sig, &r.fingerprint))
}

/// Checks the algorithm, unlocks the secret material and builds the entry.
fn entry_from_parsed(key: Parsed, passphrase: Option<&str>, trusted: bool) -> Result<PgpEntry> {
    match key {
        Parsed::Public(public) => {
            check_supported(&public)?;
            Ok(PgpEntry::new(*public, None, trusted))
        }
        Parsed::Secret(mut secret) => {
            let public = secret.to_public_key();
            check_supported(&public)?;
            unprotect(&mut secret, passphrase)?;
            let usable = !is_stub(secret.primary_key.secret_params())
                || secret
                    .secret_subkeys
                    .iter()
                    .any(|s| !is_stub(s.key.secret_params()));
            Ok(PgpEntry::new(public, usable.then_some(*secret), trusted))
        }
    }
}

/// The key is on a curve mailseal does not compute with. secp256k1: rPGP hands libgcrypt's
/// signatures to k256 unnormalised, which refuses every one with a high S (about half of them):
/// such keys would make good signatures look invalid. Other curves (Brainpool) rPGP reads but
/// does not compute on.
pub(crate) fn on_unsupported_curve(params: &PublicParams) -> bool {
    matches!(
        params,
        PublicParams::ECDSA(
            EcdsaPublicParams::Secp256k1 { .. } | EcdsaPublicParams::Unsupported { .. }
        ) | PublicParams::ECDH(EcdhPublicParams::Unsupported { .. })
            | PublicParams::EdDSALegacy(EddsaLegacyPublicParams::Unsupported { .. })
    )
}

fn check_supported(key: &SignedPublicKey) -> Result<()> {
    let fpr = hex::encode_upper(key.fingerprint().as_bytes());
    if !matches!(key.version(), KeyVersion::V4 | KeyVersion::V6) {
        return Err(Error::new(
            ErrorCode::UnsupportedAlgorithm,
            format!(
                "The OpenPGP key {fpr} is a legacy version {} key (PGP 2.x); mailseal supports \
                 version 4 and 6 keys.",
                u8::from(key.version())
            ),
        ));
    }
    let alg = algorithm_name(key.public_params());
    if on_unsupported_curve(key.public_params()) {
        return Err(Error::new(
            ErrorCode::UnsupportedAlgorithm,
            format!(
                "The OpenPGP key {fpr} uses the {alg} curve, which mailseal does not support \
                 (RSA, Ed25519/Cv25519 and the NIST curves are)."
            ),
        ));
    }
    if alg == "unknown" {
        return Err(Error::new(
            ErrorCode::UnsupportedAlgorithm,
            format!(
                "The OpenPGP key {fpr} uses a public key algorithm or curve mailseal does not \
                 support ({:?}).",
                key.algorithm()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::keys::import::looks_like_pgp;
    use crate::keys::openpgp::fixtures::*;
    use crate::keys::{KeyKind, KeyStatus};
    use pgp::composed::Deserializable;
    use pgp::composed::{ArmorOptions, SignedSecretKey};
    use pgp::crypto::public_key::PublicKeyAlgorithm;
    use pgp::ser::Serialize;
    use pgp::types::{PublicParams, S2kParams, SecretParams, StringToKey};

    /// `cat key.gpg rev.gpg`: a binary key followed by its own revocation certificate. rPGP's
    /// key parser dropped the revocation, filed after the last User ID or subkey; now it is the
    /// primary key's (vendor/pgp/MAILSEAL.md), as in gpg ("1 signature reordered"), armored in
    /// one block or not (key import sweep).
    #[test]
    fn a_revocation_after_a_binary_key_revokes_it() {
        use pgp::packet::PacketTrait;
        let key = one(fixture!("revoked-pub-before.asc"), None)
            .to_stored()
            .unwrap()
            .public;
        assert!(!one(&key, None).primary_summary().revoked);
        let mut data = key.clone();
        for sig in crate::keys::openpgp::read::revocation_certificates(fixture!("revoked.rev")) {
            sig.to_writer_with_header(&mut data).unwrap();
        }
        assert!(data.len() > key.len());
        use base64::Engine as _;
        let armored = format!(
            "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n{}\n-----END PGP PUBLIC KEY BLOCK-----\n",
            base64::engine::general_purpose::STANDARD.encode(&data)
        )
        .into_bytes();
        for data in [data, armored] {
            let entry = one(&data, None);
            assert_eq!(entry.id(), REV_FPR);
            assert!(entry.primary_summary().revoked);
            assert_eq!(entry.info(NOW).status, KeyStatus::Revoked);
        }
    }

    #[test]
    fn detects_openpgp() {
        assert!(looks_like_pgp(fixture!("ed-pub.asc")));
        assert!(looks_like_pgp(fixture!("ed-sec.asc")));
        assert!(looks_like_pgp(fixture!("ed-sec.gpg")));
        assert!(looks_like_pgp(fixture!("rsa-sec-protected.gpg")));
        let public_binary = one(fixture!("ed-pub.asc"), None)
            .to_stored()
            .unwrap()
            .public;
        assert!(looks_like_pgp(&public_binary));
        // New-format packet headers: 0xC6 public key, 0xC5 secret key, 0xC2 a signature (a
        // binary revocation certificate); 0xCB a literal data packet is no key material.
        assert!(looks_like_pgp(&[0xC6, 0x33]));
        assert!(looks_like_pgp(&[0xC5, 0x33]));
        assert!(looks_like_pgp(&[0xC2, 0x33]));
        assert!(!looks_like_pgp(&[0xCB, 0x33]));
        assert!(!looks_like_pgp(b""));
        assert!(!looks_like_pgp(
            b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
        ));
        assert!(!looks_like_pgp(&[0x30, 0x82, 0x01, 0x0a])); // DER
        assert!(looks_like_pgp(
            b"text before\n-----BEGIN PGP PUBLIC KEY BLOCK-----\n"
        ));
    }

    #[test]
    fn unprotected_ed25519_secret_key() {
        let e = one(fixture!("ed-sec.asc"), None);
        assert_eq!(e.id(), ED_FPR);
        assert!(e.has_secret());
        let info = e.info(NOW);
        assert_eq!(info.kind, KeyKind::Pgp);
        assert_eq!(info.emails, ["ed.second@example.net", "ed@example.org"]);
        assert!(info.has_secret && info.can_sign && info.can_encrypt);
        assert!(!info.trusted && !info.is_ca);
        assert_eq!(info.algorithm, "ed25519");
        assert_eq!(info.created, "2024-01-01T00:00:00Z");
        assert_eq!(info.expires, None);
        assert_eq!(info.status, KeyStatus::Valid);
        assert_eq!(info.issuer, None);
        // No user id is flagged primary: the newest self-certification wins, as in GnuPG.
        assert_eq!(
            info.subject.as_deref(),
            Some("Ed Second <Ed.Second@Example.NET>")
        );
        assert_eq!(info.key_ids, ["53F7E16837737910", "261F4ABE6E3F3797"]);
        assert_eq!(e.emails(), info.emails);
        // The binary export of the same key gives the same entry.
        let b = one(fixture!("ed-sec.gpg"), None);
        assert_eq!(b.info(NOW), info);
    }

    #[test]
    fn unsupported_algorithms() {
        use pgp::composed::SignedKeyDetails;
        use pgp::packet::{PubKeyInner, PublicKey};
        use pgp::types::Timestamp;
        let inner = PubKeyInner::new(
            KeyVersion::V4,
            PublicKeyAlgorithm::Private100,
            Timestamp::from_secs(1_704_067_200),
            None,
            PublicParams::Unknown {
                data: vec![1, 2, 3].into(),
            },
        )
        .unwrap();
        let key = SignedPublicKey::new(
            PublicKey::from_inner(inner).unwrap(),
            SignedKeyDetails::new(vec![], vec![], vec![], vec![]),
            vec![],
        );
        let odd = key.to_bytes().unwrap();
        let err = parse_pgp(&odd, None, false).unwrap_err();
        assert_eq!(err.code(), ErrorCode::UnsupportedAlgorithm);
        // In a keyring, the keys mailseal can use still import.
        let mut ring = odd.clone();
        ring.extend_from_slice(fixture!("ed-sec.gpg"));
        let v = parse_pgp(&ring, None, false).unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].id(), ED_FPR);
    }

    /// RFC 9580 v6 keys (Ed25519 / X25519, algorithms 27 / 25): properties on the direct-key
    /// signature. GnuPG 2.2 cannot make them, so the key is generated here.
    #[allow(clippy::disallowed_methods)] // Instant: native test only
    #[test]
    fn v6_keys() {
        use pgp::composed::{EncryptionCaps, KeyType, SecretKeyParamsBuilder, SubkeyParamsBuilder};
        use pgp::types::Timestamp;
        let created = Timestamp::from_secs(1_704_067_200);
        let subkey = SubkeyParamsBuilder::default()
            .version(KeyVersion::V6)
            .key_type(KeyType::X25519)
            .can_encrypt(EncryptionCaps::All)
            .created_at(created)
            .build()
            .unwrap();
        let params = SecretKeyParamsBuilder::default()
            .version(KeyVersion::V6)
            .key_type(KeyType::Ed25519)
            .can_certify(true)
            .can_sign(true)
            .primary_user_id("Six <Six@Example.org>".into())
            .created_at(created)
            .subkey(subkey)
            .build()
            .unwrap();
        let key = params.generate(rng()).unwrap();
        let armored = key.to_armored_bytes(ArmorOptions::default()).unwrap();
        let e = one(&armored, None);
        let info = e.info(NOW);
        assert_eq!(info.algorithm, "ed25519");
        assert_eq!(info.emails, ["six@example.org"]);
        assert_eq!(info.id.len(), 64);
        assert!(info.has_secret && info.can_sign && info.can_encrypt);
        assert_eq!(info.status, KeyStatus::Valid);
        assert_eq!(info.key_ids.len(), 2);
        // The export is protected (v6: Argon2 + AEAD) and comes back with the passphrase.
        let out = e.export_secret("six", &mut rng()).unwrap();
        let back = one(&out, Some("six"));
        assert_eq!(back.info(NOW), info);
        assert_eq!(
            parse_pgp(&out, Some("five"), false).unwrap_err().code(),
            ErrorCode::BadPassphrase
        );

        // The same export with its Argon2 S2K asking for 2 GiB (encoded_m 21; RFC 9580's
        // first choice) or 1 GiB x 32 passes: refused as too_large before any derivation,
        // which would abort the wasm module (2 GiB) or run for most of a minute.
        let (locked, _) = SignedSecretKey::from_armor_single(out.as_slice()).unwrap();
        let SecretParams::Encrypted(enc) = locked.primary_key.secret_params() else {
            panic!("protected");
        };
        let S2kParams::Aead {
            s2k: StringToKey::Argon2 { salt, t, p, m_enc },
            ..
        } = enc.string_to_key_params()
        else {
            panic!("Argon2: {:?}", enc.string_to_key_params());
        };
        let binary = locked.to_bytes().unwrap();
        let mut specifier = vec![4u8];
        specifier.extend_from_slice(salt);
        specifier.extend_from_slice(&[*t, *p, *m_enc]);
        let at = binary
            .windows(specifier.len())
            .position(|w| w == specifier)
            .expect("the S2K specifier");
        for (passes, m) in [(*t, 21u8), (32, 20)] {
            let mut costly = binary.clone();
            costly[at + 17] = passes;
            costly[at + 19] = m;
            let started = std::time::Instant::now();
            let err = parse_pgp(&costly, Some("six"), false).unwrap_err();
            assert_eq!(err.code(), ErrorCode::TooLarge, "{err}");
            assert!(started.elapsed().as_secs() < 2, "refused before deriving");
        }
    }
}
