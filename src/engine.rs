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
use crate::error::{Error, ErrorCode, Result};
use crate::keys::Keyring;
use crate::policy::{Algorithms, SignatureRules};
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
    /// Ciphers and forms the policy asks for, and the rules signing keys must meet.
    pub algorithms: &'a Algorithms,
}

/// What reading needs: the time to judge validity at, safety limits, and the policy's rules
/// for signatures.
#[derive(Debug, Clone)]
pub struct ReadContext {
    /// Certificates and keys are judged at this time (the caller's clock or the message date).
    pub now: Time,
    /// Largest plaintext an engine may produce (decompression bombs, huge attachments).
    pub max_output: usize,
    /// Digests and key sizes a signature must meet (the policy's; default: the safe floor).
    pub signatures: SignatureRules,
}

impl ReadContext {
    /// Default limit on decrypted/decompressed output: 64 MiB.
    pub const DEFAULT_MAX_OUTPUT: usize = 64 * 1024 * 1024;

    /// A context at `now` with default limits.
    pub fn at(now: Time) -> Self {
        ReadContext {
            now,
            max_output: Self::DEFAULT_MAX_OUTPUT,
            signatures: SignatureRules::default(),
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
    /// OpenPGP: the key is valid, but the subkey it would use for this has expired (its holder
    /// can extend it and send the key again).
    SubkeyExpired,
    /// OpenPGP: the key is valid, but the subkey it would use for this has been revoked.
    SubkeyRevoked,
    /// Found, but revoked.
    Revoked,
    /// Found, but not valid yet.
    NotYetValid,
    /// S/MIME: the certificate is valid, but a CA certificate on its path to a trust anchor is
    /// not (expired): what it signs reads `expired` to everyone who checks the path.
    IssuerExpired,
    /// Found, but not allowed for this use (key usage, EKU, key flags, no encryption subkey).
    WrongUsage,
    /// Found, but its RSA key of this many bits is under the policy's minimum.
    TooWeak(usize),
    /// S/MIME: the certificate carries a critical extension mailseal does not process, which
    /// RFC 5280 §4.2 says must make it rejected.
    UnknownCriticalExtension,
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
            KeyProblem::SubkeyExpired => format!(
                "The {what} for {a} was found and is valid, but the subkey it has for this has \
                 expired: its holder can extend the subkey and send the key again."
            ),
            KeyProblem::Revoked => format!("The {what} for {a} was found, but has been revoked."),
            KeyProblem::SubkeyRevoked => format!(
                "The {what} for {a} was found and is valid, but the subkey it has for this has \
                 been revoked: its holder must add a new one and send the key again."
            ),
            KeyProblem::NotYetValid => {
                format!("The {what} for {a} was found, but is not valid yet.")
            }
            KeyProblem::IssuerExpired => format!(
                "The {what} for {a} is valid, but a CA certificate it chains to has expired: \
                 recipients could not verify its signatures. Renew it with the CA."
            ),
            KeyProblem::WrongUsage => {
                format!("The {what} for {a} was found, but may not be used for this.")
            }
            KeyProblem::UnknownCriticalExtension => format!(
                "The {what} for {a} was found, but carries a critical extension mailseal does \
                 not process, so it may not be used (RFC 5280)."
            ),
            KeyProblem::TooWeak(bits) => format!(
                "The {what} for {a} was found, but its {bits}-bit RSA key is too weak to be used."
            ),
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

/// The key an engine chose for one address: which keyring entry (its id) and, for OpenPGP,
/// which of its components (subkey fingerprint; empty for S/MIME), with the address it was
/// chosen for. Made by [`Engine::signing_key`] / [`Engine::encryption_key`] and given back to
/// [`Engine::sign_as`] / [`Engine::encrypt_to`], so the key is selected once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChosenKey {
    id: String,
    component: Vec<u8>,
    address: String,
}

impl ChosenKey {
    pub(crate) fn new(id: String, component: Vec<u8>, address: &str) -> Self {
        ChosenKey {
            id,
            component,
            address: address.to_string(),
        }
    }

    /// The keyring id of the key (certificate SHA-256, OpenPGP fingerprint).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The address the key was chosen for, as the caller gave it.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The component of the key to use (OpenPGP subkey fingerprint), empty for S/MIME.
    // Only the OpenPGP engine reads it: unused in an S/MIME-only build.
    #[cfg_attr(not(feature = "openpgp"), allow(dead_code))]
    pub(crate) fn component(&self) -> &[u8] {
        &self.component
    }
}

/// A key chosen to sign with (it has its private key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerHandle(pub(crate) ChosenKey);

/// A key chosen to encrypt to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientHandle(pub(crate) ChosenKey);

impl core::ops::Deref for SignerHandle {
    type Target = ChosenKey;
    fn deref(&self) -> &ChosenKey {
        &self.0
    }
}

impl core::ops::Deref for RecipientHandle {
    type Target = ChosenKey;
    fn deref(&self) -> &ChosenKey {
        &self.0
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

/// Where decrypted content is after [`Engine::decrypt_in_place`].
pub enum Plaintext {
    /// In the payload's own buffer, this range of it (where the ciphertext was).
    InPlace(core::ops::Range<usize>),
    /// In a buffer of its own.
    Owned(SecretBytes),
}

/// [`Decrypted`], with the content possibly left in the payload's buffer.
pub struct DecryptedInPlace {
    /// As [`Decrypted::report`].
    pub report: EncryptionReport,
    /// As [`Decrypted::content`].
    pub content: Option<Plaintext>,
    /// As [`Decrypted::signature`].
    pub signature: Option<SignatureReport>,
}

impl From<Decrypted> for DecryptedInPlace {
    fn from(d: Decrypted) -> Self {
        DecryptedInPlace {
            report: d.report,
            content: d.content.map(Plaintext::Owned),
            signature: d.signature,
        }
    }
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

    /// The key `address` would sign with, or why it cannot sign.
    fn signing_key(
        &self,
        ring: &Keyring,
        address: &str,
        now: Time,
    ) -> core::result::Result<SignerHandle, Unusable>;

    /// The key a message to `address` would be encrypted to, or why there is none.
    fn encryption_key(
        &self,
        ring: &Keyring,
        address: &str,
        now: Time,
    ) -> core::result::Result<RecipientHandle, Unusable>;

    /// Signs a canonical entity with the chosen key and returns the signed entity (default
    /// form: the standard's detached `multipart/signed`).
    fn sign_as<'a>(
        &'a self,
        ring: &'a Keyring,
        signer: &'a SignerHandle,
        entity: Vec<u8>,
        ctx: &'a mut WriteContext<'_>,
    ) -> Pending<'a, Result<Vec<u8>>>;

    /// Encrypts a canonical entity to the chosen keys (each once). With `signer`, signs first
    /// (S/MIME: signed entity inside the envelope; OpenPGP: one-pass signature inside the
    /// encrypted message). An empty list is `bad_input`.
    fn encrypt_to<'a>(
        &'a self,
        ring: &'a Keyring,
        recipients: &'a [RecipientHandle],
        signer: Option<&'a SignerHandle>,
        entity: Vec<u8>,
        ctx: &'a mut WriteContext<'_>,
    ) -> Pending<'a, Result<Vec<u8>>>;

    /// Signs a canonical entity as `signer` ([`Engine::signing_key`], then
    /// [`Engine::sign_as`]); no usable key is `sender_key_missing`.
    fn sign<'a>(
        &'a self,
        ring: &'a Keyring,
        signer: &'a str,
        entity: Vec<u8>,
        ctx: &'a mut WriteContext<'_>,
    ) -> Pending<'a, Result<Vec<u8>>> {
        Box::pin(async move {
            let handle = sender_key(self, ring, signer, ctx.now)?;
            self.sign_as(ring, &handle, entity, ctx).await
        })
    }

    /// Encrypts a canonical entity to every address in `recipients` (the caller adds the sender
    /// for encrypt-to-self), signed by `signer` when given ([`Engine::encrypt_to`]). Any
    /// recipient without a usable key is `recipient_key_missing` naming the addresses.
    fn encrypt<'a>(
        &'a self,
        ring: &'a Keyring,
        recipients: &'a [String],
        signer: Option<&'a str>,
        entity: Vec<u8>,
        ctx: &'a mut WriteContext<'_>,
    ) -> Pending<'a, Result<Vec<u8>>> {
        Box::pin(async move {
            if recipients.is_empty() {
                // Each engine words the empty list itself.
                return self.encrypt_to(ring, &[], None, entity, ctx).await;
            }
            let keys = recipient_keys(self, ring, recipients, ctx.now)?;
            let signer = match signer {
                Some(s) => Some(sender_key(self, ring, s, ctx.now)?),
                None => None,
            };
            self.encrypt_to(ring, &keys, signer.as_ref(), entity, ctx)
                .await
        })
    }

    /// Decrypts an encrypted payload (S/MIME: DER ContentInfo; OpenPGP: armored or binary
    /// message) with whichever keyring secret key it is for.
    fn decrypt<'a>(
        &'a self,
        ring: &'a Keyring,
        payload: &'a [u8],
        ctx: &'a ReadContext,
    ) -> Pending<'a, Result<Decrypted>>;

    /// [`Engine::decrypt`] in the payload's own buffer where the engine can: a large message
    /// is then not held twice (issue 12, peak memory). The plaintext is where the ciphertext
    /// was ([`Plaintext::InPlace`]) or in a buffer of its own; `payload` no longer holds the
    /// message afterwards, whatever the outcome. The default decrypts into a new buffer.
    fn decrypt_in_place<'a>(
        &'a self,
        ring: &'a Keyring,
        payload: &'a mut [u8],
        ctx: &'a ReadContext,
    ) -> Pending<'a, Result<DecryptedInPlace>> {
        Box::pin(async move { Ok(self.decrypt(ring, payload, ctx).await?.into()) })
    }

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

/// The key `address` signs with, or `sender_key_missing` saying why there is none.
fn sender_key<E: Engine + ?Sized>(
    engine: &E,
    ring: &Keyring,
    address: &str,
    now: Time,
) -> Result<SignerHandle> {
    engine
        .signing_key(ring, address, now)
        .map_err(|u| Error::new(ErrorCode::SenderKeyMissing, u.detail()))
}

/// Each recipient's key (a key shared by several addresses once), or `recipient_key_missing`
/// naming every address without one.
fn recipient_keys<E: Engine + ?Sized>(
    engine: &E,
    ring: &Keyring,
    recipients: &[String],
    now: Time,
) -> Result<Vec<RecipientHandle>> {
    let mut keys: Vec<RecipientHandle> = Vec::new();
    let mut problems = Vec::new();
    for r in recipients {
        match engine.encryption_key(ring, r, now) {
            Ok(k) if !keys.iter().any(|h| h.id() == k.id()) => keys.push(k),
            Ok(_) => {}
            Err(u) => problems.push(u.detail()),
        }
    }
    if !problems.is_empty() {
        return Err(Error::new(
            ErrorCode::RecipientKeyMissing,
            problems.join(" "),
        ));
    }
    Ok(keys)
}

/// What an engine encrypts: the entity, to the chosen recipients, signed inside by `signer`
/// when given (the input of [`Engine::encrypt_to`], handed to the engines as one value).
pub(crate) struct Encryption<'a> {
    /// The chosen recipients (already resolved, see [`recipient_keys`]).
    pub recipients: &'a [RecipientHandle],
    /// Sign inside the encryption with this key.
    pub signer: Option<&'a SignerHandle>,
    /// The MIME entity to protect (taken by value: large messages are not copied).
    pub entity: Vec<u8>,
}

/// A detached signature and the part it signs (the input of [`Engine::verify_detached`]).
#[derive(Clone, Copy)]
pub(crate) struct DetachedSignature<'a> {
    /// The signed part, as received (canonical CRLF form from `open`).
    pub signed: &'a [u8],
    /// The signature part's decoded body.
    pub signature: &'a [u8],
}

/// `impl Engine for $engine`, each operation handed to the engine's function of that name, so
/// the engines do not repeat the trait's signatures. The key lookups are
/// `fn(&Keyring, &str, Time) -> Result<ChosenKey, Unusable>`; the operations are async
/// functions taking the trait method's arguments after `self`.
macro_rules! impl_engine {
    ($engine:ty, $method:expr, signing_key: $sk:path, encryption_key: $ek:path,
     sign: $sign:path, encrypt: $encrypt:path, decrypt: $decrypt:path,
     verify_detached: $vd:path, verify_opaque: $vo:path
     $(, decrypt_in_place: $dip:path)? $(,)?) => {
        impl $crate::engine::Engine for $engine {
            fn method(&self) -> $crate::report::Method {
                $method
            }

            fn signing_key(
                &self,
                ring: &$crate::keys::Keyring,
                address: &str,
                now: $crate::time::Time,
            ) -> core::result::Result<$crate::engine::SignerHandle, $crate::engine::Unusable> {
                $sk(ring, address, now).map($crate::engine::SignerHandle)
            }

            fn encryption_key(
                &self,
                ring: &$crate::keys::Keyring,
                address: &str,
                now: $crate::time::Time,
            ) -> core::result::Result<$crate::engine::RecipientHandle, $crate::engine::Unusable>
            {
                $ek(ring, address, now).map($crate::engine::RecipientHandle)
            }

            fn sign_as<'a>(
                &'a self,
                ring: &'a $crate::keys::Keyring,
                signer: &'a $crate::engine::SignerHandle,
                entity: Vec<u8>,
                ctx: &'a mut $crate::engine::WriteContext<'_>,
            ) -> $crate::crypto::provider::Pending<'a, $crate::error::Result<Vec<u8>>> {
                Box::pin($sign(ring, signer, entity, ctx))
            }

            fn encrypt_to<'a>(
                &'a self,
                ring: &'a $crate::keys::Keyring,
                recipients: &'a [$crate::engine::RecipientHandle],
                signer: Option<&'a $crate::engine::SignerHandle>,
                entity: Vec<u8>,
                ctx: &'a mut $crate::engine::WriteContext<'_>,
            ) -> $crate::crypto::provider::Pending<'a, $crate::error::Result<Vec<u8>>> {
                let job = $crate::engine::Encryption {
                    recipients,
                    signer,
                    entity,
                };
                Box::pin($encrypt(ring, job, ctx))
            }

            fn decrypt<'a>(
                &'a self,
                ring: &'a $crate::keys::Keyring,
                payload: &'a [u8],
                ctx: &'a $crate::engine::ReadContext,
            ) -> $crate::crypto::provider::Pending<
                'a,
                $crate::error::Result<$crate::engine::Decrypted>,
            > {
                Box::pin($decrypt(ring, payload, ctx))
            }

            fn verify_detached<'a>(
                &'a self,
                ring: &'a $crate::keys::Keyring,
                signed: &'a [u8],
                signature: &'a [u8],
                ctx: &'a $crate::engine::ReadContext,
            ) -> $crate::crypto::provider::Pending<
                'a,
                $crate::error::Result<$crate::engine::Verified>,
            > {
                let detached = $crate::engine::DetachedSignature { signed, signature };
                Box::pin($vd(ring, detached, ctx))
            }

            fn verify_opaque<'a>(
                &'a self,
                ring: &'a $crate::keys::Keyring,
                payload: &'a [u8],
                ctx: &'a $crate::engine::ReadContext,
            ) -> $crate::crypto::provider::Pending<
                'a,
                $crate::error::Result<$crate::engine::Verified>,
            > {
                Box::pin($vo(ring, payload, ctx))
            }

            $(
            fn decrypt_in_place<'a>(
                &'a self,
                ring: &'a $crate::keys::Keyring,
                payload: &'a mut [u8],
                ctx: &'a $crate::engine::ReadContext,
            ) -> $crate::crypto::provider::Pending<
                'a,
                $crate::error::Result<$crate::engine::DecryptedInPlace>,
            > {
                Box::pin($dip(ring, payload, ctx))
            }
            )?
        }
    };
}
pub(crate) use impl_engine;

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
        fn lookup(
            &self,
            list: &[&str],
            address: &str,
        ) -> core::result::Result<ChosenKey, Unusable> {
            if list.contains(&address) {
                let id = format!("{}-{address}", self.method.as_str());
                Ok(ChosenKey::new(id, Vec::new(), address))
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
        ) -> core::result::Result<SignerHandle, Unusable> {
            self.lookup(self.signers, a).map(SignerHandle)
        }
        fn encryption_key(
            &self,
            _: &Keyring,
            a: &str,
            _: Time,
        ) -> core::result::Result<RecipientHandle, Unusable> {
            self.lookup(self.recipients, a).map(RecipientHandle)
        }
        fn sign_as<'a>(
            &'a self,
            _: &'a Keyring,
            _: &'a SignerHandle,
            _: Vec<u8>,
            _: &'a mut WriteContext<'_>,
        ) -> Pending<'a, Result<Vec<u8>>> {
            unused()
        }
        fn encrypt_to<'a>(
            &'a self,
            _: &'a Keyring,
            _: &'a [RecipientHandle],
            _: Option<&'a SignerHandle>,
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
