//! The library's errors as Python exceptions: one class per error variant, defined in
//! `ladspa/errors.py` (where they also derive from `KeyError`, `ValueError`, `OSError`… as
//! Python code expects), raised here with the library's message and the attributes that say
//! what the error is about (`path`, `label`, `stage`, `port`, `candidates`…).

use std::path::Path;

use ladspa_host::audio::AudioError;
use ladspa_host::catalog::{CatalogError, ResolveError};
use ladspa_host::discovery::DiscoveryError;
use ladspa_host::rdf::PresetError;
use ladspa_host::spec::SpecError;
use ladspa_host::{
    ChainError, Descriptor, DescriptorError, FindError, InstantiateError, LoadError, PortError,
    RunError,
};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyModule;

/// The module that defines the exception classes.
static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// An exception of class `class` (a name in `ladspa.errors`) with `message`, and these
/// attributes set on it.
pub(crate) struct Raise {
    class: &'static str,
    message: String,
    attributes: Vec<(&'static str, Attribute)>,
}

/// An attribute value of an exception.
pub(crate) enum Attribute {
    Text(String),
    Path(std::path::PathBuf),
    Index(usize),
    Texts(Vec<String>),
}

impl Raise {
    pub(crate) fn new(class: &'static str, message: impl Into<String>) -> Self {
        Self {
            class,
            message: message.into(),
            attributes: Vec::new(),
        }
    }

    pub(crate) fn with(mut self, name: &'static str, value: Attribute) -> Self {
        self.attributes.push((name, value));
        self
    }

    fn path(self, path: &Path) -> Self {
        self.with("path", Attribute::Path(path.to_owned()))
    }

    fn descriptor(self, descriptor: &Descriptor) -> Self {
        self.path(descriptor.path()).with(
            "label",
            Attribute::Text(descriptor.label().to_string_lossy().into_owned()),
        )
    }

    fn stage(self, stage: Option<usize>) -> Self {
        match stage {
            Some(stage) => self.with("stage", Attribute::Index(stage)),
            None => self,
        }
    }

    /// The Python exception.
    pub(crate) fn into_err(self, py: Python<'_>) -> PyErr {
        match self.build(py) {
            Ok(error) => error,
            Err(error) => error,
        }
    }

    fn build(self, py: Python<'_>) -> PyResult<PyErr> {
        let module = ERRORS.get_or_try_init(py, || {
            PyModule::import(py, "ladspa.errors").map(Bound::unbind)
        })?;
        let class = module.bind(py).getattr(self.class)?;
        let error = class.call1((self.message,))?;
        for (name, value) in self.attributes {
            match value {
                Attribute::Text(text) => error.setattr(name, text)?,
                Attribute::Path(path) => error.setattr(name, crate::text::path_str(py, &path)?)?,
                Attribute::Index(index) => error.setattr(name, index)?,
                Attribute::Texts(texts) => error.setattr(name, texts)?,
            }
        }
        Ok(PyErr::from_value(error))
    }
}

/// A library error as the Python exception of its class.
pub(crate) trait ToPyErr {
    /// The exception, for an error of a chain's stage `stage` when it is one.
    fn raise(&self, stage: Option<usize>) -> Raise;

    /// The Python exception.
    fn to_py(&self, py: Python<'_>) -> PyErr {
        self.raise(None).into_err(py)
    }
}

impl ToPyErr for LoadError {
    fn raise(&self, stage: Option<usize>) -> Raise {
        let class = match self {
            LoadError::EmptyPath => "EmptyPathError",
            LoadError::NotRegularFile { .. } => "NotRegularFileError",
            LoadError::Open { .. } => "OpenError",
            LoadError::NotLadspa { .. } => "NotLadspaError",
            LoadError::NoDescriptors { .. } => "NoDescriptorsError",
            LoadError::EndlessDescriptors { .. } => "EndlessDescriptorsError",
            _ => "LoadError",
        };
        Raise::new(class, self.to_string())
            .path(self.file())
            .stage(stage)
    }
}

impl ToPyErr for DescriptorError {
    fn raise(&self, stage: Option<usize>) -> Raise {
        let mut raise = Raise::new("DescriptorError", self.to_string())
            .path(&self.file)
            .with("defect", Attribute::Text(self.defect.to_string()))
            .stage(stage);
        if let Some(label) = &self.label {
            raise = raise.with("label", Attribute::Text(label.clone()));
        }
        raise
    }
}

impl ToPyErr for FindError {
    fn raise(&self, stage: Option<usize>) -> Raise {
        match self {
            FindError::NotFound { file, .. } => Raise::new("PluginNotFoundError", self.to_string())
                .path(file)
                .stage(stage),
            FindError::Invalid(error) => error.raise(stage),
            _ => Raise::new("LadspaError", self.to_string()).stage(stage),
        }
    }
}

impl ToPyErr for DiscoveryError {
    fn raise(&self, stage: Option<usize>) -> Raise {
        match self {
            DiscoveryError::FileNotFound { name, .. } => {
                Raise::new("PluginFileNotFoundError", self.to_string())
                    .with("name", Attribute::Text(name.clone()))
                    .stage(stage)
            }
            DiscoveryError::PluginNotFound { .. } => {
                Raise::new("PluginNotFoundError", self.to_string()).stage(stage)
            }
            DiscoveryError::Load(error) => error.raise(stage),
            DiscoveryError::Find(error) => error.raise(stage),
            _ => Raise::new("LadspaError", self.to_string()).stage(stage),
        }
    }
}

impl ToPyErr for InstantiateError {
    fn raise(&self, stage: Option<usize>) -> Raise {
        let (class, descriptor) = match self {
            InstantiateError::Failed { descriptor, .. } => ("InstantiateFailedError", descriptor),
            InstantiateError::ZeroSampleRate { descriptor } => ("ZeroSampleRateError", descriptor),
            _ => return Raise::new("InstantiateError", self.to_string()).stage(stage),
        };
        Raise::new(class, self.to_string())
            .descriptor(descriptor)
            .stage(stage)
    }
}

impl ToPyErr for PortError {
    fn raise(&self, stage: Option<usize>) -> Raise {
        let (class, descriptor, port) = match self {
            PortError::NoSuchPort { port, descriptor } => {
                ("NoSuchPortError", descriptor, Attribute::Text(port.clone()))
            }
            PortError::NotControl { descriptor, index } => {
                ("NotControlError", descriptor, Attribute::Index(*index))
            }
            PortError::NotInput { descriptor, index } => {
                ("NotInputError", descriptor, Attribute::Index(*index))
            }
            PortError::Ambiguous {
                descriptor, name, ..
            } => (
                "AmbiguousPortError",
                descriptor,
                Attribute::Text(name.clone()),
            ),
            PortError::NotFinite {
                descriptor, index, ..
            } => ("NotFiniteError", descriptor, Attribute::Index(*index)),
            PortError::DifferentPluginType { descriptor, .. } => (
                "DifferentPluginTypeError",
                descriptor,
                Attribute::Texts(Vec::new()),
            ),
            PortError::OtherPluginType { descriptor, index } => {
                ("OtherPluginTypeError", descriptor, Attribute::Index(*index))
            }
            _ => return Raise::new("PortError", self.to_string()).stage(stage),
        };
        let raise = Raise::new(class, self.to_string())
            .descriptor(descriptor)
            .stage(stage);
        match port {
            Attribute::Texts(_) => raise,
            port => raise.with("port", port),
        }
    }
}

impl ToPyErr for RunError {
    fn raise(&self, stage: Option<usize>) -> Raise {
        let (class, descriptor) = match self {
            RunError::BufferCount { descriptor, .. } => ("BufferCountError", descriptor),
            RunError::BufferTooShort { descriptor, .. } => ("BufferTooShortError", descriptor),
            RunError::EmptyBoundBuffer { descriptor, .. } => ("BufferTooShortError", descriptor),
            RunError::NoRunAdding { descriptor } => ("NoRunAddingError", descriptor),
            RunError::InPlaceBroken { descriptor } => ("InPlaceBrokenError", descriptor),
            RunError::InPlaceBufferCount { descriptor, .. } => {
                ("InPlaceBufferCountError", descriptor)
            }
            _ => return Raise::new("RunError", self.to_string()).stage(stage),
        };
        Raise::new(class, self.to_string())
            .descriptor(descriptor)
            .stage(stage)
    }
}

impl ToPyErr for ChainError {
    fn raise(&self, _stage: Option<usize>) -> Raise {
        let class = match self {
            ChainError::Instantiate { stage, source } => return source.raise(Some(*stage)),
            ChainError::Port { stage, source } => return source.raise(Some(*stage)),
            ChainError::Run { stage, source } => return source.raise(Some(*stage)),
            ChainError::ZeroChannels => "ZeroChannelsError",
            ChainError::ZeroMaxBlock => "ZeroMaxBlockError",
            ChainError::ChannelMismatch { .. } => "ChannelMismatchError",
            ChainError::NoAudioOutputs { .. } => "NoAudioOutputsError",
            ChainError::NoSuchStage { .. } => "NoSuchStageError",
            ChainError::BypassChangesChannels { .. } => "BypassChangesChannelsError",
            ChainError::ChannelCount { .. } => "ChannelCountError",
            ChainError::BufferTooShort { .. } => "ChainBufferTooShortError",
            _ => "ChainError",
        };
        let stage = match self {
            ChainError::ChannelMismatch { stage, .. }
            | ChainError::NoAudioOutputs { stage, .. }
            | ChainError::NoSuchStage { stage, .. }
            | ChainError::BypassChangesChannels { stage, .. } => Some(*stage),
            _ => None,
        };
        let mut raise = Raise::new(class, self.to_string()).stage(stage);
        if let ChainError::ChannelMismatch { label, .. }
        | ChainError::NoAudioOutputs { label, .. }
        | ChainError::BypassChangesChannels { label, .. } = self
        {
            raise = raise.with("label", Attribute::Text(label.clone()));
        }
        raise
    }
}

impl ToPyErr for CatalogError {
    fn raise(&self, stage: Option<usize>) -> Raise {
        let class = match self {
            CatalogError::CurrentExe(_) | CatalogError::Spawn { .. } => "WorkerStartError",
            CatalogError::NotAWorker { .. } => "NotAWorkerError",
            CatalogError::Worker(_) => "WorkerCommunicationError",
            CatalogError::Load(error) => return error.raise(stage),
            CatalogError::Changed { file } => {
                return Raise::new("FileChangedError", self.to_string())
                    .path(file)
                    .stage(stage);
            }
            CatalogError::Missing { file, label, .. } => {
                return Raise::new("PluginNotFoundError", self.to_string())
                    .path(file)
                    .with("label", Attribute::Text(label.clone()))
                    .stage(stage);
            }
            _ => "ScanError",
        };
        Raise::new(class, self.to_string()).stage(stage)
    }
}

impl ToPyErr for ResolveError {
    fn raise(&self, stage: Option<usize>) -> Raise {
        match self {
            ResolveError::Scan(error) => error.raise(stage),
            ResolveError::NotFound { name, .. } => {
                let class = if looks_like_a_file(name) {
                    "PluginFileNotFoundError"
                } else {
                    "PluginNotFoundError"
                };
                Raise::new(class, self.to_string())
                    .with("name", Attribute::Text(name.clone()))
                    .stage(stage)
            }
            ResolveError::Unusable { file, .. } => {
                Raise::new("UnusableFileError", self.to_string())
                    .path(file)
                    .stage(stage)
            }
            ResolveError::NotInFile { source, available } => source
                .raise(stage)
                .with("available", Attribute::Texts(available.clone())),
            ResolveError::SeveralInFile { file, labels } => {
                let candidates = labels
                    .iter()
                    .map(|label| format!("{}:{label}", file.display()))
                    .collect();
                Raise::new("AmbiguousPluginError", self.to_string())
                    .path(file)
                    .with("candidates", Attribute::Texts(candidates))
                    .stage(stage)
            }
            ResolveError::Ambiguous { name, candidates } => {
                let candidates = candidates
                    .iter()
                    .map(|c| format!("{}:{}", c.file.display(), c.label))
                    .collect();
                Raise::new("AmbiguousPluginError", self.to_string())
                    .with("name", Attribute::Text(name.clone()))
                    .with("candidates", Attribute::Texts(candidates))
                    .stage(stage)
            }
            _ => Raise::new("LadspaError", self.to_string()).stage(stage),
        }
    }
}

/// Whether a name that was not found names a file rather than a plugin type.
fn looks_like_a_file(name: &str) -> bool {
    name.contains('/') || name.ends_with(".so")
}

impl ToPyErr for PresetError {
    fn raise(&self, stage: Option<usize>) -> Raise {
        let (class, descriptor) = match self {
            PresetError::OtherPlugin { descriptor, .. } => {
                ("PresetPluginMismatchError", descriptor)
            }
            PresetError::NoSuchPort { descriptor, .. }
            | PresetError::NotControlInput { descriptor, .. } => ("PresetPortError", descriptor),
            PresetError::Port(error) => return error.raise(stage),
            _ => return Raise::new("PresetError", self.to_string()).stage(stage),
        };
        Raise::new(class, self.to_string())
            .descriptor(descriptor)
            .stage(stage)
    }
}

impl ToPyErr for SpecError {
    /// The class of the error underneath (an unknown plugin is still a
    /// `PluginNotFoundError`), with the spec's message, which names the stage.
    fn raise(&self, _stage: Option<usize>) -> Raise {
        let underneath = match self {
            SpecError::Layout(error) => error.raise(None),
            SpecError::Resolve { stage, source, .. } => source.raise(Some(*stage)),
            SpecError::Load { stage, source, .. } => source.raise(Some(*stage)),
            SpecError::Port { stage, source, .. } => source.raise(Some(*stage)),
            SpecError::Chain { stage, source, .. } => source.raise(Some(*stage)),
            _ => Raise::new("ChainSpecError", ""),
        };
        Raise {
            message: self.to_string(),
            ..underneath
        }
    }
}

impl ToPyErr for AudioError {
    fn raise(&self, stage: Option<usize>) -> Raise {
        let (class, file) = match self {
            AudioError::Read { file, .. } => ("AudioReadError", file),
            AudioError::Format { file, .. } => ("AudioFormatError", file),
            AudioError::Create { file, .. } | AudioError::Write { file, .. } => {
                ("AudioWriteError", file)
            }
            AudioError::OutputIsInput { file } => ("OutputIsInputError", file),
            AudioError::NotWavName { file } => ("NotWavNameError", file),
            AudioError::Interrupted { file } => ("AudioWriteError", file),
            AudioError::Chain(error) => return error.raise(stage),
            _ => return Raise::new("AudioFileError", self.to_string()).stage(stage),
        };
        Raise::new(class, self.to_string()).path(file).stage(stage)
    }
}

/// The `TypeError` a live object (loaded plugin code, running instances) gives when it is
/// pickled or copied: it names the spec, which is how a chain goes to another process.
pub(crate) fn not_picklable(class: &str) -> PyErr {
    pyo3::exceptions::PyTypeError::new_err(format!(
        "cannot pickle a {class}: it holds plugin code loaded into this process. To send a \
         chain to another process, send a ladspa.ChainSpec (plugin names and control values, \
         e.g. ladspa.ChainSpec([(\"amp.so:amp_mono\", {{\"Gain\": 0.5}})]), or chain.to_spec()); \
         that process builds it with spec.build(channels, sample_rate) or runs files with \
         ladspa.apply"
    ))
}

/// `Result` with a library error into `PyResult`.
pub(crate) trait OrRaise<T> {
    /// The value, or the library's error as its Python exception.
    fn or_raise(self, py: Python<'_>) -> PyResult<T>;
}

impl<T, E: ToPyErr> OrRaise<T> for Result<T, E> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|error| error.to_py(py))
    }
}
