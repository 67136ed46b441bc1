//! `mailseal export`: a public key to standard output, or a protected secret key to a file.

use std::fs;

use mailseal::secret::SecretBytes;
use mailseal::{os_rng, Keyring, Time};

use crate::args::{usage, ExportArgs, KeySources};
use crate::failure::{bad_input, io_failure, Failure};
use crate::files::write_private;
use crate::key_sources::{env_secret, load_ring};
use crate::output::write_stdout;

pub(crate) fn export_command(
    sources: &KeySources,
    now: Time,
    args: &ExportArgs,
) -> Result<(), Failure> {
    let mut ring = load_ring(sources, now)?;
    if let Some(given) = &args.public {
        let id = key_id(&ring, given, now)?;
        let text = ring.export_public(&id)?;
        return match &args.out {
            Some(path) => fs::write(path, text).map_err(|e| io_failure("write", path, &e)),
            None => write_stdout(text.as_bytes()),
        };
    }
    let (Some(id), Some(out)) = (&args.secret, &args.out) else {
        usage("export needs --public ID, or --secret ID with --out FILE");
    };
    let Some(var) = args
        .new_passphrase_env
        .as_ref()
        .or(sources.passphrase_env.as_ref())
    else {
        usage("export --secret needs --new-passphrase-env VAR or --passphrase-env VAR");
    };
    let passphrase = env_secret(var)?;
    let id = key_id(&ring, id, now)?;
    let secret = SecretBytes::new(ring.export_secret(&id, &passphrase, &mut os_rng(), now)?);
    write_private(out, &secret)
}

/// The keyring id `given` names, as gpg takes keys: the whole id, the last 8 or more hex
/// digits of an id or of an OpenPGP (sub)key id (spaces and case ignored), or an e-mail
/// address. More than one match is refused with the candidates, never guessed.
fn key_id(ring: &Keyring, given: &str, now: Time) -> Result<String, Failure> {
    let hex: String = given.split_whitespace().collect::<String>().to_uppercase();
    let hex = hex.strip_prefix("0X").unwrap_or(&hex).to_string();
    let keys = ring.list(now);
    if keys.iter().any(|k| k.id == hex) {
        return Ok(hex);
    }
    let is_hex = hex.len() >= 8 && hex.bytes().all(|b| b.is_ascii_hexdigit());
    let address = given.trim().trim_start_matches('<').trim_end_matches('>');
    let address = mailseal::Address::key_of(address);
    let matches: Vec<&str> = keys
        .iter()
        .filter(|k| {
            if is_hex {
                k.id.ends_with(&hex) || k.key_ids.iter().any(|id| id.ends_with(&hex))
            } else {
                k.emails.contains(&address)
            }
        })
        .map(|k| k.id.as_str())
        .collect();
    match matches[..] {
        [one] => Ok(one.to_string()),
        [] => Err(Failure::from(mailseal::Error::new(
            mailseal::ErrorCode::KeyNotFound,
            format!("No key of the keyring is {given}."),
        ))),
        _ => Err(bad_input(format!(
            "{given} names {} keys: give one of their ids ({})",
            matches.len(),
            matches.join(", ")
        ))),
    }
}
