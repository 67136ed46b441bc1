//! The kind of a CMS object from the first bytes of its ContentInfo, for detection: a leaf
//! that the MIME parser (bare DER input) and layer detection both read.

/// The CMS content type of an S/MIME payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmimeKind {
    /// EnvelopedData (RFC 5652 §6): `smime-type=enveloped-data`.
    Enveloped,
    /// AuthEnvelopedData (RFC 5083, AES-GCM): `smime-type=authEnveloped-data`.
    AuthEnveloped,
    /// SignedData with the content inside (opaque signing): `smime-type=signed-data`.
    Signed,
    /// CompressedData (RFC 3274), which mailseal does not read.
    Compressed,
    /// `certs-only` or a content type mailseal does not know.
    Other,
}

/// The CMS content type (RFC 5652 §3) from the OID at the start of a ContentInfo
/// (`SEQUENCE { OBJECT IDENTIFIER, ... }`, DER or BER with any length form: NSS, Thunderbird
/// and `openssl cms -stream` write indefinite lengths), without decoding the rest: what
/// detection needs. The engine decodes the whole when it opens the layer, and reports damage
/// then; decoding here too held a large message twice more (and a build without S/MIME uses
/// the same reading to say an S/MIME message is S/MIME).
pub(crate) fn cms_kind(der: &[u8]) -> Option<SmimeKind> {
    /// 1.2.840.113549.1.7 (PKCS #7 content types) and 1.2.840.113549.1.9.16.1 (S/MIME ones).
    const PKCS7: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07];
    const SMIME_CT: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01];
    let (&tag, rest) = der.split_first()?;
    let (&len, rest) = rest.split_first()?;
    // Short form, indefinite (0x80), or long form with 1-4 length octets.
    let skip = if len > 0x80 {
        usize::from(len & 0x7f)
    } else {
        0
    };
    if tag != 0x30 || skip > 4 {
        return None;
    }
    let oid = match rest.get(skip..)? {
        [0x06, n, oid @ ..] => oid.get(..usize::from(*n))?,
        _ => return None,
    };
    Some(match oid {
        [p @ .., 3] if p == PKCS7 => SmimeKind::Enveloped,
        [p @ .., 2] if p == PKCS7 => SmimeKind::Signed,
        [p @ .., 23] if p == SMIME_CT => SmimeKind::AuthEnveloped,
        [p @ .., 9] if p == SMIME_CT => SmimeKind::Compressed,
        [p @ .., _] if p == PKCS7 || p == SMIME_CT => SmimeKind::Other,
        _ => return None,
    })
}
