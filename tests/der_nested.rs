#![cfg(feature = "smime")]
//! The vendored der (vendor/der/MAILSEAL.md) reads nested values with the same reader, narrowed
//! to the value's length. These pin what upstream's `NestedReader` guaranteed: a nested value
//! must be read to its end, cannot claim more bytes than its parent holds, and cannot be read
//! past; the same through the PEM reader.
use der::asn1::{OctetString, SequenceOf};
use der::{Decode, DecodePem, Encode, ErrorKind, Sequence};

#[derive(Debug, PartialEq, Sequence)]
struct Pair {
    first: u8,
    second: OctetString,
}

impl der::pem::PemLabel for Pair {
    const PEM_LABEL: &'static str = "PAIR";
}

fn pair() -> Vec<u8> {
    Pair {
        first: 7,
        second: OctetString::new(b"abc".to_vec()).unwrap(),
    }
    .to_der()
    .unwrap()
}

#[test]
fn nested_values_decode_and_round_trip() {
    let der = pair();
    let decoded = Pair::from_der(&der).unwrap();
    assert_eq!(decoded.first, 7);
    assert_eq!(decoded.second.as_bytes(), b"abc");
    let mut list = SequenceOf::<Pair, 3>::new();
    list.add(decoded).unwrap();
    let outer = list.to_der().unwrap();
    assert_eq!(SequenceOf::<Pair, 3>::from_der(&outer).unwrap().len(), 1);
}

#[test]
fn bytes_left_inside_a_sequence_are_trailing_data() {
    // SEQUENCE { INTEGER 7, OCTET STRING "abc", NULL }: the NULL is not part of Pair.
    let mut der = pair();
    der[1] += 2;
    der.extend_from_slice(&[0x05, 0x00]);
    let err = Pair::from_der(&der).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::TrailingData { .. }),
        "{err:?}"
    );
}

#[test]
fn a_length_past_the_parent_is_incomplete() {
    // The OCTET STRING claims 4 bytes where the SEQUENCE holds 3.
    let mut der = pair();
    let last = der.len() - 4;
    assert_eq!(der[last], 3);
    der[last] = 4;
    let err = Pair::from_der(&der).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Incomplete { .. } | ErrorKind::Length { .. }
        ),
        "{err:?}"
    );
}

#[test]
fn an_inner_value_cannot_read_past_its_parent() {
    // SEQUENCE of length 5 holding INTEGER 7 and the first 2 bytes of the OCTET STRING's TLV,
    // followed (outside the SEQUENCE) by the rest of it: the reader must stop at the SEQUENCE.
    let der = [0x30, 0x05, 0x02, 0x01, 0x07, 0x04, 0x03, b'a', b'b', b'c'];
    let err = Pair::from_der(&der).unwrap_err();
    assert_past_the_sequence(err);
}

#[test]
fn the_pem_reader_narrows_the_same_way() {
    let pem = |der: &[u8]| der::pem::encode_string("PAIR", der::pem::LineEnding::LF, der).unwrap();
    let good = Pair::from_pem(pem(&pair())).unwrap();
    assert_eq!(good.second.as_bytes(), b"abc");

    let mut trailing = pair();
    trailing[1] += 2;
    trailing.extend_from_slice(&[0x05, 0x00]);
    let err = Pair::from_pem(pem(&trailing)).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::TrailingData { .. }),
        "{err:?}"
    );
    let past = [0x30, 0x05, 0x02, 0x01, 0x07, 0x04, 0x03, b'a', b'b', b'c'];
    assert_past_the_sequence(Pair::from_pem(pem(&past)).unwrap_err());
}

/// The OCTET STRING of `an_inner_value_cannot_read_past_its_parent` ran into the end of its
/// SEQUENCE (byte 7), not into the bytes after it: the reader was narrowed, not merely checked
/// afterwards.
fn assert_past_the_sequence(err: der::Error) {
    assert!(
        matches!(err.kind(), ErrorKind::Incomplete { actual_len, .. } if actual_len == der::Length::new(7)),
        "{err:?}"
    );
}
