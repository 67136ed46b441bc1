//! The [`Keyring`](super::Keyring)'s methods, one file per concern. The type itself, its
//! entries and the JS-facing summaries are in the parent module.

mod admin;
mod discovery;
mod export;
mod generate;
mod import;
mod sealing;
mod select;
