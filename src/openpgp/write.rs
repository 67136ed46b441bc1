//! Writing PGP/MIME (RFC 3156) with the `pgp` crate's message builder (RFC 9580).
//!
//! - Signed: `multipart/signed; protocol="application/pgp-signature"; micalg=pgp-<hash>`
//!   (RFC 3156 §5): a binary data signature (type 0x00, RFC 9580 §5.2.1.1) over the exact
//!   CRLF-canonical bytes of the first part, armored in `signature.asc`.
//! - Encrypted: `multipart/encrypted; protocol="application/pgp-encrypted"` (RFC 3156 §4):
//!   the "Version: 1" control part and `encrypted.asc`. SEIPD v1 with MDC and AES-256 for v4
//!   keys (RFC 9580 §5.13.1); SEIPD v2 with AES-256-OCB only when every recipient key is v6
//!   (§5.13.2). Signed and encrypted: one-pass signature inside (RFC 3156 §6.2). No
//!   compression.
//! - Signature subpackets are explicit (issuer fingerprint, creation time = the caller's
//!   clock, issuer key id for v4): no hidden clock.

use pgp::composed::{
    ArmorOptions, DetachedSignature, MessageBuilder, RawSessionKey, SubpacketConfig,
};
use pgp::crypto::aead::{AeadAlgorithm, ChunkSize};
use pgp::crypto::hash::HashAlgorithm;
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::packet::{
    DataMode, LiteralDataHeader, OnePassSignature, Packet, PacketHeader,
    PublicKeyEncryptedSessionKey, SignatureType, Subpacket, SubpacketData,
};
use pgp::ser::Serialize;
use pgp::types::{
    EcdsaPublicParams, KeyDetails, KeyVersion, Password, PublicParams, SigningKey, Tag, Timestamp,
};
use zeroize::Zeroizing;

use super::data_signature;
use super::hashes::hash_name;
use super::keys::{chosen_by, PublicPart, SecretPart};
use super::seipd;
use super::signer::Signer;
use crate::engine::WriteContext;
use crate::engine::{Encryption, RecipientHandle, SignerHandle};
use crate::error::{Error, ErrorCode, Result};
use crate::keys::Keyring;
use crate::mime::{into_crlf, new_boundary, to_crlf, Entity};
use crate::secret::SecretBytes;

/// Armor with the CRC24 line. RFC 9580 §6.1 advises against emitting it "unless
/// interoperability ... is a concern", and it is: GnuPG 2.2 reads the END line of rPGP's armor
/// as base64 when the CRC line is missing, and fails (tests/interop_openpgp.rs).
const ARMOR: ArmorOptions<'static> = ArmorOptions {
    headers: None,
    include_checksum: true,
};

fn failed() -> Error {
    Error::internal("The PGP message could not be written.")
}

/// The hash for a signing key: SHA-256, or the curve's own size for ECDSA P-384/P-521 and
/// Ed448 (RFC 9580 §5.2.3 / §9.2).
fn hash_for(params: &PublicParams) -> HashAlgorithm {
    match params {
        PublicParams::ECDSA(EcdsaPublicParams::P384 { .. }) => HashAlgorithm::Sha384,
        PublicParams::ECDSA(EcdsaPublicParams::P521 { .. }) | PublicParams::Ed448(_) => {
            HashAlgorithm::Sha512
        }
        _ => HashAlgorithm::Sha256,
    }
}

/// The signing key `signer` names, with its hash. A key under the policy's minimum size does
/// not sign: its signature would read `invalid` under the same policy (the protect sweep).
fn signing<'a>(
    ring: &'a Keyring,
    signer: &SignerHandle,
    ctx: &WriteContext<'_>,
) -> Result<(SecretPart<'a>, HashAlgorithm)> {
    let chosen = chosen_by(ring, signer)?;
    let (Some(secret), Some(public)) = (chosen.secret(), chosen.public()) else {
        return Err(Error::new(
            ErrorCode::SenderKeyMissing,
            format!("The PGP key for {} cannot sign.", signer.address()),
        ));
    };
    if let Some(bits) = super::keys::too_small(public.public_params(), &ctx.algorithms.signatures) {
        return Err(Error::new(
            ErrorCode::SenderKeyMissing,
            format!(
                "The PGP key for {} ({bits} bits) is smaller than the policy allows for \
                 signing.",
                signer.address()
            ),
        ));
    }
    Ok((secret, hash_for(public.public_params())))
}

/// Explicit subpackets: issuer fingerprint and creation time hashed, issuer key id (v4).
/// The hashed and unhashed subpackets of a signature.
#[derive(Clone)]
struct Subpackets {
    hashed: Vec<Subpacket>,
    unhashed: Vec<Subpacket>,
}

impl Subpackets {
    /// As rPGP's builders take them.
    fn config(self) -> SubpacketConfig {
        SubpacketConfig::UserDefined {
            hashed: self.hashed,
            unhashed: self.unhashed,
        }
    }
}

fn subpackets(key: &dyn SigningKey, ctx: &WriteContext<'_>) -> Result<Subpackets> {
    let created = u32::try_from(ctx.now.unix())
        .map_err(|_| Error::bad_input("The signing time cannot be written in OpenPGP."))?;
    let hashed = vec![
        Subpacket::regular(SubpacketData::IssuerFingerprint(key.fingerprint()))
            .map_err(|_| failed())?,
        Subpacket::regular(SubpacketData::SignatureCreationTime(Timestamp::from_secs(
            created,
        )))
        .map_err(|_| failed())?,
    ];
    let mut unhashed = Vec::new();
    if key.version() == KeyVersion::V4 {
        unhashed.push(
            Subpacket::regular(SubpacketData::IssuerKeyId(key.legacy_key_id()))
                .map_err(|_| failed())?,
        );
    }
    Ok(Subpackets { hashed, unhashed })
}

/// Header value with folds (RFC 5322 §2.2.3) so lines stay short.
fn folded(parts: &[&str]) -> String {
    parts.join(";\r\n\t")
}

/// RFC 3156 §5: `multipart/signed` around the canonical entity.
pub(crate) async fn sign(
    ring: &Keyring,
    signer: &SignerHandle,
    entity: Vec<u8>,
    ctx: &mut WriteContext<'_>,
) -> Result<Vec<u8>> {
    let (secret, hash) = signing(ring, signer, ctx)?;
    let mut canonical = into_crlf(entity);
    let signer = Signer::new(secret);
    let key: &dyn SigningKey = &signer;
    let sub = subpackets(key, ctx)?;
    let signature = match binary_signature(&signer, hash, sub.clone(), &mut canonical).await {
        Some(signature) => DetachedSignature::new(signature.ok_or_else(failed)?),
        None => DetachedSignature::sign_binary_data_with_subpackets(
            &mut *ctx.rng,
            &Box::new(key),
            &Password::empty(),
            hash,
            &canonical[..],
            sub.config(),
        )
        .map_err(|_| failed())?,
    };
    let armored = signature.to_armored_string(ARMOR).map_err(|_| failed())?;
    let boundary = new_boundary(ctx.rng);
    let signature_part = Entity::new("application/pgp-signature; name=\"signature.asc\"")
        .header("Content-Description", "OpenPGP digital signature")
        .header(
            "Content-Disposition",
            "attachment; filename=\"signature.asc\"",
        )
        .text_7bit(armored.as_bytes())
        .into_bytes();
    let micalg = format!("micalg=pgp-{}", hash_name(hash));
    let content_type = folded(&[
        "multipart/signed",
        &micalg,
        "protocol=\"application/pgp-signature\"",
        &format!("boundary=\"{boundary}\""),
    ]);
    Ok(Entity::new(content_type)
        .multipart(&boundary, vec![canonical, signature_part])
        .into_bytes())
}

/// The public packets the recipients' handles name.
fn recipients_keys<'a>(
    ring: &'a Keyring,
    recipients: &[RecipientHandle],
) -> Result<Vec<PublicPart<'a>>> {
    if recipients.is_empty() {
        return Err(Error::bad_input("There are no recipients to encrypt to."));
    }
    recipients
        .iter()
        .map(|r| chosen_by(ring, r)?.public().ok_or_else(failed))
        .collect()
}

/// A signing key with its hash and subpackets, for the one-pass signature inside encryption.
type SignConfig<'a> = (&'a Signer<'a>, HashAlgorithm, Subpackets);

/// SEIPD v2 with AES-256-OCB (every recipient key is v6), all in rPGP.
fn seipd_v2_armored(
    keys: &[PublicPart<'_>],
    sign: Option<SignConfig<'_>>,
    canonical: Vec<u8>,
    ctx: &mut WriteContext<'_>,
) -> Result<Vec<u8>> {
    let mut builder = MessageBuilder::from_bytes("", canonical).seipd_v2(
        &mut *ctx.rng,
        SymmetricKeyAlgorithm::AES256,
        AeadAlgorithm::Ocb,
        ChunkSize::default(),
    );
    for key in keys {
        match key {
            PublicPart::Primary(k) => builder.encrypt_to_key(&mut *ctx.rng, *k),
            PublicPart::Sub(k) => builder.encrypt_to_key(&mut *ctx.rng, *k),
        }
        .map_err(|_| failed())?;
    }
    if let Some((key, hash, sub)) = sign {
        builder.sign_with_subpackets(key, Password::empty(), hash, sub.config());
    }
    let armored = builder
        .to_armored_string(&mut *ctx.rng, ARMOR)
        .map_err(|_| failed())?;
    Ok(to_crlf(armored.as_bytes()))
}

/// The packets inside the encryption: literal data, one-pass signed when `sign` is given
/// (RFC 9580 §10.3: OPS, literal, signature), as the headers that go in front of the content
/// and the content's buffer with whatever follows it. rPGP makes every packet; for a v4 signer
/// the signature's hash runs on the crypto provider ([`binary_signature`]). The content is
/// hashed in place and the headers are put in front of it by [`seipd::seal`], with the rest:
/// a copy of a large message into the literal packet was a third of protect's peak memory
/// (issue 12), and each header put in front on its own moved the whole message again.
async fn inner_packets(
    mut canonical: Vec<u8>,
    sign: Option<SignConfig<'_>>,
    ctx: &mut WriteContext<'_>,
) -> Result<(Vec<u8>, SecretBytes)> {
    let Some((key, hash, sub)) = sign else {
        return Ok((literal_head(canonical.len())?, SecretBytes::new(canonical)));
    };
    let Some(signature) = binary_signature(key, hash, sub.clone(), &mut canonical).await else {
        let mut builder = MessageBuilder::from_bytes("", canonical);
        builder.sign_with_subpackets(key, Password::empty(), hash, sub.config());
        let packets = builder.to_vec(&mut *ctx.rng).map_err(|_| failed())?;
        return Ok((Vec::new(), SecretBytes::new(packets)));
    };
    let signature = signature.ok_or_else(failed)?;
    let ops = OnePassSignature::v3(
        SignatureType::Binary,
        hash,
        key.algorithm(),
        key.legacy_key_id(),
    );
    let mut head = [Packet::from(ops)]
        .as_slice()
        .to_bytes()
        .map_err(|_| failed())?;
    head.extend_from_slice(&literal_head(canonical.len())?);
    let mut inner = SecretBytes::new(canonical);
    let signature = [Packet::from(signature)];
    inner.extend_from_slice(&signature.as_slice().to_bytes().map_err(|_| failed())?);
    Ok((head, inner))
}

/// The headers of one literal data packet of fixed length holding `len` bytes (RFC 9580 §5.9:
/// binary, no file name, no date, as rPGP's builder writes it, but without partial body
/// chunks): the packet header and the literal header, made by rPGP.
fn literal_head(len: usize) -> Result<Vec<u8>> {
    let literal = LiteralDataHeader::new(DataMode::Binary);
    let len = u32::try_from(literal.write_len() + len).map_err(|_| failed())?;
    let mut head = Vec::with_capacity(16);
    PacketHeader::new_fixed(Tag::LiteralData, len)
        .to_writer(&mut head)
        .map_err(|_| failed())?;
    literal.to_writer(&mut head).map_err(|_| failed())?;
    Ok(head)
}

/// A v4 binary signature hashed on the provider ([`data_signature`]), `None` where rPGP signs.
async fn binary_signature(
    key: &Signer<'_>,
    hash: HashAlgorithm,
    sub: Subpackets,
    data: &mut Vec<u8>,
) -> Option<Option<pgp::packet::Signature>> {
    data_signature::binary_signature(key, hash, sub.hashed, sub.unhashed, data).await
}

/// The AES of a SEIPD v1 packet that every recipient accepts: a sender must not use a cipher
/// outside a recipient's preferences (RFC 9580 §5.2.3.14), where AES-128 is implicitly last.
/// AES-256 unless a recipient's preferences leave it out.
fn content_cipher(ring: &Keyring, recipients: &[RecipientHandle]) -> SymmetricKeyAlgorithm {
    let preferences: Vec<Vec<SymmetricKeyAlgorithm>> = recipients
        .iter()
        .filter_map(|r| chosen_by(ring, r).ok())
        .map(|c| c.entry.preferred_ciphers())
        .collect();
    [
        SymmetricKeyAlgorithm::AES256,
        SymmetricKeyAlgorithm::AES192,
        SymmetricKeyAlgorithm::AES128,
    ]
    .into_iter()
    .find(|alg| preferences.iter().all(|p| p.is_empty() || p.contains(alg)))
    .unwrap_or(SymmetricKeyAlgorithm::AES128)
}

/// PKESKs and a SEIPD v1 packet with AES of `alg`'s size (RFC 9580 §5.13.1). rPGP makes the
/// inner packets (literal data, one-pass signature) and the PKESKs; the encrypted body is
/// sealed on the crypto provider ([`super::seipd`]), which is where the time of a large
/// message goes.
async fn seipd_v1_armored(
    keys: &[PublicPart<'_>],
    alg: SymmetricKeyAlgorithm,
    sign: Option<SignConfig<'_>>,
    canonical: Vec<u8>,
    ctx: &mut WriteContext<'_>,
) -> Result<Vec<u8>> {
    let (inner_head, inner) = inner_packets(canonical, sign, ctx).await?;

    let mut session_key = Zeroizing::new([0u8; 32]);
    let session_key = &mut session_key[..alg.key_size()];
    ctx.rng.fill_bytes(session_key);
    let raw = RawSessionKey::from(&session_key[..]);
    let mut packets: Vec<Packet> = Vec::with_capacity(keys.len() + 1);
    for key in keys {
        let pkesk =
            PublicKeyEncryptedSessionKey::from_session_key_v3(&mut *ctx.rng, &raw, alg, key)
                .map_err(|_| failed())?;
        packets.push(pkesk.into());
    }
    // The SEIPD packet as rPGP writes it (its header, version 1, the sealed body), put around
    // the sealed body in place instead of through a `SymEncryptedProtectedData`, which would
    // hold two more copies of a large message at once.
    let mut outer = packets.as_slice().to_bytes().map_err(|_| failed())?;
    drop(packets);
    let body_len = seipd::sealed_len(inner_head.len() + inner.len());
    let header = PacketHeader::new_fixed(
        Tag::SymEncryptedProtectedData,
        u32::try_from(1 + body_len).map_err(|_| failed())?,
    );
    header.to_writer(&mut outer).map_err(|_| failed())?;
    outer.push(1); // SEIPD version 1
    let binary = seipd::seal(&session_key[..], &outer, &inner_head, inner, &mut *ctx.rng)
        .await
        .ok_or_else(failed)?;
    Ok(armor_message(binary))
}

/// `binary` as a `PGP MESSAGE` armor block (RFC 9580 §6.2) as rPGP's writer makes it with
/// [`ARMOR`] (no headers, base64 in 64-column lines, the CRC24 line: GnuPG 2.2 needs it), with
/// CRLF line ends, ready to be a MIME body. Written here because rPGP's writer feeds the base64
/// encoder, the line writer and the CRC through small `Write` calls, a fifth of writing a
/// 1 MiB message; the CRC is rPGP's crate.
fn armor_message(binary: Vec<u8>) -> Vec<u8> {
    use base64::Engine;
    // Slice-by-16 tables: three times the byte-at-a-time speed over a whole message.
    const CRC24: crc::Crc<u32, crc::Table<16>> =
        crc::Crc::<u32, crc::Table<16>>::new(&crc::CRC_24_OPENPGP);
    let crc = CRC24.checksum(&binary).to_be_bytes();
    // In the binary's buffer when it has the room (a large message is not held twice).
    let mut out =
        crate::mime::base64_lines_in_place(b"-----BEGIN PGP MESSAGE-----\r\n\r\n", binary, 64);
    out.push(b'=');
    out.extend_from_slice(
        base64::engine::general_purpose::STANDARD
            .encode(&crc[1..])
            .as_bytes(),
    );
    out.extend_from_slice(b"\r\n-----END PGP MESSAGE-----\r\n");
    out
}

/// RFC 3156 §4 / §6.2: `multipart/encrypted`, signed inside when `signer` is given.
pub(crate) async fn encrypt(
    ring: &Keyring,
    job: Encryption<'_>,
    ctx: &mut WriteContext<'_>,
) -> Result<Vec<u8>> {
    let keys = recipients_keys(ring, job.recipients)?;
    let signing = match job.signer {
        Some(s) => Some(signing(ring, s, ctx)?),
        None => None,
    };
    let canonical = into_crlf(job.entity);
    let signer = signing.map(|(secret, hash)| (Signer::new(secret), hash));
    let sign_config = match &signer {
        Some((key, hash)) => Some((key, *hash, subpackets(key, ctx)?)),
        None => None,
    };
    let all_v6 = keys.iter().all(|k| k.version() == KeyVersion::V6);
    let armored = if all_v6 {
        seipd_v2_armored(&keys, sign_config, canonical, ctx)?
    } else {
        let cipher = content_cipher(ring, job.recipients);
        seipd_v1_armored(&keys, cipher, sign_config, canonical, ctx).await?
    };

    let boundary = new_boundary(ctx.rng);
    let control = Entity::new("application/pgp-encrypted")
        .header("Content-Description", "PGP/MIME version identification")
        .text_7bit(b"Version: 1\r\n")
        .into_bytes();
    let payload = Entity::new("application/octet-stream; name=\"encrypted.asc\"")
        .header("Content-Description", "OpenPGP encrypted message")
        .header("Content-Disposition", "inline; filename=\"encrypted.asc\"")
        .crlf_7bit(armored)
        .into_bytes();
    let content_type = folded(&[
        "multipart/encrypted",
        "protocol=\"application/pgp-encrypted\"",
        &format!("boundary=\"{boundary}\""),
    ]);
    Ok(Entity::new(content_type)
        .multipart(&boundary, vec![control, payload])
        .into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same bytes as rPGP's armor writer with [`ARMOR`], for a few lengths (base64 padding,
    /// a partial last line, exactly one line).
    #[test]
    fn armor_message_is_rpgps_armor() {
        for len in [0usize, 1, 2, 3, 47, 48, 49, 1000, 70_001] {
            let binary: Vec<u8> = (0..len).map(|i| (i * 7919 % 251) as u8).collect();
            let literal = pgp::packet::LiteralData::from_bytes(&b""[..], binary.into()).unwrap();
            let packets = [Packet::from(literal)];
            let mut theirs = Vec::new();
            pgp::armor::write(
                &packets.as_slice(),
                pgp::armor::BlockType::Message,
                &mut theirs,
                ARMOR.headers,
                ARMOR.include_checksum,
            )
            .unwrap();
            let ours = armor_message(packets.as_slice().to_bytes().unwrap());
            assert_eq!(ours, to_crlf(&theirs), "{len} bytes");
        }
    }
}
