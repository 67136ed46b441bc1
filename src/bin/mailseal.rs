//! `mailseal`: the native command line over the crate's public API, for admin scripting and
//! interop tests. Only argument parsing, files, environment variables, the system clock and the
//! OS RNG live here; formats, cryptography, MIME and verdicts are the library's.
//!
//! ```text
//! mailseal keys FILE...                          import, print the keys as JSON
//! mailseal seal --out FILE.vault                 write the keyring sealed under --password-env
//! mailseal open [MESSAGE|-]                      decrypt + verify, print the report as JSON
//! mailseal protect --from A --to B --sign --encrypt (--text FILE | --message FILE.eml)
//! mailseal export (--public ID | --secret ID --out FILE)
//! mailseal capabilities --from A --to B          what the composer may offer
//! mailseal check --address A                     the admin's readiness self-check
//! mailseal log                                   the keyring's recent log (no content)
//! ```
//!
//! Every command takes the same key sources: `--key FILE` (repeatable), `--trusted FILE`
//! (repeatable trust anchors), `--passphrase-env VAR` (the passphrase of protected keys, read from
//! that environment variable, never from the command line), `--keyring FILE.vault` with
//! `--password-env VAR`, and `--now RFC3339` to fix the clock.
//!
//! Exit codes: 0 done (`open`: whatever the verdict); 1 an error, printed on stderr as
//! `mailseal: <code>: <message>` with the library's stable [`mailseal::ErrorCode`] (or `io` for
//! files that cannot be read or written); 2 a usage error; 3 `open --require-valid` and the
//! signature is not valid; 4 `open --require-decrypted` and the message was not decrypted
//! (checked before the signature).
//!
//! On wasm32 this binary is an empty `main`: the CLI needs files, a process environment and
//! clap (a native-only dependency). Keeping it a normal `[[bin]]` rather than behind
//! `required-features` means `cargo build` / `cargo test` build and test it with no flags.

#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used, clippy::expect_used)]

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::fmt;
    use std::fs;
    use std::io::{self, Read, Write};
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;

    use base64::engine::general_purpose::STANDARD as B64;
    use base64::Engine as _;
    use clap::{ArgGroup, Args, CommandFactory, Parser, Subcommand, ValueEnum};
    use mailseal::capabilities::{capabilities, check, Addresses};
    use mailseal::mime::{Draft, DraftAttachment};
    use mailseal::secret::SecretBytes;
    use mailseal::{
        engine, open, os_rng, protect, EncryptionState, Error, ImportOptions, Keyring, Message,
        MethodChoice, OpenOptions, Policy, ProtectOptions, SignatureState, Time,
    };
    use rand_core::RngCore as _;
    use serde::Serialize;
    use zeroize::Zeroizing;

    #[derive(Parser)]
    #[command(
        name = "mailseal",
        version,
        about = "S/MIME and OpenPGP e-mail security: keys, protect, open",
        after_help = "Exit codes: 0 done, 1 error (`mailseal: <code>: <message>` on stderr), \
                      2 usage, 3 `open --require-valid` failed, 4 `open --require-decrypted` failed."
    )]
    struct Cli {
        #[command(flatten)]
        keys: KeySources,
        /// The clock, RFC 3339 (e.g. 2026-12-01T00:00:00Z); default: the system clock.
        #[arg(long, global = true, value_name = "RFC3339", value_parser = parse_time)]
        now: Option<Time>,
        #[command(subcommand)]
        command: Command,
    }

    /// Where the keyring comes from; shared by every command.
    #[derive(Args)]
    struct KeySources {
        /// A key or certificate file: PEM/DER X.509, PKCS#7, PKCS#12, PKCS#8/PKCS#1/SEC1 keys,
        /// OpenPGP keys (armored or binary). Repeatable.
        #[arg(long = "key", value_name = "FILE", global = true)]
        keys: Vec<PathBuf>,
        /// A trust anchor (S/MIME CA certificate, vouched-for OpenPGP key). Repeatable.
        #[arg(long = "trusted", value_name = "FILE", global = true)]
        trusted: Vec<PathBuf>,
        /// The environment variable holding the passphrase of protected keys (one for all).
        #[arg(long, value_name = "VAR", global = true)]
        passphrase_env: Option<String>,
        /// A sealed keyring (`mailseal seal`, or `ring.seal()` in JavaScript).
        #[arg(long, value_name = "FILE", global = true)]
        keyring: Option<PathBuf>,
        /// The environment variable holding the sealed keyring's password.
        #[arg(long, value_name = "VAR", global = true)]
        password_env: Option<String>,
        /// The environment variable holding the sealed keyring's key instead (base64 of 32
        /// bytes; a keyring written by `seal --key-out`).
        #[arg(
            long,
            value_name = "VAR",
            global = true,
            conflicts_with = "password_env"
        )]
        key_env: Option<String>,
    }

    #[derive(Subcommand)]
    enum Command {
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
    struct OpenArgs {
        /// The message (.eml); `-` or nothing reads standard input.
        #[arg(value_name = "MESSAGE")]
        message: Option<PathBuf>,
        /// Write attachments into DIR (never overwriting) and list their paths instead of
        /// their base64 data.
        #[arg(long, value_name = "DIR")]
        save_attachments: Option<PathBuf>,
        /// Exit 3 unless the signature is valid.
        #[arg(long)]
        require_valid: bool,
        /// Exit 4 unless the message was decrypted.
        #[arg(long)]
        require_decrypted: bool,
    }

    #[derive(Args)]
    #[command(group(ArgGroup::new("content").required(true).multiple(true).args(["text", "html", "message"])))]
    struct ProtectArgs {
        /// The sender (`alice@example.com` or `Alice <alice@example.com>`).
        #[arg(long, value_name = "ADDRESS", required_unless_present = "message")]
        from: Option<String>,
        /// Recipients. Repeatable.
        #[arg(long, value_name = "ADDRESS")]
        to: Vec<String>,
        /// Copy recipients. Repeatable.
        #[arg(long, value_name = "ADDRESS")]
        cc: Vec<String>,
        /// Blind copy recipients (each gets its own copy). Repeatable.
        #[arg(long, value_name = "ADDRESS")]
        bcc: Vec<String>,
        /// The subject.
        #[arg(long)]
        subject: Option<String>,
        /// The plain-text body (UTF-8); `-` reads standard input.
        #[arg(long, value_name = "FILE")]
        text: Option<PathBuf>,
        /// An HTML body (UTF-8); with --text, both as multipart/alternative.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// A complete message to protect instead of a draft; `-` reads standard input.
        #[arg(long, value_name = "FILE.eml",
              conflicts_with_all = ["text", "html", "from", "to", "cc", "bcc", "subject", "attach"])]
        message: Option<PathBuf>,
        /// Attach a file (sent as application/octet-stream). Repeatable.
        #[arg(long = "attach", value_name = "FILE")]
        attach: Vec<PathBuf>,
        /// Sign with the sender's key.
        #[arg(long)]
        sign: bool,
        /// Encrypt to every recipient (and to the sender, unless --no-encrypt-to-self).
        #[arg(long)]
        encrypt: bool,
        /// Which standard.
        #[arg(long, value_enum, default_value_t = MethodArg::Auto)]
        method: MethodArg,
        /// The admin's policy (JSON, as in JavaScript: methodPriority, fallback, smimeCipher...).
        #[arg(long, value_name = "FILE.json")]
        policy: Option<PathBuf>,
        /// Protect the header fields (encrypted subject) even when only signing.
        #[arg(long, conflicts_with = "no_protect_headers")]
        protect_headers: bool,
        /// Do not protect the header fields (default: protected when encrypting).
        #[arg(long)]
        no_protect_headers: bool,
        /// Do not encrypt to the sender (the sent copy will not be readable).
        #[arg(long)]
        no_encrypt_to_self: bool,
        /// Write every delivery into DIR as 1.eml, 2.eml, ... and print a JSON summary
        /// (needed when there are several: Bcc copies, plain fallbacks).
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    }

    #[derive(Clone, Copy, ValueEnum)]
    enum MethodArg {
        Auto,
        Smime,
        Pgp,
    }

    #[derive(Args)]
    #[command(group(ArgGroup::new("which").required(true).args(["public", "secret"])))]
    struct ExportArgs {
        /// The id (fingerprint) of the key whose public part to print.
        #[arg(long, value_name = "ID")]
        public: Option<String>,
        /// The id (fingerprint) of the key whose secret to export (PKCS#12 or armored OpenPGP),
        /// protected by the passphrase of --new-passphrase-env, else of --passphrase-env.
        #[arg(long, value_name = "ID", requires = "out")]
        secret: Option<String>,
        /// The environment variable holding the passphrase for the exported secret key.
        #[arg(long, value_name = "VAR")]
        new_passphrase_env: Option<String>,
        /// Write to FILE instead of standard output (required for --secret).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    }

    /// Exit codes of `open --require-*`.
    const EXIT_NOT_VALID: u8 = 3;
    const EXIT_NOT_DECRYPTED: u8 = 4;

    /// What ends a command: a library error (its stable code) or a file problem (`io`).
    struct Failure {
        code: &'static str,
        message: String,
    }

    impl From<Error> for Failure {
        fn from(e: Error) -> Self {
            Failure {
                code: e.code().as_str(),
                message: e.message().to_string(),
            }
        }
    }

    impl fmt::Display for Failure {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{}: {}", self.code, self.message)
        }
    }

    fn bad_input(message: impl Into<String>) -> Failure {
        Failure {
            code: "bad_input",
            message: message.into(),
        }
    }

    fn io_failure(what: &str, path: &Path, e: &io::Error) -> Failure {
        Failure {
            code: "io",
            message: format!("cannot {what} {}: {e}", path.display()),
        }
    }

    /// A library error about one file: the file's name in front of the message.
    fn in_file(path: &Path) -> impl Fn(Error) -> Failure + '_ {
        move |e| Failure {
            code: e.code().as_str(),
            message: format!("{}: {}", path.display(), e.message()),
        }
    }

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
        if sources.keyring.is_some() && sources.password_env.is_none() && sources.key_env.is_none()
        {
            usage(
                "--keyring needs --password-env VAR (the sealed keyring's password) or --key-env VAR",
            );
        }
        match cli.command {
            Command::Keys { files } => {
                let mut ring = load_ring(sources, now)?;
                let files: Vec<(&Path, bool)> =
                    files.iter().map(|f| (f.as_path(), false)).collect();
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
                let caps = capabilities(&ring, &engine::all(), &policy, &addresses, now);
                print_json(&caps)?;
            }
            Command::Check { address, policy } => {
                let ring = load_ring(sources, now)?;
                let policy = read_policy(policy.as_deref())?;
                print_json(&check(&ring, &engine::all(), &policy, &address, now))?;
            }
            Command::Log => {
                let ring = load_ring(sources, now)?;
                print_json(ring.recent_log())?;
            }
        }
        Ok(ExitCode::SUCCESS)
    }

    fn open_command(sources: &KeySources, now: Time, args: &OpenArgs) -> Result<ExitCode, Failure> {
        let raw = read_input(args.message.as_deref())?;
        let mut ring = load_ring(sources, now)?;
        let opened = open(&mut ring, &engine::all(), &raw, &OpenOptions::at(now))?;
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
        print_json(&report)?;
        if args.require_decrypted && opened.encryption.state != EncryptionState::Decrypted {
            return Ok(ExitCode::from(EXIT_NOT_DECRYPTED));
        }
        if args.require_valid && opened.signature.state != SignatureState::Valid {
            return Ok(ExitCode::from(EXIT_NOT_VALID));
        }
        Ok(ExitCode::SUCCESS)
    }

    fn protect_command(sources: &KeySources, now: Time, args: &ProtectArgs) -> Result<(), Failure> {
        let mut ring = load_ring(sources, now)?;
        let mut opts = ProtectOptions::new(args.sign, args.encrypt, now);
        opts.method = match args.method {
            MethodArg::Auto => MethodChoice::Auto,
            MethodArg::Smime => MethodChoice::Smime,
            MethodArg::Pgp => MethodChoice::Pgp,
        };
        opts.protect_headers = match (args.protect_headers, args.no_protect_headers) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        };
        opts.encrypt_to_self = !args.no_encrypt_to_self;
        opts.policy = read_policy(args.policy.as_deref())?;

        let raw;
        let draft;
        let message = match &args.message {
            Some(path) => {
                raw = read_input(Some(path))?;
                Message::Raw(&raw)
            }
            None => {
                draft = Draft {
                    from: args.from.clone().unwrap_or_default(),
                    to: args.to.clone(),
                    cc: args.cc.clone(),
                    bcc: args.bcc.clone(),
                    subject: args.subject.clone().unwrap_or_default(),
                    text: args.text.as_deref().map(read_text).transpose()?,
                    html: args.html.as_deref().map(read_text).transpose()?,
                    attachments: args
                        .attach
                        .iter()
                        .map(|path| attachment(path))
                        .collect::<Result<_, _>>()?,
                    ..Draft::default()
                };
                Message::Draft(&draft)
            }
        };
        let protected = protect(&mut ring, &engine::all(), message, &opts, &mut os_rng())?;
        for warning in &protected.warnings {
            let _ = writeln!(io::stderr(), "mailseal: warning: {warning}");
        }

        let Some(dir) = &args.out_dir else {
            return match protected.deliveries.as_slice() {
                [one] => write_stdout(&one.mime),
                many => Err(bad_input(format!(
                    "protect made {} deliveries (Bcc copies, plain fallbacks): pass --out-dir DIR",
                    many.len()
                ))),
            };
        };
        fs::create_dir_all(dir).map_err(|e| io_failure("create", dir, &e))?;
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Summary<'a> {
            deliveries: Vec<DeliveryFile<'a>>,
            warnings: &'a [String],
            #[serde(skip_serializing_if = "Option::is_none")]
            message_id: Option<&'a str>,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct DeliveryFile<'a> {
            file: String,
            to: &'a [String],
            method: &'a str,
            signed: bool,
            encrypted: bool,
            problem_report: bool,
        }
        let mut deliveries = Vec::new();
        for (i, d) in protected.deliveries.iter().enumerate() {
            let path = dir.join(format!("{}.eml", i + 1));
            fs::write(&path, &d.mime).map_err(|e| io_failure("write", &path, &e))?;
            deliveries.push(DeliveryFile {
                file: path.display().to_string(),
                to: &d.to,
                method: &d.method,
                signed: d.signed,
                encrypted: d.encrypted,
                problem_report: d.problem_report,
            });
        }
        print_json(&Summary {
            deliveries,
            warnings: &protected.warnings,
            message_id: protected.message_id.as_deref(),
        })
    }

    fn export_command(sources: &KeySources, now: Time, args: &ExportArgs) -> Result<(), Failure> {
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

    // ---- key sources ---------------------------------------------------------------------

    /// The sealed keyring (if any), then the trust anchors, then the keys.
    fn load_ring(sources: &KeySources, now: Time) -> Result<Keyring, Failure> {
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
    fn import_files(
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

    fn passphrase(sources: &KeySources) -> Result<Option<Zeroizing<String>>, Failure> {
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
        Ok(ring.import(&data, &opts, now).map(|_| ()))
    }

    /// A secret from the environment: passphrases and passwords never appear in argv.
    fn env_secret(var: &str) -> Result<Zeroizing<String>, Failure> {
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

    // ---- files, clock, output -------------------------------------------------------------

    fn read_file(path: &Path) -> Result<Vec<u8>, Failure> {
        fs::read(path).map_err(|e| io_failure("read", path, &e))
    }

    /// A file, or standard input for `-` / nothing.
    fn read_input(path: Option<&Path>) -> Result<Vec<u8>, Failure> {
        match path {
            Some(p) if p.as_os_str() != "-" => read_file(p),
            _ => {
                let mut buf = Vec::new();
                io::stdin()
                    .read_to_end(&mut buf)
                    .map_err(|e| io_failure("read", Path::new("standard input"), &e))?;
                Ok(buf)
            }
        }
    }

    fn read_text(path: &Path) -> Result<String, Failure> {
        String::from_utf8(read_input(Some(path))?)
            .map_err(|_| bad_input(format!("{} is not UTF-8 text", path.display())))
    }

    fn attachment(path: &Path) -> Result<DraftAttachment, Failure> {
        Ok(DraftAttachment {
            filename: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "attachment".to_string()),
            content_type: String::new(),
            data: read_file(path)?,
        })
    }

    fn read_policy(path: Option<&Path>) -> Result<Policy, Failure> {
        let Some(path) = path else {
            return Ok(Policy::default());
        };
        serde_json::from_slice(&read_file(path)?)
            .map_err(|e| bad_input(format!("{} is not a valid policy: {e}", path.display())))
    }

    /// Saves one attachment under a name derived from the sender's file name (no directories,
    /// no hidden files), never replacing an existing file.
    fn save_attachment(
        dir: &Path,
        index: usize,
        name: &str,
        data: &[u8],
    ) -> Result<PathBuf, Failure> {
        fs::create_dir_all(dir).map_err(|e| io_failure("create", dir, &e))?;
        let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
        let cleaned: String = base
            .chars()
            .map(|c| match c {
                c if c.is_control() => '_',
                ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
                c => c,
            })
            .collect();
        let cleaned = cleaned.trim().trim_start_matches('.');
        let n = index + 1;
        let name = if cleaned.is_empty() {
            format!("attachment-{n}")
        } else {
            cleaned.to_string()
        };
        for candidate in [name.clone(), format!("{n}-{name}")] {
            let path = dir.join(&candidate);
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    file.write_all(data)
                        .map_err(|e| io_failure("write", &path, &e))?;
                    return Ok(path);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(io_failure("create", &path, &e)),
            }
        }
        Err(Failure {
            code: "io",
            message: format!("{} already holds a file named {name}", dir.display()),
        })
    }

    /// Writes a file only its owner can read (sealed keyrings, exported secret keys), through
    /// a temporary file so an existing one is replaced whole or not at all.
    fn write_private(path: &Path, data: &[u8]) -> Result<(), Failure> {
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let written = options
            .open(&tmp)
            .and_then(|mut f| f.write_all(data).and_then(|()| f.sync_all()));
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(io_failure("write", &tmp, &e));
        }
        fs::rename(&tmp, path).map_err(|e| io_failure("write", path, &e))
    }

    fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<serde_json::Value, Failure> {
        serde_json::to_value(value).map_err(|e| Failure {
            code: "internal",
            message: format!("cannot write JSON: {e}"),
        })
    }

    fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<(), Failure> {
        let mut out = serde_json::to_vec_pretty(value).map_err(|e| Failure {
            code: "internal",
            message: format!("cannot write JSON: {e}"),
        })?;
        out.push(b'\n');
        write_stdout(&out)
    }

    fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
        let mut out = io::stdout().lock();
        out.write_all(bytes)
            .and_then(|()| out.flush())
            .map_err(|e| io_failure("write", Path::new("standard output"), &e))
    }

    /// Every value of `option` in `args` (`--option VALUE` or `--option=VALUE`, before a
    /// `--`), or what clap parsed when that is all of them.
    fn every_value(
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
    fn usage(message: &str) -> ! {
        Cli::command()
            .error(clap::error::ErrorKind::MissingRequiredArgument, message)
            .exit()
    }

    /// The system clock: the CLI, like the wasm boundary, is where real time enters (time.rs).
    #[allow(clippy::disallowed_methods)]
    fn system_now() -> Result<Time, Failure> {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|_| bad_input("the system clock is before 1970"))?;
        Ok(Time::from_unix(
            i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
        ))
    }

    /// `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` or `YYYY-MM-DD` (midnight UTC), 1970..9999.
    /// Fractions of a second are dropped ([`Time`] counts seconds).
    fn parse_time(s: &str) -> Result<Time, String> {
        let bad = || format!("`{s}` is not an RFC 3339 time such as 2026-12-01T00:00:00Z");
        let digits = |from: usize, len: usize| -> Option<u16> {
            let part = s.get(from..from + len)?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let byte_in =
            |at: usize, allowed: &[u8]| s.as_bytes().get(at).is_some_and(|c| allowed.contains(c));
        let two = |from: usize| digits(from, 2).and_then(|v| u8::try_from(v).ok());

        let (Some(year), true, Some(month), true, Some(day)) = (
            digits(0, 4),
            byte_in(4, b"-"),
            two(5),
            byte_in(7, b"-"),
            two(8),
        ) else {
            return Err(bad());
        };
        let (hour, minute, second, mut rest) = if s.len() == 10 {
            (0, 0, 0, "Z")
        } else {
            let (true, Some(h), true, Some(m), true, Some(sec)) = (
                byte_in(10, b"Tt "),
                two(11),
                byte_in(13, b":"),
                two(14),
                byte_in(16, b":"),
                two(17),
            ) else {
                return Err(bad());
            };
            (h, m, sec, s.get(19..).unwrap_or_default())
        };
        if let Some(fraction) = rest.strip_prefix('.') {
            let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
            rest = fraction.get(n..).filter(|_| n > 0).ok_or_else(bad)?;
        }
        let offset_secs = match rest {
            "Z" | "z" => 0,
            _ => {
                let sign = match rest.as_bytes().first() {
                    Some(b'+') => 1,
                    Some(b'-') => -1,
                    _ => return Err(bad()),
                };
                let hh = rest.get(1..3).and_then(|v| v.parse::<i64>().ok());
                let mm = rest.get(4..6).and_then(|v| v.parse::<i64>().ok());
                match (hh, rest.get(3..4), mm, rest.len()) {
                    (Some(hh), Some(":"), Some(mm), 6) if hh < 24 && mm < 60 => {
                        sign * (hh * 3600 + mm * 60)
                    }
                    _ => return Err(bad()),
                }
            }
        };
        let utc = der::DateTime::new(year, month, day, hour, minute, second).map_err(|_| bad())?;
        Ok(Time::from_der(&utc).plus_secs(-offset_secs))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn parses_rfc3339() {
            let t = |s| parse_time(s).map(Time::unix);
            assert_eq!(t("2026-12-01T00:00:00Z"), Ok(1_796_083_200));
            assert_eq!(t("2026-12-01"), Ok(1_796_083_200));
            assert_eq!(t("2026-12-01t00:00:00.123z"), Ok(1_796_083_200));
            assert_eq!(t("2026-12-01T02:30:00+02:30"), Ok(1_796_083_200));
            assert_eq!(t("2026-11-30T23:00:00-01:00"), Ok(1_796_083_200));
            for bad in [
                "",
                "2026-12-01T00:00:00",
                "2026-13-01",
                "2026-12-01T25:00:00Z",
                "2026-12-01T00:00:00.Z",
                "2026-12-01T00:00:00+0200",
                "１９７０-01-01",
            ] {
                assert!(parse_time(bad).is_err(), "{bad}");
            }
        }

        #[test]
        fn attachment_names_stay_in_the_directory() {
            let dir =
                std::env::temp_dir().join(format!("mailseal-cli-unit-{}", std::process::id()));
            let saved = |i, name| {
                save_attachment(&dir, i, name, b"x")
                    .map(|p| p.strip_prefix(&dir).map(Path::to_path_buf).ok())
                    .ok()
                    .flatten()
            };
            assert_eq!(saved(0, "../../etc/passwd"), Some(PathBuf::from("passwd")));
            assert_eq!(saved(1, "passwd"), Some(PathBuf::from("2-passwd")));
            assert_eq!(saved(2, "..\\.hidden"), Some(PathBuf::from("hidden")));
            assert_eq!(saved(3, " "), Some(PathBuf::from("attachment-4")));
            assert_eq!(saved(4, "a\nb:c"), Some(PathBuf::from("a_b_c")));
            let _ = fs::remove_dir_all(&dir);
        }
    }
}
