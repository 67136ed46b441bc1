//! Team identities (issue 16): one address (support@, billing@) whose private keys many agents
//! use, without a server that can read them. docs/team.md has the construction and its limits.
//!
//! - Every member has a **member key** in their own keyring (sealed with their password, or
//!   with a Worker's key): an Ed25519 key that signs the changes they make and an X25519 key
//!   the team key is wrapped to, both derived from one random 32-byte seed (`member.rs`).
//! - The **team bundle** holds the team's keyring (the shared S/MIME / OpenPGP keys) sealed
//!   under a random **team key**, that team key wrapped once per member, and the **chain of
//!   changes** (create, add, remove, rotate), each signed by the member who made it, each
//!   naming the hash of the one before and the members after it; the last one also the hash
//!   of the sealed content (`bundle.rs`).
//! - Opening checks the whole chain, refuses a bundle older than the last one this member
//!   opened (the member's keyring keeps a checkpoint), then unwraps and unseals.
//! - Every change draws a new team key: a removed member's old wrap opens nothing current.

mod bundle;
mod types;

pub use crate::keys::member::MemberPublic;
pub use types::{OpenedTeam, TeamChangeInfo, TeamChangeKind, TeamRotated, TeamRotation};

use crate::error::{Error, ErrorCode, Result};
use crate::keys::member;
use crate::keys::{AuditEvent, GenerateOpenPgp, GenerateSmime, Keyring};
use crate::rng::Rng;
use crate::time::Time;

impl Keyring {
    /// This keyring's member key (made on first use, sealed with the keyring): what a team
    /// admits. `name` labels it in the team's members and changes.
    pub fn member_key(&mut self, name: &str, rng: &mut dyn Rng, now: Time) -> Result<MemberPublic> {
        let name = member::checked_name(name)?;
        if self.member.is_none() {
            self.member = Some(member::MemberSeed::new(rng));
            self.record(AuditEvent::key_management(now, "member_key", &[]));
        }
        self.member_name = Some(name);
        self.member_public()
    }

    fn member_public(&self) -> Result<MemberPublic> {
        let seed = self.member.as_ref().ok_or_else(member::no_member_key)?;
        Ok(seed.public(self.member_name.as_deref().unwrap_or("")))
    }

    /// Creates the team bundle of `address` with `identity` (the team's keys) and this keyring's
    /// member as its only member.
    pub fn team_create(
        &mut self,
        address: &str,
        identity: &Keyring,
        rng: &mut dyn Rng,
        now: Time,
    ) -> Result<Vec<u8>> {
        let address = crate::Address::parse(address)
            .ok()
            .filter(|a| !a.domain().ends_with('.'))
            .map(|a| a.key())
            .ok_or_else(|| Error::bad_input("A team needs one e-mail address (name@domain)."))?;
        let me = self.member_public()?;
        let seed = self.member.as_ref().ok_or_else(member::no_member_key)?;
        let out = bundle::Bundle::create(&address, seed, me, identity, rng, now)?;
        self.after_change(&out, TeamChangeKind::Create, now)
    }

    /// Opens a team bundle as this keyring's member: the whole chain checked, not older than
    /// the last one this member opened, the team key unwrapped, the team's keyring unsealed.
    ///
    /// Errors: `team_refused` (changed bytes, a missing change, a change by a non-member),
    /// `team_rolled_back` (older than the last one opened), `not_a_member`, `corrupt_vault`.
    pub fn team_open(&mut self, data: &[u8], now: Time) -> Result<OpenedTeam> {
        self.team_open_pinned(data, None, now)
    }

    /// [`Keyring::team_open`] of the team whose pin ([`OpenedTeam::pin`]: the hash of its
    /// creation) is `pin`: a bundle of another team of the same address, which anyone can make
    /// and add a member's public key to, is `team_refused` even where no checkpoint of the team
    /// is kept yet (a new member, every new Worker isolate).
    pub fn team_open_pinned(
        &mut self,
        data: &[u8],
        pin: Option<&str>,
        now: Time,
    ) -> Result<OpenedTeam> {
        let result = self.open_checked(data).and_then(|(b, opened)| match pin {
            Some(pin) if !pin.trim().eq_ignore_ascii_case(&opened.pin) => Err(Error::new(
                ErrorCode::TeamRefused,
                "This team bundle is not of the team the pin names: it was created by \
                     someone else under the same address.",
            )),
            _ => Ok((b.checkpoint(), opened)),
        });
        match result {
            Ok((checkpoint, opened)) => {
                self.team_checkpoints
                    .insert(opened.address.clone(), checkpoint);
                Ok(opened)
            }
            Err(e) => {
                let mut event = AuditEvent::key_management(now, "team_open", &[]);
                event.outcome = "error".to_string();
                event.code = Some(e.code().as_str().to_string());
                self.record(event);
                Err(e)
            }
        }
    }

    fn open_checked(&self, data: &[u8]) -> Result<(bundle::Bundle, OpenedTeam)> {
        let seed = self.member.as_ref().ok_or_else(member::no_member_key)?;
        let bundle = bundle::Bundle::read(data)?;
        bundle.verify()?;
        if let Some(seen) = self.team_checkpoints.get(&bundle.address) {
            bundle.not_older_than(seen)?;
        }
        let opened = bundle.open(seed)?;
        Ok((bundle, opened))
    }

    /// Adds `member` (their `member_key`, sent to an existing member) to the team: the team
    /// key is drawn anew and wrapped for every member, the change signed by this member.
    pub fn team_add_member(
        &mut self,
        data: &[u8],
        member: &MemberPublic,
        rng: &mut dyn Rng,
        now: Time,
    ) -> Result<Vec<u8>> {
        member.check()?;
        let (bundle, opened) = self.open_checked(data)?;
        if opened.members.iter().any(|m| m.id == member.id) {
            return Err(Error::bad_input("That member is in the team already."));
        }
        let mut members = opened.members.clone();
        members.push(member.clone());
        let seed = self.member.as_ref().ok_or_else(member::no_member_key)?;
        let out = bundle.change(
            seed,
            TeamChangeKind::AddMember,
            Some(member.id.clone()),
            members,
            &opened.identity,
            rng,
            now,
        )?;
        self.after_change(&out, TeamChangeKind::AddMember, now)
    }

    /// Removes the member `member_id` from the team. The team key is drawn anew, so the
    /// removed member's key opens nothing from now on; what they copied before stays theirs
    /// (docs/team.md: rotate the keys to stop that).
    pub fn team_remove_member(
        &mut self,
        data: &[u8],
        member_id: &str,
        rng: &mut dyn Rng,
        now: Time,
    ) -> Result<Vec<u8>> {
        let (bundle, opened) = self.open_checked(data)?;
        let members: Vec<MemberPublic> = opened
            .members
            .iter()
            .filter(|m| m.id != member_id)
            .cloned()
            .collect();
        if members.len() == opened.members.len() {
            return Err(Error::new(
                ErrorCode::KeyNotFound,
                "No member of the team has that id.",
            ));
        }
        if members.is_empty() {
            return Err(Error::bad_input(
                "The last member of a team cannot be removed.",
            ));
        }
        let seed = self.member.as_ref().ok_or_else(member::no_member_key)?;
        let out = bundle.change(
            seed,
            TeamChangeKind::RemoveMember,
            Some(member_id.to_string()),
            members,
            &opened.identity,
            rng,
            now,
        )?;
        self.after_change(&out, TeamChangeKind::RemoveMember, now)
    }

    /// Rotates the team's keys: new keys as `rotation` asks, the old ones kept (to decrypt old
    /// mail) and, for OpenPGP, marked superseded so that new mail uses the new key.
    pub fn team_rotate(
        &mut self,
        data: &[u8],
        rotation: &TeamRotation,
        rng: &mut dyn Rng,
        now: Time,
    ) -> Result<TeamRotated> {
        let (bundle, mut opened) = self.open_checked(data)?;
        let address = opened.address.clone();
        let mut openpgp = None;
        if let Some(algorithm) = rotation.openpgp {
            opened.identity.supersede_openpgp(&address, rng, now)?;
            openpgp = Some(opened.identity.generate_openpgp(
                &GenerateOpenPgp {
                    address: address.clone(),
                    name: None,
                    algorithm,
                    valid_days: None,
                    v6: false,
                },
                rng,
                now,
            )?);
        }
        let smime = match rotation.smime {
            Some(algorithm) => Some(opened.identity.generate_smime(
                &GenerateSmime {
                    address: address.clone(),
                    name: None,
                    algorithm,
                },
                rng,
                now,
            )?),
            None => None,
        };
        let seed = self.member.as_ref().ok_or_else(member::no_member_key)?;
        let out = bundle.change(
            seed,
            TeamChangeKind::Rotate,
            None,
            opened.members.clone(),
            &opened.identity,
            rng,
            now,
        )?;
        let bundle = self.after_change(&out, TeamChangeKind::Rotate, now)?;
        Ok(TeamRotated {
            bundle,
            openpgp,
            smime,
        })
    }

    /// Records a change this member made (who and what, never key material) and moves the
    /// checkpoint to it.
    fn after_change(
        &mut self,
        out: &bundle::Bundle,
        kind: TeamChangeKind,
        now: Time,
    ) -> Result<Vec<u8>> {
        let bytes = out.write()?;
        self.team_checkpoints
            .insert(out.address.clone(), out.checkpoint());
        let mut event = AuditEvent::key_management(now, kind.action(), &[]);
        event.addresses = vec![out.address.clone()];
        self.record(event);
        Ok(bytes)
    }
}
