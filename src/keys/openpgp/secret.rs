//! Secret key material: GnuPG stubs (which hold no secret) and the passphrase protection
//! removed once at import, within the key derivation budget of keys/kdf.rs. Secret keys are
//! then held unprotected in memory; the keyring is sealed at rest (see `vault`).

use pgp::composed::SignedSecretKey;
use pgp::types::{Password, S2kParams, SecretParams, StringToKey};

use crate::error::{Error, ErrorCode, Result};

/// GnuPG's private S2K specifier for secret key stubs (gnu-dummy, gnu-divert-to-card).
const S2K_GNU: u8 = 101;

/// A GnuPG stub: an "encrypted" secret packet that holds no secret at all.
pub(super) fn is_stub(params: &SecretParams) -> bool {
    match params {
        SecretParams::Plain(_) => false,
        SecretParams::Encrypted(enc) => match enc.string_to_key_params() {
            S2kParams::Cfb { s2k, .. }
            | S2kParams::MalleableCfb { s2k, .. }
            | S2kParams::Aead { s2k, .. } => {
                matches!(s2k, StringToKey::Private { typ: S2K_GNU, .. })
            }
            S2kParams::Unprotected | S2kParams::LegacyCfb { .. } => false,
        },
    }
}

/// Removes the passphrase protection of every protected (non-stub) secret packet.
pub(super) fn unprotect(secret: &mut SignedSecretKey, passphrase: Option<&str>) -> Result<()> {
    let needs = |p: &SecretParams| p.is_encrypted() && !is_stub(p);
    let any_locked = needs(secret.primary_key.secret_params())
        || secret
            .secret_subkeys
            .iter()
            .any(|s| needs(s.key.secret_params()));
    if !any_locked {
        return Ok(());
    }
    let Some(passphrase) = passphrase else {
        return Err(Error::bad_passphrase());
    };
    // The key chooses its S2K's cost: bounded before any derivation (keys/kdf.rs). An Argon2
    // S2K asking for 2 GiB aborted the wasm module and left the keyring unusable.
    let params = core::iter::once(secret.primary_key.secret_params())
        .chain(secret.secret_subkeys.iter().map(|s| s.key.secret_params()));
    for p in params {
        if needs(p) && !s2k_within_budget(p) {
            return Err(crate::keys::kdf::too_costly(
                "private key's passphrase protection (S2K)",
            ));
        }
    }
    let password = Password::from(passphrase);
    let unlock_error = |e: pgp::errors::Error| match e {
        pgp::errors::Error::Unsupported { .. } | pgp::errors::Error::Unimplemented { .. } => {
            Error::new(
                ErrorCode::UnsupportedAlgorithm,
                "The private key is protected with a cipher or S2K method mailseal does not \
                 support.",
            )
        }
        _ => Error::bad_passphrase(),
    };
    if needs(secret.primary_key.secret_params()) {
        secret
            .primary_key
            .remove_password(&password)
            .map_err(unlock_error)?;
    }
    for sub in &mut secret.secret_subkeys {
        if needs(sub.key.secret_params()) {
            sub.key.remove_password(&password).map_err(unlock_error)?;
        }
    }
    Ok(())
}

/// Whether a protected secret key's S2K stays within keys/kdf.rs. Argon2 (RFC 9580 §3.7.1.4):
/// memory 2^encoded_m KiB, t passes, p lanes. The iterated S2K hashes at most 65 MiB (its
/// count octet cannot say more); the others do one hash.
fn s2k_within_budget(params: &SecretParams) -> bool {
    let SecretParams::Encrypted(enc) = params else {
        return true;
    };
    let s2k = match enc.string_to_key_params() {
        S2kParams::Cfb { s2k, .. }
        | S2kParams::MalleableCfb { s2k, .. }
        | S2kParams::Aead { s2k, .. } => s2k,
        S2kParams::Unprotected | S2kParams::LegacyCfb { .. } => return true,
    };
    match s2k {
        StringToKey::Argon2 { t, p, m_enc, .. } => {
            let memory_kib = 1u64.checked_shl(u32::from(*m_enc)).unwrap_or(u64::MAX);
            crate::keys::kdf::argon2_ok(memory_kib, u64::from(*t), u64::from(*p))
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::keys::openpgp::fixtures::*;
    use crate::keys::openpgp::parse_pgp;

    #[test]
    fn protected_keys_need_the_passphrase() {
        for (data, pass, fpr, which) in [
            (
                fixture!("rsa-sec-protected.gpg"),
                "rsa pass",
                RSA_FPR,
                "rsa",
            ),
            (fixture!("prot-ed-sec.asc"), "ed pass", PROT_FPR, "prot"),
        ] {
            for wrong in [None, Some("wrong")] {
                let err = parse_pgp(data, wrong, false).expect_err("refused");
                assert_eq!(err.code(), ErrorCode::BadPassphrase);
                assert!(!err.message().contains(pass));
            }
            let e = cached(which);
            assert_eq!(e.id(), fpr);
            let sk = e.secret_key().expect("secret");
            // Held unprotected in memory.
            assert!(!sk.primary_key.secret_params().is_encrypted());
            assert!(sk
                .secret_subkeys
                .iter()
                .all(|s| !s.key.secret_params().is_encrypted()));
            assert_eq!(sk.secret_subkeys.len(), 1);
            let info = e.info(NOW);
            assert!(info.has_secret && info.can_sign && info.can_encrypt);
        }
        let rsa = cached("rsa").info(NOW);
        assert_eq!(rsa.algorithm, "rsa3072");
        let prot = cached("prot").info(NOW);
        assert_eq!(prot.emails, ["prot@example.com"]);
        // A passphrase given for an unprotected key is ignored.
        assert!(one(fixture!("ed-sec.asc"), Some("unused")).has_secret());
    }
}
