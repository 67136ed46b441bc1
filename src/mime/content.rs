//! The readable content of an entity for the report: text, HTML, attachments, and the text
//! to quote in a reply.
//!
//! What is shown follows RFC 2046: in `multipart/alternative` (§5.1.4) only the chosen
//! alternatives are read (the last `text/plain` one for `text`, the last rich one for
//! `html`); every other alternative is hidden and contributes nothing, not even
//! attachments. `multipart/related` (RFC 2387) shows its root, other parts are resources.
//! Cryptographic parts below the top level (EFAIL) are attachments, never text: an
//! `application/pkcs7-mime` part, a `multipart/encrypted`, or a text part holding an
//! armored OpenPGP message. Parts that only repeat protected headers for old clients
//! (RFC 9788 §4.5.3 Legacy Display, `text/rfc822-headers`) are dropped when the headers are
//! protected.
//!
//! `quote_for_reply` is the displayed plain text; when only HTML is shown, a text rendering
//! of it (tags dropped). Line ends in returned text are `\n`.

use core::ops::Range;

use super::detect::{find_armor, html_to_text};
use super::headers::is_protected_root;
use super::parse::{MimeTree, Part, PartId};
use crate::report::Scope;

/// Most nested walking; the tree itself is already bounded by [`super::Limits`].
const MAX_WALK: usize = 64;

/// An attachment as the agent sees it.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The file name (decoded), or a generic one (`attachment-N.bin`, `message.eml`, ...).
    pub filename: String,
    /// Its `type/subtype`.
    pub content_type: String,
    /// The bytes, transfer-decoded.
    pub data: Vec<u8>,
    /// The part it came from.
    pub part: PartId,
}

impl core::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Attachment")
            .field("content_type", &self.content_type)
            .field("len", &self.data.len())
            .field("part", &self.part)
            .finish()
    }
}

/// The readable content of an entity.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Readable {
    /// The displayed plain text (several inline text parts joined by a blank line).
    pub text: Option<String>,
    /// The displayed HTML.
    pub html: Option<String>,
    /// Attachments (and inline resources, and nested cryptographic parts, unopened).
    pub attachments: Vec<Attachment>,
    /// The displayed text only, for quoting in a reply.
    pub quote_for_reply: String,
    /// The input ranges of every part that contributed to what is shown.
    pub shown: Vec<(PartId, Range<usize>)>,
}

impl core::fmt::Debug for Readable {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Readable")
            .field("text_len", &self.text.as_ref().map(String::len))
            .field("html_len", &self.html.as_ref().map(String::len))
            .field("attachments", &self.attachments)
            .field("shown", &self.shown)
            .finish()
    }
}

impl Readable {
    /// Whether everything shown lies inside `signed` (a range of the same input):
    /// [`Scope::Whole`], else [`Scope::Partial`].
    pub fn scope(&self, signed: &Range<usize>) -> Scope {
        let inside = self
            .shown
            .iter()
            .all(|(_, r)| r.start >= signed.start && r.end <= signed.end);
        if inside {
            Scope::Whole
        } else {
            Scope::Partial
        }
    }
}

/// Reads what an agent sees in `tree`.
pub fn readable(tree: &MimeTree<'_>) -> Readable {
    collect(tree, None, false)
}

/// [`readable`] of a tree that is not needed afterwards: the attachments' decoded bodies are
/// moved out of it, not copied (a large attachment is not held twice at the end of `open`:
/// issue 12's peak memory). `show_armor_in`: a text part shown even though it holds what looks
/// like an armored OpenPGP message (`open` found that block unreadable, so it is just text).
pub(crate) fn readable_taking(tree: &mut MimeTree<'_>, show_armor_in: Option<PartId>) -> Readable {
    let mut r = collect(tree, show_armor_in, true);
    for i in 0..r.attachments.len() {
        let part = r.attachments[i].part;
        if tree.part(part).is_some_and(|p| p.is_multipart()) {
            continue;
        }
        // A part listed twice (never expected) gets a copy of its first listing.
        r.attachments[i].data = match r.attachments[..i].iter().find(|a| a.part == part) {
            Some(first) => first.data.clone(),
            None => tree.take_body(part),
        };
    }
    r
}

/// `defer_bodies`: a non-multipart attachment's `data` is left empty, for the caller to move
/// its body in ([`readable_taking`]).
fn collect(tree: &MimeTree<'_>, show_armor_in: Option<PartId>, defer_bodies: bool) -> Readable {
    let mut r = Collector {
        tree,
        out: Readable::default(),
        texts: Vec::new(),
        htmls: Vec::new(),
        protected: is_protected_root(tree.root()),
        show_armor_in,
        defer_bodies,
    };
    r.walk(0, 0);
    let Collector {
        mut out,
        texts,
        htmls,
        ..
    } = r;
    if !texts.is_empty() {
        out.text = Some(texts.join("\n\n"));
    }
    if !htmls.is_empty() {
        out.html = Some(htmls.join("\n"));
    }
    out.quote_for_reply = match (&out.text, &out.html) {
        (Some(t), _) => t.clone(),
        (None, Some(h)) => lf(&html_to_text(h)),
        (None, None) => String::new(),
    };
    out
}

struct Collector<'t, 'a> {
    tree: &'t MimeTree<'a>,
    out: Readable,
    texts: Vec<String>,
    htmls: Vec<String>,
    protected: bool,
    show_armor_in: Option<PartId>,
    defer_bodies: bool,
}

impl Collector<'_, '_> {
    fn walk(&mut self, id: PartId, depth: usize) {
        let Some(part) = self.tree.part(id) else {
            return;
        };
        if depth > MAX_WALK {
            return;
        }
        let mime = part.content_type.mime.as_str();
        if part.is_multipart() {
            match mime {
                "multipart/alternative" => self.alternative(part, depth),
                "multipart/related" => self.related(part, depth),
                "multipart/signed" => {
                    // Not verified here (nested): show the content, not the signature.
                    if let Some(&first) = part.children.first() {
                        self.walk(first, depth + 1);
                    }
                }
                "multipart/encrypted" => self.attach(part, "encrypted.asc"),
                _ => {
                    for &c in &part.children {
                        self.walk(c, depth + 1);
                    }
                }
            }
            return;
        }
        if self.protected && is_legacy_display(part) {
            return;
        }
        let pkcs7 = matches!(mime, "application/pkcs7-mime" | "application/x-pkcs7-mime");
        if pkcs7 {
            self.attach(part, "smime.p7m");
            return;
        }
        if part.is_attachment() || part.filename.is_some() && !mime.starts_with("text/") {
            self.attach(part, "attachment.bin");
            return;
        }
        match mime {
            "text/plain" | "text/html"
                if self.show_armor_in != Some(part.id)
                    && find_armor(&part.body).is_some_and(|(_, s)| !s) =>
            {
                // A nested OpenPGP message: never decrypted, never quoted.
                self.attach(part, "encrypted.asc");
            }
            "text/plain" => {
                let mut text = lf(part.text.as_deref().unwrap_or_default());
                if self.protected && has_legacy_display(part) {
                    text = without_legacy_display(&text);
                    if text.trim().is_empty() {
                        return;
                    }
                }
                let flowed = part
                    .content_type
                    .param("format")
                    .is_some_and(|f| f.trim().eq_ignore_ascii_case("flowed"));
                let delsp = part
                    .content_type
                    .param("delsp")
                    .is_some_and(|d| d.trim().eq_ignore_ascii_case("yes"));
                self.texts.push(if flowed {
                    super::flowed::unflow(&text, delsp)
                } else {
                    text
                });
                self.show(part);
                // A text file sent inline (`server.log`): shown, and listed under its name.
                if part
                    .filename
                    .as_deref()
                    .is_some_and(|f| !safe_filename(f).is_empty())
                {
                    self.attach(part, "attachment.txt");
                }
            }
            "text/html" => {
                let mut html = lf(part.text.as_deref().unwrap_or_default());
                if self.protected && has_legacy_display(part) {
                    html = without_legacy_display_html(&html);
                }
                self.htmls.push(html);
                self.show(part);
            }
            "message/rfc822" | "message/global" => self.attach(part, "message.eml"),
            "text/calendar" => self.attach(part, "invite.ics"),
            _ => self.attach(part, "attachment.bin"),
        }
    }

    /// RFC 2046 §5.1.4: the last alternative of each kind is the one shown.
    fn alternative(&mut self, part: &Part, depth: usize) {
        let kids: Vec<&Part> = part
            .children
            .iter()
            .filter_map(|&c| self.tree.part(c))
            .collect();
        // An alternative that is signed on its own (a nested multipart/signed) counts as what
        // it signs: it was dropped as neither plain nor rich.
        let plain = kids.iter().rev().find(|p| {
            let c = self.signed_content(p);
            c.content_type.is("text/plain") && !c.is_attachment()
        });
        let rich = kids.iter().rev().find(|p| {
            let c = self.signed_content(p);
            c.content_type.is("text/html")
                || c.content_type.is("multipart/related")
                || c.content_type.is("multipart/mixed")
        });
        // A meeting request (Outlook: text, HTML and `text/calendar; method=REQUEST` as
        // alternatives) is the message's point: the invitation is listed too, not dropped.
        let invites: Vec<PartId> = kids
            .iter()
            .map(|p| self.signed_content(p))
            .filter(|c| c.content_type.is("text/calendar"))
            .map(|c| c.id)
            .collect();
        let tree = self.tree;
        // (alone, it is the alternative walked below)
        let shown_besides = plain.is_some() || rich.is_some();
        for invite in invites.into_iter().filter_map(|id| tree.part(id)) {
            if shown_besides {
                self.attach(invite, "invite.ics");
            }
        }
        match (plain, rich) {
            (Some(p), Some(r)) => {
                // Text from the plain alternative, HTML (and its resources) from the rich one.
                let texts_before = self.texts.len();
                self.walk(r.id, depth + 1);
                // Text parts inside the rich alternative are not what a text reader shows.
                self.texts.truncate(texts_before);
                self.walk(p.id, depth + 1);
            }
            (Some(p), None) => self.walk(p.id, depth + 1),
            (None, Some(r)) => self.walk(r.id, depth + 1),
            (None, None) => {
                if let Some(last) = kids.last() {
                    self.walk(last.id, depth + 1);
                }
            }
        }
    }

    /// The content a nested `multipart/signed` part signs (its first part, through nested
    /// ones); any other part itself.
    fn signed_content<'p>(&'p self, mut part: &'p Part<'p>) -> &'p Part<'p> {
        for _ in 0..MAX_WALK {
            if !part.content_type.is("multipart/signed") {
                break;
            }
            match part.children.first().and_then(|&c| self.tree.part(c)) {
                Some(first) => part = first,
                None => break,
            }
        }
        part
    }

    /// RFC 2387: the root (the `start` part, else the first) is shown, the rest are
    /// resources it refers to.
    fn related(&mut self, part: &Part, depth: usize) {
        let start = part.content_type.param("start").map(|s| {
            s.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string()
        });
        let root = start
            .and_then(|cid| {
                part.children.iter().copied().find(|&c| {
                    self.tree
                        .header_values(c, "content-id")
                        .iter()
                        .any(|v| v.trim_start_matches('<').trim_end_matches('>') == cid)
                })
            })
            .or_else(|| part.children.first().copied());
        for &c in &part.children {
            if Some(c) == root {
                self.walk(c, depth + 1);
            } else if let Some(p) = self.tree.part(c) {
                self.attach(p, "inline.bin");
            }
        }
    }

    fn attach(&mut self, part: &Part, default_name: &str) {
        let filename = part
            .filename
            .as_deref()
            .map(safe_filename)
            .filter(|f| !f.is_empty())
            .unwrap_or_else(|| default_name.to_string());
        let data = if part.is_multipart() {
            self.tree.part_bytes(part.id).to_vec()
        } else if self.defer_bodies {
            Vec::new()
        } else {
            part.body.to_vec()
        };
        self.out.attachments.push(Attachment {
            filename,
            content_type: part.content_type.mime.clone(),
            data,
            part: part.id,
        });
        self.show(part);
    }

    fn show(&mut self, part: &Part) {
        self.out.shown.push((part.id, part.range.clone()));
    }
}

/// Memory Hole's `text/rfc822-headers` and the older forms below: parts that only repeat
/// the protected headers.
fn is_legacy_display(part: &Part) -> bool {
    part.content_type.is("text/rfc822-headers")
        // Enigmail and Thunderbird before RFC 9788 (draft-autocrypt-lamps-protected-headers):
        // a text/plain part marked `protected-headers="v1"` that repeats the Subject. Only
        // when it holds nothing but header lines, so no text of the message is ever hidden.
        || (part.content_type.is("text/plain")
            && part.content_type.param("protected-headers").is_some()
            && part
                .text
                .as_deref()
                .unwrap_or_default()
                .lines()
                .filter(|l| !l.trim().is_empty())
                .all(is_header_line))
}

/// RFC 9788 §4.5.3: a body part marked `hp-legacy-display="1"` begins with a Legacy Display
/// Element, the protected header fields repeated for clients without header protection.
fn has_legacy_display(part: &Part) -> bool {
    part.content_type
        .param("hp-legacy-display")
        .is_some_and(|v| v.trim() == "1")
}

/// `text` without its leading Legacy Display Element: the header lines up to the first blank
/// line, and that line. Unchanged when those lines are not all header lines, so that no text
/// of the message is ever hidden.
fn without_legacy_display(text: &str) -> String {
    let Some((element, rest)) = text.split_once("\n\n") else {
        return if text.lines().all(is_header_line) {
            String::new()
        } else {
            text.to_string()
        };
    };
    let lines: Vec<&str> = element.lines().collect();
    if !lines.is_empty() && lines.iter().all(|l| is_header_line(l)) {
        rest.to_string()
    } else {
        text.to_string()
    }
}

/// `html` without its Legacy Display Element (RFC 9788 §4.5.3.2: the first
/// `<div class="header-protection-legacy-display">`, which holds no other element).
fn without_legacy_display_html(html: &str) -> String {
    const CLASS: &str = "class=\"header-protection-legacy-display\"";
    let Some(at) = html.find(CLASS) else {
        return html.to_string();
    };
    let (Some(start), Some(end)) = (html[..at].rfind("<div"), html[at..].find("</div>")) else {
        return html.to_string();
    };
    let end = at + end + "</div>".len();
    if html[start..end].matches("<div").count() != 1 {
        return html.to_string();
    }
    format!("{}{}", &html[..start], &html[end..])
}

/// `Name: value`, the name made of the characters RFC 5322 §2.2 allows.
fn is_header_line(line: &str) -> bool {
    line.split_once(':').is_some_and(|(name, _)| {
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic() && b != b':')
    })
}

fn lf(s: &str) -> String {
    s.replace("\r\n", "\n")
}

/// An attachment's file name as it may be shown and saved: the last path component only (RFC
/// 2183 §2.3: a receiver must not follow a sender's directories: `../../etc/passwd`,
/// `C:\x\y.exe`), without control characters and without the invisible formatting
/// characters that reorder or hide text (bidi overrides and isolates, marks, zero-width:
/// `invoice<U+202E>fdp.exe` shows as "invoiceexe.pdf"; Unicode TR #36), trimmed. Empty when
/// nothing is left.
pub fn safe_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    base.chars()
        .filter(|&c| {
            !c.is_control()
                && !matches!(
                    c,
                    '\u{200B}'..='\u{200F}'
                        | '\u{202A}'..='\u{202E}'
                        | '\u{2060}'..='\u{2069}'
                        | '\u{061C}'
                        | '\u{FEFF}'
                )
        })
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mime::parse::Limits;

    fn read(raw: &str) -> Readable {
        let tree = MimeTree::parse(raw.as_bytes(), &Limits::default()).unwrap();
        readable(&tree)
    }

    /// RFC 9788: a payload marked `hp="cipher"` has protected headers; its Legacy Display
    /// Elements (a part of their own, or prepended to the body part, in text and in HTML) are
    /// not shown, and text that is not one is never hidden.
    #[test]
    fn rfc9788_legacy_display_elements_are_not_shown() {
        let raw = "Content-Type: multipart/mixed; boundary=\"HP\"; hp=\"cipher\"\r\n\
                   Subject: Real subject\r\n\r\n--HP\r\n\
                   Content-Type: text/plain; charset=UTF-8; hp-legacy-display=\"1\"\r\n\r\n\
                   Subject: Real subject\r\n\r\n--HP\r\n\
                   Content-Type: text/plain; charset=UTF-8; hp-legacy-display=\"1\"\r\n\r\n\
                   Subject: Real subject\r\nTo: bob@example.com\r\n\r\nThe real body.\r\n--HP\r\n\
                   Content-Type: text/plain; hp-legacy-display=\"1\"\r\n\r\n\
                   Note: not a header block\r\nbecause this line is text.\r\n\r\nKept.\r\n--HP\r\n\
                   Content-Type: text/html; hp-legacy-display=\"1\"\r\n\r\n\
                   <div class=\"header-protection-legacy-display\"><pre>Subject: Real subject</pre>\
                   </div><p>Real HTML.</p>\r\n--HP--\r\n";
        let r = read(raw);
        let text = r.text.unwrap();
        assert_eq!(
            text,
            "The real body.\n\nNote: not a header block\nbecause this line is text.\n\nKept."
        );
        assert_eq!(r.html.as_deref(), Some("<p>Real HTML.</p>"));
        // Without the marker on the payload nothing is taken for a Legacy Display Element.
        let r = read(&raw.replace("; hp=\"cipher\"", ""));
        assert!(r.text.unwrap().starts_with("Subject: Real subject"));
    }

    #[test]
    fn format_flowed_text_is_shown_and_quoted_as_paragraphs() {
        let r = read(
            "Content-Type: text/plain; charset=utf-8; format=flowed; delsp=no\r\n\r\n\
             Hello Bob, this line was \r\nwrapped by the client.\r\n> quoted \r\n> too\r\n",
        );
        let expected = "Hello Bob, this line was wrapped by the client.\n> quoted too\n";
        assert_eq!(r.text.as_deref(), Some(expected));
        assert_eq!(r.quote_for_reply, expected);
        let fixed = read("Content-Type: text/plain\r\n\r\nsoft \r\nbreak\r\n");
        assert_eq!(
            fixed.text.as_deref(),
            Some("soft \nbreak\n"),
            "only when flowed"
        );
    }

    #[test]
    fn enigmails_legacy_display_part_is_dropped_when_it_only_repeats_headers() {
        let mail = |legacy: &str| {
            format!(
                "Content-Type: multipart/mixed; boundary=\"PH\"; protected-headers=\"v1\"\r\n\
                 Subject: Secret\r\n\r\n--PH\r\nContent-Type: text/plain; charset=UTF-8; \
                 protected-headers=\"v1\"\r\nContent-Disposition: inline\r\n\r\n{legacy}\r\n\
                 --PH\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nBody text\r\n--PH--\r\n"
            )
        };
        let r = read(&mail("Subject: Secret\r\n"));
        assert_eq!(r.text.as_deref(), Some("Body text"));
        // A part with more than headers in it is text of the message: shown.
        let r = read(&mail("Subject: Secret\r\n\r\nPlease pay now.\r\n"));
        assert!(r.text.unwrap().contains("Please pay now."));
    }

    /// An alternative signed on its own (Apple Mail, some gateways) is shown as what it signs
    /// (shown as unsigned by `open`'s partial scope; here only that it is not lost).
    #[test]
    fn signed_alternatives_are_not_dropped() {
        let signed = |inner: &str| {
            format!(
                "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; \
                 boundary=s\r\n\r\n--s\r\n{inner}\r\n--s\r\n\
                 Content-Type: application/pkcs7-signature\r\n\r\nAAAA\r\n--s--\r\n"
            )
        };
        let alt = |a: &str, b: &str| {
            format!(
                "Content-Type: multipart/alternative; boundary=a\r\n\r\n--a\r\n{a}\r\n\
                 --a\r\n{b}\r\n--a--\r\n"
            )
        };
        let html = signed("Content-Type: text/html\r\n\r\n<p>signed html</p>");
        let r = read(&alt("Content-Type: text/plain\r\n\r\nplain", &html));
        assert_eq!(r.text.as_deref(), Some("plain"));
        assert_eq!(r.html.as_deref(), Some("<p>signed html</p>"));
        let text = signed("Content-Type: text/plain\r\n\r\nsigned text");
        let r = read(&alt(&text, "Content-Type: text/html\r\n\r\n<p>html</p>"));
        assert_eq!(r.text.as_deref(), Some("signed text"));
        assert_eq!(r.html.as_deref(), Some("<p>html</p>"));
    }

    #[test]
    fn alternative_shows_last_plain_and_html_only() {
        let r = read("Content-Type: multipart/alternative; boundary=a\r\n\r\n--a\r\nContent-Type: text/plain\r\n\r\nhidden\r\n--a\r\nContent-Type: text/plain\r\n\r\nshown text\r\n--a\r\nContent-Type: text/html\r\n\r\n<p>shown <b>html</b></p>\r\n--a--\r\n");
        assert_eq!(r.text.as_deref(), Some("shown text"));
        assert_eq!(r.html.as_deref(), Some("<p>shown <b>html</b></p>"));
        assert_eq!(r.quote_for_reply, "shown text");
        assert!(r.attachments.is_empty());
    }

    #[test]
    fn html_only_quotes_its_text_rendering() {
        let r =
            read("Content-Type: text/html\r\n\r\n<p>Hello <b>there</b></p><script>x</script>\r\n");
        assert!(r.text.is_none());
        assert!(
            r.quote_for_reply.contains("Hello there"),
            "{:?}",
            r.quote_for_reply
        );
        assert!(!r.quote_for_reply.contains('<'));
    }

    #[test]
    fn nested_ciphertexts_are_attachments_not_text() {
        let r = read("Content-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nvisible\r\n--m\r\nContent-Type: text/plain\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n\r\nhQ\r\n-----END PGP MESSAGE-----\r\n--m\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--m\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"a.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--m--\r\n");
        assert_eq!(r.text.as_deref(), Some("visible"));
        assert_eq!(r.quote_for_reply, "visible");
        let names: Vec<&str> = r.attachments.iter().map(|a| a.filename.as_str()).collect();
        assert_eq!(names, ["encrypted.asc", "smime.p7m", "a.pdf"]);
        assert_eq!(r.attachments[2].data, b"%PDF-");
    }

    #[test]
    fn scope_is_partial_when_something_shown_is_outside() {
        let raw = "Content-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nsigned\r\n--m\r\nContent-Type: text/plain\r\n\r\nfooter\r\n--m--\r\n";
        let tree = MimeTree::parse(raw.as_bytes(), &Limits::default()).unwrap();
        let r = readable(&tree);
        assert_eq!(r.scope(&tree.part(1).unwrap().range), Scope::Partial);
        assert_eq!(r.scope(&tree.root().range), Scope::Whole);
    }

    #[test]
    fn legacy_display_dropped_when_protected() {
        let raw = "Content-Type: multipart/mixed; boundary=m; protected-headers=v1\r\nSubject: s\r\n\r\n--m\r\nContent-Type: text/plain; hp-legacy-display=1\r\n\r\nSubject: s\r\n--m\r\nContent-Type: text/plain\r\n\r\nbody\r\n--m--\r\n";
        let r = read(raw);
        assert_eq!(r.text.as_deref(), Some("body"));
    }

    #[test]
    fn related_root_and_resources() {
        let r = read("Content-Type: multipart/related; boundary=r\r\n\r\n--r\r\nContent-Type: text/html\r\n\r\n<img src=cid:i1>\r\n--r\r\nContent-Type: image/png\r\nContent-ID: <i1>\r\nContent-Transfer-Encoding: base64\r\n\r\niVBO\r\n--r--\r\n");
        assert_eq!(r.html.as_deref(), Some("<img src=cid:i1>"));
        assert_eq!(r.attachments.len(), 1);
        assert_eq!(r.attachments[0].content_type, "image/png");
    }
}
