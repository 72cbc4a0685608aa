//! What the RDF files say about one plugin: its class, its ports' labels, units and scale
//! points, and its presets.

use std::fmt;

use super::ontology::PluginClass;

/// Everything the RDF files say about one plugin type, found by unique ID
/// ([`Database::plugin`](super::Database::plugin)). Every part may be empty: files often give
/// only a class, or only the scale points of one port.
#[derive(Debug, Clone, PartialEq)]
pub struct PluginRdf {
    pub(crate) unique_id: u64,
    pub(crate) title: Option<String>,
    pub(crate) creator: Option<String>,
    pub(crate) rights: Option<String>,
    pub(crate) class: Option<PluginClass>,
    pub(crate) class_ancestors: Vec<PluginClass>,
    pub(crate) ports: Vec<PortRdf>,
    pub(crate) presets: Vec<Preset>,
}

impl PluginRdf {
    /// The plugin's unique ID.
    pub fn unique_id(&self) -> u64 {
        self.unique_id
    }

    /// `dc:title`: the plugin's name in the metadata.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// `dc:creator`: the plugin's author in the metadata.
    pub fn creator(&self) -> Option<&str> {
        self.creator.as_deref()
    }

    /// `dc:rights`: the plugin's licence in the metadata.
    pub fn rights(&self) -> Option<&str> {
        self.rights.as_deref()
    }

    /// The plugin's class in the LADSPA ontology (`ReverbPlugin`, labelled "Reverbs"): the most
    /// specific one when several are stated.
    pub fn class(&self) -> Option<&PluginClass> {
        self.class.as_ref()
    }

    /// The ancestors of [`class`](Self::class), nearest first, without the root class `Plugin`
    /// (for `ReverbPlugin`: `TimePlugin`, `SimulatorPlugin`).
    pub fn class_ancestors(&self) -> &[PluginClass] {
        &self.class_ancestors
    }

    /// The ports the files describe, by index.
    pub fn ports(&self) -> &[PortRdf] {
        &self.ports
    }

    /// What the files say about port `index`, if anything.
    pub fn port(&self, index: usize) -> Option<&PortRdf> {
        self.ports
            .binary_search_by_key(&index, |port| port.index)
            .ok()
            .map(|at| &self.ports[at])
    }

    /// The named values of port `index` (empty when it has none).
    pub fn scale_points(&self, index: usize) -> &[ScalePoint] {
        self.port(index).map_or(&[], |port| &port.scale_points)
    }

    /// Every setting of the plugin (`ladspa:hasSetting`): its presets and its default setting,
    /// in the order the files give them.
    pub fn presets(&self) -> &[Preset] {
        &self.presets
    }

    /// The plugin's default setting (a `ladspa:Default`), if the files give one.
    pub fn default_preset(&self) -> Option<&Preset> {
        self.presets.iter().find(|preset| preset.is_default)
    }

    /// The preset of this name, if any.
    pub fn preset(&self, name: &str) -> Option<&Preset> {
        self.presets
            .iter()
            .find(|preset| preset.name.as_deref() == Some(name))
    }
}

/// What the RDF files say about one port.
#[derive(Debug, Clone, PartialEq)]
pub struct PortRdf {
    pub(crate) index: usize,
    pub(crate) label: Option<String>,
    pub(crate) units: Option<Units>,
    pub(crate) scale_points: Vec<ScalePoint>,
}

impl PortRdf {
    /// The port's index.
    pub fn index(&self) -> usize {
        self.index
    }

    /// `ladspa:hasLabel`: a short identifier of the port (tap_reverb's port 7 is "type").
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }

    /// `ladspa:hasUnits`: what the port's value is measured in.
    pub fn units(&self) -> Option<&Units> {
        self.units.as_ref()
    }

    /// The named values of the port, in the order the files give them.
    pub fn scale_points(&self) -> &[ScalePoint] {
        &self.scale_points
    }

    /// The label of the scale point whose value is exactly `value`, if any: what a host shows
    /// instead of the number.
    pub fn label_of(&self, value: f32) -> Option<&str> {
        self.scale_points
            .iter()
            .find(|point| point.value == value)
            .map(|point| point.label.as_str())
    }
}

/// A named value of a port (`ladspa:Point`): tap_reverb's "Reverb Type" 0 is "AfterBurn".
///
/// `Display` gives `value = label`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ScalePoint {
    /// The value (`rdf:value`).
    pub value: f32,
    /// Its name (`ladspa:hasLabel`).
    pub label: String,
}

impl fmt::Display for ScalePoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}", self.value, self.label)
    }
}

/// The units of a port (`ladspa:hasUnits`): the ones the LADSPA ontology defines, or another
/// resource's IRI.
///
/// `Display` gives the usual symbol (`dB`, `Hz`, `ms`…).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Units {
    /// `ladspa:dB`: decibels.
    Decibels,
    /// `ladspa:coef`: a plain coefficient.
    Coefficient,
    /// `ladspa:Hz`: hertz.
    Hertz,
    /// `ladspa:seconds`.
    Seconds,
    /// `ladspa:milliseconds`.
    Milliseconds,
    /// `ladspa:minutes`.
    Minutes,
    /// Units the LADSPA ontology does not define, by IRI (or name in the LADSPA namespace).
    Other(String),
}

impl Units {
    /// The units a `ladspa:hasUnits` IRI names.
    pub(crate) fn from_iri(iri: &str) -> Self {
        match iri.strip_prefix(super::vocabulary::LADSPA) {
            Some("dB") => Self::Decibels,
            Some("coef") => Self::Coefficient,
            Some("Hz") => Self::Hertz,
            Some("seconds") => Self::Seconds,
            Some("milliseconds") => Self::Milliseconds,
            Some("minutes") => Self::Minutes,
            Some(other) => Self::Other(other.to_owned()),
            None => Self::Other(iri.to_owned()),
        }
    }
}

impl fmt::Display for Units {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Decibels => "dB",
            Self::Coefficient => "coef",
            Self::Hertz => "Hz",
            Self::Seconds => "s",
            Self::Milliseconds => "ms",
            Self::Minutes => "min",
            Self::Other(name) => name,
        })
    }
}

/// A named set of control values for a plugin (`ladspa:hasSetting`): a `ladspa:Preset`, or the
/// plugin's `ladspa:Default`. Apply it with
/// [`Handle::apply_preset`](crate::Handle::apply_preset).
///
/// `Display` gives how errors name it: `default preset`, `preset "name"`…
#[derive(Debug, Clone, PartialEq)]
pub struct Preset {
    pub(crate) plugin: u64,
    pub(crate) name: Option<String>,
    pub(crate) is_default: bool,
    pub(crate) values: Vec<PortValue>,
}

impl Preset {
    /// The unique ID of the plugin the preset is for.
    pub fn plugin(&self) -> u64 {
        self.plugin
    }

    /// The preset's name (`dc:title`, else `ladspa:hasLabel` or `rdfs:label`), if it has one
    /// (default settings usually have none).
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Whether this is the plugin's default setting (`ladspa:Default`).
    pub fn is_default(&self) -> bool {
        self.is_default
    }

    /// The values, by port index, in the order the files give them.
    pub fn values(&self) -> &[PortValue] {
        &self.values
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.is_default {
            "default preset"
        } else {
            "preset"
        };
        match &self.name {
            Some(name) => write!(f, "{kind} {name:?}"),
            None if self.is_default => f.write_str(kind),
            None => f.write_str("unnamed preset"),
        }
    }
}

/// One value of a [`Preset`]: port `port` is set to `value` (`ladspa:PortValue`).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct PortValue {
    /// The port's index.
    pub port: usize,
    /// The value, a finite number.
    pub value: f32,
}
