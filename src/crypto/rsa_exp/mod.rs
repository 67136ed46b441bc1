//! RSA's modular exponentiations on `crypto-bigint`: constant-time Montgomery arithmetic on
//! limbs the target multiplies natively.
//!
//! Why not the `rsa` crate's own: its `num-bigint-dig` runs on 64-bit digits (pgp turns that
//! feature on for the whole build), whose 128-bit products wasm32 has no instruction for, and
//! its exponentiation is not constant time (RUSTSEC-2023-0071). Here every step on secret values
//! runs in constant time, and the exponentiations mod each prime run on the `montgomery28`
//! crate's 28-bit limbs where words are 32 bits (wasm32: an OpenPGP RSA-3072 message of 1 KiB
//! opens in ~8 ms in Node's V8, ~16 on `crypto-bigint`'s 32-bit limbs, 38 with the `rsa` crate;
//! benches/WHY.md); the `rsa` crate keeps keys, padding checks and every size or shape this
//! module does not take (then `None`).
//!
//! Files: [`prime`] (the primes' parameters, kept, and the exponentiation mod each), [`kept`]
//! (what is kept between operations), [`words`] (numbers to and from octets).
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

use crypto_bigint::Integer;
use crypto_bigint::{Limb, NonZero, Uint, Word, U1024, U1536, U2048, U3072, U4096, U64};
use rand::RngCore;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BigUint, RsaPrivateKey};
use subtle::{ConstantTimeEq, ConstantTimeLess};
use zeroize::Zeroize;

use crate::secret::SecretBytes;

mod kept;
mod prime;
mod words;

#[cfg_attr(not(target_arch = "wasm32"), allow(unused_imports))]
pub(crate) use kept::forget;
use kept::{keep, with_kept, Kept};
use prime::PrimeParams;
use words::{be_bytes, concat, secret_uint, uint, widen};

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
    let (p_prime, q_prime) = PrimeParams::<H>::kept_or_new(key.id, p, q)?;
    let p_params = p_prime.params;
    let mut m_p = p_prime.power::<F>(&blinded, dp)?;
    let mut m_q = q_prime.power::<F>(&blinded, dq)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn key(pem: &str) -> RsaPrivateKey {
        use pkcs8::DecodePrivateKey;
        RsaPrivateKey::from_pkcs8_pem(pem).unwrap()
    }

    pub(super) fn keys() -> Vec<RsaPrivateKey> {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        vec![
            key(include_str!("../../../tests/data/smime/alice.key")),
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
}
