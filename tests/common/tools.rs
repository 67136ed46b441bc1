//! Driving the real tools (openssl, gpg) from native tests: presence checks that fail under
//! CI, a runner with stdin, and a private temporary directory.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::path::Path;
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
