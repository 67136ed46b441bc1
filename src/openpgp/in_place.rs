//! Decrypting an OpenPGP message in its own buffer ([`Engine::decrypt_in_place`], issue 12's
//! peak memory). Opening a 10 MiB PGP/MIME message held the armored message, its packets
//! dearmored, and the decrypted packets at once: 4.7x the message in wasm. Here the armor is
//! decoded where it is, the body of the SEIPD v1 packet is decrypted where it is (a key that
//! fails the MDC puts it back), and a literal data packet's content stays where it was
//! decrypted. Anything else (binary input, other containers, armor that is not plain) goes the
//! usual way ([`super::decrypt::decrypt`]); so does compressed content, whose decompression is
//! a buffer of its own anyway.
//!
//! [`Engine::decrypt_in_place`]: crate::engine::Engine::decrypt_in_place

use core::ops::Range;

use pgp::composed::{Esk, Message, PlainSessionKey};
use pgp::types::{PkeskVersion, SkeskVersion, Tag};

use super::decrypt::{
    decrypt, decrypt_packets, decrypt_with, read_inner, v1_key, Ciphertext, Container,
};
use super::framing::{self, Framed};
use super::message::{check_payload_size, dearmor_in_place, Inner};
use super::seipd;
use super::verify::read_flat;
use crate::bytes::find;
use crate::engine::{DecryptedInPlace, Plaintext, ReadContext};
use crate::error::Result;
use crate::keys::Keyring;
use crate::report::SignatureReport;

/// Most session key packets read before the message is left to the usual way (which refuses
/// more than it takes, naming the reason).
const MAX_ESK_PACKETS: usize = 128;

/// [`decrypt`] in `payload`'s own buffer where it can be: the content is then a range of
/// `payload` ([`Plaintext::InPlace`]).
pub(crate) async fn decrypt_in_place(
    ring: &Keyring,
    payload: &mut [u8],
    ctx: &ReadContext,
) -> Result<DecryptedInPlace> {
    check_payload_size(payload, ctx)?;
    let Some(binary) = dearmored_in_place(payload) else {
        return Ok(decrypt(ring, payload, ctx).await?.into());
    };
    let Some(layout) = encrypted_layout(&payload[binary.clone()]) else {
        // Another container or shape: the usual way over the packets, now binary.
        return Ok(decrypt_packets(ring, &payload[binary], ctx).await?.into());
    };
    // From here on the packets are changed: the usual way could no longer read them.
    let Some(body) = framing::join(&mut payload[binary.clone()], &layout.seipd) else {
        return Ok(decrypt_packets(ring, &payload[binary], ctx).await?.into());
    };
    // After the version octet.
    let body = binary.start + body.start + 1..binary.start + body.end;
    let container = Container {
        unprotected: false,
        aead: None,
    };
    let mut ciphertext = InPlace { buf: payload, body };
    let (report, opened) = decrypt_with(ring, &layout.esk, container, &mut ciphertext, ctx).await?;
    let (content, signature) = opened.unzip();
    Ok(DecryptedInPlace {
        report,
        content,
        signature: signature.flatten(),
    })
}

/// The packets of the plain armor block in `payload`, decoded in place: where they are.
/// `None`, and `payload` as it was, for binary input or armor that is not plain.
fn dearmored_in_place(payload: &mut [u8]) -> Option<Range<usize>> {
    let start = find(payload, b"-----BEGIN PGP MESSAGE-----")?;
    let packets = dearmor_in_place(&mut payload[start..])?;
    Some(start + packets.start..start + packets.end)
}

/// A message of session key packets and a SEIPD v1 packet that ends it.
struct EncryptedLayout {
    esk: Vec<Esk>,
    seipd: Framed,
}

/// The layout of `packets` when it is a message [`decrypt_in_place`] reads, parsed by rPGP;
/// `None` for anything else, and nothing is written.
fn encrypted_layout(packets: &[u8]) -> Option<EncryptedLayout> {
    let (mut at, mut esk, mut skipped) = (0, Vec::new(), 0);
    loop {
        let packet = framing::frame(packets, at)?;
        match packet.header.tag() {
            Tag::PublicKeyEncryptedSessionKey | Tag::SymKeyEncryptedSessionKey
                if esk.len() < MAX_ESK_PACKETS =>
            {
                packet.body()?; // in one piece: partial lengths are for data packets only
                let one = Esk::try_from(packet.parse(packets)?).ok()?;
                // RFC 9580 §10.3.2.1: an ESK of another version than the container's is
                // discarded (v3 PKESK and v4 SKESK go with SEIPD v1), as rPGP discards it.
                if goes_with_seipd_v1(&one) {
                    esk.push(one);
                }
            }
            Tag::Marker | Tag::Padding => {
                skipped += 1;
                if skipped > framing::MAX_SKIPPED_PACKETS || packet.len() > framing::MAX_SKIPPED_LEN
                {
                    return None;
                }
            }
            Tag::SymEncryptedProtectedData => {
                let version = *packet.first_piece(packets)?.first()?;
                let last = packet.end == packets.len();
                return (version == 1 && last && !esk.is_empty())
                    .then_some(EncryptedLayout { esk, seipd: packet });
            }
            _ => return None,
        }
        at = packet.end;
    }
}

fn goes_with_seipd_v1(esk: &Esk) -> bool {
    match esk {
        Esk::PublicKeyEncryptedSessionKey(p) => p.version() == PkeskVersion::V3,
        Esk::SymKeyEncryptedSessionKey(s) => s.version() == SkeskVersion::V4,
    }
}

/// The SEIPD v1 body at `body` of `buf`, decrypted there.
struct InPlace<'b> {
    buf: &'b mut [u8],
    body: Range<usize>,
}

impl Ciphertext for InPlace<'_> {
    type Content = Plaintext;

    async fn open(
        &mut self,
        ring: &Keyring,
        key: PlainSessionKey,
        ctx: &ReadContext,
    ) -> Option<core::result::Result<(Plaintext, Option<SignatureReport>), Inner>> {
        let (alg, session_key) = v1_key(&key)?;
        let body = &mut self.buf[self.body.clone()];
        let inner = seipd::open_in_place(alg, session_key, body).await?;
        let inner = self.body.start + inner.start..self.body.start + inner.end;
        let packets = &mut self.buf[inner.clone()];
        Some(match read_flat(ring, packets, ctx).await {
            Some(read) => read.map(|(content, signature)| {
                let content = inner.start + content.start..inner.start + content.end;
                (Plaintext::InPlace(content), signature)
            }),
            // Compressed, or signatures rPGP judges: read from the packets into a buffer.
            None => match Message::from_bytes(&*packets) {
                Ok(message) => read_inner(ring, message, ctx)
                    .map(|(content, signature)| (Plaintext::Owned(content), signature)),
                Err(_) => Err(Inner::Failed),
            },
        })
    }
}
