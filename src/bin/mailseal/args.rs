//! The command line's arguments (clap): the global key sources and clock, the commands and
//! their options, and the fix-ups clap cannot express.

use std::path::PathBuf;

use clap::{ArgGroup, Args, CommandFactory, Parser, Subcommand, ValueEnum};
use mailseal::Time;

use crate::clock::parse_time;

#[derive(Parser)]
#[command(
    name = "mailseal",
    version,
    about = "S/MIME and OpenPGP e-mail security: keys, protect, open",
    after_help = "Exit codes: 0 done, 1 error (`mailseal: <code>: <message>` on stderr), \
                  2 usage, 3 `open --require-valid` failed, 4 `open --require-decrypted` failed."
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) keys: KeySources,
    /// The clock, RFC 3339 (e.g. 2026-12-01T00:00:00Z); default: the system clock.
    #[arg(long, global = true, value_name = "RFC3339", value_parser = parse_time)]
    pub(crate) now: Option<Time>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Where the keyring comes from; shared by every command.
#[derive(Args)]
pub(crate) struct KeySources {
    /// A key or certificate file: PEM/DER X.509, PKCS#7, PKCS#12, PKCS#8/PKCS#1/SEC1 keys,
    /// OpenPGP keys (armored or binary). Repeatable.
    #[arg(long = "key", value_name = "FILE", global = true)]
    pub(crate) keys: Vec<PathBuf>,
    /// A trust anchor (S/MIME CA certificate, vouched-for OpenPGP key). Repeatable.
    #[arg(long = "trusted", value_name = "FILE", global = true)]
    pub(crate) trusted: Vec<PathBuf>,
    /// The environment variable holding the passphrase of protected keys (one for all).
    #[arg(long, value_name = "VAR", global = true)]
    pub(crate) passphrase_env: Option<String>,
    /// A sealed keyring (`mailseal seal`, or `ring.seal()` in JavaScript).
    #[arg(long, value_name = "FILE", global = true)]
    pub(crate) keyring: Option<PathBuf>,
    /// The environment variable holding the sealed keyring's password.
    #[arg(long, value_name = "VAR", global = true)]
    pub(crate) password_env: Option<String>,
    /// The environment variable holding the sealed keyring's key instead (base64 of 32
    /// bytes; a keyring written by `seal --key-out`).
    #[arg(
        long,
        value_name = "VAR",
        global = true,
        conflicts_with = "password_env"
    )]
    pub(crate) key_env: Option<String>,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Import key files (and the key sources); print every key of the keyring as JSON.
    Keys {
        /// Key or certificate files, as for --key.
        files: Vec<PathBuf>,
    },
    /// Write the keyring sealed under the password of --password-env.
    Seal {
        /// The sealed keyring to write (replaced if it exists).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Seal under this variable's password instead (--password-env then only opens
        /// --keyring).
        #[arg(long, value_name = "VAR")]
        new_password_env: Option<String>,
        /// Seal under a new random 256-bit key instead of a password, for a server (the
        /// Worker's KEYRING_KEY secret): no password stretching, so it opens in
        /// microseconds. The key is written to this file as base64 (owner-only).
        #[arg(long, value_name = "FILE", conflicts_with = "new_password_env")]
        key_out: Option<PathBuf>,
    },
    /// Decrypt and verify a message; print the security report and readable message as JSON.
    Open(OpenArgs),
    /// Sign and/or encrypt a message; write the protected MIME.
    Protect(Box<ProtectArgs>),
    /// Export a public key (stdout) or a passphrase-protected secret key (--out).
    Export(ExportArgs),
    /// Who can sign, who can be encrypted to, and why not (the composer's buttons), as JSON.
    Capabilities {
        /// The sender.
        #[arg(long, value_name = "ADDRESS")]
        from: String,
        /// Recipients. Repeatable.
        #[arg(long, value_name = "ADDRESS")]
        to: Vec<String>,
        /// Copy recipients. Repeatable.
        #[arg(long, value_name = "ADDRESS")]
        cc: Vec<String>,
        /// Blind copy recipients. Repeatable.
        #[arg(long, value_name = "ADDRESS")]
        bcc: Vec<String>,
        /// The admin's policy (JSON, as in JavaScript).
        #[arg(long, value_name = "FILE.json")]
        policy: Option<PathBuf>,
    },
    /// The admin's self-check for the desk's addresses, as JSON.
    Check {
        /// A sending address of the desk. Repeatable.
        #[arg(long, value_name = "ADDRESS", required = true)]
        address: Vec<String>,
        /// The admin's policy (JSON, as in JavaScript).
        #[arg(long, value_name = "FILE.json")]
        policy: Option<PathBuf>,
    },
    /// The keyring's recent log (imports, exports, protect, open; no content), as JSON.
    Log,
}

#[derive(Args)]
pub(crate) struct OpenArgs {
    /// The message (.eml); `-` or nothing reads standard input.
    #[arg(value_name = "MESSAGE")]
    pub(crate) message: Option<PathBuf>,
    /// Write attachments into DIR (never overwriting) and list their paths instead of
    /// their base64 data.
    #[arg(long, value_name = "DIR")]
    pub(crate) save_attachments: Option<PathBuf>,
    /// Exit 3 unless the signature is valid.
    #[arg(long)]
    pub(crate) require_valid: bool,
    /// Exit 4 unless the message was decrypted.
    #[arg(long)]
    pub(crate) require_decrypted: bool,
}

#[derive(Args)]
#[command(group(ArgGroup::new("content").required(true).multiple(true).args(["text", "html", "message"])))]
pub(crate) struct ProtectArgs {
    /// The sender (`alice@example.com` or `Alice <alice@example.com>`).
    #[arg(long, value_name = "ADDRESS", required_unless_present = "message")]
    pub(crate) from: Option<String>,
    /// Recipients. Repeatable.
    #[arg(long, value_name = "ADDRESS")]
    pub(crate) to: Vec<String>,
    /// Copy recipients. Repeatable.
    #[arg(long, value_name = "ADDRESS")]
    pub(crate) cc: Vec<String>,
    /// Blind copy recipients (each gets its own copy). Repeatable.
    #[arg(long, value_name = "ADDRESS")]
    pub(crate) bcc: Vec<String>,
    /// The subject.
    #[arg(long)]
    pub(crate) subject: Option<String>,
    /// The plain-text body (UTF-8); `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    pub(crate) text: Option<PathBuf>,
    /// An HTML body (UTF-8); with --text, both as multipart/alternative.
    #[arg(long, value_name = "FILE")]
    pub(crate) html: Option<PathBuf>,
    /// A complete message to protect instead of a draft; `-` reads standard input.
    #[arg(long, value_name = "FILE.eml",
          conflicts_with_all = ["text", "html", "from", "to", "cc", "bcc", "subject", "attach"])]
    pub(crate) message: Option<PathBuf>,
    /// Attach a file (sent as application/octet-stream). Repeatable.
    #[arg(long = "attach", value_name = "FILE")]
    pub(crate) attach: Vec<PathBuf>,
    /// Sign with the sender's key.
    #[arg(long)]
    pub(crate) sign: bool,
    /// Encrypt to every recipient (and to the sender, unless --no-encrypt-to-self).
    #[arg(long)]
    pub(crate) encrypt: bool,
    /// Which standard.
    #[arg(long, value_enum, default_value_t = MethodArg::Auto)]
    pub(crate) method: MethodArg,
    /// The admin's policy (JSON, as in JavaScript: methodPriority, fallback, smimeCipher...).
    #[arg(long, value_name = "FILE.json")]
    pub(crate) policy: Option<PathBuf>,
    /// Protect the header fields (encrypted subject) even when only signing.
    #[arg(long, conflicts_with = "no_protect_headers")]
    pub(crate) protect_headers: bool,
    /// Do not protect the header fields (default: protected when encrypting).
    #[arg(long)]
    pub(crate) no_protect_headers: bool,
    /// Do not encrypt to the sender (the sent copy will not be readable).
    #[arg(long)]
    pub(crate) no_encrypt_to_self: bool,
    /// Write every delivery into DIR as 1.eml, 2.eml, ... and print a JSON summary
    /// (needed when there are several: Bcc copies, plain fallbacks).
    #[arg(long, value_name = "DIR")]
    pub(crate) out_dir: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum MethodArg {
    Auto,
    Smime,
    Pgp,
}

#[derive(Args)]
#[command(group(ArgGroup::new("which").required(true).args(["public", "secret"])))]
pub(crate) struct ExportArgs {
    /// The key whose public part to print: its id (fingerprint), the last 8 or more hex digits
    /// of it or of an OpenPGP key id, or its e-mail address (when only one key has it).
    #[arg(long, value_name = "ID")]
    pub(crate) public: Option<String>,
    /// The key whose secret to export (PKCS#12 or armored OpenPGP), named as for --public,
    /// protected by the passphrase of --new-passphrase-env, else of --passphrase-env.
    #[arg(long, value_name = "ID", requires = "out")]
    pub(crate) secret: Option<String>,
    /// The environment variable holding the passphrase for the exported secret key.
    #[arg(long, value_name = "VAR")]
    pub(crate) new_passphrase_env: Option<String>,
    /// Write to FILE instead of standard output (required for --secret).
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
}

/// Every value of `option` in `args` (`--option VALUE` or `--option=VALUE`, before a
/// `--`), or what clap parsed when that is all of them.
pub(crate) fn every_value(
    args: &[std::ffi::OsString],
    option: &str,
    parsed: Vec<PathBuf>,
) -> Vec<PathBuf> {
    let mut all = Vec::new();
    let mut it = args.iter();
    let prefix = format!("{option}=");
    while let Some(arg) = it.next() {
        let Some(text) = arg.to_str() else { continue };
        if text == "--" {
            break;
        }
        if text == option {
            if let Some(value) = it.next() {
                all.push(PathBuf::from(value));
            }
        } else if let Some(value) = text.strip_prefix(&prefix) {
            all.push(PathBuf::from(value));
        }
    }
    if all.len() > parsed.len() {
        all
    } else {
        parsed
    }
}

/// A usage error: clap's message and exit code 2.
pub(crate) fn usage(message: &str) -> ! {
    Cli::command()
        .error(clap::error::ErrorKind::MissingRequiredArgument, message)
        .exit()
}
