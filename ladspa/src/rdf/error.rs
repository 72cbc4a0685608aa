//! The errors of the RDF reader (one per file that could not be read) and of applying presets.

use std::path::PathBuf;
use std::sync::Arc;

use crate::descriptor::Descriptor;
use crate::port_error::PortError;

/// Why one RDF file (or directory) could not be read. The other files are read all the same:
/// these are collected in [`Database::errors`](super::Database::errors).
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum RdfError {
    /// A directory of the RDF path exists but could not be listed.
    #[error("{}: the RDF directory cannot be read: {source}", path.display())]
    UnreadableDirectory {
        /// The directory.
        path: PathBuf,
        /// What the system said.
        source: Arc<std::io::Error>,
    },
    /// The file could not be opened or read.
    #[error("{}: the RDF file cannot be read: {source}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: Arc<std::io::Error>,
    },
    /// The path names a directory, FIFO or device rather than a regular file; it is not
    /// opened (opening a FIFO would block).
    #[error("{}: not a regular file", path.display())]
    NotRegularFile {
        /// The path.
        path: PathBuf,
    },
    /// The file is larger than any metadata file has reason to be, so it is not read into
    /// memory.
    #[error("{}: {size} bytes, more than the {limit} bytes an RDF file is read up to", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes (at least `limit + 1`).
        size: u64,
        /// [`MAX_FILE_BYTES`](super::MAX_FILE_BYTES).
        limit: u64,
    },
    /// The XML declaration names an encoding the reader does not decode.
    #[error("{}: encoding {encoding:?} is not read (UTF-8, US-ASCII and ISO-8859-1 are)", path.display())]
    UnsupportedEncoding {
        /// The file.
        path: PathBuf,
        /// The encoding as declared (or `UTF-16` for a UTF-16 byte order mark).
        encoding: String,
    },
    /// The file says it is UTF-8 (or says nothing) but holds a byte sequence that is not.
    #[error("{}:{line}: invalid UTF-8 (byte {byte_offset} of the file)", path.display())]
    InvalidUtf8 {
        /// The file.
        path: PathBuf,
        /// The line of the first invalid byte, from 1.
        line: usize,
        /// The offset of the first invalid byte.
        byte_offset: usize,
    },
    /// The file is not well-formed XML.
    #[error("{}:{line}:{column}: malformed XML: {message}", path.display())]
    Xml {
        /// The file.
        path: PathBuf,
        /// The line, from 1.
        line: u32,
        /// The column, from 1.
        column: u32,
        /// What the XML parser found wrong.
        message: String,
    },
    /// The file is XML but not RDF/XML that the reader understands.
    #[error("{}:{line}:{column}: not readable as RDF/XML: {message}", path.display())]
    Rdf {
        /// The file.
        path: PathBuf,
        /// The line, from 1.
        line: u32,
        /// The column, from 1.
        column: u32,
        /// What is wrong there.
        message: String,
    },
}

impl RdfError {
    /// The file (or directory) the error is about.
    pub fn path(&self) -> &std::path::Path {
        match self {
            Self::UnreadableDirectory { path, .. }
            | Self::Unreadable { path, .. }
            | Self::NotRegularFile { path }
            | Self::TooLarge { path, .. }
            | Self::UnsupportedEncoding { path, .. }
            | Self::InvalidUtf8 { path, .. }
            | Self::Xml { path, .. }
            | Self::Rdf { path, .. } => path,
        }
    }
}

/// Why a preset could not be applied to an instance. Nothing was set: every value is checked
/// against the descriptor before the first is set.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum PresetError {
    /// The preset belongs to another plugin type.
    #[error("{} ({}, unique ID {}): the {preset} is for the plugin with unique ID {preset_plugin}", descriptor.path().display(), descriptor.label(), descriptor.unique_id())]
    OtherPlugin {
        /// The plugin type of the instance.
        descriptor: Descriptor,
        /// The preset, as displayed ("default preset" or "preset \"name\"").
        preset: String,
        /// The unique ID the preset is for.
        preset_plugin: u64,
    },
    /// The preset sets a port index the plugin does not have.
    #[error("{} ({}, unique ID {}): the {preset} sets port {port} to {value}, but the plugin has {} ports", descriptor.path().display(), descriptor.label(), descriptor.unique_id(), descriptor.port_count())]
    NoSuchPort {
        /// The plugin type of the instance.
        descriptor: Descriptor,
        /// The preset, as displayed.
        preset: String,
        /// The port index in the preset.
        port: usize,
        /// The value the preset gives it.
        value: f32,
    },
    /// The preset sets a port that is not a control input (an audio port or an output).
    #[error("{} ({}, unique ID {}): the {preset} sets port {port} ({port_name:?}) to {value}, but it is not a control input", descriptor.path().display(), descriptor.label(), descriptor.unique_id())]
    NotControlInput {
        /// The plugin type of the instance.
        descriptor: Descriptor,
        /// The preset, as displayed.
        preset: String,
        /// The port index in the preset.
        port: usize,
        /// The port's name.
        port_name: String,
        /// The value the preset gives it.
        value: f32,
    },
    /// Setting a value was refused by [`Handle::set_control`](crate::Handle::set_control).
    #[error(transparent)]
    Port(#[from] PortError),
}
