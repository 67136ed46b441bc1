//! Finding OpenPGP keys for a recipient without one: WKD (draft-koch-openpgp-webkey-service,
//! advanced then direct), then keyservers the admin configured (VKS as keys.openpgp.org serves
//! it, or HKP), in that order.
//!
//! The core does no I/O: [`requests`] builds the URLs, the host fetches them, and
//! `Keyring::lookup_candidates` / `Keyring::import_found` judge what came back. A key found this
//! way must carry a valid user ID for the address it was looked up for, must hold no secret,
//! is never trusted (its signatures are `untrusted` until the admin verifies it), never
//! replaces a key already in the keyring (a second key for an address is a visible conflict,
//! and a verified key stays first), and remembers where and when it was found.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

use crate::error::{Error, ErrorCode, Result};
use crate::Address;

/// Where a key was found.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LookupSource {
    /// WKD, advanced method (`openpgpkey.` subdomain).
    WkdAdvanced,
    /// WKD, direct method (the domain itself).
    WkdDirect,
    /// A verifying keyserver (VKS API, keys.openpgp.org).
    Vks,
    /// An HKP keyserver.
    Hkp,
    /// The `Autocrypt` header of a message from the address ([`super::autocrypt`]).
    Autocrypt,
    /// The certificates of a validly signed (or certificates-only) S/MIME message from the
    /// address.
    Mail,
}

impl LookupSource {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            LookupSource::WkdAdvanced => "wkd_advanced",
            LookupSource::WkdDirect => "wkd_direct",
            LookupSource::Vks => "vks",
            LookupSource::Hkp => "hkp",
            LookupSource::Autocrypt => "autocrypt",
            LookupSource::Mail => "mail",
        }
    }
}

/// A keyserver the admin configured, tried after WKD in the order given.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Keyserver {
    /// `vks` or `hkp`.
    pub kind: LookupSource,
    /// Its base URL, https (e.g. `https://keys.openpgp.org`).
    pub url: String,
}

/// One URL for the host to fetch.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LookupRequest {
    /// Where it asks.
    pub source: LookupSource,
    /// What to GET.
    pub url: String,
    /// The Accept header to send.
    pub accept: String,
}

/// Where and when a key of the keyring was found (absent for keys an admin or agent imported).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyOrigin {
    /// The lookup that found it.
    pub source: LookupSource,
    /// When it was imported (for Autocrypt: the Date of the message that offered it), RFC 3339.
    pub found_at: String,
    /// The address it was looked up for.
    pub address: String,
}

/// Characters left as they are in a URL path segment (RFC 3986 unreserved).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Characters left as they are in WKD's `l=` value: the unreserved ones and the sub-delimiters
/// that mean nothing inside a query value (`+` and `'` as GnuPG sends them); `&`, `=`, `#`,
/// `%`, spaces and non-ASCII are escaped.
const QUERY_VALUE: &AsciiSet = &UNRESERVED
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';');

/// The WKD hash of a local part: SHA-1 of it in lower case, z-base-32 (32 characters).
pub(crate) fn wkd_hash(local: &str) -> String {
    z32::encode(&Sha1::digest(Address::wkd_local(local).as_bytes()))
}

/// The address split into local part and domain, lower-cased; `bad_input` if it is not one.
fn split(address: &str) -> Result<(String, String)> {
    let bad = || {
        Error::new(
            ErrorCode::BadInput,
            "A key lookup needs one e-mail address (local@domain).",
        )
    };
    let a = Address::parse(address).map_err(|_| bad())?.normalized();
    // The domain goes into a host name (WKD asks the recipient's domain by name).
    if !a.has_host_name_domain() {
        return Err(bad());
    }
    Ok((a.local().to_string(), a.domain().to_string()))
}

/// The URLs to try for `address`, best first: WKD advanced, WKD direct, then `keyservers`.
pub fn requests(address: &str, keyservers: &[Keyserver]) -> Result<Vec<LookupRequest>> {
    let (local, domain) = split(address)?;
    let hash = wkd_hash(&local);
    let l = utf8_percent_encode(&local, QUERY_VALUE);
    let binary = "application/octet-stream".to_string();
    let mut out = vec![
        LookupRequest {
            source: LookupSource::WkdAdvanced,
            url: format!(
                "https://openpgpkey.{domain}/.well-known/openpgpkey/{domain}/hu/{hash}?l={l}"
            ),
            accept: binary.clone(),
        },
        LookupRequest {
            source: LookupSource::WkdDirect,
            url: format!("https://{domain}/.well-known/openpgpkey/hu/{hash}?l={l}"),
            accept: binary,
        },
    ];
    let whole = utf8_percent_encode(&format!("{local}@{domain}"), UNRESERVED).to_string();
    for server in keyservers {
        let base = server.url.trim_end_matches('/');
        if !base.to_ascii_lowercase().starts_with("https://") {
            return Err(Error::new(
                ErrorCode::BadInput,
                format!("A keyserver must be reached over https: \"{base}\"."),
            ));
        }
        let (url, accept) = match server.kind {
            LookupSource::Vks => (
                format!("{base}/vks/v1/by-email/{whole}"),
                "application/pgp-keys",
            ),
            LookupSource::Hkp => (
                format!("{base}/pks/lookup?op=get&options=mr&search={whole}"),
                "application/pgp-keys",
            ),
            LookupSource::WkdAdvanced
            | LookupSource::WkdDirect
            | LookupSource::Autocrypt
            | LookupSource::Mail => {
                return Err(Error::new(
                    ErrorCode::BadInput,
                    "A keyserver's kind is \"vks\" or \"hkp\".",
                ))
            }
        };
        out.push(LookupRequest {
            source: server.kind,
            url,
            accept: accept.to_string(),
        });
    }
    Ok(out)
}

/// A refresh of one OpenPGP key already held: the same sources, asked by fingerprint
/// (keyservers) or by each of its addresses (WKD).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RefreshRequest {
    /// The key to refresh (its fingerprint, the keyring's id).
    pub id: String,
    /// Where it asks.
    pub source: LookupSource,
    /// What to GET.
    pub url: String,
    /// The Accept header to send.
    pub accept: String,
}

/// What to fetch to refresh the key `id` with `emails`: WKD for each address, then each
/// keyserver by fingerprint.
pub(crate) fn refresh_requests(
    id: &str,
    emails: &[String],
    keyservers: &[Keyserver],
) -> Result<Vec<RefreshRequest>> {
    let mut out = Vec::new();
    for email in emails {
        // An address WKD cannot ask about (no dot in the domain, say) is skipped.
        let Ok(wkd) = requests(email, &[]) else {
            continue;
        };
        out.extend(wkd.into_iter().map(|r| RefreshRequest {
            id: id.to_string(),
            source: r.source,
            url: r.url,
            accept: r.accept,
        }));
    }
    for server in keyservers {
        let base = server.url.trim_end_matches('/');
        if !base.to_ascii_lowercase().starts_with("https://") {
            return Err(Error::new(
                ErrorCode::BadInput,
                format!("A keyserver must be reached over https: \"{base}\"."),
            ));
        }
        let url = match server.kind {
            LookupSource::Vks => format!("{base}/vks/v1/by-fingerprint/{id}"),
            LookupSource::Hkp => format!("{base}/pks/lookup?op=get&options=mr&search=0x{id}"),
            _ => {
                return Err(Error::new(
                    ErrorCode::BadInput,
                    "A keyserver's kind is \"vks\" or \"hkp\".",
                ))
            }
        };
        out.push(RefreshRequest {
            id: id.to_string(),
            source: server.kind,
            url,
            accept: "application/pgp-keys".to_string(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_drafts_example_and_keyserver_urls() {
        // draft-koch-openpgp-webkey-service §3.1: Joe.Doe@Example.ORG.
        assert_eq!(wkd_hash("Joe.Doe"), "iy9q119eutrkn8s1mk4r39qejnbu3n5q");
        let servers = [
            Keyserver {
                kind: LookupSource::Vks,
                url: "https://keys.openpgp.org/".to_string(),
            },
            Keyserver {
                kind: LookupSource::Hkp,
                url: "https://keyserver.ubuntu.com".to_string(),
            },
        ];
        let r = requests("Joe.Doe+help@Example.ORG", &servers).unwrap();
        let urls: Vec<&str> = r.iter().map(|r| r.url.as_str()).collect();
        let hash = wkd_hash("joe.doe+help");
        assert_eq!(
            urls,
            [
                format!("https://openpgpkey.example.org/.well-known/openpgpkey/example.org/hu/{hash}?l=joe.doe+help").as_str(),
                format!("https://example.org/.well-known/openpgpkey/hu/{hash}?l=joe.doe+help").as_str(),
                "https://keys.openpgp.org/vks/v1/by-email/joe.doe%2Bhelp%40example.org",
                "https://keyserver.ubuntu.com/pks/lookup?op=get&options=mr&search=joe.doe%2Bhelp%40example.org",
            ]
        );
    }

    #[test]
    fn query_syntax_in_a_local_part_is_escaped() {
        let r = requests("a&b=c#d%e@example.org", &[]).unwrap();
        assert!(r[0].url.ends_with("?l=a%26b%3Dc%23d%25e"), "{}", r[0].url);
    }

    #[test]
    fn what_is_not_an_address_or_an_https_keyserver_is_refused() {
        for bad in [
            "",
            "joe",
            "joe@",
            "@example.org",
            "joe@exa mple.org",
            "joe@host",
            "joe@ex/ample.org",
        ] {
            assert_eq!(
                requests(bad, &[]).unwrap_err().code(),
                ErrorCode::BadInput,
                "{bad}"
            );
        }
        let plain = [Keyserver {
            kind: LookupSource::Hkp,
            url: "http://keys.example".to_string(),
        }];
        assert_eq!(
            requests("joe@example.org", &plain).unwrap_err().code(),
            ErrorCode::BadInput
        );
    }
}
