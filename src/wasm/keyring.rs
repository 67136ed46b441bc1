//! The JavaScript `Keyring` class.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::convert;
use super::error::os_rng;
use super::error::to_js;
use crate::keys::{AuditEvent, ImportOptions, Keyring};
use crate::secret::SecretBytes;

// KeyInfo, KeyKind, KeyStatus and AuditEvent come from the Rust types (`derive(tsify::Tsify)`).
// The options stay hand-written: `now` is a Date or milliseconds, read by hand (convert::now).
#[wasm_bindgen(typescript_custom_section)]
const TS_OPTIONS: &str = r#"
export interface TimeOptions { now?: Date | number; }
export interface ImportOptions extends TimeOptions { passphrase?: string; trusted?: boolean; }
export interface GenerateOpenPgpOptions extends TimeOptions {
  address: string; name?: string; algorithm?: PgpKeyAlgorithm; validDays?: number; v6?: boolean;
}
export interface GenerateSmimeOptions extends TimeOptions {
  address: string; name?: string; algorithm?: SmimeKeyAlgorithm;
}
"#;

/// The options of `generateOpenPgp` / `generateSmime` (`now` is read separately).
fn generate_options<T: serde::de::DeserializeOwned>(opts: JsValue) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(opts)
        .map_err(|e| super::error::bad_input(&format!("The key options are not valid: {e}")))
}

/// A vault key: bytes only (a string would be taken as its UTF-8, never as base64 or hex).
fn key_bytes(value: &JsValue) -> Result<SecretBytes, JsValue> {
    if value.is_string() {
        return Err(super::error::bad_input(
            "The keyring key must be a Uint8Array of 32 random bytes, not a string.",
        ));
    }
    convert::bytes(value, "The keyring key")
}

/// The keyring: certificates and keys, S/MIME and OpenPGP.
///
/// `protect` and `open` are asynchronous (the platform's crypto is, in browsers and Workers):
/// each takes a snapshot of the keyring (a shared reference) when it is called and works on
/// that, so any number of them can run at once and the keyring stays usable meanwhile. A
/// change while one runs copies the keyring first (copy-on-write), and the operation keeps
/// the keys it started with. Their audit events join the log at the keyring's next call.
#[wasm_bindgen(js_name = Keyring)]
pub struct JsKeyring {
    inner: Rc<Keyring>,
    /// Audit events of finished `protect` / `open` calls, not yet in the keyring's log.
    finished: Finished,
}

/// Where a finished operation leaves its audit event (wasm32 has one thread).
pub(super) type Finished = Rc<RefCell<Vec<AuditEvent>>>;

impl JsKeyring {
    pub(super) fn wrap(inner: Keyring) -> JsKeyring {
        JsKeyring {
            inner: Rc::new(inner),
            finished: Finished::default(),
        }
    }

    pub(super) fn inner(&self) -> &Keyring {
        &self.inner
    }

    /// The keyring as it is now, for an operation that outlives this call, and where its audit
    /// event goes when it is done.
    pub(super) fn snapshot(&self) -> (Rc<Keyring>, Finished) {
        (Rc::clone(&self.inner), Rc::clone(&self.finished))
    }

    /// The keyring with the finished operations' events in its log, copied only if there are
    /// events to add while an operation still holds a snapshot.
    pub(super) fn settled(&mut self) -> &Keyring {
        if self.finished.borrow().is_empty() {
            &self.inner
        } else {
            self.inner_mut()
        }
    }

    /// The keyring to change, with the finished operations' events in its log.
    pub(super) fn inner_mut(&mut self) -> &mut Keyring {
        let events = std::mem::take(&mut *self.finished.borrow_mut());
        let ring = Rc::make_mut(&mut self.inner);
        for event in events {
            ring.record(event);
        }
        ring
    }
}

/// Keys imported into the platform's crypto (WebCrypto keeps them between messages) were
/// made from a keyring's keys: they go when a keyring goes.
impl Drop for JsKeyring {
    fn drop(&mut self) {
        super::platform::forget_keys();
    }
}

#[wasm_bindgen(js_class = Keyring)]
impl JsKeyring {
    /// Traps while the keyring is borrowed mutably (what poisoned a keyring before the
    /// package recovered from traps): for tests/js/trap.test.mjs only, see
    /// `__forceTrapForTests`. Not part of the API.
    #[wasm_bindgen(js_name = __forceTrapForTests)]
    pub fn force_trap_for_tests(&mut self) {
        core::arch::wasm32::unreachable()
    }

    /// An empty keyring.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> JsKeyring {
        super::debug_panic_hook();
        JsKeyring::wrap(Keyring::new())
    }

    /// `import(data, { passphrase?, trusted?, now? })` → `KeyInfo[]`.
    #[wasm_bindgen(js_name = "import")]
    #[wasm_bindgen(unchecked_return_type = "KeyInfo[]")]
    pub fn import_keys(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")] data: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ImportOptions")] opts: Option<
            js_sys::Object,
        >,
    ) -> Result<JsValue, JsValue> {
        let data = convert::bytes(&data, "The key data")?;
        let opts = convert::options(opts)?;
        let now = convert::now(&opts)?;
        let import = ImportOptions {
            passphrase: convert::opt_string(&opts, "passphrase")?.map(zeroize::Zeroizing::new),
            trusted: convert::opt_bool(&opts, "trusted")?.unwrap_or(false),
        };
        let infos = self
            .inner_mut()
            .import(&data, &import, now)
            .map_err(to_js)?;
        convert::to_js_value(&infos)
    }

    /// `list({ now? })` → `KeyInfo[]`.
    #[wasm_bindgen(unchecked_return_type = "KeyInfo[]")]
    pub fn list(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "TimeOptions")] opts: Option<js_sys::Object>,
    ) -> Result<JsValue, JsValue> {
        let now = convert::now(&convert::options(opts)?)?;
        convert::to_js_value(&self.inner.list(now))
    }

    /// `importCrl(bytes, { now? })` → `CrlInfo`: a certificate revocation list (PEM or DER)
    /// the host fetched, kept when its CA in the keyring signed it; the certificates it lists
    /// are revoked from then on.
    #[wasm_bindgen(js_name = importCrl, unchecked_return_type = "CrlInfo")]
    pub fn import_crl(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")] data: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "TimeOptions")] opts: Option<js_sys::Object>,
    ) -> Result<JsValue, JsValue> {
        let data = convert::bytes(&data, "The CRL")?;
        let now = convert::now(&convert::options(opts)?)?;
        let info = self.inner_mut().import_crl(&data, now).map_err(to_js)?;
        convert::to_js_value(&info)
    }

    /// `importOcsp(bytes, { now? })` → `OcspInfo[]`: an OCSP response (DER) the host fetched
    /// for a request of `revocationRequests()`, kept when the certificate's issuer in the
    /// keyring (or a responder it delegated) signed it and it is current. Held in memory.
    #[wasm_bindgen(js_name = importOcsp, unchecked_return_type = "OcspInfo[]")]
    pub fn import_ocsp(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] data: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "TimeOptions")] opts: Option<js_sys::Object>,
    ) -> Result<JsValue, JsValue> {
        let data = convert::bytes(&data, "The OCSP response")?;
        let now = convert::now(&convert::options(opts)?)?;
        let info = self.inner_mut().import_ocsp(&data, now).map_err(to_js)?;
        convert::to_js_value(&info)
    }

    /// `importRevocation(request, answer, { now? })` → `RevocationImported`: the answer to a
    /// request of `revocationRequests()` or `opened.revocationRequests` (a CRL or an OCSP
    /// response, as `request.kind` says), checked against the issuer certificate the request
    /// carries when the keyring lacks it.
    #[wasm_bindgen(js_name = importRevocation, unchecked_return_type = "RevocationImported")]
    pub fn import_revocation(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "RevocationRequest")] request: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] answer: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "TimeOptions")] opts: Option<js_sys::Object>,
    ) -> Result<JsValue, JsValue> {
        let request: crate::keys::RevocationRequest = serde_wasm_bindgen::from_value(request)
            .map_err(|e| {
                to_js(crate::error::Error::new(
                    crate::error::ErrorCode::BadInput,
                    format!("The request is not one of revocationRequests: {e}"),
                ))
            })?;
        let answer = convert::bytes(&answer, "The answer")?;
        let now = convert::now(&convert::options(opts)?)?;
        let imported = self
            .inner_mut()
            .import_revocation(&request, &answer, now)
            .map_err(to_js)?;
        convert::to_js_value(&imported)
    }

    /// `ocspStatuses()` → `OcspInfo[]`: the OCSP answers held (in memory, not sealed).
    #[wasm_bindgen(js_name = ocspStatuses, unchecked_return_type = "OcspInfo[]")]
    pub fn ocsp_statuses(&self) -> Result<JsValue, JsValue> {
        convert::to_js_value(&self.inner.ocsp_statuses())
    }

    /// `lookupRequests(address, { keyservers? })` → `LookupRequest[]`: the URLs to fetch for a
    /// recipient without a key, best first (WKD advanced, WKD direct, the keyservers given).
    #[wasm_bindgen(js_name = lookupRequests, unchecked_return_type = "LookupRequest[]")]
    pub fn lookup_requests(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] address: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ keyservers?: Keyserver[] }")]
        opts: Option<js_sys::Object>,
    ) -> Result<JsValue, JsValue> {
        let address = convert::string(&address, "The address")?;
        let servers = keyservers(&convert::options(opts)?)?;
        let requests = self
            .inner
            .lookup_requests(&address, &servers)
            .map_err(to_js)?;
        convert::to_js_value(&requests)
    }

    /// `refreshRequests({ keyservers?, now? })` → `RefreshRequest[]`: what to fetch to refresh
    /// every OpenPGP key of the keyring (WKD per address, then the keyservers by fingerprint);
    /// give each answer to `refreshKey(request.id, answer)`.
    #[wasm_bindgen(js_name = refreshRequests, unchecked_return_type = "RefreshRequest[]")]
    pub fn refresh_requests(
        &self,
        #[wasm_bindgen(
            unchecked_optional_param_type = "{ keyservers?: Keyserver[]; now?: Date | number }"
        )]
        opts: Option<js_sys::Object>,
    ) -> Result<JsValue, JsValue> {
        let opts = convert::options(opts)?;
        let servers = keyservers(&opts)?;
        let now = convert::now(&opts)?;
        let requests = self.inner.refresh_requests(&servers, now).map_err(to_js)?;
        convert::to_js_value(&requests)
    }

    /// `refreshKey(id, answer, { now? })` → `KeyInfo`: merges what the answer holds for that key
    /// (revocations, subkeys); its status says `revoked` once a revocation arrived.
    #[wasm_bindgen(js_name = refreshKey, unchecked_return_type = "KeyInfo")]
    pub fn refresh_key(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")] answer: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "TimeOptions")] opts: Option<js_sys::Object>,
    ) -> Result<JsValue, JsValue> {
        let id = convert::string(&id, "The key id")?;
        let answer = convert::bytes(&answer, "The answer")?;
        let now = convert::now(&convert::options(opts)?)?;
        let info = self
            .inner_mut()
            .refresh_key(&id, &answer, now)
            .map_err(to_js)?;
        convert::to_js_value(&info)
    }

    /// `lookupCandidates(address, answer, { now? })` → `KeyInfo[]`: the keys a lookup answer
    /// offers for the address (valid user ID for it, public only), nothing imported.
    #[wasm_bindgen(js_name = lookupCandidates, unchecked_return_type = "KeyInfo[]")]
    pub fn lookup_candidates(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] address: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")] answer: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "TimeOptions")] opts: Option<js_sys::Object>,
    ) -> Result<JsValue, JsValue> {
        let address = convert::string(&address, "The address")?;
        let answer = convert::bytes(&answer, "The answer")?;
        let now = convert::now(&convert::options(opts)?)?;
        let found = self
            .inner
            .lookup_candidates(&address, &answer, now)
            .map_err(to_js)?;
        convert::to_js_value(&found)
    }

    /// `importFound(address, source, answer, { fingerprint?, now? })` → `KeyInfo[]`: imports
    /// the candidates (or the one chosen) as unverified keys that remember where and when they
    /// were found; never trusted, never replacing a key already held.
    #[wasm_bindgen(js_name = importFound, unchecked_return_type = "KeyInfo[]")]
    pub fn import_found(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] address: JsValue,
        #[wasm_bindgen(unchecked_param_type = "LookupSource")] source: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")] answer: JsValue,
        #[wasm_bindgen(
            unchecked_optional_param_type = "{ fingerprint?: string; now?: Date | number }"
        )]
        opts: Option<js_sys::Object>,
    ) -> Result<JsValue, JsValue> {
        let address = convert::string(&address, "The address")?;
        let source: crate::keys::lookup::LookupSource = serde_wasm_bindgen::from_value(source)
            .map_err(|_| {
                super::error::bad_input(
                    "The source is \"wkd_advanced\", \"wkd_direct\", \"vks\" or \"hkp\".",
                )
            })?;
        let answer = convert::bytes(&answer, "The answer")?;
        let opts = convert::options(opts)?;
        let fingerprint = convert::opt_string(&opts, "fingerprint")?;
        let now = convert::now(&opts)?;
        let imported = self
            .inner_mut()
            .import_found(&address, source, &answer, fingerprint.as_deref(), now)
            .map_err(to_js)?;
        convert::to_js_value(&imported)
    }

    /// `learnAutocrypt(offer, { now? })` → `KeyInfo[]`: learns the key of `opened.autocrypt`
    /// (unverified, source "autocrypt"); empty when a newer offer was learned already.
    #[wasm_bindgen(js_name = learnAutocrypt, unchecked_return_type = "KeyInfo[]")]
    pub fn learn_autocrypt(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "AutocryptOffer")] offer: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "TimeOptions")] opts: Option<js_sys::Object>,
    ) -> Result<JsValue, JsValue> {
        let offer: crate::keys::autocrypt::AutocryptOffer = serde_wasm_bindgen::from_value(offer)
            .map_err(|e| {
            super::error::bad_input(&format!("The Autocrypt offer is not valid: {e}"))
        })?;
        let now = convert::now(&convert::options(opts)?)?;
        let learned = self
            .inner_mut()
            .learn_autocrypt(&offer, now)
            .map_err(to_js)?;
        convert::to_js_value(&learned)
    }

    /// `learnCertificates(address, certificates, { now? })` → `KeyInfo[]`: the sender's
    /// certificates from `opened.certificates` that are valid and chain to a trust anchor,
    /// imported untrusted with origin "mail".
    #[wasm_bindgen(js_name = learnCertificates, unchecked_return_type = "KeyInfo[]")]
    pub fn learn_certificates(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] address: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array[]")] certificates: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "TimeOptions")] opts: Option<js_sys::Object>,
    ) -> Result<JsValue, JsValue> {
        let address = convert::string(&address, "The address")?;
        let list = certificates
            .dyn_into::<js_sys::Array>()
            .map_err(|_| super::error::bad_input("The certificates must be an array of bytes."))?;
        let mut certs = Vec::new();
        for c in list.iter() {
            certs.push(convert::bytes(&c, "A certificate")?.to_vec());
        }
        let now = convert::now(&convert::options(opts)?)?;
        let learned = self
            .inner_mut()
            .learn_certificates(&address, &certs, now)
            .map_err(to_js)?;
        convert::to_js_value(&learned)
    }

    /// `crls({ now? })` → `CrlInfo[]`: the revocation lists the keyring holds.
    #[wasm_bindgen(unchecked_return_type = "CrlInfo[]")]
    pub fn crls(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "TimeOptions")] opts: Option<js_sys::Object>,
    ) -> Result<JsValue, JsValue> {
        let now = convert::now(&convert::options(opts)?)?;
        convert::to_js_value(&self.inner.crls(now))
    }

    /// `revocationRequests({ now? })` → `RevocationRequest[]`: what to fetch for the
    /// certificates in the keyring (OCSP answers, or CRLs missing or past their nextUpdate);
    /// GET each `url` and give the answer to `importRevocation(request, answer)`.
    #[wasm_bindgen(js_name = revocationRequests, unchecked_return_type = "RevocationRequest[]")]
    pub fn revocation_requests(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "TimeOptions")] opts: Option<js_sys::Object>,
    ) -> Result<JsValue, JsValue> {
        let now = convert::now(&convert::options(opts)?)?;
        convert::to_js_value(&self.inner.revocation_requests(now))
    }

    /// `get(id, { now? })` → `KeyInfo | undefined`.
    #[wasm_bindgen(unchecked_return_type = "KeyInfo | undefined")]
    pub fn get(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "TimeOptions")] opts: Option<js_sys::Object>,
    ) -> Result<JsValue, JsValue> {
        let id = convert::string(&id, "The key id")?;
        let now = convert::now(&convert::options(opts)?)?;
        match self.inner.get(&id, now) {
            Some(info) => convert::to_js_value(&info),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// `conflicts({ now? })` → `KeyConflict[]`: addresses that several different usable
    /// OpenPGP keys claim (the admin must verify the right one and remove the others).
    #[wasm_bindgen(unchecked_return_type = "KeyConflict[]")]
    pub fn conflicts(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "TimeOptions")] opts: Option<js_sys::Object>,
    ) -> Result<JsValue, JsValue> {
        let now = convert::now(&convert::options(opts)?)?;
        convert::to_js_value(&self.inner.conflicts(now))
    }

    /// `remove(id)` → `true` when the key was there.
    pub fn remove(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> Result<bool, JsValue> {
        let id = convert::string(&id, "The key id")?;
        let now = convert::now(&None)?;
        let removed = self.inner_mut().remove(&id, now).map_err(to_js)?;
        if removed {
            super::platform::forget_keys();
        }
        Ok(removed)
    }

    /// `exportPublic(id)` → armored OpenPGP public key or PEM certificate.
    #[wasm_bindgen(js_name = exportPublic)]
    pub fn export_public(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> Result<String, JsValue> {
        let id = convert::string(&id, "The key id")?;
        self.inner.export_public(&id).map_err(to_js)
    }

    /// `exportSecret(id, passphrase)` → protected OpenPGP secret key (armored) or PKCS#12.
    #[wasm_bindgen(js_name = exportSecret)]
    pub fn export_secret(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] passphrase: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let id = convert::string(&id, "The key id")?;
        let passphrase = convert::secret(&passphrase, "The passphrase")?;
        let now = convert::now(&None)?;
        self.inner_mut()
            .export_secret(&id, &passphrase, &mut os_rng()?, now)
            .map_err(to_js)
    }

    /// `generateOpenPgp({ address, name?, algorithm?, validDays?, now? })` →
    /// `GeneratedPgpKey`: a new OpenPGP key for the address (Curve25519 by default, three
    /// years), in the keyring as the desk's own; the public key to publish and the revocation
    /// certificate to keep offline come back. Admin only once roles are in use.
    #[wasm_bindgen(js_name = generateOpenPgp, unchecked_return_type = "GeneratedPgpKey")]
    pub fn generate_openpgp(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "GenerateOpenPgpOptions")] opts: JsValue,
    ) -> Result<JsValue, JsValue> {
        let now = convert::now(&opts.clone().dyn_into::<js_sys::Object>().ok())?;
        let request: crate::keys::GenerateOpenPgp = generate_options(opts)?;
        let made = self
            .inner_mut()
            .generate_openpgp(&request, &mut os_rng()?, now)
            .map_err(to_js)?;
        convert::to_js_value(&made)
    }

    /// `generateSmime({ address, name?, algorithm?, now? })` → `PendingKeyInfo`: a new S/MIME
    /// key pair (RSA-3072 by default) and its PKCS#10 request (`request`, PEM) for the CA. The
    /// key waits in the keyring; importing the issued certificate completes it.
    #[wasm_bindgen(js_name = generateSmime, unchecked_return_type = "PendingKeyInfo")]
    pub fn generate_smime(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "GenerateSmimeOptions")] opts: JsValue,
    ) -> Result<JsValue, JsValue> {
        let now = convert::now(&opts.clone().dyn_into::<js_sys::Object>().ok())?;
        let request: crate::keys::GenerateSmime = generate_options(opts)?;
        let pending = self
            .inner_mut()
            .generate_smime(&request, &mut os_rng()?, now)
            .map_err(to_js)?;
        convert::to_js_value(&pending)
    }

    /// `pendingKeys()` → `PendingKeyInfo[]`: S/MIME keys waiting for their certificates.
    #[wasm_bindgen(js_name = pendingKeys, unchecked_return_type = "PendingKeyInfo[]")]
    pub fn pending_keys(&self) -> Result<JsValue, JsValue> {
        convert::to_js_value(&self.inner.pending_keys())
    }

    /// `seal(password)` → the encrypted keyring bytes.
    pub fn seal(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] password: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let password = convert::secret(&password, "The password")?;
        self.settled()
            .seal(&password, &mut os_rng()?)
            .map_err(to_js)
    }

    /// `role()` → `"admin"` or `"agent"`: admin when no admin passphrase is set or it was
    /// given in this session (`unlockAdmin`).
    #[wasm_bindgen(unchecked_return_type = "Role")]
    pub fn role(&self) -> Result<JsValue, JsValue> {
        convert::to_js_value(&self.inner.role())
    }

    /// `hasAdminPassphrase()` → whether admin-only operations need `unlockAdmin`.
    #[wasm_bindgen(js_name = hasAdminPassphrase)]
    pub fn has_admin_passphrase(&self) -> bool {
        self.inner.has_admin_passphrase()
    }

    /// `setAdminPassphrase(passphrase)`: sets or (as the admin) changes it; sealed with the
    /// keyring. The caller is the admin for the rest of the session.
    #[wasm_bindgen(js_name = setAdminPassphrase)]
    pub fn set_admin_passphrase(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] passphrase: JsValue,
    ) -> Result<(), JsValue> {
        let passphrase = convert::secret(&passphrase, "The admin passphrase")?;
        let now = convert::now(&None)?;
        self.inner_mut()
            .set_admin_passphrase(&passphrase, &mut os_rng()?, now)
            .map_err(to_js)
    }

    /// `unlockAdmin(passphrase)`: the admin role for this session; `bad_password` if wrong.
    #[wasm_bindgen(js_name = unlockAdmin)]
    pub fn unlock_admin(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] passphrase: JsValue,
    ) -> Result<(), JsValue> {
        let passphrase = convert::secret(&passphrase, "The admin passphrase")?;
        let now = convert::now(&None)?;
        self.inner_mut()
            .unlock_admin(&passphrase, now)
            .map_err(to_js)
    }

    /// `lockAdmin()`: back to the agent role.
    #[wasm_bindgen(js_name = lockAdmin)]
    pub fn lock_admin(&mut self) -> Result<(), JsValue> {
        let now = convert::now(&None)?;
        self.inner_mut().lock_admin(now);
        Ok(())
    }

    /// `policy()` → the desk's policy stored in this keyring, or `undefined` when the admin
    /// set none. `protect`, `preview`, `capabilities` and `check` follow it when given no
    /// `policy` option.
    #[wasm_bindgen(unchecked_return_type = "Policy | undefined")]
    pub fn policy(&self) -> Result<JsValue, JsValue> {
        match self.inner.policy() {
            Some(policy) => convert::to_js_value(policy),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// `setPolicy(policy)`: stores the desk's policy (group defaults, method priority,
    /// fallback, algorithms) in the keyring, sealed with it; admin only (`admin_required`).
    #[wasm_bindgen(js_name = setPolicy)]
    pub fn set_policy(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Policy")] policy: JsValue,
    ) -> Result<(), JsValue> {
        let policy = super::convert::policy(policy)?;
        let now = convert::now(&None)?;
        self.inner_mut().set_policy(policy, now).map_err(to_js)
    }

    /// `sealWithKey(key)` → the keyring encrypted under a random 32-byte key (a server's
    /// secret, such as a Worker's), without password stretching: it opens in microseconds.
    #[wasm_bindgen(js_name = sealWithKey)]
    pub fn seal_with_key(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] key: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let key = key_bytes(&key)?;
        self.settled()
            .seal_with_key(&key, &mut os_rng()?)
            .map_err(to_js)
    }

    /// `Keyring.unsealWithKey(bytes, key)` → a keyring sealed by `sealWithKey`.
    #[wasm_bindgen(js_name = unsealWithKey)]
    pub fn unseal_with_key(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] bytes: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] key: JsValue,
    ) -> Result<JsKeyring, JsValue> {
        let bytes = convert::bytes(&bytes, "The sealed keyring")?;
        let key = key_bytes(&key)?;
        let inner = Keyring::unseal_with_key(&bytes, &key).map_err(to_js)?;
        Ok(JsKeyring::wrap(inner))
    }

    /// `Keyring.unseal(bytes, password)` → a keyring.
    pub fn unseal(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] bytes: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] password: JsValue,
    ) -> Result<JsKeyring, JsValue> {
        let bytes = convert::bytes(&bytes, "The sealed keyring")?;
        let password = convert::secret(&password, "The password")?;
        let inner = Keyring::unseal(&bytes, &password).map_err(to_js)?;
        Ok(JsKeyring::wrap(inner))
    }

    /// `recentLog()` → audit events, oldest first; no content.
    #[wasm_bindgen(js_name = recentLog, unchecked_return_type = "AuditEvent[]")]
    pub fn recent_log(&mut self) -> Result<JsValue, JsValue> {
        convert::to_js_value(self.settled().recent_log())
    }
}

/// The `keyservers` option: `{ kind: "vks" | "hkp", url }[]`, none when absent.
fn keyservers(
    opts: &Option<js_sys::Object>,
) -> Result<Vec<crate::keys::lookup::Keyserver>, JsValue> {
    let servers = convert::field(opts, "keyservers");
    if servers.is_undefined() || servers.is_null() {
        return Ok(Vec::new());
    }
    serde_wasm_bindgen::from_value(servers)
        .map_err(|e| super::error::bad_input(&format!("Option \"keyservers\" is not valid: {e}")))
}
