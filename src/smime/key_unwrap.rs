//! The content key of an envelope from one recipient entry and a private key (RFC 5652 §6.2):
//! RSA key transport (PKCS#1 v1.5 through `rsa_kt`, RSA-OAEP), and ECDH key agreement with the
//! X9.63 KDF and AES or 3DES key wrap (RFC 5753 §3.1, RFC 3217).

use cms::enveloped_data::{KeyTransRecipientInfo, OriginatorIdentifierOrKey};
use const_oid::db::rfc5912;
use der::{Decode, Encode};
use spki::AlgorithmIdentifierOwned;

use super::algorithms::{self as algs, Hash, Kari, Rek};
use super::ecdh_kdf::{derive_kek, derive_kek_for};
use super::rsa_kt;
use crate::keys::smime::SmimeSecret;
use crate::secret::SecretBytes;

/// One way to the content key: a recipient entry and a keyring key for it.
#[derive(Clone, Copy)]
pub(super) enum Wrapped<'a> {
    Ktri(&'a KeyTransRecipientInfo),
    Kari(&'a Kari, &'a Rek),
}

pub(super) async fn unwrap_key(
    w: Wrapped<'_>,
    secret: &SmimeSecret,
    key_len: usize,
) -> Option<SecretBytes> {
    match (w, secret) {
        (Wrapped::Ktri(k), SmimeSecret::Rsa(rsa)) => unwrap_ktri(k, rsa, key_len).await,
        (Wrapped::Kari(k, rek), SmimeSecret::P256(sk)) => {
            let point = originator_point(k)?;
            let pk = p256::PublicKey::from_sec1_bytes(point).ok()?;
            let shared = p256::ecdh::diffie_hellman(sk.to_nonzero_scalar(), pk.as_affine());
            unwrap_kari(k, rek, shared.raw_secret_bytes().as_slice(), key_len)
        }
        (Wrapped::Kari(k, rek), SmimeSecret::P384(sk)) => {
            let point = originator_point(k)?;
            let pk = p384::PublicKey::from_sec1_bytes(point).ok()?;
            let shared = p384::ecdh::diffie_hellman(sk.to_nonzero_scalar(), pk.as_affine());
            unwrap_kari(k, rek, shared.raw_secret_bytes().as_slice(), key_len)
        }
        (Wrapped::Kari(k, rek), SmimeSecret::P521(sk)) => {
            let point = originator_point(k)?;
            let pk = p521::PublicKey::from_sec1_bytes(point).ok()?;
            let shared = p521::ecdh::diffie_hellman(sk.to_nonzero_scalar(), pk.as_affine());
            unwrap_kari(k, rek, shared.raw_secret_bytes().as_slice(), key_len)
        }
        _ => None,
    }
}

async fn unwrap_ktri(
    k: &KeyTransRecipientInfo,
    rsa: &rsa::RsaPrivateKey,
    key_len: usize,
) -> Option<SecretBytes> {
    let wrapped = k.enc_key.as_bytes();
    let oid = k.key_enc_alg.oid;
    if oid == rfc5912::RSA_ENCRYPTION {
        Some(rsa_kt::unwrap_pkcs1v15(rsa, wrapped, key_len))
    } else if oid == rfc5912::ID_RSAES_OAEP {
        let (hash, mgf) = oaep_hashes(&k.key_enc_alg)?;
        let cek = rsa_kt::unwrap_oaep(rsa, wrapped, hash, mgf).await?;
        (cek.len() == key_len).then_some(cek)
    } else {
        None
    }
}

/// RSAES-OAEP-params (RFC 8017 A.2.1): hash and MGF1 hash, SHA-1 by default; no label.
fn oaep_hashes(alg: &AlgorithmIdentifierOwned) -> Option<(Hash, Hash)> {
    let Some(params) = &alg.parameters else {
        return Some((Hash::Sha1, Hash::Sha1));
    };
    let der = params.to_der().ok()?;
    let p = pkcs1::RsaOaepParams::from_der(&der).ok()?;
    if p.p_source.parameters.is_some_and(|l| {
        l.decode_as::<der::asn1::OctetStringRef<'_>>()
            .map(|o| !o.as_bytes().is_empty())
            .unwrap_or(true)
    }) {
        return None;
    }
    let hash = Hash::from_oid(&p.hash.oid)?;
    if p.mask_gen.oid != rfc5912::ID_MGF_1 {
        return None;
    }
    let mgf = Hash::from_oid(&p.mask_gen.parameters?.oid)?;
    if hash == Hash::Md5 || mgf == Hash::Md5 {
        return None;
    }
    Some((hash, mgf))
}

fn originator_point(k: &Kari) -> Option<&[u8]> {
    match &k.originator {
        OriginatorIdentifierOrKey::OriginatorKey(key) => key.public_key.as_bytes(),
        _ => None,
    }
}

/// RFC 5753 §3.1.2: KEK = X9.63-KDF(Z, ECC-CMS-SharedInfo), then AES key unwrap.
fn unwrap_kari(k: &Kari, rek: &Rek, z: &[u8], key_len: usize) -> Option<SecretBytes> {
    let kdf_hash = match k.key_enc_alg.oid {
        o if o == algs::ECDH_STD_SHA1KDF || o == algs::ECDH_COFACTOR_SHA1KDF => Hash::Sha1,
        o if o == algs::ECDH_STD_SHA224KDF => Hash::Sha224,
        o if o == algs::ECDH_STD_SHA256KDF || o == algs::ECDH_COFACTOR_SHA256KDF => Hash::Sha256,
        o if o == algs::ECDH_STD_SHA384KDF || o == algs::ECDH_COFACTOR_SHA384KDF => Hash::Sha384,
        o if o == algs::ECDH_STD_SHA512KDF || o == algs::ECDH_COFACTOR_SHA512KDF => Hash::Sha512,
        _ => return None,
    };
    let wrap: AlgorithmIdentifierOwned = k.key_enc_alg.parameters.as_ref()?.decode_as().ok()?;
    let wrapped = rek.enc_key.as_bytes();
    if wrap.oid == algs::ID_ALG_CMS_3DES_WRAP {
        // The KDF's keyInfo is the wrap algorithm as the sender wrote it (with its NULL).
        let kek = derive_kek_for(kdf_hash, z, wrap, k.ukm.as_ref(), 24)?;
        let cek = unwrap_3des(&kek, wrapped)?;
        return (cek.len() == key_len).then_some(cek);
    }
    let kek_len = match wrap.oid {
        o if o == algs::ID_AES_128_WRAP => 16,
        o if o == algs::ID_AES_192_WRAP => 24,
        o if o == algs::ID_AES_256_WRAP => 32,
        _ => return None,
    };
    let kek = derive_kek(kdf_hash, z, wrap.oid, k.ukm.as_ref(), kek_len)?;
    let cek = match kek_len {
        16 => aes_kw::KekAes128::try_from(&kek[..])
            .ok()?
            .unwrap_vec(wrapped),
        24 => aes_kw::KekAes192::try_from(&kek[..])
            .ok()?
            .unwrap_vec(wrapped),
        _ => aes_kw::KekAes256::try_from(&kek[..])
            .ok()?
            .unwrap_vec(wrapped),
    }
    .ok()?;
    let cek = SecretBytes::new(cek);
    (cek.len() == key_len).then_some(cek)
}

/// Triple-DES key unwrap (RFC 3217 §3.2): 3DES-CBC under the fixed IV, reversed, 3DES-CBC
/// again under the IV it carries, then the CMS key checksum (the first 8 bytes of SHA-1 of the
/// key). No crate implements it; it is the `des` and `cbc` crates' CBC, composed as the RFC
/// says. The RFC wraps a 3DES key; OpenSSL wraps an AES content key the same way (the key, its
/// checksum and the IV in whole blocks), so any key of 16 to 32 bytes is read.
fn unwrap_3des(kek: &[u8], wrapped: &[u8]) -> Option<SecretBytes> {
    use cbc::cipher::block_padding::NoPadding;
    use cbc::cipher::{BlockDecryptMut, KeyIvInit};
    const IV: [u8; 8] = [0x4a, 0xdd, 0xa2, 0x2c, 0x79, 0xe8, 0x21, 0x05];
    // IV (8) + key (16..=32) + checksum (8), in 8-byte blocks.
    if !(32..=48).contains(&wrapped.len()) || !wrapped.len().is_multiple_of(8) {
        return None;
    }
    let mut temp3 = SecretBytes::new(
        cbc::Decryptor::<des::TdesEde3>::new_from_slices(kek, &IV)
            .ok()?
            .decrypt_padded_vec_mut::<NoPadding>(wrapped)
            .ok()?,
    );
    temp3.reverse();
    let (iv, temp1) = temp3.split_at(8);
    let cek_icv = SecretBytes::new(
        cbc::Decryptor::<des::TdesEde3>::new_from_slices(kek, iv)
            .ok()?
            .decrypt_padded_vec_mut::<NoPadding>(temp1)
            .ok()?,
    );
    let (cek, icv) = cek_icv.split_at(cek_icv.len().checked_sub(8)?);
    let check = Hash::Sha1.digest(cek)?;
    bool::from(subtle::ConstantTimeEq::ct_eq(&check[..8], icv))
        .then(|| SecretBytes::new(cek.to_vec()))
}
