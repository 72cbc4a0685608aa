//! Plugin names as people write them on a command line, in a chain spec or in Python: a plugin
//! file, one plugin type of a file, a label or a unique ID.
//!
//! Parsing needs nothing but the text; finding what a name stands for needs the plugin files
//! along a search path, which the catalog's `Resolver` (feature `catalog`) reads without loading
//! any of them into the calling process.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use crate::plugin::Query;

/// What separates a plugin file from one of its plugin types: the file's `.so` and a colon.
/// Splitting right after the first `.so` (rather than at the last colon) lets labels hold
/// colons and slashes (lsp's labels are URLs: `http://lsp-plug.in/plugins/ladspa/…`), and
/// paths hold colons before it.
const FILE_SEPARATOR: &str = ".so:";

/// A plugin named as a person writes it.
///
/// | written as | parsed as |
/// |---|---|
/// | `amp.so`, `/usr/lib/ladspa/amp.so` | [`PluginName::File`], every plugin type of the file |
/// | `filter.so:lpf`, `/x/amp.so:1048` | [`PluginName::File`], the type with that label or unique ID |
/// | `tap_reverb`, `2142`, `http://lsp-plug.in/…` | [`PluginName::Any`]: a label or unique ID in any file along the search path, else a file name |
///
/// A name that contains `.so:` is split after the first `.so`: the part before is the file (a
/// path when it holds a `/`, else a file name looked for along the search path), the part after
/// is a unique ID when it is all digits, else a label. A name that ends in `.so` names a file.
/// Anything else is looked for as a label or a unique ID (all digits) in every file along the
/// search path; when no file has it, it is taken as a file name the way the LADSPA SDK's tools
/// take one (`amp` for `amp.so`, `./amp` for a path).
///
/// ```
/// use ladspa_host::{PluginName, Query};
///
/// assert_eq!(
///     PluginName::parse("filter.so:lpf"),
///     PluginName::File { file: "filter.so".into(), plugin: Some(Query::Label("lpf".into())) },
/// );
/// assert_eq!(
///     PluginName::parse("lsp-plugins-ladspa.so:http://lsp-plug.in/plugins/ladspa/comp_delay_mono"),
///     PluginName::File {
///         file: "lsp-plugins-ladspa.so".into(),
///         plugin: Some(Query::Label("http://lsp-plug.in/plugins/ladspa/comp_delay_mono".into())),
///     },
/// );
/// assert_eq!(PluginName::parse("/usr/lib/ladspa/amp.so"), PluginName::File { file: "/usr/lib/ladspa/amp.so".into(), plugin: None });
/// assert_eq!(PluginName::parse("amp_mono"), PluginName::Any("amp_mono".into()));
/// assert_eq!(PluginName::parse("1048").to_string(), "1048");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PluginName {
    /// A plugin file, and which of its plugin types (every one when `None`).
    File {
        /// The file as written: a path when it holds a `/`, else a file name looked for along
        /// the search path (with `.so` appended when it has none, as the SDK's tools do).
        file: PathBuf,
        /// The label or unique ID written after `.so:`.
        plugin: Option<Query>,
    },
    /// A label or unique ID looked for in every file along the search path; when no file has
    /// it, a file name (or path) as the SDK's tools take one.
    Any(String),
}

impl PluginName {
    /// Parses a name; every text is a name of some form (see the [type's documentation](Self)).
    pub fn parse(text: &str) -> Self {
        if let Some(split) = text.find(FILE_SEPARATOR) {
            let (file, plugin) = text.split_at(split + ".so".len());
            return Self::File {
                file: file.into(),
                plugin: Some(Query::parse(&plugin[1..])),
            };
        }
        if text.ends_with(".so") {
            Self::File {
                file: text.into(),
                plugin: None,
            }
        } else {
            Self::Any(text.to_owned())
        }
    }
}

impl Query {
    /// A unique ID when `text` is all ASCII digits (and fits), else a label.
    ///
    /// ```
    /// use ladspa_host::Query;
    ///
    /// assert_eq!(Query::parse("1048"), Query::UniqueId(1048));
    /// assert_eq!(Query::parse("amp_mono"), Query::Label("amp_mono".into()));
    /// ```
    pub fn parse(text: &str) -> Self {
        match text.parse::<u64>() {
            Ok(id) if text.bytes().all(|b| b.is_ascii_digit()) => Self::UniqueId(id),
            _ => Self::Label(text.to_owned()),
        }
    }
}

impl FromStr for PluginName {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Self::parse(text))
    }
}

impl From<&str> for PluginName {
    fn from(text: &str) -> Self {
        Self::parse(text)
    }
}

/// Writes the name back the way it parses (`file.so:label`, `file.so:1048`, `label`).
impl fmt::Display for PluginName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File { file, plugin: None } => write!(f, "{}", file.display()),
            Self::File {
                file,
                plugin: Some(Query::Label(label)),
            } => write!(f, "{}:{label}", file.display()),
            Self::File {
                file,
                plugin: Some(Query::UniqueId(id)),
            } => write!(f, "{}:{id}", file.display()),
            Self::Any(name) => f.write_str(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(file: &str, plugin: Option<Query>) -> PluginName {
        PluginName::File {
            file: file.into(),
            plugin,
        }
    }

    #[test]
    fn names_parse_as_files_plugins_of_files_and_anything_else() {
        let label = |l: &str| Some(Query::Label(l.into()));
        assert_eq!(PluginName::parse("amp.so"), file("amp.so", None));
        assert_eq!(
            PluginName::parse("/usr/lib/ladspa/amp.so:amp_mono"),
            file("/usr/lib/ladspa/amp.so", label("amp_mono"))
        );
        assert_eq!(
            PluginName::parse("amp.so:1048"),
            file("amp.so", Some(Query::UniqueId(1048)))
        );
        // Colons before the `.so` belong to the path, colons after it to the label.
        assert_eq!(
            PluginName::parse("/opt/a:b/x.so:http://l/p:1"),
            file("/opt/a:b/x.so", label("http://l/p:1"))
        );
        // An empty label is a label (that no plugin has), not the whole file.
        assert_eq!(PluginName::parse("x.so:"), file("x.so", label("")));
        assert_eq!(
            PluginName::parse("amp_mono"),
            PluginName::Any("amp_mono".into())
        );
        assert_eq!(PluginName::parse("1048"), PluginName::Any("1048".into()));
        assert_eq!(PluginName::parse("./x"), PluginName::Any("./x".into()));
        assert_eq!(
            PluginName::parse("http://lsp-plug.in/plugins/ladspa/x"),
            PluginName::Any("http://lsp-plug.in/plugins/ladspa/x".into())
        );
        assert_eq!(PluginName::parse(""), PluginName::Any(String::new()));
    }

    #[test]
    fn names_display_as_they_parse() {
        for text in [
            "amp.so",
            "/x/amp.so:amp_mono",
            "amp.so:1048",
            "lsp.so:http://lsp-plug.in/p/x",
            "tap_reverb",
        ] {
            assert_eq!(PluginName::parse(text).to_string(), text);
        }
    }

    #[test]
    fn queries_are_ids_only_when_all_digits() {
        assert_eq!(Query::parse("0042"), Query::UniqueId(42));
        assert_eq!(Query::parse("+42"), Query::Label("+42".into()));
        assert_eq!(
            Query::parse("99999999999999999999999"),
            Query::Label("99999999999999999999999".into())
        );
    }
}
