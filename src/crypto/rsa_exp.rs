//! RSA's modular exponentiations on `crypto-bigint`: constant-time Montgomery arithmetic on
//! limbs the target multiplies natively.
//!
//! Why not the `rsa` crate's own: its `num-bigint-dig` runs on 64-bit digits (pgp turns that
//! feature on for the whole build), whose 128-bit products wasm32 has no instruction for, and
//! its exponentiation is not constant time (RUSTSEC-2023-0071). Here wasm32 gets 32-bit limbs
//! with native 64-bit products and every step on secret values runs in constant time (an
//! OpenPGP RSA-3072 message of 1 KiB opens in 25 ms instead of 38 in V8, benches/RESULTS.md);
//! the `rsa` crate keeps keys, padding checks and every size or shape this module does not take
//! (then `None`).
//!
//! - [`private`]: `c^d mod n` by CRT, blinded (`c·r^e`, unblinded with `r^-1`), and checked
//!   against the public key before the result is used (a fault in a CRT half must not leak a
//!   factor of `n`).
//! - [`public`]: `x^e mod n` (signature checks, encryption), with the Montgomery parameters
//!   of `n` kept per modulus (variable time: everything in it is public).
//!
//! Sizes: moduli up to 4096 bits, primes of at most half the modulus size rounded up to 1024,
//! 1536 or 2048 bits; two primes only.

use crypto_bigint::modular::montgomery_reduction;
use crypto_bigint::modular::runtime_mod::{DynResidue, DynResidueParams};
use std::any::Any;

use crypto_bigint::Integer;
use crypto_bigint::{Limb, NonZero, Uint, Word, U1024, U1536, U2048, U3072, U4096, U64};
use rand::RngCore;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BigUint, RsaPrivateKey};
use subtle::{ConstantTimeEq, ConstantTimeLess};
use zeroize::Zeroize;

use crate::secret::SecretBytes;

/// `c^d mod n` as k octets, blinded with `rng`. `None`: a key this module does not take (the
/// caller uses the `rsa` crate). All zeros for `c >= n` (public) or a result that fails the
/// check against the public key, which no padding check accepts.
pub(crate) fn private(key: &RsaPrivateKey, c: &[u8], rng: &mut dyn RngCore) -> Option<SecretBytes> {
    let [p, q] = key.primes() else {
        return None;
    };
    let half_bits = p.bits().max(q.bits());
    match half_bits {
        0..=1024 => crt::<{ U1024::LIMBS }, { U2048::LIMBS }>(key, c, rng),
        1025..=1536 => crt::<{ U1536::LIMBS }, { U3072::LIMBS }>(key, c, rng),
        1537..=2048 => crt::<{ U2048::LIMBS }, { U4096::LIMBS }>(key, c, rng),
        _ => None,
    }
}

/// `x^e mod n` as k octets. `None`: a key this module does not take, or `x >= n`.
pub(crate) fn public(key: &rsa::RsaPublicKey, x: &[u8]) -> Option<Vec<u8>> {
    match key.n().bits() {
        0..=2048 => public_exp::<{ U2048::LIMBS }>(key, x),
        2049..=3072 => public_exp::<{ U3072::LIMBS }>(key, x),
        3073..=4096 => public_exp::<{ U4096::LIMBS }>(key, x),
        _ => None,
    }
}

fn public_exp<const F: usize>(key: &rsa::RsaPublicKey, x: &[u8]) -> Option<Vec<u8>> {
    let n_bytes = key.n().to_bytes_be();
    let e = uint::<{ U64::LIMBS }>(&key.e().to_bytes_be())?;
    let x = uint::<F>(x)?;
    let m = public_modulus::<F>(key, n_bytes)?;
    if !bool::from(x.ct_lt(&m.n)) {
        return None;
    }
    let y = m.pow(&x, &e);
    Some(be_bytes(&y, key.size())?.to_vec())
}

/// A public modulus in Montgomery form, kept: the same keys come back (a sender's, a
/// recipient's), as OpenSSL keeps its `BN_MONT_CTX`. Not `DynResidueParams`: it makes `R² mod
/// n` by a constant-time bitwise division, ~3 ms for RSA-3072 in wasm before V8 has optimised
/// it (a new Worker isolate's first message paid that); `n` is public, so `R² mod n` comes from
/// `num-bigint-dig`'s long division in microseconds.
struct PublicModulus<const F: usize> {
    n_bytes: Vec<u8>,
    n: Uint<F>,
    /// `R² mod n`, R = 2^(32·F) on wasm32.
    r2: Uint<F>,
    /// `-n⁻¹ mod 2^Word::BITS`.
    n_neg_inv: Limb,
}

impl<const F: usize> PublicModulus<F> {
    fn new(key: &rsa::RsaPublicKey, n_bytes: Vec<u8>) -> Option<Self> {
        let n = uint::<F>(&n_bytes)?;
        if !bool::from(n.is_odd()) {
            return None;
        }
        let r2 = (BigUint::from(1u8) << (2 * F * Word::BITS as usize)) % key.n();
        let r2 = uint::<F>(&r2.to_bytes_be())?;
        let n_lo = Uint::<1>::from_words([n.as_words()[0]]);
        let n_neg_inv =
            Limb(Word::MIN.wrapping_sub(n_lo.inv_mod2k_vartime(Word::BITS as usize).as_words()[0]));
        Some(PublicModulus {
            n_bytes,
            n,
            r2,
            n_neg_inv,
        })
    }

    /// `a·b·R⁻¹ mod n`.
    fn mont_mul(&self, a: &Uint<F>, b: &Uint<F>) -> Uint<F> {
        montgomery_reduction(&a.mul_wide(b), &self.n, self.n_neg_inv)
    }

    /// `x^e mod n` for the public exponent: left-to-right square-and-multiply, 16 squarings and
    /// one product for e = 65537 (a fixed-window exponentiation first builds a table of 16
    /// powers, which costs more than that). Variable time in `e` only, which is public.
    fn pow(&self, x: &Uint<F>, e: &Uint<{ U64::LIMBS }>) -> Uint<F> {
        let x_m = self.mont_mul(x, &self.r2);
        let mut y = x_m;
        for bit in (0..e.bits().saturating_sub(1)).rev() {
            y = self.mont_mul(&y, &y);
            if e.bit_vartime(bit) {
                y = self.mont_mul(&y, &x_m);
            }
        }
        montgomery_reduction(&(y, Uint::ZERO), &self.n, self.n_neg_inv)
    }
}

/// [`PublicModulus::pow`] on a residue of the private path (the check against the public key
/// and the blinding factor `r^e`).
fn pow_public<const F: usize>(x: DynResidue<F>, e: &Uint<{ U64::LIMBS }>) -> DynResidue<F> {
    let mut y = x;
    for bit in (0..e.bits().saturating_sub(1)).rev() {
        y = y.square();
        if e.bit_vartime(bit) {
            y *= x;
        }
    }
    y
}

fn public_modulus<const F: usize>(
    key: &rsa::RsaPublicKey,
    n_bytes: Vec<u8>,
) -> Option<std::rc::Rc<PublicModulus<F>>> {
    let kept = with_kept(Kept::Public, |kept| {
        kept.iter()
            .filter_map(|k| k.downcast_ref::<std::rc::Rc<PublicModulus<F>>>())
            .find(|m| m.n_bytes == n_bytes)
            .cloned()
    });
    if kept.is_some() {
        return kept;
    }
    let m = std::rc::Rc::new(PublicModulus::new(key, n_bytes)?);
    keep(Kept::Public, Box::new(m.clone()));
    Some(m)
}

/// A private key's numbers for the CRT: primes of at most `H` limbs, a modulus of at most `F`
/// (= 2H) limbs. The secret ones are wiped on drop.
struct CrtKey<const H: usize, const F: usize> {
    /// SHA-256 over `n` and `d`: which key this is (for its kept [`Blinding`]).
    id: [u8; 32],
    /// The modulus length in octets.
    k: usize,
    n: Uint<F>,
    e: Uint<{ U64::LIMBS }>,
    p: Uint<H>,
    q: Uint<H>,
    dp: Uint<H>,
    dq: Uint<H>,
    qinv: Uint<H>,
}

impl<const H: usize, const F: usize> Drop for CrtKey<H, F> {
    fn drop(&mut self) {
        for x in [
            &mut self.p,
            &mut self.q,
            &mut self.dp,
            &mut self.dq,
            &mut self.qinv,
        ] {
            x.zeroize();
        }
    }
}

impl<const H: usize, const F: usize> CrtKey<H, F> {
    fn new(key: &RsaPrivateKey) -> Option<Self> {
        use sha2::{Digest, Sha256};
        let [p, q] = key.primes() else {
            return None;
        };
        let mut id = Sha256::new();
        id.update(key.n().to_bytes_be());
        id.update(&*SecretBytes::new(key.d().to_bytes_be()));
        let crt = CrtKey {
            id: id.finalize().into(),
            k: key.size(),
            n: uint(&key.n().to_bytes_be())?,
            e: uint(&key.e().to_bytes_be())?,
            p: secret_uint(p)?,
            q: secret_uint(q)?,
            dp: secret_uint(key.dp()?)?,
            dq: secret_uint(key.dq()?)?,
            qinv: secret_uint(&key.qinv()?.to_biguint()?)?,
        };
        bool::from(crt.n.is_odd() & crt.p.is_odd() & crt.q.is_odd()).then_some(crt)
    }
}

/// The CRT private operation with primes of at most `H` limbs and a modulus of at most `F`
/// (= 2H) limbs.
fn crt<const H: usize, const F: usize>(
    key: &RsaPrivateKey,
    c: &[u8],
    rng: &mut dyn RngCore,
) -> Option<SecretBytes> {
    crt_with(&CrtKey::<H, F>::new(key)?, c, rng)
}

fn crt_with<const H: usize, const F: usize>(
    key: &CrtKey<H, F>,
    c: &[u8],
    rng: &mut dyn RngCore,
) -> Option<SecretBytes> {
    let CrtKey {
        n,
        e,
        p,
        q,
        dp,
        dq,
        qinv,
        ..
    } = key;
    let c = uint::<F>(c)?;
    if !bool::from(c.ct_lt(n)) {
        return Some(SecretBytes::new(vec![0; key.k]));
    }

    // Blinding: the exponentiations see c·r^e, never the attacker's c.
    let (n_params, r_e, r_inv) = Blinding::<F>::next(key.id, n, e, rng)?;
    let blinded = (DynResidue::new(&c, n_params) * r_e).retrieve();

    // m_p = (c')^dp mod p, m_q = (c')^dq mod q, m = m_q + q·(qinv·(m_p − m_q) mod p).
    let (p_params, q_params) = PrimeParams::<H>::kept_or_new(key.id, p, q);
    let mut m_p = residue_of::<F, H>(&blinded, p_params).pow(dp);
    let mut m_q = residue_of::<F, H>(&blinded, q_params).pow(dq);
    let m_q_int = m_q.retrieve();
    let mut h = (m_p - DynResidue::new(&m_q_int, p_params)) * DynResidue::new(qinv, p_params);
    let (lo, hi) = h.retrieve().mul_wide(q);
    let m = concat::<H, F>(&lo, &hi).wrapping_add(&widen::<H, F>(&m_q_int));
    for x in [&mut m_p, &mut m_q, &mut h] {
        x.zeroize();
    }

    // The check against the public key: (m')^e must give back c'.
    let m_res = DynResidue::new(&m, n_params);
    let holds = pow_public(m_res, e).retrieve().ct_eq(&blinded);
    let out = (m_res * r_inv).retrieve();
    let mut em = be_bytes(&out, key.k)?;
    if !bool::from(holds) {
        // The octets, not the Vec (whose `zeroize` also empties it: an empty EM made the
        // padding check index out of bounds, a panic that kills the wasm module).
        em.as_mut_slice().zeroize();
    }
    Some(em)
}

/// The Montgomery parameters of a key's primes, kept between its private operations: making
/// them divides R² by each prime bit by bit in constant time, a tenth of an RSA-3072 decryption
/// in wasm. They hold the primes, so they are overwritten when dropped ([`forget`], or the
/// oldest kept entry making room).
struct PrimeParams<const H: usize> {
    /// SHA-256 over `n` and `d`: which key they belong to.
    id: [u8; 32],
    p: DynResidueParams<H>,
    q: DynResidueParams<H>,
}

impl<const H: usize> PrimeParams<H> {
    fn kept_or_new(
        id: [u8; 32],
        p: &Uint<H>,
        q: &Uint<H>,
    ) -> (DynResidueParams<H>, DynResidueParams<H>) {
        let kept = with_kept(Kept::Private, |kept| {
            kept.iter()
                .filter_map(|k| k.downcast_ref::<PrimeParams<H>>())
                .find(|k| k.id == id)
                .map(|k| (k.p, k.q))
        });
        if let Some(params) = kept {
            return params;
        }
        let made = PrimeParams {
            id,
            p: DynResidueParams::new(p),
            q: DynResidueParams::new(q),
        };
        let params = (made.p, made.q);
        keep(Kept::Private, Box::new(made));
        params
    }

    /// `DynResidueParams` has no `Zeroize`: both are overwritten with public parameters, and
    /// `black_box` keeps the stores, which the free after a drop would make dead.
    /// (`Uint::MAX`, odd, makes them at the cost of one prime's, where 1 costs twice that.)
    fn wipe(&mut self) {
        let blank = DynResidueParams::new(&Uint::MAX);
        self.p = blank;
        self.q = blank;
        core::hint::black_box(&self.p);
        core::hint::black_box(&self.q);
    }
}

impl<const H: usize> Drop for PrimeParams<H> {
    fn drop(&mut self) {
        self.wipe();
    }
}

/// How many private operations one blinding pair serves (squared after each) before a fresh
/// one is drawn, as OpenSSL's `BN_BLINDING` does.
const BLINDING_USES: u32 = 32;

/// A key's blinding pair `(r^e, r^-1) mod n` and the Montgomery parameters of `n` (public),
/// kept between private operations: a fresh pair costs an inversion mod `n`, the parameters a
/// reduction of `R²`, together as much as the exponentiations themselves.
struct Blinding<const F: usize> {
    /// SHA-256 over `n` and `d`: which key the pair belongs to.
    id: [u8; 32],
    n_params: DynResidueParams<F>,
    r_e: DynResidue<F>,
    r_inv: DynResidue<F>,
    uses: u32,
}

impl<const F: usize> Drop for Blinding<F> {
    fn drop(&mut self) {
        self.r_e.zeroize();
        self.r_inv.zeroize();
    }
}

/// What is kept between operations, in two lists so that the public moduli of many
/// correspondents do not push a private key's state out: [`PublicModulus`]es, and the
/// [`Blinding`]s and [`PrimeParams`] of private keys (the oldest of a list goes first).
#[derive(Clone, Copy)]
enum Kept {
    Public,
    Private,
}

impl Kept {
    /// How many entries the list holds at most.
    const fn max(self) -> usize {
        match self {
            Kept::Public => 16,
            Kept::Private => 8,
        }
    }
}

std::thread_local! {
    /// Entries of every size, found again by downcasting.
    static KEPT_PUBLIC: std::cell::RefCell<Vec<Box<dyn Any>>> =
        const { std::cell::RefCell::new(Vec::new()) };
    static KEPT_PRIVATE: std::cell::RefCell<Vec<Box<dyn Any>>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

fn with_kept<T>(list: Kept, f: impl FnOnce(&mut Vec<Box<dyn Any>>) -> T) -> T {
    let kept = match list {
        Kept::Public => &KEPT_PUBLIC,
        Kept::Private => &KEPT_PRIVATE,
    };
    kept.with(|kept| f(&mut kept.borrow_mut()))
}

fn keep(list: Kept, entry: Box<dyn Any>) {
    with_kept(list, |kept| {
        if kept.len() >= list.max() {
            kept.remove(0);
        }
        kept.push(entry);
    });
}

/// Drops every kept blinding pair and modulus (when the keys they were made for go).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn forget() {
    with_kept(Kept::Public, Vec::clear);
    with_kept(Kept::Private, Vec::clear);
}

impl<const F: usize> Blinding<F> {
    /// The parameters of `n` and the blinding pair for this operation: the kept pair squared,
    /// or a fresh one from `rng` when there is none or it has served [`BLINDING_USES`] times.
    fn next(
        id: [u8; 32],
        n: &Uint<F>,
        e: &Uint<{ U64::LIMBS }>,
        rng: &mut dyn RngCore,
    ) -> Option<(DynResidueParams<F>, DynResidue<F>, DynResidue<F>)> {
        let reused = with_kept(Kept::Private, |kept| {
            let b = kept
                .iter_mut()
                .filter_map(|k| k.downcast_mut::<Blinding<F>>())
                .find(|b| b.id == id && b.uses < BLINDING_USES)?;
            b.r_e = b.r_e.square();
            b.r_inv = b.r_inv.square();
            b.uses += 1;
            Some((b.n_params, b.r_e, b.r_inv))
        });
        if reused.is_some() {
            return reused;
        }
        let n_params = DynResidueParams::new(n);
        let (r, r_inv) = blinding_pair(n, n_params, rng)?;
        let r_e = pow_public(r, e);
        with_kept(Kept::Private, |kept| {
            kept.retain(|k| k.downcast_ref::<Blinding<F>>().is_none_or(|b| b.id != id))
        });
        keep(
            Kept::Private,
            Box::new(Blinding {
                id,
                n_params,
                r_e,
                r_inv,
                uses: 1,
            }),
        );
        Some((n_params, r_e, r_inv))
    }
}

/// A random `r` invertible mod `n`, as a residue, with its inverse.
fn blinding_pair<const F: usize>(
    n: &Uint<F>,
    params: DynResidueParams<F>,
    rng: &mut dyn RngCore,
) -> Option<(DynResidue<F>, DynResidue<F>)> {
    let mut bytes = SecretBytes::new(vec![0; F * Word::BITS as usize / 8]);
    rng.fill_bytes(&mut bytes);
    let r = Uint::<F>::from_be_slice(&bytes).rem(&Option::from(NonZero::new(*n))?);
    let r = DynResidue::new(&r, params);
    let (r_inv, invertible) = r.invert();
    bool::from(invertible).then_some((r, r_inv))
}

/// `x mod m` as a residue, for an `F` (= 2H)-limb `x < m·R` (R = 2^(H·Word::BITS); true of
/// anything below `n = p·q` for either prime): one Montgomery reduction `x·R⁻¹`, then into
/// Montgomery form twice, `·R` each time. Constant time. `Uint::rem` instead divides bit by bit,
/// F·Word::BITS steps over F limbs: ~4% of an RSA-3072 decryption in Chromium.
fn residue_of<const F: usize, const H: usize>(
    x: &Uint<F>,
    params: DynResidueParams<H>,
) -> DynResidue<H> {
    let m = params.modulus();
    let low_word = Uint::<1>::from_words([m.as_words()[0]]);
    let neg_inv =
        Limb(Word::MIN.wrapping_sub(low_word.inv_mod2k(Word::BITS as usize).as_words()[0]));
    let halves = (
        narrow::<F, H>(x),
        narrow::<F, H>(&x.shr_vartime(H * Word::BITS as usize)),
    );
    let x_over_r = montgomery_reduction(&halves, m, neg_inv);
    // The Montgomery form of x·R⁻¹ is x mod m itself.
    let x_mod_m = *DynResidue::new(&x_over_r, params).as_montgomery();
    DynResidue::new(&x_mod_m, params)
}

/// Big-endian octets (leading zeros allowed) as a `Uint<L>`; `None` if they do not fit.
fn uint<const L: usize>(be: &[u8]) -> Option<Uint<L>> {
    let width = L * Word::BITS as usize / 8;
    let start = be.iter().position(|&b| b != 0).unwrap_or(be.len());
    let digits = &be[start..];
    let pad = width.checked_sub(digits.len())?;
    let mut buf = SecretBytes::new(vec![0; width]);
    buf[pad..].copy_from_slice(digits);
    Some(Uint::from_be_slice(&buf))
}

/// A secret `BigUint` as a `Uint<L>`, its intermediate octets wiped.
fn secret_uint<const L: usize>(x: &BigUint) -> Option<Uint<L>> {
    let bytes = SecretBytes::new(x.to_bytes_be());
    uint(&bytes)
}

/// The low `len` octets of `x`, big-endian; `None` if `x` does not fit.
fn be_bytes<const L: usize>(x: &Uint<L>, len: usize) -> Option<SecretBytes> {
    let mut all = SecretBytes::new(Vec::with_capacity(L * Word::BITS as usize / 8));
    for word in x.as_words().iter().rev() {
        all.extend_from_slice(&word.to_be_bytes());
    }
    let start = all.len().checked_sub(len)?;
    if all[..start].iter().any(|&b| b != 0) {
        return None;
    }
    Some(SecretBytes::new(all[start..].to_vec()))
}

fn widen<const A: usize, const B: usize>(x: &Uint<A>) -> Uint<B> {
    let mut words = [0 as Word; B];
    words[..A.min(B)].copy_from_slice(&x.as_words()[..A.min(B)]);
    Uint::from_words(words)
}

/// The low `B` limbs of `x` (the caller knows the rest are zero).
fn narrow<const A: usize, const B: usize>(x: &Uint<A>) -> Uint<B> {
    widen::<A, B>(x)
}

/// `hi ‖ lo` as one number of `F` (= 2H) limbs.
fn concat<const H: usize, const F: usize>(lo: &Uint<H>, hi: &Uint<H>) -> Uint<F> {
    let mut words = [0 as Word; F];
    words[..H].copy_from_slice(lo.as_words());
    words[H..2 * H].copy_from_slice(hi.as_words());
    Uint::from_words(words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn key(pem: &str) -> RsaPrivateKey {
        use pkcs8::DecodePrivateKey;
        RsaPrivateKey::from_pkcs8_pem(pem).unwrap()
    }

    fn keys() -> Vec<RsaPrivateKey> {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        vec![
            key(include_str!("../../tests/data/smime/alice.key")),
            RsaPrivateKey::new(&mut rng, 1024).unwrap(),
            RsaPrivateKey::new(&mut rng, 3072).unwrap(),
        ]
    }

    #[test]
    fn agrees_with_the_rsa_crate() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(8);
        for key in keys() {
            let k = key.size();
            for _ in 0..3 {
                let mut c = vec![0u8; k];
                rng.fill_bytes(&mut c[1..]);
                let expected = rsa::hazmat::rsa_decrypt_and_check(
                    &key,
                    Some(&mut rng),
                    &BigUint::from_bytes_be(&c),
                )
                .unwrap()
                .to_bytes_be();
                let got = private(&key, &c, &mut rng).unwrap();
                assert_eq!(BigUint::from_bytes_be(&got).to_bytes_be(), expected);
                assert_eq!(got.len(), k);
                // And back: the public operation gives c again.
                assert_eq!(public(&key.to_public_key(), &got).unwrap(), c);
            }
        }
    }

    #[test]
    fn a_faulty_crt_half_gives_zeros_not_a_wrong_result() {
        // dp off by two: the p half is wrong (the Bellcore fault), the check against e catches it.
        let good = &keys()[0];
        let mut crt = CrtKey::<{ U1024::LIMBS }, { U2048::LIMBS }>::new(good).unwrap();
        let c = vec![7u8; good.size()];
        let mut rng = rand::rngs::StdRng::seed_from_u64(10);
        assert!(crt_with(&crt, &c, &mut rng)
            .unwrap()
            .iter()
            .any(|&b| b != 0));
        crt.dp = crt.dp.wrapping_add(&Uint::from_u8(2));
        let em = crt_with(&crt, &c, &mut rng).unwrap();
        assert_eq!(em.len(), good.size());
        assert!(em.iter().all(|&b| b == 0));
    }

    #[test]
    fn kept_blinding_pairs_stay_pairs() {
        // Many operations with one key (squared pairs, a fresh one after BLINDING_USES), and
        // another key in between: every result is still right.
        let keys = keys();
        let mut rng = rand::rngs::StdRng::seed_from_u64(11);
        for round in 0..(BLINDING_USES + 3) {
            for key in [&keys[0], &keys[1]] {
                let mut c = vec![0u8; key.size()];
                rng.fill_bytes(&mut c[1..]);
                let m = private(key, &c, &mut rng).unwrap();
                assert_eq!(
                    public(&key.to_public_key(), &m).unwrap(),
                    c,
                    "round {round}"
                );
            }
        }
        forget();
    }

    /// A key's prime parameters are kept (the same as made afresh) and wiped when dropped.
    #[test]
    fn kept_prime_parameters_are_the_same_and_wiped() {
        let key = &keys()[0];
        let crt = CrtKey::<{ U1024::LIMBS }, { U2048::LIMBS }>::new(key).unwrap();
        let is_kept = || {
            with_kept(Kept::Private, |kept| {
                kept.iter().any(|k| {
                    k.downcast_ref::<PrimeParams<{ U1024::LIMBS }>>()
                        .is_some_and(|k| k.id == crt.id)
                })
            })
        };
        forget();
        assert!(!is_kept());
        let made = PrimeParams::kept_or_new(crt.id, &crt.p, &crt.q);
        assert!(is_kept());
        let kept = PrimeParams::kept_or_new(crt.id, &crt.p, &crt.q);
        assert!(bool::from(made.0.ct_eq(&kept.0) & made.1.ct_eq(&kept.1)));
        assert_eq!(made.0.modulus(), &crt.p);
        let mut params = PrimeParams {
            id: crt.id,
            p: made.0,
            q: made.1,
        };
        params.wipe();
        assert_eq!(params.p.modulus(), &Uint::MAX);
        assert_eq!(params.q.modulus(), &Uint::MAX);
        forget();
    }

    #[test]
    fn refuses_what_it_does_not_take() {
        let key = &keys()[0];
        let n = key.n().to_bytes_be();
        // c = n: not a ciphertext; all zeros, which no padding accepts.
        let mut rng = rand::rngs::StdRng::seed_from_u64(9);
        assert!(private(key, &n, &mut rng).unwrap().iter().all(|&b| b == 0));
        assert!(public(&key.to_public_key(), &n).is_none());
        // Longer than the modulus.
        assert!(public(&key.to_public_key(), &[1u8; 600]).is_none());
    }

    /// The Montgomery reduction of a number below `n` into a prime's residues gives what
    /// division gives, at both ends of the range too (RSA-1024's primes fill half their limbs).
    #[test]
    fn residues_mod_a_prime_agree_with_division() {
        fn check<const H: usize, const F: usize>(key: &RsaPrivateKey, rng: &mut impl RngCore) {
            let n_bytes = key.n().to_bytes_be();
            let n = uint::<F>(&n_bytes).unwrap();
            let mut samples = vec![Uint::<F>::ZERO, Uint::ONE, n.wrapping_sub(&Uint::ONE)];
            for _ in 0..20 {
                let mut bytes = vec![0u8; n_bytes.len()];
                rng.fill_bytes(&mut bytes);
                samples.push(uint::<F>(&bytes).unwrap().rem(&NonZero::new(n).unwrap()));
            }
            for prime in key.primes() {
                let m = secret_uint::<H>(prime).unwrap();
                let params = DynResidueParams::new(&m);
                for x in &samples {
                    let wide = NonZero::new(widen::<H, F>(&m)).unwrap();
                    let by_division = narrow::<F, H>(&x.rem(&wide));
                    assert_eq!(residue_of::<F, H>(x, params).retrieve(), by_division);
                }
            }
        }
        let mut rng = rand::rngs::StdRng::seed_from_u64(11);
        let keys = keys();
        check::<{ U1024::LIMBS }, { U2048::LIMBS }>(&keys[0], &mut rng);
        check::<{ U1024::LIMBS }, { U2048::LIMBS }>(&keys[1], &mut rng);
        check::<{ U1536::LIMBS }, { U3072::LIMBS }>(&keys[2], &mut rng);
    }
}
