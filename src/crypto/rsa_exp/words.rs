//! `crypto-bigint` numbers to and from big-endian octets, and between widths.

use crypto_bigint::{Uint, Word};
use rsa::BigUint;

use crate::secret::SecretBytes;

/// Big-endian octets (leading zeros allowed) as a `Uint<L>`; `None` if they do not fit.
pub(super) fn uint<const L: usize>(be: &[u8]) -> Option<Uint<L>> {
    let width = L * Word::BITS as usize / 8;
    let start = be.iter().position(|&b| b != 0).unwrap_or(be.len());
    let digits = &be[start..];
    let pad = width.checked_sub(digits.len())?;
    let mut buf = SecretBytes::new(vec![0; width]);
    buf[pad..].copy_from_slice(digits);
    Some(Uint::from_be_slice(&buf))
}

/// A secret `BigUint` as a `Uint<L>`, its intermediate octets wiped.
pub(super) fn secret_uint<const L: usize>(x: &BigUint) -> Option<Uint<L>> {
    let bytes = SecretBytes::new(x.to_bytes_be());
    uint(&bytes)
}

/// The low `len` octets of `x`, big-endian; `None` if `x` does not fit.
pub(super) fn be_bytes<const L: usize>(x: &Uint<L>, len: usize) -> Option<SecretBytes> {
    let mut all = SecretBytes::new(Vec::with_capacity(L * Word::BITS as usize / 8));
    for word in x.as_words().iter().rev() {
        all.extend_from_slice(&word.to_be_bytes());
    }
    let start = all.len().checked_sub(len)?;
    if all[..start].iter().any(|&b| b != 0) {
        return None;
    }
    Some(SecretBytes::new(all[start..].to_vec()))
}

pub(super) fn widen<const A: usize, const B: usize>(x: &Uint<A>) -> Uint<B> {
    let mut words = [0 as Word; B];
    words[..A.min(B)].copy_from_slice(&x.as_words()[..A.min(B)]);
    Uint::from_words(words)
}

/// The low `B` limbs of `x` (the caller knows the rest are zero).
pub(super) fn narrow<const A: usize, const B: usize>(x: &Uint<A>) -> Uint<B> {
    widen::<A, B>(x)
}

/// `hi ‖ lo` as one number of `F` (= 2H) limbs.
pub(super) fn concat<const H: usize, const F: usize>(lo: &Uint<H>, hi: &Uint<H>) -> Uint<F> {
    let mut words = [0 as Word; F];
    words[..H].copy_from_slice(lo.as_words());
    words[H..2 * H].copy_from_slice(hi.as_words());
    Uint::from_words(words)
}
