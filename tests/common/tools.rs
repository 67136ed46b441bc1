//! Driving the real tools (openssl, gpg, OpenPGP.js in node) from native tests: presence
//! checks that fail under CI, a runner with stdin, and a private temporary directory.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Whether `tool` runs. Under CI (`CI` set) a missing tool fails the test: `make test`
/// installs them. On a developer machine the caller skips with a note.
pub fn have(tool: &str) -> bool {
    // `openssl` has no --version flag; its version is a subcommand.
    let flag = if tool == "openssl" {
        "version"
    } else {
        "--version"
    };
    let ok = Command::new(tool)
        .arg(flag)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "{tool} is required under CI"
        );
        eprintln!("note: {tool} not found, skipping");
    }
    ok
}

/// OpenPGP.js, the `openpgp` devDependency of tests/js (`make setup` installs it there): the
/// path of its Node.js module when node runs and the module is installed. Under CI a missing
/// one fails the test, as [`have`]; on a developer machine the caller skips with a note.
pub fn openpgp_js() -> Option<PathBuf> {
    if !have("node") {
        return None;
    }
    let module = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/js/node_modules/openpgp/dist/node/openpgp.mjs");
    if module.is_file() {
        return Some(module);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "OpenPGP.js is required under CI ({} is missing: cd tests/js && npm ci)",
        module.display()
    );
    eprintln!("note: OpenPGP.js not found in tests/js/node_modules, skipping");
    None
}

/// Runs `cmd` with `input` on stdin; returns (success, stdout+stderr).
pub fn run(cmd: &mut Command, input: &[u8]) -> (bool, String) {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Runs `cmd` with `input` written on stdin from a thread (so a large input cannot block on a
/// full stdout pipe); returns the whole output.
pub fn output(cmd: &mut Command, input: &[u8]) -> std::process::Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait");
    let _ = writer.join();
    out
}

/// Runs `cmd` with `input` on stdin: (success, stdout, stderr).
pub fn run_bytes(cmd: &mut Command, input: &[u8]) -> (bool, Vec<u8>, String) {
    let out = output(cmd, input);
    (
        out.status.success(),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `openssl ARGS` with empty stdin: (success, stdout+stderr).
pub fn openssl(args: &[&str]) -> (bool, String) {
    run(Command::new("openssl").args(args), b"")
}

/// The path of a committed fixture: tests/data/`rel`.
pub fn data_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// `openssl cms -decrypt` of `msg` as the holder of `crt` and `key`, the content to `out`.
pub fn cms_decrypt(msg: &Path, crt: &Path, key: &Path, out: &Path) -> (bool, String) {
    openssl(&[
        "cms",
        "-decrypt",
        "-in",
        path_str(msg),
        "-recip",
        path_str(crt),
        "-inkey",
        path_str(key),
        "-out",
        path_str(out),
    ])
}

/// `openssl cms -verify` of `msg` against the trust anchors in `ca_file`, with `options`
/// (e.g. `-purpose smimesign`), the content to `out`.
pub fn cms_verify(msg: &Path, ca_file: &Path, options: &[&str], out: &Path) -> (bool, String) {
    let mut args = vec![
        "cms",
        "-verify",
        "-in",
        path_str(msg),
        "-CAfile",
        path_str(ca_file),
    ];
    args.extend_from_slice(options);
    args.extend(["-out", path_str(out)]);
    openssl(&args)
}

/// A temporary directory removed on drop .
pub struct TempDir(std::path::PathBuf);

impl TempDir {
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh 0700 directory under the system temp dir.
pub fn tempdir() -> TempDir {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "mailseal-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).expect("tempdir");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
    }
    TempDir(dir)
}

/// gpg in a private temporary GNUPGHOME: batch mode, no pinentry, empty passphrase, every key
/// trusted, the clock frozen at the fixtures' NOW (2026-12-01), status lines on stderr. The
/// agent it starts is stopped on drop.
pub struct Gpg {
    dir: TempDir,
}

impl Gpg {
    /// A new, empty home.
    pub fn empty() -> Gpg {
        Gpg { dir: tempdir() }
    }

    /// A home with these keys (armored or binary) imported.
    pub fn with_keys(keys: &[&[u8]]) -> Gpg {
        let gpg = Gpg::empty();
        for key in keys {
            let (ok, log) = run(gpg.cmd().arg("--import"), key);
            assert!(ok, "gpg --import: {log}");
        }
        gpg
    }

    /// The GNUPGHOME.
    pub fn home(&self) -> std::path::PathBuf {
        self.dir.path().join("gnupg")
    }

    /// A gpg command on this home.
    pub fn cmd(&self) -> Command {
        let home = self.home();
        let _ = std::fs::create_dir_all(&home);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700));
        }
        let mut c = Command::new("gpg");
        c.arg("--homedir")
            .arg(&home)
            .args(["--batch", "--no-tty", "--pinentry-mode", "loopback"])
            .args(["--passphrase", "", "--trust-model", "always"])
            .args(["--faked-system-time", "20261201T000000!"])
            .args(["--status-fd", "2"]);
        c
    }

    /// Writes `data` to a file next to the home; returns its path.
    pub fn file(&self, name: &str, data: &[u8]) -> std::path::PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, data).expect("write");
        path
    }
}

impl Drop for Gpg {
    fn drop(&mut self) {
        let _ = Command::new("gpgconf")
            .arg("--homedir")
            .arg(self.home())
            .args(["--kill", "gpg-agent"])
            .output();
    }
}

/// The validity window of the certificates a [`TestCa`] issues unless told otherwise: around
/// the fixtures' NOW (2026-12-01), like the committed fixtures (tests/data/make-keys.sh), so a
/// certificate made at run time is judged the same on any date.
pub const VALID_FROM: &str = "20260101000000Z";
pub const VALID_UNTIL: &str = "20360101000000Z";

/// A throwaway CA made by `openssl ca` at test time. Every certificate gets explicit
/// `-startdate` / `-enddate` (OpenSSL 3.0's `req -x509` and `x509 -req` only take `-days`,
/// which counts from the machine's clock, not from the clock the test judges at).
pub struct TestCa {
    dir: TempDir,
}

impl TestCa {
    /// A self-signed CA `CN=Throwaway CA` with a new key of `algorithm` (`rsa2048`, `p256`,
    /// `p521`, ...), valid from [`VALID_FROM`] to [`VALID_UNTIL`]. Panics when openssl fails.
    pub fn new(algorithm: &str) -> TestCa {
        TestCa::with_ca_extensions(algorithm, "")
    }

    /// [`TestCa::new`] with more X.509v3 extension lines in the CA certificate (openssl config
    /// syntax, e.g. `nameConstraints = critical, permitted;email:.example.org`).
    pub fn with_ca_extensions(algorithm: &str, extra: &str) -> TestCa {
        TestCa::named(algorithm, "/CN=Throwaway CA", extra)
    }

    /// [`TestCa::with_ca_extensions`] with another subject than `/CN=Throwaway CA` (for two
    /// CAs in one test). Its request stays at `path("ca.csr")`, for another CA to certify it
    /// as an intermediate ([`TestCa::certified_by`]).
    pub fn named(algorithm: &str, subject: &str, extra: &str) -> TestCa {
        let ca = TestCa { dir: tempdir() };
        let d = ca.dir.path();
        std::fs::create_dir_all(d.join("new")).expect("ca dir");
        std::fs::write(d.join("index.txt"), b"").expect("index");
        std::fs::write(d.join("serial"), b"1000\n").expect("serial");
        let cnf = format!(
            "[ca]\ndefault_ca = ca_default\n\
             [ca_default]\ndatabase = {dir}/index.txt\nnew_certs_dir = {dir}/new\n\
             serial = {dir}/serial\ndefault_md = sha256\npolicy = policy_any\n\
             unique_subject = no\ncopy_extensions = none\nemail_in_dn = no\n\
             [policy_any]\ncommonName = supplied\n\
             [req]\ndistinguished_name = req_dn\nprompt = no\n[req_dn]\nCN = placeholder\n\
             [v3_ca]\nbasicConstraints = critical, CA:TRUE\n\
             keyUsage = critical, keyCertSign, cRLSign\nsubjectKeyIdentifier = hash\n{extra}\n",
            dir = d.display()
        );
        std::fs::write(d.join("ca.cnf"), cnf).expect("ca.cnf");
        let key = ca.new_key("ca", algorithm);
        let csr = ca.request("ca", &key, subject);
        ca.openssl(&[
            "ca",
            "-selfsign",
            "-keyfile",
            &key,
            "-extensions",
            "v3_ca",
            "-in",
            &csr,
            "-out",
            &ca.path("ca.crt"),
        ]);
        ca
    }

    /// This CA made an intermediate of `parent`: `parent` certifies its key and name (as
    /// `NAME.crt` in the parent's directory), and this CA issues under that certificate from
    /// now on. Returns the path of the certificate.
    pub fn certified_by(&self, parent: &TestCa, name: &str) -> String {
        self.certified_by_with(parent, name, "")
    }

    /// [`TestCa::certified_by`] with more extension lines in the intermediate's certificate
    /// (e.g. `extendedKeyUsage = serverAuth`).
    pub fn certified_by_with(&self, parent: &TestCa, name: &str, extra: &str) -> String {
        let crt = parent.sign_request(
            name,
            &self.path("ca.csr"),
            &format!(
                "basicConstraints = critical, CA:TRUE\n\
                 keyUsage = critical, keyCertSign, cRLSign\n\
                 subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n{extra}"
            ),
        );
        std::fs::copy(&crt, self.path("ca.crt")).expect("ca.crt");
        crt
    }

    /// A path inside the CA's directory.
    pub fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// The CA certificate (PEM).
    pub fn cert(&self) -> Vec<u8> {
        std::fs::read(self.path("ca.crt")).expect("ca.crt")
    }

    /// A new PKCS#8 key `NAME.key` of `algorithm` (`rsa2048`, `rsa-pss2048`, `p256`, ...);
    /// returns its path.
    pub fn new_key(&self, name: &str, algorithm: &str) -> String {
        let out = self.path(&format!("{name}.key"));
        let curve;
        let mut args = vec!["genpkey", "-out", &out];
        if let Some(bits) = algorithm.strip_prefix("rsa-pss") {
            curve = format!("rsa_keygen_bits:{bits}");
            args.extend(["-algorithm", "RSA-PSS", "-pkeyopt", &curve]);
        } else if algorithm == "ed25519" {
            args.extend(["-algorithm", "ED25519"]);
        } else if let Some(bits) = algorithm.strip_prefix("rsa") {
            curve = format!("rsa_keygen_bits:{bits}");
            args.extend(["-algorithm", "RSA", "-pkeyopt", &curve]);
        } else {
            curve = format!(
                "ec_paramgen_curve:{}",
                algorithm.to_ascii_uppercase().replace('P', "P-")
            );
            args.extend(["-algorithm", "EC", "-pkeyopt", &curve]);
            args.extend(["-pkeyopt", "ec_param_enc:named_curve"]);
        }
        let (ok, log) = run(Command::new("openssl").args(&args), b"");
        assert!(ok, "openssl genpkey {algorithm}: {log}");
        out
    }

    fn request(&self, name: &str, key: &str, subject: &str) -> String {
        let csr = self.path(&format!("{name}.csr"));
        let cnf = self.path("ca.cnf");
        let args = [
            "req", "-new", "-config", &cnf, "-key", key, "-subj", subject, "-out", &csr,
        ];
        let (ok, log) = run(Command::new("openssl").args(args), b"");
        assert!(ok, "openssl req: {log}");
        csr
    }

    /// `openssl ca` with this CA's config, explicit validity and `args`.
    fn openssl(&self, args: &[&str]) {
        self.openssl_dated(args, VALID_FROM, VALID_UNTIL);
    }

    fn openssl_dated(&self, args: &[&str], from: &str, until: &str) {
        let cnf = self.path("ca.cnf");
        let mut cmd = Command::new("openssl");
        cmd.args(&args[..1])
            .args([
                "-batch",
                "-notext",
                "-config",
                &cnf,
                "-startdate",
                from,
                "-enddate",
                until,
            ])
            .args(&args[1..]);
        let (ok, log) = run(&mut cmd, b"");
        assert!(ok, "openssl ca: {log}");
    }

    /// Issues `NAME.crt` for `key` with `subject` and the X.509v3 extension lines
    /// `extensions` (openssl config syntax, one per line), valid `from` .. `until`
    /// (`YYYYMMDDHHMMSSZ`). Returns the certificate's path.
    pub fn issue_dated(
        &self,
        name: &str,
        key: &str,
        subject: &str,
        extensions: &str,
        from: &str,
        until: &str,
    ) -> String {
        self.issue_with(name, key, subject, extensions, from, until, &[])
    }

    /// [`TestCa::issue`] with more `openssl ca` options, e.g. `-sigopt rsa_padding_mode:pss`
    /// for a certificate the CA signs with RSASSA-PSS.
    pub fn issue_signed_with(
        &self,
        name: &str,
        key: &str,
        subject: &str,
        extensions: &str,
        options: &[&str],
    ) -> String {
        self.issue_with(
            name,
            key,
            subject,
            extensions,
            VALID_FROM,
            VALID_UNTIL,
            options,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn issue_with(
        &self,
        name: &str,
        key: &str,
        subject: &str,
        extensions: &str,
        from: &str,
        until: &str,
        options: &[&str],
    ) -> String {
        let csr = self.request(name, key, subject);
        self.sign_csr(name, &csr, extensions, from, until, options)
    }

    /// Signs the PKCS#10 request at `csr` as `NAME.crt` with `extensions` (the CA's profile:
    /// this CA copies nothing from requests). Returns the certificate's path.
    pub fn sign_request(&self, name: &str, csr: &str, extensions: &str) -> String {
        self.sign_csr(name, csr, extensions, VALID_FROM, VALID_UNTIL, &[])
    }

    fn sign_csr(
        &self,
        name: &str,
        csr: &str,
        extensions: &str,
        from: &str,
        until: &str,
        options: &[&str],
    ) -> String {
        let ext = self.path(&format!("{name}.ext"));
        std::fs::write(&ext, format!("[ext]\n{extensions}\n")).expect("ext");
        let crt = self.path(&format!("{name}.crt"));
        let (cert, cakey) = (self.path("ca.crt"), self.path("ca.key"));
        let mut args = vec![
            "ca",
            "-cert",
            &cert,
            "-keyfile",
            &cakey,
            "-extfile",
            &ext,
            "-extensions",
            "ext",
            "-in",
            csr,
            "-out",
            &crt,
        ];
        args.extend_from_slice(options);
        self.openssl_dated(&args, from, until);
        crt
    }

    /// Revokes the certificate `NAME.crt` in the CA's database, with a CRL reason.
    pub fn revoke(&self, name: &str, reason: &str) {
        let crt = self.path(&format!("{name}.crt"));
        self.ca_command(&["-revoke", &crt, "-crl_reason", reason], "-revoke");
    }

    /// The CA's CRL (PEM) from its database, with explicit lastUpdate and nextUpdate
    /// (`YYYYMMDDHHMMSSZ`): `openssl ca -gencrl` would otherwise date it by the machine's clock.
    pub fn crl(&self, last_update: &str, next_update: &str) -> Vec<u8> {
        let out = self.path("ca.crl");
        let args = [
            "-gencrl",
            "-crl_lastupdate",
            last_update,
            "-crl_nextupdate",
            next_update,
            "-out",
            &out,
        ];
        self.ca_command(&args, "-gencrl");
        std::fs::read(&out).expect("ca.crl")
    }

    /// `openssl ca -batch` with this CA's config, certificate and key, then `args`; asserts
    /// that it succeeds (`what` names it in the message).
    fn ca_command(&self, args: &[&str], what: &str) {
        let cnf = self.path("ca.cnf");
        let (cert, cakey) = (self.path("ca.crt"), self.path("ca.key"));
        let mut all = vec![
            "ca", "-batch", "-config", &cnf, "-cert", &cert, "-keyfile", &cakey,
        ];
        all.extend_from_slice(args);
        let (ok, log) = run(Command::new("openssl").args(all), b"");
        assert!(ok, "openssl ca {what}: {log}");
    }

    /// [`TestCa::issue_dated`] valid from [`VALID_FROM`] to [`VALID_UNTIL`].
    pub fn issue(&self, name: &str, key: &str, subject: &str, extensions: &str) -> String {
        self.issue_dated(name, key, subject, extensions, VALID_FROM, VALID_UNTIL)
    }
}
