//! Parses the command line and runs its command: the small ones (keys, seal, capabilities,
//! check, log) here, the larger ones in their own modules.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use clap::Parser;
use mailseal::capabilities::{capabilities, check, Addresses};
use mailseal::{os_rng, standards};
use rand_core::RngCore as _;
use zeroize::Zeroizing;

use crate::args::{every_value, usage, Cli, Command};
use crate::clock::system_now;
use crate::export::export_command;
use crate::failure::Failure;
use crate::files::{read_policy, write_private};
use crate::key_sources::{env_secret, import_files, load_ring, passphrase};
use crate::open::open_command;
use crate::output::print_json;
use crate::protect::protect_command;

pub fn main() -> ExitCode {
    let mut cli = Cli::parse();
    // clap keeps only the last group of a repeated global option: `--trusted a.pem open
    // --trusted b.pem` would silently drop a.pem. Every occurrence counts.
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    cli.keys.keys = every_value(&args, "--key", std::mem::take(&mut cli.keys.keys));
    cli.keys.trusted = every_value(&args, "--trusted", std::mem::take(&mut cli.keys.trusted));
    match run(cli) {
        Ok(code) => code,
        Err(failure) => {
            let _ = writeln!(io::stderr(), "mailseal: {failure}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let now = match cli.now {
        Some(t) => t,
        None => system_now()?,
    };
    let sources = &cli.keys;
    if sources.keyring.is_some() && sources.password_env.is_none() && sources.key_env.is_none() {
        usage(
            "--keyring needs --password-env VAR (the sealed keyring's password) or --key-env VAR",
        );
    }
    match cli.command {
        Command::Keys { files } => {
            let mut ring = load_ring(sources, now)?;
            let files: Vec<(&Path, bool)> = files.iter().map(|f| (f.as_path(), false)).collect();
            import_files(&mut ring, &files, passphrase(sources)?.as_ref(), now)?;
            print_json(&ring.list(now))?;
        }
        Command::Seal {
            out,
            key_out: Some(key_out),
            ..
        } => {
            let ring = load_ring(sources, now)?;
            let mut key = Zeroizing::new([0u8; 32]);
            os_rng().fill_bytes(key.as_mut());
            let sealed = ring.seal_with_key(key.as_ref(), &mut os_rng())?;
            let encoded = Zeroizing::new(format!("{}\n", B64.encode(key.as_ref())));
            write_private(&key_out, encoded.as_bytes())?;
            write_private(&out, &sealed)?;
        }
        Command::Seal {
            out,
            new_password_env,
            key_out: None,
        } => {
            let Some(var) = new_password_env.or_else(|| sources.password_env.clone()) else {
                usage("seal needs --password-env VAR (or --new-password-env VAR)");
            };
            let ring = load_ring(sources, now)?;
            let password = env_secret(&var)?;
            let sealed = ring.seal(&password, &mut os_rng())?;
            write_private(&out, &sealed)?;
        }
        Command::Open(args) => return open_command(sources, now, &args),
        Command::Protect(args) => protect_command(sources, now, &args)?,
        Command::Export(args) => export_command(sources, now, &args)?,
        Command::Capabilities {
            from,
            to,
            cc,
            bcc,
            policy,
        } => {
            let ring = load_ring(sources, now)?;
            let policy = read_policy(policy.as_deref())?;
            let addresses = Addresses { from, to, cc, bcc };
            let caps = capabilities(&ring, &standards::all(), &policy, &addresses, now);
            print_json(&caps)?;
        }
        Command::Check { address, policy } => {
            let ring = load_ring(sources, now)?;
            let policy = read_policy(policy.as_deref())?;
            print_json(&check(&ring, &standards::all(), &policy, &address, now))?;
        }
        Command::Log => {
            let ring = load_ring(sources, now)?;
            print_json(ring.recent_log())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
