//! Where a detected layer's bytes are.

use super::parse::{MimeTree, PartId};

/// The bytes of a layer: the body of its part in the parsed tree, not copied (a large message
/// is not held twice), or bytes detection cut out of a text (an armored block).
#[derive(Clone, PartialEq, Eq)]
pub enum Payload {
    /// The decoded body of the layer's part.
    Body,
    /// Bytes of their own.
    Bytes(Vec<u8>),
}

impl Payload {
    /// The bytes, with `tree` the tree the layer was detected in and `part` the layer's part.
    pub fn bytes<'s>(&'s self, tree: Option<&'s MimeTree<'_>>, part: PartId) -> &'s [u8] {
        match self {
            Payload::Bytes(bytes) => bytes,
            Payload::Body => tree
                .and_then(|t| t.part(part))
                .map_or(&[][..], |p| &*p.body),
        }
    }

    /// The length when the payload has bytes of its own (for Debug output, never the bytes).
    pub(super) fn len_in(&self) -> Option<usize> {
        match self {
            Payload::Bytes(bytes) => Some(bytes.len()),
            Payload::Body => None,
        }
    }
}
