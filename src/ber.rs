//! BER to DER, so that the `cms`/`der` types (DER only) can read what streaming writers send.
//!
//! Thunderbird (NSS), `openssl smime` / `openssl cms -stream` and many gateways write CMS in
//! BER (X.690 §8): indefinite lengths and constructed ("chunked") OCTET STRINGs. RFC 5652 §1.1
//! allows that everywhere except inside what is signed (signed attributes are DER). This pass
//! works on tag-length-value only and knows no CMS schema except one place:
//!
//! - indefinite lengths become definite, long lengths minimal (X.690 §10.1);
//! - constructed universal string types (OCTET STRING, character strings) become primitive
//!   (X.690 §10.2);
//! - `EncryptedContentInfo.encryptedContent` is `[0] IMPLICIT OCTET STRING` (RFC 5652 §6.1),
//!   which streaming writers send constructed. It is recognised by its place, the third
//!   element of a SEQUENCE { OBJECT IDENTIFIER, SEQUENCE, [0] } (no other CMS or X.509
//!   structure has that shape), and made primitive.
//!
//! - elements repeated in a SET OF (a certificate or digest algorithm listed twice, which DER
//!   and `der` reject) are kept once; so are those of SignedData's `[0]`/`[1]` IMPLICIT SET OF
//!   (certificates, CRLs), recognised by SignedData's shape (RFC 5652 §5.1).
//!
//! Everything else (SET order, the schema itself) is left to `der`'s decoders. Nesting and
//! element counts are bounded.

use core::cell::{Cell, OnceCell};

use crate::error::{Error, ErrorCode, Result};

/// Deepest nesting accepted (CMS messages nest about 15 levels; certificates a few more).
const MAX_DEPTH: usize = 48;
/// Most elements accepted in one message (a bound on work, far above real mail).
const MAX_NODES: usize = 1_000_000;

struct Node<'a> {
    /// Identifier octets as received, with the constructed bit as received.
    ident: &'a [u8],
    class: u8,
    constructed: bool,
    number: u32,
    body: Body<'a>,
    /// Its DER content length once computed (index: read as an implicit OCTET STRING or not):
    /// lengths are asked for again by every enclosing element.
    content_len: [Cell<Option<usize>>; 2],
    /// A SET OF's DER content once sorted out: computing it encodes every element, and doing
    /// that again for each enclosing element's length grew exponentially with nested sets.
    set_content: OnceCell<Vec<u8>>,
}

enum Body<'a> {
    Primitive(&'a [u8]),
    Constructed(Vec<Node<'a>>),
}

fn malformed() -> Error {
    Error::new(
        ErrorCode::MalformedMessage,
        "The S/MIME data is damaged (invalid BER/DER encoding).",
    )
}

struct Parser<'a> {
    data: &'a [u8],
    pos: usize,
    nodes: usize,
}

impl<'a> Parser<'a> {
    fn byte(&mut self) -> Result<u8> {
        let b = *self.data.get(self.pos).ok_or_else(malformed)?;
        self.pos += 1;
        Ok(b)
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(len).ok_or_else(malformed)?;
        let s = self.data.get(self.pos..end).ok_or_else(malformed)?;
        self.pos = end;
        Ok(s)
    }

    /// One element; `None` for an end-of-contents marker (only inside indefinite lengths).
    fn node(&mut self, depth: usize, in_indefinite: bool) -> Result<Option<Node<'a>>> {
        if depth > MAX_DEPTH {
            return Err(Error::new(
                ErrorCode::TooLarge,
                "The S/MIME data is nested too deeply.",
            ));
        }
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(Error::new(
                ErrorCode::TooLarge,
                "The S/MIME data has too many elements.",
            ));
        }
        let start = self.pos;
        let first = self.byte()?;
        let mut number = u32::from(first & 0x1f);
        if number == 0x1f {
            number = 0;
            for i in 0.. {
                if i >= 4 {
                    return Err(malformed());
                }
                let b = self.byte()?;
                number = (number << 7) | u32::from(b & 0x7f);
                if b & 0x80 == 0 {
                    break;
                }
            }
        }
        let ident = &self.data[start..self.pos];
        let constructed = first & 0x20 != 0;
        let class = first >> 6;
        let len_byte = self.byte()?;
        if first == 0 && len_byte == 0 {
            return if in_indefinite {
                Ok(None)
            } else {
                Err(malformed())
            };
        }
        let length = match len_byte {
            0x80 => None,
            l if l < 0x80 => Some(usize::from(l)),
            l => {
                let n = usize::from(l & 0x7f);
                if n > 4 {
                    return Err(malformed());
                }
                let mut len = 0usize;
                for _ in 0..n {
                    len = (len << 8) | usize::from(self.byte()?);
                }
                Some(len)
            }
        };
        let body = match (constructed, length) {
            (false, Some(len)) => Body::Primitive(self.take(len)?),
            (false, None) => return Err(malformed()),
            (true, Some(len)) => {
                let inner = self.take(len)?;
                let mut sub = Parser {
                    data: inner,
                    pos: 0,
                    nodes: self.nodes,
                };
                let mut children = Vec::new();
                while sub.pos < inner.len() {
                    match sub.node(depth + 1, false)? {
                        Some(n) => children.push(n),
                        None => return Err(malformed()),
                    }
                }
                self.nodes = sub.nodes;
                Body::Constructed(children)
            }
            (true, None) => {
                let mut children = Vec::new();
                while let Some(n) = self.node(depth + 1, true)? {
                    children.push(n);
                }
                Body::Constructed(children)
            }
        };
        Ok(Some(Node {
            ident,
            class,
            constructed,
            number,
            body,
            content_len: Default::default(),
            set_content: OnceCell::new(),
        }))
    }
}

/// Re-encodes one BER element (the whole of `data`) as DER. Trailing zero bytes (padding some
/// writers leave after the last end-of-contents) are ignored; other trailing data is an error.
///
/// Written in one buffer of the final size: each element's length is computed before its
/// contents are written (a copy per nesting level held a large encrypted message several
/// times at once).
pub(crate) fn to_der(data: &[u8]) -> Result<Vec<u8>> {
    let mut p = Parser {
        data,
        pos: 0,
        nodes: 0,
    };
    let root = p.node(0, false)?.ok_or_else(malformed)?;
    if data[p.pos..].iter().any(|&b| b != 0) {
        return Err(malformed());
    }
    let mut out = Vec::with_capacity(element_len(&root, false)?);
    encode(&root, false, &mut out)?;
    Ok(out)
}

/// Universal string types whose constructed form is flattened (X.690 §8.21, §10.2).
fn is_string_type(number: u32) -> bool {
    matches!(
        number,
        4 | 12 | 18 | 19 | 20 | 21 | 22 | 25 | 26 | 27 | 28 | 30
    )
}

/// How one constructed element's children are written in DER.
enum Layout {
    /// A constructed string (or the implicit OCTET STRING of an EncryptedContentInfo): the
    /// octets of its chunks, primitive.
    Flattened,
    /// SET OF: its elements sorted out once (see [`unique_elements`]).
    Set,
    /// Children in order; `eci`: an EncryptedContentInfo, whose third child is flattened;
    /// `signed_data`: a SignedData, whose [0] / [1] are IMPLICIT SET OF.
    Sequence { eci: bool, signed_data: bool },
}

fn layout(node: &Node<'_>, children: &[Node<'_>], implicit_octets: bool) -> Layout {
    if implicit_octets || (node.class == 0 && is_string_type(node.number) && node.constructed) {
        Layout::Flattened
    } else if node.class == 0 && node.number == 17 {
        Layout::Set
    } else {
        // SEQUENCE { OID, SEQUENCE, [0] }: an EncryptedContentInfo (see module docs).
        let eci = node.class == 0
            && node.number == 16
            && children.len() == 3
            && is_universal(&children[0], 6)
            && is_universal(&children[1], 16)
            && children[2].class == 2
            && children[2].number == 0;
        Layout::Sequence {
            eci,
            signed_data: is_signed_data(node.class, node.number, children),
        }
    }
}

/// A SignedData's certificates [0] / crls [1].
fn is_implicit_set(child: &Node<'_>) -> bool {
    child.class == 2 && child.constructed && child.number <= 1
}

/// The length of `node` in DER: identifier, length octets, contents.
fn element_len(node: &Node<'_>, implicit_octets: bool) -> Result<usize> {
    let content = content_len(node, implicit_octets)?;
    Ok(node.ident.len() + len_len(content) + content)
}

fn content_len(node: &Node<'_>, implicit_octets: bool) -> Result<usize> {
    let cache = &node.content_len[usize::from(implicit_octets)];
    if let Some(len) = cache.get() {
        return Ok(len);
    }
    let len = content_len_uncached(node, implicit_octets)?;
    cache.set(Some(len));
    Ok(len)
}

fn content_len_uncached(node: &Node<'_>, implicit_octets: bool) -> Result<usize> {
    let children = match &node.body {
        Body::Primitive(content) => return Ok(content.len()),
        Body::Constructed(children) => children,
    };
    match layout(node, children, implicit_octets) {
        Layout::Flattened => octets_len(node),
        Layout::Set => Ok(set_content(node, children)?.len()),
        Layout::Sequence { eci, signed_data } => {
            let mut total = 0usize;
            for (i, child) in children.iter().enumerate() {
                let len = match &child.body {
                    Body::Constructed(items) if signed_data && is_implicit_set(child) => {
                        let inner = set_content(child, items)?.len();
                        child.ident.len() + len_len(inner) + inner
                    }
                    _ => element_len(child, eci && i == 2)?,
                };
                total = total.checked_add(len).ok_or_else(malformed)?;
            }
            Ok(total)
        }
    }
}

#[cfg(test)]
thread_local! {
    /// Calls of [`encode`], for the test that the work stays linear in the input.
    static ENCODES: Cell<usize> = const { Cell::new(0) };
}

fn encode(node: &Node<'_>, implicit_octets: bool, out: &mut Vec<u8>) -> Result<()> {
    #[cfg(test)]
    ENCODES.set(ENCODES.get() + 1);
    let children = match &node.body {
        Body::Primitive(content) => {
            write_ident(node, false, out);
            write_len(content.len(), out);
            out.extend_from_slice(content);
            return Ok(());
        }
        Body::Constructed(children) => children,
    };
    match layout(node, children, implicit_octets) {
        Layout::Flattened => {
            write_ident(node, false, out);
            write_len(octets_len(node)?, out);
            collect_octets(node, out)
        }
        Layout::Set => {
            let content = set_content(node, children)?;
            write_ident(node, true, out);
            write_len(content.len(), out);
            out.extend_from_slice(content);
            Ok(())
        }
        Layout::Sequence { eci, signed_data } => {
            write_ident(node, true, out);
            write_len(content_len(node, implicit_octets)?, out);
            for (i, child) in children.iter().enumerate() {
                match &child.body {
                    Body::Constructed(items) if signed_data && is_implicit_set(child) => {
                        let inner = set_content(child, items)?;
                        write_ident(child, true, out);
                        write_len(inner.len(), out);
                        out.extend_from_slice(inner);
                    }
                    _ => encode(child, eci && i == 2, out)?,
                }
            }
            Ok(())
        }
    }
}

/// The elements of a SET OF, each once: some writers repeat a certificate or a digest
/// algorithm, which DER (and `der`) do not accept, and which means nothing in CMS.
/// Linear in the number of elements (a hash set, not a search per element): a p7m with many
/// thousands of certificates must not take quadratic time.
/// [`unique_elements`] of `node`'s `items`, computed once per node.
fn set_content<'n>(node: &'n Node<'_>, items: &[Node<'_>]) -> Result<&'n [u8]> {
    if let Some(content) = node.set_content.get() {
        return Ok(content);
    }
    let content = unique_elements(items)?;
    Ok(node.set_content.get_or_init(|| content))
}

fn unique_elements(children: &[Node<'_>]) -> Result<Vec<u8>> {
    let mut encoded: Vec<Vec<u8>> = Vec::with_capacity(children.len());
    for child in children {
        let mut one = Vec::new();
        encode(child, false, &mut one)?;
        encoded.push(one);
    }
    let mut seen = std::collections::HashSet::with_capacity(encoded.len());
    let mut out = Vec::new();
    for one in &encoded {
        if seen.insert(one.as_slice()) {
            out.extend_from_slice(one);
        }
    }
    Ok(out)
}

/// SignedData (RFC 5652 §5.1): SEQUENCE { INTEGER, SET, SEQUENCE, [0]?, [1]?, SET }.
fn is_signed_data(class: u8, number: u32, children: &[Node<'_>]) -> bool {
    class == 0
        && number == 16
        && (4..=6).contains(&children.len())
        && is_universal(&children[0], 2)
        && is_universal(&children[1], 17)
        && is_universal(&children[2], 16)
        && children.last().is_some_and(|c| is_universal(c, 17))
}

fn is_universal(node: &Node<'_>, number: u32) -> bool {
    node.class == 0 && node.number == number
}

/// The octets of a (possibly nested, constructed) OCTET STRING.
fn collect_octets(node: &Node<'_>, out: &mut Vec<u8>) -> Result<()> {
    match &node.body {
        Body::Primitive(content) => out.extend_from_slice(content),
        Body::Constructed(children) => {
            for child in children {
                collect_octets(child, out)?;
            }
        }
    }
    Ok(())
}

/// The number of octets [`collect_octets`] writes.
fn octets_len(node: &Node<'_>) -> Result<usize> {
    match &node.body {
        Body::Primitive(content) => Ok(content.len()),
        Body::Constructed(children) => children.iter().try_fold(0usize, |sum, child| {
            sum.checked_add(octets_len(child)?).ok_or_else(malformed)
        }),
    }
}

/// The number of length octets [`write_len`] writes for `len`.
fn len_len(len: usize) -> usize {
    if len < 0x80 {
        1
    } else {
        1 + (usize::BITS - len.leading_zeros()).div_ceil(8) as usize
    }
}

fn write_ident(node: &Node<'_>, constructed: bool, out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(node.ident);
    if let Some(first) = out.get_mut(start) {
        *first = (*first & !0x20) | if constructed { 0x20 } else { 0 };
    }
}

fn write_len(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SETs nested in SEQUENCEs nested in SETs, 46 levels: each element is encoded a bounded
    /// number of times (the lengths asked for by every enclosing element once cost twice the
    /// work per nesting level), and DER comes out as it went in.
    #[test]
    fn nested_sets_are_encoded_in_linear_work() {
        let mut der = vec![0x02, 0x01, 0x05];
        for level in 0..46 {
            let tag = if level % 2 == 0 { 0x31 } else { 0x30 };
            let mut outer = vec![tag];
            write_len(der.len(), &mut outer);
            outer.extend_from_slice(&der);
            der = outer;
        }
        ENCODES.set(0);
        assert_eq!(to_der(&der).unwrap(), der);
        let calls = ENCODES.get();
        assert!(calls <= 4 * 47, "{calls} encode calls for 47 elements");
    }

    #[test]
    fn der_passes_through() {
        let der = [0x30, 0x06, 0x02, 0x01, 0x05, 0x04, 0x01, 0xaa];
        assert_eq!(to_der(&der).unwrap(), der);
    }

    #[test]
    fn indefinite_and_chunked_octets_become_der() {
        // SEQUENCE(indef) { OCTET STRING(constructed, indef) { "ab", "c" } }
        let ber = [
            0x30, 0x80, 0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x04, 0x01, b'c', 0x00, 0x00, 0x00,
            0x00,
        ];
        assert_eq!(
            to_der(&ber).unwrap(),
            [0x30, 0x05, 0x04, 0x03, b'a', b'b', b'c']
        );
    }

    #[test]
    fn encrypted_content_is_made_primitive() {
        // SEQUENCE { OID 1.2, SEQUENCE {}, [0] constructed { "xy", "z" } }
        let ber = [
            0x30, 0x80, 0x06, 0x01, 0x2a, 0x30, 0x00, 0xa0, 0x80, 0x04, 0x02, b'x', b'y', 0x04,
            0x01, b'z', 0x00, 0x00, 0x00, 0x00,
        ];
        assert_eq!(
            to_der(&ber).unwrap(),
            [0x30, 0x0a, 0x06, 0x01, 0x2a, 0x30, 0x00, 0x80, 0x03, b'x', b'y', b'z']
        );
    }

    #[test]
    fn repeated_set_elements_are_dropped() {
        // SET { INTEGER 1, INTEGER 1, INTEGER 2 }
        let ber = [
            0x31, 0x09, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02,
        ];
        assert_eq!(
            to_der(&ber).unwrap(),
            [0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02]
        );
    }

    /// Many elements, each twice (a hostile p7m): every one kept once, in order. Linear work
    /// (issue 13: a search per element made this quadratic).
    #[test]
    fn a_large_set_is_deduplicated_in_order() {
        let n: u16 = 20_000;
        let element = |i: u16| [0x02, 0x02, (i >> 8) as u8, i as u8];
        let body: Vec<u8> = (0..n)
            .flat_map(|i| [element(i), element(i)])
            .flatten()
            .collect();
        let mut ber = vec![0x31];
        write_len(body.len(), &mut ber);
        ber.extend_from_slice(&body);
        let want: Vec<u8> = (0..n).flat_map(element).collect();
        let mut der = vec![0x31];
        write_len(want.len(), &mut der);
        der.extend_from_slice(&want);
        assert_eq!(to_der(&ber).unwrap(), der);
    }

    #[test]
    fn damaged_input_is_an_error() {
        for bad in [
            &[0x30, 0x05, 0x04][..],
            &[0x04, 0x80, 0x00, 0x00],
            &[0x30, 0x80, 0x04, 0x00],
            &[0x30, 0x85, 0xff, 0xff, 0xff, 0xff, 0xff],
            &[],
        ] {
            assert!(to_der(bad).is_err());
        }
        let deep: Vec<u8> = std::iter::repeat_n([0x30u8, 0x80], 200).flatten().collect();
        assert!(to_der(&deep).is_err());
    }
}
