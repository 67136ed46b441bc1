//! The `mailseal` command line (native only), run as a built binary against the committed
//! fixtures and, both ways, against the real `openssl` and `gpg`: what the CLI writes opens in
//! the tools, what the tools write opens in the CLI with the right verdict and exit code.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use common::expected;
use common::tools::{
    cms_decrypt, cms_verify, data_path, have, openssl, output, path_str, run, tempdir, Gpg, TempDir,
};
use serde_json::Value;

/// NOW of the fixtures (tests/common/mod.rs), as the CLI takes it.
const NOW: &str = "2026-12-01T00:00:00Z";

fn data(path: &str) -> String {
    path_str(&data_path(path)).to_string()
}

/// One run of the binary.
struct Out {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

impl Out {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}): {}\nstderr: {}",
                String::from_utf8_lossy(&self.stdout),
                self.stderr
            )
        })
    }

    fn ok(self) -> Out {
        assert_eq!(self.code, 0, "stderr: {}", self.stderr);
        self
    }
}

/// Runs `mailseal --now NOW ARGS` with extra environment variables and `stdin`.
fn mailseal(args: &[&str], env: &[(&str, &str)], stdin: &[u8]) -> Out {
    let out = output(
        Command::new(env!("CARGO_BIN_EXE_mailseal"))
            .args(["--now", NOW])
            .args(args)
            .envs(env.iter().copied()),
        stdin,
    );
    Out {
        code: out.status.code().expect("exit code, not a signal"),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `--trusted` root + intermediate + `--key` each person's certificate and key (tests/data/smime).
fn smime_keys(with_secret: &[&str], public_only: &[&str]) -> Vec<String> {
    let mut args = vec![
        "--trusted".to_string(),
        data("smime/root-ca.crt"),
        "--key".to_string(),
        data("smime/int-ca.crt"),
    ];
    for who in with_secret {
        for file in [format!("smime/{who}.crt"), format!("smime/{who}.key")] {
            args.extend(["--key".to_string(), data(&file)]);
        }
    }
    for who in public_only {
        args.extend(["--key".to_string(), data(&format!("smime/{who}.crt"))]);
    }
    args
}

/// `--key` for OpenPGP fixtures (tests/data/openpgp), e.g. `alice.sec`, `bob.pub`.
/// `--trusted` each OpenPGP key file (tests/data/openpgp): keys the admin verified, the only
/// ones whose signatures are `valid`.
fn pgp_keys(files: &[&str]) -> Vec<String> {
    files
        .iter()
        .flat_map(|f| ["--trusted".to_string(), data(&format!("openpgp/{f}.asc"))])
        .collect()
}

fn args<'a>(keys: &'a [String], rest: &[&'a str]) -> Vec<&'a str> {
    keys.iter()
        .map(String::as_str)
        .chain(rest.iter().copied())
        .collect()
}

fn state(report: &Value, layer: &str) -> String {
    report[layer]["state"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn write(dir: &TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

// ---- keys --------------------------------------------------------------------------------

#[test]
fn keys_lists_every_fixture_format_as_expected_json_says() {
    let expected = expected();
    let imports = expected["imports"].as_array().expect("imports");
    assert!(imports.len() > 30);
    for import in imports {
        let file = data(import["file"].as_str().expect("file"));
        let mut argv = vec!["keys"];
        let mut env = Vec::new();
        if let Some(pass) = import["passphrase"].as_str() {
            argv.extend(["--passphrase-env", "KEY_PASS"]);
            env.push(("KEY_PASS", pass));
        }
        if import["trusted"].as_bool() == Some(true) {
            argv.push("--trusted");
        }
        argv.push(&file);
        let out = mailseal(&argv, &env, b"").ok();
        if let Some(pass) = import["passphrase"].as_str().filter(|p| p.len() > 3) {
            let printed = format!("{}{}", String::from_utf8_lossy(&out.stdout), out.stderr);
            assert!(
                !printed.contains(pass),
                "{file}: the passphrase was printed"
            );
        }
        let listed = out.json();
        let listed = listed.as_array().expect("a JSON list");
        let want = import["keys"].as_array().expect("keys");
        assert_eq!(listed.len(), want.len(), "{file}: {listed:?}");
        for key in want {
            let got = listed
                .iter()
                .find(|k| k["id"] == key["id"])
                .unwrap_or_else(|| panic!("{file}: {} not listed", key["id"]));
            for field in [
                "kind",
                "emails",
                "hasSecret",
                "canSign",
                "canEncrypt",
                "status",
            ] {
                assert_eq!(got[field], key[field], "{file}: {field}");
            }
            assert_eq!(got["trusted"], import["trusted"], "{file}: trusted");
        }
    }
}

#[test]
fn key_failures_exit_1_with_the_stable_code() {
    let expected = expected();
    let failures = expected["failures"].as_array().expect("failures");
    assert!(failures.iter().any(|f| f["code"] == "bad_passphrase"));
    for failure in failures {
        let file = data(failure["file"].as_str().expect("file"));
        let mut argv = vec!["keys"];
        let mut env = Vec::new();
        if let Some(pass) = failure["passphrase"].as_str() {
            argv.extend(["--passphrase-env", "KEY_PASS"]);
            env.push(("KEY_PASS", pass));
        }
        argv.push(&file);
        let out = mailseal(&argv, &env, b"");
        let code = failure["code"].as_str().expect("code");
        assert_eq!(out.code, 1, "{file}: {}", out.stderr);
        assert!(
            out.stderr.starts_with(&format!("mailseal: {code}: ")),
            "{file}: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty());
    }

    // a file that is not there; a passphrase variable that is not set
    let out = mailseal(&["keys", "/nonexistent/key.pem"], &[], b"");
    assert_eq!(out.code, 1);
    assert!(out.stderr.starts_with("mailseal: io: "), "{}", out.stderr);
    let p12 = data("keys/alice.p12");
    let out = mailseal(&["keys", "--passphrase-env", "UNSET_VAR_X", &p12], &[], b"");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with("mailseal: bad_input: "),
        "{}",
        out.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    for argv in [
        &["frobnicate"][..],
        &[
            "protect",
            "--from",
            "a@example.com",
            "--to",
            "b@example.com",
        ],
        &["open", "--keyring", "x.vault"],
        &["export"],
        &["keys", "--now", "yesterday"],
    ] {
        let out = mailseal(argv, &[], b"");
        assert_eq!(out.code, 2, "{argv:?}: {}", out.stderr);
    }
}

// ---- S/MIME with openssl ------------------------------------------------------------------

#[test]
fn openssl_decrypts_and_verifies_what_the_cli_protects() {
    if !have("openssl") {
        return;
    }
    let dir = tempdir();
    let text = write(&dir, "body.txt", "Ticket #17 is solved. Grüße\n".as_bytes());
    let keys = smime_keys(&["alice"], &["bob"]);
    let out = mailseal(
        &args(
            &keys,
            &[
                "protect",
                "--from",
                "alice@example.com",
                "--to",
                "bob@example.com",
                "--subject",
                "Ticket #17",
                "--text",
                path_str(&text),
                "--sign",
                "--encrypt",
                "--method",
                "smime",
            ],
        ),
        &[],
        b"",
    )
    .ok();
    let mime = write(&dir, "out.eml", &out.stdout);
    let inner = dir.path().join("inner.eml");
    let (ok, log) = cms_decrypt(
        &mime,
        &data_path("smime/bob.crt"),
        &data_path("smime/bob.key"),
        &inner,
    );
    assert!(ok, "{log}");
    let content = dir.path().join("content.txt");
    let (ok, log) = cms_verify(
        &inner,
        &data_path("smime/root-ca.crt"),
        &["-purpose", "smimesign"],
        &content,
    );
    assert!(ok, "{log}");
    let content = String::from_utf8_lossy(&std::fs::read(&content).expect("content")).into_owned();
    assert!(content.contains("Subject: Ticket #17"), "{content}");
    assert!(content.contains("Ticket #17 is solved."), "{content}");
}

#[test]
fn the_cli_opens_what_openssl_signs_and_encrypts() {
    if !have("openssl") {
        return;
    }
    let dir = tempdir();
    let entity = write(
        &dir,
        "entity.txt",
        b"Content-Type: text/plain; charset=us-ascii\r\n\r\nSigned by openssl.\r\n",
    );
    let signed = dir.path().join("signed.eml");
    let (ok, log) = openssl(&[
        "cms",
        "-sign",
        "-binary",
        "-in",
        path_str(&entity),
        "-signer",
        &data("smime/alice.crt"),
        "-inkey",
        &data("smime/alice.key"),
        "-certfile",
        &data("smime/int-ca.crt"),
        "-md",
        "sha256",
        "-out",
        path_str(&signed),
    ]);
    assert!(ok, "{log}");
    let enveloped = dir.path().join("enveloped.eml");
    let (ok, log) = openssl(&[
        "cms",
        "-encrypt",
        "-binary",
        "-aes256",
        "-in",
        path_str(&signed),
        "-out",
        path_str(&enveloped),
        &data("smime/bob.crt"),
    ]);
    assert!(ok, "{log}");
    let mut message =
        b"From: alice@example.com\r\nTo: bob@example.com\r\nSubject: from openssl\r\n".to_vec();
    message.extend(std::fs::read(&enveloped).expect("enveloped"));
    let message = write(&dir, "message.eml", &message);

    let keys = smime_keys(&["bob"], &[]);
    let out = mailseal(
        &args(
            &keys,
            &[
                "open",
                "--require-valid",
                "--require-decrypted",
                path_str(&message),
            ],
        ),
        &[],
        b"",
    )
    .ok();
    let report = out.json();
    assert_eq!(state(&report, "encryption"), "decrypted", "{report}");
    assert_eq!(state(&report, "signature"), "valid", "{report}");
    assert_eq!(
        report["signature"]["signer"]["emails"][0],
        "alice@example.com"
    );
    assert!(report["text"]
        .as_str()
        .unwrap_or_default()
        .contains("Signed by openssl."));
    // The certificates the message carried, as PEM that openssl reads.
    let certs = report["certificates"].as_array().expect("certificates");
    assert!(!certs.is_empty(), "{report}");
    for (i, cert) in certs.iter().enumerate() {
        let pem = write(
            &dir,
            &format!("cert{i}.pem"),
            cert.as_str().unwrap().as_bytes(),
        );
        let (ok, log) = openssl(&["x509", "-noout", "-in", path_str(&pem)]);
        assert!(ok, "{log}");
    }

    // the same message from standard input, without bob's key: no_key, exit 4 when required
    let raw = std::fs::read(&message).expect("message");
    let keys = smime_keys(&[], &["bob"]);
    let out = mailseal(
        &args(&keys, &["open", "--require-decrypted", "-"]),
        &[],
        &raw,
    );
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert_eq!(state(&out.json(), "encryption"), "no_key");
}

/// The sender's Autocrypt key is printed as base64, as it came in the header (it was a JSON
/// array of byte numbers).
#[test]
fn open_prints_the_autocrypt_key_as_base64() {
    let armored = std::fs::read_to_string(data("openpgp/alice.pub.asc")).unwrap();
    // The armor's body is the base64 of the binary key (its checksum line left out).
    let keydata: String = armored
        .lines()
        .skip_while(|l| !l.is_empty())
        .skip(1)
        .take_while(|l| !l.starts_with('=') && !l.starts_with("-----"))
        .collect();
    let message = format!(
        "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: hi\r\n\
         Date: Tue, 01 Dec 2026 00:00:00 +0000\r\n\
         Autocrypt: addr=alice@example.org; keydata={keydata}\r\n\r\nhello\r\n"
    );
    let out = mailseal(&["open", "-"], &[], message.as_bytes()).ok();
    let report = out.json();
    assert_eq!(
        report["autocrypt"]["keydata"].as_str(),
        Some(keydata.as_str()),
        "{report}"
    );
}

// ---- OpenPGP with gpg ---------------------------------------------------------------------

fn gpg_with(files: &[&str]) -> Gpg {
    let keys: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(data(&format!("openpgp/{f}"))).expect("key"))
        .collect();
    Gpg::with_keys(&keys.iter().map(Vec::as_slice).collect::<Vec<_>>())
}

fn fingerprint(who: &str) -> String {
    std::fs::read_to_string(data(&format!("openpgp/{who}.fpr")))
        .expect("fpr")
        .trim()
        .to_string()
}

#[test]
fn gpg_decrypts_and_verifies_what_the_cli_protects() {
    if !have("gpg") {
        return;
    }
    let gpg = gpg_with(&["bob.sec.asc", "alice.pub.asc"]);
    let text = gpg.file("body.txt", b"The PGP ticket is resolved.\n");
    let keys = pgp_keys(&["alice.sec", "bob.pub"]);
    let out = mailseal(
        &args(
            &keys,
            &[
                "protect",
                "--from",
                "Alice <alice@example.org>",
                "--to",
                "bob@example.org",
                "--subject",
                "Ticket #4711",
                "--text",
                path_str(&text),
                "--sign",
                "--encrypt",
                "--method",
                "pgp",
            ],
        ),
        &[],
        b"",
    )
    .ok();
    let mime = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(mime.contains("multipart/encrypted"), "{mime}");
    let start = mime.find("-----BEGIN PGP MESSAGE-----").expect("armor");
    let end = mime.find("-----END PGP MESSAGE-----").expect("armor end") + 25;
    let file = gpg.file("encrypted.asc", &mime.as_bytes()[start..end]);
    let (ok, log) = run(gpg.cmd().args(["--decrypt"]).arg(&file), b"");
    assert!(ok, "{log}");
    assert!(log.contains("[GNUPG:] DECRYPTION_OKAY"), "{log}");
    assert!(
        log.contains(&format!("[GNUPG:] VALIDSIG {}", fingerprint("alice"))),
        "{log}"
    );
    assert!(log.contains("The PGP ticket is resolved."), "{log}");
}

#[test]
fn the_cli_opens_what_gpg_signs_and_encrypts_pgp_mime_and_inline() {
    if !have("gpg") {
        return;
    }
    // gpg here holds alice's secret (the signer) and bob's public key (the recipient).
    let gpg = gpg_with(&["alice.sec.asc", "bob.pub.asc"]);
    let encrypt = |plain: &[u8]| {
        let mut cmd = gpg.cmd();
        cmd.args([
            "-s",
            "-e",
            "-a",
            "-u",
            &fingerprint("alice"),
            "-r",
            &fingerprint("bob"),
        ]);
        let (ok, out) = run(cmd.args(["-o", "-"]), plain);
        assert!(ok, "{out}");
        // run() appends stderr (status lines) after stdout: keep the armor only
        let end = out.find("-----END PGP MESSAGE-----").expect("armor") + 25;
        out[..end].to_string()
    };
    let headers = "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\n\
                   Subject: from gpg\r\nMIME-Version: 1.0\r\n";

    let entity = b"Content-Type: text/plain; charset=us-ascii\r\n\r\nPGP/MIME from gpg.\r\n";
    let pgp_mime = format!(
        "{headers}Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; \
         boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: application/pgp-encrypted\r\n\r\n\
         Version: 1\r\n\r\n--b1\r\nContent-Type: application/octet-stream; name=\"encrypted.asc\"\r\n\r\n\
         {}\r\n--b1--\r\n",
        encrypt(entity)
    );
    let inline = format!(
        "{headers}Content-Type: text/plain; charset=us-ascii\r\n\r\n{}\r\n",
        encrypt(b"Inline PGP from gpg.\r\n")
    );

    let keys = pgp_keys(&["bob.sec", "alice.pub"]);
    for (message, text) in [
        (pgp_mime, "PGP/MIME from gpg."),
        (inline, "Inline PGP from gpg."),
    ] {
        let file = gpg.file("message.eml", message.as_bytes());
        let out = mailseal(
            &args(
                &keys,
                &[
                    "open",
                    "--require-valid",
                    "--require-decrypted",
                    path_str(&file),
                ],
            ),
            &[],
            b"",
        )
        .ok();
        let report = out.json();
        assert_eq!(state(&report, "encryption"), "decrypted", "{report}");
        assert_eq!(state(&report, "signature"), "valid", "{report}");
        assert!(
            report["text"].as_str().unwrap_or_default().contains(text),
            "{report}"
        );
    }
}

// ---- sealed keyrings, export ---------------------------------------------------------------

#[test]
fn seal_then_open_with_the_keyring_and_refuse_a_wrong_password() {
    let dir = tempdir();
    let vault = dir.path().join("desk.vault");
    let password = "correct horse battery staple";
    let env = [("VAULT_PW", password)];
    let keys = smime_keys(&["bob"], &["alice"]);
    let out = mailseal(
        &args(
            &keys,
            &[
                "seal",
                "--out",
                path_str(&vault),
                "--password-env",
                "VAULT_PW",
            ],
        ),
        &env,
        b"",
    )
    .ok();
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    let sealed = std::fs::read(&vault).expect("vault");
    assert!(!sealed
        .windows(password.len())
        .any(|w| w == password.as_bytes()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&vault)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the vault is readable by others: {mode:o}");
    }

    let ring = ["--keyring", path_str(&vault), "--password-env", "VAULT_PW"];
    let listed = mailseal(&[&ring[..], &["keys"]].concat(), &env, b"")
        .ok()
        .json();
    let emails: BTreeSet<String> = listed
        .as_array()
        .expect("list")
        .iter()
        .flat_map(|k| k["emails"].as_array().cloned().unwrap_or_default())
        .filter_map(|e| e.as_str().map(str::to_string))
        .collect();
    assert_eq!(
        emails,
        BTreeSet::from(["alice@example.com".into(), "bob@example.com".into()])
    );
    let bob = listed
        .as_array()
        .expect("list")
        .iter()
        .find(|k| k["emails"][0] == "bob@example.com")
        .expect("bob");
    assert_eq!(bob["hasSecret"], true);

    // the vault keeps its recent log: the imports sealed into it, at the --now clock
    let log = mailseal(&[&ring[..], &["log"]].concat(), &env, b"")
        .ok()
        .json();
    let events = log.as_array().expect("events");
    assert!(
        events
            .iter()
            .any(|e| e["action"] == "import" && e["time"] == NOW),
        "{log}"
    );

    // a message openssl encrypted to bob opens with the vault alone
    let message = data("smime/signed-enc-bob.eml");
    let out = mailseal(
        &[&ring[..], &["open", "--require-decrypted", &message]].concat(),
        &env,
        b"",
    )
    .ok();
    assert_eq!(state(&out.json(), "encryption"), "decrypted");

    // the wrong password: bad_password, exit 1, nothing printed of either password
    let wrong = [("VAULT_PW", "wrong password")];
    let out = mailseal(&[&ring[..], &["open", &message]].concat(), &wrong, b"");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with("mailseal: bad_password: "),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("wrong password") && !out.stderr.contains(password));
}

/// `seal --key-out`: a keyring for a server, sealed under a new random key written (base64,
/// owner-only) beside it; `--key-env` opens it; the key is never printed.
#[test]
fn seal_under_a_random_key_for_a_server() {
    let dir = tempdir();
    let vault = dir.path().join("worker.vault");
    let key_file = dir.path().join("worker.key");
    let keys = smime_keys(&["bob"], &[]);
    let out = mailseal(
        &args(
            &keys,
            &[
                "seal",
                "--out",
                path_str(&vault),
                "--key-out",
                path_str(&key_file),
            ],
        ),
        &[],
        b"",
    )
    .ok();
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    let key = std::fs::read_to_string(&key_file).expect("key file");
    assert_eq!(key.trim().len(), 44, "base64 of 32 bytes: {key:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the key is readable by others: {mode:o}");
    }
    assert_eq!(
        &std::fs::read(&vault).expect("vault")[..9],
        b"MSVAULT\x02\x02"
    );

    let ring = ["--keyring", path_str(&vault), "--key-env", "VAULT_KEY"];
    let message = data("smime/signed-enc-bob.eml");
    let env = [("VAULT_KEY", key.trim())];
    let out = mailseal(
        &[&ring[..], &["open", "--require-decrypted", &message]].concat(),
        &env,
        b"",
    )
    .ok();
    assert_eq!(state(&out.json(), "encryption"), "decrypted");

    // another key: bad_password, and neither key is printed
    let other = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    let out = mailseal(
        &[&ring[..], &["open", &message]].concat(),
        &[("VAULT_KEY", other)],
        b"",
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with("mailseal: bad_password: "),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(other) && !out.stderr.contains(key.trim()));
}

#[test]
fn export_public_and_secret_keys_reimport() {
    let dir = tempdir();
    let keys = smime_keys(&["alice"], &[]);
    let listed = mailseal(&args(&keys, &["keys"]), &[], b"").ok().json();
    let alice = listed
        .as_array()
        .expect("list")
        .iter()
        .find(|k| k["emails"][0] == "alice@example.com")
        .expect("alice");
    let id = alice["id"].as_str().expect("id");

    let pem = mailseal(&args(&keys, &["export", "--public", id]), &[], b"").ok();
    let pem_file = write(&dir, "alice.pem", &pem.stdout);
    assert!(String::from_utf8_lossy(&pem.stdout).starts_with("-----BEGIN CERTIFICATE-----"));
    let again = mailseal(&["keys", path_str(&pem_file)], &[], b"")
        .ok()
        .json();
    assert_eq!(again[0]["id"], id);
    assert_eq!(again[0]["hasSecret"], false);

    // a secret export must go to a file
    let out = mailseal(&args(&keys, &["export", "--secret", id]), &[], b"");
    assert_eq!(out.code, 2, "{}", out.stderr);

    let p12 = dir.path().join("alice.p12");
    let env = [("EXPORT_PASS", "export-pass")];
    mailseal(
        &args(
            &keys,
            &[
                "export",
                "--secret",
                id,
                "--new-passphrase-env",
                "EXPORT_PASS",
                "--out",
                path_str(&p12),
            ],
        ),
        &env,
        b"",
    )
    .ok();
    let again = mailseal(
        &["keys", "--passphrase-env", "EXPORT_PASS", path_str(&p12)],
        &env,
        b"",
    )
    .ok()
    .json();
    let reimported = again
        .as_array()
        .expect("list")
        .iter()
        .find(|k| k["id"] == id)
        .expect("alice in the p12");
    assert_eq!(reimported["hasSecret"], true);
    let out = mailseal(
        &["keys", "--passphrase-env", "EXPORT_PASS", path_str(&p12)],
        &[("EXPORT_PASS", "not it")],
        b"",
    );
    assert!(
        out.stderr.starts_with("mailseal: bad_passphrase: "),
        "{}",
        out.stderr
    );
    if have("openssl") {
        let (ok, log) = openssl(&[
            "pkcs12",
            "-in",
            path_str(&p12),
            "-passin",
            "pass:export-pass",
            "-noout",
        ]);
        assert!(ok, "{log}");
    }
}

// ---- verdicts, deliveries, reports ---------------------------------------------------------

#[test]
fn a_tampered_message_fails_require_valid_with_exit_3() {
    let dir = tempdir();
    let text = write(
        &dir,
        "body.txt",
        b"Please pay invoice 1000 to the usual account.\n",
    );
    let keys = smime_keys(&["alice"], &[]);
    let signed = mailseal(
        &args(
            &keys,
            &[
                "protect",
                "--from",
                "alice@example.com",
                "--to",
                "bob@example.com",
                "--text",
                path_str(&text),
                "--sign",
                "--method",
                "smime",
            ],
        ),
        &[],
        b"",
    )
    .ok()
    .stdout;
    let good = write(&dir, "good.eml", &signed);
    let out = mailseal(
        &args(&keys, &["open", "--require-valid", path_str(&good)]),
        &[],
        b"",
    )
    .ok();
    assert_eq!(state(&out.json(), "signature"), "valid");
    // signed, not encrypted: --require-decrypted says so
    let out = mailseal(
        &args(&keys, &["open", "--require-decrypted", path_str(&good)]),
        &[],
        b"",
    );
    assert_eq!(out.code, 4);

    let tampered = String::from_utf8_lossy(&signed).replace("invoice 1000", "invoice 9000");
    assert_ne!(tampered.as_bytes(), &signed[..]);
    let bad = write(&dir, "tampered.eml", tampered.as_bytes());
    let out = mailseal(
        &args(&keys, &["open", "--require-valid", path_str(&bad)]),
        &[],
        b"",
    );
    assert_eq!(out.code, 3, "{}", out.stderr);
    let report = out.json();
    assert_eq!(state(&report, "signature"), "invalid", "{report}");
    // without --require-valid the verdict is a report, not an error
    mailseal(&args(&keys, &["open", path_str(&bad)]), &[], b"").ok();
}

#[test]
fn an_empty_or_missing_message_exits_1_with_its_code() {
    let out = mailseal(&["open", "-"], &[], b"");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with("mailseal: bad_input: "),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
    let out = mailseal(&["open", "/nonexistent/message.eml"], &[], b"");
    assert_eq!(out.code, 1);
    assert!(out.stderr.starts_with("mailseal: io: "), "{}", out.stderr);
}

#[test]
fn bcc_copies_go_to_out_dir_with_a_summary() {
    let dir = tempdir();
    let text = write(&dir, "body.txt", b"See the attachment.\n");
    let attachment = write(&dir, "report.bin", &[0u8, 1, 2, 255, 254]);
    let keys = smime_keys(&["alice"], &["bob", "carol"]);
    let argv = [
        "protect",
        "--from",
        "alice@example.com",
        "--to",
        "bob@example.com",
        "--bcc",
        "carol@example.com",
        "--text",
        path_str(&text),
        "--attach",
        path_str(&attachment),
        "--sign",
        "--encrypt",
    ];
    let out = mailseal(&args(&keys, &argv), &[], b"");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("bad_input") && out.stderr.contains("--out-dir"),
        "{}",
        out.stderr
    );

    let out_dir = dir.path().join("out");
    let mut with_dir = argv.to_vec();
    with_dir.extend(["--out-dir", path_str(&out_dir)]);
    let summary = mailseal(&args(&keys, &with_dir), &[], b"").ok().json();
    let deliveries = summary["deliveries"].as_array().expect("deliveries");
    assert_eq!(deliveries.len(), 2, "{summary}");
    let mut recipients = BTreeSet::new();
    for d in deliveries {
        assert_eq!(d["encrypted"], true);
        assert_eq!(d["method"], "smime");
        recipients.extend(
            d["to"]
                .as_array()
                .expect("to")
                .iter()
                .map(|a| a.to_string()),
        );
        let mime = std::fs::read(d["file"].as_str().expect("file")).expect("delivery file");
        assert!(!String::from_utf8_lossy(&mime).contains("carol@example.com\r\nBcc"));
    }
    assert!(
        recipients.contains("\"carol@example.com\""),
        "{recipients:?}"
    );

    // carol opens her copy and saves the attachment
    let carol_copy = deliveries
        .iter()
        .find(|d| d["to"] == serde_json::json!(["carol@example.com"]))
        .expect("carol's copy");
    let carol = smime_keys(&["carol"], &["alice"]);
    let saved = dir.path().join("saved");
    let report = mailseal(
        &args(
            &carol,
            &[
                "open",
                "--require-valid",
                "--require-decrypted",
                "--save-attachments",
                path_str(&saved),
                carol_copy["file"].as_str().expect("file"),
            ],
        ),
        &[],
        b"",
    )
    .ok()
    .json();
    let att = &report["attachments"][0];
    assert_eq!(att["filename"], "report.bin");
    assert!(att.get("data").is_none());
    let path = att["path"].as_str().expect("path");
    assert_eq!(std::fs::read(path).expect("saved"), [0u8, 1, 2, 255, 254]);

    // without --save-attachments the data is base64
    let report = mailseal(
        &args(
            &carol,
            &["open", carol_copy["file"].as_str().expect("file")],
        ),
        &[],
        b"",
    )
    .ok()
    .json();
    assert_eq!(report["attachments"][0]["data"], "AAEC//4=");
}

#[test]
fn check_and_capabilities_report_as_json() {
    let keys = smime_keys(&["alice"], &["bob"]);
    let readiness = mailseal(
        &args(
            &keys,
            &[
                "check",
                "--address",
                "alice@example.com",
                "--address",
                "nobody@example.com",
            ],
        ),
        &[],
        b"",
    )
    .ok()
    .json();
    let addresses = readiness["addresses"].as_array().expect("addresses");
    assert_eq!(addresses.len(), 2);
    let smime = |a: &Value| {
        a["methods"]
            .as_array()
            .and_then(|m| m.iter().find(|m| m["method"] == "smime").cloned())
            .unwrap_or_default()
    };
    assert_eq!(smime(&addresses[0])["canSign"], true, "{readiness}");
    assert_eq!(smime(&addresses[0])["canDecrypt"], true, "{readiness}");
    assert_eq!(smime(&addresses[1])["canSign"], false, "{readiness}");
    assert!(!readiness["trustAnchors"]
        .as_array()
        .expect("anchors")
        .is_empty());

    let caps = mailseal(
        &args(
            &keys,
            &[
                "capabilities",
                "--from",
                "alice@example.com",
                "--to",
                "bob@example.com",
                "--to",
                "carol@example.com",
            ],
        ),
        &[],
        b"",
    )
    .ok()
    .json();
    assert_eq!(caps["canSign"], true, "{caps}");
    assert_eq!(caps["canEncrypt"], false, "{caps}");
    let smime = caps["methods"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["method"] == "smime"))
        .expect("smime");
    assert_eq!(
        smime["missing"],
        serde_json::json!(["carol@example.com"]),
        "{caps}"
    );
}

#[test]
fn protect_signs_a_whole_message_from_standard_input() {
    let keys = smime_keys(&["alice"], &[]);
    let raw = b"From: Alice <alice@example.com>\r\nTo: bob@example.com\r\n\
        Subject: Ticket #99\r\nMessage-ID: <t99@example.com>\r\nMIME-Version: 1.0\r\n\
        Content-Type: text/plain; charset=us-ascii\r\n\r\nClosed as requested.\r\n";
    let signed = mailseal(
        &args(
            &keys,
            &["protect", "--message", "-", "--sign", "--method", "smime"],
        ),
        &[],
        raw,
    )
    .ok()
    .stdout;
    let text = String::from_utf8_lossy(&signed);
    assert!(text.contains("Message-ID: <t99@example.com>"), "{text}");
    let report = mailseal(
        &args(&keys, &["open", "--require-valid", "-"]),
        &[],
        &signed,
    )
    .ok()
    .json();
    assert_eq!(report["headers"]["subject"], "Ticket #99");
    assert_eq!(report["text"], "Closed as requested.\n", "{report}");
}

/// Key files in the order people list them: a private key before its certificate (the order
/// `openssl req -keyout ... -out ...` writes them), and --key / --trusted both before and after
/// the command (clap alone would keep only the last group: a trust anchor silently dropped).
#[test]
fn key_sources_in_any_order_and_position_all_count() {
    let key_first = mailseal(
        &[
            "--key",
            &data("smime/alice.key"),
            "--key",
            &data("smime/alice.crt"),
            "keys",
        ],
        &[],
        b"",
    )
    .ok()
    .json();
    let keys = key_first.as_array().unwrap();
    assert_eq!(keys.len(), 1, "{key_first}");
    assert_eq!(keys[0]["hasSecret"], true);

    let both_sides = mailseal(
        &[
            "--key",
            &data("smime/alice.crt"),
            "keys",
            "--key",
            &data("smime/bob.crt"),
        ],
        &[],
        b"",
    )
    .ok()
    .json();
    let emails: BTreeSet<String> = both_sides
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["emails"][0].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        emails,
        BTreeSet::from([
            "alice@example.com".to_string(),
            "bob@example.com".to_string()
        ])
    );

    // The root CA trusted before the command and another certificate after it: alice's
    // signature is valid only if the root was kept (the fixture's entity has no headers; it
    // gets alice's From here).
    let mut signed = b"From: alice@example.com\r\nTo: bob@example.com\r\n".to_vec();
    signed.extend(std::fs::read(data("smime/signed-alice-opaque.eml")).unwrap());
    let out = mailseal(
        &[
            "--trusted",
            &data("smime/root-ca.crt"),
            "open",
            "--trusted",
            &data("smime/bob.crt"),
        ],
        &[],
        &signed,
    )
    .ok()
    .json();
    assert_eq!(state(&out, "signature"), "valid", "{out}");
}

/// `export` takes a key as gpg does: the whole id, its last 8+ hex digits (or those of an
/// OpenPGP subkey id), or an address; an ambiguous one is refused with the candidates.
#[test]
fn export_finds_a_key_by_short_id_or_address_and_never_guesses() {
    let mut keys = smime_keys(&[], &["alice"]);
    keys.extend(pgp_keys(&["alice.pub", "bob.pub"]));
    let pgp_alice = std::fs::read_to_string(data_path("openpgp/alice.fpr")).unwrap();
    let pgp_alice = pgp_alice.trim();
    let whole = mailseal(&args(&keys, &["export", "--public", pgp_alice]), &[], b"").ok();
    let short = &pgp_alice[pgp_alice.len() - 16..];
    let lower = short.to_lowercase();
    let spaced = format!("{} {}", &short[..8], &short[8..]);
    for given in [
        short,
        lower.as_str(),
        spaced.as_str(),
        "alice@example.org",
        "<Alice@Example.ORG>",
    ] {
        let out = mailseal(&args(&keys, &["export", "--public", given]), &[], b"").ok();
        assert_eq!(out.stdout, whole.stdout, "{given}");
    }
    // alice@example.com is her S/MIME certificate
    let cert = mailseal(
        &args(&keys, &["export", "--public", "alice@example.com"]),
        &[],
        b"",
    )
    .ok();
    assert!(String::from_utf8_lossy(&cert.stdout).starts_with("-----BEGIN CERTIFICATE-----"));

    let none = mailseal(
        &args(&keys, &["export", "--public", "carol@example.org"]),
        &[],
        b"",
    );
    assert_eq!(none.code, 1);
    assert!(none.stderr.contains("key_not_found"), "{}", none.stderr);
    // too short to name a key safely: taken as an address, and no key has it
    let short4 = mailseal(
        &args(&keys, &["export", "--public", &short[12..]]),
        &[],
        b"",
    );
    assert!(short4.stderr.contains("key_not_found"), "{}", short4.stderr);

    // two keys for one address (alice's and an impostor's): refused, naming both
    let mut two = keys.clone();
    two.extend(["--key".to_string(), data("impostor/impostor-alice.pub.asc")]);
    let out = mailseal(
        &args(&two, &["export", "--public", "alice@example.org"]),
        &[],
        b"",
    );
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("names 2 keys"), "{}", out.stderr);
    assert!(out.stderr.contains(pgp_alice), "{}", out.stderr);
}
