//! The values a team's operations take and return (leaf: the bundle and the keyring methods
//! both use them).

use serde::{Deserialize, Serialize};

use crate::keys::member::MemberPublic;
use crate::keys::{GeneratedPgpKey, Keyring, PendingKeyInfo, PgpKeyAlgorithm, SmimeKeyAlgorithm};

/// What a change did.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TeamChangeKind {
    /// The team was made (its first member is its maker).
    Create,
    /// A member was added.
    AddMember,
    /// A member was removed.
    RemoveMember,
    /// The team's keys were rotated.
    Rotate,
}

impl TeamChangeKind {
    /// The audit-log action of this change.
    pub(crate) fn action(self) -> &'static str {
        match self {
            TeamChangeKind::Create => "team_create",
            TeamChangeKind::AddMember => "team_add_member",
            TeamChangeKind::RemoveMember => "team_remove_member",
            TeamChangeKind::Rotate => "team_rotate",
        }
    }
}

/// One change of a team, as the chain records it (who and when, never key material).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamChangeInfo {
    /// 0 for the creation, then one more per change.
    pub seq: u64,
    /// What changed.
    pub kind: TeamChangeKind,
    /// The member who made (and signed) the change.
    pub by: String,
    /// When, RFC 3339 (the changing member's clock).
    pub at: String,
    /// The member added or removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
}

/// A team bundle opened by one of its members.
pub struct OpenedTeam {
    /// The team's address.
    pub address: String,
    /// The hash of the change that created the team. Anyone can make a team of the same
    /// address and put a member's public member key in it: a member (or a Worker, whose
    /// isolates keep no checkpoint) that opens the bundle for the first time passes the pin it
    /// was given by the team ([`Keyring::team_open_pinned`](crate::Keyring::team_open_pinned)),
    /// and a bundle of another team is refused.
    pub pin: String,
    /// The members now.
    pub members: Vec<MemberPublic>,
    /// The chain of changes, oldest first.
    pub changes: Vec<TeamChangeInfo>,
    /// The team's keyring: the shared keys, to open and protect mail as the team address.
    pub identity: Keyring,
}

impl core::fmt::Debug for OpenedTeam {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("OpenedTeam")
            .field("address", &self.address)
            .field("members", &self.members.len())
            .field("changes", &self.changes.len())
            .finish_non_exhaustive()
    }
}

/// New keys for a rotation; each `None` leaves that standard's keys as they are.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TeamRotation {
    /// A new OpenPGP key (the old ones are kept to decrypt old mail and marked superseded).
    pub openpgp: Option<PgpKeyAlgorithm>,
    /// A new S/MIME key pair and request (the old certificates are kept).
    pub smime: Option<SmimeKeyAlgorithm>,
}

/// What a rotation made: the new bundle and the new keys' public halves.
#[derive(Debug, Clone)]
pub struct TeamRotated {
    /// The bundle with the rotation signed into it.
    pub bundle: Vec<u8>,
    /// The new OpenPGP key, to publish (and its revocation certificate, to keep).
    pub openpgp: Option<GeneratedPgpKey>,
    /// The new S/MIME key's request, for the CA.
    pub smime: Option<PendingKeyInfo>,
}
