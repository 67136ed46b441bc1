//! MIME: building the entities the engines and `protect` write, and the canonical form that
//! signatures are computed over.
//!
//! Parsing of incoming mail goes through `mail-parser` (in `open`); this module only writes.
//! Everything written uses CRLF line ends and 7-bit-safe bodies, so relays cannot change the
//! bytes a signature covers.

mod build;

pub use build::{base64_body, new_boundary, to_crlf, Entity};
