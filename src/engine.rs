//! The one trait both standards implement, so that `protect` and `open` (flow, policy, errors,
//! reports) are written once.
//!
//! An engine works on MIME entities, not on whole messages:
//!
//! - writing, it receives the *canonical* entity to protect (CRLF line ends, 7-bit-safe
//!   transfer encodings, headers of the entity only: Content-Type and friends) and returns the
//!   complete protected entity in its standard's shape (`multipart/signed`,
//!   `application/pkcs7-mime`, `multipart/encrypted`, ...). The caller adds the message
//!   headers (From, To, Subject, ...) around it.
//! - reading, `open` finds the cryptographic layer and hands over the payload: the exact
//!   bytes of a signed part and its signature (detached), the decoded body of an
//!   `application/pkcs7-mime` part or an armored/binary OpenPGP message (opaque / encrypted).
//!   The engine returns what it found as report halves plus the inner entity, if any.
//!
//! Reading never returns `Err` for a message that is merely bad, unsigned by us or encrypted
//! to someone else: that is a verdict in the report. `Err` is for input that is not a message
//! of that standard at all (`malformed_message`) or exceeds limits (`too_large`).

use crate::crypto::provider::Pending;
use crate::error::Result;
use crate::keys::Keyring;
use crate::policy::Algorithms;
use crate::report::{EncryptionReport, Method, SignatureReport};
use crate::rng::Rng;
use crate::secret::SecretBytes;
use crate::time::Time;

/// What writing needs besides keys: the caller's clock and randomness, and algorithm choices.
pub struct WriteContext<'a> {
    /// Signing time, key validity.
    pub now: Time,
    /// Content keys, IVs, boundaries, ECDH ephemerals.
    pub rng: &'a mut dyn Rng,
    /// Ciphers and forms the policy asks for.
    pub algorithms: &'a Algorithms,
}

/// What reading needs: the time to judge validity at, and safety limits.
#[derive(Debug, Clone, Copy)]
pub struct ReadContext {
    /// Certificates and keys are judged at this time (the caller's clock or the message date).
    pub now: Time,
    /// Largest plaintext an engine may produce (decompression bombs, huge attachments).
    pub max_output: usize,
}

impl ReadContext {
    /// Default limit on decrypted/decompressed output: 64 MiB.
    pub const DEFAULT_MAX_OUTPUT: usize = 64 * 1024 * 1024;

    /// A context at `now` with default limits.
    pub fn at(now: Time) -> Self {
        ReadContext {
            now,
            max_output: Self::DEFAULT_MAX_OUTPUT,
        }
    }
}

/// Why an address cannot be used to sign or encrypt with one method: drives the composer's
/// buttons, `capabilities`, and the `block` / `problem_report` fallbacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unusable {
    /// The address concerned (addr-spec).
    pub address: String,
    /// The method that cannot be used.
    pub method: Method,
    /// What is wrong.
    pub problem: KeyProblem,
}

/// The ways a key can be unusable for an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyProblem {
    /// No certificate / key for the address.
    NotFound,
    /// Found, but expired at the time of use.
    Expired,
    /// Found, but revoked.
    Revoked,
    /// Found, but not valid yet.
    NotYetValid,
    /// Found, but not allowed for this use (key usage, EKU, key flags, no encryption subkey).
    WrongUsage,
    /// Signing or decrypting needs the private key, which the keyring does not hold.
    NoSecret,
    /// Several different keys claim the address and none of them was verified by the admin:
    /// choosing one would be a guess (one of them may be an impostor's).
    Conflict,
}

impl Unusable {
    /// The sentence a help-desk agent sees, naming the address.
    pub fn detail(&self) -> String {
        let what = match self.method {
            Method::Smime => "certificate",
            Method::Pgp => "PGP key",
        };
        let a = &self.address;
        match self.problem {
            KeyProblem::NotFound => format!("The {what} for {a} was not found."),
            KeyProblem::Expired => format!("The {what} for {a} was found, but has expired."),
            KeyProblem::Revoked => format!("The {what} for {a} was found, but has been revoked."),
            KeyProblem::NotYetValid => {
                format!("The {what} for {a} was found, but is not valid yet.")
            }
            KeyProblem::WrongUsage => {
                format!("The {what} for {a} was found, but may not be used for this.")
            }
            KeyProblem::NoSecret => {
                format!("The {what} for {a} was found, but its private key is not in the keyring.")
            }
            KeyProblem::Conflict => format!(
                "Several different {what}s claim {a} and none of them has been verified: \
                 mark the right one as trusted in the key admin (and remove the others)."
            ),
        }
    }
}

/// The outcome of decrypting.
#[derive(Debug)]
pub struct Decrypted {
    /// Always filled: `decrypted`, `no_key` or `failed` with a detail.
    pub report: EncryptionReport,
    /// The inner MIME entity, only when `report.state` is `decrypted` (never partial or
    /// unauthenticated-and-failed plaintext).
    pub content: Option<SecretBytes>,
    /// A signature carried inside the same cryptographic object (OpenPGP sign+encrypt in one
    /// message; S/MIME only for a bare SignedData inside an envelope, as old Outlook versions
    /// write it, else S/MIME signs in a separate layer). Not yet bound to the sender: `open`
    /// does that.
    pub signature: Option<SignatureReport>,
}

/// The outcome of verifying.
#[derive(Debug)]
pub struct Verified {
    /// The verdict, not yet bound to the sender (`open` calls
    /// [`SignatureReport::bind_sender`]).
    pub report: SignatureReport,
    /// Opaque forms (S/MIME signed-data, OpenPGP signed or cleartext-signed message): the
    /// signed content, returned whatever the verdict so the agent can still read it (marked
    /// as not verified). Detached forms: `None`, the caller already has the content.
    pub content: Option<Vec<u8>>,
    /// S/MIME: the certificates the SignedData carried (DER), for learning the sender's;
    /// empty for OpenPGP.
    pub certificates: Vec<Vec<u8>>,
}

/// One standard's sign / verify / encrypt / decrypt over MIME entities with keyring keys.
///
/// The operations return futures ([`Pending`]) because their bulk work goes through the crypto
/// provider, which is asynchronous where the platform's crypto is (WebCrypto). Key selection
/// is synchronous.
pub trait Engine {
    /// Which standard this is.
    fn method(&self) -> Method;

    /// The key `address` would sign with (its id), or why it cannot sign.
    fn signing_key(
        &self,
        ring: &Keyring,
        address: &str,
        now: Time,
    ) -> core::result::Result<String, Unusable>;

    /// The key a message to `address` would be encrypted to (its id), or why there is none.
    fn encryption_key(
        &self,
        ring: &Keyring,
        address: &str,
        now: Time,
    ) -> core::result::Result<String, Unusable>;

    /// Signs a canonical entity as `signer` and returns the signed entity (default form: the
    /// standard's detached `multipart/signed`).
    fn sign<'a>(
        &'a self,
        ring: &'a Keyring,
        signer: &'a str,
        entity: Vec<u8>,
        ctx: &'a mut WriteContext<'_>,
    ) -> Pending<'a, Result<Vec<u8>>>;

    /// Encrypts a canonical entity to every address in `recipients` (the caller adds the sender
    /// for encrypt-to-self). With `signer`, signs first (S/MIME: signed entity inside the
    /// envelope; OpenPGP: one-pass signature inside the encrypted message). Any recipient
    /// without a usable key is `recipient_key_missing` naming the addresses.
    fn encrypt<'a>(
        &'a self,
        ring: &'a Keyring,
        recipients: &'a [String],
        signer: Option<&'a str>,
        entity: Vec<u8>,
        ctx: &'a mut WriteContext<'_>,
    ) -> Pending<'a, Result<Vec<u8>>>;

    /// Decrypts an encrypted payload (S/MIME: DER ContentInfo; OpenPGP: armored or binary
    /// message) with whichever keyring secret key it is for.
    fn decrypt<'a>(
        &'a self,
        ring: &'a Keyring,
        payload: &'a [u8],
        ctx: &'a ReadContext,
    ) -> Pending<'a, Result<Decrypted>>;

    /// Verifies a detached signature over the exact bytes of the signed part.
    fn verify_detached<'a>(
        &'a self,
        ring: &'a Keyring,
        signed: &'a [u8],
        signature: &'a [u8],
        ctx: &'a ReadContext,
    ) -> Pending<'a, Result<Verified>>;

    /// Verifies an opaque signed payload and returns its content.
    fn verify_opaque<'a>(
        &'a self,
        ring: &'a Keyring,
        payload: &'a [u8],
        ctx: &'a ReadContext,
    ) -> Pending<'a, Result<Verified>>;
}

/// A test engine that knows fixed address lists, for testing planning without keys.
#[cfg(test)]
pub(crate) mod fake {
    use super::*;
    use crate::error::{Error, ErrorCode};

    /// An engine that knows a fixed set of addresses, for testing the planning alone.
    pub(crate) struct Fake {
        pub method: Method,
        pub signers: &'static [&'static str],
        pub recipients: &'static [&'static str],
    }

    impl Fake {
        fn lookup(&self, list: &[&str], address: &str) -> core::result::Result<String, Unusable> {
            if list.contains(&address) {
                Ok(format!("{}-{address}", self.method.as_str()))
            } else {
                Err(Unusable {
                    address: address.to_string(),
                    method: self.method,
                    problem: KeyProblem::NotFound,
                })
            }
        }
    }

    fn unused<'a, T: 'a>() -> Pending<'a, Result<T>> {
        Box::pin(async { Err(Error::new(ErrorCode::Internal, "not used by this test")) })
    }

    impl Engine for Fake {
        fn method(&self) -> Method {
            self.method
        }
        fn signing_key(
            &self,
            _: &Keyring,
            a: &str,
            _: Time,
        ) -> core::result::Result<String, Unusable> {
            self.lookup(self.signers, a)
        }
        fn encryption_key(
            &self,
            _: &Keyring,
            a: &str,
            _: Time,
        ) -> core::result::Result<String, Unusable> {
            self.lookup(self.recipients, a)
        }
        fn sign<'a>(
            &'a self,
            _: &'a Keyring,
            _: &'a str,
            _: Vec<u8>,
            _: &'a mut WriteContext<'_>,
        ) -> Pending<'a, Result<Vec<u8>>> {
            unused()
        }
        fn encrypt<'a>(
            &'a self,
            _: &'a Keyring,
            _: &'a [String],
            _: Option<&'a str>,
            _: Vec<u8>,
            _: &'a mut WriteContext<'_>,
        ) -> Pending<'a, Result<Vec<u8>>> {
            unused()
        }
        fn decrypt<'a>(
            &'a self,
            _: &'a Keyring,
            _: &'a [u8],
            _: &'a ReadContext,
        ) -> Pending<'a, Result<Decrypted>> {
            unused()
        }
        fn verify_detached<'a>(
            &'a self,
            _: &'a Keyring,
            _: &'a [u8],
            _: &'a [u8],
            _: &'a ReadContext,
        ) -> Pending<'a, Result<Verified>> {
            unused()
        }
        fn verify_opaque<'a>(
            &'a self,
            _: &'a Keyring,
            _: &'a [u8],
            _: &'a ReadContext,
        ) -> Pending<'a, Result<Verified>> {
            unused()
        }
    }
}
