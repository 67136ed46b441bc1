//! The lines of an HTML body as a mail client renders them, for armored OpenPGP that a client
//! pasted into HTML mail (Gmail's `<div>` per line, `<br>` with or without source line ends,
//! `<pre>`, Outlook's `<p class=MsoNormal>`).
//!
//! mail-parser's `html_to_text` is made for showing a body and collapses the blank lines
//! and line starts an armored block needs, so the rendering rules here are the ones that
//! matter for lines (HTML Living Standard, "rendered text"): `<br>` ends a line, a block
//! element starts and ends one unless already at a line start, whitespace collapses outside
//! `<pre>`, `<head>` / `<style>` / `<script>` and comments show nothing, and character
//! references are decoded. Trailing whitespace on a line is dropped: neither armor nor a
//! cleartext signature (RFC 9580 §7.2) counts it.

/// Elements that start and end a line of their own.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "pre",
    "tr",
    "li",
    "ul",
    "ol",
    "table",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "body",
    "html",
    "center",
    "section",
    "article",
];

/// Elements whose content is never shown.
const HIDDEN: &[&str] = &["head", "style", "script", "title"];

/// The text of `html`, line by line with LF line ends.
pub(crate) fn html_lines(html: &[u8]) -> Vec<u8> {
    let lower = html.to_ascii_lowercase();
    // Without any line-breaking markup the source is read as preformatted (a body that is
    // text with a tag or two); with it, source line ends are whitespace like any other.
    let markup_breaks = [&b"<br"[..], b"<p", b"<div", b"<tr", b"<li"]
        .iter()
        .any(|t| crate::bytes::find(&lower, t).is_some());
    let mut out = Lines::default();
    let mut pre = 0usize;
    let mut i = 0;
    while let Some(&b) = html.get(i) {
        match b {
            b'<' if lower[i..].starts_with(b"<!--") => {
                i = crate::bytes::find(&html[i + 4..], b"-->")
                    .map_or(html.len(), |e| i + 4 + e + 3);
            }
            b'<' => {
                let Some(len) = html[i..].iter().position(|c| *c == b'>') else {
                    break;
                };
                let tag = &lower[i + 1..i + len];
                let closing = tag.starts_with(b"/");
                let name_bytes = tag
                    .strip_prefix(b"/")
                    .unwrap_or(tag)
                    .split(|c| c.is_ascii_whitespace() || *c == b'/')
                    .next()
                    .unwrap_or_default();
                let name = std::str::from_utf8(name_bytes).unwrap_or_default();
                i += len + 1;
                if HIDDEN.contains(&name) && !closing && !tag.ends_with(b"/") {
                    // Skip to the matching end tag.
                    let end = format!("</{name}");
                    i = crate::bytes::find(&lower[i..], end.as_bytes()).map_or(html.len(), |e| {
                        let at = i + e;
                        lower[at..]
                            .iter()
                            .position(|c| *c == b'>')
                            .map_or(html.len(), |g| at + g + 1)
                    });
                } else if name == "br" {
                    out.end_line();
                } else if BLOCKS.contains(&name) {
                    out.break_line();
                    if name == "pre" {
                        pre = if closing {
                            pre.saturating_sub(1)
                        } else {
                            pre + 1
                        };
                    }
                }
            }
            b'&' => {
                let (ch, used) = character_reference(&html[i..]).unwrap_or(('&', 1));
                out.push_char(ch);
                i += used;
            }
            b'\r' => i += 1,
            b'\n' if pre > 0 || !markup_breaks => {
                out.end_line();
                i += 1;
            }
            b' ' | b'\t' | b'\n' if pre == 0 && markup_breaks => {
                out.space();
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    out.finish()
}

/// Rendered lines being written: collapsible spaces are held until a character follows them
/// on the same line.
#[derive(Default)]
struct Lines {
    text: Vec<u8>,
    space: bool,
}

impl Lines {
    fn at_line_start(&self) -> bool {
        self.text.last().is_none_or(|b| *b == b'\n')
    }

    fn push(&mut self, b: u8) {
        if std::mem::take(&mut self.space) && !self.at_line_start() {
            self.text.push(b' ');
        }
        self.text.push(b);
    }

    fn push_char(&mut self, ch: char) {
        let mut buf = [0u8; 4];
        for &b in ch.encode_utf8(&mut buf).as_bytes() {
            self.push(b);
        }
    }

    fn space(&mut self) {
        self.space = true;
    }

    /// `<br>`, or a line end inside `<pre>`: always a line end.
    fn end_line(&mut self) {
        self.space = false;
        while self.text.last().is_some_and(|b| *b == b' ' || *b == b'\t') {
            self.text.pop();
        }
        self.text.push(b'\n');
    }

    /// A block's start or end: a line end unless the line is empty.
    fn break_line(&mut self) {
        if !self.at_line_start() {
            self.end_line();
        }
        self.space = false;
    }

    fn finish(mut self) -> Vec<u8> {
        self.break_line();
        self.text
    }
}

/// The character a reference at the start of `s` (`&lt;`, `&#43;`, `&#x2B;`) stands for, and
/// the bytes it takes; `None` when it is not one (the `&` is then text).
fn character_reference(s: &[u8]) -> Option<(char, usize)> {
    let len = s.iter().take(12).position(|c| *c == b';')?;
    let name = std::str::from_utf8(s.get(1..len)?).ok()?;
    let ch = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        n => {
            let code = match n.strip_prefix("#x").or_else(|| n.strip_prefix("#X")) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.strip_prefix('#')?.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((ch, len + 1))
}

#[cfg(test)]
mod tests {
    use super::html_lines;

    fn lines(html: &str) -> String {
        String::from_utf8(html_lines(html.as_bytes())).unwrap()
    }

    const WANT: &str = "-----BEGIN PGP MESSAGE-----\n\nhQEMA+x\n=abcd\n-----END PGP MESSAGE-----\n";

    #[test]
    fn the_forms_mail_clients_write_give_the_same_lines() {
        let forms = [
            // <br> without source line ends
            "-----BEGIN PGP MESSAGE-----<br><br>hQEMA+x<br>=abcd<br>-----END PGP MESSAGE-----",
            // <br> with CRLF after each
            "<div dir=\"ltr\">-----BEGIN PGP MESSAGE-----<br>\r\n<br>\r\nhQEMA+x<br>\r\n=abcd<br>\r\n-----END PGP MESSAGE-----<br></div>\r\n",
            // Gmail: a div per line, <div><br></div> for an empty one
            "<div>-----BEGIN PGP MESSAGE-----</div><div><br></div><div>hQEMA+x</div><div>=abcd</div><div>-----END PGP MESSAGE-----</div>",
            // <pre>, with a head that shows nothing
            "<html><head><style>p { margin: 0 }</style></head><body><pre>-----BEGIN PGP MESSAGE-----\r\n\r\nhQEMA+x\r\n=abcd\r\n-----END PGP MESSAGE-----\r\n</pre></body></html>",
            // Outlook: a paragraph per line, &nbsp; in the empty one, comments and indentation
            "<!--[if gte mso 9]><xml><o:x/></xml><![endif]--><body>\r\n  <p class=MsoNormal>-----BEGIN PGP MESSAGE-----<o:p></o:p></p>\r\n  <p class=MsoNormal><o:p>&nbsp;</o:p></p>\r\n  <p class=MsoNormal>hQEMA&#43;x<o:p></o:p></p>\r\n  <p class=MsoNormal>=abcd</p><p class=MsoNormal>-----END PGP MESSAGE-----</p></body>",
        ];
        for html in forms {
            assert_eq!(lines(html).trim_start_matches('\n'), WANT, "{html}");
        }
    }

    #[test]
    fn text_without_line_markup_keeps_its_line_ends_and_entities() {
        assert_eq!(
            lines("a &lt;b&gt; &amp; c\r\n\r\n  d"),
            "a <b> & c\n\n  d\n"
        );
        assert_eq!(lines("AT&T; 5 &unknown; x"), "AT&T; 5 &unknown; x\n");
        assert_eq!(lines("<b>bold</b>   and\r\nmore<br>"), "bold and more\n");
    }

    #[test]
    fn broken_markup_ends_the_text_without_panicking() {
        assert_eq!(lines("text <unterminated"), "text\n");
        assert_eq!(lines("<!-- open comment"), "");
        assert_eq!(lines("<style>never closed"), "");
        assert_eq!(lines("&#xFFFFFFFF; &#55296;"), "&#xFFFFFFFF; &#55296;\n");
    }
}
