/*
 * SPDX-FileCopyrightText: 2020 Stalwart Labs LLC <hello@stalw.art>
 *
 * SPDX-License-Identifier: Apache-2.0 OR MIT
 */

use std::borrow::Cow;

use super::MessageStream;

impl<'x> MessageStream<'x> {
    /// mailseal: skips `boundary` when it follows here as a delimiter (RFC 2046 §5.1.1): the
    /// `--` before it began a line (`line_start`: the character before it was a LF, or the scan
    /// began there), and after it come `--` (the close delimiter) or spaces and tabs up to the
    /// end of the line or of the input. Upstream took `--boundary` anywhere: a body line
    /// `foo--X`, or the armor's `-----BEGIN` under the boundary `B`, ended the part there
    /// (vendor/mail-parser/MAILSEAL.md).
    pub fn try_skip_delimiter(&mut self, boundary: &[u8], line_start: bool) -> bool {
        if !line_start || boundary.is_empty() {
            return false;
        }
        let Some(after) = self
            .data
            .get(self.offset()..)
            .and_then(|rest| rest.strip_prefix(boundary))
        else {
            return false;
        };
        let delimiter = after.starts_with(b"--")
            || after
                .iter()
                .find(|&&c| c != b' ' && c != b'\t')
                .is_none_or(|&c| c == b'\r' || c == b'\n');
        if delimiter {
            self.skip_bytes(boundary.len());
        }
        delimiter
    }

    pub fn seek_next_part(&mut self, boundary: &[u8]) -> bool {
        if !boundary.is_empty() {
            // The scan begins at a line start (the body, after its headers).
            let mut last_ch = b'\n';
            let mut before_last_ch = 0;

            self.checkpoint();

            while let Some(&ch) = self.next() {
                if ch == b'-'
                    && last_ch == b'-'
                    && self.try_skip_delimiter(boundary, before_last_ch == b'\n')
                {
                    return true;
                }

                before_last_ch = last_ch;
                last_ch = ch;
            }

            self.restore();
        }

        false
    }

    pub fn seek_next_part_offset(&mut self, boundary: &[u8]) -> Option<usize> {
        let mut last_ch = b'\n';
        let mut before_last_ch = 0;
        let mut offset_pos = self.offset();
        self.checkpoint();

        while let Some(&ch) = self.next() {
            if ch == b'\n' {
                offset_pos = if last_ch == b'\r' {
                    self.offset() - 2
                } else {
                    self.offset() - 1
                };
            } else if ch == b'-'
                && last_ch == b'-'
                && self.try_skip_delimiter(boundary, before_last_ch == b'\n')
            {
                return offset_pos.into();
            }

            before_last_ch = last_ch;
            last_ch = ch;
        }

        self.restore();

        None
    }

    pub fn mime_part(&mut self, boundary: &[u8]) -> (usize, Cow<'x, [u8]>) {
        let mut last_ch = b'\n';
        let mut before_last_ch = 0;
        let start_pos = self.offset();
        let mut end_pos = self.offset();

        self.checkpoint();

        loop {
            // mailseal: straight to the next line end or dash (memchr), as the loop below
            // only acts on those: a 1 MiB part was scanned one byte per turn
            // (vendor/mail-parser/MAILSEAL.md).
            let rest = self.bytes(self.offset()..self.len());
            let skip = memchr::memchr2(b'\n', b'-', rest).unwrap_or(rest.len());
            if skip > 0 {
                before_last_ch = if skip >= 2 { rest[skip - 2] } else { last_ch };
                last_ch = rest[skip - 1];
                self.skip_bytes(skip);
            }
            let Some(&ch) = self.next() else {
                break;
            };
            if ch == b'\n' {
                end_pos = if last_ch == b'\r' {
                    self.offset() - 2
                } else {
                    self.offset() - 1
                };
            } else if ch == b'-'
                && last_ch == b'-'
                && self.try_skip_delimiter(boundary, before_last_ch == b'\n')
            {
                if before_last_ch != b'\n' {
                    end_pos = self.offset() - boundary.len() - 2;
                }
                return (end_pos, self.bytes(start_pos..end_pos).into());
            }

            before_last_ch = last_ch;
            last_ch = ch;
        }

        (
            if boundary.is_empty() {
                self.offset()
            } else {
                self.restore();
                usize::MAX
            },
            self.bytes(start_pos..self.len()).into(),
        )
    }

    pub fn seek_part_end(&mut self, boundary: Option<&[u8]>) -> (usize, bool) {
        let mut last_ch = b'\n';
        let mut before_last_ch = 0;
        let mut end_pos = self.offset();

        if let Some(boundary) = boundary {
            while let Some(&ch) = self.next() {
                if ch == b'\n' {
                    end_pos = if last_ch == b'\r' {
                        self.offset() - 2
                    } else {
                        self.offset() - 1
                    };
                } else if ch == b'-'
                    && last_ch == b'-'
                    && self.try_skip_delimiter(boundary, before_last_ch == b'\n')
                {
                    if before_last_ch != b'\n' {
                        end_pos = self.offset() - boundary.len() - 2;
                    }
                    return (end_pos, true);
                }

                before_last_ch = last_ch;
                last_ch = ch;
            }

            (self.offset(), false)
        } else {
            self.seek_end();
            (self.offset(), true)
        }
    }

    pub fn is_multipart_end(&mut self) -> bool {
        self.checkpoint();

        match (self.next(), self.peek()) {
            (Some(b'\r'), Some(b'\n')) => {
                self.next();
                false
            }
            (Some(b'-'), Some(b'-')) => {
                self.next();
                true
            }
            (Some(b'\n'), _) => false,
            (Some(&a), _) if a.is_ascii_whitespace() => {
                self.skip_crlf();
                false
            }
            _ => {
                self.restore();
                false
            }
        }
    }

    #[inline(always)]
    pub fn skip_crlf(&mut self) {
        while let Some(ch) = self.peek() {
            match ch {
                b'\r' | b' ' | b'\t' => {
                    self.next();
                }
                b'\n' => {
                    self.next();
                    break;
                }
                _ => break,
            }
        }
    }
}
