//! RSA and P-256 through the provider: on the platform's crypto where it has the operation
//! (signatures checked against the public key before use), else in wasm on `crypto::rsa_exp`
//! and the `rsa` crate.

use super::{platform, DigestAlg};
use crate::secret::SecretBytes;

/// `c^d mod n` as k octets on the platform, where it has a raw RSA private operation
/// (node:crypto); `None` elsewhere and for any refusal (e.g. `c >= n`), and the caller then
/// computes it in wasm. Any input size: one RSA operation always costs more than the call.
pub(crate) fn rsa_raw_private(key: &rsa::RsaPrivateKey, c: &[u8]) -> Option<SecretBytes> {
    use rsa::traits::PublicKeyParts;
    platform(usize::MAX)?
        .rsa_raw_private(key, c)
        .filter(|em| em.len() == key.size())
}

/// RSAES-OAEP decryption on the platform where it has it (node:crypto, WebCrypto): `None` when
/// it does not, and the caller decrypts in wasm; otherwise the platform's answer, final.
#[cfg(feature = "smime")]
pub(crate) async fn rsa_oaep_decrypt(
    key: &rsa::RsaPrivateKey,
    hash: DigestAlg,
    c: &[u8],
) -> Option<Option<SecretBytes>> {
    platform(usize::MAX)?.rsa_oaep_decrypt(key, hash, c).await
}

/// The `rsa` crate's RSASSA-PKCS1-v1_5 scheme (the DigestInfo prefix) for `alg`; `None` for
/// SHA-1 and SHA-224, which mailseal does not sign with.
pub(crate) fn pkcs1v15_scheme(alg: DigestAlg) -> Option<rsa::Pkcs1v15Sign> {
    match alg {
        DigestAlg::Sha256 => Some(rsa::Pkcs1v15Sign::new::<sha2::Sha256>()),
        DigestAlg::Sha384 => Some(rsa::Pkcs1v15Sign::new::<sha2::Sha384>()),
        DigestAlg::Sha512 => Some(rsa::Pkcs1v15Sign::new::<sha2::Sha512>()),
        DigestAlg::Sha1 | DigestAlg::Sha224 => None,
    }
}

/// An RSASSA-PKCS1-v1_5 signature with `alg` over `message` (whose digest is `digest`): on the
/// platform where it signs (node:crypto over the digest, WebCrypto over the message), checked
/// against the public key before it is used (a fault or a wrong key gives no signature out),
/// else in wasm. `None` only if the key cannot sign.
pub(crate) async fn rsa_sign(
    key: &rsa::RsaPrivateKey,
    alg: DigestAlg,
    message: &[u8],
    digest: &[u8],
    rng: &mut dyn crate::rng::Rng,
) -> Option<Vec<u8>> {
    if let Some(sig) = rsa_sign_on_platform(key, alg, message, digest).await {
        return Some(sig);
    }
    let mut rng = rng;
    key.sign_with_rng(&mut rng, pkcs1v15_scheme(alg)?, digest)
        .ok()
}

/// An ECDSA P-256 signature with SHA-256 over `message`, DER-encoded with a low S: on the
/// platform where it signs (node:crypto, WebCrypto), else `None` and the caller signs in wasm.
/// Not checked after signing as RSA signatures are: an ECDSA signature has no CRT halves whose
/// fault would reveal the key, and OpenSSL and BoringSSL do not check theirs either.
///
/// `public_point` is the key's public point (SEC1) from its certificate, which the key was
/// matched against on import: the PKCS#8 form the platform imports then needs no scalar
/// multiplication in wasm (on a new Worker isolate's first message, ~5 ms of it).
#[cfg(feature = "smime")]
pub(crate) async fn ecdsa_p256_sign_on_platform(
    key: &p256::SecretKey,
    public_point: &[u8],
    message: &[u8],
) -> Option<Vec<u8>> {
    let pkcs8 = || p256_pkcs8(key, public_point);
    let raw = platform(usize::MAX)?
        .ecdsa_p256_sign(key, &pkcs8, message)
        .await?;
    let sig = p256::ecdsa::Signature::from_der(&raw)
        .or_else(|_| p256::ecdsa::Signature::from_slice(&raw))
        .ok()?;
    let sig = sig.normalize_s().unwrap_or(sig);
    Some(sig.to_der().as_bytes().to_vec())
}

/// A P-256 private key as PKCS#8 (RFC 5208, RFC 5915) with `public_point` as its public key,
/// as `p256`'s own `to_pkcs8_der` writes it but without deriving the point from the scalar.
#[cfg(feature = "smime")]
pub(crate) fn p256_pkcs8(key: &p256::SecretKey, public_point: &[u8]) -> Option<SecretBytes> {
    use der::Encode;
    let scalar = zeroize::Zeroizing::new(key.to_bytes());
    let ec = sec1::EcPrivateKey {
        private_key: scalar.as_slice(),
        parameters: None,
        public_key: Some(public_point),
    };
    let ec_der = zeroize::Zeroizing::new(ec.to_der().ok()?);
    let curve = const_oid::db::rfc5912::SECP_256_R_1;
    let info = pkcs8::PrivateKeyInfo {
        algorithm: spki::AlgorithmIdentifierRef {
            oid: const_oid::db::rfc5912::ID_EC_PUBLIC_KEY,
            parameters: Some((&curve).into()),
        },
        private_key: ec_der.as_slice(),
        public_key: None,
    };
    Some(SecretBytes::new(info.to_der().ok()?))
}

/// Ephemeral-static ECDH on P-256 to `recipient` (SEC1) on the platform where it has it
/// (node:crypto, WebCrypto): the ephemeral point and the shared secret, or `None` and the
/// caller does it in wasm. The point must be on the curve and the secret 32 octets.
#[cfg(feature = "smime")]
pub(crate) async fn ecdh_p256_ephemeral_on_platform(
    recipient: &[u8],
) -> Option<(Vec<u8>, SecretBytes)> {
    let (point, z) = platform(usize::MAX)?.ecdh_p256_ephemeral(recipient).await?;
    (p256::PublicKey::from_sec1_bytes(&point).is_ok() && z.len() == 32).then_some((point, z))
}

/// Whether the platform signs with RSA keys ([`rsa_sign_on_platform`]).
#[cfg(feature = "openpgp")]
pub(crate) fn platform_signs_rsa() -> bool {
    platform(usize::MAX).is_some_and(|p| p.signs_rsa())
}

/// [`rsa_sign`] on the platform only: `None` where it does not sign, or gave a signature that
/// does not verify, and the caller signs in wasm then.
pub(crate) async fn rsa_sign_on_platform(
    key: &rsa::RsaPrivateKey,
    alg: DigestAlg,
    message: &[u8],
    digest: &[u8],
) -> Option<Vec<u8>> {
    if let Some(sig) = rsa_sign_digest_on_platform(key, alg, digest) {
        return Some(sig);
    }
    let scheme = pkcs1v15_scheme(alg)?;
    let p = platform(usize::MAX)?;
    let signature = p.rsa_sign_message(key, alg, message).await?;
    let public = key.to_public_key();
    let holds = p
        .rsa_verify_message(&public, alg, message, &signature)
        .await
        == Some(true)
        || public.verify(scheme, digest, &signature).is_ok();
    holds.then_some(signature)
}

/// The synchronous part of [`rsa_sign_on_platform`]: a signature over `digest` where the
/// platform signs digests (node:crypto), checked against the public key; else `None`.
pub(crate) fn rsa_sign_digest_on_platform(
    key: &rsa::RsaPrivateKey,
    alg: DigestAlg,
    digest: &[u8],
) -> Option<Vec<u8>> {
    let scheme = pkcs1v15_scheme(alg)?;
    if scheme.hash_len != Some(digest.len()) {
        return None;
    }
    let mut digest_info = scheme.prefix.to_vec();
    digest_info.extend_from_slice(digest);
    let signature = platform(usize::MAX)?.rsa_pkcs1v15_sign_digest_info(key, &digest_info)?;
    let public = key.to_public_key();
    let holds = rsa_signature_confirmed(&public, &scheme, digest, &signature)
        || public.verify(scheme, digest, &signature).is_ok();
    holds.then_some(signature)
}

/// [`rsa_encrypt`] on the platform only: `None` where it has no RSA.
pub(crate) fn rsa_encrypt_on_platform(
    key: &rsa::RsaPublicKey,
    oaep_sha256: bool,
    msg: &[u8],
) -> Option<Vec<u8>> {
    use rsa::traits::PublicKeyParts;
    platform(usize::MAX)?
        .rsa_public_encrypt(key, oaep_sha256, msg)
        .filter(|c| c.len() == key.size())
}

/// RSA encryption to a public key (RSAES-PKCS1-v1_5, or RSAES-OAEP with SHA-256 when
/// `oaep_sha256`): on the platform where it has it (node:crypto both, WebCrypto OAEP: one
/// RSA-3072 public operation is ~3 ms in the `rsa` crate and a fraction of that natively),
/// else PKCS#1 v1.5 on `crypto::rsa_exp` and OAEP in the `rsa` crate. `None` if the message does not fit the key.
pub(crate) async fn rsa_encrypt(
    key: &rsa::RsaPublicKey,
    oaep_sha256: bool,
    msg: &[u8],
    rng: &mut dyn crate::rng::Rng,
) -> Option<Vec<u8>> {
    if let Some(c) = rsa_encrypt_on_platform(key, oaep_sha256, msg) {
        return Some(c);
    }
    #[cfg(feature = "smime")]
    if oaep_sha256 {
        if let Some(p) = platform(usize::MAX) {
            let c = p.rsa_oaep_sha256_encrypt(key, msg).await;
            if let Some(c) = c.filter(|c| c.len() == rsa::traits::PublicKeyParts::size(key)) {
                return Some(c);
            }
        }
    }
    let mut rng = rng;
    if oaep_sha256 {
        return key
            .encrypt(&mut rng, rsa::Oaep::new::<sha2::Sha256>(), msg)
            .ok();
    }
    rsa_pkcs1v15_encrypt(key, msg, &mut rng)
        .or_else(|| key.encrypt(&mut rng, rsa::Pkcs1v15Encrypt, msg).ok())
}

/// RSAES-PKCS1-v1_5 encryption (RFC 8017 §7.2.1) with the exponentiation on
/// `crypto::rsa_exp`: EM = 0x00 ‖ 0x02 ‖ PS ‖ 0x00 ‖ M, PS at least 8 random non-zero octets.
/// `None` if `msg` is too long or the key is a size `rsa_exp` does not take.
pub(crate) fn rsa_pkcs1v15_encrypt(
    key: &rsa::RsaPublicKey,
    msg: &[u8],
    rng: &mut dyn rand::RngCore,
) -> Option<Vec<u8>> {
    use rsa::traits::PublicKeyParts;
    let k = key.size();
    let ps_len = k.checked_sub(msg.len() + 3).filter(|&l| l >= 8)?;
    let mut em = SecretBytes::new(vec![0u8; k]);
    em[1] = 2;
    // One call for the whole padding string, then fresh octets for its zeros (each call to the
    // platform's RNG crosses into JavaScript).
    let ps = &mut em[2..2 + ps_len];
    rng.fill_bytes(ps);
    let mut spare = SecretBytes::new(vec![0u8; 64]);
    let mut next = spare.len();
    for b in ps.iter_mut() {
        while *b == 0 {
            if next == spare.len() {
                rng.fill_bytes(&mut spare);
                next = 0;
            }
            *b = spare[next];
            next += 1;
        }
    }
    em[3 + ps_len..].copy_from_slice(msg);
    crate::crypto::rsa_exp::public(key, &em)
}

/// Whether `signature` is, for sure, a valid RSASSA-PKCS1-v1_5 signature over `digest` (hashed
/// with `scheme`'s algorithm): confirmed by the platform's RSA (node:crypto) or by
/// `crypto::rsa_exp` (the encoded message rebuilt and compared whole, RFC 8017 §8.2.2).
/// `false` means only "not confirmed": the caller then verifies with the `rsa` crate, which
/// decides. A verdict never rests on a fast path alone: it can only make a valid signature
/// faster to accept. The signature must be exactly as long as the modulus, as the `rsa` crate
/// requires.
pub(crate) fn rsa_signature_confirmed(
    key: &rsa::RsaPublicKey,
    scheme: &rsa::Pkcs1v15Sign,
    digest: &[u8],
    signature: &[u8],
) -> bool {
    use rsa::traits::PublicKeyParts;
    let k = key.size();
    if signature.len() != k || scheme.hash_len != Some(digest.len()) {
        return false;
    }
    if let Some(info) = platform(usize::MAX).and_then(|p| p.rsa_public_recover(key, signature)) {
        return info.len() == scheme.prefix.len() + digest.len()
            && info.starts_with(&scheme.prefix)
            && info.ends_with(digest);
    }
    let t_len = scheme.prefix.len() + digest.len();
    let Some(ps_len) = k.checked_sub(t_len + 3).filter(|&l| l >= 8) else {
        return false;
    };
    let mut expected = vec![0u8, 1];
    expected.resize(2 + ps_len, 0xff);
    expected.push(0);
    expected.extend_from_slice(&scheme.prefix);
    expected.extend_from_slice(digest);
    crate::crypto::rsa_exp::public(key, signature).is_some_and(|em| em == expected)
}

/// Whether the platform confirms that `signature` is a valid RSASSA-PKCS1-v1_5 signature with
/// `alg` over `message` (WebCrypto verifies messages). `false` means only "not confirmed", as
/// for [`rsa_signature_confirmed`].
#[cfg(feature = "openpgp")]
pub(crate) async fn rsa_message_signature_confirmed(
    key: &rsa::RsaPublicKey,
    alg: DigestAlg,
    message: &[u8],
    signature: &[u8],
) -> bool {
    use rsa::traits::PublicKeyParts;
    if signature.len() != key.size() {
        return false;
    }
    match platform(usize::MAX) {
        Some(p) => p.rsa_verify_message(key, alg, message, signature).await == Some(true),
        None => false,
    }
}

#[cfg(all(test, feature = "smime"))]
mod tests {
    use super::*;
    use crate::crypto::provider::rust_digest;

    fn rsa_key() -> rsa::RsaPrivateKey {
        use pkcs8::DecodePrivateKey;
        rsa::RsaPrivateKey::from_pkcs8_pem(include_str!("../../../tests/data/smime/alice.key"))
            .unwrap()
    }

    /// The PKCS#8 made from a certificate's point is the one `p256` makes by deriving the point,
    /// octet for octet (dave.key: openssl's P-256 key).
    #[cfg(feature = "smime")]
    #[test]
    fn p256_pkcs8_from_the_certificate_point_is_p256s_own() {
        use p256::elliptic_curve::sec1::ToEncodedPoint;
        use pkcs8::{DecodePrivateKey, EncodePrivateKey};
        let key =
            p256::SecretKey::from_pkcs8_pem(include_str!("../../../tests/data/smime/dave.key"))
                .unwrap();
        let point = key.public_key().to_encoded_point(false);
        let ours = p256_pkcs8(&key, point.as_bytes()).unwrap();
        assert_eq!(ours.as_slice(), key.to_pkcs8_der().unwrap().as_bytes());
        let back = p256::SecretKey::from_pkcs8_der(ours.as_slice()).unwrap();
        assert_eq!(back.to_bytes(), key.to_bytes());
    }

    /// The wasm fast paths of the public operation against the `rsa` crate: a signature it
    /// made is confirmed, one over another digest or with another scheme is not; an encryption
    /// decrypts with the `rsa` crate.
    #[test]
    fn rsa_public_fast_paths_agree_with_the_rsa_crate() {
        use rand::SeedableRng;
        let key = rsa_key();
        let public = key.to_public_key();
        let digest = rust_digest(DigestAlg::Sha256, b"signed");
        let scheme = pkcs1v15_scheme(DigestAlg::Sha256).unwrap();
        let sig = key.sign(scheme.clone(), &digest).unwrap();
        assert!(rsa_signature_confirmed(&public, &scheme, &digest, &sig));
        let other = rust_digest(DigestAlg::Sha256, b"signeD");
        assert!(!rsa_signature_confirmed(&public, &scheme, &other, &sig));
        let sha512 = rust_digest(DigestAlg::Sha512, b"signed");
        let scheme512 = pkcs1v15_scheme(DigestAlg::Sha512).unwrap();
        assert!(!rsa_signature_confirmed(&public, &scheme512, &sha512, &sig));
        let mut flipped = sig.clone();
        flipped[10] ^= 1;
        assert!(!rsa_signature_confirmed(
            &public, &scheme, &digest, &flipped
        ));

        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let c = rsa_pkcs1v15_encrypt(&public, b"session key", &mut rng).unwrap();
        let again = rsa_pkcs1v15_encrypt(&public, b"session key", &mut rng).unwrap();
        assert_ne!(c, again, "random padding");
        for c in [c, again] {
            assert_eq!(
                key.decrypt(rsa::Pkcs1v15Encrypt, &c).unwrap(),
                b"session key"
            );
        }
        assert!(rsa_pkcs1v15_encrypt(&public, &[1u8; 246], &mut rng).is_none());
    }
}
