//! The report and what the agent sees, assembled from what peeling found: the signature's
//! final verdict, the header fields (protected ones when the message carried them), the text,
//! HTML and attachments, the certificates to learn.

use super::headers::{opened_headers, shown_fields, with_outer_fallback};
use super::layers::Peeled;
use super::opened::{Opened, OpenedAttachment, OpenedHeaders, SerializedBytes};
use super::verdict::{scoped_and_bound, signed_in_the_future, unchecked_revocation};
use crate::keys::autocrypt::AutocryptOffer;
use crate::mime::{self, read_protected, read_wrapped, HeaderView, MimeTree, PartId};
use crate::policy::UncheckedRevocation;
use crate::report::{EncryptionState, SignatureReport, SignatureState};
use crate::time::Time;
use crate::warning::{Warning, WarningCode};

/// The result of `open` from what peeling found (`p`), the outer header fields (`outer_view`),
/// the single From address (`sender`), the Autocrypt offer, the policy for a signature
/// whose revocation could not be checked, and the time the message is judged at.
pub(super) fn assemble(
    p: Peeled<'_>,
    outer_view: &HeaderView,
    sender: Option<&str>,
    autocrypt: Option<AutocryptOffer>,
    unchecked: UncheckedRevocation,
    now: Time,
) -> Opened {
    let Peeled {
        encryption,
        signature,
        scope,
        signed_inside_encryption,
        mut warnings,
        content,
        parsed,
        peeled,
        wrapped,
        beside_inline,
        uncovered_files,
        carried,
        certs_only,
        armor_as_text,
        ..
    } = p;
    let mut signature = scoped_and_bound(signature, scope, uncovered_files, sender);
    unchecked_revocation(&mut signature, &mut warnings, unchecked);
    signed_in_the_future(&signature, now, &mut warnings);
    let revocation_requests = std::mem::take(&mut signature.revocation_requests);

    let mut headers = opened_headers(outer_view, false);
    let mut protected_fields = Vec::new();
    let mut opened = Opened {
        encryption,
        signature,
        headers: OpenedHeaders::default(),
        text: None,
        html: None,
        attachments: Vec::new(),
        certificates: Vec::new(),
        autocrypt,
        quote_for_reply: String::new(),
        warnings,
        revocation_requests,
        report_headers: Vec::new(),
    };
    // Peeling leaves `parsed` as the parse of the final `content`.
    if let Some(mut tree) = parsed.filter(|_| content.is_some()) {
        if peeled > 0 {
            (headers, protected_fields) =
                protected_headers(&tree, outer_view, headers, wrapped, &mut opened.signature);
        }
        show(&mut opened, &mut tree, armor_as_text, beside_inline);
    }
    if headers.protected && opened.signature.state != SignatureState::None {
        headers.signed_fields = protected_fields;
    }
    opened.warnings.extend(
        headers
            .address_flags
            .iter()
            .map(|f| Warning::new(WarningCode::MisleadingAddress, f.sentence())),
    );
    opened.headers = headers;
    // Only a valid signature (bound to the sender) or a bare bundle teaches certificates.
    if certs_only || opened.signature.is_valid() {
        opened.certificates = carried.into_iter().map(SerializedBytes).collect();
    }
    // Only now is the verdict final (the protected From may have differed): an inner signature
    // vouches for unauthenticated ciphertext (S/MIME AES-CBC) only when it is `valid`.
    if opened.encryption.state == EncryptionState::Decrypted
        && opened.encryption.authenticated == Some(false)
        && signed_inside_encryption
        && opened.signature.is_valid()
    {
        opened.encryption.authenticated = Some(true);
    }
    // Last: the fields say the final verdict (sender binding and protected headers included).
    opened.report_headers = crate::relay::report_headers(
        &opened.encryption,
        &opened.signature,
        opened.headers.protected,
        opened.headers.from_differs,
    );
    opened
}

/// The header fields shown when `tree` (inside a removed layer) holds a protected header
/// section (marked as such, or a `wrapped` message's): its fields, with the outer ones it
/// leaves out; `outer` as it is otherwise. Also
/// the fields the signature covers: what the protected section holds, nothing else. A signed
/// From that is not the one the message arrived with is a sender mismatch.
fn protected_headers(
    tree: &MimeTree<'_>,
    outer_view: &HeaderView,
    outer: OpenedHeaders,
    wrapped: bool,
    signature: &mut SignatureReport,
) -> (OpenedHeaders, Vec<String>) {
    let protected = match wrapped {
        true => Some(read_wrapped(tree, outer_view)),
        false => read_protected(tree, outer_view),
    };
    let Some(p) = protected else {
        return (outer, Vec::new());
    };
    let mut headers = opened_headers(&p.view, true);
    // What the signature covers is what the protected section holds, nothing else.
    let protected_fields = shown_fields(&headers);
    with_outer_fallback(&mut headers, outer);
    headers.from_differs = p.from_differs;
    headers.recipients_differ = p.recipients_differ;
    if p.from_differs && signature.state == SignatureState::Valid {
        // The signed From is not the one the message arrived with.
        signature.state = SignatureState::SenderMismatch;
        signature.detail = Some("This message was not signed by its sender.".to_string());
    }
    (headers, protected_fields)
}

/// The text, HTML, quote and attachments of `tree`, the final content, and the files found
/// beside an inline text.
fn show(
    opened: &mut Opened,
    tree: &mut MimeTree<'_>,
    armor_as_text: Option<PartId>,
    beside_inline: Vec<OpenedAttachment>,
) {
    let signed_content = opened.signature.state != SignatureState::None;
    let r = mime::readable_taking(tree, armor_as_text);
    opened.text = r.text;
    opened.html = r.html;
    opened.quote_for_reply = r.quote_for_reply;
    opened.attachments = r
        .attachments
        .into_iter()
        .map(|a| OpenedAttachment {
            filename: a.filename,
            content_type: a.content_type,
            data: a.data,
            // What is shown is the signed part, when there is a signature.
            signed: signed_content,
        })
        .collect();
    opened.attachments.extend(beside_inline);
}
