//! The few tokens the module graph needs from Rust source: identifiers, `::`, braces, `;` and the
//! paths written inside string literals (`#[serde(with = "crate::serial::bytes")]` names a
//! module as surely as a `use` does). Comments are dropped, doc comments included: an
//! intra-doc link is documentation, not a dependency.

/// One token of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// An identifier or keyword (`r#` stripped); `$crate` is `crate`.
    Ident(String),
    /// `::`.
    PathSep,
    /// A string literal's content (escapes left as written).
    Str(String),
    /// Any other single character of punctuation (`{`, `}`, `;`, `#`, `[`, `,`, `*`…).
    Punct(char),
    /// A number or character literal.
    Literal,
}

/// A token and the line it starts on (1-based).
#[derive(Debug, Clone)]
pub struct Spanned {
    /// The token.
    pub token: Token,
    /// Its line.
    pub line: usize,
}

/// Splits `source` into tokens.
pub fn tokens(source: &str) -> Vec<Spanned> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        let start_line = line;
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(chars[i] == '\n');
                    i += 1;
                }
            }
        } else if let Some((content, end)) = string_literal(&chars, i) {
            line += content.matches('\n').count();
            i = end;
            out.push(Spanned {
                token: Token::Str(content),
                line: start_line,
            });
        } else if c == '\'' {
            // A character literal ('a', '\n', '\'', '\u{1F600}') or a lifetime ('a).
            if at(i + 1) == '\\' {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
                out.push(Spanned {
                    token: Token::Literal,
                    line,
                });
            } else if at(i + 2) == '\'' {
                i += 3;
                out.push(Spanned {
                    token: Token::Literal,
                    line,
                });
            } else {
                i += 1;
                while i < chars.len() && is_ident_char(chars[i]) {
                    i += 1;
                }
            }
        } else if c == '$' && source_word(&chars, i + 1) == "crate" {
            i += 6;
            out.push(Spanned {
                token: Token::Ident("crate".into()),
                line,
            });
        } else if c.is_alphabetic() || c == '_' {
            let mut word = source_word(&chars, i);
            i += word.chars().count();
            if word == "r" && at(i) == '#' && is_ident_start(at(i + 1)) {
                word = source_word(&chars, i + 1);
                i += 1 + word.chars().count();
            }
            out.push(Spanned {
                token: Token::Ident(word),
                line,
            });
        } else if c.is_ascii_digit() {
            while i < chars.len()
                && (is_ident_char(chars[i]) || chars[i] == '.' && at(i + 1).is_ascii_digit())
            {
                i += 1;
            }
            out.push(Spanned {
                token: Token::Literal,
                line,
            });
        } else if c == ':' && at(i + 1) == ':' {
            i += 2;
            out.push(Spanned {
                token: Token::PathSep,
                line,
            });
        } else {
            i += 1;
            out.push(Spanned {
                token: Token::Punct(c),
                line,
            });
        }
    }
    out
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn source_word(chars: &[char], start: usize) -> String {
    chars[start.min(chars.len())..]
        .iter()
        .take_while(|c| is_ident_char(**c))
        .collect()
}

/// The content of a string literal starting at `i` (`"…"`, `r"…"`, `r#"…"#`, `b"…"`, `br"…"`,
/// `c"…"`) and the index after it, or `None` if no string literal starts there.
fn string_literal(chars: &[char], mut i: usize) -> Option<(String, usize)> {
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    // A prefix must not be the end of a longer identifier (`for"` never happens, `attr"` neither).
    if i > 0 && is_ident_char(chars[i - 1]) {
        return None;
    }
    if matches!(at(i), 'b' | 'c') && matches!(at(i + 1), '"' | 'r') {
        i += 1;
    }
    if at(i) == 'r' && matches!(at(i + 1), '"' | '#') {
        let mut hashes = 0;
        i += 1;
        while at(i) == '#' {
            hashes += 1;
            i += 1;
        }
        if at(i) != '"' {
            return None;
        }
        i += 1;
        let start = i;
        loop {
            if i >= chars.len() {
                return Some((chars[start..].iter().collect(), i));
            }
            if chars[i] == '"' && (0..hashes).all(|k| at(i + 1 + k) == '#') {
                return Some((chars[start..i].iter().collect(), i + 1 + hashes));
            }
            i += 1;
        }
    }
    if at(i) != '"' {
        return None;
    }
    i += 1;
    let start = i;
    while i < chars.len() && chars[i] != '"' {
        i += if chars[i] == '\\' { 2 } else { 1 };
    }
    let end = i.min(chars.len());
    Some((chars[start..end].iter().collect(), end + 1))
}

/// `Some(segments)` if `content` is nothing but a path with at least two segments.
pub fn path_in(content: &str) -> Option<Vec<String>> {
    let segments: Vec<&str> = content.split("::").collect();
    let is_ident = |s: &&str| {
        let mut chars = s.chars();
        chars.next().is_some_and(is_ident_start) && chars.all(is_ident_char)
    };
    (segments.len() >= 2 && segments.iter().all(is_ident))
        .then(|| segments.into_iter().map(String::from).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idents(source: &str) -> Vec<String> {
        tokens(source)
            .into_iter()
            .filter_map(|t| match t.token {
                Token::Ident(s) => Some(s),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn comments_strings_and_lifetimes_hide_nothing_else() {
        let source = r####"
            // use crate::commented;
            /* use crate::block; /* nested */ still */
            /// [`crate::doc_link`]
            fn f<'a>(x: &'a str) -> char { let _ = "use crate::in_text"; let _ = r#"a"b"#; '\'' }
            use crate::real;
        "####;
        assert_eq!(
            idents(source),
            [
                "fn", "f", "x", "str", "char", "let", "_", "let", "_", "use", "crate", "real"
            ]
        );
    }

    #[test]
    fn a_string_that_is_a_path_is_a_path() {
        let found: Vec<Vec<String>> = tokens(
            r#"#[serde(with = "crate::catalog::serial::path_bytes")] const A: &str = "a b";"#,
        )
        .into_iter()
        .filter_map(|t| match t.token {
            Token::Str(s) => path_in(&s),
            _ => None,
        })
        .collect();
        assert_eq!(found, [["crate", "catalog", "serial", "path_bytes"]]);
    }

    #[test]
    fn dollar_crate_is_crate_and_lines_are_counted() {
        let tokens = tokens("\n\n$crate::x");
        assert_eq!(tokens[0].token, Token::Ident("crate".into()));
        assert_eq!(tokens[0].line, 3);
    }
}
