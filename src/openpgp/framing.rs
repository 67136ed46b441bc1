//! Where the packets of an OpenPGP message lie in its buffer (RFC 9580 §4.2), for reading a
//! large message where it is (issue 12, peak memory). rPGP's parsers read every header and
//! length; this module only keeps the offsets. A data packet whose body comes in partial
//! lengths (§4.2.1.4: gpg writes them when it streams) is joined in place: its pieces are moved
//! together over the length octets between them.

use core::ops::Range;

use pgp::packet::{Packet, PacketHeader, PacketParser};
use pgp::types::PacketLength;

/// The shortest first piece of a body in partial lengths.
const MIN_FIRST_PIECE: u32 = 512;

/// Most marker and padding packets skipped at one level of a message, and most octets each may
/// hold: the bounds mailseal's rPGP keeps (vendor/pgp/MAILSEAL.md), so that both ways read
/// the same messages.
pub(super) const MAX_SKIPPED_PACKETS: usize = 64;
pub(super) const MAX_SKIPPED_LEN: usize = 1 << 20;

/// One packet of a buffer, as framed by [`frame`].
pub(super) struct Framed {
    pub(super) header: PacketHeader,
    /// Where the packet (its header) starts.
    at: usize,
    /// Where the body (its first piece) starts.
    start: usize,
    /// The body's length, all pieces together.
    len: usize,
    /// Where the packet ends (its last piece): the next packet starts there.
    pub(super) end: usize,
    /// Whether the body comes in partial lengths.
    in_pieces: bool,
}

impl Framed {
    /// The body's length, all pieces together.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The body when it is in one piece; `None` for partial lengths (see [`join`]).
    pub(super) fn body(&self) -> Option<Range<usize>> {
        (!self.in_pieces).then_some(self.start..self.start + self.len)
    }

    /// The packet parsed by rPGP (through its packet parser over bytes, the one reader its
    /// parsers are built for in mailseal: another reader type built them all again, +110 KiB
    /// of wasm).
    pub(super) fn parse(&self, buf: &[u8]) -> Option<Packet> {
        PacketParser::new(buf.get(self.at..self.end)?).next()?.ok()
    }

    /// The first piece of the body (all of it when it is in one piece).
    pub(super) fn first_piece<'b>(&self, buf: &'b [u8]) -> Option<&'b [u8]> {
        let (range, _) = piece(buf, self.start, self.header.packet_length())?;
        buf.get(range)
    }
}

/// The packet that starts at `at` in `buf`; `None` when its header or lengths do not parse
/// or its body runs past the end of `buf`.
pub(super) fn frame(buf: &[u8], at: usize) -> Option<Framed> {
    let mut rest = buf.get(at..)?;
    let header = PacketHeader::try_from_reader(&mut rest).ok()?;
    // RFC 9580 §4.2.1.4: "The first partial length MUST be at least 512 octets long", and rPGP
    // refuses less: what it would not read is not read here either (sweep 22).
    if matches!(header.packet_length(), PacketLength::Partial(n) if n < MIN_FIRST_PIECE) {
        return None;
    }
    let start = buf.len() - rest.len();
    let (mut pos, mut len, mut total) = (start, header.packet_length(), 0usize);
    loop {
        let (range, next) = piece(buf, pos, len)?;
        total += range.len();
        match next {
            Some((p, l)) => (pos, len) = (p, l),
            None => {
                return Some(Framed {
                    in_pieces: matches!(header.packet_length(), PacketLength::Partial(_)),
                    header,
                    at,
                    start,
                    len: total,
                    end: range.end,
                })
            }
        }
    }
}

/// The body of `packet` (framed in `buf`) in one piece: where it is. A body in partial lengths
/// is joined in place (each piece lands at or before where it was, and the length octets after
/// it are read before anything is written over them); what follows the joined body up to
/// `packet.end` is then left over.
pub(super) fn join(buf: &mut [u8], packet: &Framed) -> Option<Range<usize>> {
    if let Some(body) = packet.body() {
        return Some(body);
    }
    let (mut pos, mut len, mut write) = (packet.start, packet.header.packet_length(), packet.start);
    loop {
        let (range, next) = piece(buf, pos, len)?;
        let n = range.len();
        buf.copy_within(range, write);
        write += n;
        match next {
            Some((p, l)) => (pos, len) = (p, l),
            None => return Some(packet.start..write),
        }
    }
}

/// After a piece in partial length: where the next piece starts, and its length.
type NextPiece = Option<(usize, PacketLength)>;

/// The piece of a body at `pos` with length `len`, and what follows it.
fn piece(buf: &[u8], pos: usize, len: PacketLength) -> Option<(Range<usize>, NextPiece)> {
    let within = |n: u32| {
        pos.checked_add(usize::try_from(n).ok()?)
            .filter(|end| *end <= buf.len())
    };
    match len {
        PacketLength::Fixed(n) => Some((pos..within(n)?, None)),
        PacketLength::Indeterminate => Some((pos..buf.len(), None)),
        PacketLength::Partial(n) => {
            let end = within(n)?;
            let mut rest = &buf[end..];
            let next = PacketLength::try_from_reader(&mut rest).ok()?;
            Some((pos..end, Some((buf.len() - rest.len(), next))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pgp::types::Tag;

    /// A literal data packet in partial lengths (new format: 0xCB, then 2^n pieces and a last
    /// fixed one) is framed over all its pieces and joined to its content; the packet after it
    /// is where `end` says.
    #[test]
    fn partial_lengths_are_joined_in_place() {
        let content: Vec<u8> = (0..600u32).map(|i| (i % 251) as u8).collect();
        let mut buf = vec![0xCB, 0xE9]; // tag 11, a partial piece of 2^9 = 512 octets
        buf.extend_from_slice(&content[..512]);
        buf.push(0xE0); // a piece of 2^0 = 1 octet
        buf.push(content[512]);
        buf.push(87); // the last piece: 87 octets, a fixed length
        buf.extend_from_slice(&content[513..]);
        let next = buf.len();
        buf.extend_from_slice(&[0xCA, 0x01, 0x09]); // a marker-sized packet after it
        let packet = frame(&buf, 0).unwrap();
        assert_eq!(packet.header.tag(), Tag::LiteralData);
        assert!(packet.body().is_none());
        assert_eq!(packet.end, next);
        assert_eq!(packet.first_piece(&buf).unwrap(), &content[..512]);
        let body = join(&mut buf, &packet).unwrap();
        assert_eq!(&buf[body], &content[..]);
        let after = frame(&buf, next).unwrap();
        assert_eq!(after.body(), Some(next + 2..next + 3));
    }

    /// Lengths that run past the buffer are no packet.
    #[test]
    fn a_body_past_the_end_is_refused() {
        assert!(frame(&[0xCB, 0x05, 1, 2], 0).is_none());
        assert!(frame(&[0xCB, 0xE9, 1, 2], 0).is_none());
        assert!(frame(&[0xCB], 0).is_none());
        assert!(frame(&[0xCB, 0x00], 5).is_none());
        // A first partial piece under 512 octets (RFC 9580 §4.2.1.4), as rPGP refuses it.
        let mut short = vec![0xCB, 0xE8]; // 2^8 = 256
        short.extend_from_slice(&[0; 256]);
        short.extend_from_slice(&[1, 0]);
        assert!(frame(&short, 0).is_none());
    }
}
