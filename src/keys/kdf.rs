//! The ceiling on what a key derivation chosen by input may cost, checked before it runs.
//!
//! Keys, PKCS#12 files and sealed keyrings carry their own passphrase-derivation parameters.
//! Unchecked, a crafted 700-byte key could freeze a tab for minutes (PBKDF2 or iterated S2K
//! rounds), hold gigabytes, or abort the wasm module when the allocation fails (an Argon2 S2K
//! asking for 2 GiB traps, and the trap poisons the keyring). Every derivation mailseal runs on
//! input stays within:
//!
//! - **memory**: [`MAX_MEMORY_KIB`] (256 MiB; scrypt's N·r·128 bytes, Argon2's m);
//! - **work**: [`MAX_PBKDF2_ROUNDS`] rounds of PBKDF2 or the PKCS#12 KDF (about 2-3 s in wasm
//!   on the 2-core reference machine), Argon2 at most [`MAX_ARGON2_WORK_KIB`] of memory passes
//!   (four passes over 256 MiB, about 3 s); OpenPGP's iterated S2K is bounded by its format
//!   (65 MiB hashed at most, under a second).
//!
//! What real tools write is far below: openssl 2048 rounds or scrypt N=2^14 r=8 (16 MiB),
//! Windows and macOS PKCS#12 exports 2000 rounds, GnuPG's iterated S2K, RFC 9580's second
//! recommended Argon2 choice (64 MiB, 3 passes) and mailseal's own vault (the same). RFC 9580's
//! first choice (2 GiB) cannot run in a browser tab and is refused with a clear error.
//! SECURITY.md carries the same figures.

use crate::error::{Error, ErrorCode};

/// Most memory a key derivation may ask for, in KiB (256 MiB).
pub(crate) const MAX_MEMORY_KIB: u64 = 256 * 1024;
/// Most PBKDF2 (PKCS#5) or PKCS#12 KDF rounds.
pub(crate) const MAX_PBKDF2_ROUNDS: u64 = 1_000_000;
/// Most Argon2 work: memory in KiB times passes.
pub(crate) const MAX_ARGON2_WORK_KIB: u64 = 4 * MAX_MEMORY_KIB;

/// Most rounds the contents of one PKCS#12 file (its encrypted safes, shrouded key bags and
/// secret bags, each also within [`MAX_PBKDF2_ROUNDS`]) may ask for together: two derivations
/// at the ceiling, about 5 s in wasm. The MAC is bounded on its own. Real files: two or three
/// derivations of 2000-10,000 rounds.
#[cfg_attr(not(feature = "smime"), allow(dead_code))]
pub(crate) const MAX_PKCS12_CONTENT_ROUNDS: u64 = 2 * MAX_PBKDF2_ROUNDS;

/// Rounds left for the derivations one input asks for, spent as each is about to run.
#[cfg_attr(not(feature = "smime"), allow(dead_code))]
pub(crate) struct Budget {
    left: core::cell::Cell<u64>,
}

#[cfg_attr(not(feature = "smime"), allow(dead_code))]
impl Budget {
    pub(crate) fn new(rounds: u64) -> Self {
        Budget {
            left: core::cell::Cell::new(rounds),
        }
    }

    /// Takes `rounds` from what is left; `false` (and nothing taken) when that is too few.
    pub(crate) fn spend(&self, rounds: u64) -> bool {
        match self.left.get().checked_sub(rounds) {
            Some(left) => {
                self.left.set(left);
                true
            }
            None => false,
        }
    }
}

/// scrypt's work in PBKDF2-round equivalents (N·r·p / 2: openssl's N=2^14 r=8 is 65,536).
#[cfg_attr(not(feature = "smime"), allow(dead_code))]
pub(crate) fn scrypt_rounds(n: u64, r: u64, p: u64) -> u64 {
    n.saturating_mul(r).saturating_mul(p) / 2
}

/// The error for a derivation over the ceiling: `too_large`, before any work.
pub(crate) fn too_costly(what: &str) -> Error {
    Error::new(
        ErrorCode::TooLarge,
        format!(
            "The {what} asks for more work or memory than mailseal allows \
             (at most 256 MiB and {MAX_PBKDF2_ROUNDS} rounds)."
        ),
    )
}

/// Whether Argon2 with `memory_kib`, `passes` and `lanes` is within the ceiling.
pub(crate) fn argon2_ok(memory_kib: u64, passes: u64, lanes: u64) -> bool {
    memory_kib <= MAX_MEMORY_KIB
        && (1..=16).contains(&lanes)
        && passes >= 1
        && memory_kib.saturating_mul(passes) <= MAX_ARGON2_WORK_KIB
}

/// Whether scrypt with `n`, `r`, `p` is within the ceiling (N a power of two, as the
/// `pkcs5` crate's log2 needs).
#[cfg_attr(not(feature = "smime"), allow(dead_code))] // PKCS#8 keys
pub(crate) fn scrypt_ok(n: u64, r: u64, p: u64) -> bool {
    n.is_power_of_two()
        && n >= 2
        && (1..=32).contains(&r)
        && (1..=16).contains(&p)
        && n.saturating_mul(r).saturating_mul(128) <= MAX_MEMORY_KIB * 1024
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_is_spent_until_it_runs_out() {
        let budget = Budget::new(MAX_PKCS12_CONTENT_ROUNDS);
        assert!(budget.spend(MAX_PBKDF2_ROUNDS));
        assert!(budget.spend(MAX_PBKDF2_ROUNDS - 2048));
        assert!(!budget.spend(4096), "a third derivation over what is left");
        assert!(budget.spend(2048));
        assert!(!budget.spend(1));
    }

    #[test]
    fn what_real_tools_write_passes_and_the_traps_do_not() {
        // openssl's scrypt, RFC 9580's second Argon2 choice, mailseal's vault.
        assert!(scrypt_ok(1 << 14, 8, 1));
        assert!(argon2_ok(64 * 1024, 3, 4));
        // The review's cases: scrypt N=2^20 r=8 (1 GiB), Argon2 at 2 GiB, 1 GiB x 32 passes.
        assert!(!scrypt_ok(1 << 20, 8, 1));
        assert!(!argon2_ok(2 * 1024 * 1024, 1, 4));
        assert!(!argon2_ok(1024 * 1024, 32, 1));
        // Degenerate parameters are refused too.
        assert!(!scrypt_ok(0, 8, 1) && !scrypt_ok(3, 8, 1));
        assert!(!argon2_ok(1024, 0, 1) && !argon2_ok(1024, 1, 0));
    }
}
