//! Merging a re-import into the key the keyring holds: new signatures (those by the key itself
//! only when they verify), user ids and subkeys are added, nothing held is dropped; real secret
//! material wins over GnuPG stubs.

use std::collections::HashSet;

use pgp::composed::{SignedPublicKey, SignedSecretKey, SignedSecretSubKey};
use pgp::packet::Signature;
use pgp::ser::Serialize;
use pgp::types::KeyDetails;

use super::secret::is_stub;

/// Adds the signatures of `from` that `into` lacks (compared by their serialized body) and
/// that `holds`: a signature that says the key made it must verify. A copy of a held key
/// with signatures that do not verify (later dates, made up) could otherwise push its real
/// revocation or binding out of the newest ones the summary checks, and a revoked key read
/// as valid again (found by the key sweep). Signatures by other keys (a designated revoker's,
/// certifications) are kept as before: the summary checks them against their own keys.
fn merge_sigs(into: &mut Vec<Signature>, from: &[Signature], holds: impl Fn(&Signature) -> bool) {
    let mut seen: HashSet<Vec<u8>> = into.iter().filter_map(|s| s.to_bytes().ok()).collect();
    for sig in from {
        let Ok(bytes) = sig.to_bytes() else {
            continue;
        };
        if !seen.contains(&bytes) && holds(sig) {
            seen.insert(bytes);
            into.push(sig.clone());
        }
    }
}

/// Whether a merge takes the other copy's User IDs (and user attributes) that the key does
/// not have yet; their new signatures on User IDs already there are always taken.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum NewIdentities {
    Added,
    /// The key was verified with the User IDs it has; an unverified copy adds none.
    Refused,
}

pub(super) fn merge_public(
    base: &mut SignedPublicKey,
    other: &SignedPublicKey,
    identities: NewIdentities,
) {
    let primary = base.primary_key.clone();
    let by_primary = |s: &Signature| super::summary::may_be_issued_by(s, &primary);
    let (details, other_details) = (&mut base.details, &other.details);
    let key_sig = |s: &Signature| !by_primary(s) || s.verify_key(&primary).is_ok();
    merge_sigs(
        &mut details.revocation_signatures,
        &other_details.revocation_signatures,
        key_sig,
    );
    merge_sigs(
        &mut details.direct_signatures,
        &other_details.direct_signatures,
        key_sig,
    );
    let add = identities == NewIdentities::Added;
    for user in &other_details.users {
        match details.users.iter_mut().find(|u| u.id.id() == user.id.id()) {
            Some(existing) => merge_sigs(&mut existing.signatures, &user.signatures, |s| {
                !by_primary(s)
                    || s.verify_certification(&primary, pgp::types::Tag::UserId, &user.id)
                        .is_ok()
            }),
            None if add => details.users.push(user.clone()),
            None => {}
        }
    }
    for attr in &other_details.user_attributes {
        match details
            .user_attributes
            .iter_mut()
            .find(|a| a.attr == attr.attr)
        {
            Some(existing) => merge_sigs(&mut existing.signatures, &attr.signatures, |_| true),
            None if add => details.user_attributes.push(attr.clone()),
            None => {}
        }
    }
    for sub in &other.public_subkeys {
        let fpr = sub.key.fingerprint();
        match base
            .public_subkeys
            .iter_mut()
            .find(|s| s.key.fingerprint() == fpr)
        {
            Some(existing) => merge_sigs(&mut existing.signatures, &sub.signatures, |s| {
                !by_primary(s) || s.verify_subkey_binding(&primary, &sub.key).is_ok()
            }),
            None => base.public_subkeys.push(sub.clone()),
        }
    }
}

/// Most signatures of one kind a found copy keeps for each component (the summary verifies at
/// most 64 per component anyway).
const MAX_FOUND_SIGNATURES: usize = 64;

/// A copy of a key found for an address (a lookup, an Autocrypt header, a refresh), cut down to
/// what it may bring: the User IDs whose address `keep` accepts (no user attributes), only the
/// signatures the key itself claims to have made on them (others' certifications say nothing
/// here), key revocations by the key or a revoker it names, and only the subkeys in `bound`
/// (the summary found their binding valid). Anyone can put anyone's address into their own key:
/// found for one address, a key is a key for that address only, as Autocrypt keeps its state
/// per address and gpg imports a WKD answer keeping only the User ID it asked for. And a flood
/// of certifications and unbound subkeys in an answer (megabytes, seconds of merging) stays
/// out of the keyring (found by the key sweep of 2026-12-06).
pub(super) fn trim_found_copy(
    key: &mut SignedPublicKey,
    keep: impl Fn(&str) -> bool,
    bound: &[Vec<u8>],
    named_revoker: impl Fn(&Signature) -> bool,
) {
    let primary = key.primary_key.clone();
    let by_primary = |s: &Signature| super::summary::may_be_issued_by(s, &primary);
    let details = &mut key.details;
    details.users.retain(|u| {
        u.id.as_str()
            .and_then(crate::Address::from_user_id)
            .is_some_and(|a| keep(&a.key()))
    });
    details.user_attributes.clear();
    let cap = |sigs: &mut Vec<Signature>, ok: &dyn Fn(&Signature) -> bool| {
        sigs.retain(|s| ok(s));
        sigs.truncate(MAX_FOUND_SIGNATURES);
    };
    for user in &mut details.users {
        cap(&mut user.signatures, &by_primary);
    }
    cap(&mut details.direct_signatures, &by_primary);
    cap(&mut details.revocation_signatures, &|s| {
        by_primary(s) || named_revoker(s)
    });
    key.public_subkeys.retain(|s| {
        bound
            .iter()
            .any(|f| f.as_slice() == s.key.fingerprint().as_bytes())
    });
    for sub in &mut key.public_subkeys {
        cap(&mut sub.signatures, &by_primary);
    }
}

/// Both sides hold secret material for the same primary key: keep real material over stubs
/// and take secret subkeys only one side has.
pub(super) fn merge_secret_material(mut a: SignedSecretKey, b: SignedSecretKey) -> SignedSecretKey {
    let SignedSecretKey {
        primary_key,
        secret_subkeys,
        ..
    } = b;
    if is_stub(a.primary_key.secret_params()) && !is_stub(primary_key.secret_params()) {
        a.primary_key = primary_key;
    }
    for sub in secret_subkeys {
        let fpr = sub.key.fingerprint();
        match a
            .secret_subkeys
            .iter_mut()
            .find(|s| s.key.fingerprint() == fpr)
        {
            Some(existing) => {
                if is_stub(existing.key.secret_params()) && !is_stub(sub.key.secret_params()) {
                    *existing = sub;
                }
            }
            None => a.secret_subkeys.push(sub),
        }
    }
    a
}

/// Rebuilds the secret key around its material with the (merged) public key's user ids,
/// signatures and subkeys, so that exports carry everything the keyring knows.
pub(super) fn resync_secret(secret: SignedSecretKey, public: &SignedPublicKey) -> SignedSecretKey {
    let SignedSecretKey {
        primary_key,
        secret_subkeys,
        ..
    } = secret;
    let secret_subkeys: Vec<SignedSecretSubKey> = secret_subkeys
        .into_iter()
        .map(|mut sub| {
            let fpr = sub.key.fingerprint();
            if let Some(p) = public
                .public_subkeys
                .iter()
                .find(|p| p.key.fingerprint() == fpr)
            {
                // the public key's signatures were checked when they were merged into it
                merge_sigs(&mut sub.signatures, &p.signatures, |_| true);
            }
            sub
        })
        .collect();
    let public_subkeys = public
        .public_subkeys
        .iter()
        .filter(|p| {
            let fpr = p.key.fingerprint();
            !secret_subkeys.iter().any(|s| s.key.fingerprint() == fpr)
        })
        .cloned()
        .collect();
    SignedSecretKey::new(
        primary_key,
        public.details.clone(),
        public_subkeys,
        secret_subkeys,
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::error::ErrorCode;
    use crate::keys::openpgp::fixtures::*;
    use crate::keys::openpgp::parse_pgp;
    use crate::keys::KeyStatus;

    #[test]
    fn revocation_and_merge_gains_it() {
        let revoked = one(fixture!("revoked-pub.asc"), None);
        assert_eq!(revoked.id(), REV_FPR);
        assert_eq!(revoked.info(NOW).status, KeyStatus::Revoked);
        let before = one(fixture!("revoked-pub-before.asc"), None);
        assert_eq!(before.info(NOW).status, KeyStatus::Valid);

        let mut merged = before.clone();
        merged.merge(revoked.clone());
        assert_eq!(merged.info(NOW).status, KeyStatus::Revoked);
        let mut merged2 = revoked;
        merged2.merge(before);
        assert_eq!(merged2.info(NOW).status, KeyStatus::Revoked);
        // The revocation survives export and re-import.
        let again = one(merged.export_public().unwrap().as_bytes(), None);
        assert_eq!(again.info(NOW).status, KeyStatus::Revoked);
    }

    #[test]
    fn merge_gains_secret_user_ids_and_trust() {
        let mut e = one(fixture!("ed-pub-v1.asc"), None);
        assert_eq!(e.emails(), ["ed@example.org"]);
        assert!(!e.has_secret());
        let mut secret = parse_pgp(fixture!("ed-sec.asc"), None, true).unwrap();
        e.merge(secret.remove(0));
        assert!(e.has_secret() && e.trusted());
        assert_eq!(e.emails(), ["ed.second@example.net", "ed@example.org"]);
        // The secret key carries what the public one knows.
        let sk = e.secret_key().unwrap();
        assert_eq!(sk.details.users.len(), 2);

        // Merging the old public key back keeps the secret and both user ids; trust stays.
        e.merge(one(fixture!("ed-pub-v1.asc"), None));
        assert!(e.has_secret() && e.trusted());
        assert_eq!(e.emails().len(), 2);
        // Nothing is duplicated.
        assert_eq!(e.public_key().unwrap().details.users.len(), 2);
        assert_eq!(e.public_key().unwrap().public_subkeys.len(), 1);
        for u in &e.public_key().unwrap().details.users {
            assert_eq!(u.signatures.len(), 1);
        }
        // A different key is never merged in.
        let before = e.info(NOW);
        e.merge(one(fixture!("rsa-pub.asc"), None));
        assert_eq!(e.info(NOW), before);
        e.set_trusted(false);
        assert!(!e.trusted());
    }

    #[test]
    fn gnupg_stubs_keep_the_subkeys() {
        let e = cached("stub");
        assert!(e.has_secret());
        let sk = e.secret_key().unwrap();
        assert!(is_stub(sk.primary_key.secret_params()));
        assert!(!sk.secret_subkeys[0].key.secret_params().is_encrypted());
        // Merging the full secret key replaces the stub.
        let mut e2 = e.clone();
        e2.merge(cached("rsa"));
        let sk2 = e2.secret_key().unwrap();
        assert!(!sk2.primary_key.secret_params().is_encrypted());
        // A stub-only export still needs the passphrase for its subkeys.
        let err = parse_pgp(fixture!("rsa-sec-subkeys-only.asc"), None, false)
            .err()
            .unwrap();
        assert_eq!(err.code(), ErrorCode::BadPassphrase);
    }
}
