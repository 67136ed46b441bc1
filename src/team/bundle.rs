//! The team bundle: JSON holding the chain of signed changes, the team's keyring sealed under
//! the team key (src/keys/vault.rs, keyed form), and the team key wrapped once per member.
//!
//! ```text
//! { "format": "mailseal-team/1", "address": "support@example.org",
//!   "changes": [ { "seq": 0, "kind": "create", "by": <member id>, "at": <RFC 3339>,
//!                  "prev": "", "members": [...], "state": <hex>, "sig": <hex> }, ... ],
//!   "identity": <base64 sealed keyring>, "wraps": [ { "member": <id>, ... } ] }
//! ```
//!
//! Each change is signed (Ed25519) by `by` over a domain-separated encoding of the team
//! address and every field but `sig`; `prev` is the SHA-256 of the previous change as written,
//! `members` the members after it, `state` the SHA-256 of what the change sealed (the identity
//! and the wraps). Only the last change's `state` can be checked against the bundle: older
//! ones name content that was replaced.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::types::{OpenedTeam, TeamChangeInfo, TeamChangeKind};
use crate::error::{Error, ErrorCode, Result};
use crate::keys::member::{refused, Checkpoint, MemberPublic, MemberSeed, Wrap};
use crate::keys::Keyring;
use crate::rng::Rng;
use crate::time::Time;

const FORMAT: &str = "mailseal-team/1";
const SIGNING_CONTEXT: &[u8] = b"mailseal team change v1\0";
/// Most members of a team, and changes in its chain.
const MAX_MEMBERS: usize = 256;
const MAX_CHANGES: usize = 100_000;
/// Largest bundle read.
const MAX_BUNDLE: usize = 32 * 1024 * 1024;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangeBody {
    seq: u64,
    kind: TeamChangeKind,
    by: String,
    at: String,
    prev: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    member: Option<String>,
    members: Vec<MemberPublic>,
    state: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Change {
    #[serde(flatten)]
    body: ChangeBody,
    sig: String,
}

impl Change {
    fn hash(&self) -> Result<String> {
        let json = serde_json::to_vec(self).map_err(|_| Error::internal("team change"))?;
        Ok(hex::encode(Sha256::digest(json)))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Bundle {
    format: String,
    pub(crate) address: String,
    changes: Vec<Change>,
    identity: String,
    wraps: Vec<Wrap>,
}

/// What a change's signature covers.
fn signed_message(address: &str, body: &ChangeBody) -> Result<Vec<u8>> {
    let mut out = SIGNING_CONTEXT.to_vec();
    out.extend_from_slice(address.as_bytes());
    out.push(0);
    out.extend(serde_json::to_vec(body).map_err(|_| Error::internal("team change"))?);
    Ok(out)
}

/// What the wraps are bound to: the team and the change that made them.
fn wrap_context(address: &str, seq: u64) -> Vec<u8> {
    format!("mailseal team v1\0{address}\0{seq}").into_bytes()
}

fn state_hash(address: &str, identity: &str, wraps: &[Wrap]) -> Result<String> {
    let mut h = Sha256::new();
    h.update(address.as_bytes());
    h.update([0]);
    h.update(identity.as_bytes());
    h.update([0]);
    h.update(serde_json::to_vec(wraps).map_err(|_| Error::internal("team wraps"))?);
    Ok(hex::encode(h.finalize()))
}

/// The team key, the identity sealed under it and the wraps for `members`.
fn seal_for(
    address: &str,
    seq: u64,
    identity: &Keyring,
    members: &[MemberPublic],
    rng: &mut dyn Rng,
) -> Result<(String, Vec<Wrap>)> {
    let mut team_key = zeroize::Zeroizing::new([0u8; 32]);
    rng.fill_bytes(team_key.as_mut());
    let sealed = B64.encode(identity.seal_with_key(team_key.as_ref(), rng)?);
    let context = wrap_context(address, seq);
    let wraps = members
        .iter()
        .map(|m| m.wrap(team_key.as_ref(), &context, rng))
        .collect::<Result<Vec<_>>>()?;
    Ok((sealed, wraps))
}

impl Bundle {
    pub(crate) fn create(
        address: &str,
        seed: &MemberSeed,
        me: MemberPublic,
        identity: &Keyring,
        rng: &mut dyn Rng,
        now: Time,
    ) -> Result<Bundle> {
        let members = vec![me];
        let (identity, wraps) = seal_for(address, 0, identity, &members, rng)?;
        let body = ChangeBody {
            seq: 0,
            kind: TeamChangeKind::Create,
            by: members[0].id.clone(),
            at: now.to_rfc3339(),
            prev: String::new(),
            member: None,
            state: state_hash(address, &identity, &wraps)?,
            members,
        };
        let sig = hex::encode(seed.sign(&signed_message(address, &body)?));
        Ok(Bundle {
            format: FORMAT.to_string(),
            address: address.to_string(),
            changes: vec![Change { body, sig }],
            identity,
            wraps,
        })
    }

    pub(crate) fn read(data: &[u8]) -> Result<Bundle> {
        if data.len() > MAX_BUNDLE {
            return Err(Error::new(
                ErrorCode::TooLarge,
                "The team bundle is too large.",
            ));
        }
        let bundle: Bundle = serde_json::from_slice(data)
            .map_err(|_| refused("This is not a team bundle, or it was changed."))?;
        if bundle.format != FORMAT {
            return Err(Error::new(
                ErrorCode::UnsupportedFormat,
                "The team bundle is of a format this version does not read.",
            ));
        }
        Ok(bundle)
    }

    pub(crate) fn write(&self) -> Result<Vec<u8>> {
        serde_json::to_vec(self).map_err(|_| Error::internal("team bundle"))
    }

    fn last(&self) -> Result<&Change> {
        self.changes
            .last()
            .ok_or_else(|| refused("The team bundle has no changes."))
    }

    pub(crate) fn checkpoint(&self) -> Checkpoint {
        let last = self.changes.last();
        Checkpoint {
            seq: last.map_or(0, |c| c.body.seq),
            hash: last.and_then(|c| c.hash().ok()).unwrap_or_default(),
        }
    }

    /// The whole chain: each change signed by a member of the team before it (the maker for
    /// the first), linked to the one before, its member list what its kind says; the last one
    /// sealed exactly what the bundle holds, with one wrap per member.
    pub(crate) fn verify(&self) -> Result<()> {
        // One spelling per team (`support@example.org.` is no other team): checkpoints and
        // pins are kept by the address.
        let key_form = crate::Address::parse(&self.address).map(|a| a.key());
        if key_form.as_deref() != Ok(self.address.as_str()) || self.address.ends_with('.') {
            return Err(refused(
                "The team bundle's address is not one plain address.",
            ));
        }
        if self.changes.is_empty() || self.changes.len() > MAX_CHANGES {
            return Err(refused(
                "The team bundle's chain of changes is empty or too long.",
            ));
        }
        let mut before: Option<&Change> = None;
        for (i, change) in self.changes.iter().enumerate() {
            let body = &change.body;
            if body.seq != i as u64 || body.members.is_empty() || body.members.len() > MAX_MEMBERS {
                return Err(refused("A change is missing from the team's chain."));
            }
            for m in &body.members {
                m.check()
                    .map_err(|_| refused("A member key in the team is malformed."))?;
            }
            let signers = match before {
                None => {
                    if body.kind != TeamChangeKind::Create || !body.prev.is_empty() {
                        return Err(refused(
                            "The team's chain does not start with its creation.",
                        ));
                    }
                    &body.members
                }
                Some(prev) => {
                    if body.prev != prev.hash()? {
                        return Err(refused(
                            "A change is missing from the team's chain, or one was altered.",
                        ));
                    }
                    members_follow(&prev.body.members, body)?;
                    &prev.body.members
                }
            };
            let signer = signers.iter().find(|m| m.id == body.by).ok_or_else(|| {
                refused("A change to the team was made by someone who was not a member.")
            })?;
            let sig = hex::decode(&change.sig).unwrap_or_default();
            if !signer.signed(&signed_message(&self.address, body)?, &sig) {
                return Err(refused(
                    "A change to the team is not signed by its member: it was altered.",
                ));
            }
            before = Some(change);
        }
        let last = self.last()?;
        if last.body.state != state_hash(&self.address, &self.identity, &self.wraps)? {
            return Err(refused(
                "The team bundle's content was altered after its last change.",
            ));
        }
        let wrapped: std::collections::BTreeSet<&str> =
            self.wraps.iter().map(|w| w.member.as_str()).collect();
        let members: std::collections::BTreeSet<&str> =
            last.body.members.iter().map(|m| m.id.as_str()).collect();
        if wrapped != members || self.wraps.len() != members.len() {
            return Err(refused(
                "The team key is not wrapped for exactly the team's members.",
            ));
        }
        Ok(())
    }

    /// The team's pin: the hash of the change that created it. Anyone can create a team of
    /// the same address and add a member's public member key to it; the pin tells the team
    /// that member was added to from such a one.
    pub(crate) fn pin(&self) -> Result<String> {
        self.changes
            .first()
            .ok_or_else(|| refused("The team bundle has no changes."))?
            .hash()
    }

    /// Refuses a bundle older than `seen` (a rollback) or with another history (a fork).
    pub(crate) fn not_older_than(&self, seen: &Checkpoint) -> Result<()> {
        let Some(at) = usize::try_from(seen.seq)
            .ok()
            .and_then(|i| self.changes.get(i))
        else {
            return Err(Error::new(
                ErrorCode::TeamRolledBack,
                "This team bundle is older than the one last opened here: it was rolled back. \
                 The newer one stays.",
            ));
        };
        if at.hash()? != seen.hash {
            return Err(refused(
                "This team bundle's history differs from the one last opened here.",
            ));
        }
        Ok(())
    }

    /// The team's keyring, opened with this member's wrap.
    pub(crate) fn open(&self, seed: &MemberSeed) -> Result<OpenedTeam> {
        let last = self.last()?;
        let me = seed.public("");
        let wrap = self
            .wraps
            .iter()
            .find(|w| w.member == me.id)
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::NotAMember,
                    "This member key is not (or no longer) a member of the team.",
                )
            })?;
        let team_key = seed
            .unwrap(wrap, &wrap_context(&self.address, last.body.seq))
            .ok_or_else(|| refused("This member's wrapped team key was altered."))?;
        let sealed = B64
            .decode(&self.identity)
            .map_err(|_| refused("The team's sealed keys were altered."))?;
        let identity = Keyring::unseal_with_key(&sealed, &team_key)?;
        let name_of = |id: &str| {
            self.changes
                .iter()
                .rev()
                .flat_map(|c| c.body.members.iter())
                .find(|m| m.id == id)
                .map_or_else(|| id.to_string(), |m| m.name.clone())
        };
        Ok(OpenedTeam {
            address: self.address.clone(),
            pin: self.pin()?,
            members: last.body.members.clone(),
            changes: self
                .changes
                .iter()
                .map(|c| TeamChangeInfo {
                    seq: c.body.seq,
                    kind: c.body.kind,
                    by: name_of(&c.body.by),
                    at: c.body.at.clone(),
                    member: c.body.member.as_deref().map(name_of),
                })
                .collect(),
            identity,
        })
    }

    /// This bundle with one more change, made and signed by `seed`'s member: a new team key,
    /// the identity sealed under it, wraps for `members`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn change(
        &self,
        seed: &MemberSeed,
        kind: TeamChangeKind,
        member: Option<String>,
        members: Vec<MemberPublic>,
        identity: &Keyring,
        rng: &mut dyn Rng,
        now: Time,
    ) -> Result<Bundle> {
        let last = self.last()?;
        let seq = last.body.seq + 1;
        let me = seed.public("");
        if !last.body.members.iter().any(|m| m.id == me.id) {
            return Err(Error::new(
                ErrorCode::NotAMember,
                "Only a member changes the team.",
            ));
        }
        if members.len() > MAX_MEMBERS {
            return Err(Error::new(
                ErrorCode::TooLarge,
                "A team has at most 256 members.",
            ));
        }
        let (identity, wraps) = seal_for(&self.address, seq, identity, &members, rng)?;
        let body = ChangeBody {
            seq,
            kind,
            by: me.id,
            at: now.to_rfc3339(),
            prev: last.hash()?,
            member,
            state: state_hash(&self.address, &identity, &wraps)?,
            members,
        };
        let sig = hex::encode(seed.sign(&signed_message(&self.address, &body)?));
        let mut changes = self.changes.clone();
        changes.push(Change { body, sig });
        Ok(Bundle {
            format: FORMAT.to_string(),
            address: self.address.clone(),
            changes,
            identity,
            wraps,
        })
    }
}

/// The members after a change are what its kind says of the members before it.
fn members_follow(before: &[MemberPublic], change: &ChangeBody) -> Result<()> {
    let ids =
        |list: &[MemberPublic]| -> Vec<String> { list.iter().map(|m| m.id.clone()).collect() };
    let (old, new) = (ids(before), ids(&change.members));
    let consistent = match (change.kind, change.member.as_deref()) {
        (TeamChangeKind::AddMember, Some(added)) => {
            !old.iter().any(|id| id == added)
                && new.len() == old.len() + 1
                && new.iter().any(|id| id == added)
                && old.iter().all(|id| new.contains(id))
        }
        (TeamChangeKind::RemoveMember, Some(removed)) => {
            old.iter().any(|id| id == removed)
                && new.len() + 1 == old.len()
                && !new.iter().any(|id| id == removed)
                && new.iter().all(|id| old.contains(id))
        }
        (TeamChangeKind::Rotate, None) => old == new,
        _ => false,
    };
    if consistent {
        Ok(())
    } else {
        Err(refused(
            "A change to the team's members does not match what it says it did.",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rng(seed: u64) -> rand::rngs::StdRng {
        rand::SeedableRng::seed_from_u64(seed)
    }

    /// A team under another spelling of an address (`support@example.org.`, capitals) kept
    /// its own checkpoint: a member who had one for the team was asked to trust the other
    /// spelling from scratch (found by the key sweep). Such a bundle is refused.
    #[test]
    fn a_team_address_in_another_spelling_is_refused() {
        let alice = MemberSeed::new(&mut rng(1));
        let now = Time::from_unix(1_796_083_200);
        for address in ["support@example.org.", "Support@example.org"] {
            let bundle = Bundle::create(
                address,
                &alice,
                alice.public("Alice"),
                &Keyring::new(),
                &mut rng(3),
                now,
            )
            .unwrap();
            assert_eq!(
                bundle.verify().unwrap_err().code(),
                ErrorCode::TeamRefused,
                "{address}"
            );
        }
    }

    #[test]
    fn a_change_signed_by_someone_outside_the_team_is_refused() {
        let alice = MemberSeed::new(&mut rng(1));
        let mallory = MemberSeed::new(&mut rng(2));
        let now = Time::from_unix(1_796_083_200);
        let bundle = Bundle::create(
            "support@example.org",
            &alice,
            alice.public("Alice"),
            &Keyring::new(),
            &mut rng(3),
            now,
        )
        .unwrap();
        assert!(bundle.verify().is_ok());
        // Mallory cannot make a change through the API...
        let members = vec![alice.public("Alice"), mallory.public("Mallory")];
        let e = bundle
            .change(
                &mallory,
                TeamChangeKind::AddMember,
                Some(mallory.public("").id),
                members.clone(),
                &Keyring::new(),
                &mut rng(4),
                now,
            )
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::NotAMember);
        // ... and one she writes herself, well-formed and signed by her, is refused on load.
        let mut forged = bundle.clone();
        let (identity, wraps) =
            seal_for(&forged.address, 1, &Keyring::new(), &members, &mut rng(5)).unwrap();
        let body = ChangeBody {
            seq: 1,
            kind: TeamChangeKind::AddMember,
            by: mallory.public("").id,
            at: now.to_rfc3339(),
            prev: forged.changes[0].hash().unwrap(),
            member: Some(mallory.public("").id),
            state: state_hash(&forged.address, &identity, &wraps).unwrap(),
            members,
        };
        let sig = hex::encode(mallory.sign(&signed_message(&forged.address, &body).unwrap()));
        forged.changes.push(Change { body, sig });
        forged.identity = identity;
        forged.wraps = wraps;
        let e = forged.verify().unwrap_err();
        assert_eq!(e.code(), ErrorCode::TeamRefused);
        assert!(e.to_string().contains("not a member"), "{e}");
    }
}
