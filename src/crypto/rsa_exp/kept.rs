//! What RSA keeps between operations: the Montgomery parameters of public moduli, and the
//! blinding pairs and prime parameters of private keys (found again by key, overwritten when
//! dropped).

use std::any::Any;

/// What is kept between operations, in two lists so that the public moduli of many
/// correspondents do not push a private key's state out: `PublicModulus`es, and the
/// `Blinding`s and `PrimeParams` of private keys (the oldest of a list goes first).
#[derive(Clone, Copy)]
pub(super) enum Kept {
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

pub(super) fn with_kept<T>(list: Kept, f: impl FnOnce(&mut Vec<Box<dyn Any>>) -> T) -> T {
    let kept = match list {
        Kept::Public => &KEPT_PUBLIC,
        Kept::Private => &KEPT_PRIVATE,
    };
    kept.with(|kept| f(&mut kept.borrow_mut()))
}

pub(super) fn keep(list: Kept, entry: Box<dyn Any>) {
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
