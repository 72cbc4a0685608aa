//! The LADSPA ontology's plugin classes (reverb, filter, amplifier…): a built-in table of the
//! classes that liblrdf's `ladspa.rdfs` defines, extended by classes that RDF files declare
//! (`swh-aux.rdf` adds `SpectralPlugin` and `NotchPlugin`).
//!
//! A `ladspa:*Plugin` type that nothing declares (`swh-plugins.rdf` types two plugins
//! `ladspa:MixerPlugin`, which the ontology lacks) is taken as a class of its own, directly
//! under `Plugin` and without a label, so that hosts still see it.
//!
//! The table is built in so that classes have their labels and parents on a machine without
//! liblrdf's package (which is the only one that installs `ladspa.rdfs`); a `ladspa.rdfs` on
//! the RDF path is read like any other file and agrees with it.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use super::graph::{Graph, Term};
use super::vocabulary::{HAS_LABEL, LADSPA, RDF_TYPE, RDFS_CLASS, RDFS_LABEL, RDFS_SUBCLASS_OF};

/// The root class, which every plugin class descends from.
pub(crate) const ROOT: &str = "Plugin";

/// `(class, label, parents)` of every plugin class of the LADSPA ontology, `Plugin` first.
const BUILT_IN: &[(&str, &str, &[&str])] = &[
    (ROOT, "", &[]),
    ("UtilityPlugin", "Utilities", &[ROOT]),
    ("GeneratorPlugin", "Generators", &[ROOT]),
    ("SimulatorPlugin", "Simulators", &[ROOT]),
    ("OscillatorPlugin", "Oscillators", &["GeneratorPlugin"]),
    ("TimePlugin", "Time", &[ROOT]),
    ("DelayPlugin", "Delays", &["TimePlugin"]),
    ("PhaserPlugin", "Phasers", &["TimePlugin"]),
    ("FlangerPlugin", "Flangers", &["TimePlugin"]),
    ("ChorusPlugin", "Chorus", &["TimePlugin"]),
    (
        "ReverbPlugin",
        "Reverbs",
        &["TimePlugin", "SimulatorPlugin"],
    ),
    ("FrequencyPlugin", "Frequency", &[ROOT]),
    ("FrequencyMeterPlugin", "Measurement", &["FrequencyPlugin"]),
    ("FilterPlugin", "Filters", &["FrequencyPlugin"]),
    ("LowpassPlugin", "Lowpass", &["FilterPlugin"]),
    ("HighpassPlugin", "Highpass", &["FilterPlugin"]),
    ("BandpassPlugin", "Bandpass", &["FilterPlugin"]),
    ("CombPlugin", "Combs", &["FilterPlugin"]),
    ("AllpassPlugin", "Allpass", &["FilterPlugin"]),
    ("EQPlugin", "EQs", &["FrequencyPlugin"]),
    ("ParaEQPlugin", "Parametric", &["EQPlugin"]),
    ("MultiEQPlugin", "Multiband", &["EQPlugin"]),
    ("AmplitudePlugin", "Amplitude", &[ROOT]),
    ("PitchPlugin", "Pitch shifters", &["FrequencyPlugin"]),
    ("AmplifierPlugin", "Amplifiers", &["AmplitudePlugin"]),
    ("WaveshaperPlugin", "Waveshapers", &["AmplitudePlugin"]),
    ("ModulatorPlugin", "Modulators", &["AmplitudePlugin"]),
    ("DistortionPlugin", "Distortions", &["AmplitudePlugin"]),
    ("DynamicsPlugin", "Dynamics", &["AmplitudePlugin"]),
    ("CompressorPlugin", "Compressors", &["DynamicsPlugin"]),
    ("ExpanderPlugin", "Expanders", &["DynamicsPlugin"]),
    ("LimiterPlugin", "Limiters", &["DynamicsPlugin"]),
    ("GatePlugin", "Gates", &["DynamicsPlugin"]),
];

/// A class of the LADSPA ontology's plugin taxonomy, such as `ReverbPlugin` ("Reverbs").
///
/// `Display` gives the label (or the name when the class has none), as hosts show it in their
/// plugin menus.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PluginClass {
    /// The class's name in the ontology (`ReverbPlugin`): its IRI without the namespace.
    pub name: String,
    /// Its human label (`Reverbs`), if it has one.
    pub label: Option<String>,
    /// The names of its direct superclasses (`TimePlugin`, `SimulatorPlugin`); empty for the
    /// root class `Plugin`.
    pub parents: Vec<String>,
}

impl fmt::Display for PluginClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label.as_deref().unwrap_or(&self.name))
    }
}

/// Every known plugin class by name.
#[derive(Debug, Clone)]
pub(crate) struct Hierarchy {
    classes: BTreeMap<String, PluginClass>,
}

impl Hierarchy {
    /// The built-in classes, extended by every class in the LADSPA namespace that `graph`
    /// declares (`rdf:type rdfs:Class` or `rdfs:subClassOf`); a declared label or parent is
    /// added to what a class already has.
    pub(crate) fn new(graph: &Graph) -> Self {
        let mut classes: BTreeMap<String, PluginClass> = BUILT_IN
            .iter()
            .map(|&(name, label, parents)| {
                let class = PluginClass {
                    name: name.to_owned(),
                    label: (!label.is_empty()).then(|| label.to_owned()),
                    parents: parents.iter().map(|&parent| parent.to_owned()).collect(),
                };
                (name.to_owned(), class)
            })
            .collect();
        for subject in graph.subjects() {
            let Some(name) = subject.iri().and_then(|iri| iri.strip_prefix(LADSPA)) else {
                continue;
            };
            let parents: Vec<&str> = graph
                .objects(subject, RDFS_SUBCLASS_OF)
                .filter_map(|parent| parent.iri()?.strip_prefix(LADSPA))
                .collect();
            let declared = graph.has_type(subject, RDFS_CLASS) || !parents.is_empty();
            if !declared || name.is_empty() {
                continue;
            }
            let class = classes
                .entry(name.to_owned())
                .or_insert_with(|| PluginClass {
                    name: name.to_owned(),
                    label: None,
                    parents: Vec::new(),
                });
            if class.label.is_none() {
                class.label = label(graph, subject).map(str::to_owned);
            }
            for parent in parents {
                if !class.parents.iter().any(|known| known == parent) {
                    class.parents.push(parent.to_owned());
                }
            }
        }
        let undeclared: Vec<&str> = graph
            .subjects()
            .flat_map(|subject| graph.objects(subject, RDF_TYPE))
            .filter_map(|class| class.iri()?.strip_prefix(LADSPA))
            .filter(|name| name.len() > ROOT.len() && name.ends_with(ROOT))
            .filter(|name| !classes.contains_key(*name))
            .collect();
        for name in undeclared {
            classes
                .entry(name.to_owned())
                .or_insert_with(|| PluginClass {
                    name: name.to_owned(),
                    label: None,
                    parents: vec![ROOT.to_owned()],
                });
        }
        Self { classes }
    }

    /// Every class that descends from `Plugin`, by name.
    pub(crate) fn plugin_classes(&self) -> impl Iterator<Item = &PluginClass> {
        self.classes
            .values()
            .filter(|class| class.name != ROOT && self.is_plugin_class(&class.name))
    }

    /// The ancestors of a class, nearest first (breadth-first, each once), without the class
    /// itself and without the root `Plugin`. Cycles, which only broken files declare, end the
    /// walk where it comes back.
    pub(crate) fn ancestors(&self, name: &str) -> Vec<&PluginClass> {
        let mut seen: HashSet<&str> = HashSet::from([name, ROOT]);
        let mut queue = vec![name];
        let mut found = Vec::new();
        let mut next = 0;
        while let Some(&current) = queue.get(next) {
            next += 1;
            let Some(class) = self.classes.get(current) else {
                continue;
            };
            for parent in &class.parents {
                if seen.insert(parent) {
                    queue.push(parent);
                    found.extend(self.classes.get(parent.as_str()));
                }
            }
        }
        found
    }

    /// Whether `name` is a known class that descends from `Plugin`.
    pub(crate) fn is_plugin_class(&self, name: &str) -> bool {
        let under_root = |class: &PluginClass| class.parents.iter().any(|parent| parent == ROOT);
        self.classes.get(name).is_some_and(|class| {
            under_root(class) || self.ancestors(name).into_iter().any(under_root)
        })
    }

    /// The most specific plugin classes among the `rdf:type`s of `nodes`: those that are no
    /// ancestor of another of them, in document order.
    pub(crate) fn classes_of<'h>(&'h self, graph: &Graph, nodes: &[&Term]) -> Vec<&'h PluginClass> {
        let mut types: Vec<&PluginClass> = Vec::new();
        for object in nodes.iter().flat_map(|node| graph.objects(node, RDF_TYPE)) {
            let Some(class) = object
                .iri()
                .and_then(|iri| iri.strip_prefix(LADSPA))
                .filter(|name| self.is_plugin_class(name))
                .and_then(|name| self.classes.get(name))
            else {
                continue;
            };
            if !types.iter().any(|known| known.name == class.name) {
                types.push(class);
            }
        }
        let is_ancestor_of_another = |class: &PluginClass| {
            types.iter().any(|other| {
                self.ancestors(&other.name)
                    .iter()
                    .any(|a| a.name == class.name)
            })
        };
        types
            .iter()
            .copied()
            .filter(|class| !is_ancestor_of_another(class))
            .collect()
    }
}

/// A node's label: `ladspa:hasLabel`, else `rdfs:label`.
pub(crate) fn label<'g>(graph: &'g Graph, node: &Term) -> Option<&'g str> {
    graph
        .literal(node, HAS_LABEL)
        .or_else(|| graph.literal(node, RDFS_LABEL))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_hierarchy_has_every_class_under_plugin() {
        let hierarchy = Hierarchy::new(&Graph::default());
        assert_eq!(hierarchy.plugin_classes().count(), BUILT_IN.len() - 1);
        let reverb: Vec<&str> = hierarchy
            .ancestors("ReverbPlugin")
            .iter()
            .map(|class| class.name.as_str())
            .collect();
        assert_eq!(reverb, ["TimePlugin", "SimulatorPlugin"]);
        let lowpass = hierarchy
            .plugin_classes()
            .find(|class| class.name == "LowpassPlugin");
        assert_eq!(lowpass.unwrap().to_string(), "Lowpass");
        assert!(!hierarchy.is_plugin_class("Plugin"));
        assert!(!hierarchy.is_plugin_class("NoSuchPlugin"));
    }
}
