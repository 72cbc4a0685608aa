//! What `ladspa list` and `ladspa info` say about a plugin type, as data: printed as text or
//! serialised as JSON from the same structures, so the two never disagree.

use ladspa_host::catalog::{PluginRecord, PortRecord};
use ladspa_host::rdf::{Database, PluginRdf};
use ladspa_host::{Direction, PortKind, Properties};
use serde::Serialize;

/// One plugin type in `ladspa list`.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// The plugin file.
    pub file: String,
    /// Its index in the file.
    pub index: usize,
    /// `Label`.
    pub label: String,
    /// `UniqueID`.
    pub unique_id: u64,
    /// `Name`.
    pub name: String,
    /// Audio inputs.
    pub audio_inputs: usize,
    /// Audio outputs.
    pub audio_outputs: usize,
    /// The RDF class's label, when the metadata gives one.
    pub class: Option<String>,
}

impl Summary {
    /// The summary of `plugin`, its class from `rdf`.
    pub fn of(plugin: &PluginRecord, rdf: &Database) -> Self {
        Self {
            file: plugin.path().display().to_string(),
            index: plugin.index(),
            label: plugin.label().to_string(),
            unique_id: plugin.unique_id(),
            name: plugin.name().to_string(),
            audio_inputs: plugin.audio_input_count(),
            audio_outputs: plugin.audio_output_count(),
            class: rdf
                .plugin(plugin.unique_id())
                .and_then(PluginRdf::class)
                .map(ToString::to_string),
        }
    }
}

/// Everything `ladspa info` says about a plugin type.
#[derive(Debug, Serialize)]
pub struct Details {
    /// What `list` says.
    #[serde(flatten)]
    pub summary: Summary,
    /// `Maker`.
    pub maker: String,
    /// `Copyright`.
    pub copyright: String,
    /// The properties' names (`realtime`, `inplace-broken`, `hard-rt-capable`).
    pub properties: Vec<&'static str>,
    /// Whether it has `run_adding`.
    pub run_adding: bool,
    /// The class's ancestors in the LADSPA ontology, nearest first (the class itself is
    /// `class`), from the RDF metadata.
    pub class_ancestors: Vec<String>,
    /// The sample rate the bounds and defaults are given at.
    pub sample_rate: u32,
    /// Every port.
    pub ports: Vec<PortDetails>,
    /// The presets of the RDF metadata.
    pub presets: Vec<PresetDetails>,
}

/// A port in `ladspa info`.
#[derive(Debug, Serialize)]
pub struct PortDetails {
    /// Its index.
    pub index: usize,
    /// `PortNames[index]`.
    pub name: String,
    /// `input` or `output`.
    pub direction: &'static str,
    /// `audio` or `control`.
    pub kind: &'static str,
    /// The lower bound at the sample rate, if declared.
    pub lower: Option<f32>,
    /// The upper bound at the sample rate, if declared.
    pub upper: Option<f32>,
    /// The default at the sample rate, if declared (and a finite number).
    pub default: Option<f32>,
    /// `toggled`, `logarithmic`, `integer`, `sample-rate` as declared.
    pub hints: Vec<&'static str>,
    /// Units from the RDF metadata.
    pub units: Option<String>,
    /// Named values from the RDF metadata.
    pub scale_points: Vec<PointDetails>,
}

/// A named value of a port.
#[derive(Debug, Serialize)]
pub struct PointDetails {
    /// The value.
    pub value: f32,
    /// Its name.
    pub label: String,
}

/// A preset of the RDF metadata.
#[derive(Debug, Serialize)]
pub struct PresetDetails {
    /// Its name, if it has one.
    pub name: Option<String>,
    /// Whether it is the plugin's default setting.
    pub default: bool,
    /// `(port index, value)` pairs.
    pub values: Vec<(usize, f32)>,
}

impl Details {
    /// The details of `plugin` at `sample_rate`, with what `rdf` says about it.
    pub fn of(plugin: &PluginRecord, rdf: &Database, sample_rate: u32) -> Self {
        let metadata = rdf.plugin(plugin.unique_id());
        let properties = [
            (Properties::REALTIME, "realtime"),
            (Properties::INPLACE_BROKEN, "inplace-broken"),
            (Properties::HARD_RT_CAPABLE, "hard-rt-capable"),
        ]
        .into_iter()
        .filter(|(flag, _)| plugin.properties().contains(*flag))
        .map(|(_, name)| name)
        .collect();
        let class_ancestors = metadata
            .map(|m| {
                m.class_ancestors()
                    .iter()
                    .filter(|class| class.name != "Plugin")
                    .map(ToString::to_string)
                    .collect()
            })
            .unwrap_or_default();
        Self {
            summary: Summary::of(plugin, rdf),
            maker: plugin.maker().to_string(),
            copyright: plugin.copyright().to_string(),
            properties,
            run_adding: plugin.has_run_adding(),
            class_ancestors,
            sample_rate,
            ports: plugin
                .ports()
                .iter()
                .map(|port| PortDetails::of(port, metadata, sample_rate))
                .collect(),
            presets: metadata
                .map(|m| {
                    m.presets()
                        .iter()
                        .map(|preset| PresetDetails {
                            name: preset.name().map(str::to_owned),
                            default: preset.is_default(),
                            values: preset.values().iter().map(|v| (v.port, v.value)).collect(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

impl PortDetails {
    fn of(port: &PortRecord, metadata: Option<&PluginRdf>, sample_rate: u32) -> Self {
        let hint = port.hint();
        let (lower, upper) = hint.bounds_at(sample_rate);
        let rdf = metadata.and_then(|m| m.port(port.index()));
        let hints = [
            (hint.is_toggled(), "toggled"),
            (hint.is_logarithmic(), "logarithmic"),
            (hint.is_integer(), "integer"),
            (hint.is_sample_rate(), "sample-rate"),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, name)| name)
        .collect();
        Self {
            index: port.index(),
            name: port.name().to_string(),
            direction: match port.direction() {
                Direction::Input => "input",
                Direction::Output => "output",
            },
            kind: match port.kind() {
                PortKind::Audio => "audio",
                PortKind::Control => "control",
            },
            lower,
            upper,
            default: hint.default_value(sample_rate),
            hints,
            units: rdf.and_then(|r| r.units()).map(ToString::to_string),
            scale_points: rdf
                .map(|r| {
                    r.scale_points()
                        .iter()
                        .map(|point| PointDetails {
                            value: point.value,
                            label: point.label.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}
