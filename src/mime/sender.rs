//! The sender of a message: the addr-spec of its single `From` mailbox (RFC 5322 §3.6.2),
//! refusing messages with several `From` fields or mailboxes. The address rule is
//! [`crate::Address`]'s.

use mail_parser::{Address, HeaderName, HeaderValue};

use super::parse::MimeTree;

/// The sender as the `From` field names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sender {
    /// Exactly one mailbox: its addr-spec in key form ([`crate::Address::key`]: ASCII
    /// lower-case).
    One(String),
    /// No `From` field, or no usable address in it.
    Missing,
    /// Several `From` fields or several mailboxes (or a group): no single sender to bind a
    /// signature to (RFC 5322 §3.6.2 asks for `Sender` then, which a signature does not
    /// cover either).
    Several,
}

impl Sender {
    /// The single addr-spec, if there is exactly one.
    pub fn address(&self) -> Option<&str> {
        match self {
            Sender::One(a) => Some(a),
            _ => None,
        }
    }
}

/// The sender of the message (root `From` fields).
///
/// The addr-spec comes from the angle brackets when there are any: in
/// `"alice@example.com" <mallory@evil.example>` the sender is `mallory@evil.example`.
pub fn sender(tree: &MimeTree<'_>) -> Sender {
    let froms: Vec<&HeaderValue<'_>> = tree
        .root_headers()
        .iter()
        .filter(|h| h.name == HeaderName::From)
        .map(|h| &h.value)
        .collect();
    match froms.as_slice() {
        [] => Sender::Missing,
        [one] => match one {
            HeaderValue::Address(Address::List(list)) => match list.as_slice() {
                [addr] => match addr.address.as_deref().map(crate::Address::parse) {
                    Some(Ok(a)) => Sender::One(a.key()),
                    _ => Sender::Missing,
                },
                [] => Sender::Missing,
                _ => Sender::Several,
            },
            HeaderValue::Address(Address::Group(_)) => Sender::Several,
            _ => Sender::Missing,
        },
        _ => Sender::Several,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mime::parse::Limits;

    fn sender_of(from: &str) -> Sender {
        let raw = format!("{from}\r\nSubject: x\r\n\r\nbody\r\n");
        let tree = MimeTree::parse(raw.as_bytes(), &Limits::default()).unwrap();
        sender(&tree)
    }

    #[test]
    fn sender_takes_the_real_addr_spec() {
        assert_eq!(
            sender_of("From: \"alice@example.com\" <Mallory@Evil.example>"),
            Sender::One("mallory@evil.example".into())
        );
        assert_eq!(
            sender_of("From: alice@example.com <mallory@evil.example>"),
            Sender::One("mallory@evil.example".into())
        );
        assert_eq!(
            sender_of("From: =?UTF-8?Q?alice=40example=2Ecom?= <mallory@evil.example>"),
            Sender::One("mallory@evil.example".into())
        );
        assert_eq!(
            sender_of("From: Alice <alice@example.com>"),
            Sender::One("alice@example.com".into())
        );
        assert_eq!(
            sender_of("From: alice@example.com"),
            Sender::One("alice@example.com".into())
        );
    }

    #[test]
    fn several_or_no_senders_bind_nobody() {
        assert_eq!(
            sender_of("From: alice@example.com\r\nFrom: mallory@evil.example"),
            Sender::Several
        );
        assert_eq!(
            sender_of("From: alice@example.com, mallory@evil.example"),
            Sender::Several
        );
        assert_eq!(
            sender_of("From: friends: alice@example.com;"),
            Sender::Several
        );
        assert_eq!(sender_of("To: bob@example.com"), Sender::Missing);
        assert_eq!(sender_of("From: nobody"), Sender::Missing);
    }
}
