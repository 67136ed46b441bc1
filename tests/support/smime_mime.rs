//! Test-only helpers: take openssl's (and mailseal's) S/MIME output apart into the payloads
//! the engine receives. The real MIME parsing for `open` lives in src/mime/; this only
//! splits the simple shapes the fixtures have.
#![allow(dead_code)]

use base64::Engine as _;

/// Headers and body of an entity (split at the first empty line, LF or CRLF).
pub fn split_entity(eml: &[u8]) -> (&[u8], &[u8]) {
    for i in 0..eml.len() {
        if eml[i..].starts_with(b"\r\n\r\n") {
            return (&eml[..i], &eml[i + 4..]);
        }
        if eml[i..].starts_with(b"\n\n") {
            return (&eml[..i], &eml[i + 2..]);
        }
    }
    panic!("no empty line in entity")
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The boundary parameter of the top-level Content-Type.
pub fn boundary(headers: &[u8]) -> String {
    let text = String::from_utf8_lossy(headers);
    let at = text.find("boundary=").expect("boundary parameter") + "boundary=".len();
    let rest = &text[at..];
    let value = if let Some(stripped) = rest.strip_prefix('"') {
        &stripped[..stripped.find('"').expect("closing quote")]
    } else {
        rest.split([';', '\r', '\n', ' ']).next().expect("value")
    };
    value.to_string()
}

/// The body parts of a multipart entity, byte for byte (the line break before each
/// delimiter belongs to the delimiter, RFC 2046 §5.1.1).
pub fn multipart_parts(eml: &[u8]) -> Vec<Vec<u8>> {
    let (headers, _) = split_entity(eml);
    let delim = format!("--{}", boundary(headers));
    let delim = delim.as_bytes();
    let mut parts = Vec::new();
    let mut pos = find(eml, delim, headers.len()).expect("first delimiter");
    loop {
        let after = pos + delim.len();
        if eml[after..].starts_with(b"--") {
            break;
        }
        let start = if eml[after..].starts_with(b"\r\n") {
            after + 2
        } else {
            after + 1
        };
        let next = find(eml, delim, start).expect("next delimiter");
        let mut end = next;
        if end > start && eml[end - 1] == b'\n' {
            end -= 1;
            if end > start && eml[end - 1] == b'\r' {
                end -= 1;
            }
        }
        parts.push(eml[start..end].to_vec());
        pos = next;
    }
    parts
}

/// The base64 body of an entity, decoded.
pub fn base64_body(entity: &[u8]) -> Vec<u8> {
    let (_, body) = split_entity(entity);
    let clean: Vec<u8> = body
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(clean)
        .expect("base64 body")
}

/// `multipart/signed`: the signed part's exact bytes and the signature's DER.
pub fn detached(eml: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let parts = multipart_parts(eml);
    assert_eq!(parts.len(), 2, "multipart/signed has two parts");
    let sig = base64_body(&parts[1]);
    (parts[0].clone(), sig)
}

/// `application/pkcs7-mime`: the DER/BER of its base64 body.
pub fn p7m(eml: &[u8]) -> Vec<u8> {
    base64_body(eml)
}

/// The Content-Type header value (unfolded, lower-case).
pub fn content_type(entity: &[u8]) -> String {
    let (headers, _) = split_entity(entity);
    let text = String::from_utf8_lossy(headers)
        .replace("\r\n ", " ")
        .replace("\n ", " ");
    text.lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-type:")
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_default()
}
