//! `format=flowed` text (RFC 3676): soft line breaks, marked by a trailing space, are joined
//! back into paragraphs for display and quoting, as Thunderbird and Apple Mail show them.

/// The display form of flowed `text` (LF line ends): quoted lines keep their depth, a line
/// ending in a space is continued by the next line of the same depth, space-stuffing is
/// removed, and with `delsp` the trailing space of a soft break is deleted too.
pub(crate) fn unflow(text: &str, delsp: bool) -> String {
    let mut out = String::with_capacity(text.len());
    // The paragraph being joined: its quote depth and text so far.
    let mut open: Option<(usize, String)> = None;
    let close = |out: &mut String, depth: usize, content: &str| {
        if depth > 0 {
            out.push_str(&">".repeat(depth));
            out.push(' ');
        }
        out.push_str(content);
        out.push('\n');
    };
    let lines: Vec<&str> = text.split('\n').collect();
    let last = lines.len().saturating_sub(1);
    for (i, line) in lines.iter().enumerate() {
        if i == last && line.is_empty() {
            break;
        }
        let depth = line.bytes().take_while(|&b| b == b'>').count();
        let rest = &line[depth..];
        let rest = rest.strip_prefix(' ').unwrap_or(rest);
        let soft = rest.ends_with(' ') && rest != "-- ";
        if let Some((d, _)) = &open {
            if *d != depth {
                // A flowed line followed by another depth ends its paragraph (§4.5).
                if let Some((d, p)) = open.take() {
                    close(&mut out, d, p.trim_end());
                }
            }
        }
        let piece = if soft && delsp {
            &rest[..rest.len() - 1]
        } else {
            rest
        };
        let mut paragraph = open.take().map_or_else(String::new, |(_, p)| p);
        paragraph.push_str(piece);
        if soft {
            open = Some((depth, paragraph));
        } else {
            close(&mut out, depth, &paragraph);
        }
    }
    if let Some((d, p)) = open {
        close(&mut out, d, p.trim_end());
    }
    if !text.ends_with('\n') && out.ends_with('\n') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::unflow;

    #[test]
    fn soft_breaks_join_and_fixed_lines_stay() {
        let text = "Hello Bob, \nthis is one long \nparagraph.\nA fixed line.\n\n-- \nAlice\n";
        assert_eq!(
            unflow(text, false),
            "Hello Bob, this is one long paragraph.\nA fixed line.\n\n-- \nAlice\n"
        );
    }

    #[test]
    fn quotes_keep_their_depth_and_stuffing_is_removed() {
        let text = "> quoted and \n> flowed\n>> deeper \n>> too\n From stuffed\nplain\n";
        assert_eq!(
            unflow(text, false),
            "> quoted and flowed\n>> deeper too\nFrom stuffed\nplain\n"
        );
        // A soft break whose next line has another depth ends the paragraph.
        assert_eq!(unflow("> a \nb\n", false), "> a\nb\n");
    }

    #[test]
    fn delsp_removes_the_space_of_a_soft_break() {
        assert_eq!(unflow("Gesch \nichte\n", true), "Geschichte\n");
        assert_eq!(unflow("Gesch \nichte\n", false), "Gesch ichte\n");
    }
}
