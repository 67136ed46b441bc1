//! What ends a command, and how it reads on stderr.

use std::fmt;
use std::io;
use std::path::Path;

use mailseal::Error;

/// What ends a command: a library error (its stable code) or a file problem (`io`).
pub(crate) struct Failure {
    pub(crate) code: &'static str,
    pub(crate) message: String,
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

pub(crate) fn bad_input(message: impl Into<String>) -> Failure {
    Failure {
        code: "bad_input",
        message: message.into(),
    }
}

pub(crate) fn io_failure(what: &str, path: &Path, e: &io::Error) -> Failure {
    Failure {
        code: "io",
        message: format!("cannot {what} {}: {e}", path.display()),
    }
}

/// A library error about one file: the file's name in front of the message.
pub(crate) fn in_file(path: &Path) -> impl Fn(Error) -> Failure + '_ {
    move |e| Failure {
        code: e.code().as_str(),
        message: format!("{}: {}", path.display(), e.message()),
    }
}
