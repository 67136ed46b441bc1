//! Byte-string search shared by the MIME, PEM and armor scanners. `memchr`'s SIMD/word-wise
//! searchers, because these run over whole messages (a naive window scan was a visible share
//! of opening a 1 MiB message in wasm).

use memchr::memmem;

/// The first position of `needle` in `haystack`.
pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memmem::find(haystack, needle)
}

/// Whether `needle` occurs in `haystack`.
pub(crate) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

/// How often `needle` occurs in `haystack` (non-overlapping).
pub(crate) fn count(haystack: &[u8], needle: &[u8]) -> usize {
    memmem::find_iter(haystack, needle).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_counts_and_handles_edges() {
        assert_eq!(find(b"ab\r\n--x\n--", b"\n--"), Some(3));
        assert_eq!(find(b"ab", b"abc"), None);
        assert!(contains(b"xx-----END PGP", b"-----END"));
        assert_eq!(count(b"--a\n--b\n--c", b"\n--"), 2);
        assert_eq!(find(b"", b"x"), None);
    }
}
