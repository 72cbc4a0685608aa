//! What one source file says about modules: the modules it declares (`mod a;`, `mod a { … }`)
//! and every path it writes that may name a module of its crate (`use` trees, paths in code and
//! attributes, paths in string literals).

use crate::lex::{Spanned, Token, path_in, tokens};

/// A module declared in a file.
#[derive(Debug, Clone)]
pub struct ModDecl {
    /// The inline modules the declaration sits in, outermost first.
    pub scope: Vec<String>,
    /// The module's name.
    pub name: String,
    /// `mod name { … }` rather than `mod name;`.
    pub inline: bool,
    /// The `#[path = "…"]` attribute, if any.
    pub path_attr: Option<String>,
    /// Under `#[cfg(test)]` (directly or inside a test scope).
    pub test: bool,
}

/// How a reference was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefKind {
    /// A `use` leaf, binding the given name (`None` for `as _`).
    Use(Option<String>),
    /// A glob import (`use a::*`): a reference to `a` itself.
    Glob,
    /// A path in code or in an attribute (`crate::a::f()`, `a::B`).
    Code,
    /// A string literal that is a path (`#[serde(with = "crate::a::b")]`).
    Str,
}

/// A path written in a file.
#[derive(Debug, Clone)]
pub struct Reference {
    /// The inline modules it is written in, outermost first.
    pub scope: Vec<String>,
    /// The path as written (`super`, `self`, `crate` included).
    pub segments: Vec<String>,
    /// Its line.
    pub line: usize,
    /// How it was written.
    pub kind: RefKind,
    /// Only compiled for tests (`#[cfg(test)]`).
    pub test: bool,
}

/// A parsed file.
#[derive(Debug, Default)]
pub struct Source {
    /// Its module declarations.
    pub mods: Vec<ModDecl>,
    /// Its paths.
    pub refs: Vec<Reference>,
}

/// An open brace: the inline module it opens, and whether its content is test-only.
struct Scope {
    module: Option<String>,
    test: bool,
}

/// Reads the declarations and references of `text`.
pub fn parse(text: &str) -> Source {
    let t = tokens(text);
    let mut out = Source::default();
    let mut scopes: Vec<Scope> = Vec::new();
    let (mut pending_test, mut pending_path) = (false, None::<String>);
    let mut i = 0;
    while i < t.len() {
        let in_test = pending_test || scopes.iter().any(|s| s.test);
        let module_scope: Vec<String> = scopes.iter().filter_map(|s| s.module.clone()).collect();
        match &t[i].token {
            Token::Punct('#') if punct(&t, i + 1, '[') => {
                let end = closing(&t, i + 1);
                let attr = &t[i + 2..end.min(t.len())];
                if is_cfg_test(attr) {
                    pending_test = true;
                }
                if let [Token::Ident(name), Token::Punct('='), Token::Str(path), ..] =
                    attr.iter().map(|s| &s.token).collect::<Vec<_>>()[..]
                    && name == "path"
                {
                    pending_path = Some(path.clone());
                }
                // The attribute's own paths are references too: go on inside it.
                i += 2;
                continue;
            }
            Token::Punct('{') => {
                scopes.push(Scope {
                    module: None,
                    test: pending_test,
                });
                (pending_test, pending_path) = (false, None);
            }
            Token::Punct('}') => {
                scopes.pop();
                (pending_test, pending_path) = (false, None);
            }
            Token::Punct(';') => (pending_test, pending_path) = (false, None),
            Token::Ident(word) if word == "mod" && !path_sep(&t, i.wrapping_sub(1)) => {
                if let Some(Token::Ident(name)) = t.get(i + 1).map(|s| &s.token) {
                    let inline = punct(&t, i + 2, '{');
                    out.mods.push(ModDecl {
                        scope: module_scope,
                        name: name.clone(),
                        inline,
                        path_attr: pending_path.take(),
                        test: in_test,
                    });
                    if inline {
                        scopes.push(Scope {
                            module: Some(name.clone()),
                            test: in_test,
                        });
                        (pending_test, pending_path) = (false, None);
                        i += 3;
                        continue;
                    }
                }
            }
            Token::Ident(word) if word == "use" => {
                let mut leaves = Vec::new();
                i = use_tree(&t, i + 1, Vec::new(), &mut leaves);
                for (segments, kind) in leaves {
                    let line = t[i.min(t.len() - 1)].line;
                    out.refs.push(Reference {
                        scope: module_scope.clone(),
                        segments,
                        line,
                        kind,
                        test: in_test,
                    });
                }
                continue;
            }
            Token::Ident(word) if word == "in" && punct(&t, i.wrapping_sub(1), '(') => {
                // `pub(in crate::a)` restricts visibility; it depends on nothing.
                while i < t.len() && !punct(&t, i, ')') {
                    i += 1;
                }
                continue;
            }
            Token::Ident(first) if path_sep(&t, i + 1) && !path_sep(&t, i.wrapping_sub(1)) => {
                let mut segments = vec![first.clone()];
                let mut j = i + 1;
                while path_sep(&t, j) {
                    match t.get(j + 1).map(|s| &s.token) {
                        Some(Token::Ident(next)) => segments.push(next.clone()),
                        _ => break,
                    }
                    j += 2;
                }
                if segments.len() > 1 {
                    let line = t[i].line;
                    out.refs.push(Reference {
                        scope: module_scope,
                        segments,
                        line,
                        kind: RefKind::Code,
                        test: in_test,
                    });
                }
                i = j;
                continue;
            }
            Token::Str(content) => {
                if let Some(segments) = path_in(content) {
                    let line = t[i].line;
                    out.refs.push(Reference {
                        scope: module_scope,
                        segments,
                        line,
                        kind: RefKind::Str,
                        test: in_test,
                    });
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn punct(t: &[Spanned], i: usize, c: char) -> bool {
    t.get(i).is_some_and(|s| s.token == Token::Punct(c))
}

fn path_sep(t: &[Spanned], i: usize) -> bool {
    t.get(i).is_some_and(|s| s.token == Token::PathSep)
}

/// The index of the `]` that closes the `[` at `open`.
fn closing(t: &[Spanned], open: usize) -> usize {
    let mut depth = 0;
    for (k, s) in t.iter().enumerate().skip(open) {
        match s.token {
            Token::Punct('[') => depth += 1,
            Token::Punct(']') => {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    t.len()
}

/// `cfg(test)` exactly (not `cfg(not(test))`).
fn is_cfg_test(attr: &[Spanned]) -> bool {
    let words: Vec<&Token> = attr.iter().map(|s| &s.token).collect();
    matches!(
        words[..],
        [Token::Ident(cfg), Token::Punct('('), Token::Ident(test), Token::Punct(')')]
            if cfg == "cfg" && test == "test"
    )
}

/// Parses the use tree starting at `i` under `prefix`, pushing each leaf; returns the index
/// after the tree (after the `;` for the whole declaration).
fn use_tree(
    t: &[Spanned],
    mut i: usize,
    prefix: Vec<String>,
    out: &mut Vec<(Vec<String>, RefKind)>,
) -> usize {
    let mut path = prefix;
    if path_sep(t, i) {
        i += 1;
    }
    loop {
        match t.get(i).map(|s| &s.token) {
            Some(Token::Ident(name)) => {
                let leaf_self = name == "self" && !path.is_empty();
                if !leaf_self {
                    path.push(name.clone());
                }
                i += 1;
                if !leaf_self && path_sep(t, i) {
                    i += 1;
                    continue;
                }
                let mut binding = path.last().cloned();
                if matches!(t.get(i).map(|s| &s.token), Some(Token::Ident(w)) if w == "as") {
                    binding = match t.get(i + 1).map(|s| &s.token) {
                        Some(Token::Ident(alias)) if alias != "_" => Some(alias.clone()),
                        _ => None,
                    };
                    i += 2;
                }
                out.push((path, RefKind::Use(binding)));
                return finish(t, i);
            }
            Some(Token::Punct('*')) => {
                out.push((path, RefKind::Glob));
                return finish(t, i + 1);
            }
            Some(Token::Punct('{')) => {
                i += 1;
                while i < t.len() && !punct(t, i, '}') {
                    i = use_tree(t, i, path.clone(), out);
                }
                return finish(t, i + 1);
            }
            _ => return finish(t, i + 1),
        }
    }
}

/// Steps over the `,` that ends a tree in a group or the `;` that ends the declaration.
fn finish(t: &[Spanned], i: usize) -> usize {
    if punct(t, i, ',') || punct(t, i, ';') {
        i + 1
    } else {
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uses(text: &str) -> Vec<(String, RefKind)> {
        parse(text)
            .refs
            .into_iter()
            .map(|r| (r.segments.join("::"), r.kind))
            .collect()
    }

    #[test]
    fn use_trees_give_their_leaves_and_bindings() {
        assert_eq!(
            uses("use crate::a::{self, b::{C, d as e}, f::*}; use super::g as _;"),
            [
                ("crate::a".into(), RefKind::Use(Some("a".into()))),
                ("crate::a::b::C".into(), RefKind::Use(Some("C".into()))),
                ("crate::a::b::d".into(), RefKind::Use(Some("e".into()))),
                ("crate::a::f".into(), RefKind::Glob),
                ("super::g".into(), RefKind::Use(None)),
            ]
        );
    }

    #[test]
    fn paths_in_code_attributes_and_strings_are_seen_visibility_is_not() {
        let text = r#"
            pub(in crate::x) fn f() -> crate::a::B { super::c::d(); }
            #[serde(with = "crate::s::bytes")]
            struct S;
        "#;
        assert_eq!(
            uses(text),
            [
                ("crate::a::B".into(), RefKind::Code),
                ("super::c::d".into(), RefKind::Code),
                ("crate::s::bytes".into(), RefKind::Str),
            ]
        );
    }

    #[test]
    fn modules_inline_test_and_with_paths() {
        let text = r#"
            mod a;
            #[path = "x/y.rs"] mod b;
            #[cfg(test)]
            mod tests { use crate::a::F; mod inner; }
        "#;
        let source = parse(text);
        let mods: Vec<_> = source
            .mods
            .iter()
            .map(|m| {
                (
                    m.scope.join("::"),
                    m.name.as_str(),
                    m.inline,
                    m.path_attr.as_deref(),
                    m.test,
                )
            })
            .collect();
        assert_eq!(
            mods,
            [
                (String::new(), "a", false, None, false),
                (String::new(), "b", false, Some("x/y.rs"), false),
                (String::new(), "tests", true, None, true),
                ("tests".into(), "inner", false, None, true),
            ]
        );
        assert!(source.refs[0].test);
        assert_eq!(source.refs[0].scope, ["tests"]);
    }
}
