//! E-mail addresses: the one place that parses, normalises and compares them (issue 17).
//!
//! Every address mailseal reads (a `From` field, a draft's recipients, an OpenPGP user ID, a
//! certificate's rfc822Name, an Autocrypt `addr`, a lookup request) goes through [`Address`],
//! so a signature binds to a sender, a key is found for a recipient and a header is compared
//! with its protected copy by the same rule.
//!
//! **Parsing.** An addr-spec `local@domain` (RFC 5322 §3.4.1), trimmed: exactly one `@`, a
//! non-empty local part and domain, and no white space, control character or any of
//! `< > ( ) , ; "`. Quoted local parts (`"john doe"@example.org`, `"a@b"@example.org`) are not
//! accepted: no certificate or user ID a helpdesk meets uses them, and they are a classic way to
//! make an address read as another one. A display name around it (`Name <addr>`) is taken off
//! by [`Address::from_user_id`] only; header fields are parsed by `mail-parser` first.
//!
//! **Comparing.** Two addresses are the same when they are equal after ASCII lower-casing of
//! the whole address ([`Address::key`]): domains are case-insensitive (RFC 4343), and local
//! parts are treated so by every mail system in practice although RFC 5321 §2.4 allows
//! otherwise. Non-ASCII letters are compared as written, without Unicode case mapping or
//! normalisation: Unicode lower-casing maps some letters onto ASCII ones (KELVIN SIGN `K` to
//! `k`, `İ` to `i̇`), which would let a key made for a lookalike address match the real one.
//! A case difference in a non-ASCII letter therefore fails closed (no key found, a
//! `sender_mismatch`), never the other way round. For the same reason no IDNA mapping is done:
//! an A-label domain (`xn--mnchen-3ya.de`) and its U-label (`münchen.de`) are different keys.
//!
//! **Showing.** [`Address::as_str`] (and `Display`) is the address as written; the key is what
//! lists, lookups and bindings store. Lookalike addresses (mixed scripts, UTS #39) are found by
//! [`Address::mixes_scripts`], addresses inside free text (a display name) by
//! [`Address::find_in`].

use core::fmt;

use serde::Serialize;
use unicode_security::MixedScript;

use crate::error::{Error, ErrorCode, Result};

/// An address taken apart, as JavaScript gets it (`parseAddress`).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParsedAddress {
    /// The address as written (trimmed): for showing it.
    pub address: String,
    /// The form to compare, store and look up ([`Address::key`]: ASCII lower-case).
    pub key: String,
    /// The local part as written.
    pub local: String,
    /// The domain in key form (ASCII lower-case): compare domains with this.
    pub domain: String,
    /// Whether keys can be looked up for it (WKD, keyservers): its domain is a DNS host name
    /// ([`Address::has_host_name_domain`]).
    pub lookup: bool,
}

/// One e-mail address (an addr-spec), as written, with its `@` found.
#[derive(Debug, Clone)]
pub struct Address {
    text: String,
    at: usize,
}

impl Address {
    /// A bare addr-spec (surrounding white space ignored); `bad_input` when `text` is not one.
    pub fn parse(text: &str) -> Result<Address> {
        Address::checked(text.trim()).ok_or_else(|| {
            Error::new(
                ErrorCode::BadInput,
                "This is not one e-mail address (local@domain).",
            )
        })
    }

    /// The address of an OpenPGP user ID: the addr-spec in its angle brackets
    /// (`Name <addr>`), or the whole user ID when it is a bare address. A user ID with more
    /// than one pair of angle brackets (`Mallory <m@evil.example> <alice@example.org>`) has no
    /// address: which one it means is ambiguous (GnuPG takes the first, other tools the last),
    /// and an ambiguous binding fails closed, as a From field with several mailboxes does.
    pub fn from_user_id(uid: &str) -> Option<Address> {
        let brackets = |c: char| uid.matches(c).count();
        let candidate = match (uid.find('<'), uid.find('>')) {
            _ if brackets('<') > 1 || brackets('>') > 1 => return None,
            (Some(open), Some(close)) if open < close => uid.get(open + 1..close)?,
            _ => uid,
        };
        Address::checked(candidate.trim())
    }

    fn checked(text: &str) -> Option<Address> {
        let at = text.find('@')?;
        let (local, domain) = (&text[..at], &text[at + 1..]);
        let ok = !local.is_empty()
            && !domain.is_empty()
            && !domain.contains('@')
            && !text
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>(),;\"".contains(c));
        ok.then(|| Address {
            text: text.to_string(),
            at,
        })
    }

    /// The address as written (trimmed): for showing it.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The local part as written.
    pub fn local(&self) -> &str {
        &self.text[..self.at]
    }

    /// The domain as written.
    pub fn domain(&self) -> &str {
        &self.text[self.at + 1..]
    }

    /// The form to compare, store and look up: ASCII lower-cased (see the module doc).
    pub fn key(&self) -> String {
        self.text.to_ascii_lowercase()
    }

    /// The address in key form, as an `Address` (its local part and domain lower-cased).
    pub fn normalized(&self) -> Address {
        // ASCII lower-casing keeps every byte offset, so `at` stays right.
        Address {
            text: self.key(),
            at: self.at,
        }
    }

    /// The key of text that may not be a valid address (an address from a caller or a
    /// certificate, compared with the keys of valid ones): trimmed, ASCII lower-cased. The same
    /// as `Address::parse(text)?.key()` when it parses; otherwise it matches no valid address.
    pub fn key_of(text: &str) -> String {
        text.trim().to_ascii_lowercase()
    }

    /// The address taken apart ([`ParsedAddress`]).
    pub fn parsed(&self) -> ParsedAddress {
        let key = self.normalized();
        ParsedAddress {
            address: self.text.clone(),
            local: self.local().to_string(),
            domain: key.domain().to_string(),
            lookup: self.has_host_name_domain(),
            key: key.text,
        }
    }

    /// Whether the domain is a DNS host name that can be asked for keys (WKD, keyservers):
    /// letters, digits, dots and hyphens, at least two labels, not an address literal.
    pub fn has_host_name_domain(&self) -> bool {
        let domain = self.domain();
        let labels_ok = domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
        // A trailing dot (`localhost.`) is the same name as without it; an empty label is no
        // host name at all. Both are refused, and with them any spelling of a local name.
        labels_ok
            && domain.contains('.')
            && !domain.chars().all(|c| c.is_ascii_digit() || c == '.')
            && !is_local_name(&domain.to_ascii_lowercase())
    }

    /// A local part as the WKD hash takes it (draft-koch-openpgp-webkey-service §3.1 maps it to
    /// lower case): Unicode lower-casing, as since lookups were added, so the URLs stay.
    pub fn wkd_local(local: &str) -> String {
        local.to_lowercase()
    }

    /// The domain of a possibly invalid address (the text after its last `@`), for a
    /// Message-ID's right side.
    pub fn domain_of(text: &str) -> Option<&str> {
        text.rsplit_once('@').map(|(_, d)| d)
    }

    /// Whether `text` (an address as a header names it) mixes scripts in its local part or in
    /// a domain label: a lookalike of another address (UTS #39 §5.1).
    pub fn mixes_scripts(text: &str) -> bool {
        let (local, domain) = text.rsplit_once('@').unwrap_or((text, ""));
        !local.is_single_script() || domain.split('.').any(|label| !label.is_single_script())
    }

    /// `text` with the look-alikes of the characters that make an address (`@`, `.`, `<`,
    /// `>`: fullwidth, small and other forms that render like them) mapped to ASCII and the
    /// direction controls and invisible characters removed: what a display name reads as.
    /// A name such as `alice＠example.com` (U+FF20) then shows that it holds an address.
    pub fn fold_lookalikes(text: &str) -> String {
        text.chars()
            .filter(|&c| !is_invisible_format(c))
            .map(|c| match c {
                '\u{FF20}' | '\u{FE6B}' => '@',
                '\u{FF0E}' | '\u{2024}' | '\u{FE52}' | '\u{3002}' | '\u{FF61}' => '.',
                '\u{FF1C}' | '\u{FE64}' | '\u{2039}' | '\u{3008}' | '\u{2329}' | '\u{27E8}' => '<',
                '\u{FF1E}' | '\u{FE65}' | '\u{203A}' | '\u{3009}' | '\u{232A}' | '\u{27E9}' => '>',
                _ => c,
            })
            .collect()
    }

    /// What looks like an address in free text (a display name): `local@domain.tld` between
    /// delimiters.
    pub fn find_in(text: &str) -> impl Iterator<Item = &str> {
        text.split(|c: char| c.is_whitespace() || "<>()[]\"',;:".contains(c))
            .filter(|word| {
                word.split_once('@').is_some_and(|(local, domain)| {
                    !local.is_empty() && domain.contains('.') && !domain.ends_with('.')
                })
            })
    }

    /// Whether two addresses as written (either possibly invalid) are the same by the key.
    pub fn same(a: &str, b: &str) -> bool {
        Address::key_of(a) == Address::key_of(b)
    }

    /// Whether the certificate e-mail address `email` lies in the rfc822Name name constraint
    /// `constraint` (RFC 5280 §4.2.1.10): `user@host` one mailbox (the local part exact, the
    /// host case-insensitive), `host` every address at that host, `.example.com` every address
    /// in a subdomain.
    pub fn in_rfc822_constraint(constraint: &str, email: &str) -> bool {
        let Some((local, host)) = email.rsplit_once('@') else {
            return false;
        };
        if let Some((c_local, c_host)) = constraint.rsplit_once('@') {
            return c_local == local && c_host.eq_ignore_ascii_case(host);
        }
        if constraint.starts_with('.') {
            return host.len() >= constraint.len()
                && host
                    .get(host.len() - constraint.len()..)
                    .is_some_and(|end| end.eq_ignore_ascii_case(constraint));
        }
        host.eq_ignore_ascii_case(constraint)
    }
}

/// Same key: ASCII case-insensitive.
impl PartialEq for Address {
    fn eq(&self, other: &Address) -> bool {
        self.text.eq_ignore_ascii_case(&other.text)
    }
}

impl Eq for Address {}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Direction controls that reorder what follows them (embeddings, overrides, isolates:
/// U+202A-U+202E, U+2066-U+2069): `\u{202E}moc.elpmaxe@ecila` renders as `alice@example.com`.
pub fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Direction controls and the invisible characters that split a word without showing
/// (zero-width space and joiners, word joiner, BOM, soft hyphen, direction marks).
fn is_invisible_format(c: char) -> bool {
    is_direction_control(c)
        || matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
        )
}

/// Special-use names that resolve on the fetcher's own network, never to the recipient's
/// domain (RFC 6761 §6.3 `localhost`, RFC 6762 `local`, RFC 8375 `home.arpa`, ICANN's
/// `internal`): a key lookup to such a domain would make a Worker or the page fetch inside its
/// own network.
fn is_local_name(domain: &str) -> bool {
    ["localhost", "local", "internal", "home.arpa", "localdomain"]
        .iter()
        .any(|name| domain == *name || domain.ends_with(&format!(".{name}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_one_addr_spec() {
        let a = Address::parse("  Alice.B@Example.COM ").unwrap();
        assert_eq!(a.as_str(), "Alice.B@Example.COM");
        assert_eq!((a.local(), a.domain()), ("Alice.B", "Example.COM"));
        assert_eq!(a.key(), "alice.b@example.com");
        assert_eq!(a, Address::parse("alice.b@example.com").unwrap());
        for bad in [
            "",
            "nobody",
            "@example.org",
            "joe@",
            "a@b@c.d",
            "joe@exa mple.org",
            "\"a@b\"@evil.example",
            "a@b\r\nBcc: x@y",
            "<a@example.org>",
        ] {
            assert_eq!(
                Address::parse(bad).unwrap_err().code(),
                ErrorCode::BadInput,
                "{bad:?}"
            );
        }
    }

    /// Keys are looked up (WKD, keyservers) only for a public DNS name: no address literal,
    /// no local name in any spelling (a trailing dot is the same name), no empty label. A
    /// customer's address `a@localhost.` made a Worker fetch its own loopback (web sweep 15).
    #[test]
    fn lookups_only_for_public_host_names() {
        let lookup = |a: &str| Address::parse(a).unwrap().has_host_name_domain();
        for ok in [
            "a@example.org",
            "a@mail.Example.ORG",
            "a@xn--bcher-kva.example",
        ] {
            assert!(lookup(ok), "{ok}");
        }
        for local in [
            "a@localhost",
            "a@localhost.",
            "a@LOCALHOST.",
            "a@foo.localhost",
            "a@foo.localhost.",
            "a@example.org.",
            "a@printer.local",
            "a@db.internal",
            "a@nas.home.arpa",
            "a@box.localdomain",
            "a@127.0.0.1",
            "a@10.1",
            "a@example..org",
            "a@-example.org",
            "a@example-.org",
            "a@exa_mple.org",
            "a@intranet",
        ] {
            assert!(!lookup(local), "{local}");
        }
    }

    #[test]
    fn only_ascii_letters_fold() {
        // KELVIN SIGN lower-cases to an ASCII k in Unicode: it must not become kate's address.
        let kelvin = Address::parse("\u{212a}ate@example.org").unwrap();
        assert_ne!(kelvin.key(), "kate@example.org");
        assert_ne!(kelvin, Address::parse("kate@example.org").unwrap());
        assert_eq!(
            Address::parse("ÄRGER@Example.org").unwrap().key(),
            "Ärger@example.org"
        );
        assert!(Address::same(" Bob@Example.org", "bob@example.ORG "));
    }

    #[test]
    fn user_ids_and_constraints() {
        let a = Address::from_user_id("Name (comment) <X@Y.z>").unwrap();
        assert_eq!(a.key(), "x@y.z");
        assert!(Address::from_user_id("No Address").is_none());
        // two addresses: ambiguous, none (found by the verdict sweep: the last one was bound)
        assert!(Address::from_user_id("Mallory <m@evil.example> <alice@example.org>").is_none());
        assert!(Address::from_user_id("Mallory <alice@example.org> <m@evil.example>").is_none());
        assert!(Address::in_rfc822_constraint(
            "Joe@EXAMPLE.com",
            "Joe@example.COM"
        ));
        assert!(!Address::in_rfc822_constraint(
            "joe@example.com",
            "Joe@example.com"
        ));
        assert!(Address::in_rfc822_constraint(
            ".example.com",
            "a@Mail.Example.com"
        ));
        assert!(!Address::in_rfc822_constraint(
            ".example.com",
            "a@example.com"
        ));
        assert!(Address::in_rfc822_constraint(
            "example.com",
            "a@EXAMPLE.com"
        ));
    }
}
