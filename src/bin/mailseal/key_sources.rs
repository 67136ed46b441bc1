//! The keyring every command starts from: a sealed keyring, trust anchors and key files, with
//! passphrases and passwords from the environment.

use std::path::Path;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use mailseal::secret::SecretBytes;
use mailseal::{Error, ImportOptions, Keyring, Time};
use zeroize::Zeroizing;

use crate::args::KeySources;
use crate::failure::{bad_input, in_file, Failure};
use crate::files::read_file;

/// The sealed keyring (if any), then the trust anchors, then the keys.
pub(crate) fn load_ring(sources: &KeySources, now: Time) -> Result<Keyring, Failure> {
    let mut ring = match (&sources.keyring, &sources.password_env, &sources.key_env) {
        (Some(path), Some(var), _) => {
            let password = env_secret(var)?;
            let sealed = read_file(path)?;
            Keyring::unseal(&sealed, &password).map_err(in_file(path))?
        }
        (Some(path), None, Some(var)) => {
            let encoded = env_secret(var)?;
            let key = SecretBytes::new(B64.decode(encoded.trim()).map_err(|_| {
                bad_input(format!(
                    "{var} is not base64 (a key written by seal --key-out)"
                ))
            })?);
            let sealed = read_file(path)?;
            Keyring::unseal_with_key(&sealed, &key).map_err(in_file(path))?
        }
        _ => Keyring::new(),
    };
    let files: Vec<(&Path, bool)> = sources
        .trusted
        .iter()
        .map(|f| (f.as_path(), true))
        .chain(sources.keys.iter().map(|f| (f.as_path(), false)))
        .collect();
    import_files(&mut ring, &files, passphrase(sources)?.as_ref(), now)?;
    Ok(ring)
}

/// Imports `files` (path, trusted) in order; a private key whose certificate comes in a
/// later file (`--key alice.key --key alice.crt`, the order `openssl req` writes them) is
/// tried again after the rest.
pub(crate) fn import_files(
    ring: &mut Keyring,
    files: &[(&Path, bool)],
    passphrase: Option<&Zeroizing<String>>,
    now: Time,
) -> Result<(), Failure> {
    let mut waiting = Vec::new();
    for &(file, trusted) in files {
        match try_import(ring, file, passphrase, trusted, now)? {
            Err(e) if e.code() == mailseal::ErrorCode::CertificateMissing => {
                waiting.push((file, trusted));
            }
            done => done.map_err(in_file(file))?,
        }
    }
    for (file, trusted) in waiting {
        import(ring, file, passphrase, trusted, now)?;
    }
    Ok(())
}

pub(crate) fn passphrase(sources: &KeySources) -> Result<Option<Zeroizing<String>>, Failure> {
    sources
        .passphrase_env
        .as_deref()
        .map(env_secret)
        .transpose()
}

fn import(
    ring: &mut Keyring,
    path: &Path,
    passphrase: Option<&Zeroizing<String>>,
    trusted: bool,
    now: Time,
) -> Result<(), Failure> {
    try_import(ring, path, passphrase, trusted, now)?.map_err(in_file(path))
}

/// Reads `path` (a failure to read is the outer error) and imports it.
fn try_import(
    ring: &mut Keyring,
    path: &Path,
    passphrase: Option<&Zeroizing<String>>,
    trusted: bool,
    now: Time,
) -> Result<Result<(), Error>, Failure> {
    let data = SecretBytes::new(read_file(path)?);
    let opts = ImportOptions {
        passphrase: passphrase.cloned(),
        trusted,
    };
    let result = ring.import(&data, &opts, now).map(|_| ());
    if result.is_ok() {
        // Keys of the file the import left out: the `import_skipped` events it logged last.
        let log = ring.recent_log();
        let skipped = log
            .iter()
            .rev()
            .take_while(|e| e.action == "import_skipped");
        for event in skipped.collect::<Vec<_>>().into_iter().rev() {
            eprintln!(
                "mailseal: {}: key {} left out ({})",
                path.display(),
                event.key_ids.join(", "),
                event.code.as_deref().unwrap_or("error")
            );
        }
    }
    Ok(result)
}

/// A secret from the environment: passphrases and passwords never appear in argv.
pub(crate) fn env_secret(var: &str) -> Result<Zeroizing<String>, Failure> {
    match std::env::var(var) {
        Ok(value) => Ok(Zeroizing::new(value)),
        Err(std::env::VarError::NotPresent) => Err(bad_input(format!(
            "the environment variable {var} is not set"
        ))),
        Err(std::env::VarError::NotUnicode(_)) => Err(bad_input(format!(
            "the environment variable {var} is not valid UTF-8"
        ))),
    }
}
