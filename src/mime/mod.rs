//! MIME: reading the structure of incoming mail and writing the entities that are protected.
//!
//! | module | what | RFCs |
//! |---|---|---|
//! | `parse` | a bounded MIME tree with exact byte ranges (over `mail-parser`) | 2045, 2046, 1847 |
//! | `build` | small exact writers: entities, boundaries, base64, CRLF | 2045, 2046 |
//!
//! Everything written uses CRLF line ends and 7-bit-safe bodies, so relays cannot change the
//! bytes a signature covers.

mod build;
mod canonical;
mod detect;
mod draft;
mod parse;

pub use build::{base64_body, new_boundary, to_crlf, Entity};
pub use canonical::canonicalize;
pub use detect::{
    detect, sender, Detached, Detected, Layer, Nested, NestedKind, PgpForm, Sender, SmimeKind,
};
pub use draft::{build_draft, BuiltDraft, Draft, DraftAttachment};
pub use parse::{ContentType, HeaderField, Limits, MimeTree, Part, PartId, TransferEncoding};
