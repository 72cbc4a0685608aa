//! What the descriptor cannot say: LRDF metadata (feature `rdf`).
//!
//! LADSPA descriptors carry no names for enumerated values, no categories and no presets.
//! Plugin packages describe these in RDF/XML files with the LRDF vocabulary
//! (`/usr/share/ladspa/rdf/*.rdf`: Debian's `tap-plugins`, `swh-plugins`, `caps`, `blop`…),
//! which hosts such as Ardour and JACK Rack read through the C library liblrdf. This module
//! reads them in Rust, without liblrdf:
//!
//! - **Finding files**: [`RdfPath`], from `LADSPA_RDF_PATH` (colon-separated) or else
//!   `/usr/local/share/ladspa/rdf` and `/usr/share/ladspa/rdf`; every `*.rdf` and `*.rdfs` file.
//! - **Reading**: a [`Database`] of what the files say about each plugin, by unique ID
//!   ([`PluginRdf`]): its [class](PluginClass) in the LADSPA ontology with its label and
//!   ancestors, per port a label, [units](Units) and [scale points](ScalePoint) (named values),
//!   and its [presets](Preset), among them its default setting.
//! - **Using it**: [`Descriptor::rdf`](crate::Descriptor::rdf) (or [`Database::plugin`] for a
//!   unique ID from anywhere), and [`Handle::apply_preset`](crate::Handle::apply_preset).
//!
//! # Example
//!
//! ```
//! use ladspa_host::rdf::Database;
//!
//! let database = Database::from_env();
//! for error in database.errors() {
//!     eprintln!("skipped: {error}"); // a malformed file; the others were read
//! }
//! // tap_reverb (unique ID 2142): port 7 is "Reverb Type".
//! if let Some(reverb) = database.plugin(2142) {
//!     println!("class: {}", reverb.class().map(ToString::to_string).unwrap_or_default());
//!     for point in reverb.scale_points(7) {
//!         println!("  {point}"); // "0 = AfterBurn", "1 = AfterBurn (Long)"…
//!     }
//! }
//! ```
//!
//! # Showing it
//!
//! Everything has plain accessors, and what a listing shows has `Display`: a
//! [`PluginClass`] is its label ("Reverbs"), a [`ScalePoint`] `value = label`, [`Units`] their
//! symbol, a [`Preset`] `preset "name"` or `default preset`. A command line describing a plugin
//! takes [`Descriptor::rdf`](crate::Descriptor::rdf) (with [`Database::system`]), then
//! [`PluginRdf::class`] and [`PluginRdf::class_ancestors`], per port [`PluginRdf::port`]
//! ([`PortRdf::units`], [`PortRdf::scale_points`]), and [`PluginRdf::presets`] with
//! [`Preset::values`]; and reports [`Database::errors`] as warnings.
//!
//! # Robustness
//!
//! Reading never panics, whatever the files hold. Each file is read whole or not at all: one
//! that cannot be read, is larger than [`MAX_FILE_BYTES`], is not in UTF-8 or ISO-8859-1, is
//! not well-formed XML or is not RDF/XML as read here (below) is an [`RdfError`] of
//! its own in [`Database::errors`], and the other files are read all the same. Values that are
//! not finite numbers are left out (a scale point or preset value that could not be set), and
//! facts about unique IDs that no installed plugin has are kept but only found by asking for
//! that ID.
//!
//! # The XML parser
//!
//! The files are parsed by [`roxmltree`](https://crates.io/crates/roxmltree), a widely used,
//! dependency-light (only `memchr`), `unsafe`-free, read-only XML tree parser, rather than a
//! streaming one such as `quick-xml`: every Debian LRDF file names its namespaces through DTD
//! entities (`rdf:about="&ladspa;2142"`), which roxmltree expands (with guards against entity
//! expansion bombs) and `quick-xml` leaves to the caller, and the nesting of RDF/XML is read most
//! plainly from a tree. No RDF crate is used: the full RDF stacks are large, and LRDF needs only
//! the small part of RDF/XML above.

mod database;
mod encoding;
mod error;
mod graph;
mod model;
mod ontology;
mod path;
mod preset;
mod resolve;
mod vocabulary;
mod xml;

pub use database::{Database, MAX_FILE_BYTES};
pub use error::{PresetError, RdfError};
pub use model::{PluginRdf, PortRdf, PortValue, Preset, ScalePoint, Units};
pub use ontology::PluginClass;
pub use path::{DEFAULT_RDF_DIRS, RdfListing, RdfPath};
pub use vocabulary::LADSPA;
pub use xml::MAX_DEPTH;
