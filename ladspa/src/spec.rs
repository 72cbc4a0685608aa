//! Chain specs: a plain description of a chain (plugins by name, control values, bypass) that
//! travels as JSON or between processes and is built into a [`Chain`] wherever it arrives.
//!
//! A [`Chain`] holds loaded plugin files and running instances: it cannot leave its process. A
//! [`ChainSpec`] holds only names and numbers, so a batch job can send it to worker processes
//! or machines, a command line can read it from a file (`ladspa apply --chain spec.json`), and
//! Python can pickle it. Plugins are named as everywhere else in the project
//! ([`PluginName`]: `file.so`, `file.so:label`, a label or a unique ID),
//! resolved by the catalog's [`Resolver`], so a spec means the same plugin wherever the same
//! plugin files are installed.
//!
//! ```
//! use ladspa_host::spec::{ChainSpec, PortKey, StageSpec};
//!
//! let spec = ChainSpec::new([
//!     StageSpec::new("amp.so:amp_mono").control("Gain", 0.5),
//!     StageSpec::new("delay.so:delay_5s").control(0, 0.1).bypass(true),
//! ]);
//! let json = spec.to_json();
//! assert_eq!(ChainSpec::from_json(&json)?, spec);
//! assert_eq!(spec.stages[1].controls[0].port, PortKey::Index(0));
//! # Ok::<(), ladspa_host::spec::SpecError>(())
//! ```
//!
//! The JSON form, version [`FORMAT_VERSION`]:
//!
//! ```json
//! {"version": 1, "stages": [
//!   {"plugin": "amp.so:amp_mono", "controls": [{"port": "Gain", "value": 0.5}], "bypass": false},
//!   {"plugin": "delay.so:delay_5s", "controls": [{"port": 0, "value": 0.1}], "bypass": true}
//! ]}
//! ```
//!
//! A port is a JSON string (its name) or a non-negative integer (its index), so that a port
//! named `"0"` and port 0 stay distinct; `controls` and `bypass` may be left out.
//!
//! Where the spec arrives, [`ChainSpec::load`] resolves and loads its plugins once (a
//! [`LoadedSpec`]), and [`LoadedSpec::build`] makes a chain of fresh instances for each file's
//! channel count and sample rate; [`ChainSpec::build`] does both at once.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::catalog::{CatalogError, ResolveError, Resolver};
use crate::chain::{Chain, ChainError};
use crate::descriptor::Descriptor;
use crate::plugin_name::PluginName;
use crate::port_error::PortError;

/// The version of the spec format this crate writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// A chain, described: its stages in order. Channel count, sample rate and block size are the
/// builder's ([`ChainSpec::build`]), since they belong to the audio the chain will process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainSpec {
    /// The format version ([`FORMAT_VERSION`]).
    pub version: u32,
    /// The stages, in processing order.
    pub stages: Vec<StageSpec>,
}

/// One stage of a [`ChainSpec`]: a plugin type, the values of some of its control inputs, and
/// whether it starts bypassed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageSpec {
    /// The plugin, named as the command line names it (see [`PluginName`]).
    pub plugin: String,
    /// Control inputs to set, in order (a later setting of the same port wins).
    #[serde(default)]
    pub controls: Vec<ControlSetting>,
    /// Whether the stage is bypassed (its input passes through, delayed by its latency).
    #[serde(default)]
    pub bypass: bool,
}

/// A value for one control input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlSetting {
    /// The control input.
    pub port: PortKey,
    /// Its value (finite; the plugin's declared range is a hint, as for
    /// [`Handle::set_control`](crate::Handle::set_control)).
    pub value: f32,
}

/// A port named in a spec: by index or by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PortKey {
    /// The port's index among all the plugin's ports.
    Index(usize),
    /// The port's name, as the plugin gives it.
    Name(String),
}

impl From<usize> for PortKey {
    fn from(index: usize) -> Self {
        Self::Index(index)
    }
}

impl From<&str> for PortKey {
    fn from(name: &str) -> Self {
        Self::Name(name.to_owned())
    }
}

impl From<String> for PortKey {
    fn from(name: String) -> Self {
        Self::Name(name)
    }
}

impl fmt::Display for PortKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Index(index) => write!(f, "port {index}"),
            Self::Name(name) => write!(f, "port \"{name}\""),
        }
    }
}

/// Why a spec could not be read or built. Stages are counted from 1 in messages, as a person
/// counts them; the `stage` fields are indices from 0.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SpecError {
    /// The text is not a spec (JSON syntax, a missing or unknown field, a wrong type).
    #[error("not a chain spec: {0}")]
    Json(#[from] serde_json::Error),
    /// The spec was written in a format version this crate does not read.
    #[error(
        "chain spec version {found} is not supported (this version of the library reads version {FORMAT_VERSION})"
    )]
    Version {
        /// The version the spec says it is.
        found: u32,
    },
    /// The chain itself could not be made (no channels, no block size).
    #[error("cannot make the chain: {0}")]
    Layout(#[source] ChainError),
    /// A stage's plugin name stands for no usable plugin type.
    #[error("stage {} (`{plugin}`): {source}", stage + 1)]
    Resolve {
        /// The stage, from 0.
        stage: usize,
        /// The plugin as the spec names it.
        plugin: String,
        /// Why it did not resolve (boxed: resolve errors are large, and rare).
        source: Box<ResolveError>,
    },
    /// A stage's plugin file could not be loaded into this process.
    #[error("stage {} (`{plugin}`): {source}", stage + 1)]
    Load {
        /// The stage, from 0.
        stage: usize,
        /// The plugin as the spec names it.
        plugin: String,
        /// Why it did not load.
        source: CatalogError,
    },
    /// A stage's control setting names no control input of its plugin, or its value is not
    /// finite.
    #[error("stage {} (`{plugin}`): {source}", stage + 1)]
    Port {
        /// The stage, from 0.
        stage: usize,
        /// The plugin as the spec names it.
        plugin: String,
        /// What the plugin type said.
        source: PortError,
    },
    /// The chain refused a stage (its channels do not fit) or a bypass.
    #[error("stage {} (`{plugin}`): {source}", stage + 1)]
    Chain {
        /// The stage, from 0.
        stage: usize,
        /// The plugin as the spec names it.
        plugin: String,
        /// What the chain said.
        source: ChainError,
    },
}

impl StageSpec {
    /// A stage of this plugin, controls at their defaults, not bypassed.
    pub fn new(plugin: impl Into<String>) -> Self {
        Self {
            plugin: plugin.into(),
            controls: Vec::new(),
            bypass: false,
        }
    }

    /// Adds a control setting.
    #[must_use]
    pub fn control(mut self, port: impl Into<PortKey>, value: f32) -> Self {
        self.controls.push(ControlSetting {
            port: port.into(),
            value,
        });
        self
    }

    /// Sets whether the stage starts bypassed.
    #[must_use]
    pub fn bypass(mut self, on: bool) -> Self {
        self.bypass = on;
        self
    }
}

impl ChainSpec {
    /// A spec of these stages, in the current format version.
    pub fn new(stages: impl IntoIterator<Item = StageSpec>) -> Self {
        Self {
            version: FORMAT_VERSION,
            stages: stages.into_iter().collect(),
        }
    }

    /// Reads a spec from its JSON form, refusing versions this crate does not know.
    pub fn from_json(text: &str) -> Result<Self, SpecError> {
        // The version first, so that a spec of another version is refused as such rather than
        // for a field this version does not know.
        #[derive(Deserialize)]
        struct Version {
            version: u32,
        }
        let Version { version } = serde_json::from_str(text)?;
        if version != FORMAT_VERSION {
            return Err(SpecError::Version { found: version });
        }
        Ok(serde_json::from_str(text)?)
    }

    /// The spec's JSON form (compact, one line).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a spec of strings, numbers and booleans serialises")
    }

    /// Resolves each stage's plugin with `resolver`, loads its file into this process and
    /// checks its controls (names resolved to port indices, values finite): a [`LoadedSpec`],
    /// ready to build chains ([`LoadedSpec::build`]) for any channel count and sample rate
    /// without loading anything again. A batch loads a spec once and instantiates per file.
    ///
    /// # Safety
    /// Loading a plugin file runs its code in this process, as for
    /// [`Plugin::load`](crate::Plugin::load): the plugins the spec names must be trusted. The
    /// resolver found them through scans in worker processes, which only protects the scan.
    pub unsafe fn load(&self, resolver: &mut Resolver) -> Result<LoadedSpec, SpecError> {
        let mut stages = Vec::with_capacity(self.stages.len());
        for (stage, spec) in self.stages.iter().enumerate() {
            let plugin = || spec.plugin.clone();
            let record = resolver
                .resolve_one(&PluginName::parse(&spec.plugin))
                .map_err(|source| SpecError::Resolve {
                    stage,
                    plugin: plugin(),
                    source: Box::new(source),
                })?;
            // SAFETY: the caller trusts the plugins this spec names.
            let descriptor = unsafe { record.load() }.map_err(|source| SpecError::Load {
                stage,
                plugin: plugin(),
                source,
            })?;
            let controls = spec
                .controls
                .iter()
                .map(|setting| setting.resolve(&descriptor))
                .collect::<Result<_, _>>()
                .map_err(|source| SpecError::Port {
                    stage,
                    plugin: plugin(),
                    source,
                })?;
            stages.push(LoadedStage {
                plugin: plugin(),
                descriptor,
                controls,
                bypass: spec.bypass,
            });
        }
        Ok(LoadedSpec { stages })
    }

    /// Builds the chain: [`ChainSpec::load`], then [`LoadedSpec::build`] for `channels`
    /// channels at `sample_rate` running blocks of at most `max_block` samples.
    ///
    /// # Safety
    /// As for [`ChainSpec::load`]: the plugins the spec names must be trusted.
    pub unsafe fn build(
        &self,
        resolver: &mut Resolver,
        channels: usize,
        sample_rate: u32,
        max_block: usize,
    ) -> Result<Chain, SpecError> {
        // SAFETY: the caller's promise is load's.
        unsafe { self.load(resolver) }?.build(channels, sample_rate, max_block)
    }
}

impl ControlSetting {
    /// The control input's index on `descriptor` and the value, checked as
    /// [`Handle::set_control`](crate::Handle::set_control) checks them.
    fn resolve(&self, descriptor: &Descriptor) -> Result<(usize, f32), PortError> {
        let port = match &self.port {
            PortKey::Index(index) => descriptor.control_input(*index)?.index(),
            // Names by the rules every front end shares (any case, when one control input has
            // the name: crate::control_setting); a miss gets the descriptor's own error.
            PortKey::Name(name) => {
                match crate::control_setting::find_control_input(descriptor, name) {
                    Ok(index) => index,
                    Err(_) => descriptor.control_input(name)?.index(),
                }
            }
        };
        if !self.value.is_finite() {
            return Err(PortError::NotFinite {
                descriptor: descriptor.clone(),
                index: port,
                value: self.value,
            });
        }
        Ok((port, self.value))
    }
}

/// A [`ChainSpec`] whose plugins are loaded into this process and whose controls are resolved
/// to port indices ([`ChainSpec::load`]): it builds chains for any channel count and sample
/// rate, each with instances of its own, and is what a worker keeps between files.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The stages, in processing order.
    pub stages: Vec<LoadedStage>,
}

/// One stage of a [`LoadedSpec`]: a plugin type, control values by port index, bypass.
#[derive(Debug, Clone)]
pub struct LoadedStage {
    /// The plugin as the spec names it (for messages).
    pub plugin: String,
    /// The plugin type.
    pub descriptor: Descriptor,
    /// `(port index, value)` for the control inputs to set, in order; the others start at
    /// their defaults.
    pub controls: Vec<(usize, f32)>,
    /// Whether the stage starts bypassed.
    pub bypass: bool,
}

impl LoadedSpec {
    /// A new chain of these stages for `channels` channels at `sample_rate`, running blocks of
    /// at most `max_block` samples: fresh instances, controls set before they are activated,
    /// bypass applied.
    pub fn build(
        &self,
        channels: usize,
        sample_rate: u32,
        max_block: usize,
    ) -> Result<Chain, SpecError> {
        let mut chain = Chain::new(channels, sample_rate, max_block).map_err(SpecError::Layout)?;
        for (stage, loaded) in self.stages.iter().enumerate() {
            let chain_error = |source| SpecError::Chain {
                stage,
                plugin: loaded.plugin.clone(),
                source,
            };
            let added = chain.add(&loaded.descriptor).map_err(chain_error)?;
            for &(port, value) in &loaded.controls {
                chain.set_control(added, port, value).map_err(chain_error)?;
            }
            if loaded.bypass {
                chain.set_bypass(added, true).map_err(chain_error)?;
            }
        }
        Ok(chain)
    }

    /// The stages as the file job takes them, for [`crate::audio::process_file`]: how
    /// `ladspa apply --chain` and the Python package's `ladspa.apply` run a spec over files.
    #[cfg(feature = "audio")]
    pub fn file_stages(&self) -> Vec<crate::audio::StageSpec> {
        let stage = |loaded: &LoadedStage| {
            let mut stage = crate::audio::StageSpec::new(loaded.descriptor.clone());
            stage.controls = loaded.controls.clone();
            stage.bypass = loaded.bypass;
            stage
        };
        self.stages.iter().map(stage).collect()
    }
}
