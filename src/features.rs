//! Which of the two standards this build includes (Cargo features `smime` and `openpgp`), and
//! the sentences it uses about the one it leaves out. A leaf: the keyring refuses the other
//! standard's keys with these; the engine registry is `standards::all`.
//!
//! The npm package ships three builds of the same API: `mailseal` (both), `mailseal/smime` and
//! `mailseal/openpgp`. A one-standard build never pretends the other standard does not exist:
//! its keys are refused with [`ErrorCode::StandardNotEnabled`], its messages get a verdict that
//! says so, and its keys in a sealed keyring are kept as they are (see `keys::vault`).

use crate::error::{Error, ErrorCode};
use crate::report::Method;

/// The standards this build includes.
pub const ENABLED: &[Method] = &[
    #[cfg(feature = "smime")]
    Method::Smime,
    #[cfg(feature = "openpgp")]
    Method::Pgp,
];

/// The npm entry that carries this build.
pub const PACKAGE: &str = if cfg!(all(feature = "smime", feature = "openpgp")) {
    "mailseal"
} else if cfg!(feature = "smime") {
    "mailseal/smime"
} else {
    "mailseal/openpgp"
};

/// Whether this build includes `method`.
pub fn enabled(method: Method) -> bool {
    ENABLED.contains(&method)
}

/// The standard's name as people write it.
pub fn name(method: Method) -> &'static str {
    match method {
        Method::Smime => "S/MIME",
        Method::Pgp => "OpenPGP",
    }
}

fn entry_of(method: Method) -> &'static str {
    match method {
        Method::Smime => "mailseal/smime",
        Method::Pgp => "mailseal/openpgp",
    }
}

/// Why `method` cannot be used in this build, naming the build and the package that has it:
/// "This build of mailseal ("mailseal/smime") includes only S/MIME; OpenPGP needs the full
/// package "mailseal" (or "mailseal/openpgp")."
pub fn not_enabled(method: Method) -> String {
    let only = ENABLED
        .iter()
        .map(|m| name(*m))
        .collect::<Vec<_>>()
        .join(" and ");
    format!(
        "This build of mailseal (\"{PACKAGE}\") includes only {only}; {} needs the full package \
         \"mailseal\" (or \"{}\").",
        name(method),
        entry_of(method),
    )
}

/// The error for using `method` (importing its key, protecting with it) in a build without it.
pub fn not_enabled_error(method: Method, what: &str) -> Error {
    Error::new(
        ErrorCode::StandardNotEnabled,
        format!("{what} {}", not_enabled(method)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_names_this_build_and_the_full_package() {
        for m in [Method::Smime, Method::Pgp] {
            let s = not_enabled(m);
            assert!(s.contains(&format!("\"{PACKAGE}\"")), "{s}");
            assert!(s.contains("full package \"mailseal\""), "{s}");
            assert!(s.contains(name(m)), "{s}");
        }
        assert!(!ENABLED.is_empty());
        assert_eq!(
            PACKAGE == "mailseal",
            enabled(Method::Smime) && enabled(Method::Pgp)
        );
    }
}
