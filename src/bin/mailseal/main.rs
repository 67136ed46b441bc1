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

// One module per concern, none of them on wasm32: `args` (clap's view of the command line),
// `commands` (parse, dispatch, and the small commands), `open`, `protect` and `export` (the
// larger commands), `key_sources` (the keyring every command starts from), `files`, `output`,
// `clock` (the system clock and `--now`) and `failure` (errors and their codes on stderr).
#[cfg(not(target_arch = "wasm32"))]
mod args;
#[cfg(not(target_arch = "wasm32"))]
mod clock;
#[cfg(not(target_arch = "wasm32"))]
mod commands;
#[cfg(not(target_arch = "wasm32"))]
mod export;
#[cfg(not(target_arch = "wasm32"))]
mod failure;
#[cfg(not(target_arch = "wasm32"))]
mod files;
#[cfg(not(target_arch = "wasm32"))]
mod key_sources;
#[cfg(not(target_arch = "wasm32"))]
mod open;
#[cfg(not(target_arch = "wasm32"))]
mod output;
#[cfg(not(target_arch = "wasm32"))]
mod protect;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    commands::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
