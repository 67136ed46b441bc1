//! Who a message is from and to: the addr-specs of a draft or of a raw message's header, and
//! the recipients a host would look a key up for.

use crate::capabilities::Addresses;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::keys::Keyring;
use crate::mime::{parse_mailboxes, Draft, HeaderView, Limits, MimeTree};
use crate::policy::Policy;
use crate::time::Time;

/// The addr-specs of a draft, lower-case.
pub(super) fn draft_addresses(draft: &Draft) -> Result<Addresses> {
    let list = |items: &[String], field: &str| -> Result<Vec<String>> {
        let mut out = Vec::new();
        for item in items {
            for (_, address) in parse_mailboxes(item, field)? {
                out.push(address);
            }
        }
        Ok(out)
    };
    let from = list(std::slice::from_ref(&draft.from), "From")?;
    let [from] = from.as_slice() else {
        return Err(Error::bad_input(
            "The draft needs exactly one From address.",
        ));
    };
    Ok(Addresses {
        from: from.clone(),
        to: list(&draft.to, "To")?,
        cc: list(&draft.cc, "Cc")?,
        bcc: list(&draft.bcc, "Bcc")?,
    })
}

/// The recipients (To, Cc, Bcc) of the outgoing message `raw` for whom no method the policy
/// allows has a usable encryption key: whom a host would look a key up for before `protect`.
/// Read from the header section alone.
pub fn recipients_without_key(
    ring: &Keyring,
    engines: &[&dyn Engine],
    raw: &[u8],
    policy: &Policy,
    now: Time,
) -> Result<Vec<String>> {
    let addresses = raw_addresses(raw, &Limits::default())?;
    let methods = policy.methods();
    let usable: Vec<&&dyn Engine> = engines
        .iter()
        .filter(|e| methods.contains(&e.method()))
        .collect();
    Ok(addresses
        .recipients()
        .into_iter()
        .filter(|r| {
            !usable
                .iter()
                .any(|e| e.encryption_key(ring, r, now).is_ok())
        })
        .collect())
}

/// The addr-specs of a raw message's From / To / Cc / Bcc fields, lower-case.
pub(super) fn raw_addresses(raw: &[u8], limits: &Limits) -> Result<Addresses> {
    let (tree, _) = MimeTree::parse_head(raw, limits)?;
    let view = HeaderView::of(&tree);
    let lower = |v: &[crate::mime::Mailbox]| -> Vec<String> {
        v.iter().map(crate::mime::Mailbox::key).collect()
    };
    let [from] = view.from.as_slice() else {
        return Err(Error::bad_input(
            "The message needs exactly one From address.",
        ));
    };
    // A resent message (RFC 5322 §3.6.6) goes to its Resent- recipients too; Resent-Bcc is
    // as blind as Bcc (its addresses were left out, and the field went out in every copy).
    let listed = |name: &str| -> Result<Vec<String>> {
        let mut out = Vec::new();
        for value in tree.header_values(0, name) {
            if value.trim().is_empty() {
                continue;
            }
            for (_, address) in parse_mailboxes(value.trim(), name)? {
                out.push(address);
            }
        }
        Ok(out)
    };
    let mut to = lower(&view.to);
    to.extend(listed("resent-to")?);
    let mut cc = lower(&view.cc);
    cc.extend(listed("resent-cc")?);
    let mut bcc = listed("bcc")?;
    bcc.extend(listed("resent-bcc")?);
    Ok(Addresses {
        from: from.key(),
        to,
        cc,
        bcc,
    })
}
