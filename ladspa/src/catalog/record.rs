//! What the catalog keeps of each plugin file: its identity on disk, and either the metadata of
//! its plugin types (owned copies, no code), or why it gave none.

use std::ffi::CString;
use std::fmt;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::failure::ScanFailure;
use super::port_record::LazyPorts;
use super::port_record::PortRecord;
use super::serial;
use crate::descriptor::Descriptor;
use crate::library::LoadError;
use crate::plugin::Plugin;
use crate::port_info::{Direction, PortKind};
use crate::properties::Properties;
use crate::text::Text;
use crate::validation::DescriptorError;

/// What identifies one version of a file on disk: a file whose size, modification time, inode
/// or device changed is scanned again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FileStamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time: seconds since the epoch.
    pub modified_seconds: i64,
    /// Modification time: nanoseconds within the second.
    pub modified_nanoseconds: i64,
    /// Inode number.
    pub inode: u64,
    /// Device number of the file system.
    pub device: u64,
}

impl FileStamp {
    /// The stamp of the file at `path` now (symbolic links followed).
    pub fn of(path: &Path) -> io::Result<Self> {
        let metadata = std::fs::metadata(path)?;
        Ok(Self {
            size: metadata.size(),
            modified_seconds: metadata.mtime(),
            modified_nanoseconds: metadata.mtime_nsec(),
            inode: metadata.ino(),
            device: metadata.dev(),
        })
    }
}

/// What scanning one file gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum FileOutcome {
    /// The file loaded: its valid plugin types, and the descriptors validation refused.
    Loaded {
        /// The valid plugin types, in index order.
        plugins: Vec<PluginRecord>,
        /// The refused descriptors, with their defects.
        rejected: Vec<DescriptorError>,
    },
    /// The host refused the file, or the loader did (the same error an in-process
    /// [`Plugin::load`] gives).
    Refused(LoadError),
    /// The file's code ended or froze the worker that loaded it.
    Failed(ScanFailure),
}

impl FileOutcome {
    /// What an in-process load gave, as the catalog keeps it; `stamp` is the file's.
    pub(crate) fn of_load(result: &Result<Plugin, LoadError>) -> FileOutcome {
        match result {
            Ok(plugin) => FileOutcome::Loaded {
                plugins: plugin.descriptors().iter().map(PluginRecord::of).collect(),
                rejected: plugin.rejected().to_vec(),
            },
            Err(error) => FileOutcome::Refused(error.clone()),
        }
    }
}

/// What scanning the file gave, in a line: how many plugin types it holds (and descriptors the
/// host refused), or why it gives none.
///
/// ```
/// # let dir = ladspa_testplugins::broken_dir();
/// use ladspa_host::catalog::Scanner;
///
/// let catalog = Scanner::new().without_cache().scan_files([
///     dir.join("tp_no_descriptors.so"),
///     dir.join("tp_bad_descriptors.so"),
/// ])?;
/// for file in catalog.files() {
///     println!("{}: {}", file.path().display(), file.outcome());
/// }
/// let outcomes: Vec<String> = catalog.files().iter().map(|f| f.outcome().to_string()).collect();
/// assert!(outcomes[0].starts_with("refused: "), "{}", outcomes[0]);
/// assert!(outcomes[1].starts_with("loaded: 3 plugin types, 19 descriptors refused"), "{}", outcomes[1]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl fmt::Display for FileOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        match self {
            Self::Loaded { plugins, rejected } => {
                let n = plugins.len();
                write!(f, "loaded: {n} plugin type{}", plural(n))?;
                if let Some(first) = rejected.first() {
                    let n = rejected.len();
                    write!(f, ", {n} descriptor{} refused (first: {first})", plural(n))?;
                }
                Ok(())
            }
            Self::Refused(error) => write!(f, "refused: {error}"),
            Self::Failed(failure) => write!(f, "stopped its scan worker: {failure}"),
        }
    }
}

/// One plugin file of a catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileRecord {
    #[serde(with = "crate::serde_path")]
    pub(crate) path: PathBuf,
    pub(crate) stamp: Option<FileStamp>,
    pub(crate) outcome: FileOutcome,
}

impl FileRecord {
    pub(crate) fn new(path: PathBuf, stamp: Option<FileStamp>, mut outcome: FileOutcome) -> Self {
        if let FileOutcome::Loaded { plugins, .. } = &mut outcome {
            for plugin in plugins {
                plugin.file = path.clone();
                plugin.stamp = stamp;
            }
        }
        Self {
            path,
            stamp,
            outcome,
        }
    }

    /// The record of an in-process load of the file at `path` (stamped now): what an isolated
    /// scan gives for a file that behaves, for hosts that load files themselves.
    pub fn of_load(path: impl Into<PathBuf>, result: &Result<Plugin, LoadError>) -> Self {
        let path = path.into();
        let stamp = FileStamp::of(&path).ok();
        Self::new(path, stamp, FileOutcome::of_load(result))
    }

    /// Gives each plugin record the file's path and stamp, which the cache does not repeat.
    pub(crate) fn fill_in(mut self) -> Self {
        let outcome = std::mem::replace(
            &mut self.outcome,
            FileOutcome::Loaded {
                plugins: Vec::new(),
                rejected: Vec::new(),
            },
        );
        Self::new(self.path, self.stamp, outcome)
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's identity when it was scanned (`None` if it could not be examined).
    pub fn stamp(&self) -> Option<FileStamp> {
        self.stamp
    }

    /// What scanning it gave.
    pub fn outcome(&self) -> &FileOutcome {
        &self.outcome
    }

    /// Its valid plugin types (none unless it loaded).
    pub fn plugins(&self) -> &[PluginRecord] {
        match &self.outcome {
            FileOutcome::Loaded { plugins, .. } => plugins,
            _ => &[],
        }
    }

    /// Its descriptors that validation refused.
    pub fn rejected(&self) -> &[DescriptorError] {
        match &self.outcome {
            FileOutcome::Loaded { rejected, .. } => rejected,
            _ => &[],
        }
    }

    /// Whether the file was scanned as it is on disk now: same size, modification time, inode
    /// and device.
    pub fn is_current(&self) -> bool {
        self.stamp.is_some() && FileStamp::of(&self.path).ok() == self.stamp
    }
}

/// The metadata of one plugin type, as a [`Descriptor`] gives it, kept without its file loaded.
///
/// The accessors have the names and meanings of [`Descriptor`]'s.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PluginRecord {
    /// The file, which the cache keeps once per file rather than once per plugin type.
    #[serde(skip)]
    pub(crate) file: PathBuf,
    #[serde(skip)]
    pub(crate) stamp: Option<FileStamp>,
    index: usize,
    unique_id: u64,
    #[serde(with = "serial::c_string_bytes")]
    label: CString,
    #[serde(with = "serial::c_string_bytes")]
    name: CString,
    #[serde(with = "serial::c_string_bytes")]
    maker: CString,
    #[serde(with = "serial::c_string_bytes")]
    copyright: CString,
    #[serde(with = "serial::properties_bits")]
    properties: Properties,
    has_activate: bool,
    has_deactivate: bool,
    has_run_adding: bool,
    ports: LazyPorts,
}

impl PluginRecord {
    /// The record of a loaded plugin type (with no [stamp](Self::stamp): it is the file's,
    /// taken when the file is examined).
    pub fn of(descriptor: &Descriptor) -> Self {
        Self {
            file: descriptor.path().to_owned(),
            stamp: None,
            index: descriptor.index(),
            unique_id: descriptor.unique_id(),
            label: descriptor.label().as_c_str().to_owned(),
            name: descriptor.name().as_c_str().to_owned(),
            maker: descriptor.maker().as_c_str().to_owned(),
            copyright: descriptor.copyright().as_c_str().to_owned(),
            properties: descriptor.properties(),
            has_activate: descriptor.has_activate(),
            has_deactivate: descriptor.has_deactivate(),
            has_run_adding: descriptor.has_run_adding(),
            ports: LazyPorts::new(
                descriptor
                    .ports()
                    .map(|port| PortRecord::of(&port))
                    .collect(),
            ),
        }
    }

    /// The plugin file.
    pub fn path(&self) -> &Path {
        &self.file
    }

    /// The file's identity when it was scanned.
    pub fn stamp(&self) -> Option<FileStamp> {
        self.stamp
    }

    /// The index of this plugin type in its file.
    pub fn index(&self) -> usize {
        self.index
    }

    /// `UniqueID`.
    pub fn unique_id(&self) -> u64 {
        self.unique_id
    }

    /// `Label`.
    pub fn label(&self) -> Text<'_> {
        Text::new(&self.label)
    }

    /// `Name`.
    pub fn name(&self) -> Text<'_> {
        Text::new(&self.name)
    }

    /// `Maker`.
    pub fn maker(&self) -> Text<'_> {
        Text::new(&self.maker)
    }

    /// `Copyright`.
    pub fn copyright(&self) -> Text<'_> {
        Text::new(&self.copyright)
    }

    /// `Properties`.
    pub fn properties(&self) -> Properties {
        self.properties
    }

    /// Whether the plugin has `activate`.
    pub fn has_activate(&self) -> bool {
        self.has_activate
    }

    /// Whether the plugin has `deactivate`.
    pub fn has_deactivate(&self) -> bool {
        self.has_deactivate
    }

    /// Whether the plugin has `run_adding` (and so `set_run_adding_gain`).
    pub fn has_run_adding(&self) -> bool {
        self.has_run_adding
    }

    /// The ports, in index order.
    pub fn ports(&self) -> &[PortRecord] {
        self.ports.get()
    }

    /// The port at `index`, if there is one.
    pub fn port(&self, index: usize) -> Option<&PortRecord> {
        self.ports().get(index)
    }

    /// The number of audio input ports.
    pub fn audio_input_count(&self) -> usize {
        self.count_ports(PortKind::Audio, Direction::Input)
    }

    /// The number of audio output ports.
    pub fn audio_output_count(&self) -> usize {
        self.count_ports(PortKind::Audio, Direction::Output)
    }

    fn count_ports(&self, kind: PortKind, direction: Direction) -> usize {
        self.ports()
            .iter()
            .filter(|port| port.kind() == kind && port.direction() == direction)
            .count()
    }
}
