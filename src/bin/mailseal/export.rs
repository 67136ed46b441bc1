//! `mailseal export`: a public key to standard output, or a protected secret key to a file.

use std::fs;

use mailseal::secret::SecretBytes;
use mailseal::{os_rng, Time};

use crate::args::{usage, ExportArgs, KeySources};
use crate::failure::{io_failure, Failure};
use crate::files::write_private;
use crate::key_sources::{env_secret, load_ring};
use crate::output::write_stdout;

pub(crate) fn export_command(
    sources: &KeySources,
    now: Time,
    args: &ExportArgs,
) -> Result<(), Failure> {
    let mut ring = load_ring(sources, now)?;
    if let Some(id) = &args.public {
        let text = ring.export_public(id)?;
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
    let secret = SecretBytes::new(ring.export_secret(id, &passphrase, &mut os_rng(), now)?);
    write_private(out, &secret)
}
