//! Turning a file's bytes into text. The XML parser reads UTF-8 only, and most LRDF files
//! declare ISO-8859-1 (`tap-plugins.rdf`, `swh-plugins.rdf`, `blop.rdf`…), so Latin-1 is
//! decoded here, as its XML declaration asks.

use std::borrow::Cow;
use std::path::Path;

use super::error::RdfError;

/// The file's text, decoded as its XML declaration says (UTF-8 when it says nothing).
pub(crate) fn decode<'b>(path: &Path, bytes: &'b [u8]) -> Result<Cow<'b, str>, RdfError> {
    if bytes.starts_with(&[0xFE, 0xFF]) || bytes.starts_with(&[0xFF, 0xFE]) {
        return Err(unsupported(path, "UTF-16"));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let declared = declared_encoding(bytes).map(String::from_utf8_lossy);
    let encoding = declared.as_deref().map(str::to_ascii_lowercase);
    match encoding.as_deref() {
        None | Some("utf-8" | "utf8" | "us-ascii" | "ascii") => match std::str::from_utf8(bytes) {
            Ok(text) => Ok(Cow::Borrowed(text)),
            Err(error) => {
                let byte_offset = error.valid_up_to();
                let line = 1 + bytes[..byte_offset].iter().filter(|&&b| b == b'\n').count();
                Err(RdfError::InvalidUtf8 {
                    path: path.to_owned(),
                    line,
                    byte_offset,
                })
            }
        },
        // Every byte of ISO-8859-1 is the Unicode code point of the same number.
        Some("iso-8859-1" | "iso8859-1" | "iso_8859-1" | "latin1" | "latin-1" | "l1") => {
            Ok(Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()))
        }
        Some(_) => Err(unsupported(path, declared.as_deref().unwrap_or_default())),
    }
}

fn unsupported(path: &Path, encoding: &str) -> RdfError {
    RdfError::UnsupportedEncoding {
        path: path.to_owned(),
        encoding: encoding.to_owned(),
    }
}

/// The `encoding` of an XML declaration (`<?xml version="1.0" encoding="…"?>`) at the start of
/// the file, as written.
fn declared_encoding(bytes: &[u8]) -> Option<&[u8]> {
    let declaration = bytes.strip_prefix(b"<?xml")?;
    let end = declaration.windows(2).position(|pair| pair == b"?>")?;
    let declaration = &declaration[..end];
    let at = declaration
        .windows(b"encoding".len())
        .position(|window| window == b"encoding")?;
    let rest = declaration[at + b"encoding".len()..].trim_ascii_start();
    let rest = rest.strip_prefix(b"=")?.trim_ascii_start();
    let (&quote, rest) = rest.split_first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let close = rest.iter().position(|&b| b == quote)?;
    Some(&rest[..close])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<String, RdfError> {
        decode(Path::new("t.rdf"), bytes).map(Cow::into_owned)
    }

    #[test]
    fn latin1_is_decoded_and_utf8_checked() {
        let latin1 = b"<?xml version='1.0' encoding='ISO-8859-1'?><a>caf\xE9</a>";
        assert!(read(latin1).unwrap().ends_with("<a>caf\u{e9}</a>"));
        let utf8 = "<?xml version=\"1.0\" encoding = \"utf-8\"?><a>caf\u{e9}</a>";
        assert_eq!(read(utf8.as_bytes()).unwrap(), utf8);
        assert_eq!(read(b"\xEF\xBB\xBF<a/>").unwrap(), "<a/>");
        let error = read(b"<a>\n\ncaf\xE9</a>").unwrap_err();
        assert!(
            matches!(
                error,
                RdfError::InvalidUtf8 {
                    line: 3,
                    byte_offset: 8,
                    ..
                }
            ),
            "{error:?}"
        );
    }

    #[test]
    fn other_encodings_are_refused_by_name() {
        let error = read(b"<?xml version='1.0' encoding='EUC-JP'?><a/>").unwrap_err();
        assert!(
            matches!(&error, RdfError::UnsupportedEncoding { encoding, .. } if encoding == "EUC-JP")
        );
        assert!(read(b"\xFF\xFE<\0a\0/\0>\0").is_err());
        // A declaration cut short is no declaration: the text is read as UTF-8.
        assert_eq!(read(b"<?xml encoding='x").unwrap(), "<?xml encoding='x");
    }
}
