//! Roles: an admin passphrase apart from the passphrase that seals the keyring. Once one is
//! set, exporting private keys, removing keys, importing keys as trusted and changing the admin
//! passphrase need the admin role, unlocked with it for this session; every audit event says
//! which role acted.
//!
//! This separates duties in the API and in the pages built on it. It is not a barrier against
//! an agent who controls their own browser: the keys they use are decrypted in their page
//! (SECURITY.md). Keys an agent must never hold belong in another keyring.

use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::error::{Error, ErrorCode, Result};
use crate::rng::Rng;

/// Argon2id for the admin passphrase: 19 MiB, 2 passes, 1 lane (OWASP's minimum for Argon2id);
/// it is checked when the admin unlocks, not on every start.
const M_COST_KIB: u32 = 19 * 1024;
const T_COST: u32 = 2;
const P_COST: u32 = 1;
const SALT_LEN: usize = 16;

/// Who acts on the keyring.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// May do everything: no admin passphrase is set, or it was given in this session.
    Admin,
    /// May read, use and import keys (not as trusted); the rest needs the admin.
    Agent,
}

impl Role {
    /// `admin` or `agent`, as audit events carry it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Agent => "agent",
        }
    }
}

/// The admin passphrase's verifier, sealed with the keyring (never the passphrase itself).
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct AdminCredential {
    salt: Vec<u8>,
    m_cost: u32,
    t_cost: u32,
    p_cost: u32,
    verifier: Vec<u8>,
}

impl AdminCredential {
    pub(crate) fn new(passphrase: &str, rng: &mut dyn Rng) -> Result<Self> {
        if passphrase.is_empty() {
            return Err(Error::new(
                ErrorCode::BadPassword,
                "The admin passphrase must not be empty.",
            ));
        }
        let mut salt = vec![0u8; SALT_LEN];
        rng.fill_bytes(&mut salt);
        let verifier = derive(passphrase, &salt, M_COST_KIB, T_COST, P_COST)?.to_vec();
        Ok(AdminCredential {
            salt,
            m_cost: M_COST_KIB,
            t_cost: T_COST,
            p_cost: P_COST,
            verifier,
        })
    }

    /// Whether `passphrase` is the admin's. Costs over the KDF budget (an altered keyring) are
    /// refused before any work.
    pub(crate) fn matches(&self, passphrase: &str) -> Result<bool> {
        if !super::kdf::argon2_ok(
            u64::from(self.m_cost),
            u64::from(self.t_cost),
            u64::from(self.p_cost),
        ) || self.salt.len() < 8
        {
            return Err(Error::new(
                ErrorCode::CorruptVault,
                "The keyring's admin passphrase record is invalid.",
            ));
        }
        let got = derive(
            passphrase,
            &self.salt,
            self.m_cost,
            self.t_cost,
            self.p_cost,
        )?;
        Ok(bool::from(got.as_slice().ct_eq(&self.verifier)))
    }
}

fn derive(passphrase: &str, salt: &[u8], m: u32, t: u32, p: u32) -> Result<Zeroizing<[u8; 32]>> {
    let params = Params::new(m, t, p, Some(32)).map_err(|_| Error::internal("argon2 params"))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, out.as_mut())
        .map_err(|_| Error::internal("argon2"))?;
    Ok(out)
}

/// The refusal for an admin-only operation in the agent role.
pub(crate) fn admin_required(what: &str) -> Error {
    Error::new(
        ErrorCode::AdminRequired,
        format!("{what} is for the admin: unlock the admin role first."),
    )
}
