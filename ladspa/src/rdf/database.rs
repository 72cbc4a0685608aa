//! Reading a set of RDF files into one database of plugin metadata, looked up by unique ID.

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::encoding::decode;
use super::error::RdfError;
use super::graph::{Graph, Term, Triple};
use super::model::PluginRdf;
use super::ontology::{Hierarchy, PluginClass};
use super::path::RdfPath;
use super::resolve;
use super::xml;
use crate::descriptor::Descriptor;

/// The largest RDF file read, in bytes (16 MiB; Debian's largest, `swh-plugins.rdf`, has
/// 177 kB). A larger file is [`RdfError::TooLarge`].
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// What a set of RDF files says about plugins, by unique ID, with the files that could not be
/// read and why.
///
/// Files are read whole or not at all, each on its own: a malformed or unreadable file is one
/// [`RdfError`] in [`errors`](Self::errors), and the others are read all the same. Statements
/// of all the files are merged before plugins are looked at, so a port's scale points may come
/// from another file than its plugin's class. Metadata about unique IDs that no installed
/// plugin has is kept; it is only ever found by asking for that ID.
///
/// ```
/// use ladspa_host::rdf::{Database, Units};
///
/// let rdf = br#"<?xml version="1.0"?>
/// <!DOCTYPE rdf:RDF [ <!ENTITY ladspa "http://ladspa.org/ontology#"> ]>
/// <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
///          xmlns:ladspa="http://ladspa.org/ontology#">
///   <ladspa:ReverbPlugin rdf:about="&ladspa;4242">
///     <ladspa:hasPort>
///       <ladspa:InputControlPort rdf:about="&ladspa;4242.0" ladspa:hasLabel="type">
///         <ladspa:hasUnits rdf:resource="&ladspa;milliseconds"/>
///         <ladspa:hasScale><ladspa:Scale>
///           <ladspa:hasPoint><ladspa:Point rdf:value="0" ladspa:hasLabel="Hall"/></ladspa:hasPoint>
///           <ladspa:hasPoint><ladspa:Point rdf:value="1" ladspa:hasLabel="Room"/></ladspa:hasPoint>
///         </ladspa:Scale></ladspa:hasScale>
///       </ladspa:InputControlPort>
///     </ladspa:hasPort>
///   </ladspa:ReverbPlugin>
/// </rdf:RDF>"#;
/// let database = Database::from_documents([("reverb.rdf", &rdf[..])]);
/// assert!(database.errors().is_empty());
///
/// let reverb = database.plugin(4242).unwrap();
/// assert_eq!(reverb.class().unwrap().to_string(), "Reverbs");
/// let port = reverb.port(0).unwrap();
/// assert_eq!(port.units(), Some(&Units::Milliseconds));
/// assert_eq!(port.label_of(1.0), Some("Room"));
/// assert_eq!(reverb.scale_points(0)[0].to_string(), "0 = Hall");
/// assert!(database.plugin(4243).is_none());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Database {
    files: Vec<PathBuf>,
    errors: Vec<RdfError>,
    plugins: BTreeMap<u64, PluginRdf>,
    classes: Vec<PluginClass>,
}

impl Database {
    /// Reads every file along `LADSPA_RDF_PATH` (or the default directories):
    /// [`RdfPath::from_env`], then [`Database::load`].
    pub fn from_env() -> Self {
        Self::load(&RdfPath::from_env())
    }

    /// The database of `LADSPA_RDF_PATH` ([`Database::from_env`]), read once per process, on
    /// first use. Changes to the files or to the variable afterwards are not seen: read a
    /// [`Database`] of your own for that.
    pub fn system() -> &'static Self {
        static SYSTEM: OnceLock<Database> = OnceLock::new();
        SYSTEM.get_or_init(Self::from_env)
    }

    /// Reads every `*.rdf` and `*.rdfs` file along `path` ([`RdfPath::files`]); directories that
    /// cannot be listed are in [`errors`](Self::errors) too.
    pub fn load(path: &RdfPath) -> Self {
        let listing = path.files();
        let mut database = Self::from_files(&listing.files);
        database.errors.splice(0..0, listing.errors);
        database
    }

    /// Reads these files, in this order.
    pub fn from_files(files: impl IntoIterator<Item = impl AsRef<Path>>) -> Self {
        let mut builder = Builder::default();
        for path in files {
            let path = path.as_ref();
            match read_file(path) {
                Ok(bytes) => builder.add(path, &bytes),
                Err(error) => builder.errors.push(error),
            }
        }
        builder.finish()
    }

    /// Reads documents held in memory, each named by a path for its errors.
    pub fn from_documents(
        documents: impl IntoIterator<Item = (impl AsRef<Path>, impl AsRef<[u8]>)>,
    ) -> Self {
        let mut builder = Builder::default();
        for (path, bytes) in documents {
            builder.add(path.as_ref(), bytes.as_ref());
        }
        builder.finish()
    }

    /// What the files say about the plugin with this unique ID, if anything: for a
    /// [`Descriptor`] ([`Database::describe`]) or for an ID from anywhere else, such as an
    /// entry of the plugin catalog, whose plugins are not loaded
    /// (`database.plugin(record.unique_id())` for a `catalog::PluginRecord`).
    pub fn plugin(&self, unique_id: u64) -> Option<&PluginRdf> {
        self.plugins.get(&unique_id)
    }

    /// What the files say about this plugin type: [`Database::plugin`] of its unique ID.
    pub fn describe(&self, descriptor: &Descriptor) -> Option<&PluginRdf> {
        self.plugin(descriptor.unique_id())
    }

    /// Every plugin the files say something about, by unique ID.
    pub fn plugins(&self) -> impl ExactSizeIterator<Item = &PluginRdf> + Clone {
        self.plugins.values()
    }

    /// Every plugin class known: the LADSPA ontology's and those the files declare, by name.
    pub fn classes(&self) -> &[PluginClass] {
        &self.classes
    }

    /// The files that were read, in reading order (a copy of a file read before among them,
    /// though it adds nothing).
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// The files (and directories) that could not be read, with why.
    pub fn errors(&self) -> &[RdfError] {
        &self.errors
    }
}

impl Descriptor {
    /// What `database` says about this plugin type (its class, scale points, units and
    /// presets), if anything: [`Database::describe`]. With the files of `LADSPA_RDF_PATH`,
    /// `descriptor.rdf(Database::system())`.
    ///
    /// ```
    /// # let path = ladspa_testplugins::reference_plugin("tp_amp");
    /// # // SAFETY: the test plugins are trusted.
    /// # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
    /// # let descriptor = plugin.find_label("tp_amp_mono")?;
    /// use ladspa_host::rdf::Database;
    ///
    /// if let Some(rdf) = descriptor.rdf(Database::system()) {
    ///     if let Some(class) = rdf.class() {
    ///         println!("class: {class}");
    ///     }
    ///     for preset in rdf.presets() {
    ///         println!("{preset}: {} values", preset.values().len());
    ///     }
    /// }
    /// # Ok::<(), ladspa_host::Error>(())
    /// ```
    pub fn rdf<'db>(&self, database: &'db Database) -> Option<&'db PluginRdf> {
        database.describe(self)
    }
}

/// Reads a file's bytes, refusing what is not a regular file (a FIFO would block) or is too
/// large.
fn read_file(path: &Path) -> Result<Vec<u8>, RdfError> {
    let unreadable = |error| RdfError::Unreadable {
        path: path.to_owned(),
        source: Arc::new(error),
    };
    let too_large = |size| RdfError::TooLarge {
        path: path.to_owned(),
        size,
        limit: MAX_FILE_BYTES,
    };
    let metadata = std::fs::metadata(path).map_err(unreadable)?;
    if !metadata.is_file() {
        return Err(RdfError::NotRegularFile {
            path: path.to_owned(),
        });
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(too_large(metadata.len()));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The files read so far: their statements merged into one graph, and their errors.
#[derive(Default)]
struct Builder {
    graph: Graph,
    files: Vec<PathBuf>,
    errors: Vec<RdfError>,
    /// The contents of the documents read, to read a copy only once.
    contents: HashSet<Box<[u8]>>,
}

impl Builder {
    /// Reads one document; its statements join the graph only if all of it could be read.
    ///
    /// A document with the same bytes as one already read (the same package installed under
    /// `/usr/local` and `/usr`) is listed but adds nothing: its blank nodes (scale points,
    /// presets) would otherwise be new nodes, and every scale point and preset would count
    /// twice.
    fn add(&mut self, path: &Path, bytes: &[u8]) {
        if self.contents.contains(bytes) {
            self.files.push(path.to_owned());
            return;
        }
        let statements = decode(path, bytes).and_then(|text| xml::parse(path, &text));
        let statements = match statements {
            Ok(statements) => statements,
            Err(error) => {
                self.errors.push(error);
                return;
            }
        };
        let base = self.graph.reserve_blanks(statements.blank_count);
        let renumber = |term: Term| match term {
            Term::Blank(number) => Term::Blank(base + number),
            other => other,
        };
        for triple in statements.triples {
            self.graph.insert(Triple {
                subject: renumber(triple.subject),
                predicate: triple.predicate,
                object: renumber(triple.object),
            });
        }
        self.files.push(path.to_owned());
        self.contents.insert(bytes.into());
    }

    fn finish(self) -> Database {
        let hierarchy = Hierarchy::new(&self.graph);
        Database {
            plugins: resolve::plugins(&self.graph, &hierarchy),
            classes: hierarchy.plugin_classes().cloned().collect(),
            files: self.files,
            errors: self.errors,
        }
    }
}
