//! Montgomery exponentiation modulo an odd number (an RSA prime) on 28-bit limbs held in 64-bit
//! words: what mailseal's RSA private operation runs on in wasm32.
//!
//! Why: wasm32 multiplies 64-bit words but has no 128-bit product, so `crypto-bigint` uses
//! 32-bit limbs there, and every limb product pays for its carry (a wide add, a shift, a
//! truncation, a store). A 28-bit limb's product is 56 bits wide, so all products of a column
//! of a Montgomery multiplication (at most 2·N of them, N ≤ 127 limbs) add up in one `u64`
//! without overflow, and the carry is taken once per column: product scanning with the
//! reduction interleaved (Koç, Acar, Kaliski, "Analyzing and comparing Montgomery
//! multiplication algorithms", 1996: FIPS). Laid out so that each column is one dot product of
//! two arrays, it runs four products per step on wasm SIMD. R = 2^(28·N) > 4·m, so products of
//! values below 2m are below 2m again and need no subtraction; one comes at the end.
//! RSA-3072's private operation in V8: ~12 ms on `crypto-bigint`, ~5 ms here (benches/WHY.md).
//!
//! Constant time: no branch, index or loop count depends on a secret value; the exponent is
//! read in fixed 4-bit windows whose table entry is chosen by masks over all 16 entries.
//!
//! Limbs are least significant first, each below 2^28, held in `u32`s: a product of two
//! zero-extended 32-bit values is what wasm SIMD's `i64x2.extmul_low_i32x4_u` does, two at once.

#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

use subtle::ConstantTimeEq;
use zeroize::Zeroize;

/// Bits per limb.
pub const BITS: usize = 28;
const MASK: u32 = (1 << BITS) - 1;
/// Bits of the exponent taken per table lookup.
const WINDOW: usize = 4;
/// The most limbs a modulus may have: 2·N products of 56 bits and a carry fit a `u64`.
pub const MAX_LIMBS: usize = 127;

/// How many limbs a modulus of `bits` takes: enough for R > 4·m (two spare bits).
pub const fn limbs_for(bits: usize) -> usize {
    (bits + 2).div_ceil(BITS)
}

/// An odd modulus (a secret prime) and its Montgomery constants; wiped on drop.
#[derive(Clone)]
pub struct Modulus {
    m: Vec<u32>,
    /// `-m⁻¹ mod 2^28`.
    m_neg_inv: u32,
    /// `R² mod m`.
    r2: Vec<u32>,
    /// `u32::MAX`, which the compiler cannot see in [`Self::mul`] (see [`dot`]).
    all_ones: u32,
}

impl Drop for Modulus {
    fn drop(&mut self) {
        self.m.zeroize();
        self.r2.zeroize();
        self.m_neg_inv.zeroize();
    }
}

impl Modulus {
    /// `m` odd, below R/4 (its top limb below 2^26), with `R² mod m` (R = 2^(28·len)); `None`
    /// for lengths that differ or exceed [`MAX_LIMBS`], an even `m` or a limb of 28 bits or more.
    pub fn new(m: &[u32], r2: &[u32]) -> Option<Self> {
        let n = m.len();
        let fits = |x: &[u32]| x.iter().all(|&l| l <= MASK);
        let top_ok = m.last().is_some_and(|&t| t < 1 << (BITS - 2));
        if n == 0 || n > MAX_LIMBS || r2.len() != n || m[0] & 1 == 0 || !top_ok {
            return None;
        }
        if !fits(m) || !fits(r2) {
            return None;
        }
        Some(Modulus {
            m_neg_inv: neg_inverse(m[0]),
            m: m.to_vec(),
            r2: r2.to_vec(),
            all_ones: u32::MAX,
        })
    }

    /// The number of limbs.
    pub fn len(&self) -> usize {
        self.m.len()
    }

    /// Never: a modulus has at least one limb (for clippy's `len_without_is_empty`).
    pub fn is_empty(&self) -> bool {
        self.m.is_empty()
    }

    /// `x^e mod m` for `x < m` in [`Self::len`] limbs and `e` in little-endian bytes; every
    /// bit of `e` is gone through, whatever its value. `None` when `x` has another length.
    pub fn pow(&self, x: &[u32], e: &[u8]) -> Option<Vec<u32>> {
        let n = self.len();
        if x.len() != n {
            return None;
        }
        let mut out = vec![0u32; n];
        let mut s = Scratch::new(n);
        let mut one = vec![0u32; n];
        one[0] = 1;
        let mut table = vec![0u32; n << WINDOW];
        let mut y = vec![0u32; n];
        let mut factor = vec![0u32; n];
        self.mul(&self.r2, &one, &mut table[..n], &mut s); // R mod m: one
        self.mul(x, &self.r2, &mut y, &mut s); // x·R
        table[n..2 * n].copy_from_slice(&y);
        for i in 2..1 << WINDOW {
            let (done, rest) = table.split_at_mut(i * n);
            self.mul(
                &done[(i - 1) * n..],
                &done[n..2 * n],
                &mut rest[..n],
                &mut s,
            );
        }
        y.copy_from_slice(&table[..n]);
        for window in (0..e.len() * 8 / WINDOW).rev() {
            for _ in 0..WINDOW {
                self.mul(&y, &y, &mut factor, &mut s);
                y.copy_from_slice(&factor);
            }
            let bits = (e[window / 2] >> (window % 2 * WINDOW)) & 0xf;
            select(&table, n, bits, &mut factor);
            self.mul(&y, &factor, &mut out, &mut s);
            y.copy_from_slice(&out);
        }
        self.mul(&y, &one, &mut out, &mut s);
        self.subtract_once(&mut out);
        for v in [&mut table, &mut y, &mut factor] {
            v.zeroize();
        }
        Some(out)
    }

    /// `a·b·R⁻¹ mod m` into `t`, below 2m for `a, b` below 2m. Column `i` of the product and of
    /// the reduction's `q·m` is summed, `q`'s limb `i` chosen to clear it, its top carried on.
    fn mul(&self, a: &[u32], b: &[u32], t: &mut [u32], s: &mut Scratch) {
        let (m, n) = (&self.m[..], self.m.len());
        let (a, b, t) = (&a[..n], &b[..n], &mut t[..n]);
        let (aq, mb) = (&mut s.aq[..2 * n], &mut s.mb[..2 * n]);
        for ((pair, &bk), &mk) in mb.chunks_exact_mut(2).rev().zip(b).zip(m) {
            pair.copy_from_slice(&[bk, mk]);
        }
        let mut acc = 0u64;
        for i in 0..n {
            // a_j·b_(i−j) + q_j·m_(i−j) for j < i: `aq` holds a_j, q_j side by side from the
            // bottom, `mb` b_k, m_k from the top, so the column is one dot product of two
            // slices running forward (which the compiler turns into SIMD).
            acc += dot(
                &aq[..2 * i],
                &mb[2 * (n - 1 - i)..2 * (n - 1)],
                self.all_ones,
            );
            acc += wide(a[i], b[0]);
            let q = (acc as u32).wrapping_mul(self.m_neg_inv) & MASK;
            acc = (acc + wide(q, m[0])) >> BITS;
            aq[2 * i..2 * i + 2].copy_from_slice(&[a[i], q]);
        }
        for i in n..2 * n - 1 {
            let lo = i + 1 - n;
            acc += dot(&aq[2 * lo..], &mb[..2 * (n - lo)], self.all_ones);
            t[i - n] = acc as u32 & MASK;
            acc >>= BITS;
        }
        t[n - 1] = acc as u32;
    }

    /// `y mod m` for `y` below 2m: `y − m` unless that borrows, chosen by a mask.
    fn subtract_once(&self, y: &mut [u32]) {
        let mut diff = vec![0u32; y.len()];
        let mut borrow = 0u32;
        for ((d, &a), &b) in diff.iter_mut().zip(y.iter()).zip(&self.m) {
            let t = a.wrapping_sub(b).wrapping_sub(borrow);
            *d = t & MASK;
            borrow = t >> 31;
        }
        let keep = mask(borrow.ct_eq(&1));
        for (a, d) in y.iter_mut().zip(&diff) {
            *a = (*a & keep) | (d & !keep);
        }
        diff.zeroize();
    }
}

/// Working space of a multiplication: `a_j, q_j` pairs from the bottom and `b_k, m_k` pairs
/// from the top (secret values: wiped on drop).
struct Scratch {
    aq: Vec<u32>,
    mb: Vec<u32>,
}

impl Scratch {
    fn new(n: usize) -> Self {
        Scratch {
            aq: vec![0; 2 * n],
            mb: vec![0; 2 * n],
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        self.aq.zeroize();
        self.mb.zeroize();
    }
}

/// `Σ x_j·y_j` over slices of one length: at most 2·[`MAX_LIMBS`] products of 56 bits, which
/// fit a `u64`.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn dot(x: &[u32], y: &[u32], _opaque: u32) -> u64 {
    x.iter().zip(y).map(|(&x, &y)| wide(x, y)).sum()
}

/// [`dot`] four products at a time: two `i64x2.extmul_{low,high}_i32x4_u` of whole vectors.
/// Left to itself the compiler folds a vector's load and its zero extension into
/// `i64x2.load32x2_u` and multiplies `u64` lanes (`i64x2.mul`, which V8 emulates on x64 in
/// several instructions: slower than scalar code). `opaque` (all ones, read at run time) is
/// ANDed with each loaded vector to keep the load and the extension apart.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn dot(x: &[u32], y: &[u32], opaque: u32) -> u64 {
    use core::arch::wasm32::{
        u32x4, u32x4_splat, u64x2, u64x2_add, u64x2_extmul_high_u32x4, u64x2_extmul_low_u32x4,
        u64x2_extract_lane, v128_and,
    };
    let keep = u32x4_splat(opaque);
    let (x4, x_rest) = x.as_chunks::<4>();
    let (y4, y_rest) = y.as_chunks::<4>();
    let mut sum = u64x2(0, 0);
    for (a, b) in x4.iter().zip(y4) {
        let a = v128_and(u32x4(a[0], a[1], a[2], a[3]), keep);
        let b = v128_and(u32x4(b[0], b[1], b[2], b[3]), keep);
        let products = u64x2_add(u64x2_extmul_low_u32x4(a, b), u64x2_extmul_high_u32x4(a, b));
        sum = u64x2_add(sum, products);
    }
    let rest: u64 = x_rest.iter().zip(y_rest).map(|(&x, &y)| wide(x, y)).sum();
    u64x2_extract_lane::<0>(sum) + u64x2_extract_lane::<1>(sum) + rest
}

/// The 56-bit product of two limbs.
fn wide(a: u32, b: u32) -> u64 {
    u64::from(a) * u64::from(b)
}

/// All ones when `choice` is set, else zero (through `subtle`, which hides it from the
/// optimiser).
fn mask(choice: subtle::Choice) -> u32 {
    0u32.wrapping_sub(u32::from(choice.unwrap_u8()))
}

/// Entry `index` of a table of `n`-limb entries into `out`, every entry read.
fn select(table: &[u32], n: usize, index: u8, out: &mut [u32]) {
    out.fill(0);
    for (k, entry) in table.chunks_exact(n).enumerate() {
        let hit = mask((k as u8).ct_eq(&index));
        for (o, &e) in out.iter_mut().zip(entry) {
            *o |= e & hit;
        }
    }
}

/// `-m0⁻¹ mod 2^28` for an odd `m0`, by Newton's iteration (m0·m0 ≡ 1 mod 8 to start; each
/// step doubles the correct bits: 3, 6, 12, 24, 48).
fn neg_inverse(m0: u32) -> u32 {
    let mut inv = m0;
    for _ in 0..4 {
        inv = inv.wrapping_mul(2u32.wrapping_sub(m0.wrapping_mul(inv)));
    }
    0u32.wrapping_sub(inv) & MASK
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small case worked by hand: 3^5 mod 11 = 1 (m = 11 in one limb; R = 2^28).
    #[test]
    fn a_small_power() {
        let r = (1u128 << 28) % 11;
        let r2 = (r * r % 11) as u32;
        let m = Modulus::new(&[11], &[r2]).unwrap();
        assert_eq!(m.pow(&[3], &[5]).unwrap(), [243 % 11]);
        assert_eq!(m.pow(&[7], &[0]).unwrap(), [1]);
        assert_eq!(m.pow(&[0], &[0xff]).unwrap(), [0]);
        assert!(m.pow(&[3, 0], &[5]).is_none(), "a base of another length");
    }

    /// Moduli of one and two limbs against `u128` arithmetic: every column shape of the dot
    /// products, random bases and exponents.
    #[test]
    fn small_moduli_agree_with_u128_arithmetic() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let modpow = |x: u128, e: &[u8], m: u128| {
            let mut y = 1 % m;
            for byte in e.iter().rev() {
                for bit in (0..8).rev() {
                    y = y * y % m;
                    if byte >> bit & 1 == 1 {
                        y = y * x % m;
                    }
                }
            }
            y
        };
        for n in [1usize, 2] {
            for _ in 0..200 {
                let top = 1u64 << (BITS * n - 2);
                let m = (next() % top) | 1 | (top >> 1);
                let r = (1u128 << (BITS * n)) % u128::from(m);
                let r2 = (r * r % u128::from(m)) as u64;
                let x = next() % m;
                let e = next().to_le_bytes()[..3].to_vec();
                let limbs = |v: u64| {
                    (0..n)
                        .map(|i| (v >> (BITS * i)) as u32 & MASK)
                        .collect::<Vec<_>>()
                };
                let modulus = Modulus::new(&limbs(m), &limbs(r2)).unwrap();
                let out = modulus.pow(&limbs(x), &e).unwrap();
                let expected = modpow(u128::from(x), &e, u128::from(m)) as u64;
                assert_eq!(out, limbs(expected), "{x}^{e:?} mod {m}");
            }
        }
    }

    #[test]
    fn refuses_what_it_cannot_take() {
        assert!(Modulus::new(&[10], &[1]).is_none(), "even");
        assert!(Modulus::new(&[], &[]).is_none(), "empty");
        assert!(Modulus::new(&[11, 1], &[1]).is_none(), "lengths differ");
        assert!(
            Modulus::new(&[11, 1 << 26], &[1, 0]).is_none(),
            "no two spare bits"
        );
        assert!(
            Modulus::new(&[1 << 28 | 1], &[1]).is_none(),
            "a limb too wide"
        );
        assert!(Modulus::new(&vec![1; MAX_LIMBS + 1], &vec![0; MAX_LIMBS + 1]).is_none());
    }

    #[test]
    fn negative_inverse_clears_the_low_limb() {
        for m0 in [1u32, 3, 0x0fff_ffff, 0x0abc_def1, 0x0000_0101] {
            assert_eq!(m0.wrapping_mul(neg_inverse(m0)).wrapping_add(1) & MASK, 0);
        }
    }

    /// The largest values a step can see: all-ones limbs in every column (debug builds check
    /// the column sums for overflow) against the widest modulus.
    #[test]
    fn largest_limbs_do_not_overflow_a_column() {
        let n = MAX_LIMBS;
        let mut m = vec![MASK; n];
        m[n - 1] = (1 << (BITS - 2)) - 1;
        let modulus = Modulus::new(&m, &vec![1; n]).unwrap();
        let mut big = vec![MASK; n];
        big[n - 1] = (1 << (BITS - 1)) - 1; // below 2m
        let mut product = vec![0; n];
        modulus.mul(&big, &big, &mut product, &mut Scratch::new(n));
        assert!(product.iter().all(|&l| l <= MASK));
    }
}
