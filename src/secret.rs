//! [`SecretBytes`]: a byte buffer that is wiped when dropped, for plaintext and key material.
//!
//! `zeroize::Zeroizing<Vec<u8>>` wipes a `Vec` element by element, each byte a volatile write
//! with a fence (zeroize 1.9), which in wasm took ~2 ms per MiB: several percent of opening a
//! 1 MiB message, once per plaintext copy. A byte *slice* is wiped in 16-byte volatile chunks,
//! and so is a `Vec`'s spare capacity: this type wipes the whole allocation that way.

use core::ops::{Deref, DerefMut};

use zeroize::Zeroize;

/// A `Vec<u8>` whose whole allocation is zeroed when it is dropped.
#[derive(Default, Clone, PartialEq, Eq)]
pub struct SecretBytes(Vec<u8>);

impl SecretBytes {
    /// Takes ownership of `bytes`; they are wiped when this is dropped.
    pub fn new(bytes: Vec<u8>) -> Self {
        SecretBytes(bytes)
    }

    fn wipe(&mut self) {
        wipe_vec(&mut self.0);
    }

    /// The bytes handed on without a copy, to an owner that does not wipe them: ciphertext
    /// made in place, or what was going to be copied into a plain buffer anyway (a draft's
    /// attachment). The spare capacity, which may hold stale bytes, is wiped.
    pub(crate) fn into_vec(mut self) -> Vec<u8> {
        let mut bytes = core::mem::take(&mut self.0);
        bytes.spare_capacity_mut().zeroize();
        bytes
    }
}

/// Zeroes a `Vec`'s elements, then its spare capacity (stale bytes of earlier contents), as
/// byte slices: what `Zeroize for Vec<u8>` does element by element, several times faster.
pub(crate) fn wipe_vec(bytes: &mut Vec<u8>) {
    bytes.as_mut_slice().zeroize();
    bytes.spare_capacity_mut().zeroize();
}

/// [`wipe_vec`] for a `String` (base64 of key material, say); it is left empty.
pub(crate) fn wipe_string(text: &mut String) {
    drop(wiped_bytes(core::mem::take(text)));
}

/// The allocation of `text`, wiped (what [`wipe_string`] frees; returned so a test can look).
fn wiped_bytes(text: String) -> Vec<u8> {
    let mut bytes = text.into_bytes();
    wipe_vec(&mut bytes);
    bytes
}

impl From<Vec<u8>> for SecretBytes {
    fn from(bytes: Vec<u8>) -> Self {
        SecretBytes(bytes)
    }
}

impl Drop for SecretBytes {
    fn drop(&mut self) {
        self.wipe();
    }
}

impl Deref for SecretBytes {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl DerefMut for SecretBytes {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }
}

// The contents are secret: never in Debug output.
impl core::fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "SecretBytes({} bytes)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wipe_zeroes_the_contents_and_debug_hides_them() {
        let mut secret = SecretBytes::from(vec![0xAA; 40]);
        secret.truncate(8);
        secret.wipe();
        assert_eq!(&secret[..], &[0u8; 8]);
        assert_eq!(format!("{secret:?}"), "SecretBytes(8 bytes)");
    }

    #[test]
    fn wipe_vec_zeroes_the_elements() {
        let mut bytes = vec![0xAA_u8; 40];
        bytes.truncate(8);
        wipe_vec(&mut bytes);
        assert_eq!(bytes, [0u8; 8]);
    }

    #[test]
    fn wipe_string_zeroes_what_it_frees_and_empties_the_string() {
        let key = "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t";
        assert_eq!(wiped_bytes(key.to_string()), vec![0u8; key.len()]);
        let mut text = String::from(key);
        wipe_string(&mut text);
        assert!(text.is_empty());
    }
}
