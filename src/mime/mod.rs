//! MIME: reading the structure of incoming mail and writing the entities that are protected.
//!
//! | module | what | RFCs |
//! |---|---|---|
//! | `parse` | [`MimeTree`]: a bounded MIME tree with exact byte ranges (over `mail-parser`) | 2045, 2046, 1847 |
//! | `part` | [`Part`], [`Limits`]: one part's type, encoding, ranges; body decoding | 2045, 2046 |
//! | `flatten` | `mail-parser`'s parts as ours, each range checked against its delimiter lines | 2046 §5.1.1 |
//! | `bare` | content without a header section, and tool output (armor, DER / PEM CMS) read as one part | 9580, 8551 |
//! | `detect` | [`detect`]: the top-level S/MIME / OpenPGP layer, nested ones | 8551, 3156, 4880 |
//! | `layer` | what `detect` finds: [`Layer`], [`Nested`], [`Detected`] | 8551, 3156, 4880 |
//! | `sender` | [`sender`]: the single `From` addr-spec (rule: [`crate::Address`]) | 5322 |
//! | `canonical` | [`canonicalize`]: the 7-bit CRLF form signatures are made over | 5751 §3.1, 3156 §5 |
//! | `draft` | [`build_draft`]: a composer [`Draft`] as content entity + header fields | 5322, 2047, 2231 |
//! | `headers` | [`protect_headers`] / [`read_protected`]: header protection | 9788 |
//! | `content` | [`readable`]: text, HTML, attachments, quote for reply, signed scope | 2046, 2387 |
//! | `html` | [`html_lines`]: an HTML body's rendered lines, for armor pasted into HTML mail | HTML LS |
//! | `lookalike` | [`address_flags`]: mixed-script addresses, names holding another address | UTS #39 |
//! | `build` | small exact writers: entities, boundaries, base64, CRLF | 2045, 2046 |
//!
//! Reading (`open`):
//!
//! ```
//! use mailseal::mime::{detect, readable, sender, Layer, Limits, MimeTree};
//!
//! let raw = b"From: alice@example.com\r\nContent-Type: text/plain\r\n\r\nHello\r\n";
//! let tree = MimeTree::parse(raw, &Limits::default())?;
//! assert_eq!(sender(&tree).address(), Some("alice@example.com"));
//! let found = detect(&tree);
//! assert_eq!(found.layer, Layer::Plain);
//! assert_eq!(readable(&tree).quote_for_reply, "Hello\n");
//! # Ok::<(), mailseal::Error>(())
//! ```
//!
//! After removing a layer (decrypting, or verifying a signed part), `open` parses the inner
//! entity with [`MimeTree::parse`] and calls [`detect`] on it again; [`read_protected`] then
//! restores protected headers and [`readable`] gives what to show.
//!
//! Writing (`protect`): [`build_draft`] (or [`split_message`] for a raw message) gives the
//! canonical content entity and the header fields; [`protect_headers`] moves the header
//! fields inside; the engine signs / encrypts the entity; `protect` writes the outer header
//! fields and the engine's output.
//!
//! Everything written uses CRLF line ends and 7-bit-safe bodies, so relays cannot change the
//! bytes a signature covers.

mod bare;
mod build;
mod canonical;
mod cms_kind;
pub(crate) use cms_kind::cms_kind;
mod content;
mod detect;
mod draft;
mod flatten;
mod flowed;
mod headers;
mod html;
mod layer;
mod line_ends;
mod lookalike;
mod parse;
mod part;
mod payload;
mod room;
mod sender;
#[cfg(target_arch = "wasm32")]
mod text_decoder;

#[cfg(feature = "openpgp")]
pub(crate) use build::base64_lines_in_place;
pub use build::{base64_body, new_boundary, Entity};
pub use canonical::canonicalize;
pub(crate) use content::readable_taking;
pub use content::{readable, safe_filename, Attachment, Readable};
pub use detect::detect;
pub(crate) use detect::{detached_signature_target, encrypted_file_name, is_smime_mime};
pub use draft::{build_draft, header_line, BuiltDraft, Draft, DraftAttachment};
pub(crate) use draft::{build_draft_to_encode_again, file_attachment};
pub(crate) use draft::{parse_mailboxes, random_message_id};
pub use headers::{
    protect_headers, read_protected, read_wrapped, split_message, HeaderFields, HeaderView,
    Mailbox, Protected, ProtectedHeaders, OBSCURED_SUBJECT,
};
pub(crate) use html::html_lines;
pub use layer::{Detached, Detected, Layer, Nested, NestedKind, PgpForm, SmimeKind};
pub(crate) use line_ends::into_crlf;
pub use line_ends::{lf_to_crlf, to_crlf};
pub use lookalike::{address_flags, AddressFlag, AddressFlagKind};
pub use parse::MimeTree;
pub use part::{ContentType, HeaderField, Limits, Part, PartId, TransferEncoding};
pub use payload::Payload;
pub(crate) use room::prepend;
pub use sender::{sender, Sender};
#[cfg(target_arch = "wasm32")]
pub(crate) use text_decoder::install_text_decoder;
