/*
 * Added for mailseal (vendor/mail-parser/MAILSEAL.md): without the `full_encoding` feature
 * the multi-byte charsets below used to come out as lossy UTF-8. A program can hand them to
 * a decoder of its own instead (in WebAssembly: the runtime's `TextDecoder`), so the
 * encoding tables need not ship in the module.
 *
 * SPDX-License-Identifier: Apache-2.0 OR MIT
 */

use std::sync::OnceLock;

/// Decodes `bytes` in the charset of a WHATWG Encoding Standard label; `None` when it cannot.
pub type ExternalDecoder = fn(label: &str, bytes: &[u8]) -> Option<String>;

static DECODER: OnceLock<ExternalDecoder> = OnceLock::new();

/// Sets the decoder for the multi-byte charsets (Shift_JIS, EUC-JP, ISO-2022-JP, EUC-KR,
/// GBK, GB18030, Big5, and the few single-byte ones only `full_encoding` has). Once per
/// process; `false` when one was already set.
pub fn set_external_decoder(decoder: ExternalDecoder) -> bool {
    DECODER.set(decoder).is_ok()
}

#[allow(dead_code)]
pub(crate) fn decode(label: &str, bytes: &[u8]) -> String {
    DECODER
        .get()
        .and_then(|decoder| decoder(label, bytes))
        .unwrap_or_else(|| String::from_utf8_lossy(bytes).into_owned())
}
