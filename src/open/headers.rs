//! The header fields shown: the outer ones, or the protected ones (RFC 9788) with the outer
//! fields they leave out, and which of them a signature covers.

use super::opened::OpenedHeaders;
use crate::mime::{self, HeaderView, MimeTree};

pub(super) fn opened_headers(view: &HeaderView, protected: bool) -> OpenedHeaders {
    let list = |v: &[mime::Mailbox]| v.iter().map(ToString::to_string).collect::<Vec<_>>();
    OpenedHeaders {
        subject: view.subject.clone(),
        // Every mailbox (several From fields or mailboxes never bind a signature; showing only
        // the first would show the signer's next to "not signed by its sender").
        from: (!view.from.is_empty()).then(|| list(&view.from).join(", ")),
        from_address: match view.from.as_slice() {
            [one] => crate::Address::parse(&one.address).ok().map(|a| a.key()),
            _ => None,
        },
        to: list(&view.to),
        cc: list(&view.cc),
        date: view.date.clone(),
        message_id: view.message_id.clone(),
        in_reply_to: view.in_reply_to.clone(),
        references: view.references.clone(),
        protected,
        from_differs: false,
        recipients_differ: false,
        signed_fields: Vec::new(),
        address_flags: mime::address_flags(view),
    }
}

/// Fields a protected header section leaves out are shown from the outer header, as RFC 9788
/// §4.10 renders them: Thunderbird and Enigmail protect Subject, From, To and Message-ID but
/// keep Date (and the threading fields) outside. They are not listed as signed.
pub(super) fn with_outer_fallback(headers: &mut OpenedHeaders, outer: OpenedHeaders) {
    if headers.date.is_none() {
        headers.date = outer.date;
    }
    if headers.message_id.is_none() {
        headers.message_id = outer.message_id;
    }
    if headers.in_reply_to.is_empty() {
        headers.in_reply_to = outer.in_reply_to;
    }
    if headers.references.is_empty() {
        headers.references = outer.references;
    }
    if headers.cc.is_empty() {
        headers.cc = outer.cc;
    }
}

/// The names of the fields `headers` shows.
pub(super) fn shown_fields(headers: &OpenedHeaders) -> Vec<String> {
    let present = [
        ("subject", headers.subject.is_some()),
        ("from", headers.from.is_some()),
        ("to", !headers.to.is_empty()),
        ("cc", !headers.cc.is_empty()),
        ("date", headers.date.is_some()),
        ("message-id", headers.message_id.is_some()),
        ("in-reply-to", !headers.in_reply_to.is_empty()),
        ("references", !headers.references.is_empty()),
    ];
    present
        .into_iter()
        .filter(|(_, shown)| *shown)
        .map(|(name, _)| name.to_string())
        .collect()
}

/// What the message's own header section says.
pub(super) struct OuterFacts {
    pub(super) view: HeaderView,
    pub(super) sender: Option<String>,
    pub(super) autocrypt: Option<crate::keys::autocrypt::AutocryptOffer>,
}

impl OuterFacts {
    pub(super) fn of(outer: &MimeTree<'_>) -> Self {
        let view = HeaderView::of(outer);
        let sender = mime::sender(outer).address().map(str::to_string);
        // A delivery report (a bounce) quotes other people's mail: its headers are no offer
        // (Autocrypt Level 1 §2.3).
        let autocrypt = (!outer.root().content_type.is("multipart/report"))
            .then(|| {
                crate::keys::autocrypt::offer(
                    &outer.header_values(0, "autocrypt"),
                    sender.as_deref(),
                    view.date.as_deref(),
                )
            })
            .flatten();
        OuterFacts {
            view,
            sender,
            autocrypt,
        }
    }
}
