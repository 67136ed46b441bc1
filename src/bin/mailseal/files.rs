//! Files and standard input: reading messages, texts and policies, saving attachments, and
//! writing owner-only files.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use mailseal::Policy;

use crate::failure::{bad_input, io_failure, Failure};

pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, Failure> {
    fs::read(path).map_err(|e| io_failure("read", path, &e))
}

/// A file, or standard input for `-` / nothing.
pub(crate) fn read_input(path: Option<&Path>) -> Result<Vec<u8>, Failure> {
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

pub(crate) fn read_text(path: &Path) -> Result<String, Failure> {
    String::from_utf8(read_input(Some(path))?)
        .map_err(|_| bad_input(format!("{} is not UTF-8 text", path.display())))
}

pub(crate) fn read_policy(path: Option<&Path>) -> Result<Policy, Failure> {
    let Some(path) = path else {
        return Ok(Policy::default());
    };
    serde_json::from_slice(&read_file(path)?)
        .map_err(|e| bad_input(format!("{} is not a valid policy: {e}", path.display())))
}

/// Saves one attachment under a name derived from the sender's file name (no directories,
/// no hidden files), never replacing an existing file.
pub(crate) fn save_attachment(
    dir: &Path,
    index: usize,
    name: &str,
    data: &[u8],
) -> Result<PathBuf, Failure> {
    fs::create_dir_all(dir).map_err(|e| io_failure("create", dir, &e))?;
    // Control characters shown as `_`, then the name as `open` reports it (no directories, no
    // bidi characters), then what file systems refuse.
    let visible: String = name
        .chars()
        .map(|c| if c.is_control() { '_' } else { c })
        .collect();
    let cleaned: String = mailseal::mime::safe_filename(&visible)
        .chars()
        .map(|c| match c {
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
pub(crate) fn write_private(path: &Path, data: &[u8]) -> Result<(), Failure> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_names_stay_in_the_directory() {
        let dir = std::env::temp_dir().join(format!("mailseal-cli-unit-{}", std::process::id()));
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
