//! The Montgomery parameters of a key's primes, kept, and the exponentiation mod each prime:
//! on `crypto-bigint` where words are 64 bits, on the `montgomery28` crate's 28-bit limbs where
//! they are 32 (wasm32), which makes RSA's private operation about twice as fast there
//! (benches/WHY.md).

use crypto_bigint::modular::montgomery_reduction;
use crypto_bigint::modular::runtime_mod::{DynResidue, DynResidueParams};
use crypto_bigint::{Limb, Uint, Word};
use montgomery28::{limbs_for, BITS};
use zeroize::Zeroize;

use super::kept::{keep, with_kept, Kept};
use super::words::narrow;

/// The Montgomery parameters of a key's primes, kept between its private operations: making
/// them divides R² by each prime bit by bit in constant time, a tenth of an RSA-3072 decryption
/// in wasm. They hold the primes, so they are overwritten when dropped (`forget`, or the
/// oldest kept entry making room).
pub(super) struct PrimeParams<const H: usize> {
    /// SHA-256 over `n` and `d`: which key they belong to.
    id: [u8; 32],
    p: Prime<H>,
    q: Prime<H>,
}

impl<const H: usize> PrimeParams<H> {
    /// `None`: a prime [`Prime::new`] does not take.
    pub(super) fn kept_or_new(
        id: [u8; 32],
        p: &Uint<H>,
        q: &Uint<H>,
    ) -> Option<(Prime<H>, Prime<H>)> {
        let kept = with_kept(Kept::Private, |kept| {
            kept.iter()
                .filter_map(|k| k.downcast_ref::<PrimeParams<H>>())
                .find(|k| k.id == id)
                .map(|k| (k.p.clone(), k.q.clone()))
        });
        if kept.is_some() {
            return kept;
        }
        let made = PrimeParams {
            id,
            p: Prime::new(p)?,
            q: Prime::new(q)?,
        };
        let primes = (made.p.clone(), made.q.clone());
        keep(Kept::Private, Box::new(made));
        Some(primes)
    }

    /// `DynResidueParams` has no `Zeroize`: both are overwritten with public parameters, and
    /// `black_box` keeps the stores, which the free after a drop would make dead.
    /// (`Uint::MAX`, odd, makes them at the cost of one prime's, where 1 costs twice that.)
    /// The 28-bit limbs wipe themselves when dropped.
    fn wipe(&mut self) {
        let blank = DynResidueParams::new(&Uint::MAX);
        self.p.params = blank;
        self.q.params = blank;
        core::hint::black_box(&self.p.params);
        core::hint::black_box(&self.q.params);
    }
}

impl<const H: usize> Drop for PrimeParams<H> {
    fn drop(&mut self) {
        self.wipe();
    }
}

/// One prime's Montgomery parameters in both forms: `crypto-bigint`'s (the CRT's recombination,
/// and the exponentiation on 64-bit words) and [`montgomery28`]'s (the exponentiation on 32-bit
/// words, as in wasm32, where it is about twice as fast: benches/WHY.md).
#[derive(Clone)]
pub(super) struct Prime<const H: usize> {
    pub(super) params: DynResidueParams<H>,
    modulus28: montgomery28::Modulus,
}

impl<const H: usize> Prime<H> {
    /// `None` for an even `p` (which no RSA key the `rsa` crate accepts has).
    fn new(p: &Uint<H>) -> Option<Self> {
        let params = DynResidueParams::new(p);
        Some(Prime {
            modulus28: modulus28(&params)?,
            params,
        })
    }

    /// `x^d mod p` as a residue, for an `F` (= 2H)-limb `x < p·R` (see [`residue_of`]).
    pub(super) fn power<const F: usize>(&self, x: &Uint<F>, d: &Uint<H>) -> Option<DynResidue<H>> {
        self.power_on(x, d, Word::BITS == 32)
    }

    /// [`Self::power`] on 28-bit limbs or on `crypto-bigint`'s.
    fn power_on<const F: usize>(
        &self,
        x: &Uint<F>,
        d: &Uint<H>,
        on_28_bit_limbs: bool,
    ) -> Option<DynResidue<H>> {
        let mut base = residue_of::<F, H>(x, self.params);
        if !on_28_bit_limbs {
            let y = base.pow(d);
            base.zeroize();
            return Some(y);
        }
        let mut x_mod_p = to_limbs::<H>(&base.retrieve(), self.modulus28.len());
        base.zeroize();
        let mut d_bytes = d.to_words().map(Word::to_le_bytes);
        let y = self.modulus28.pow(&x_mod_p, d_bytes.as_flattened());
        x_mod_p.zeroize();
        d_bytes.as_flattened_mut().zeroize();
        let mut y = y?;
        let mut y_uint = from_limbs::<H>(&y);
        let power = DynResidue::new(&y_uint, self.params);
        y.zeroize();
        y_uint.zeroize();
        Some(power)
    }
}

/// `x mod m` as a residue, for an `F` (= 2H)-limb `x < m·R` (R = 2^(H·Word::BITS); true of
/// anything below `n = p·q` for either prime): one Montgomery reduction `x·R⁻¹`, then into
/// Montgomery form twice, `·R` each time. Constant time. `Uint::rem` instead divides bit by bit,
/// F·Word::BITS steps over F limbs: ~4% of an RSA-3072 decryption in Chromium.
pub(super) fn residue_of<const F: usize, const H: usize>(
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

/// `params`'s modulus for `montgomery28`, with `R² mod m` (R = 2^(28·n)): with R' =
/// 2^(H·Word::BITS), `params`'s own, and R = 2^δ·R', two conversions into `params`'s Montgomery
/// form make 2^(2δ)·R'² = R² mod m, in constant time and without a division.
fn modulus28<const H: usize>(params: &DynResidueParams<H>) -> Option<montgomery28::Modulus> {
    let bits = H * Word::BITS as usize;
    let n = limbs_for(bits);
    let two_delta = Uint::<H>::ONE.shl_vartime(2 * (n * BITS - bits));
    let once = DynResidue::new(&two_delta, *params);
    let mut twice = DynResidue::new(once.as_montgomery(), *params);
    let mut m = to_limbs::<H>(params.modulus(), n);
    let mut r2 = to_limbs::<H>(twice.as_montgomery(), n);
    // `None` only for an even modulus: one of H words fits n limbs with two bits to spare.
    let modulus = montgomery28::Modulus::new(&m, &r2);
    twice.zeroize();
    m.zeroize();
    r2.zeroize();
    modulus
}

/// `x` cut into `n` 28-bit limbs, least significant first (`n` limbs hold all of it).
fn to_limbs<const H: usize>(x: &Uint<H>, n: usize) -> Vec<u32> {
    let mut out = vec![0u32; n];
    let mut words = x.as_words().iter();
    let mut buffer = 0u128;
    let mut held = 0;
    for limb in out.iter_mut() {
        if held < BITS {
            buffer |= u128::from(words.next().copied().unwrap_or(0)) << held;
            held += Word::BITS as usize;
        }
        *limb = buffer as u32 & ((1 << BITS) - 1);
        buffer >>= BITS;
        held -= BITS;
    }
    out
}

/// 28-bit limbs back into `Uint<H>` (the value is below 2^(H·Word::BITS)).
fn from_limbs<const H: usize>(y: &[u32]) -> Uint<H> {
    let mut words = [0 as Word; H];
    let mut limbs = y.iter();
    let mut buffer = 0u128;
    let mut held = 0;
    for word in words.iter_mut() {
        while held < Word::BITS as usize {
            buffer |= u128::from(limbs.next().copied().unwrap_or(0)) << held;
            held += BITS;
        }
        *word = buffer as Word;
        buffer >>= Word::BITS;
        held -= Word::BITS as usize;
    }
    Uint::from_words(words)
}

#[cfg(test)]
mod tests {
    use super::super::tests::keys;
    use super::super::words::{secret_uint, uint, widen};
    use super::super::{forget, CrtKey};
    use super::*;
    use crypto_bigint::subtle::ConstantTimeEq;
    use crypto_bigint::NonZero;
    use crypto_bigint::{U1024, U1536, U2048, U3072, U4096};
    use rand::{RngCore, SeedableRng};
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};
    use rsa::RsaPrivateKey;

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
        let made = PrimeParams::<{ U1024::LIMBS }>::kept_or_new(crt.id, &crt.p, &crt.q).unwrap();
        assert!(is_kept());
        let kept = PrimeParams::<{ U1024::LIMBS }>::kept_or_new(crt.id, &crt.p, &crt.q).unwrap();
        assert!(bool::from(
            made.0.params.ct_eq(&kept.0.params) & made.1.params.ct_eq(&kept.1.params)
        ));
        assert_eq!(made.0.params.modulus(), &crt.p);
        let mut params = PrimeParams {
            id: crt.id,
            p: made.0,
            q: made.1,
        };
        params.wipe();
        assert_eq!(params.p.params.modulus(), &Uint::MAX);
        assert_eq!(params.q.params.modulus(), &Uint::MAX);
        forget();
    }

    /// The exponentiation mod each prime on 28-bit limbs (wasm32's) gives what `crypto-bigint`'s
    /// own gives (64-bit words' here), for the tests' keys of all three prime sizes.
    #[test]
    fn both_exponentiations_agree() {
        fn check<const H: usize, const F: usize>(key: &RsaPrivateKey) {
            let crt = CrtKey::<H, F>::new(key).unwrap();
            let mut rng = rand::rngs::StdRng::seed_from_u64(11);
            for (prime, d) in [(&crt.p, &crt.dp), (&crt.q, &crt.dq)] {
                let prime = Prime::<H>::new(prime).unwrap();
                for _ in 0..2 {
                    let mut c = vec![0u8; F * Word::BITS as usize / 8];
                    rng.fill_bytes(&mut c[F * Word::BITS as usize / 8 - key.size() + 1..]);
                    let x = Uint::<F>::from_be_slice(&c);
                    let limbs28 = prime.power_on(&x, d, true).unwrap().retrieve();
                    assert_eq!(limbs28, prime.power_on(&x, d, false).unwrap().retrieve());
                }
            }
        }
        let mut rng = rand::rngs::StdRng::seed_from_u64(12);
        check::<{ U1024::LIMBS }, { U2048::LIMBS }>(&keys()[0]);
        let rsa3072 = &keys()[2];
        check::<{ U1536::LIMBS }, { U3072::LIMBS }>(rsa3072);
        let rsa4096 = RsaPrivateKey::new(&mut rng, 4096).unwrap();
        check::<{ U2048::LIMBS }, { U4096::LIMBS }>(&rsa4096);
    }

    /// A random odd modulus with its top bit set (as an RSA prime has), a base below it and a
    /// full-width exponent, at both edges too.
    #[test]
    fn exponentiations_on_28_bit_limbs_agree_with_crypto_bigint() {
        fn random<const H: usize>(rng: &mut rand::rngs::StdRng) -> Uint<H> {
            let mut bytes = vec![0u8; H * Word::BITS as usize / 8];
            rng.fill_bytes(&mut bytes);
            Uint::from_be_slice(&bytes)
        }
        fn agrees<const H: usize, const F: usize>(cases: usize) {
            let mut rng = rand::rngs::StdRng::seed_from_u64(28);
            for i in 0..cases {
                let m =
                    random::<H>(&mut rng) | Uint::ONE | Uint::ONE.shl_vartime(Uint::<H>::BITS - 1);
                let mut x = random::<H>(&mut rng).wrapping_rem(&m);
                let mut e = random::<H>(&mut rng);
                match i {
                    0 => x = Uint::ZERO,
                    1 => x = Uint::ONE,
                    2 => x = m.wrapping_sub(&Uint::ONE),
                    3 => e = Uint::ZERO,
                    4 => e = Uint::ONE,
                    5 => e = Uint::MAX,
                    _ => {}
                }
                let params = DynResidueParams::new(&m);
                let prime = Prime::<H>::new(&m).unwrap();
                let expected = DynResidue::new(&x, params).pow(&e).retrieve();
                // x < m < m·R: the residue of x itself.
                let wide = widen::<H, F>(&x);
                assert_eq!(
                    prime.power_on(&wide, &e, true).unwrap().retrieve(),
                    expected,
                    "case {i}"
                );
            }
        }
        agrees::<{ U1024::LIMBS }, { U2048::LIMBS }>(12);
        agrees::<{ U2048::LIMBS }, { U4096::LIMBS }>(8);
    }

    #[test]
    fn limbs_round_trip() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for _ in 0..50 {
            let mut bytes = [0u8; 256];
            rng.fill_bytes(&mut bytes);
            let x = U2048::from_be_slice(&bytes);
            let limbs = to_limbs(&x, limbs_for(2048));
            assert!(limbs.iter().all(|&l| l < 1 << BITS));
            assert_eq!(from_limbs::<{ U2048::LIMBS }>(&limbs), x);
        }
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
