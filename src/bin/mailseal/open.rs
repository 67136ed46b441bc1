//! `mailseal open`: decrypt and verify a message, print the report as JSON.

use std::process::ExitCode;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use mailseal::{open_owned, standards, EncryptionState, OpenOptions, SignatureState, Time};

use crate::args::{KeySources, OpenArgs};
use crate::failure::Failure;
use crate::files::{read_input, save_attachment};
use crate::key_sources::load_ring;
use crate::output::{print_json, to_json};

/// Exit codes of `open --require-*`.
const EXIT_NOT_VALID: u8 = 3;
const EXIT_NOT_DECRYPTED: u8 = 4;

pub(crate) fn open_command(
    sources: &KeySources,
    now: Time,
    args: &OpenArgs,
) -> Result<ExitCode, Failure> {
    let raw = read_input(args.message.as_deref())?;
    let mut ring = load_ring(sources, now)?;
    let opened = open_owned(&mut ring, &standards::all(), raw, &OpenOptions::at(now))?;
    let mut report = to_json(&opened)?;
    // serde_bytes data is a JSON array of numbers: show base64, or save the files.
    let slots = report
        .get_mut("attachments")
        .and_then(serde_json::Value::as_array_mut);
    if let Some(slots) = slots {
        for (i, (slot, att)) in slots.iter_mut().zip(&opened.attachments).enumerate() {
            let Some(slot) = slot.as_object_mut() else {
                continue;
            };
            match &args.save_attachments {
                Some(dir) => {
                    let path = save_attachment(dir, i, &att.filename, &att.data)?;
                    slot.remove("data");
                    slot.insert("path".into(), path.display().to_string().into());
                }
                None => {
                    let b64 = B64.encode(&att.data);
                    slot.insert("data".into(), b64.into());
                }
            }
        }
    }
    // The certificates a signed message carried: PEM, as `openssl` and the key files take them.
    if let Some(slot) = report.get_mut("certificates") {
        *slot = opened
            .certificates
            .iter()
            .map(|der| pem(&der.0))
            .collect::<Vec<_>>()
            .into();
    }
    // The sender's Autocrypt key: base64, as in the header it came in.
    if let (Some(slot), Some(offer)) = (
        report.pointer_mut("/autocrypt/keydata"),
        opened.autocrypt.as_ref(),
    ) {
        *slot = B64.encode(&offer.keydata).into();
    }
    print_json(&report)?;
    if args.require_decrypted && opened.encryption.state != EncryptionState::Decrypted {
        return Ok(ExitCode::from(EXIT_NOT_DECRYPTED));
    }
    if args.require_valid && opened.signature.state != SignatureState::Valid {
        return Ok(ExitCode::from(EXIT_NOT_VALID));
    }
    Ok(ExitCode::SUCCESS)
}

/// A DER certificate as PEM (RFC 7468).
fn pem(der: &[u8]) -> String {
    der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, der).unwrap_or_default()
}
