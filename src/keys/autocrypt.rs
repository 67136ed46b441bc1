//! Learning OpenPGP keys from the `Autocrypt` header of incoming mail (Autocrypt Level 1, §2).
//!
//! `open` reports the sender's offer ([`offer`]) under the spec's rules: the header's `addr`
//! must be the message's single From address, exactly one such header, no unknown critical
//! attribute (one not starting with `_`), `keydata` that decodes. The keyring takes it with
//! `Keyring::learn_autocrypt`: like a key found by a lookup it is unverified and must carry a
//! valid user ID for the address; the newest message wins (an offer dated before the one
//! learned already changes nothing), and a newer key replaces the older Autocrypt key of that
//! address unless the admin verified it.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// What a message's Autocrypt header offers.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AutocryptOffer {
    /// The sender's address (the header's `addr`, equal to From).
    pub address: String,
    /// `prefer-encrypt=mutual`.
    pub prefer_encrypt: bool,
    /// The binary OpenPGP key (`keydata`).
    #[serde(with = "serde_bytes")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Uint8Array"))]
    pub keydata: Vec<u8>,
    /// The message's Date, RFC 3339, when it has one: the newest offer wins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub date: Option<String>,
}

/// The offer of a message whose `Autocrypt` header values are `values`, sent by `from` (its
/// single From address, lower-cased) on `date`; `None` when the rules say to ignore it.
pub(crate) fn offer(
    values: &[String],
    from: Option<&str>,
    date: Option<&str>,
) -> Option<AutocryptOffer> {
    let from = from?;
    let mut found = values
        .iter()
        .filter_map(|v| parse(v))
        .filter(|o| o.address == from);
    let first = found.next()?;
    // Two headers for the sender: the spec says to use neither.
    if found.next().is_some() {
        return None;
    }
    Some(AutocryptOffer {
        date: date.map(str::to_string),
        ..first
    })
}

/// One header value: `addr=…; [prefer-encrypt=mutual;] keydata=…`.
fn parse(value: &str) -> Option<AutocryptOffer> {
    let mut address = None;
    let mut prefer_encrypt = false;
    let mut keydata = None;
    for attribute in value.split(';') {
        let attribute = attribute.trim();
        if attribute.is_empty() {
            continue;
        }
        let (name, v) = attribute.split_once('=')?;
        match name.trim().to_ascii_lowercase().as_str() {
            "addr" => address = crate::Address::parse(v).ok().map(|a| a.key()),
            "prefer-encrypt" => prefer_encrypt = v.trim() == "mutual",
            "keydata" => {
                let b64: String = v.chars().filter(|c| !c.is_ascii_whitespace()).collect();
                keydata = B64.decode(b64).ok();
            }
            // Non-critical attributes start with an underscore; any other is critical.
            n if n.starts_with('_') => {}
            _ => return None,
        }
    }
    Some(AutocryptOffer {
        address: address?,
        prefer_encrypt,
        keydata: keydata.filter(|k| !k.is_empty())?,
        date: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "xjMEZ0A="; // any base64: parsing does not read the key

    #[test]
    fn the_senders_one_header_is_the_offer() {
        let v = format!("addr=Alice@Example.org; prefer-encrypt=mutual; _x=1; keydata=\r\n {KEY}");
        let o = offer(
            std::slice::from_ref(&v),
            Some("alice@example.org"),
            Some("2026-12-01T00:00:00Z"),
        )
        .expect("an offer");
        assert_eq!(o.address, "alice@example.org");
        assert!(o.prefer_encrypt);
        assert_eq!(o.keydata, B64.decode(KEY).unwrap());
        assert_eq!(o.date.as_deref(), Some("2026-12-01T00:00:00Z"));
        // Not the sender's; two for the sender; an unknown critical attribute; no keydata.
        assert_eq!(
            offer(std::slice::from_ref(&v), Some("mallory@example.org"), None),
            None
        );
        assert_eq!(
            offer(&[v.clone(), v.clone()], Some("alice@example.org"), None),
            None
        );
        let critical = format!("addr=alice@example.org; type=2; keydata={KEY}");
        assert_eq!(offer(&[critical], Some("alice@example.org"), None), None);
        assert_eq!(
            offer(
                &["addr=alice@example.org".to_string()],
                Some("alice@example.org"),
                None
            ),
            None
        );
        assert_eq!(offer(&[v], None, None), None);
    }
}
