//! A message the sink received, and just enough MIME reading for the plain-text mail this
//! application sends: headers unfolded with RFC 2047 words decoded, and the body with its
//! transfer encoding (quoted-printable, base64) undone. Multipart bodies are returned as is.

/// One message as the client handed it over: the envelope and the raw text (CRLF lines,
/// dot unstuffing already undone).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

impl ReceivedMail {
    /// The first header of this name (case-insensitive), unfolded and decoded.
    pub fn header(&self, name: &str) -> Option<String> {
        let (head, _) = self.split();
        let head = String::from_utf8_lossy(head);
        let mut fields: Vec<String> = Vec::new();
        for line in head.lines() {
            match fields.last_mut() {
                Some(field) if line.starts_with([' ', '\t']) => field.push_str(line),
                _ => fields.push(line.to_owned()),
            }
        }
        fields.iter().find_map(|field| {
            let (key, value) = field.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| decode_words(value.trim()))
        })
    }

    pub fn subject(&self) -> Option<String> {
        self.header("Subject")
    }

    /// The body as text: transfer encoding undone, line endings as `\n`.
    pub fn text(&self) -> String {
        let (_, body) = self.split();
        let encoding = self
            .header("Content-Transfer-Encoding")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let decoded = match encoding.as_str() {
            "quoted-printable" => quoted_printable(body),
            "base64" => base64(body).unwrap_or_else(|| body.to_vec()),
            _ => body.to_vec(),
        };
        String::from_utf8_lossy(&decoded).replace("\r\n", "\n")
    }

    /// Header section and body, split at the first empty line.
    fn split(&self) -> (&[u8], &[u8]) {
        let data = self.data.as_slice();
        for (sep, len) in [(&b"\r\n\r\n"[..], 4), (&b"\n\n"[..], 2)] {
            if let Some(at) = data.windows(len).position(|w| w == sep) {
                return (&data[..at], &data[at + len..]);
            }
        }
        (data, &[])
    }
}

/// Decodes RFC 2047 encoded words (`=?utf-8?B?…?=`, `=?utf-8?Q?…?=`); the blanks between
/// two encoded words are dropped, as the RFC says.
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut previous_encoded = false;
    let mut rest = value;
    while !rest.is_empty() {
        let after_gap = rest.trim_start();
        let gap = &rest[..rest.len() - after_gap.len()];
        let word_len = after_gap
            .find(char::is_whitespace)
            .unwrap_or(after_gap.len());
        let (word, tail) = after_gap.split_at(word_len);
        rest = tail;
        match decode_word(word) {
            Some(decoded) => {
                if !previous_encoded {
                    out.push_str(gap);
                }
                out.push_str(&decoded);
                previous_encoded = true;
            }
            None => {
                out.push_str(gap);
                out.push_str(word);
                previous_encoded = false;
            }
        }
    }
    out
}

fn decode_word(word: &str) -> Option<String> {
    let inner = word.strip_prefix("=?")?.strip_suffix("?=")?;
    let mut parts = inner.splitn(3, '?');
    let (charset, encoding, text) = (parts.next()?, parts.next()?, parts.next()?);
    if !["utf-8", "us-ascii"]
        .iter()
        .any(|c| charset.eq_ignore_ascii_case(c))
    {
        return None;
    }
    let bytes = match encoding {
        "B" | "b" => base64(text.as_bytes())?,
        "Q" | "q" => quoted_printable(text.replace('_', " ").as_bytes()),
        _ => return None,
    };
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Quoted-printable: `=XX` is a byte, `=` at the end of a line joins it to the next.
fn quoted_printable(text: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'=' {
            let next = &text[i + 1..];
            if next.starts_with(b"\r\n") {
                i += 3;
                continue;
            }
            if next.starts_with(b"\n") {
                i += 2;
                continue;
            }
            if let [hi, lo, ..] = next {
                if let (Some(hi), Some(lo)) = (hex(*hi), hex(*lo)) {
                    out.push(hi << 4 | lo);
                    i += 3;
                    continue;
                }
            }
        }
        out.push(text[i]);
        i += 1;
    }
    out
}

/// Standard base64, blanks and line breaks ignored; `None` for anything else that is not
/// of its alphabet.
fn base64(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in text {
        let value = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(data: &str) -> ReceivedMail {
        ReceivedMail {
            from: "a@x.test".into(),
            to: vec!["b@x.test".into()],
            data: data.as_bytes().to_vec(),
        }
    }

    #[test]
    fn reads_folded_and_encoded_headers() {
        let m = mail("Subject: =?utf-8?b?SMOpbGxv?=\r\n =?utf-8?q?_w=C3=B6rld?= and more\r\nX-Other: y\r\n\r\nbody");
        assert_eq!(m.subject().as_deref(), Some("Héllo wörld and more"));
        assert_eq!(m.header("x-other").as_deref(), Some("y"));
        assert_eq!(m.header("missing"), None);
    }

    #[test]
    fn undoes_transfer_encodings() {
        let qp = mail(
            "Content-Transfer-Encoding: quoted-printable\r\n\r\na=3Db soft=\r\nbreak\r\nnext\r\n",
        );
        let b64 = mail("Content-Transfer-Encoding: base64\r\n\r\naMOpbGxv\r\nIHdvcmxk\r\n");
        let plain = mail("Subject: x\r\n\r\nline one\r\nline two\r\n");
        assert_eq!(qp.text(), "a=b softbreak\nnext\n");
        assert_eq!(b64.text(), "héllo world");
        assert_eq!(plain.text(), "line one\nline two\n");
    }
}
