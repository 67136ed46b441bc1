//! Room in the buffers of large bodies: what is put around a body goes into its own buffer,
//! so that a large message is not copied (and held twice) for each header put in front of it.

/// Spare capacity left in buffers that large bodies are written into, so that the header
/// fields and multipart delimiters around them are put in place ([`prepend`]) instead of
/// copying the whole body into a new buffer: every such copy of a 10 MiB attachment was
/// another 13 MiB held at once (benches/RESULTS.md, peak memory). A signature part with its
/// certificate chain is the largest thing that goes around a body.
pub(crate) const HEADROOM: usize = 16 * 1024;

/// `head` followed by `body`, in `body`'s buffer: the body moves up in place when the buffer
/// has room (the writers of large bodies leave [`HEADROOM`]); only small or unreserved bodies
/// are copied.
pub(crate) fn prepend(head: &[u8], mut body: Vec<u8>) -> Vec<u8> {
    if body.capacity() - body.len() < head.len() && body.len() < HEADROOM {
        let mut out = Vec::with_capacity(head.len() + body.len());
        out.extend_from_slice(head);
        out.extend_from_slice(&body);
        return out;
    }
    // Exactly: `splice` alone would grow the buffer to twice its size.
    body.reserve_exact(head.len());
    body.splice(0..0, head.iter().copied());
    body
}
