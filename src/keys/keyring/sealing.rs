//! The keyring at rest: sealed under a password or a key (the `vault` module does the work),
//! and what a one-standard build keeps of the other standard's keys.

use crate::error::Result;
use crate::keys::{vault, KeyKind, Keyring};
use crate::report::Method;
use crate::rng::Rng;

impl Keyring {
    /// Seals the whole keyring (secrets and recent log included) under `password`.
    pub fn seal(&self, password: &str, rng: &mut dyn Rng) -> Result<Vec<u8>> {
        vault::seal(self, vault::VaultSecret::Password(password), rng)
    }

    /// Seals the keyring under a random 256-bit key instead of a password (a server's secret,
    /// such as a Cloudflare Worker's): no password stretching, so opening it costs microseconds
    /// where Argon2id costs about a second of CPU. The key must come from a CSPRNG and be kept
    /// as carefully as the keys inside.
    pub fn seal_with_key(&self, key: &[u8], rng: &mut dyn Rng) -> Result<Vec<u8>> {
        vault::seal(self, vault::VaultSecret::Key(key), rng)
    }

    /// Opens a keyring sealed by [`Keyring::seal_with_key`]: `bad_password` for a wrong key or a
    /// keyring sealed with a password.
    pub fn unseal_with_key(bytes: &[u8], key: &[u8]) -> Result<Keyring> {
        vault::unseal(bytes, vault::VaultSecret::Key(key))
    }

    /// Opens a keyring sealed by [`Keyring::seal`].
    ///
    /// A build with one standard (`mailseal/smime`, `mailseal/openpgp`) keeps the other
    /// standard's keys of a keyring sealed by the full build as they are: they are not listed
    /// or used here, [`Keyring::seal`] writes them back unchanged, and the full build sees them
    /// again. [`Keyring::kept_for_other_builds`] counts them.
    pub fn unseal(bytes: &[u8], password: &str) -> Result<Keyring> {
        vault::unseal(bytes, vault::VaultSecret::Password(password))
    }

    /// Keys this build keeps sealed but cannot read (the other standard's, see
    /// [`Keyring::unseal`]), counted per standard. Always empty in the full build.
    pub fn kept_for_other_builds(&self) -> Vec<(Method, usize)> {
        let mut counts: Vec<(Method, usize)> = Vec::new();
        for kept in &self.kept {
            let Some(method) = KeyKind::parse(&kept.kind).map(KeyKind::method) else {
                continue;
            };
            match counts.iter_mut().find(|(m, _)| *m == method) {
                Some((_, n)) => *n += 1,
                None => counts.push((method, 1)),
            }
        }
        counts
    }
}
