//! Inline OpenPGP: the files sent beside an inline encrypted text (Enigmail, Mailvelope),
//! the charset of decrypted inline text, and the entity it is shown as.

use super::opened::OpenedAttachment;
use crate::engine::{Engine, ReadContext};
use crate::keys::Keyring;
use crate::mime::{self, MimeTree};
use crate::report::{EncryptionState, SignatureReport, SignatureState};
use crate::warning::{Warning, WarningCode};

/// The files of a `multipart/mixed` beside its inline OpenPGP text (`layer_part`), as
/// Enigmail and Mailvelope send them: each file encrypted (and signed) on its own as
/// `name.pgp` / `name.gpg` / armored `name.asc`, decrypted here with the same keys. Files that
/// are not encrypted, or do not decrypt, are kept as received: with a warning when the text
/// was encrypted (`block_encrypted`) and they were not, or when they do not decrypt.
pub(super) async fn files_beside_inline(
    tree: &MimeTree<'_>,
    layer_part: mime::PartId,
    block_encrypted: bool,
    engine: &dyn Engine,
    ring: &Keyring,
    ctx: &ReadContext,
) -> BesideInline {
    let mut out = BesideInline::default();
    let root = tree.root();
    // The other alternatives of a top-level multipart/alternative are other renderings of the
    // block (webmail with Mailvelope sends it as text and as HTML), not content beside it, as
    // they are when the alternative sits in a multipart/mixed: nothing is beside the block.
    let layer_top = if root.content_type.is("multipart/alternative") {
        Some(root.id)
    } else {
        root.children
            .iter()
            .copied()
            .find(|&c| c == layer_part || tree.is_inside(layer_part, c))
    };
    let Some(layer_top) = layer_top else {
        return out;
    };
    let files = mime::readable(tree).attachments;
    let beside = |id: mime::PartId| id != layer_top && !tree.is_inside(id, layer_top);
    // Text parts beside the block (what `readable` would display) stay hidden: an attacker's
    // HTML next to a decrypted text is the EFAIL direct exfiltration.
    out.hidden_text = tree
        .parts()
        .iter()
        .any(|p| p.children.is_empty() && beside(p.id) && !files.iter().any(|f| f.part == p.id));
    let files: Vec<_> = files.into_iter().filter(|f| beside(f.part)).collect();
    let (mut own_signatures, consumed) = detached_file_signatures(&files, engine, ring, ctx).await;
    for (i, file) in files.into_iter().enumerate() {
        if consumed.contains(&i) {
            continue;
        }
        let name = file.filename;
        let Some(plain_name) = mime::encrypted_file_name(&name, &file.data) else {
            // Beside a signed-only text a plain file is signed only by a detached signature
            // of its own; otherwise the verdict says the message is only partly signed.
            let why = block_encrypted.then(|| {
                Warning::new(
                    WarningCode::UnencryptedAttachment,
                    format!("The attachment \"{name}\" was not encrypted."),
                )
            });
            let own = own_signatures.remove(&i);
            if own
                .as_ref()
                .is_some_and(|s| s.state == SignatureState::Invalid)
            {
                out.warnings.push(Warning::new(
                    WarningCode::AttachmentSignatureInvalid,
                    format!(
                        "The signature file beside \"{name}\" does not match it: the file was \
                         changed after it was signed, or the signature belongs to another file."
                    ),
                ));
            }
            out.listed(why, own, name, file.content_type, file.data);
            continue;
        };
        match engine.decrypt(ring, &file.data, ctx).await {
            Ok(d) if d.report.state == EncryptionState::Decrypted => {
                out.signatures.push(d.signature);
                out.attachments.push(OpenedAttachment {
                    filename: plain_name,
                    content_type: "application/octet-stream".to_string(),
                    data: d.content.map(|c| c.to_vec()).unwrap_or_default(),
                    signed: false, // until mark_signed_by
                });
            }
            _ => {
                let why = Warning::new(
                    WarningCode::AttachmentNotDecrypted,
                    format!(
                        "The attachment \"{name}\" could not be decrypted; it is listed as \
                         received."
                    ),
                );
                out.as_received(Some(why), name, file.content_type, file.data);
            }
        }
    }
    out
}

/// The files beside an inline text that a detached OpenPGP signature file next to them signs
/// (Enigmail sends `doc.pdf` with `doc.pdf.sig`; gpg `--detach-sign` makes `.sig` / `.asc`):
/// each verified over the file's bytes, by its index, and the indices of the signature files
/// used that way (they are signatures, not content, as a PGP/MIME signature part is). The
/// file's name is not signed, only its bytes. A signature file without its file, or one that
/// cannot be read, stays an ordinary file.
async fn detached_file_signatures(
    files: &[mime::Attachment],
    engine: &dyn Engine,
    ring: &Keyring,
    ctx: &ReadContext,
) -> (
    std::collections::HashMap<usize, SignatureReport>,
    std::collections::HashSet<usize>,
) {
    let mut signatures = std::collections::HashMap::new();
    let mut consumed = std::collections::HashSet::new();
    for (s, sig) in files.iter().enumerate() {
        let Some(target) = mime::detached_signature_target(&sig.filename, &sig.data) else {
            continue;
        };
        // A plain file only: an encrypted one (`doc.pdf.pgp`) carries its own signature inside,
        // and its `.sig` stays listed rather than be dropped unused.
        let Some(f) = (0..files.len()).find(|&i| {
            let file = &files[i];
            i != s
                && file.filename.trim() == target
                && !signatures.contains_key(&i)
                && mime::encrypted_file_name(&file.filename, &file.data).is_none()
        }) else {
            continue;
        };
        if let Ok(v) = engine
            .verify_detached(ring, &files[f].data, &sig.data, ctx)
            .await
        {
            signatures.insert(f, v.report);
            consumed.insert(s);
        }
    }
    (signatures, consumed)
}

/// What [`files_beside_inline`] found.
#[derive(Default)]
pub(super) struct BesideInline {
    /// Text parts beside the block, not shown (the caller says why: not encrypted, not signed).
    pub(super) hidden_text: bool,
    pub(super) attachments: Vec<OpenedAttachment>,
    /// Each attachment's own signature (`None`: not signed, not encrypted or not decrypted).
    signatures: Vec<Option<SignatureReport>>,
    pub(super) warnings: Vec<Warning>,
}

impl BesideInline {
    /// A file listed as it arrived (not signed), with the warning that says why.
    fn as_received(
        &mut self,
        why: Option<Warning>,
        filename: String,
        content_type: String,
        data: Vec<u8>,
    ) {
        self.listed(why, None, filename, content_type, data);
    }

    /// A file listed as it arrived, with its own detached signature if it had one.
    fn listed(
        &mut self,
        why: Option<Warning>,
        own: Option<SignatureReport>,
        filename: String,
        content_type: String,
        data: Vec<u8>,
    ) {
        self.warnings.extend(why);
        self.signatures.push(own);
        self.attachments.push(OpenedAttachment {
            filename,
            content_type,
            data,
            signed: false,
        });
    }

    /// Marks the files that carry a valid signature by `signer`, the key that signed the text:
    /// only those does the text's verdict speak for.
    pub(super) fn mark_signed_by(&mut self, signer: Option<&crate::report::Signer>) {
        for (file, own) in self.attachments.iter_mut().zip(&self.signatures) {
            file.signed = signer.is_some_and(|signer| {
                own.as_ref().is_some_and(|s| {
                    s.state == SignatureState::Valid
                        && s.signer.as_ref().is_some_and(|f| f.key_id == signer.key_id)
                })
            });
        }
    }
}

/// The charset to show text from an inline block by (decrypted or signed). The label comes
/// from the armor's `Charset:` header or the part around the block, which no signature or
/// encryption covers, so it may not turn signed bytes into other text: UTF-8 text with
/// non-ASCII characters is shown as UTF-8 whatever the label says, ASCII text takes a label
/// only of the ISO-2022 family (Japanese, Korean and Chinese clients' 7-bit mail, which needs
/// it), and UTF-7, UTF-16 and UTF-32 labels are never taken (they decoded the signed bytes
/// `+ADEAMgAzADQ-` as "1234", or a whole text as CJK, under a `valid` verdict: the OpenPGP
/// sweep). Other text takes an 8-bit label (the Latin-1 of older clients), else windows-1252 (as
/// WHATWG decodes it).
pub(super) fn inline_text_charset<'a>(text: &[u8], declared: Option<&'a str>) -> &'a str {
    let declared = declared
        .map(str::trim)
        .filter(|c| !c.is_empty() && !reinterprets_bytes(c));
    if text.is_ascii() {
        return match declared {
            Some(c)
                if c.get(..8)
                    .is_some_and(|p| p.eq_ignore_ascii_case("iso-2022")) =>
            {
                c
            }
            _ => "utf-8",
        };
    }
    if std::str::from_utf8(text).is_ok() {
        return "utf-8";
    }
    let is_utf8_name = |c: &str| c.eq_ignore_ascii_case("utf-8") || c.eq_ignore_ascii_case("utf8");
    match declared {
        // Declared UTF-8 but not UTF-8: the sender's client mislabelled Latin-1 text.
        Some(c) if !is_utf8_name(c) && !c.eq_ignore_ascii_case("us-ascii") => c,
        _ => "windows-1252",
    }
}

/// Charsets that read ASCII or UTF-8 bytes as other characters: not taken from an unsigned
/// label.
fn reinterprets_bytes(charset: &str) -> bool {
    let c = charset.to_ascii_lowercase();
    c.starts_with("utf-7")
        || c.starts_with("utf-16")
        || c.starts_with("utf-32")
        || c.starts_with("ucs-2")
        || c.starts_with("ucs-4")
        || c == "unicode-1-1-utf-7"
}

/// A MIME entity holding `data` as the file an OpenPGP file mailed on its own held
/// (`report.pdf` for `report.pdf.pgp`): shown as that attachment, not read as a message (its
/// bytes were parsed as a MIME entity: a PDF came out as text, a text file lost its first lines
/// as header fields; sweep 23).
pub(super) fn file_entity(encrypted_name: &str, data: &[u8]) -> Vec<u8> {
    let name = crate::mime::safe_filename(encrypted_name);
    let lower = name.to_ascii_lowercase();
    let stem = [".pgp", ".gpg", ".asc"]
        .iter()
        .find(|ext| lower.ends_with(*ext))
        .map_or(name.as_str(), |ext| &name[..name.len() - ext.len()]);
    let stem = if stem.trim().is_empty() {
        "attachment"
    } else {
        stem
    };
    crate::mime::file_attachment(stem, data)
}

/// A `text/plain` entity around text that came out of an inline OpenPGP block.
pub(super) fn text_entity(text: &[u8], charset: Option<&str>) -> Vec<u8> {
    let charset = charset
        .filter(|c| {
            c.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
        })
        .unwrap_or("utf-8");
    let mut out =
        format!("Content-Type: text/plain; charset=\"{charset}\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
            .into_bytes();
    out.extend_from_slice(text);
    out
}
