//! Live OpenPGP interop (native only): what mailseal writes must decrypt and verify with
//! `gpg` (and `sqop`, Sequoia's stateless CLI, when installed; and OpenPGP.js in node, from
//! tests/js/node_modules), and what they write must open in mailseal. Keys are the fixtures of tests/data/make-openpgp.sh; every gpg call runs in a
//! private temporary GNUPGHOME whose agent is stopped afterwards.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::tools::{have, openpgp_js, run_bytes, tempdir, Gpg};
use common::{body_of, fixture, pgp_fpr as fpr, pgp_ring as ring, rng, write_ctx, Ready, NOW};
use mailseal::{
    Algorithms, EncryptionState, Engine, ErrorCode, ImportOptions, Keyring, OpenOptions, Opened,
    PgpEngine, ReadContext, SignatureState, Time,
};
use rand_chacha::rand_core::RngCore;

const PGP: PgpEngine = PgpEngine;
/// 2026-11-01T00:00:00Z.
const EARLIER: Time = Time::from_unix(1_793_491_200);

fn f(name: &str) -> &'static [u8] {
    fixture(&format!("openpgp/{name}"))
}

/// gpg in a private home with the fixture keys (secrets of alice, bob, carol).
fn gpg() -> Gpg {
    let files = ["alice.sec", "bob.sec", "carol.sec", "dave.pub", "eve.pub"];
    Gpg::with_keys(&files.map(|file| f(&format!("{file}.asc"))))
}

/// The fingerprint of the primary key gpg made, from its status lines (`--status-fd 2`).
fn created_key(status: &str) -> String {
    status
        .lines()
        .find_map(|l| l.strip_prefix("[GNUPG:] KEY_CREATED P "))
        .expect("KEY_CREATED")
        .trim()
        .to_string()
}

/// gpg in `gpg`'s home at a faked time, day `day` of November 2026, answering on the command
/// fd: its output and its status (stderr). The test fails if gpg does.
fn gpg_in_november(gpg: &Gpg, day: u32, args: &[&str], input: &[u8]) -> (Vec<u8>, String) {
    let (ok, out, err) = run_bytes(
        gpg.cmd()
            .args(["--faked-system-time", &november(day), "--command-fd", "0"])
            .args(args),
        input,
    );
    assert!(ok, "{args:?}: {err}");
    (out, err)
}

/// A designated revoker's revocation of `key`, made in `home` (which holds the revoker's
/// secret key) at `faked_time` for gpg's `reason` (0 none, 1 compromised, 2 superseded, 3 no
/// longer used). `--desig-revoke` refuses `--batch`: its questions (revoke? reason, text,
/// okay?) are answered on the command fd.
fn desig_revoke(home: &Gpg, faked_time: &str, key: &str, reason: &str) -> Vec<u8> {
    let (done, revocation, err) = run_bytes(
        Command::new("gpg")
            .arg("--homedir")
            .arg(home.home())
            .args([
                "--no-tty",
                "--yes",
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                "",
            ])
            .args(["--faked-system-time", faked_time, "--command-fd", "0"])
            .args(["-a", "--desig-revoke", key]),
        format!("y\n{reason}\n\ny\n").as_bytes(),
    );
    assert!(done, "--desig-revoke: {err}");
    revocation
}

/// gpg's `--faked-system-time` for the start of day `day` of November 2026.
fn november(day: u32) -> String {
    format!("202611{day:02}T000000!")
}

/// The state and detail of an opaque-signed OpenPGP message's signature, judged at NOW.
fn opaque_verdict(ring: &Keyring, signed: &[u8]) -> (SignatureState, String) {
    let report = PGP
        .verify_opaque(ring, signed, &ReadContext::at(NOW))
        .ready()
        .unwrap()
        .report;
    (report.state, report.detail.unwrap_or_default())
}

/// A fresh canonical entity with a random binary attachment.
fn entity(seed: u64) -> Vec<u8> {
    use base64::Engine as _;
    let mut r = rng();
    let mut bin = vec![0u8; 3000 + seed as usize];
    r.fill_bytes(&mut bin);
    let b64 = base64::engine::general_purpose::STANDARD.encode(&bin);
    let mut out = format!(
        "Content-Type: multipart/mixed; boundary=\"x{seed}\"\r\n\r\n--x{seed}\r\n\
         Content-Type: text/plain; charset=us-ascii\r\n\r\nTicket {seed}: see attachment.\r\n\
         --x{seed}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    );
    for line in b64.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(line).unwrap());
        out.push_str("\r\n");
    }
    out.push_str(&format!("--x{seed}--\r\n"));
    out.into_bytes()
}

fn split_parts(entity: &[u8]) -> Vec<Vec<u8>> {
    let text = String::from_utf8(entity.to_vec()).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let boundary = head
        .split("boundary=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let body = format!("\r\n{body}");
    let mut parts: Vec<Vec<u8>> = body
        .split(&format!("\r\n--{boundary}"))
        .skip(1)
        .map(|p| p.strip_prefix("\r\n").unwrap_or(p).as_bytes().to_vec())
        .collect();
    parts.pop();
    parts
}

fn mailseal_sign(signer: &str, content: &[u8]) -> (Vec<u8>, Vec<u8>) {
    mailseal_sign_at(signer, content, NOW)
}

fn mailseal_sign_at(signer: &str, content: &[u8], now: Time) -> (Vec<u8>, Vec<u8>) {
    let ring = ring(&["alice.sec", "bob.sec"]);
    let alg = Algorithms::default();
    let mut r = rng();
    let mut ctx = write_ctx(&mut r, &alg);
    ctx.now = now;
    let out = PGP
        .sign(&ring, signer, content.to_vec(), &mut ctx)
        .ready()
        .unwrap();
    let parts = split_parts(&out);
    (parts[0].clone(), body_of(&parts[1]))
}

fn mailseal_encrypt(to: &[&str], signer: Option<&str>, content: &[u8]) -> Vec<u8> {
    mailseal_encrypt_at(to, signer, content, NOW)
}

fn mailseal_encrypt_at(to: &[&str], signer: Option<&str>, content: &[u8], now: Time) -> Vec<u8> {
    let ring = ring(&["alice.sec", "bob.sec", "carol.pub"]);
    let alg = Algorithms::default();
    let mut r = rng();
    let mut ctx = write_ctx(&mut r, &alg);
    ctx.now = now;
    let to: Vec<String> = to.iter().map(|s| s.to_string()).collect();
    let out = PGP
        .encrypt(&ring, &to, signer, content.to_vec(), &mut ctx)
        .ready()
        .unwrap();
    body_of(&split_parts(&out)[1])
}

// --- mailseal writes, gpg reads ------------------------------------------------------------

#[test]
fn gpg_verifies_what_mailseal_signs() {
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    for (i, who) in ["alice", "bob"].iter().enumerate() {
        let content = entity(i as u64);
        let (signed, sig) = mailseal_sign(&format!("{who}@example.org"), &content);
        assert_eq!(signed, content);
        let data = gpg.file("signed.eml", &signed);
        let sigf = gpg.file("signature.asc", &sig);
        let (ok, _, err) = run_bytes(gpg.cmd().arg("--verify").arg(&sigf).arg(&data), b"");
        assert!(ok, "{who}: {err}");
        assert!(
            err.contains(&format!("[GNUPG:] VALIDSIG {}", fpr(who))),
            "{err}"
        );
    }
}

#[test]
fn gpg_decrypts_what_mailseal_encrypts_to_one_two_three_recipients() {
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let cases: [(&[&str], Option<&str>); 4] = [
        (&["bob@example.org"], None),
        (
            &["bob@example.org", "alice@example.org"],
            Some("alice@example.org"),
        ),
        (
            &["carol@example.org", "bob@example.org", "alice@example.org"],
            Some("bob@example.org"),
        ),
        (&["alice@example.org"], Some("alice@example.org")),
    ];
    for (i, (to, signer)) in cases.iter().enumerate() {
        let content = entity(10 + i as u64);
        let armored = mailseal_encrypt(to, *signer, &content);
        let file = gpg.file("encrypted.asc", &armored);
        let (ok, out, err) = run_bytes(gpg.cmd().arg("--decrypt").arg(&file), b"");
        assert!(ok, "{to:?}: {err}");
        assert_eq!(out, content, "{to:?}");
        assert!(err.contains("[GNUPG:] DECRYPTION_OKAY"), "{err}");
        assert!(err.contains("[GNUPG:] GOODMDC"), "{err}");
        match signer {
            Some(s) => {
                let who = s.split('@').next().unwrap();
                assert!(
                    err.contains(&format!("[GNUPG:] VALIDSIG {}", fpr(who))),
                    "{err}"
                );
            }
            None => assert!(!err.contains("SIG"), "{err}"),
        }
        // SEIPD v1 with MDC, AES-256, one PKESK per recipient, no compression
        let (_, listing, _) = run_bytes(gpg.cmd().arg("--list-packets").arg(&file), b"");
        let listing = String::from_utf8_lossy(&listing);
        assert!(listing.contains("mdc_method: 2"), "{listing}");
        assert!(!listing.contains(":compressed packet:"), "{listing}");
        assert_eq!(listing.matches(":pubkey enc packet:").count(), to.len());
        assert!(err.contains("[GNUPG:] DECRYPTION_INFO 2 9"), "{err}");
    }
}

// --- gpg writes, mailseal reads -------------------------------------------------------------

#[test]
fn mailseal_opens_what_gpg_writes_live() {
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let content = entity(20);
    let plain = gpg.file("entity.eml", &content);
    let ctx = ReadContext::at(NOW);

    // signed + encrypted to three recipients, armored and binary
    for armor in [true, false] {
        let mut cmd = gpg.cmd();
        cmd.args(["-s", "-e", "-u", &fpr("carol")]);
        for who in ["alice", "bob", "carol"] {
            cmd.args(["-r", &fpr(who)]);
        }
        if armor {
            cmd.arg("-a");
        }
        let (ok, ct, err) = run_bytes(cmd.args(["-o", "-"]).arg(&plain), b"");
        assert!(ok, "{err}");
        for who in ["alice", "bob"] {
            let ring = ring(&[&format!("{who}.sec"), "carol.pub"]);
            let d = PGP.decrypt(&ring, &ct, &ctx).ready().unwrap();
            assert_eq!(d.report.state, EncryptionState::Decrypted);
            assert_eq!(d.content.as_deref().map(|c| &c[..]), Some(&content[..]));
            let sig = d.signature.unwrap();
            assert_eq!(sig.state, SignatureState::Valid);
            assert_eq!(sig.signer.unwrap().key_id, fpr("carol"));
        }
    }

    // encrypted only, to one and two recipients (RSA and Cv25519)
    for to in [&["alice"][..], &["bob", "alice"][..]] {
        let mut cmd = gpg.cmd();
        cmd.args(["-e", "-a"]);
        for who in to {
            cmd.args(["-r", &fpr(who)]);
        }
        let (ok, ct, err) = run_bytes(cmd.args(["-o", "-"]).arg(&plain), b"");
        assert!(ok, "{err}");
        for who in to {
            let d = PGP.decrypt(&self_ring(who), &ct, &ctx).ready().unwrap();
            assert_eq!(d.content.as_deref().map(|c| &c[..]), Some(&content[..]));
            assert!(d.signature.is_none());
        }
    }

    // hidden recipients (--throw-keyids: wildcard key ids), RSA and Cv25519
    let (ok, ct, err) = run_bytes(
        gpg.cmd()
            .args([
                "-e",
                "--throw-keyids",
                "-r",
                &fpr("alice"),
                "-r",
                &fpr("bob"),
            ])
            .args(["-o", "-"])
            .arg(&plain),
        b"",
    );
    assert!(ok, "{err}");
    for who in ["alice", "bob"] {
        let d = PGP.decrypt(&self_ring(who), &ct, &ctx).ready().unwrap();
        assert_eq!(
            d.content.as_deref().map(|c| &c[..]),
            Some(&content[..]),
            "{who}"
        );
    }
    assert_eq!(
        PGP.decrypt(&self_ring("carol"), &ct, &ctx)
            .ready()
            .unwrap()
            .report
            .state,
        EncryptionState::NoKey
    );

    // a text-mode (0x01) detached signature, verified over the LF form of the entity too
    let (ok, sig, err) = run_bytes(
        gpg.cmd()
            .args([
                "--detach-sign",
                "--textmode",
                "-a",
                "-u",
                &fpr("alice"),
                "-o",
                "-",
            ])
            .arg(&plain),
        b"",
    );
    assert!(ok, "{err}");
    let lf: Vec<u8> = content.iter().copied().filter(|b| *b != b'\r').collect();
    for data in [&content, &lf] {
        let v = PGP
            .verify_detached(&ring(&["alice.pub"]), data, &sig, &ctx)
            .ready()
            .unwrap();
        assert_eq!(v.report.state, SignatureState::Valid);
    }

    // a binary attachment encrypted on its own (.pgp), and an inline signed text
    let mut bin = vec![0u8; 5000];
    rng().fill_bytes(&mut bin);
    let bin_file = gpg.file("report.pdf", &bin);
    let (ok, ct, err) = run_bytes(
        gpg.cmd()
            .args(["-e", "-r", &fpr("alice"), "-o", "-"])
            .arg(&bin_file),
        b"",
    );
    assert!(ok, "{err}");
    let d = PGP.decrypt(&self_ring("alice"), &ct, &ctx).ready().unwrap();
    assert_eq!(d.content.as_deref().map(|c| &c[..]), Some(&bin[..]));
    let (ok, signed, err) = run_bytes(
        gpg.cmd()
            .args(["-s", "-a", "-u", &fpr("alice"), "-o", "-"])
            .arg(&plain),
        b"",
    );
    assert!(ok, "{err}");
    let v = PGP
        .verify_opaque(&ring(&["alice.pub"]), &signed, &ctx)
        .ready()
        .unwrap();
    assert_eq!(v.report.state, SignatureState::Valid);
    assert_eq!(v.content.as_deref(), Some(&content[..]));

    // detached signature over the canonical entity (PGP/MIME), by RSA and Ed25519 keys
    let ring = ring(&["alice.pub", "bob.pub"]);
    for who in ["alice", "bob"] {
        let (ok, sig, err) = run_bytes(
            gpg.cmd()
                .args([
                    "--detach-sign",
                    "-a",
                    "--digest-algo",
                    "SHA256",
                    "-u",
                    &fpr(who),
                ])
                .args(["-o", "-"])
                .arg(&plain),
            b"",
        );
        assert!(ok, "{err}");
        let v = PGP
            .verify_detached(&ring, &content, &sig, &ctx)
            .ready()
            .unwrap();
        assert_eq!(v.report.state, SignatureState::Valid, "{who}");
        let mut altered = content.clone();
        altered[60] ^= 1;
        let v = PGP
            .verify_detached(&ring, &altered, &sig, &ctx)
            .ready()
            .unwrap();
        assert_eq!(v.report.state, SignatureState::Invalid, "{who}");
    }

    // cleartext signature
    let (ok, clear, err) = run_bytes(
        gpg.cmd()
            .args(["--clearsign", "-u", &fpr("bob"), "-o", "-"])
            .arg(&plain),
        b"",
    );
    assert!(ok, "{err}");
    let v = PGP.verify_opaque(&ring, &clear, &ctx).ready().unwrap();
    assert_eq!(v.report.state, SignatureState::Valid);

    // RFC 2440 mode without MDC: refused
    let (ok, ct, err) = run_bytes(
        gpg.cmd()
            .args([
                "--rfc2440",
                "--cipher-algo",
                "AES256",
                "-e",
                "-r",
                &fpr("bob"),
            ])
            .args(["-o", "-"])
            .arg(&plain),
        b"",
    );
    assert!(ok, "{err}");
    let d = PGP.decrypt(&self_ring("bob"), &ct, &ctx).ready().unwrap();
    assert_eq!(d.report.state, EncryptionState::Failed);
    assert!(d.content.is_none());

    // password-encrypted (gpg --symmetric): not for a key, said in words
    let (ok, ct, err) = run_bytes(
        gpg.cmd()
            .args(["--symmetric", "--passphrase", "pw", "-o", "-"])
            .arg(&plain),
        b"",
    );
    assert!(ok, "{err}");
    let d = PGP.decrypt(&self_ring("bob"), &ct, &ctx).ready().unwrap();
    assert_eq!(d.report.state, EncryptionState::NoKey);
    assert!(d.content.is_none());
    assert!(d.report.detail.unwrap_or_default().contains("password"));
}

/// `gpg --clearsign --not-dash-escaped` (people sign patches with it): the text is not
/// dash-escaped and the armor says so (`NotDashEscaped:`). It verifies, its lines that start
/// with a dash are shown as they are, and a changed one fails. It was `invalid` and unreadable
/// (found by the interop sweep; gpg reports a good signature).
#[test]
fn a_cleartext_signature_that_is_not_dash_escaped_verifies() {
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let patch = b"--- a/refund.txt\n+++ b/refund.txt\n-amount: 10\n+amount: 20\n";
    let plain = gpg.file("fix.patch", patch);
    let (ok, clear, err) = run_bytes(
        gpg.cmd()
            .args([
                "--clearsign",
                "--not-dash-escaped",
                "-u",
                &fpr("alice"),
                "-o",
                "-",
            ])
            .arg(&plain),
        b"",
    );
    assert!(ok, "{err}");
    let clear = String::from_utf8(clear).unwrap();
    assert!(clear.contains("NotDashEscaped:"), "{clear}");
    let ring = ring(&["bob.sec", "alice.pub"]);
    let ctx = ReadContext::at(NOW);
    let v = PGP
        .verify_opaque(&ring, clear.as_bytes(), &ctx)
        .ready()
        .unwrap();
    assert_eq!(
        v.report.state,
        SignatureState::Valid,
        "{:?}",
        v.report.detail
    );
    let shown = String::from_utf8(v.content.unwrap()).unwrap();
    assert!(
        shown.contains("-amount: 10") && shown.contains("--- a/refund.txt"),
        "{shown}"
    );
    let changed = clear.replace("-amount: 10", "-amount: 90");
    let v = PGP
        .verify_opaque(&ring, changed.as_bytes(), &ctx)
        .ready()
        .unwrap();
    assert_eq!(v.report.state, SignatureState::Invalid);
}

/// Spaces or tabs after a cleartext block's armor lines (RFC 9580 §6.2 allows them; mail systems
/// pad lines): gpg reads the block, and so does mailseal, still judging the text. Before, the
/// block was unreadable and the message `invalid` (interop sweep of 2026-12-07).
#[test]
fn cleartext_armor_lines_with_trailing_white_space_verify() {
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let (ok, clear, err) = run_bytes(
        gpg.cmd()
            .args(["--clearsign", "-u", &fpr("alice"), "-o", "-"]),
        b"Refund 10 EUR.\n",
    );
    assert!(ok, "{err}");
    let clear = String::from_utf8(clear).unwrap();
    let ring = ring(&["bob.sec", "alice.pub"]);
    let ctx = ReadContext::at(NOW);
    for pad in [" ", "\t", " \t "] {
        let padded = clear
            .lines()
            .map(|l| {
                if l.starts_with("-----") {
                    format!("{l}{pad}")
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\r\n");
        // gpg agrees the padded block is good.
        let (ok, _, err) = run_bytes(gpg.cmd().args(["--verify"]), padded.as_bytes());
        assert!(ok, "gpg with {pad:?}: {err}");
        let v = PGP
            .verify_opaque(&ring, padded.as_bytes(), &ctx)
            .ready()
            .unwrap();
        assert_eq!(
            v.report.state,
            SignatureState::Valid,
            "{pad:?}: {:?}",
            v.report.detail
        );
        assert_eq!(
            v.content.as_deref(),
            Some(&b"Refund 10 EUR."[..]),
            "{pad:?}"
        );
        let changed = padded.replace("Refund 10", "Refund 90");
        let v = PGP
            .verify_opaque(&ring, changed.as_bytes(), &ctx)
            .ready()
            .unwrap();
        assert_eq!(v.report.state, SignatureState::Invalid, "{pad:?}");
    }
}

/// An Ed25519 signature over a hash shorter than 256 bits (`gpg --digest-algo SHA224`, which
/// gpg verifies) is refused (RFC 9580 §5.2.3.3), and the verdict says so: it read "The PGP
/// signature is invalid.", as a tampered one does (interop sweep of 2026-12-07).
#[test]
fn a_signature_over_a_hash_too_short_for_its_key_says_so() {
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let signed = b"Content-Type: text/plain\r\n\r\nhello\r\n";
    let ring = ring(&["bob.sec", "carol.pub"]);
    let ctx = ReadContext::at(NOW);
    for (digest, refused) in [("SHA224", true), ("SHA256", false)] {
        let sig = gpg_text(
            &gpg,
            &[
                "--armor",
                "--detach-sign",
                "--digest-algo",
                digest,
                "-u",
                &fpr("carol"),
            ],
            signed,
        );
        let v = PGP
            .verify_detached(&ring, signed, sig.as_bytes(), &ctx)
            .ready()
            .unwrap();
        let detail = v.report.detail.unwrap_or_default();
        if refused {
            assert_eq!(v.report.state, SignatureState::Invalid, "{digest}");
            assert!(
                detail.contains("too short") && detail.contains("sha224"),
                "{detail}"
            );
        } else {
            assert_eq!(v.report.state, SignatureState::Valid, "{digest}: {detail}");
        }
    }
}

/// A compressed packet holds one message (RFC 9580 §10.3). gpg's signed packets (one-pass
/// signature, literal data, signature) compressed with an unsigned literal packet, a second
/// signature or garbage after them read `valid` before: rPGP drops what follows unread, where
/// gpg says "BAD signature" or reports an error (interop sweep of 2026-12-07). The same packets
/// compressed alone are still `valid`.
#[test]
fn packets_after_the_signed_message_inside_its_compression_are_not_valid() {
    use std::io::Write;
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let (ok, signed, err) = run_bytes(
        gpg.cmd()
            .args(["-s", "-z", "0", "-u", &fpr("alice"), "-o", "-"]),
        b"Genuine text signed by Alice.\n",
    );
    assert!(ok, "{err}");
    // A new-format packet (RFC 9580 §4.2.1) with a one- or two-octet length.
    let packet = |tag: u8, body: &[u8]| {
        let mut out = vec![0xC0 | tag];
        match body.len() {
            n if n < 192 => out.push(n as u8),
            n => {
                let n = n - 192;
                out.extend([(n >> 8) as u8 + 192, n as u8]);
            }
        }
        out.extend_from_slice(body);
        out
    };
    let unsigned_literal = packet(11, b"b\0\0\0\0\0Unsigned text added later.\n");
    // A second signature packet: gpg's detached signature of the same text.
    let (ok, signature, err) = run_bytes(
        gpg.cmd()
            .args(["--detach-sign", "-u", &fpr("alice"), "-o", "-"]),
        b"Genuine text signed by Alice.\n",
    );
    assert!(ok, "{err}");
    let ring = ring(&["bob.sec", "alice.pub"]);
    let ctx = ReadContext::at(NOW);
    for (tail, verdict) in [
        (&b""[..], SignatureState::Valid),
        (&unsigned_literal[..], SignatureState::Invalid),
        (&b"\x00\x01garbage"[..], SignatureState::Invalid),
        (&signature[..], SignatureState::Invalid),
    ] {
        let mut zlib = flate2::write::ZlibEncoder::new(vec![2u8], flate2::Compression::default());
        zlib.write_all(&signed).unwrap();
        zlib.write_all(tail).unwrap();
        let message = packet(8, &zlib.finish().unwrap());
        let v = PGP.verify_opaque(&ring, &message, &ctx).ready().unwrap();
        assert_eq!(
            v.report.state, verdict,
            "tail {tail:?}: {:?}",
            v.report.detail
        );
    }
}

/// A cleartext-signed message whose `Hash:` armor header does not name the digest its
/// signature uses is refused (RFC 9580 §7.1; gpg: "signature digest conflict in message"),
/// whether the header was edited or forged; a header naming several digests, one of them the
/// signature's, is fine.
#[test]
fn a_cleartext_hash_header_that_misnames_the_digest_is_refused() {
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let plain = gpg.file("note.txt", b"Please approve the refund.\n");
    let ctx = ReadContext::at(NOW);
    let ring = ring(&["bob.sec", "alice.pub"]);
    let (ok, clear, err) = run_bytes(
        gpg.cmd()
            .args([
                "--clearsign",
                "--digest-algo",
                "SHA512",
                "-u",
                &fpr("alice"),
                "-o",
                "-",
            ])
            .arg(&plain),
        b"",
    );
    assert!(ok, "{err}");
    let clear = String::from_utf8(clear).unwrap();
    assert!(clear.contains("\nHash: SHA512\n"), "{clear}");
    for (header, expected) in [
        ("Hash: SHA512", SignatureState::Valid),
        ("Hash: SHA256, SHA512", SignatureState::Valid),
        ("Hash: SHA256", SignatureState::Invalid),
        ("Hash: SHA1", SignatureState::Invalid),
    ] {
        let edited = clear.replace("Hash: SHA512", header);
        let v = PGP
            .verify_opaque(&ring, edited.as_bytes(), &ctx)
            .ready()
            .unwrap();
        assert_eq!(v.report.state, expected, "{header}: {:?}", v.report.detail);
        if expected == SignatureState::Invalid {
            let detail = v.report.detail.unwrap_or_default();
            assert!(detail.contains("Hash header"), "{detail}");
        }
        // gpg agrees: no good signature where the header misnames the digest.
        let file = gpg.file("edited.asc", edited.as_bytes());
        let (_, out, _) = run_bytes(
            gpg.cmd().args(["--status-fd", "1", "--verify"]).arg(&file),
            b"",
        );
        let good = String::from_utf8_lossy(&out).contains("GOODSIG");
        assert_eq!(good, expected == SignatureState::Valid, "gpg, {header}");
    }
}

/// Cleartext-signed text that quotes armor lines (an inline-signed forward of an inline-signed
/// mail): gpg dash-escapes them (`- -----END PGP SIGNATURE-----`, RFC 9580 §7.2), and only an
/// END line at the start of a line ends the block. The quoted lines are part of the signed
/// text (it was "could not be read", found by the interop sweep).
#[test]
fn cleartext_that_quotes_armor_lines_verifies() {
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let text = "hi\n-----BEGIN PGP SIGNATURE-----\nquoted\n-----END PGP SIGNATURE-----\nbye\n";
    let plain = gpg.file("quote.txt", text.as_bytes());
    let ring = ring(&["bob.sec", "alice.pub"]);
    let (ok, clear, err) = run_bytes(
        gpg.cmd()
            .args(["--clearsign", "-u", &fpr("alice"), "-o", "-"])
            .arg(&plain),
        b"",
    );
    assert!(ok, "{err}");
    assert!(String::from_utf8_lossy(&clear).contains("\n- -----END PGP SIGNATURE-----"));
    let v = PGP
        .verify_opaque(&ring, &clear, &ReadContext::at(NOW))
        .ready()
        .unwrap();
    assert_eq!(
        v.report.state,
        SignatureState::Valid,
        "{:?}",
        v.report.detail
    );
    let shown = String::from_utf8(v.content.unwrap()).unwrap();
    assert!(
        shown.contains("\r\n-----END PGP SIGNATURE-----\r\nbye"),
        "{shown}"
    );
}

/// A signature with a critical notation mailseal does not know is in error (RFC 9580
/// §5.2.3.7), as gpg reports it BAD: signed and encrypted, cleartext-signed and detached. The
/// same notation without the critical flag leaves the signature valid.
#[test]
fn a_critical_notation_not_understood_makes_the_signature_invalid() {
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let plain = gpg.file("note.txt", b"Please approve the refund.\n");
    let ctx = ReadContext::at(NOW);
    let ring = ring(&["bob.sec", "alice.pub"]);
    for (notation, expected) in [
        ("!approval@example.org=yes", SignatureState::Invalid),
        ("approval@example.org=yes", SignatureState::Valid),
    ] {
        let sign = |mode: &[&str]| {
            let mut cmd = gpg.cmd();
            cmd.args(mode)
                .args(["-u", &fpr("alice"), "--sig-notation", notation]);
            let (ok, out, err) = run_bytes(cmd.args(["-o", "-"]).arg(&plain), b"");
            assert!(ok, "{err}");
            out
        };
        let encrypted = sign(&["-s", "-e", "-a", "-r", &fpr("bob")]);
        let d = PGP.decrypt(&ring, &encrypted, &ctx).ready().unwrap();
        assert_eq!(d.report.state, EncryptionState::Decrypted);
        let sig = d.signature.unwrap();
        assert_eq!(sig.state, expected, "{notation}: {:?}", sig.detail);

        let clear = sign(&["--clearsign"]);
        let v = PGP.verify_opaque(&ring, &clear, &ctx).ready().unwrap();
        assert_eq!(
            v.report.state, expected,
            "{notation}: {:?}",
            v.report.detail
        );

        let detached = sign(&["--detach-sign", "-a"]);
        let v = PGP
            .verify_detached(&ring, b"Please approve the refund.\n", &detached, &ctx)
            .ready()
            .unwrap();
        assert_eq!(
            v.report.state, expected,
            "{notation}: {:?}",
            v.report.detail
        );
        if expected == SignatureState::Invalid {
            let detail = v.report.detail.unwrap_or_default();
            assert!(detail.contains("approval@example.org"), "{detail}");
        }
        // gpg agrees.
        let sig_file = gpg.file("note.txt.asc", &detached);
        let (ok, _, err) = run_bytes(gpg.cmd().arg("--verify").arg(&sig_file).arg(&plain), b"");
        assert_eq!(ok, expected == SignatureState::Valid, "{err}");
    }
}

/// A signature's hashed subpackets are hashed as they are in the packet (RFC 9580 §5.2.4): a
/// notation's flags altered in a detached signature make it invalid, as gpg reads it BAD.
/// rPGP hashed the subpackets it had parsed, written again, and keeps of the first flags octet
/// only whether it is 0x80 ("human-readable"): where the signer wrote 0x00 (Sequoia's and
/// OpenPGP.js's salt notation, on every signature they make) any other value but 0x80 read
/// `valid` (sweep 23, F5). gpg writes its notations human-readable, and an altered 0x80 read
/// invalid already.
#[test]
fn a_notation_whose_flags_were_altered_does_not_verify() {
    if !have("gpg") || !have_sqop() {
        return;
    }
    let gpg = gpg();
    let data = b"Please approve the refund.\n";
    let plain = gpg.file("note.txt", data);
    let (ok, by_gpg, err) = run_bytes(
        gpg.cmd()
            .args(["--detach-sign", "-u", &fpr("alice")])
            .args(["--sig-notation", "approval@example.org=yes", "-o", "-"])
            .arg(&plain),
        b"",
    );
    assert!(ok, "{err}");
    let dir = tempdir();
    let alice_sec = key_file(dir.path(), "alice.sec.asc");
    let (ok, by_sqop, err) = run_bytes(
        Command::new("sqop")
            .args(["sign", "--no-armor", "--as", "binary"])
            .arg(&alice_sec),
        data,
    );
    assert!(ok, "{err}");
    let ring = ring(&["alice.pub"]);
    let ctx = ReadContext::at(NOW);
    for (by, sig, flags) in [("gpg", by_gpg, 0x80), ("sqop", by_sqop, 0x00)] {
        let body = common::packet_body_at(&sig).unwrap();
        let at = body + common::hashed_subpacket_at(&sig[body..], 20).unwrap();
        assert_eq!(sig[at], flags, "{by}");
        for (to, expected) in [
            (flags, SignatureState::Valid),
            (flags ^ 0x10, SignatureState::Invalid),
            (flags ^ 0x01, SignatureState::Invalid),
        ] {
            let mut sig = sig.clone();
            sig[at] = to;
            let v = PGP
                .verify_detached(&ring, data, &sig, &ctx)
                .ready()
                .unwrap();
            assert_eq!(
                v.report.state, expected,
                "{by}, flags {to:#04x}: {:?}",
                v.report.detail
            );
            // gpg agrees.
            let sig_file = gpg.file("note.txt.sig", &sig);
            let (ok, _, err) = run_bytes(gpg.cmd().arg("--verify").arg(&sig_file).arg(&plain), b"");
            assert_eq!(
                ok,
                expected == SignatureState::Valid,
                "{by}, {to:#04x}: {err}"
            );
        }
    }
}

/// Signed and encrypted messages without compression (what mailseal and OpenPGP.js write; gpg
/// with `--compress-algo none`) are verified with the hash on the crypto provider, outside
/// rPGP's reader: two signers, a signer mailseal does not know, text mode (rPGP's path), and
/// gpg's signature over literal data that was altered before encryption (rebuilt here with
/// rPGP's packet API) must get the verdicts rPGP's path gives.
#[test]
fn uncompressed_signed_and_encrypted_messages_get_the_same_verdicts() {
    use pgp::composed::{Deserializable, SignedPublicKey};
    use pgp::crypto::sym::SymmetricKeyAlgorithm;
    use pgp::packet::{PublicKeyEncryptedSessionKey, SymEncryptedProtectedData};
    use pgp::ser::Serialize;
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let plain = gpg.file("note.txt", b"Please approve the refund of 120 EUR.\n");
    let ctx = ReadContext::at(NOW);
    let ring = ring(&["bob.sec", "alice.pub"]);
    let gpg_out = |args: &[&str]| {
        let (ok, out, err) = run_bytes(gpg.cmd().args(args).args(["-o", "-"]).arg(&plain), b"");
        assert!(ok, "{err}");
        out
    };
    let (alice, bob, carol) = (fpr("alice"), fpr("bob"), fpr("carol"));
    let none = ["--compress-algo", "none"];
    let open = |ct: &[u8]| {
        let d = PGP.decrypt(&ring, ct, &ctx).ready().unwrap();
        assert_eq!(d.report.state, EncryptionState::Decrypted);
        (d.content.unwrap().to_vec(), d.signature.unwrap())
    };

    let (content, sig) = open(&gpg_out(
        &[&none[..], &["-s", "-e", "-u", &alice, "-r", &bob]].concat(),
    ));
    assert_eq!(content, b"Please approve the refund of 120 EUR.\n");
    assert_eq!(sig.state, SignatureState::Valid, "{:?}", sig.detail);
    // Alice and Carol sign; Carol's key is not in the keyring: not valid as a whole.
    let (_, sig) = open(&gpg_out(
        &[
            &none[..],
            &["-s", "-e", "-u", &alice, "-u", &carol, "-r", &bob],
        ]
        .concat(),
    ));
    assert_eq!(sig.state, SignatureState::UnknownSigner, "{:?}", sig.detail);
    let (_, sig) = open(&gpg_out(
        &[&none[..], &["-s", "-e", "-u", &carol, "-r", &bob]].concat(),
    ));
    assert_eq!(sig.state, SignatureState::UnknownSigner);
    let (_, sig) = open(&gpg_out(
        &[
            &none[..],
            &["--textmode", "-s", "-e", "-u", &alice, "-r", &bob],
        ]
        .concat(),
    ));
    assert_eq!(sig.state, SignatureState::Valid, "{:?}", sig.detail);

    // gpg's one-pass signed packets, the literal altered, encrypted to Bob by rPGP.
    let mut packets = gpg_out(&[&none[..], &["-s", "-u", &alice]].concat());
    let at = packets
        .windows(3)
        .position(|w| w == b"120")
        .expect("the literal text");
    packets[at] = b'9';
    let (bob_key, _) = SignedPublicKey::from_armor_single(f("bob.pub.asc")).unwrap();
    // Bob's one subkey, Cv25519 [E] (tests/data/make-openpgp.sh).
    let subkey = bob_key
        .public_subkeys
        .first()
        .expect("Bob's encryption subkey");
    let mut session_key = vec![0u8; 32];
    rng().fill_bytes(&mut session_key);
    let pkesk = PublicKeyEncryptedSessionKey::from_session_key_v3(
        rng(),
        &session_key[..].into(),
        SymmetricKeyAlgorithm::AES256,
        subkey,
    )
    .unwrap();
    let seipd = SymEncryptedProtectedData::encrypt_seipdv1(
        rng(),
        SymmetricKeyAlgorithm::AES256,
        &session_key,
        &packets,
    )
    .unwrap();
    let mut message = Vec::new();
    pgp::packet::Packet::from(pkesk)
        .to_writer(&mut message)
        .unwrap();
    pgp::packet::Packet::from(seipd)
        .to_writer(&mut message)
        .unwrap();
    let (content, sig) = open(&message);
    assert_eq!(content, b"Please approve the refund of 920 EUR.\n");
    assert_eq!(sig.state, SignatureState::Invalid, "{:?}", sig.detail);
}

/// gpg's choices a sender can make (or have made for them by the recipient's preferences):
/// every cipher, compression and digest gpg 2.2 writes must open, signed and encrypted, and
/// the weak digests must be refused by name.
#[test]
fn mailseal_opens_gpg_messages_of_every_cipher_compression_and_digest() {
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let content = entity(21);
    let plain = gpg.file("entity.eml", &content);
    let ctx = ReadContext::at(NOW);
    let ring = ring(&["bob.sec", "alice.pub"]);
    let ciphers = [
        "AES",
        "AES192",
        "AES256",
        "CAMELLIA128",
        "CAMELLIA192",
        "CAMELLIA256",
        "TWOFISH",
        "3DES",
        "CAST5",
        "BLOWFISH",
        "IDEA",
    ];
    let compressions = ["none", "zip", "zlib", "bzip2"];
    let digests = ["SHA1", "SHA224", "SHA256", "SHA384", "SHA512", "RIPEMD160"];
    let mut failures = Vec::new();
    for (i, cipher) in ciphers.iter().enumerate() {
        for (j, compress) in compressions.iter().enumerate() {
            // Every cipher with every compression, the digests spread over the combinations.
            let digest = digests[(i * compressions.len() + j) % digests.len()];
            let (ok, ct, err) = run_bytes(
                gpg.cmd()
                    .args(["--compress-algo", compress, "--cipher-algo", cipher])
                    .args(["--digest-algo", digest, "-s", "-e", "-u", &fpr("alice")])
                    .args(["-r", &fpr("bob"), "-o", "-"])
                    .arg(&plain),
                b"",
            );
            if !ok {
                // A build of gpg without this algorithm (IDEA is optional): nothing to read.
                assert!(
                    err.contains("not available") || err.contains("invalid"),
                    "{err}"
                );
                continue;
            }
            let d = PGP.decrypt(&ring, &ct, &ctx).ready().unwrap();
            let sig = d.signature.as_ref().map(|s| s.state);
            // SHA-1 and RIPEMD-160 data signatures are refused by policy (RFC 9580 §9.5).
            let expected = match digest {
                "SHA1" | "RIPEMD160" => SignatureState::Invalid,
                _ => SignatureState::Valid,
            };
            let weak_said = d
                .signature
                .as_ref()
                .and_then(|s| s.detail.as_deref())
                .is_some_and(|t| t.contains("weak hash"));
            if d.report.state != EncryptionState::Decrypted
                || d.content.as_deref().map(|c| &c[..]) != Some(&content[..])
                || sig != Some(expected)
                || (expected == SignatureState::Invalid && !weak_said)
            {
                failures.push(format!(
                    "{cipher}/{compress}/{digest}: {:?} {:?} {sig:?}",
                    d.report.state, d.report.detail
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// What gpg writes to stdout with `args` for `data`, as text (armored output).
fn gpg_text(gpg: &Gpg, args: &[&str], data: &[u8]) -> String {
    let (ok, out, err) = run_bytes(gpg.cmd().args(args).args(["-o", "-"]), data);
    assert!(ok, "{err}");
    String::from_utf8(out).unwrap()
}

/// `text` with CRLF line ends, as a MIME body carries it.
fn to_crlf_text(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

fn self_ring(who: &str) -> Keyring {
    ring(&[&format!("{who}.sec")])
}

// --- sqop (Sequoia) as a third peer -----------------------------------------------------------

fn have_sqop() -> bool {
    let ok = Command::new("sqop")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    // Under CI a missing sqop fails the test (make test installs it), as common::tools::have.
    assert!(
        ok || std::env::var_os("CI").is_none(),
        "sqop is required under CI"
    );
    if !ok {
        eprintln!("note: sqop not found, skipping the Sequoia interop test");
    }
    ok
}

fn key_file(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, f(name)).unwrap();
    path
}

#[test]
fn sqop_interop_both_ways() {
    if !have_sqop() {
        return;
    }
    let dir = tempdir();
    let d = dir.path();
    let alice_sec = key_file(d, "alice.sec.asc");
    let bob_sec = key_file(d, "bob.sec.asc");
    let alice_pub = key_file(d, "alice.pub.asc");
    let bob_pub = key_file(d, "bob.pub.asc");
    let content = entity(30);
    let ctx = ReadContext::at(NOW);

    // mailseal -> sqop: signed + encrypted, and detached signature. Sequoia judges signatures
    // at the machine's clock, which may lie before the fixture clock (NOW): sign at a time
    // already past (2026-11-01; the keys are valid from 2026-01-01).
    let ct = mailseal_encrypt_at(
        &["bob@example.org"],
        Some("alice@example.org"),
        &content,
        EARLIER,
    );
    let out_file = d.join("verifications");
    let (ok, out, err) = run_bytes(
        Command::new("sqop")
            .arg("decrypt")
            .arg("--verify-with")
            .arg(&alice_pub)
            .arg("--verify-out")
            .arg(&out_file)
            .arg(&bob_sec),
        &ct,
    );
    assert!(ok, "{err}");
    assert_eq!(out, content);
    let verifications = std::fs::read_to_string(&out_file).unwrap_or_default();
    assert!(verifications.contains(&fpr("alice")), "{verifications}");

    let (signed, sig) = mailseal_sign_at("bob@example.org", &content, EARLIER);
    let sig_file = d.join("sig.asc");
    std::fs::write(&sig_file, &sig).unwrap();
    let (ok, _, err) = run_bytes(
        Command::new("sqop")
            .arg("verify")
            .arg(&sig_file)
            .arg(&bob_pub),
        &signed,
    );
    assert!(ok, "{err}");

    // sqop -> mailseal
    let (ok, ct, err) = run_bytes(
        Command::new("sqop")
            .arg("encrypt")
            .arg("--sign-with")
            .arg(&bob_sec)
            .arg(&alice_pub),
        &content,
    );
    assert!(ok, "{err}");
    let ring = ring(&["alice.sec", "bob.pub"]);
    let dec = PGP.decrypt(&ring, &ct, &ctx).ready().unwrap();
    assert_eq!(dec.report.state, EncryptionState::Decrypted);
    assert_eq!(dec.content.as_deref().map(|c| &c[..]), Some(&content[..]));
    assert_eq!(dec.signature.unwrap().state, SignatureState::Valid);

    let (ok, sig, err) = run_bytes(Command::new("sqop").arg("sign").arg(&alice_sec), &content);
    assert!(ok, "{err}");
    let v = PGP
        .verify_detached(&ring, &content, &sig, &ctx)
        .ready()
        .unwrap();
    assert_eq!(v.report.state, SignatureState::Valid);
}

// --- OpenPGP.js as a peer ---------------------------------------------------------------------

/// Node.js program: decrypts an armored message with OpenPGP.js and checks its signature by
/// the same key. Arguments: OpenPGP.js's module, an armored secret key, its passphrase (empty
/// for none), the armored message. Prints the content (base64) and the signer's key ID as
/// JSON; fails when the signature does not verify (`expectSigned`).
const OPENPGP_JS_DECRYPT: &str = r#"
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
const [, modulePath, keyFile, passphrase, messageFile] = process.argv;
const openpgp = await import(pathToFileURL(modulePath).href);
let key = await openpgp.readPrivateKey({ armoredKey: fs.readFileSync(keyFile, 'utf8') });
if (passphrase) key = await openpgp.decryptKey({ privateKey: key, passphrase });
const { data, signatures } = await openpgp.decrypt({
    message: await openpgp.readMessage({ armoredMessage: fs.readFileSync(messageFile, 'utf8') }),
    decryptionKeys: key,
    verificationKeys: key.toPublic(),
    expectSigned: true,
    format: 'binary',
    date: new Date('2026-12-01T00:00:00Z'),
});
process.stdout.write(JSON.stringify({
    content: Buffer.from(data).toString('base64'),
    signer: signatures[0].keyID.toHex(),
}));
"#;

/// OpenPGP.js's curve448 key (tests/data/openpgpjs) in mailseal: what mailseal signs with it
/// (Ed448) and encrypts to it (X448) decrypts and verifies in OpenPGP.js, with the key as
/// OpenPGP.js wrote it and with the secret key mailseal exports (passphrase-protected), from
/// an import of the unprotected and of the protected key.
#[test]
fn openpgp_js_reads_what_mailseal_writes_with_its_curve448_key() {
    use base64::Engine as _;
    let Some(module) = openpgp_js() else {
        return;
    };
    let js = |name: &str| fixture(&format!("openpgpjs/{name}"));
    let dir = tempdir();
    let d = dir.path();
    let content = entity(448);
    let alg = Algorithms::default();
    let decrypt_in_js = |key: &[u8], passphrase: &str, message: &[u8]| {
        let (key_file, msg_file) = (d.join("key.asc"), d.join("message.asc"));
        std::fs::write(&key_file, key).unwrap();
        std::fs::write(&msg_file, message).unwrap();
        let (ok, out, err) = run_bytes(
            Command::new("node")
                .args(["--input-type=module", "-e", OPENPGP_JS_DECRYPT])
                .arg(&module)
                .arg(&key_file)
                .arg(passphrase)
                .arg(&msg_file),
            b"",
        );
        assert!(ok, "OpenPGP.js: {err}");
        let out: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let content = base64::engine::general_purpose::STANDARD
            .decode(out["content"].as_str().unwrap())
            .unwrap();
        (content, out["signer"].as_str().unwrap().to_uppercase())
    };
    for (file, passphrase) in [
        ("curve448.sec.asc", None),
        (
            "curve448-protected.sec.asc",
            Some("curve448 fixture passphrase"),
        ),
    ] {
        let mut ring = Keyring::new();
        let opts = ImportOptions {
            trusted: true,
            passphrase: passphrase.map(|p| zeroize::Zeroizing::new(p.to_string())),
        };
        let id = ring
            .import(js(file), &opts, NOW)
            .unwrap_or_else(|e| panic!("{file}: {e}"))[0]
            .id
            .clone();
        let mut r = rng();
        let mut ctx = write_ctx(&mut r, &alg);
        let to = ["olga@example.org".to_string()];
        let out = PGP
            .encrypt(
                &ring,
                &to,
                Some("olga@example.org"),
                content.clone(),
                &mut ctx,
            )
            .ready()
            .unwrap();
        let message = body_of(&split_parts(&out)[1]);
        let exported = ring
            .export_secret(&id, "export pass", &mut rng(), NOW)
            .unwrap();
        for (key, pass) in [(js("curve448.sec.asc"), ""), (&exported[..], "export pass")] {
            let (got, signer) = decrypt_in_js(key, pass, &message);
            assert_eq!(got, content, "{file}");
            // The signing key is the primary key: its key ID ends the fingerprint.
            assert!(
                id.ends_with(&signer),
                "{file}: signed by {signer}, not {id}"
            );
        }
    }
}

// --- whole messages: protect -> gpg and open ----------------------------------------------------

#[test]
fn protected_mail_decrypts_in_gpg_and_opens_in_mailseal() {
    use mailseal::{
        open, protect, Message as ProtectMessage, MethodChoice, OpenOptions, ProtectOptions,
    };
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let mut sender = ring(&["alice.sec", "bob.pub", "carol.pub"]);
    let raw = b"From: Alice <alice@example.org>\r\nTo: bob@example.org, carol@example.org\r\n\
        Subject: Ticket #4711\r\nDate: Tue, 01 Dec 2026 00:00:00 +0000\r\n\
        Message-ID: <t4711@example.org>\r\nMIME-Version: 1.0\r\n\
        Content-Type: text/plain; charset=utf-8\r\n\r\nThe ticket is resolved.\r\n";
    let mut opts = ProtectOptions::new(true, true, NOW);
    opts.method = MethodChoice::Pgp;
    let mut r = rng();
    let out = protect(
        &mut sender,
        &[&PGP],
        ProtectMessage::Raw(raw),
        &opts,
        &mut r,
    )
    .unwrap();
    assert_eq!(out.deliveries.len(), 1, "{:?}", out.warnings);
    let mime = &out.deliveries[0].mime;
    let text = String::from_utf8_lossy(mime);
    assert!(text.contains("multipart/encrypted"), "{text}");

    // gpg reads encrypted.asc: the signed inner entity with the protected Subject
    let start = text.find("-----BEGIN PGP MESSAGE-----").unwrap();
    let end = text.find("-----END PGP MESSAGE-----").unwrap() + 25;
    let file = gpg.file("encrypted.asc", text[start..end].as_bytes());
    let (ok, inner, err) = run_bytes(gpg.cmd().arg("--decrypt").arg(&file), b"");
    assert!(ok, "{err}");
    assert!(
        err.contains(&format!("[GNUPG:] VALIDSIG {}", fpr("alice"))),
        "{err}"
    );
    let inner = String::from_utf8_lossy(&inner);
    assert!(inner.contains("The ticket is resolved."), "{inner}");

    // and mailseal opens it for bob and for carol
    for who in ["bob", "carol"] {
        let mut reader = ring(&[&format!("{who}.sec"), "alice.pub"]);
        let o = open(&mut reader, &[&PGP], mime, &OpenOptions::at(NOW)).unwrap();
        assert_eq!(o.encryption.state, EncryptionState::Decrypted, "{who}");
        assert_eq!(o.signature.state, SignatureState::Valid, "{who}");
        assert_eq!(o.headers.subject.as_deref(), Some("Ticket #4711"));
        assert!(o.text.unwrap().contains("The ticket is resolved."));
    }
}

/// Keys of every algorithm gpg 2.2 generates, made now. RSA and the NIST curves work both
/// ways (gpg's sign+encrypt opens in mailseal, mailseal's in gpg). What rPGP cannot compute
/// with is refused in words, never a panic, an `internal` error or a false verdict: an old
/// DSA/ElGamal key, and an Ed25519 key with a Brainpool encryption subkey, are signing-only
/// keys whose signatures verify both ways and whose mail says why it cannot be decrypted;
/// Brainpool and secp256k1 primary keys are refused at import.
#[test]
fn gpg_keys_of_every_algorithm_work_both_ways() {
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let content = entity(22);
    let plain = gpg.file("entity.eml", &content);
    let ctx = ReadContext::at(NOW);
    let algs = Algorithms::default();
    let (mut made, mut refused) = (Vec::new(), Vec::new());
    for (sign, encr) in [
        ("rsa2048", "rsa2048"),
        ("nistp256", "nistp256"),
        ("nistp384", "nistp384"),
        ("nistp521", "nistp521"),
        ("dsa2048", "elg2048"),
        ("ed25519", "brainpoolP256r1"),
        ("secp256k1", "secp256k1"),
        ("brainpoolP256r1", "brainpoolP256r1"),
    ] {
        let addr = format!("{}-{}@example.org", sign, encr).to_lowercase();
        let uid = format!("Key <{addr}>");
        let (ok, _, err) = run_bytes(
            gpg.cmd()
                .args(["--quick-gen-key", &uid, sign, "sign", "never"]),
            b"",
        );
        assert!(ok, "{sign}: {err}");
        let fpr = created_key(&err);
        made.push(fpr.clone());
        let (ok, _, err) = run_bytes(
            gpg.cmd()
                .args(["--quick-add-key", &fpr, encr, "encr", "never"]),
            b"",
        );
        assert!(ok, "{encr}: {err}");
        let (ok, secret, err) =
            run_bytes(gpg.cmd().args(["--export-secret-keys", "-a", &fpr]), b"");
        assert!(ok, "{err}");
        let mut ring = Keyring::new();
        let verified = ImportOptions {
            trusted: true,
            ..ImportOptions::default()
        };
        let import = ring.import(&secret, &verified, NOW);
        if sign.starts_with("brainpool") || sign == "secp256k1" {
            let e = import.unwrap_err();
            assert_eq!(e.code(), ErrorCode::UnsupportedAlgorithm, "{e}");
            // The curve is named (it once said "(ECDSA)", which mailseal does support).
            assert!(e.message().contains(&format!("the {sign} curve")), "{e}");
            refused.push(fpr);
            continue;
        }
        let keys = import.unwrap_or_else(|e| panic!("{sign}: {e}"));
        let full = !["elg2048", "brainpoolP256r1"].contains(&encr);
        assert_eq!(keys.len(), 1);
        assert!(keys[0].can_sign, "{sign}");
        assert_eq!(keys[0].can_encrypt, full, "{sign}");

        // gpg → mailseal: sign + encrypt, and a detached signature
        let (ok, ct, err) = run_bytes(
            gpg.cmd()
                .args(["-s", "-e", "-u", &fpr, "-r", &fpr, "-o", "-"])
                .arg(&plain),
            b"",
        );
        assert!(ok, "{err}");
        let d = PGP.decrypt(&ring, &ct, &ctx).ready().unwrap();
        assert!(d.content.is_none() || full);
        if full {
            assert_eq!(d.report.state, EncryptionState::Decrypted, "{sign}");
            assert_eq!(d.content.as_deref().map(|c| &c[..]), Some(&content[..]));
            assert_eq!(d.signature.map(|s| s.state), Some(SignatureState::Valid));
        } else {
            assert_eq!(d.report.state, EncryptionState::Failed);
            let why = if encr == "elg2048" {
                "ElGamal"
            } else {
                "Brainpool"
            };
            let detail = d.report.detail.unwrap_or_default();
            assert!(detail.contains(why), "{encr}: {detail}");
        }
        let (ok, sig, err) = run_bytes(
            gpg.cmd()
                .args(["--detach-sign", "-a", "-u", &fpr, "-o", "-"])
                .arg(&plain),
            b"",
        );
        assert!(ok, "{err}");
        let v = PGP
            .verify_detached(&ring, &content, &sig, &ctx)
            .ready()
            .unwrap();
        assert_eq!(
            v.report.state,
            SignatureState::Valid,
            "{sign}: {:?}",
            v.report.detail
        );

        // mailseal → gpg: a detached signature, and sign + encrypt where it can encrypt
        let mut r = rng();
        let mut wctx = write_ctx(&mut r, &algs);
        let signed = PGP
            .sign(&ring, &addr, content.to_vec(), &mut wctx)
            .ready()
            .unwrap();
        let parts = split_parts(&signed);
        let data = gpg.file("signed.part", &parts[0]);
        let sig = gpg.file("signed.asc", &body_of(&parts[1]));
        let (ok, _, err) = run_bytes(gpg.cmd().arg("--verify").arg(&sig).arg(&data), b"");
        assert!(ok && err.contains("[GNUPG:] GOODSIG"), "{sign}: {err}");
        let to = [addr.clone()];
        let written = PGP.encrypt(&ring, &to, Some(&addr), content.to_vec(), &mut wctx);
        if full {
            let ct = body_of(&split_parts(&written.ready().unwrap())[1]);
            let (ok, pt, err) = run_bytes(gpg.cmd().args(["--decrypt", "-o", "-"]), &ct);
            assert!(ok && pt == content, "{sign}: {err}");
            assert!(err.contains("[GNUPG:] GOODSIG"), "{sign}: {err}");
        } else {
            let e = written.ready().unwrap_err();
            assert_eq!(e.code(), ErrorCode::RecipientKeyMissing, "{sign}: {e}");
        }
    }

    // All of them in one file (`gpg --export`, a team's keyring): the keys mailseal computes
    // with import, and each one left out is in the log as `import_skipped` with its reason.
    let (ok, all, err) = run_bytes(gpg.cmd().args(["--export", "-a"]).args(&made), b"");
    assert!(ok, "{err}");
    let mut ring = Keyring::new();
    let keys = ring.import(&all, &ImportOptions::default(), NOW).unwrap();
    assert_eq!(keys.len(), 6, "every key but the two refused");
    let mut skipped: Vec<String> = ring
        .recent_log()
        .iter()
        .filter(|e| e.action == "import_skipped")
        .inspect(|e| assert_eq!(e.code.as_deref(), Some("unsupported_algorithm")))
        .flat_map(|e| e.key_ids.clone())
        .collect();
    skipped.sort();
    refused.sort();
    assert_eq!(skipped, refused);
}

/// A recipient whose key accepts only AES-128 and 3DES (gpg `--default-preference-list`, as a
/// cautious or old setup has it): mailseal encrypts with AES-128, never outside the key's
/// preferences (RFC 9580 §5.2.3.14), and gpg decrypts. A key without such a limit gets AES-256.
#[test]
fn the_recipients_cipher_preferences_are_honoured() {
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let content = entity(31);
    let algs = Algorithms::default();
    let mut r = rng();
    for (prefs, expected) in [("AES 3DES SHA256 ZLIB", "7"), ("AES256 AES SHA256", "9")] {
        let addr = format!("prefs-{expected}@example.org");
        let (ok, _, err) = run_bytes(
            gpg.cmd().args([
                "--default-preference-list",
                prefs,
                "--quick-gen-key",
                &format!("Prefs <{addr}>"),
                "default",
                "default",
                "never",
            ]),
            b"",
        );
        assert!(ok, "{err}");
        let (ok, public, err) = run_bytes(gpg.cmd().args(["--export", "-a", &addr]), b"");
        assert!(ok, "{err}");
        let mut ring = Keyring::new();
        ring.import(&public, &ImportOptions::default(), NOW)
            .unwrap();
        let to = [addr.clone()];
        let written = PGP
            .encrypt(
                &ring,
                &to,
                None,
                content.to_vec(),
                &mut write_ctx(&mut r, &algs),
            )
            .ready()
            .unwrap();
        let ct = body_of(&split_parts(&written)[1]);
        let (ok, pt, err) = run_bytes(gpg.cmd().args(["--decrypt", "-o", "-"]), &ct);
        assert!(ok && pt == content, "{prefs}: {err}");
        // [GNUPG:] DECRYPTION_INFO <mdc method> <sym algo> <aead algo>: 7 = AES-128, 9 = AES-256
        assert!(
            err.contains(&format!("[GNUPG:] DECRYPTION_INFO 2 {expected} ")),
            "{prefs}: {err}"
        );
    }
}

/// Inline PGP with attachments as Enigmail and Mailvelope send it (issue 13): a
/// `multipart/mixed` whose first part is the armored, signed and encrypted text and whose
/// other parts are files, each signed and encrypted by gpg on its own (`name.pgp` binary,
/// `name.asc` armored). The files come out decrypted under their own names; a file sent
/// unencrypted beside them is kept, flagged, and keeps the signature from counting as valid.
#[test]
fn inline_pgp_with_encrypted_attachments_opens_every_file() {
    use base64::Engine as _;
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let encrypt = |data: &[u8], armor: bool| {
        let mut cmd = gpg.cmd();
        cmd.args([
            "-s",
            "-e",
            "-u",
            &fpr("alice"),
            "-r",
            &fpr("bob"),
            "-o",
            "-",
        ]);
        if armor {
            cmd.arg("-a");
        }
        let (ok, out, err) = run_bytes(&mut cmd, data);
        assert!(ok, "{err}");
        out
    };
    let text = encrypt(b"Hello Bob,\nthe report is attached.\n", true);
    let mut pdf = vec![0u8; 50_000];
    rng().fill_bytes(&mut pdf);
    let notes = b"meeting notes\n".to_vec();
    let pdf_pgp = encrypt(&pdf, false);
    let notes_asc = encrypt(&notes, true);
    let b64 = |d: &[u8]| base64::engine::general_purpose::STANDARD.encode(d);
    let file = |name: &str, ct: &str, body: String| {
        format!(
            "--mix\r\nContent-Type: {ct}; name=\"{name}\"\r\nContent-Disposition: attachment; \
             filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{body}\r\n"
        )
    };
    let mail = |extra: &str| {
        format!(
            "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: report\r\n\
             MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"mix\"\r\n\r\n\
             --mix\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}\r\n{}{}{extra}--mix--\r\n",
            String::from_utf8_lossy(&text).replace('\n', "\r\n"),
            file("report.pdf.pgp", "application/octet-stream", b64(&pdf_pgp)),
            file(
                "notes.txt.asc",
                "application/pgp-encrypted",
                b64(&notes_asc)
            ),
        )
        .into_bytes()
    };
    let mut ring = ring(&["bob.sec", "alice.pub"]);
    let opts = mailseal::OpenOptions::at(NOW);
    let engines: [&dyn Engine; 1] = [&PGP];

    let o = mailseal::open(&mut ring, &engines, &mail(""), &opts).unwrap();
    assert_eq!(o.encryption.state, EncryptionState::Decrypted);
    assert_eq!(
        o.signature.state,
        SignatureState::Valid,
        "{:?}",
        o.signature
    );
    assert!(o
        .text
        .as_deref()
        .unwrap()
        .contains("the report is attached"));
    let files: Vec<(&str, &[u8])> = o
        .attachments
        .iter()
        .map(|a| (a.filename.as_str(), a.data.as_slice()))
        .collect();
    assert_eq!(files, [("report.pdf", &pdf[..]), ("notes.txt", &notes[..])]);
    assert!(
        o.attachments.iter().all(|a| a.signed),
        "each signed by Alice"
    );
    assert!(o.warnings.is_empty(), "{:?}", o.warnings);

    // a file that was not encrypted: kept and flagged; the signature no longer covers all
    let plain = file("invoice.txt", "text/plain", b64(b"pay to account 1234\n"));
    let o = mailseal::open(&mut ring, &engines, &mail(&plain), &opts).unwrap();
    assert_eq!(o.encryption.state, EncryptionState::Decrypted);
    assert_ne!(o.signature.state, SignatureState::Valid);
    assert_eq!(o.attachments.len(), 3);
    assert_eq!(o.attachments[2].filename, "invoice.txt");
    // Per file, which ones the signature speaks for: the page labels the third unsigned.
    let signed: Vec<bool> = o.attachments.iter().map(|a| a.signed).collect();
    assert_eq!(signed, [true, true, false]);
    assert!(
        o.warnings
            .iter()
            .any(|w| w.message.contains("\"invoice.txt\" was not encrypted")),
        "{:?}",
        o.warnings
    );

    // a file Bob cannot decrypt (encrypted to carol only): kept as received, flagged
    let (ok, carol_only, err) = run_bytes(
        gpg.cmd().args(["-e", "-r", &fpr("carol"), "-o", "-"]),
        b"not for bob",
    );
    assert!(ok, "{err}");
    let other = file(
        "secret.bin.gpg",
        "application/octet-stream",
        b64(&carol_only),
    );
    let o = mailseal::open(&mut ring, &engines, &mail(&other), &opts).unwrap();
    assert_eq!(o.attachments[2].filename, "secret.bin.gpg");
    assert_eq!(o.attachments[2].data, carol_only);
    assert!(o
        .warnings
        .iter()
        .any(|w| w.message.contains("could not be decrypted")));
    assert_ne!(o.signature.state, SignatureState::Valid);
}

/// Enigmail's inline signed shape with files: a cleartext-signed text and each file with a
/// detached signature of its own beside it (`doc.pdf` + binary `doc.pdf.sig`, `notes.txt` +
/// armored `notes.txt.asc`, as `gpg --detach-sign` makes them). Each file is checked with its
/// signature file: signed by the text's signer, the message is signed as a whole and the
/// signature files are not listed; a file changed in transit is not signed, says so, and the
/// message is not valid.
#[test]
fn inline_signed_text_with_detached_file_signatures_verifies_each_file() {
    use base64::Engine as _;
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let sign = |args: &[&str], data: &[u8]| {
        let mut cmd = gpg.cmd();
        cmd.args(args).args(["-u", &fpr("alice"), "-o", "-"]);
        let (ok, out, err) = run_bytes(&mut cmd, data);
        assert!(ok, "{err}");
        out
    };
    let text = sign(&["--clearsign"], b"Hello Bob,\nthe report is attached.\n");
    let mut pdf = vec![0u8; 40_000];
    rng().fill_bytes(&mut pdf);
    let notes = b"meeting notes\n".to_vec();
    let pdf_sig = sign(&["--detach-sign"], &pdf);
    let notes_asc = sign(&["--detach-sign", "-a"], &notes);
    let b64 = |d: &[u8]| base64::engine::general_purpose::STANDARD.encode(d);
    let file = |name: &str, ct: &str, body: &[u8]| {
        format!(
            "--mix\r\nContent-Type: {ct}; name=\"{name}\"\r\nContent-Disposition: attachment; \
             filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
            b64(body)
        )
    };
    let mail = |pdf: &[u8]| {
        format!(
            "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: report\r\n\
             MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"mix\"\r\n\r\n\
             --mix\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}\r\n{}{}{}{}--mix--\r\n",
            String::from_utf8_lossy(&text).replace('\n', "\r\n"),
            file("doc.pdf", "application/pdf", pdf),
            file("doc.pdf.sig", "application/pgp-signature", &pdf_sig),
            file("notes.txt", "text/plain", &notes),
            file("notes.txt.asc", "application/pgp-signature", &notes_asc),
        )
        .into_bytes()
    };
    let mut ring = ring(&["bob.sec", "alice.pub"]);
    let opts = mailseal::OpenOptions::at(NOW);
    let engines: [&dyn Engine; 1] = [&PGP];
    let listed = |o: &mailseal::Opened| -> Vec<(String, bool)> {
        o.attachments
            .iter()
            .map(|a| (a.filename.clone(), a.signed))
            .collect()
    };

    let o = mailseal::open(&mut ring, &engines, &mail(&pdf), &opts).unwrap();
    assert_eq!(
        o.signature.state,
        SignatureState::Valid,
        "{:?}",
        o.signature
    );
    assert_eq!(
        listed(&o),
        [
            ("doc.pdf".to_string(), true),
            ("notes.txt".to_string(), true)
        ]
    );
    assert_eq!(o.attachments[0].data, pdf);
    assert!(o.warnings.is_empty(), "{:?}", o.warnings);

    // doc.pdf changed in transit: its own signature fails, the text's still holds
    let mut changed = pdf.clone();
    changed[1234] ^= 1;
    let o = mailseal::open(&mut ring, &engines, &mail(&changed), &opts).unwrap();
    assert_ne!(o.signature.state, SignatureState::Valid);
    assert_eq!(
        listed(&o),
        [
            ("doc.pdf".to_string(), false),
            ("notes.txt".to_string(), true)
        ]
    );
    assert!(
        o.warnings.iter().any(|w| w.code
            == mailseal::warning::WarningCode::AttachmentSignatureInvalid
            && w.message.contains("\"doc.pdf\"")),
        "{:?}",
        o.warnings
    );
}

/// Inline PGP as mail clients paste gpg's output into HTML mail (Gmail's `<div>` per line,
/// `<br>` with and without line ends, `<pre>`, Outlook's paragraphs with `&nbsp;`), text in a
/// legacy charset named by the part or by the armor, and blocks that cannot be read: each
/// opens with the verdict gpg would give, and unreadable ones show their text, unprotected.
#[test]
fn inline_pgp_in_html_legacy_charsets_and_unreadable_blocks() {
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let gpg_out = |args: &[&str], data: &[u8]| gpg_text(&gpg, args, data);
    let (alice, bob) = (fpr("alice"), fpr("bob"));
    let mut ring = ring(&["bob.sec", "alice.pub"]);
    let opts = mailseal::OpenOptions::at(NOW);
    let engines: [&dyn Engine; 1] = [&PGP];
    let mut open = |content_type: &str, body: &str| {
        let mail = format!(
            "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: t\r\n\
             MIME-Version: 1.0\r\nContent-Type: {content_type}\r\n\
             Content-Transfer-Encoding: 8bit\r\n\r\n{body}"
        );
        mailseal::open(&mut ring, &engines, mail.as_bytes(), &opts)
            .unwrap_or_else(|e| panic!("{content_type} {body}: {e}"))
    };
    let html_forms = |armor: &str| -> Vec<String> {
        let lines: Vec<&str> = armor.lines().collect();
        let map = |f: &dyn Fn(&str) -> String| lines.iter().map(|l| f(l)).collect::<String>();
        vec![
            map(&|l| format!("{l}<br>")),
            format!(
                "<div dir=\"ltr\">{}</div>",
                map(&|l| format!("{l}<br>\r\n"))
            ),
            map(&|l| {
                if l.is_empty() {
                    "<div><br></div>".to_string()
                } else {
                    format!("<div>{l}</div>")
                }
            }),
            format!(
                "<html><body><pre>{}</pre></body></html>",
                armor.replace('\n', "\r\n")
            ),
            format!(
                "<html><head><style>p.MsoNormal {{margin:0}}</style></head><body>{}</body></html>",
                map(&|l| {
                    let l = if l.is_empty() {
                        "&nbsp;".to_string()
                    } else {
                        l.replace('+', "&#43;")
                    };
                    format!("\r\n  <p class=MsoNormal>{l}<o:p></o:p></p>")
                })
            ),
        ]
    };

    let text = "Grüße aus Köln, 5 < 6 & 7 > 3\n";
    let encrypted = gpg_out(
        &["-s", "-e", "-a", "-u", &alice, "-r", &bob],
        text.as_bytes(),
    );
    let clearsigned = gpg_out(&["--clearsign", "-u", &alice], text.as_bytes());
    for html in html_forms(&encrypted) {
        let o = open("text/html; charset=utf-8", &html);
        assert_eq!(o.encryption.state, EncryptionState::Decrypted, "{html}");
        assert_eq!(o.signature.state, SignatureState::Valid, "{html}");
        assert_eq!(o.text.as_deref(), Some(text), "{html}");
    }
    for html in html_forms(&clearsigned.replace('<', "&lt;").replace('>', "&gt;")) {
        let o = open("text/html; charset=utf-8", &html);
        assert_eq!(
            o.signature.state,
            SignatureState::Valid,
            "{html}: {:?}",
            o.signature
        );
        // The cleartext framework signs the text without its last line end (RFC 9580 §7.2).
        assert_eq!(o.text.as_deref(), Some(text.trim_end()), "{html}");
    }

    // Latin-1 text encrypted as is (older Enigmail, gpg in a Latin-1 locale): the part's
    // charset, or the armor's Charset header, says how to read it.
    let latin1: Vec<u8> = "Grüße aus Köln\n".chars().map(|c| c as u8).collect();
    let encrypted = gpg_out(&["-s", "-e", "-a", "-u", &alice, "-r", &bob], &latin1);
    let o = open("text/plain; charset=iso-8859-1", &encrypted);
    assert_eq!(o.text.as_deref(), Some("Grüße aus Köln\n"));
    let with_header = encrypted.replacen(
        "-----BEGIN PGP MESSAGE-----\n",
        "-----BEGIN PGP MESSAGE-----\nCharset: ISO-8859-1\n",
        1,
    );
    let o = open("text/plain", &with_header);
    assert_eq!(o.signature.state, SignatureState::Valid);
    assert_eq!(o.text.as_deref(), Some("Grüße aus Köln\n"));

    // The label is not signed: it cannot make signed bytes read as other text (the OpenPGP
    // sweep). A UTF-7 label read `+ADEAMgAzADQ-` as "1234", UTF-16 turned the text into CJK,
    // and a Latin-1 label made UTF-8 text mojibake, all under `valid`.
    let text = "Preis: 100 € – bitte überweisen.\nKonto +ADEAMgAzADQ-\n";
    let signed = gpg_out(&["-s", "-a", "-u", &alice], text.as_bytes());
    let clearsigned = gpg_out(&["--clearsign", "-u", &alice], text.as_bytes());
    for label in ["utf-7", "UTF-16LE", "utf-32", "koi8-r", "iso-8859-1"] {
        let with_header = signed.replacen(
            "-----BEGIN PGP MESSAGE-----\n",
            &format!("-----BEGIN PGP MESSAGE-----\nCharset: {label}\n"),
            1,
        );
        for (content_type, body, shown) in [
            ("text/plain".to_string(), &with_header, text),
            (format!("text/plain; charset={label}"), &signed, text),
            (
                format!("text/plain; charset={label}"),
                &clearsigned,
                text.trim_end(),
            ),
        ] {
            let o = open(&content_type, body);
            assert_eq!(o.signature.state, SignatureState::Valid, "{label}");
            assert_eq!(o.text.as_deref(), Some(shown), "{label} {content_type}");
        }
    }
    // 7-bit Japanese mail (ISO-2022-JP) needs its label, and keeps it.
    let jis = b"\x1b$B$3$s$K$A$O\x1b(B\n";
    let signed = gpg_out(&["-s", "-a", "-u", &alice], jis);
    let o = open("text/plain; charset=iso-2022-jp", &signed);
    assert_eq!(o.signature.state, SignatureState::Valid);
    assert_eq!(o.text.as_deref(), Some("こんにちは\n"));

    // Blocks that cannot be read: the text is shown as received, never as signed.
    let lost = &clearsigned[..clearsigned.find("-----BEGIN PGP SIGNATURE").unwrap()];
    let cases = [
        ("text/plain; charset=utf-8", "Hi, I pasted it like this:\r\n-----BEGIN PGP MESSAGE-----\r\n...\r\n-----END PGP MESSAGE-----\r\nThanks\r\n".to_string()),
        ("text/plain; charset=utf-8", lost.replace('\n', "\r\n")),
        ("text/html; charset=utf-8", "<p>Like this:</p><pre>\r\n-----BEGIN PGP MESSAGE-----\r\n...\r\n-----END PGP MESSAGE-----\r\n</pre>".to_string()),
    ];
    for (content_type, body) in cases {
        let o = open(content_type, &body);
        assert_eq!(o.encryption.state, EncryptionState::None, "{body}");
        assert_eq!(o.signature.state, SignatureState::Invalid, "{body}");
        let shown = o.text.or(o.html).unwrap_or_default();
        assert!(shown.contains("-----BEGIN PGP"), "{body}: {shown}");
        assert!(o.attachments.is_empty(), "{:?}", o.attachments);
        assert!(
            o.warnings
                .iter()
                .any(|w| w.message.contains("could not be read")),
            "{:?}",
            o.warnings
        );
    }
}

/// Webmail with Mailvelope sends the armored block as a top-level multipart/alternative: the
/// same block as text/plain and as HTML. The HTML alternative is another rendering, not
/// unsigned text beside the block: `valid` and `whole`, as when the alternative sits in a
/// multipart/mixed. Before, the top-level form read `invalid`, `partial` (interop sweep of
/// 2026-12-07). An HTML alternative that says something else is still never shown.
#[test]
fn inline_pgp_in_a_top_level_alternative_is_the_whole_message() {
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let gpg_out = |args: &[&str], data: &[u8]| to_crlf_text(&gpg_text(&gpg, args, data));
    let (alice, bob) = (fpr("alice"), fpr("bob"));
    let mut ring = ring(&["bob.sec", "alice.pub"]);
    let opts = mailseal::OpenOptions::at(NOW);
    let engines: [&dyn Engine; 1] = [&PGP];
    let text = "Hi Bob, the genuine message from Alice.\n";
    let encrypted = gpg_out(
        &["-s", "-e", "-a", "-u", &alice, "-r", &bob],
        text.as_bytes(),
    );
    let clearsigned = gpg_out(&["--clearsign", "-u", &alice], text.as_bytes());
    for (armor, encrypted) in [(&encrypted, true), (&clearsigned, false)] {
        let html_of = |armor: &str| {
            let lines: Vec<&str> = armor.lines().collect();
            format!("<div dir=\"ltr\">{}<br></div>", lines.join("<br>\r\n"))
        };
        let forged_html = "<div>Pay 1000 EUR to account X.</div>".to_string();
        for html in [html_of(armor), forged_html] {
            let alternative = format!(
                "--ALT\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n{armor}\r\n\
                 --ALT\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n{html}\r\n--ALT--\r\n"
            );
            let top = format!(
                "Content-Type: multipart/alternative; boundary=\"ALT\"\r\n\r\n{alternative}"
            );
            let mixed = format!(
                "Content-Type: multipart/mixed; boundary=\"MIX\"\r\n\r\n--MIX\r\n\
                 Content-Type: multipart/alternative; boundary=\"ALT\"\r\n\r\n{alternative}\r\n--MIX--\r\n"
            );
            for body in [top, mixed] {
                let mail = format!(
                    "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: t\r\n\
                     MIME-Version: 1.0\r\n{body}"
                );
                let o = mailseal::open(&mut ring, &engines, mail.as_bytes(), &opts).unwrap();
                let what = format!("{body:.80}");
                if encrypted {
                    assert_eq!(o.encryption.state, EncryptionState::Decrypted, "{what}");
                }
                assert_eq!(
                    o.signature.state,
                    SignatureState::Valid,
                    "{what}: {:?}",
                    o.signature
                );
                assert_eq!(o.signature.scope, Some(mailseal::Scope::Whole), "{what}");
                assert_eq!(
                    o.text.as_deref().map(str::trim_end),
                    Some(text.trim_end()),
                    "{what}"
                );
                assert_eq!(o.html, None, "{what}");
                assert!(o.warnings.is_empty(), "{what}: {:?}", o.warnings);
            }
        }
    }
}

/// PGP/MIME as Microsoft Exchange delivers it (sweep 20): `multipart/mixed` of an empty text
/// part, the control part named "PGPMIME Versions Identification" and `encrypted.asc`, each in
/// base64. Thunderbird repairs this shape and so does mailseal: decrypted, `valid`, the text
/// shown. Before, the ciphertext was only an attachment. With words in the text part (text
/// beside the ciphertext) or a file more, it stays an ordinary multipart whose ciphertext is
/// never decrypted.
#[test]
fn pgp_mime_as_exchange_rewrites_it_opens() {
    use base64::Engine as _;
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let (alice, bob) = (fpr("alice"), fpr("bob"));
    let mut ring = ring(&["bob.sec", "alice.pub"]);
    let engines: [&dyn Engine; 1] = [&PGP];
    let inner = "Content-Type: text/plain; charset=utf-8\r\n\r\nSecret via Exchange\r\n";
    let armor = to_crlf_text(&gpg_text(
        &gpg,
        &["-s", "-e", "-a", "-u", &alice, "-r", &bob],
        inner.as_bytes(),
    ));
    let b64 = |data: &[u8]| {
        let encoded = base64::engine::general_purpose::STANDARD.encode(data);
        let lines: Vec<&str> = encoded
            .as_bytes()
            .chunks(76)
            .map(|l| std::str::from_utf8(l).unwrap())
            .collect();
        lines.join("\r\n")
    };
    let attachment = |ct: &str, name: &str, data: &[u8]| {
        format!(
            "--_003_MSEX\r\nContent-Type: {ct}; name=\"{name}\"\r\n\
             Content-Disposition: attachment; filename=\"{name}\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{}\r\n\r\n",
            b64(data)
        )
    };
    let control = attachment(
        "application/pgp-encrypted",
        "PGPMIME Versions Identification",
        b"Version: 1\r\n\r\n",
    );
    let payload = attachment(
        "application/octet-stream",
        "encrypted.asc",
        armor.as_bytes(),
    );
    let text = |words: &str| {
        format!(
            "--_003_MSEX\r\nContent-Type: text/plain; charset=\"us-ascii\"\r\n\
             Content-Transfer-Encoding: quoted-printable\r\n\r\n{words}\r\n\r\n"
        )
    };
    let mail = |parts: &[&str]| {
        format!(
            "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: t\r\n\
             MIME-Version: 1.0\r\nContent-Type: multipart/mixed;\r\n\tboundary=\"_003_MSEX\"\r\n\r\n\
             {}--_003_MSEX--\r\n",
            parts.concat()
        )
    };
    let opts = mailseal::OpenOptions::at(NOW);
    for parts in [
        vec![text("").as_str(), &control, &payload],
        vec![&control, &payload],
    ] {
        let o = mailseal::open(&mut ring, &engines, mail(&parts).as_bytes(), &opts).unwrap();
        assert_eq!(
            o.encryption.state,
            EncryptionState::Decrypted,
            "{:?}",
            o.encryption
        );
        assert_eq!(
            o.signature.state,
            SignatureState::Valid,
            "{:?}",
            o.signature
        );
        assert_eq!(o.signature.scope, Some(mailseal::Scope::Whole));
        assert_eq!(
            o.text.as_deref().map(str::trim_end),
            Some("Secret via Exchange")
        );
        assert!(o.attachments.is_empty(), "{:?}", o.attachments.len());
    }
    let file = attachment("application/pdf", "invoice.pdf", b"%PDF-1.4 unencrypted");
    for parts in [
        vec![text("Pay the invoice today.").as_str(), &control, &payload],
        vec![text("").as_str(), &control, &payload, &file],
    ] {
        let o = mailseal::open(&mut ring, &engines, mail(&parts).as_bytes(), &opts).unwrap();
        assert_eq!(o.encryption.state, EncryptionState::None);
        assert_eq!(o.signature.state, SignatureState::None);
        assert!(
            o.warnings
                .iter()
                .any(|w| w.code == mailseal::warning::WarningCode::NestedEncryptedPart),
            "{:?}",
            o.warnings
        );
    }
}

/// Old Mutt and the PGP plugins of old clients send the armored block as the whole body, typed
/// `application/pgp; format=text; x-action=sign|encryptsign` without a file name; Mutt and gpg
/// read it as text. mailseal showed no verdict and the body as "attachment.bin" (sweep 20);
/// now it reads as the same block in text/plain does.
#[test]
fn traditional_application_pgp_bodies_open() {
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let (alice, bob) = (fpr("alice"), fpr("bob"));
    let mut ring = ring(&["bob.sec", "alice.pub"]);
    let engines: [&dyn Engine; 1] = [&PGP];
    let text = "Written by a traditional client.\n";
    for (action, args) in [
        ("sign", vec!["--clearsign", "-u", alice.as_str()]),
        (
            "encryptsign",
            vec!["-s", "-e", "-a", "-u", &alice, "-r", &bob],
        ),
    ] {
        let armor = to_crlf_text(&gpg_text(&gpg, &args, text.as_bytes()));
        let mail = format!(
            "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: t\r\n\
             MIME-Version: 1.0\r\nContent-Type: application/pgp; format=text; x-action={action}\r\n\
             Content-Transfer-Encoding: 7bit\r\n\r\n{armor}"
        );
        let o = mailseal::open(
            &mut ring,
            &engines,
            mail.as_bytes(),
            &mailseal::OpenOptions::at(NOW),
        )
        .unwrap();
        let encrypted = action == "encryptsign";
        assert_eq!(
            o.encryption.state == EncryptionState::Decrypted,
            encrypted,
            "{action}"
        );
        assert_eq!(
            o.signature.state,
            SignatureState::Valid,
            "{action}: {:?}",
            o.signature
        );
        assert_eq!(o.signature.scope, Some(mailseal::Scope::Whole), "{action}");
        assert_eq!(
            o.text.as_deref().map(str::trim_end),
            Some(text.trim_end()),
            "{action}"
        );
        assert!(o.attachments.is_empty(), "{action}");
    }
}

/// The admin's readiness check lists a key whose encryption subkey ends within the warning
/// window while its primary key lives on (sweep 21: only the primary key's expiry was looked
/// at, so mail to the desk stopped being encryptable without notice). A key whose subkey
/// lives long is not listed.
#[test]
fn the_readiness_check_warns_of_a_subkey_about_to_expire() {
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    // Made a month before the tests' clock, with gpg's own clock set there.
    let at = ["--faked-system-time", "20261101T000000!"];
    let mut ring = Keyring::new();
    for (who, subkey_expiry) in [("dora", "2026-12-10"), ("erin", "2027-12-01")] {
        let uid = format!("{who} <{who}@example.org>");
        let (ok, _, err) = run_bytes(
            gpg.cmd()
                .args(at)
                .args(["--quick-gen-key", &uid, "ed25519", "sign", "never"]),
            b"",
        );
        assert!(ok, "{err}");
        let fpr = created_key(&err);
        let args = ["--quick-add-key", &fpr, "cv25519", "encr", subkey_expiry];
        let (ok, _, err) = run_bytes(gpg.cmd().args(at).args(args), b"");
        assert!(ok, "{err}");
        let (ok, secret, err) =
            run_bytes(gpg.cmd().args(["--export-secret-keys", "-a", &fpr]), b"");
        assert!(ok, "{err}");
        let verified = ImportOptions {
            trusted: true,
            ..ImportOptions::default()
        };
        ring.import(&secret, &verified, NOW).unwrap();
    }
    let addresses = [
        "dora@example.org".to_string(),
        "erin@example.org".to_string(),
    ];
    let r = mailseal::capabilities::check(
        &ring,
        &[&PGP],
        &mailseal::Policy::default(),
        &addresses,
        NOW,
    );
    let listed: Vec<&str> = r
        .expiring
        .iter()
        .flat_map(|k| k.emails.iter().map(String::as_str))
        .collect();
    assert_eq!(listed, ["dora@example.org"], "{:?}", r.expiring);
    let pgp = r.addresses[0]
        .methods
        .iter()
        .find(|m| m.method == mailseal::Method::Pgp);
    assert!(pgp.is_some_and(|m| m.can_decrypt), "{pgp:?}");
}

/// WKD as GnuPG computes it (issue 14): mailseal's advanced-method URL for an address is the one
/// `gpg-wks-client --print-wkd-url` prints, character for character, and the direct method
/// uses the same hash (`--print-wkd-hash`).
#[test]
fn wkd_urls_are_the_ones_gnupg_asks_for() {
    const WKS: &str = "/usr/lib/gnupg/gpg-wks-client";
    if !have(WKS) {
        return;
    }
    let ring = mailseal::Keyring::new();
    for address in [
        "alice@example.org",
        "Joe.Doe@Example.ORG",
        "first.last+ticket-9@support.example.co.uk",
        "o'brien@example.net",
    ] {
        let printed = |what: &str| {
            let (ok, out, err) = run_bytes(Command::new(WKS).args([what, address]), b"");
            assert!(ok, "{address}: {err}");
            String::from_utf8(out).unwrap().trim().to_string()
        };
        let requests = ring.lookup_requests(address, &[]).unwrap();
        assert_eq!(requests[0].url, printed("--print-wkd-url"), "{address}");
        let hash = printed("--print-wkd-hash");
        let hash = hash.split(' ').next().unwrap();
        assert!(
            requests[1]
                .url
                .contains(&format!("/.well-known/openpgpkey/hu/{hash}?l=")),
            "{address}: {}",
            requests[1].url
        );
    }
}

/// Thunderbird's protected headers (`protected-headers="v1"`) carry Subject, From, To and
/// Message-ID inside the encrypted part and leave Date, Cc and the threading fields outside.
/// The protected ones are shown (and listed as signed); the outer ones fill what the protected
/// section leaves out, unsigned (RFC 9788 §4.10), so the date and the reply thread stay.
#[test]
fn protected_headers_leave_date_and_threading_to_the_outer_header() {
    use mailseal::{open, OpenOptions};
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let inner = b"Content-Type: multipart/mixed; boundary=\"in\"; protected-headers=\"v1\"\r\n\
        Subject: Refund for order 77\r\nFrom: alice@example.org\r\nTo: bob@example.org\r\n\
        Message-ID: <inner@example.org>\r\n\r\n--in\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
        Please refund.\r\n--in--\r\n";
    let plain = gpg.file("inner.eml", inner);
    let (ok, ct, err) = run_bytes(
        gpg.cmd()
            .args([
                "-s",
                "-e",
                "-a",
                "-u",
                &fpr("alice"),
                "-r",
                &fpr("bob"),
                "-o",
                "-",
            ])
            .arg(&plain),
        b"",
    );
    assert!(ok, "{err}");
    let mut raw = b"From: alice@example.org\r\nTo: bob@example.org\r\nCc: carl@example.org\r\n\
        Subject: ...\r\nDate: Sat, 05 Dec 2026 09:00:00 +0000\r\n\
        Message-ID: <inner@example.org>\r\nIn-Reply-To: <prev@example.org>\r\n\
        References: <prev@example.org>\r\nMIME-Version: 1.0\r\n\
        Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"out\"\r\n\r\n\
        --out\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n\
        --out\r\nContent-Type: application/octet-stream; name=\"encrypted.asc\"\r\n\r\n"
        .to_vec();
    raw.extend_from_slice(&ct);
    raw.extend_from_slice(b"\r\n--out--\r\n");
    let mut reader = ring(&["bob.sec", "alice.pub"]);
    let o = open(&mut reader, &[&PGP], &raw, &OpenOptions::at(NOW)).unwrap();
    assert_eq!(
        o.signature.state,
        SignatureState::Valid,
        "{:?}",
        o.signature
    );
    let h = &o.headers;
    assert!(h.protected);
    assert_eq!(h.subject.as_deref(), Some("Refund for order 77"));
    assert_eq!(h.date.as_deref(), Some("2026-12-05T09:00:00Z"));
    assert_eq!(h.in_reply_to, ["prev@example.org"]);
    assert_eq!(h.references, ["prev@example.org"]);
    assert_eq!(h.cc.len(), 1);
    assert_eq!(h.signed_fields, ["subject", "from", "to", "message-id"]);
}

/// PGP/MIME whose signed part was signed as it stands, with bare LF line ends (a binary
/// `gpg --detach-sign` over an LF file, as some scripts send it, instead of RFC 3156's CRLF
/// form): gpg verifies those bytes, and so does mailseal (the bytes as received are tried
/// after the canonical form). The same signature over other bytes stays invalid.
#[test]
fn a_pgp_mime_part_signed_with_bare_line_feeds_verifies() {
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    // the part's bytes end before the line break of the next delimiter (RFC 2046 §5.1.1)
    let part = "Content-Type: text/plain\n\nHello world\nsecond line";
    let file = gpg.file("part.txt", part.as_bytes());
    let (ok, sig, err) = run_bytes(
        gpg.cmd()
            .args(["--detach-sign", "-a", "-u", &fpr("alice"), "-o", "-"])
            .arg(&file),
        b"",
    );
    assert!(ok, "{err}");
    let sig = String::from_utf8(sig).unwrap().replace("\r\n", "\n");
    let mail = |signed: &str| {
        format!(
            "From: alice@example.org\nTo: bob@example.org\nSubject: lf\nMIME-Version: 1.0\n\
             Content-Type: multipart/signed; micalg=pgp-sha256; \
             protocol=\"application/pgp-signature\"; boundary=\"b\"\n\n\
             --b\n{signed}\n--b\nContent-Type: application/pgp-signature\n\n{sig}\n--b--\n"
        )
    };
    let mut ring = ring(&["bob.sec", "alice.pub"]);
    let engines: [&dyn Engine; 1] = [&PGP];
    let opts = mailseal::OpenOptions::at(NOW);
    let o = mailseal::open(&mut ring, &engines, mail(part).as_bytes(), &opts).unwrap();
    assert_eq!(
        o.signature.state,
        SignatureState::Valid,
        "{:?}",
        o.signature
    );
    let changed = part.replace("second", "other");
    let o = mailseal::open(&mut ring, &engines, mail(&changed).as_bytes(), &opts).unwrap();
    assert_eq!(
        o.signature.state,
        SignatureState::Invalid,
        "{:?}",
        o.signature
    );
}

/// PGP/MIME triple wrap (RFC 3156 §6.1's signed-then-encrypted inside, a detached signature
/// around the `multipart/encrypted`), made by gpg: only the inner signer, the content's author,
/// is bound to From. Carol's signed text in an envelope Alice signed, From: Alice, is
/// `sender_mismatch`; with Alice inside too it is `valid` (interop sweep of 2026-12-07).
#[test]
fn in_a_pgp_triple_wrap_only_the_inner_signer_is_bound_to_from() {
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let mut ring = ring(&["bob.sec", "alice.pub", "carol.pub"]);
    let engines: [&dyn Engine; 1] = [&PGP];
    let opts = mailseal::OpenOptions::at(NOW);
    let text = b"Content-Type: text/plain\r\n\r\nPay 1000 EUR to account X.\r\n";
    for (author, verdict) in [
        ("carol", SignatureState::SenderMismatch),
        ("alice", SignatureState::Valid),
    ] {
        let inner = to_crlf_text(&gpg_text(
            &gpg,
            &["-s", "-e", "-a", "-u", &fpr(author), "-r", &fpr("bob")],
            text,
        ));
        let encrypted = format!(
            "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; \
             boundary=\"e\"\r\n\r\n--e\r\nContent-Type: application/pgp-encrypted\r\n\r\n\
             Version: 1\r\n\r\n--e\r\nContent-Type: application/octet-stream\r\n\r\n\
             {inner}\r\n--e--"
        );
        let sig = to_crlf_text(&gpg_text(
            &gpg,
            &["--detach-sign", "-a", "-u", &fpr("alice")],
            encrypted.as_bytes(),
        ));
        let mail = format!(
            "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: invoice\r\n\
             MIME-Version: 1.0\r\nContent-Type: multipart/signed; micalg=pgp-sha256; \
             protocol=\"application/pgp-signature\"; boundary=\"s\"\r\n\r\n--s\r\n\
             {encrypted}\r\n--s\r\nContent-Type: application/pgp-signature\r\n\r\n{sig}\r\n--s--\r\n"
        );
        let o = mailseal::open(&mut ring, &engines, mail.as_bytes(), &opts).unwrap();
        assert_eq!(o.encryption.state, EncryptionState::Decrypted, "{author}");
        assert_eq!(
            o.signature.state, verdict,
            "{author}: {:?}",
            o.signature.detail
        );
        let signer = o.signature.signer.as_ref().expect("a signer is named");
        assert_eq!(signer.emails, [format!("{author}@example.org")], "{author}");
    }
}

/// A key whose only signing subkey was revoked (gpg `--edit-key`, `revkey`) is still valid and
/// can be encrypted to; signing with it says that the signing subkey was revoked, not that the
/// key was (found by the interop sweep).
#[test]
fn a_revoked_signing_subkey_is_named_as_such() {
    if !have("gpg") {
        return;
    }
    let gpg = Gpg::with_keys(&[]);
    let uid = "Ian <ian@example.org>";
    let made = |args: &[&str]| {
        let (ok, _, err) = run_bytes(gpg.cmd().args(args), b"");
        assert!(ok, "{args:?}: {err}");
    };
    made(&["--quick-gen-key", uid, "ed25519", "cert", "never"]);
    let fprs = || {
        let (_, out, _) = run_bytes(
            gpg.cmd()
                .args(["--with-colons", "--list-keys", "ian@example.org"]),
            b"",
        );
        String::from_utf8(out)
            .unwrap()
            .lines()
            .filter_map(|l| l.strip_prefix("fpr:::::::::"))
            .map(|f| f.trim_end_matches(':').to_string())
            .collect::<Vec<_>>()
    };
    let primary = fprs()[0].clone();
    made(&["--quick-add-key", &primary, "ed25519", "sign", "never"]);
    made(&["--quick-add-key", &primary, "cv25519", "encr", "never"]);
    let signing = fprs()[1].clone();
    let script = format!("key {signing}\nrevkey\ny\n1\n\ny\nsave\n");
    let (ok, _, err) = run_bytes(
        gpg.cmd()
            .args(["--command-fd", "0", "--edit-key", &primary]),
        script.as_bytes(),
    );
    assert!(ok, "{err}");
    let (ok, secret, err) = run_bytes(
        gpg.cmd().args(["--export-secret-keys", "-a", &primary]),
        b"",
    );
    assert!(ok, "{err}");

    let mut ring = Keyring::new();
    let verified = ImportOptions {
        trusted: true,
        ..ImportOptions::default()
    };
    let keys = ring.import(&secret, &verified, NOW).unwrap();
    assert_eq!(keys[0].status, mailseal::KeyStatus::Valid);
    assert!(keys[0].can_encrypt && !keys[0].can_sign, "{:?}", keys[0]);
    assert!(PGP.encryption_key(&ring, "ian@example.org", NOW).is_ok());
    let refused = PGP.signing_key(&ring, "ian@example.org", NOW).unwrap_err();
    assert_eq!(refused.problem, mailseal::engine::KeyProblem::SubkeyRevoked);
    assert!(
        refused
            .detail()
            .contains("subkey it has for this has been revoked"),
        "{}",
        refused.detail()
    );
}

/// A key revoked by its designated revoker (gpg `addrevoker`, then `--desig-revoke` by the
/// revoker; RFC 9580 §5.2.3.23): revoked once the revocation verifies with the revoker's key
/// from the keyring, whatever the order they come in, and after sealing, as gpg shows it
/// `[revoked]`. Without the revoker's key the revocation cannot be checked and the key stays
/// valid (it was valid in every case, found by the interop sweep).
#[test]
fn a_revocation_by_the_designated_revoker_revokes_the_key() {
    if !have("gpg") {
        return;
    }
    let (revoker_home, hank_home) = (Gpg::with_keys(&[]), Gpg::with_keys(&[]));
    let ok = |g: &Gpg, args: &[&str], input: &[u8]| {
        let (ok, out, err) = run_bytes(g.cmd().args(["--command-fd", "0"]).args(args), input);
        assert!(ok, "{args:?}: {err}");
        out
    };
    let fpr_of = |g: &Gpg, who: &str| {
        let out = ok(g, &["--with-colons", "--list-keys", who], b"");
        let out = String::from_utf8(out).unwrap();
        let line = out.lines().find(|l| l.starts_with("fpr:")).unwrap();
        line.trim_end_matches(':')
            .rsplit(':')
            .next()
            .unwrap()
            .to_string()
    };
    ok(
        &revoker_home,
        &[
            "--quick-gen-key",
            "Revoker <revoker@example.org>",
            "ed25519",
            "sign,cert",
            "never",
        ],
        b"",
    );
    let revoker_fpr = fpr_of(&revoker_home, "revoker@example.org");
    let revoker = ok(&revoker_home, &["--export", "-a"], b"");
    ok(
        &hank_home,
        &[
            "--quick-gen-key",
            "Hank <hank@example.org>",
            "ed25519",
            "sign,cert",
            "never",
        ],
        b"",
    );
    let hank_fpr = fpr_of(&hank_home, "hank@example.org");
    ok(
        &hank_home,
        &["--quick-add-key", &hank_fpr, "cv25519", "encr", "never"],
        b"",
    );
    ok(&hank_home, &["--import"], &revoker);
    let script = format!("addrevoker\n{revoker_fpr}\ny\nsave\n");
    ok(&hank_home, &["--edit-key", &hank_fpr], script.as_bytes());
    // A second designated revoker, named an hour later in a direct-key signature of its own
    // (gpg `addrevoker` twice): the first one's revocation below still counts. Only the newest
    // signature's revoker did (found by the key sweep).
    let second_home = Gpg::with_keys(&[]);
    ok(
        &second_home,
        &[
            "--quick-gen-key",
            "Second <second@example.org>",
            "ed25519",
            "sign,cert",
            "never",
        ],
        b"",
    );
    let second_fpr = fpr_of(&second_home, "second@example.org");
    ok(
        &hank_home,
        &["--import"],
        &ok(&second_home, &["--export", "-a"], b""),
    );
    let script = format!("addrevoker\n{second_fpr}\ny\nsave\n");
    let (added, _, err) = run_bytes(
        hank_home
            .cmd()
            .args([
                "--faked-system-time",
                "20261201T010000!",
                "--command-fd",
                "0",
            ])
            .args(["--edit-key", &hank_fpr]),
        script.as_bytes(),
    );
    assert!(added, "second addrevoker: {err}");
    let hank = ok(&hank_home, &["--export", "-a", &hank_fpr], b"");
    let note = hank_home.file("note.txt", b"signed before the revocation\n");
    let (_, signed, _) = run_bytes(
        hank_home
            .cmd()
            .args(["-s", "-a", "-u", &hank_fpr, "-o", "-"])
            .arg(&note),
        b"",
    );
    ok(&revoker_home, &["--import"], &hank);
    let revocation = desig_revoke(&revoker_home, "20261201T000000!", &hank_fpr, "0");
    assert!(String::from_utf8_lossy(&revocation).contains("BEGIN PGP PUBLIC KEY BLOCK"));

    let verified = ImportOptions {
        trusted: true,
        ..ImportOptions::default()
    };
    let status = |ring: &Keyring| ring.get(&hank_fpr, NOW).unwrap().status;
    let revoked = |ring: &Keyring| {
        assert_eq!(status(ring), mailseal::KeyStatus::Revoked);
        let refused = PGP
            .encryption_key(ring, "hank@example.org", NOW)
            .unwrap_err();
        assert_eq!(refused.problem, mailseal::engine::KeyProblem::Revoked);
        let v = PGP
            .verify_opaque(ring, &signed, &ReadContext::at(NOW))
            .ready()
            .unwrap();
        assert_eq!(
            v.report.state,
            SignatureState::Revoked,
            "{:?}",
            v.report.detail
        );
    };

    // One file, as gpg exports the three.
    let mut all = revoker.clone();
    all.extend_from_slice(&hank);
    all.extend_from_slice(&revocation);
    let mut ring = Keyring::new();
    ring.import(&all, &verified, NOW).unwrap();
    revoked(&ring);

    // The key and its revocation first (gpg writes the revocation as the key with it):
    // kept, not counted, until the revoker's key comes.
    let mut ring = Keyring::new();
    ring.import(&hank, &verified, NOW).unwrap();
    ring.import(&revocation, &verified, NOW).unwrap();
    assert_eq!(status(&ring), mailseal::KeyStatus::Valid);
    ring.import(&revoker, &ImportOptions::default(), NOW)
        .unwrap();
    revoked(&ring);
    // and after sealing
    let key = [9u8; 32];
    let sealed = ring.seal_with_key(&key, &mut rng()).unwrap();
    revoked(&Keyring::unseal_with_key(&sealed, &key).unwrap());

    // Without the revoker's key nothing can check it: the key stays valid.
    let mut ring = Keyring::new();
    let mut two = hank.clone();
    two.extend_from_slice(&revocation);
    ring.import(&two, &verified, NOW).unwrap();
    assert_eq!(status(&ring), mailseal::KeyStatus::Valid);
}

/// A key revoked as superseded or retired (a soft revocation, RFC 9580 §5.2.3.31) still
/// vouches for what it signed before: gpg's own revocation certificates (`--gen-revoke`, the
/// reason asked for) over signatures gpg made before and after them. A hard revocation
/// (compromised, no reason) voids every signature, and wins over a soft one; a signing
/// subkey retired the same way keeps its earlier signatures too. Nothing is encrypted to a
/// retired key either way, and the standing survives sealing. (Every revoked key's
/// signatures read `revoked` before, however the owner had said it was retired.)
#[test]
fn a_key_retired_after_signing_keeps_its_earlier_signatures() {
    if !have("gpg") {
        return;
    }
    let gpg = Gpg::with_keys(&[]);
    let run = |day: u32, args: &[&str], input: &[u8]| gpg_in_november(&gpg, day, args, input);
    let (_, status) = run(
        1,
        &[
            "--quick-gen-key",
            "Rita <rita@example.org>",
            "ed25519",
            "sign,cert",
            "never",
        ],
        b"",
    );
    let rita = created_key(&status);
    let (_, status) = run(
        1,
        &[
            "--quick-gen-key",
            "Sam <sam@example.org>",
            "ed25519",
            "cert",
            "never",
        ],
        b"",
    );
    let sam = created_key(&status);
    run(
        1,
        &["--quick-add-key", &sam, "ed25519", "sign", "never"],
        b"",
    );
    let sign = |day: u32, who: &str| {
        let text = format!("Signed on day {day} of November by {who}.\r\n");
        let file = gpg.file(&format!("{who}-{day}.txt"), text.as_bytes());
        let file = file.to_str().unwrap();
        run(day, &["-s", "-a", "-u", who, "-o", "-", file], b"").0
    };
    let (rita_before, sam_before) = (sign(5, &rita), sign(5, &sam));
    let (rita_after, sam_after) = (sign(15, &rita), sign(15, &sam));
    let export = |who: &str| run(20, &["--export", "-a", who], b"").0;
    let rita_secret = run(20, &["--export-secret-keys", "-a", &rita], b"").0;
    // Rita's key revoked on the 10th, one home per reason (gpg's: 0 none, 1 compromised,
    // 2 superseded, 3 no longer used); each export is the key with its revocation.
    let revoked_as = |reason: &str| {
        let home = Gpg::with_keys(&[&rita_secret]);
        let script = format!("revkey\ny\n{reason}\n\ny\nsave\n");
        for args in [
            &["--command-fd", "0", "--edit-key", &rita][..],
            &["--export", "-a", &rita][..],
        ] {
            let (ok, out, err) = run_bytes(
                home.cmd()
                    .args(["--faked-system-time", &november(10)])
                    .args(args),
                script.as_bytes(),
            );
            assert!(ok, "{args:?}: {err}");
            if args[0] == "--export" {
                return out;
            }
        }
        unreachable!()
    };
    let (superseded, retired) = (revoked_as("2"), revoked_as("3"));
    let (compromised, no_reason) = (revoked_as("1"), revoked_as("0"));
    // Sam's signing subkey retired ("no longer used") on the 10th.
    let sam_sub = {
        let (out, _) = run(20, &["--with-colons", "--list-keys", &sam], b"");
        let out = String::from_utf8(out).unwrap();
        let fprs: Vec<&str> = out
            .lines()
            .filter_map(|l| l.strip_prefix("fpr:::::::::"))
            .collect();
        fprs[1].trim_end_matches(':').to_string()
    };
    run(
        10,
        &["--edit-key", &sam],
        format!("key {sam_sub}\nrevkey\ny\n3\n\ny\nsave\n").as_bytes(),
    );
    let sam_key = export(&sam);

    let verified = ImportOptions {
        trusted: true,
        ..ImportOptions::default()
    };
    let ring_of = |parts: &[&[u8]]| {
        let mut ring = Keyring::new();
        for part in parts {
            ring.import(part, &verified, NOW).unwrap();
        }
        ring
    };
    for soft in [&superseded, &retired] {
        let ring = ring_of(&[soft]);
        let keys = ring.list(NOW);
        assert_eq!(keys[0].status, mailseal::KeyStatus::Revoked, "{keys:?}");
        assert!(PGP.encryption_key(&ring, "rita@example.org", NOW).is_err());
        assert!(PGP.signing_key(&ring, "rita@example.org", NOW).is_err());
        let sealed = ring.seal_with_key(&[7u8; 32], &mut rng()).unwrap();
        for ring in [ring, Keyring::unseal_with_key(&sealed, &[7u8; 32]).unwrap()] {
            let (state, detail) = opaque_verdict(&ring, &rita_before);
            assert_eq!(state, SignatureState::Valid, "{detail}");
            assert!(
                detail.contains("before its owner retired the key"),
                "{detail}"
            );
            assert_eq!(
                opaque_verdict(&ring, &rita_after).0,
                SignatureState::Revoked
            );
        }
    }
    for hard in [
        vec![&compromised],
        vec![&no_reason],
        vec![&superseded, &compromised],
        vec![&compromised, &retired],
    ] {
        let parts: Vec<&[u8]> = hard.iter().map(|p| p.as_slice()).collect();
        let ring = ring_of(&parts);
        assert_eq!(
            opaque_verdict(&ring, &rita_before).0,
            SignatureState::Revoked
        );
        assert_eq!(
            opaque_verdict(&ring, &rita_after).0,
            SignatureState::Revoked
        );
    }
    let ring = ring_of(&[&sam_key]);
    assert_eq!(ring.list(NOW)[0].status, mailseal::KeyStatus::Valid);
    assert!(!ring.list(NOW)[0].can_sign);
    let (state, detail) = opaque_verdict(&ring, &sam_before);
    assert_eq!(state, SignatureState::Valid, "{detail}");
    assert!(
        detail.contains("before its owner retired the key"),
        "{detail}"
    );
    assert_eq!(opaque_verdict(&ring, &sam_after).0, SignatureState::Revoked);
}

/// A designated revoker's revocation that retires the key (RFC 9580 §5.2.3.23 and §5.2.3.31:
/// gpg `--desig-revoke`, reason "no longer used") is as soft as the owner's own: what the key
/// signed before it stays valid, what it signed after reads `revoked`, nothing is encrypted to
/// it. A hard one by the same revoker voids both.
#[test]
fn a_designated_revokers_soft_revocation_keeps_earlier_signatures() {
    if !have("gpg") {
        return;
    }
    let gpg = Gpg::with_keys(&[]);
    let run = |day: u32, args: &[&str], input: &[u8]| gpg_in_november(&gpg, day, args, input);
    let new_key = |name: &str| {
        let uid = format!("{name} <{}@example.org>", name.to_lowercase());
        created_key(
            &run(
                1,
                &["--quick-gen-key", &uid, "ed25519", "sign,cert", "never"],
                b"",
            )
            .1,
        )
    };
    let (revoker, ivy) = (new_key("Revoker"), new_key("Ivy"));
    run(
        1,
        &["--edit-key", &ivy],
        format!("addrevoker\n{revoker}\ny\nsave\n").as_bytes(),
    );
    let sign = |day: u32| {
        let file = gpg.file(
            &format!("ivy-{day}.txt"),
            format!("Day {day}.\r\n").as_bytes(),
        );
        run(
            day,
            &["-s", "-a", "-u", &ivy, "-o", "-", file.to_str().unwrap()],
            b"",
        )
        .0
    };
    let (before, after) = (sign(5), sign(15));
    let revoked_as = |reason: &str| desig_revoke(&gpg, &november(10), &ivy, reason);
    let (retired, compromised) = (revoked_as("3"), revoked_as("1"));
    let export = |who: &str| run(20, &["--export", "-a", who], b"").0;
    let (revoker_key, ivy_key) = (export(&revoker), export(&ivy));

    let verified = ImportOptions {
        trusted: true,
        ..ImportOptions::default()
    };
    let ring_with = |revocation: &[u8]| {
        let mut ring = Keyring::new();
        for part in [&revoker_key[..], &ivy_key, revocation] {
            ring.import(part, &verified, NOW).unwrap();
        }
        ring
    };
    let ring = ring_with(&retired);
    assert_eq!(
        ring.get(&ivy, NOW).unwrap().status,
        mailseal::KeyStatus::Revoked
    );
    assert!(PGP.encryption_key(&ring, "ivy@example.org", NOW).is_err());
    let (state, detail) = opaque_verdict(&ring, &before);
    assert_eq!(state, SignatureState::Valid, "{detail}");
    assert!(detail.contains("retired the key"), "{detail}");
    assert_eq!(opaque_verdict(&ring, &after).0, SignatureState::Revoked);

    let ring = ring_with(&compromised);
    assert_eq!(opaque_verdict(&ring, &before).0, SignatureState::Revoked);
    assert_eq!(opaque_verdict(&ring, &after).0, SignatureState::Revoked);
}

/// "Johnny, you are fired" (ID attacks) through a key refresh: the holder of a verified key
/// adds a User ID with someone else's address, and the desk imports his updated key the
/// ordinary way (by hand, a refresh or a lookup do the same merge). What the admin verified is
/// the key with the User IDs it had: the new one is not taken, so mail he signs as that
/// address is not `valid`. The admin's trusted import of the same key takes it (found by the
/// verdict sweep: it was `valid`).
#[test]
fn a_verified_key_gains_no_user_id_from_an_unverified_copy() {
    if !have("gpg") {
        return;
    }
    let carol = fpr("carol");
    let gpg = Gpg::with_keys(&[fixture("openpgp/carol.sec.asc")]);
    let gpg_out = |args: &[&str], input: &[u8]| {
        let (ok, out, err) = run_bytes(gpg.cmd().args(args), input);
        assert!(ok, "gpg {args:?}: {err}");
        out
    };
    gpg_out(
        &["--quick-add-uid", &carol, "Alice <alice@example.org>"],
        b"",
    );
    let updated = gpg_out(&["--armor", "--export", &carol], b"");
    let signed = gpg_out(
        &["--clearsign", "-u", &carol, "-o", "-"],
        b"Please wire the refund to the new account today.\n",
    );
    let mail = format!(
        "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: refund\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n{}",
        String::from_utf8_lossy(&signed).replace('\n', "\r\n")
    );
    let emails = |ring: &Keyring| {
        ring.list(NOW)
            .into_iter()
            .find(|k| k.id == carol)
            .map(|k| (k.emails, k.trusted))
            .unwrap()
    };
    let opts = mailseal::OpenOptions::at(NOW);
    let engines: [&dyn Engine; 1] = [&PGP];

    // every key verified by the admin; then carol's updated key arrives unverified
    let mut ring = ring(&["bob.sec", "alice.pub", "carol.pub"]);
    ring.import(&updated, &ImportOptions::default(), NOW)
        .unwrap();
    assert_eq!(
        emails(&ring),
        (vec!["carol@example.org".to_string()], true),
        "the verified key keeps the User IDs it was verified with"
    );
    let o = mailseal::open(&mut ring, &engines, mail.as_bytes(), &opts).unwrap();
    assert_eq!(
        o.signature.state,
        SignatureState::SenderMismatch,
        "{:?}",
        o.signature
    );

    // the admin imports the updated key as verified: the new User ID is the admin's call
    let verified = ImportOptions {
        trusted: true,
        ..ImportOptions::default()
    };
    ring.import(&updated, &verified, NOW).unwrap();
    assert!(emails(&ring).0.contains(&"alice@example.org".to_string()));

    // an unverified key takes new User IDs as before (it is not trusted for any of them)
    let mut plain = Keyring::new();
    plain
        .import(
            fixture("openpgp/carol.pub.asc"),
            &ImportOptions::default(),
            NOW,
        )
        .unwrap();
    plain
        .import(&updated, &ImportOptions::default(), NOW)
        .unwrap();
    assert_eq!(emails(&plain).0.len(), 2);
    assert!(!emails(&plain).1);
}

/// An Ed25519 key (supported) with a newer signing subkey on secp256k1 or brainpoolP256r1
/// (which mailseal does not compute with), made by gpg, which signs with the newest signing
/// subkey. Its good signatures read "The PGP signature is invalid." (secp256k1: about half of
/// them, k256 refusing libgcrypt's high S), as if tampered with (key import sweep). Now each
/// names the curve and says the signature cannot be checked, every time.
#[test]
fn signatures_by_a_subkey_on_an_unsupported_curve_say_so() {
    if !have("gpg") {
        return;
    }
    let entity = f("entity.eml");
    for curve in ["secp256k1", "brainpoolP256r1"] {
        let gpg = Gpg::empty();
        let made = |args: &[&str]| {
            let (ok, out, err) = run_bytes(
                gpg.cmd()
                    .args(["--faked-system-time", "20260601T000000!"])
                    .args(args),
                b"",
            );
            assert!(ok, "{args:?}: {err}");
            out
        };
        made(&[
            "--quick-gen-key",
            "Kurt <kurt@example.org>",
            "ed25519",
            "cert",
            "never",
        ]);
        let listing = String::from_utf8(made(&["--with-colons", "--list-keys"])).unwrap();
        let primary = listing
            .lines()
            .find(|l| l.starts_with("fpr:"))
            .and_then(|l| l.split(':').nth(9))
            .unwrap()
            .to_string();
        made(&[
            "--quick-add-key",
            &primary,
            &format!("{curve}/ecdsa"),
            "sign",
            "never",
        ]);
        let public = made(&["--export", "-a", &primary]);
        let data = gpg.file("entity.eml", entity);
        let mut ring = mailseal::Keyring::new();
        let verified = ImportOptions {
            trusted: true,
            ..Default::default()
        };
        ring.import(&public, &verified, NOW).unwrap();
        for _ in 0..4 {
            let sig = made(&["--detach-sign", "-a", "-o", "-", data.to_str().unwrap()]);
            let report = PGP
                .verify_detached(&ring, entity, &sig, &ReadContext::at(NOW))
                .ready()
                .unwrap()
                .report;
            assert_eq!(report.state, SignatureState::Invalid, "{curve}");
            let detail = report.detail.unwrap_or_default();
            assert!(
                detail.contains(&format!("on the {curve} curve"))
                    && detail.contains("cannot be checked"),
                "{curve}: {detail}"
            );
        }
    }
}

/// Decrypting in the payload's own buffer (what `open` does with a PGP/MIME message it owns,
/// issue 12's peak memory) gives what decrypting from copies gives: the report, the content
/// byte for byte and the signature verdict, for what gpg writes armored: old and new ciphers,
/// compressed or not, signed or not, from a file (fixed lengths) and from a pipe (partial
/// lengths, joined in place), hidden recipients where a key that is not the one is tried
/// first (RSA's implicit rejection gives it a session key that fails the MDC, and the body
/// must be put back for the next key), a damaged message and one for nobody in the keyring.
/// Uncompressed content is left where it was decrypted, so the test also shows the in-place
/// way was taken.
#[test]
fn decrypting_in_place_and_from_copies_agree() {
    use mailseal::engine::Plaintext;
    if !have("gpg") {
        return;
    }
    let files = ["alice.sec", "bob.sec", "old.pub"];
    let gpg = Gpg::with_keys(&files.map(|file| f(&format!("{file}.asc"))));
    let content = entity(41);
    let plain = gpg.file("entity.eml", &content);
    let ctx = ReadContext::at(NOW);
    let (alice, bob, old) = (fpr("alice"), fpr("bob"), fpr("old"));
    let to_bob = ["-r", bob.as_str()];
    let signed = ["-s", "-u", alice.as_str()];
    let hidden = ["--throw-keyids", "-r", old.as_str(), "-r", alice.as_str()];
    let cases: [(&[&str], &str, &[&str]); 9] = [
        (&to_bob, "none", &["AES256"]),
        (&to_bob, "none", &["AES128"]),
        (&[&to_bob[..], &signed].concat(), "none", &["AES256"]),
        (&[&to_bob[..], &signed].concat(), "zlib", &["AES256"]),
        (&to_bob, "none", &["CAST5"]),
        (&[&to_bob[..], &signed].concat(), "none", &["3DES"]),
        (&to_bob, "zip", &["TWOFISH"]),
        (&hidden, "none", &["AES256"]),
        (&["-r", alice.as_str()], "none", &["CAMELLIA256"]),
    ];
    let rings = [
        ring(&["bob.sec", "alice.pub"]),
        ring(&["alice.sec", "old.sec"]),
        ring(&["carol.sec"]),
    ];
    let mut in_place_seen = 0;
    for (args, compress, cipher) in cases {
        for piped in [false, true] {
            let mut cmd = gpg.cmd();
            cmd.args([
                "-a",
                "-e",
                "--compress-algo",
                compress,
                "--cipher-algo",
                cipher[0],
            ])
            .args(args)
            .args(["-o", "-"]);
            let input: &[u8] = if piped {
                &content
            } else {
                cmd.arg(&plain);
                b""
            };
            let (ok, ct, err) = run_bytes(&mut cmd, input);
            assert!(ok, "{args:?} {compress} {cipher:?}: {err}");
            let mut damaged = ct.clone();
            let at = damaged.len() / 2;
            damaged[at] = if damaged[at] == b'A' { b'B' } else { b'A' };
            for (message, ring) in [(&ct, &rings[0]), (&ct, &rings[1]), (&ct, &rings[2])]
                .into_iter()
                .chain([(&damaged, &rings[0]), (&damaged, &rings[1])])
            {
                let case = format!("{args:?} {compress} {cipher:?} piped {piped}");
                let copied = PGP.decrypt(ring, message, &ctx).ready();
                let mut buffer = message.clone();
                let in_place = PGP.decrypt_in_place(ring, &mut buffer, &ctx).ready();
                let (copied, in_place) = match (copied, in_place) {
                    (Ok(c), Ok(i)) => (c, i),
                    (Err(c), Err(i)) => {
                        assert_eq!(c.code(), i.code(), "{case}");
                        continue;
                    }
                    (c, i) => panic!("{case}: {:?} / {:?}", c.err(), i.err()),
                };
                let (report, signature) = (
                    serde_json::to_value(&copied.report).unwrap(),
                    serde_json::to_value(&copied.signature).unwrap(),
                );
                assert_eq!(
                    report,
                    serde_json::to_value(&in_place.report).unwrap(),
                    "{case}"
                );
                assert_eq!(
                    signature,
                    serde_json::to_value(&in_place.signature).unwrap(),
                    "{case}"
                );
                let content_in_place = in_place.content.map(|c| match c {
                    Plaintext::InPlace(range) => {
                        in_place_seen += 1;
                        buffer[range].to_vec()
                    }
                    Plaintext::Owned(bytes) => bytes.to_vec(),
                });
                assert_eq!(
                    copied.content.as_deref().map(|c| &c[..]),
                    content_in_place.as_deref(),
                    "{case}"
                );
                if copied.report.state == EncryptionState::Decrypted {
                    assert_eq!(
                        copied.content.as_deref().map(|c| &c[..]),
                        Some(&content[..])
                    );
                }
            }
        }
    }
    // Each uncompressed message opened by its reader, in place: 7 cases, file and pipe.
    assert_eq!(in_place_seen, 14);
}

/// `open` of a PGP/MIME message it owns (what the wasm module and the CLI hand over) decrypts
/// it in the message's own buffer; a borrowed one is opened from copies. Both give the same
/// report, text and attachments for gpg's armored messages (signed or not, compressed or not,
/// from a pipe), a damaged one, one for nobody in the keyring and a part that is no OpenPGP
/// message; and the owned buffer holds the opened content, not the armor, afterwards.
#[test]
fn opening_pgp_mime_in_place_and_from_a_borrowed_message_agree() {
    if !have("gpg") {
        return;
    }
    let gpg = gpg();
    let content = entity(42);
    let (alice, bob) = (fpr("alice"), fpr("bob"));
    let wrap = |armored: &[u8]| {
        let mut m =
            b"From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: in place\r\n\
            MIME-Version: 1.0\r\nContent-Type: multipart/encrypted; \
            protocol=\"application/pgp-encrypted\"; boundary=\"b\"\r\n\r\n--b\r\n\
            Content-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n--b\r\n\
            Content-Type: application/octet-stream; name=\"encrypted.asc\"\r\n\r\n"
                .to_vec();
        m.extend_from_slice(armored);
        m.extend_from_slice(b"\r\n--b--\r\n");
        m
    };
    let mut messages = Vec::new();
    for (signed, compress) in [(true, "none"), (false, "none"), (true, "zlib")] {
        let mut cmd = gpg.cmd();
        cmd.args(["-a", "-e", "-r", &bob, "--compress-algo", compress]);
        if signed {
            cmd.args(["-s", "-u", &alice]);
        }
        let (ok, ct, err) = run_bytes(cmd.args(["-o", "-"]), &content);
        assert!(ok, "{err}");
        let mut damaged = ct.clone();
        let at = damaged.len() / 2;
        damaged[at] = if damaged[at] == b'A' { b'B' } else { b'A' };
        messages.push(wrap(&ct));
        messages.push(wrap(&damaged));
    }
    // Base64 of bytes that are no OpenPGP packets.
    messages.push(wrap(
        b"-----BEGIN PGP MESSAGE-----\r\n\r\nVGhpcyBpcyBubyBPcGVuUEdQIG1lc3NhZ2Uu\r\n-----END PGP MESSAGE-----",
    ));
    let opts = OpenOptions::at(NOW);
    let json = |o: &mailseal::Result<Opened>| match o {
        Ok(o) => serde_json::to_value(o).unwrap(),
        Err(e) => serde_json::Value::String(e.to_string()),
    };
    for (i, message) in messages.iter().enumerate() {
        for reader in [&["bob.sec", "alice.pub"][..], &["carol.sec"]] {
            let mut keys = ring(reader);
            let (borrowed, _) = mailseal::open_async(&keys, &[&PGP], message, &opts).ready();
            let owned = mailseal::open_owned(&mut keys, &[&PGP], message.clone(), &opts);
            assert_eq!(json(&borrowed), json(&owned), "message {i} for {reader:?}");
            let o = borrowed.unwrap();
            let expected = match (i, reader.len()) {
                (6, _) => EncryptionState::Failed,
                (_, 1) => EncryptionState::NoKey,
                (i, _) if i % 2 == 1 => EncryptionState::Failed,
                _ => EncryptionState::Decrypted,
            };
            assert_eq!(o.encryption.state, expected, "message {i} for {reader:?}");
            if expected == EncryptionState::Decrypted {
                assert_eq!(o.attachments.len(), 1, "message {i}");
            } else {
                assert!(o.attachments.is_empty() && o.text.is_none(), "message {i}");
            }
        }
    }
}
