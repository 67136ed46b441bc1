//! `mailseal protect`: sign and/or encrypt a draft or a complete message, write the deliveries.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use mailseal::mime::{Draft, DraftAttachment};
use mailseal::{os_rng, protect, standards, Message, MethodChoice, ProtectOptions, Time};
use serde::Serialize;

use crate::args::{KeySources, MethodArg, ProtectArgs};
use crate::failure::{bad_input, io_failure, Failure};
use crate::files::{read_file, read_input, read_policy, read_text};
use crate::key_sources::load_ring;
use crate::output::{print_json, write_stdout};

pub(crate) fn protect_command(
    sources: &KeySources,
    now: Time,
    args: &ProtectArgs,
) -> Result<(), Failure> {
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
    let protected = protect(&mut ring, &standards::all(), message, &opts, &mut os_rng())?;
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
        warnings: &'a [mailseal::warning::Warning],
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
            method: d.method.map_or("none", mailseal::Method::as_str),
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
