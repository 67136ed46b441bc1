//! Standard output: JSON reports and raw bytes.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::failure::{io_failure, Failure};

pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<serde_json::Value, Failure> {
    serde_json::to_value(value).map_err(|e| Failure {
        code: "internal",
        message: format!("cannot write JSON: {e}"),
    })
}

pub(crate) fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<(), Failure> {
    let mut out = serde_json::to_vec_pretty(value).map_err(|e| Failure {
        code: "internal",
        message: format!("cannot write JSON: {e}"),
    })?;
    out.push(b'\n');
    write_stdout(&out)
}

pub(crate) fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| io_failure("write", Path::new("standard output"), &e))
}
