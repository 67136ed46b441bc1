//! Test fixtures of the OpenPGP key modules: the keys of tests/data/pgp-unit/ and helpers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use rand_chacha::rand_core::SeedableRng;

use super::{parse_pgp, PgpEntry};
use crate::time::Time;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/pgp-unit/",
            $name
        ))
        .as_slice()
    };
}
pub(super) use fixture;

pub(super) const ED_FPR: &str = "442D2A9F478D5DF7D3627F5953F7E16837737910";
pub(super) const RSA_FPR: &str = "E635E3B86FD3FA5F028B9E0B155BE08034A6886D";
pub(super) const OLD_FPR: &str = "9FAF6E0DBA9C703A980997F17EC51A00B86C92EB";
pub(super) const REV_FPR: &str = "3F072A5842ADDE0C393F71574856115E09433A6C";
pub(super) const PROT_FPR: &str = "FC1922DBEA148A414ECFFA4FD75C96CBB433DBFF";
/// 2025-06-01T00:00:00Z
pub(super) const NOW: Time = Time::from_unix(1_748_736_000);

pub(super) fn one(data: &[u8], pass: Option<&str>) -> PgpEntry {
    let mut v = parse_pgp(data, pass, false).expect("parses");
    assert_eq!(v.len(), 1);
    v.remove(0)
}

pub(super) fn rng() -> rand_chacha::ChaCha20Rng {
    rand_chacha::ChaCha20Rng::seed_from_u64(7)
}

/// Protected keys are unlocked once per test run: GnuPG's S2K runs 65 million SHA-1
/// rounds per packet, which takes seconds in an unoptimized build.
pub(super) fn cached(which: &'static str) -> PgpEntry {
    use std::sync::OnceLock;
    static RSA: OnceLock<PgpEntry> = OnceLock::new();
    static PROT: OnceLock<PgpEntry> = OnceLock::new();
    static STUB: OnceLock<PgpEntry> = OnceLock::new();
    let (cell, data, pass) = match which {
        "rsa" => (&RSA, fixture!("rsa-sec-protected.gpg"), "rsa pass"),
        "prot" => (&PROT, fixture!("prot-ed-sec.asc"), "ed pass"),
        _ => (&STUB, fixture!("rsa-sec-subkeys-only.asc"), "rsa pass"),
    };
    cell.get_or_init(|| one(data, Some(pass))).clone()
}
