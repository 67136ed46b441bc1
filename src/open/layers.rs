//! Peeling the cryptographic layers of one message: detect the top-level layer, hand it to its
//! engine, look at what it revealed, again, at most one encryption and one signature layer
//! (the rules in the module documentation of `open`).

use std::cell::OnceCell;

use super::in_place::{Envelope, FirstLayer, Opening};
use super::inline::{file_entity, files_beside_inline, inline_text_charset, text_entity};
use super::opened::OpenedAttachment;
use super::verdict::{has_nested_signature, not_enabled, note_nested, unreadable_block};
use crate::engine::{Engine, ReadContext};
use crate::error::{ErrorCode, Result};
use crate::keys::Keyring;
use crate::mime::{
    self, Detached, Detected, Layer, Limits, MimeTree, PartId, Payload, PgpForm, SmimeKind,
};
use crate::report::{
    EncryptionReport, EncryptionState, Method, Scope, SignatureReport, SignatureState,
};
use crate::secret::SecretBytes;
use crate::warning::{Warning, WarningCode};

/// Most cryptographic layers removed from one message (encryption + signature + one spare
/// for the signature of encrypt-then-sign inside sign-then-encrypt).
pub(super) const MAX_LAYERS: usize = 3;

/// Where what each peeled layer revealed is kept, for the rest of the call, so that parsed trees
/// can borrow it: every entity is parsed once (a 1 MiB attachment is decoded once, not thrice).
/// Decrypted content is taken over as it is (not copied) and wiped when the call ends. One
/// slot more than layers: a wrapped message (RFC 8551 §3.1) may need decoding.
pub(super) type Revealed = [OnceCell<SecretBytes>; MAX_LAYERS + 1];

/// Whether to look at what a layer revealed, or stop peeling.
#[derive(PartialEq, Eq)]
enum Step {
    Next,
    Stop,
}

/// What peeling found: the verdicts so far and the content to show.
pub(super) struct Peeled<'a> {
    pub(super) encryption: EncryptionReport,
    pub(super) signature: SignatureReport,
    pub(super) scope: Scope,
    pub(super) signed_inside_encryption: bool,
    pub(super) warnings: Vec<Warning>,
    /// The entity currently being looked at; `None` once content is withheld.
    pub(super) content: Option<&'a [u8]>,
    /// The parsed `content`; the outer message is already parsed. Peeling leaves it as the
    /// parse of the final `content`.
    pub(super) parsed: Option<MimeTree<'a>>,
    /// Layers removed.
    pub(super) peeled: usize,
    /// A layer held a whole message (RFC 8551 §3.1), which is now the content: its header
    /// fields are the protected ones.
    pub(super) wrapped: bool,
    /// Files sent beside an inline OpenPGP text (Enigmail, Mailvelope), opened on their own,
    /// and whether any of them is not covered by the text's signature.
    pub(super) beside_inline: Vec<OpenedAttachment>,
    pub(super) uncovered_files: bool,
    /// Certificates the last S/MIME SignedData carried, and whether it was a bare bundle.
    pub(super) carried: Vec<Vec<u8>>,
    pub(super) certs_only: bool,
    /// The text part whose armored block is shown as text: it could not be read, or it is
    /// content inside an opened layer.
    pub(super) armor_as_text: Option<PartId>,
    /// The slots of [`Revealed`] not used yet.
    free_slots: std::slice::Iter<'a, OnceCell<SecretBytes>>,
}

/// Removes the layers of `raw` (parsed as `outer`) with the keys of `ring` and `engines`.
/// `Err` only for content that exceeds limits or an engine's error that is no verdict.
pub(super) async fn peel<'a>(
    ring: &Keyring,
    engines: &[&dyn Engine],
    raw: &'a [u8],
    outer: MimeTree<'a>,
    revealed: &'a Revealed,
    ctx: &ReadContext,
) -> Result<Peeled<'a>> {
    Peeled::new(Some(raw), Some(outer), revealed)
        .peel(ring, engines, ctx)
        .await
}

/// What an OpenPGP message gave: its content, and whether it was encrypted and signed.
struct PgpTaken<'a> {
    content: Option<Opening<'a>>,
    encrypted: bool,
    signed_here: bool,
}

/// [`peel`] of a message whose top-level layer was already opened (in the message's own
/// buffer, `super::in_place`): its verdicts and what it revealed, then the layers inside.
pub(super) async fn peel_opened<'a>(
    ring: &Keyring,
    engines: &[&dyn Engine],
    first: FirstLayer<'a>,
    revealed: &'a Revealed,
    ctx: &ReadContext,
) -> Result<Peeled<'a>> {
    let mut p = Peeled::new(None, None, revealed);
    p.peeled = 1;
    match first {
        FirstLayer::Smime(e) => p.envelope_opened(e.report, e.signature, e.content),
        FirstLayer::PgpMime(d, part) => {
            let Some(taken) = p.pgp_verdicts(&PgpForm::Mime, part, d)? else {
                return Ok(p);
            };
            p.pgp_revealed(&PgpForm::Mime, taken, false);
        }
    }
    p.peel(ring, engines, ctx).await
}

impl<'a> Peeled<'a> {
    fn new(
        content: Option<&'a [u8]>,
        parsed: Option<MimeTree<'a>>,
        revealed: &'a Revealed,
    ) -> Self {
        Peeled {
            encryption: EncryptionReport::none(),
            signature: SignatureReport::none(),
            scope: Scope::Whole,
            signed_inside_encryption: false,
            warnings: Vec::new(),
            content,
            parsed,
            peeled: 0,
            wrapped: false,
            beside_inline: Vec::new(),
            uncovered_files: false,
            carried: Vec::new(),
            certs_only: false,
            armor_as_text: None,
            free_slots: revealed.iter(),
        }
    }

    /// The layers from the content on, as far as the rules allow.
    async fn peel(
        mut self,
        ring: &Keyring,
        engines: &[&dyn Engine],
        ctx: &ReadContext,
    ) -> Result<Self> {
        let p = &mut self;
        let limits = Limits::default();
        while let Some(current) = p.content {
            let tree = match p.parsed.take() {
                Some(tree) => tree,
                None => MimeTree::parse_content(current, &limits)?,
            };
            let Detected { layer, nested } = mime::detect(&tree);
            // Inside an opened layer, an armored block with text around it is something the sender
            // wrote (a customer's encrypted message pasted into a reply), not a layer of this
            // message: shown as text under the verdict of the layer around it. It was opened as a
            // layer, so a valid signature became invalid or the text was lost (found by the API
            // sweep).
            let layer = match layer.inline_with_text_around() {
                Some(part) if p.peeled > 0 => {
                    p.armor_as_text = Some(part);
                    Layer::Plain
                }
                _ => layer,
            };
            p.parsed = Some(tree);
            if p.peeled >= MAX_LAYERS {
                if layer != Layer::Plain {
                    p.warnings.push(layers_not_opened());
                }
                break;
            }
            if layer == Layer::Plain {
                if let Some(message) = p.wrapped_message() {
                    p.content = Some(message);
                    p.parsed = None;
                    p.wrapped = true;
                    continue;
                }
                p.plain(&nested);
                break;
            }
            let method = layer.method();
            let engine = method.and_then(|m| engines.iter().copied().find(|e| e.method() == m));
            if p.one_too_many(&layer) {
                p.warnings.push(layers_not_opened());
                break;
            }
            if let Layer::Malformed {
                method,
                encrypted,
                detail,
            } = layer
            {
                // Read by no engine: reported as it is, whether or not its standard is enabled.
                p.malformed(method, encrypted, detail);
                break;
            }
            let Some(engine) = engine else {
                not_enabled(&layer, &mut p.encryption, &mut p.signature);
                if layer.is_encryption() {
                    // As when decryption fails: nothing of an unopened envelope is shown.
                    p.content = None;
                }
                break;
            };
            p.peeled += 1;
            if p.open_layer(layer, engine, ring, ctx).await? == Step::Stop {
                break;
            }
        }
        Ok(self)
    }

    /// Keeps `bytes` for the rest of the call and gives them to look at.
    fn reveal(&mut self, bytes: SecretBytes) -> Option<&'a [u8]> {
        self.free_slots
            .next()
            .map(|slot| slot.get_or_init(|| bytes).as_slice())
    }

    /// RFC 8551 §3.1: a signed and / or encrypted layer that holds nothing but a whole message
    /// (`message/rfc822`, not a file, not marked `forwarded="yes"`) protects that message's
    /// header fields; the message is what was sent. Unwrapped once.
    fn wrapped_message(&mut self) -> Option<&'a [u8]> {
        if self.peeled == 0 || self.wrapped {
            return None;
        }
        let root = self.parsed.as_ref()?.root();
        let forwarded = root
            .content_type
            .param("forwarded")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("yes"));
        let a_file = root.filename.is_some()
            || root
                .disposition
                .as_ref()
                .is_some_and(|d| d.mime.eq_ignore_ascii_case("attachment"));
        if !root.content_type.is("message/rfc822") || forwarded || a_file {
            return None;
        }
        match root.body.clone() {
            std::borrow::Cow::Borrowed(message) => Some(message),
            std::borrow::Cow::Owned(message) => self.reveal(SecretBytes::new(message)),
        }
    }

    /// No layer (any more): what is nested inside is listed, never opened.
    fn plain(&mut self, nested: &[mime::Nested]) {
        note_nested(nested, &mut self.warnings);
        if self.signature.state == SignatureState::None && has_nested_signature(nested) {
            self.scope = Scope::Partial;
            self.signature.detail = Some(
                "Only a part of this message is signed; the message is shown as unsigned."
                    .to_string(),
            );
        }
    }

    /// One encryption layer and one signature layer at most, and the inner signature of a
    /// triple wrap (RFC 2634 §1.1: signed, encrypted, signed again; the inner one is the
    /// author's signature of the content).
    fn one_too_many(&self, layer: &Layer<'_>) -> bool {
        let is_encryption = layer.is_encryption();
        let triple_wrap =
            self.encryption.state == EncryptionState::Decrypted && !self.signed_inside_encryption;
        (is_encryption && self.encryption.state != EncryptionState::None)
            || (!is_encryption
                && !matches!(layer, Layer::Malformed { .. })
                && self.signature.state != SignatureState::None
                && !triple_wrap)
    }

    /// Takes the verdict of a signature layer. Below another signature (a triple wrap, or a
    /// signature inside an envelope that was itself signed) both count: the worst of the two
    /// wins, and of two valid ones the inner signer, the author of the content, is the one
    /// shown (both are listed) and the only one bound to From. A layer that turned out to carry no signature changes nothing.
    fn signed(&mut self, report: SignatureReport) {
        self.signature = match self.signature.state {
            SignatureState::None => report,
            _ if report.state == SignatureState::None => return,
            _ => {
                let outer = core::mem::replace(&mut self.signature, SignatureReport::none());
                SignatureReport::nested(outer, report)
            }
        };
    }

    /// A layer that claims protection but cannot be read safely, never shown as protected:
    /// claimed encryption as failed (nothing decrypted), anything else as an invalid signature.
    fn malformed(&mut self, method: Option<Method>, encrypted: bool, detail: String) {
        if encrypted {
            self.encryption = EncryptionReport {
                state: EncryptionState::Failed,
                method,
                detail: Some(detail),
                ..EncryptionReport::none()
            };
        } else {
            self.signature = SignatureReport {
                state: SignatureState::Invalid,
                method,
                detail: Some(detail),
                ..SignatureReport::none()
            };
        }
    }

    /// Hands `layer` to `engine` and takes what it revealed as the content.
    async fn open_layer(
        &mut self,
        layer: Layer<'a>,
        engine: &dyn Engine,
        ring: &Keyring,
        ctx: &ReadContext,
    ) -> Result<Step> {
        match layer {
            Layer::Plain => Ok(Step::Stop),
            Layer::Malformed {
                method,
                encrypted,
                detail,
            } => {
                self.malformed(method, encrypted, detail);
                Ok(Step::Stop)
            }
            Layer::SmimeMime {
                kind: SmimeKind::Signed,
                payload,
                part,
            } => self.smime_signed(engine, ring, ctx, &payload, part).await,
            Layer::SmimeMime {
                kind: SmimeKind::Enveloped | SmimeKind::AuthEnveloped,
                payload,
                part,
            } => {
                self.smime_enveloped(engine, ring, ctx, &payload, part)
                    .await
            }
            Layer::SmimeMime { kind, .. } => {
                let what = if kind == SmimeKind::Compressed {
                    "compressed S/MIME data"
                } else {
                    "this kind of S/MIME data"
                };
                self.warnings.push(Warning::new(
                    WarningCode::UnsupportedSmimeData,
                    format!("mailseal does not read {what}."),
                ));
                Ok(Step::Stop)
            }
            Layer::PgpMessage {
                form,
                payload,
                part,
            } => {
                self.pgp_message(engine, ring, ctx, form, &payload, part)
                    .await
            }
            Layer::SmimeSigned(detached) | Layer::PgpSigned(detached) => {
                self.detached(engine, ring, ctx, detached).await
            }
            Layer::PgpCleartext {
                armored,
                partial,
                charset,
                part,
            } => {
                self.cleartext(engine, ring, ctx, &armored, partial, charset, part)
                    .await
            }
        }
    }

    /// S/MIME opaque-signed data (or a certificate bundle).
    async fn smime_signed(
        &mut self,
        engine: &dyn Engine,
        ring: &Keyring,
        ctx: &ReadContext,
        payload: &Payload,
        part: PartId,
    ) -> Result<Step> {
        let payload = payload.bytes(self.parsed.as_ref(), part);
        let v = engine.verify_opaque(ring, payload, ctx).await?;
        self.carried = v.certificates;
        if v.report.state == SignatureState::None {
            // A SignedData without signers is a certificate bundle (`certs-only`,
            // RFC 8551 §3.8): an attachment of an unsigned message, not a layer.
            self.warnings.push(Warning::new(
                WarningCode::CertificatesOnly,
                "The message carries certificates only; it is not signed.",
            ));
            self.certs_only = true;
            return Ok(Step::Stop);
        }
        self.signed(v.report);
        self.signed_inside_encryption = self.encryption.state == EncryptionState::Decrypted;
        self.content = v.content.map(SecretBytes::new).and_then(|c| self.reveal(c));
        self.parsed = None;
        Ok(Step::Next)
    }

    /// An S/MIME envelope.
    async fn smime_enveloped(
        &mut self,
        engine: &dyn Engine,
        ring: &Keyring,
        ctx: &ReadContext,
        payload: &Payload,
        part: PartId,
    ) -> Result<Step> {
        let payload = payload.bytes(self.parsed.as_ref(), part);
        let d = engine.decrypt(ring, payload, ctx).await?;
        self.envelope_opened(d.report, d.signature, d.content.map(Opening::Owned));
        Ok(Step::Next)
    }

    /// Takes what an S/MIME envelope revealed: its verdict, the content to look at next, and
    /// a bare SignedData's verdict inside it (old Outlook, verified by the engine).
    fn envelope_opened(
        &mut self,
        report: EncryptionReport,
        signature: Option<SignatureReport>,
        content: Option<Opening<'a>>,
    ) {
        self.encryption = report;
        if let Some(s) = signature {
            self.signed(s);
            self.signed_inside_encryption = true;
        }
        self.content = content.and_then(|c| match c {
            Opening::InPlace(bytes) => Some(bytes),
            Opening::Owned(bytes) => self.reveal(bytes),
        });
        self.parsed = None;
    }

    /// An OpenPGP message: PGP/MIME, inline, or tool output.
    async fn pgp_message(
        &mut self,
        engine: &dyn Engine,
        ring: &Keyring,
        ctx: &ReadContext,
        form: PgpForm,
        payload: &Payload,
        part: PartId,
    ) -> Result<Step> {
        let payload = payload.bytes(self.parsed.as_ref(), part);
        let d = engine.decrypt(ring, payload, ctx).await.map(|d| Envelope {
            report: d.report,
            signature: d.signature,
            content: d.content.map(Opening::Owned),
        });
        let Some(taken) = self.pgp_verdicts(&form, part, d)? else {
            return Ok(Step::Stop);
        };
        // Text around the block in its part, or text parts beside it: not shown.
        let mut text_hidden = matches!(form, PgpForm::Inline { partial: true, .. });
        if matches!(form, PgpForm::Inline { .. }) && taken.content.is_some() {
            text_hidden |= self
                .list_files_beside(part, taken.encrypted, engine, ring, ctx)
                .await;
        }
        self.pgp_revealed(&form, taken, text_hidden);
        Ok(Step::Next)
    }

    /// Takes the verdicts of an OpenPGP message as the engine answered on it; `None` when the
    /// answer ends peeling (a block that is no readable message).
    fn pgp_verdicts(
        &mut self,
        form: &PgpForm,
        part: PartId,
        d: Result<Envelope<'a>>,
    ) -> Result<Option<PgpTaken<'a>>> {
        let inline = matches!(form, PgpForm::Inline { .. });
        let d = match d {
            Err(e) if inline && e.code() == ErrorCode::MalformedMessage => {
                // Text that only looks like an OpenPGP message (a pasted fragment, a
                // placeholder): shown as the unprotected text it is.
                self.unreadable(part, "PGP message");
                return Ok(None);
            }
            Err(e) if e.code() == ErrorCode::MalformedMessage => {
                // A PGP/MIME encrypted part that is not a readable message (RFC 3156 §4):
                // a failed decryption in the report, as the same block inline gets one, and
                // as for any failed decryption nothing of the envelope is shown (opened in
                // place, its armor is no longer there to be shown).
                let detail = e.message().to_string();
                self.malformed(Some(crate::report::Method::Pgp), true, detail);
                self.content = None;
                return Ok(None);
            }
            d => d?,
        };
        let encrypted = d.report.state != EncryptionState::None;
        let signed_here = d.signature.is_some();
        if let Some(s) = d.signature {
            self.signed(s);
            self.signed_inside_encryption =
                encrypted || self.encryption.state == EncryptionState::Decrypted;
        }
        // A signed-only OpenPGP message comes back without an encryption state.
        if encrypted {
            self.encryption = d.report;
        }
        Ok(Some(PgpTaken {
            content: d.content,
            encrypted,
            signed_here,
        }))
    }

    /// What an OpenPGP message revealed becomes the content; `text_hidden`: text around or
    /// beside the block is not shown.
    fn pgp_revealed(&mut self, form: &PgpForm, taken: PgpTaken<'a>, text_hidden: bool) {
        if text_hidden && taken.encrypted {
            self.warnings.push(Warning::new(
                WarningCode::UnencryptedTextHidden,
                "Text outside the encrypted block was not encrypted and is not shown.",
            ));
        }
        // Unsigned text around or beside an inline signed block: as for a cleartext-signed
        // block, it is not shown and the message is only partly signed (never `valid`).
        if text_hidden && taken.signed_here {
            self.scope = Scope::Partial;
            self.warnings.push(Warning::new(
                WarningCode::UnsignedTextHidden,
                "Text outside the signed block is not shown: it is not signed.",
            ));
        }
        self.content = taken.content.and_then(|c| match (form, c) {
            (PgpForm::Inline { charset, .. }, c) => {
                let text = c.bytes();
                let charset = inline_text_charset(text, charset.as_deref());
                self.reveal(SecretBytes::new(text_entity(text, Some(charset))))
            }
            (PgpForm::Attachment { filename }, c) => {
                self.reveal(SecretBytes::new(file_entity(filename, c.bytes())))
            }
            (_, Opening::InPlace(bytes)) => Some(bytes),
            (_, Opening::Owned(bytes)) => self.reveal(bytes),
        });
        self.parsed = None;
    }

    /// The files beside an inline OpenPGP block (`part`), each opened on its own and listed,
    /// signed when its own signature is by the block's signer. Returns whether text parts
    /// beside it are left hidden.
    async fn list_files_beside(
        &mut self,
        part: PartId,
        block_encrypted: bool,
        engine: &dyn Engine,
        ring: &Keyring,
        ctx: &ReadContext,
    ) -> bool {
        let Some(tree) = self.parsed.as_ref() else {
            return false;
        };
        let mut files = files_beside_inline(tree, part, block_encrypted, engine, ring, ctx).await;
        files.mark_signed_by(self.signature.signer.as_ref());
        self.uncovered_files |= files.attachments.iter().any(|a| !a.signed);
        self.warnings.extend(files.warnings);
        self.beside_inline = files.attachments;
        files.hidden_text
    }

    /// An inline armored block (`what`) that could not be read: its text is shown as received.
    /// At the top it claims a protection it does not give, so the signature is `invalid`;
    /// inside an opened layer, the verdict of that layer stands (the block is content).
    fn unreadable(&mut self, part: PartId, what: &str) {
        if self.peeled > 1 {
            self.warnings.push(Warning::new(
                WarningCode::UnreadableBlock,
                format!("The {what} in this message could not be read."),
            ));
        } else {
            unreadable_block(&mut self.signature, &mut self.warnings, what);
        }
        self.armor_as_text = Some(part);
    }

    /// A `multipart/signed` (S/MIME or PGP/MIME).
    async fn detached(
        &mut self,
        engine: &dyn Engine,
        ring: &Keyring,
        ctx: &ReadContext,
        detached: Detached<'a>,
    ) -> Result<Step> {
        // The bytes as received: each engine tries them and their CRLF form (a part signed
        // with bare LF line ends, `openssl cms -sign -binary`, verifies over the former).
        let v = match engine
            .verify_detached(ring, detached.signed, &detached.signature, ctx)
            .await
        {
            // A signature part that holds no signature (a whole signed message in a PGP/MIME
            // `application/pgp-signature`, garbage) is a bad signature of the message, not an
            // unreadable message: the signed part is still shown, unverified.
            Err(e) if e.code() == ErrorCode::MalformedMessage => crate::engine::Verified {
                report: SignatureReport::new(
                    engine.method(),
                    SignatureState::Invalid,
                    "The signature part of this message could not be read as a signature; the \
                     message is shown unverified.",
                ),
                content: None,
                certificates: Vec::new(),
            },
            v => v?,
        };
        self.signed(v.report);
        self.carried = v.certificates;
        self.signed_inside_encryption = self.encryption.state == EncryptionState::Decrypted;
        // What is shown from here on is the signed part alone: its sub-tree of the
        // parse already made (no second decoding of its attachments).
        self.parsed = self
            .parsed
            .take()
            // The parse `detect` took the part from: the same range is the same
            // bytes (comparing 1 MiB of them was 0.5 ms of every open).
            .filter(|tree| {
                tree.part(detached.signed_part).is_some_and(|p| {
                    p.range == detached.signed_range && p.range.len() == detached.signed.len()
                })
            })
            .and_then(|tree| tree.into_subtree(detached.signed_part));
        // The signed part is a slice of what is being looked at: no copy, no slot.
        self.content = Some(detached.signed);
        Ok(Step::Next)
    }

    /// Inline cleartext-signed OpenPGP text.
    #[allow(clippy::too_many_arguments)]
    async fn cleartext(
        &mut self,
        engine: &dyn Engine,
        ring: &Keyring,
        ctx: &ReadContext,
        armored: &[u8],
        partial: bool,
        charset: Option<String>,
        part: PartId,
    ) -> Result<Step> {
        let v = match engine.verify_opaque(ring, armored, ctx).await {
            Err(e) if e.code() == ErrorCode::MalformedMessage => {
                self.unreadable(part, "PGP signed text");
                return Ok(Step::Stop);
            }
            v => v?,
        };
        self.signed(v.report);
        self.signed_inside_encryption = self.encryption.state == EncryptionState::Decrypted;
        // The files beside the signed text (Enigmail: `doc.pdf` with its detached signature
        // `doc.pdf.sig`, or encrypted `.pgp` files) are listed, not dropped; signed only by a
        // signature of their own. Text parts beside it are not signed.
        let text_beside = self.list_files_beside(part, false, engine, ring, ctx).await;
        if partial || text_beside {
            self.scope = Scope::Partial;
            self.warnings.push(Warning::new(
                WarningCode::UnsignedTextHidden,
                "Text outside the signed block is not shown: it is not signed.",
            ));
        }
        self.content = v.content.and_then(|t| {
            let shown_as = inline_text_charset(&t, charset.as_deref());
            self.reveal(SecretBytes::new(text_entity(&t, Some(shown_as))))
        });
        self.parsed = None;
        Ok(Step::Next)
    }
}

fn layers_not_opened() -> Warning {
    Warning::new(
        WarningCode::LayersNotOpened,
        "Further protected layers were not opened.",
    )
}
