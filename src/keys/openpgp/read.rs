//! Reading OpenPGP data: armor blocks (ASCII armor, RFC 9580 §6) and binary packet streams
//! into transferable keys (§10.1 / §10.2), within bounds. No packet is parsed by hand: framing,
//! packets and transferable keys come from `pgp`; this module splits concatenated armor
//! blocks, bounds the work and remembers what it skipped.

use core::cell::Cell;
use std::io::Read;

use pgp::armor::{BlockType, Dearmor, DearmorOptions};
use pgp::composed::{
    SignedPublicKey, SignedPublicKeyParser, SignedSecretKey, SignedSecretKeyParser,
};
use pgp::packet::{Packet, PacketParser, PacketTrait, SignatureType};
use pgp::types::Tag;

use crate::bytes::find;
use crate::error::{Error, ErrorCode, Result};
use crate::secret::SecretBytes;

/// Largest input `parse_pgp` accepts.
pub(super) const MAX_INPUT: usize = 16 * 1024 * 1024;
/// Most transferable keys one import may hold.
const MAX_KEYS: usize = 1000;
/// Most packets one import may hold (a flooded key carries ~150,000 certifications).
const MAX_PACKETS: usize = 250_000;

/// The key revocation signatures of a revocation certificate (`gpg --gen-revoke`, or the one
/// mailseal makes with a key): signatures outside any key, armored or binary.
pub(crate) fn revocation_certificates(data: &[u8]) -> Vec<pgp::packet::Signature> {
    let mut found = Found::default();
    let read = if find(data, b"-----BEGIN PGP ").is_some() {
        parse_armored(data, &mut found)
    } else {
        parse_binary(data, &mut found)
    };
    if read.is_err() || !found.keys.is_empty() {
        return Vec::new();
    }
    found.stray_revocations
}

// --- parsing -------------------------------------------------------------------------------

pub(super) enum Parsed {
    Public(Box<SignedPublicKey>),
    Secret(Box<SignedSecretKey>),
}

/// What the framing layer found, and what it skipped (for a helpful "no key" message).
#[derive(Default)]
pub(super) struct Found {
    pub(super) keys: Vec<Parsed>,
    /// Armor blocks that are not keys (messages, signatures), described for the admin.
    other_blocks: Vec<&'static str>,
    /// Packets outside any key (e.g. a bare revocation certificate).
    stray_signatures: bool,
    /// Key revocation signatures outside any key (a revocation certificate), at most
    /// [`MAX_STRAY_REVOCATIONS`].
    pub(super) stray_revocations: Vec<pgp::packet::Signature>,
    /// Packets the parser skipped as an unsupported version or algorithm.
    unsupported: bool,
}

/// Most key revocations read from one revocation certificate file.
const MAX_STRAY_REVOCATIONS: usize = 16;

impl Found {
    fn push(&mut self, key: Parsed) -> Result<()> {
        if self.keys.len() >= MAX_KEYS {
            return Err(Error::new(
                ErrorCode::TooLarge,
                "More than 1000 OpenPGP keys in one import are refused.",
            ));
        }
        self.keys.push(key);
        Ok(())
    }

    pub(super) fn nothing_found(&self) -> Error {
        if self.unsupported {
            return Error::new(
                ErrorCode::UnsupportedAlgorithm,
                "The OpenPGP key uses a key version or algorithm mailseal does not support.",
            );
        }
        if let Some(what) = self.other_blocks.first() {
            return Error::unsupported_format(format!(
                "This is {what}, not a key. Import a public or private key block."
            ));
        }
        if self.stray_signatures {
            return Error::unsupported_format(
                "The OpenPGP data holds signatures but no key. A revocation certificate can \
                 only be imported together with the key it revokes.",
            );
        }
        Error::unsupported_format("The OpenPGP data holds no key.")
    }
}

fn damaged() -> Error {
    Error::unsupported_format("The OpenPGP key data is damaged or incomplete.")
}

/// Splits the input at every armor header line and decodes each key block. Other blocks
/// (messages, signatures) are skipped undecoded: a pasted mail may carry them next to a key.
pub(super) fn parse_armored(data: &[u8], found: &mut Found) -> Result<()> {
    const BEGIN: &[u8] = b"-----BEGIN PGP ";
    let mut starts = Vec::new();
    let mut offset = 0;
    while let Some(pos) = data.get(offset..).and_then(|rest| find(rest, BEGIN)) {
        starts.push(offset + pos);
        offset += pos + BEGIN.len();
    }
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(data.len());
        let Some(block) = data.get(start..end) else {
            continue;
        };
        // Text after the END line (a mail signature, a tool's messages) is not part of the
        // block; gpg ignores it too.
        let block = match find(block, b"-----END PGP ") {
            Some(at) => {
                let line_end = block[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(block.len(), |n| at + n + 1);
                &block[..line_end]
            }
            None => block,
        };
        let label = block.get(BEGIN.len()..).unwrap_or_default();
        let is_key = [
            &b"PUBLIC KEY BLOCK-----"[..],
            b"PRIVATE KEY BLOCK-----",
            b"ARMORED FILE-----",
        ]
        .iter()
        .any(|l| label.starts_with(l));
        if !is_key {
            found.other_blocks.push(if label.starts_with(b"MESSAGE") {
                "an OpenPGP message"
            } else if label.starts_with(b"SIGNATURE") {
                "an OpenPGP signature"
            } else if label.starts_with(b"SIGNED MESSAGE") {
                "a signed OpenPGP text"
            } else {
                "an OpenPGP block of another kind"
            });
            continue;
        }
        // A key pasted where the blank line after the armor headers was lost (web pages,
        // ticket systems): gpg reads it, and so does mailseal, with the line put back.
        let repaired = blank_line_restored(block);
        let block = repaired.as_deref().map_or(block, |r| r.as_slice());
        let mut dearmor = Dearmor::with_options(block, DearmorOptions::new().set_limit(MAX_INPUT));
        dearmor
            .read_header()
            .map_err(|_| Error::unsupported_format("The OpenPGP armor header is damaged."))?;
        if !matches!(
            dearmor.typ,
            Some(BlockType::PublicKey | BlockType::PrivateKey | BlockType::File)
        ) {
            return Err(damaged());
        }
        // Decoded base64 is shorter than its text, so this buffer never reallocates (an
        // unprotected secret key must not leave copies behind).
        let mut binary = SecretBytes::new(Vec::with_capacity(block.len()));
        dearmor.read_to_end(&mut binary).map_err(|_| {
            Error::unsupported_format("The OpenPGP armor is damaged or incomplete.")
        })?;
        parse_binary(&binary, found)?;
    }
    Ok(())
}

/// `block` with the blank line that ends its armor headers (RFC 9580 §6.2) put back where it
/// is missing: the first line after the BEGIN line and any `Key: value` header lines is not
/// empty. `None` when the block has it. A copy of a secret key's armor, so wiped.
fn blank_line_restored(block: &[u8]) -> Option<SecretBytes> {
    let mut at = memchr::memchr(b'\n', block)? + 1;
    loop {
        let end = memchr::memchr(b'\n', &block[at..]).map_or(block.len(), |n| at + n + 1);
        let line = block[at..end].trim_ascii();
        if line.is_empty() {
            return None;
        }
        // A header line has a colon; base64 has none.
        if !line.contains(&b':') {
            break;
        }
        at = end;
    }
    let mut repaired = SecretBytes::new(Vec::with_capacity(block.len() + 2));
    repaired.extend_from_slice(&block[..at]);
    repaired.extend_from_slice(b"\r\n");
    repaired.extend_from_slice(&block[at..]);
    Some(repaired)
}

/// Parses a binary packet stream into transferable keys.
pub(super) fn parse_binary(data: &[u8], found: &mut Found) -> Result<()> {
    let packet_count = Cell::new(0usize);
    let unsupported = Cell::new(false);
    let incomplete = Cell::new(false);
    let filter = |p: pgp::errors::Result<Packet>| -> Option<pgp::errors::Result<Packet>> {
        packet_count.set(packet_count.get() + 1);
        match p {
            // Marker, padding and keyring trust packets carry nothing for us (RFC 9580 §5.8,
            // §5.14, §5.10); GnuPG 1.x keyring files interleave trust packets.
            Ok(Packet::Marker(_) | Packet::Padding(_) | Packet::Trust(_)) => None,
            Ok(p) => Some(Ok(p)),
            Err(pgp::errors::Error::Unsupported { .. }) => {
                unsupported.set(true);
                None
            }
            Err(pgp::errors::Error::InvalidPacketContent { source })
                if matches!(
                    *source,
                    pgp::errors::Error::Unsupported { .. }
                        | pgp::errors::Error::EllipticCurve { .. }
                ) =>
            {
                unsupported.set(true);
                None
            }
            // rPGP reports an ECDH subkey on a curve it cannot compute with (secp256k1) only
            // as a message.
            Err(pgp::errors::Error::InvalidPacketContent { source })
                if matches!(&*source, pgp::errors::Error::Message { message, .. }
                    if message.starts_with("Unsupported curve")) =>
            {
                unsupported.set(true);
                None
            }
            Err(pgp::errors::Error::PacketIncomplete { .. }) => {
                incomplete.set(true);
                None
            }
            Err(e) => Some(Err(e)),
        }
    };
    let mut packets = PacketParser::new(data)
        .filter_map(filter)
        .take(MAX_PACKETS + 1)
        .peekable();
    loop {
        let tag = match packets.peek() {
            None => break,
            Some(Ok(p)) => p.tag(),
            Some(Err(_)) => return Err(damaged()),
        };
        match tag {
            Tag::PublicKey => {
                let mut parser = SignedPublicKeyParser::from_packets(packets);
                let next = parser.next();
                packets = parser.into_inner();
                match next {
                    Some(Ok(key)) => found.push(Parsed::Public(Box::new(key)))?,
                    Some(Err(_)) => return Err(damaged()),
                    None => {}
                }
            }
            Tag::SecretKey => {
                let mut parser = SignedSecretKeyParser::from_packets(packets);
                let next = parser.next();
                packets = parser.into_inner();
                match next {
                    Some(Ok(key)) => found.push(Parsed::Secret(Box::new(key)))?,
                    Some(Err(_)) => return Err(damaged()),
                    None => {}
                }
            }
            other => {
                // Packets outside a key: skip, remembering what they were (key revocations:
                // a revocation certificate for a key the keyring may hold).
                if other == Tag::Signature {
                    found.stray_signatures = true;
                }
                if let Some(Ok(Packet::Signature(sig))) = packets.next() {
                    if sig.typ() == Some(SignatureType::KeyRevocation)
                        && found.stray_revocations.len() < MAX_STRAY_REVOCATIONS
                    {
                        found.stray_revocations.push(sig);
                    }
                }
            }
        }
    }
    drop(packets);
    if packet_count.get() > MAX_PACKETS {
        return Err(Error::new(
            ErrorCode::TooLarge,
            "The OpenPGP data holds too many packets (more than 250,000).",
        ));
    }
    if incomplete.get() {
        return Err(damaged());
    }
    found.unsupported |= unsupported.get();
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::keys::openpgp::fixtures::*;
    use crate::keys::openpgp::{parse_pgp, PgpEntry};

    #[test]
    fn a_bare_revocation_certificate_is_no_key() {
        let err = parse_pgp(fixture!("revoked.rev"), None, false)
            .err()
            .unwrap();
        assert_eq!(err.code(), ErrorCode::UnsupportedFormat);
        assert!(err.message().contains("revocation"), "{}", err.message());
    }

    #[test]
    fn keyrings_and_several_blocks() {
        for data in [fixture!("keyring-2.asc"), fixture!("two-blocks.asc")] {
            let v = parse_pgp(data, None, true).unwrap();
            let ids: Vec<String> = v.iter().map(PgpEntry::id).collect();
            assert_eq!(ids, [ED_FPR, OLD_FPR]);
            assert!(v.iter().all(PgpEntry::trusted));
        }
        // Public and secret blocks mixed, with text around them.
        let mut mixed = b"Hello,\r\nhere are my keys:\r\n\r\n".to_vec();
        mixed.extend_from_slice(fixture!("rsa-pub.asc"));
        mixed.extend_from_slice(b"\r\nand\r\n");
        mixed.extend_from_slice(fixture!("ed-sec.asc"));
        mixed.extend_from_slice(b"\r\n-- \r\nsignature\r\n");
        let v = parse_pgp(&mixed, None, false).unwrap();
        assert_eq!(v.len(), 2);
        assert!(!v[0].has_secret() && v[1].has_secret());
        // Concatenated binary keys.
        let mut bin = one(fixture!("rsa-pub.asc"), None)
            .to_stored()
            .unwrap()
            .public;
        bin.extend_from_slice(fixture!("ed-sec.gpg"));
        let v = parse_pgp(&bin, None, false).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[1].id(), ED_FPR);
    }

    #[test]
    fn refuses_what_is_not_a_key() {
        let cases: [(&[u8], ErrorCode); 6] = [
            (b"hello", ErrorCode::UnsupportedFormat),
            (b"", ErrorCode::UnsupportedFormat),
            (
                b"-----BEGIN PGP MESSAGE-----\n\nhQEMA1sb\n=abcd\n-----END PGP MESSAGE-----\n",
                ErrorCode::UnsupportedFormat,
            ),
            (
                b"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA!!!\n-----END PGP PUBLIC KEY BLOCK-----\n",
                ErrorCode::UnsupportedFormat,
            ),
            (b"-----BEGIN PGP PUBLIC KEY BLOCK-----\n", ErrorCode::UnsupportedFormat),
            (&[0x99, 0x00, 0x05, 0x04, 0x00], ErrorCode::UnsupportedFormat),
        ];
        for (data, code) in cases {
            let err = parse_pgp(data, None, false).expect_err("refused");
            assert_eq!(err.code(), code, "{data:?}: {err}");
        }
        let msg = parse_pgp(cases[2].0, None, false).unwrap_err();
        assert!(msg.message().contains("message"), "{msg}");
    }

    #[test]
    fn other_armor_blocks_are_skipped() {
        let mut mail = b"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nhi\n".to_vec();
        mail.extend_from_slice(b"-----BEGIN PGP SIGNATURE-----\n\n!!broken!!\n");
        mail.extend_from_slice(b"-----END PGP SIGNATURE-----\n");
        let err = parse_pgp(&mail, None, false).unwrap_err();
        assert_eq!(err.code(), ErrorCode::UnsupportedFormat);
        assert!(err.message().contains("signed OpenPGP text"), "{err}");
        mail.extend_from_slice(fixture!("ed-pub.asc"));
        assert_eq!(one(&mail, None).id(), ED_FPR);
    }

    #[test]
    fn bounds_the_work() {
        let big = vec![0x99u8; MAX_INPUT + 1];
        assert_eq!(
            parse_pgp(&big, None, false).unwrap_err().code(),
            ErrorCode::TooLarge
        );
        let one_key = one(fixture!("revoked-pub-before.asc"), None)
            .to_stored()
            .unwrap()
            .public;
        let many: Vec<u8> = one_key
            .iter()
            .copied()
            .cycle()
            .take(one_key.len() * 1001)
            .collect();
        assert_eq!(
            parse_pgp(&many, None, false).unwrap_err().code(),
            ErrorCode::TooLarge
        );
        let ok: Vec<u8> = one_key
            .iter()
            .copied()
            .cycle()
            .take(one_key.len() * 3)
            .collect();
        assert_eq!(parse_pgp(&ok, None, false).unwrap().len(), 3);
    }

    #[test]
    fn never_panics_on_damaged_input() {
        let public = one(fixture!("ed-pub.asc"), None)
            .to_stored()
            .unwrap()
            .public;
        let secret = fixture!("ed-sec.gpg");
        for data in [&public[..], secret] {
            for cut in 0..data.len() {
                let _ = parse_pgp(&data[..cut], None, false);
            }
            // Every damaged key still verifies its self-signatures, which is slow in an
            // unoptimized build: one flip on every third byte, alternating patterns.
            let positions = (0..data.len()).step_by(3);
            for (i, flip) in positions.zip([0x01u8, 0x80, 0xff].into_iter().cycle()) {
                let mut d = data.to_vec();
                d[i] ^= flip;
                // No passphrase: a flipped S2K usage octet must not start a 65M-round S2K.
                let _ = parse_pgp(&d, None, false);
            }
        }
        let armored = fixture!("ed-pub.asc");
        for cut in (0..armored.len()).step_by(7) {
            let _ = parse_pgp(&armored[..cut], None, false);
        }
    }

    #[test]
    fn crlf_armor() {
        let text = std::str::from_utf8(fixture!("ed-pub.asc")).unwrap();
        let crlf = text.replace('\n', "\r\n");
        assert_eq!(one(crlf.as_bytes(), None).id(), ED_FPR);
    }
}
