//! From the merged graph of every file to what it says about each plugin.
//!
//! Facts are gathered by the IRIs of plugins and ports, wherever they appear; see the
//! [module documentation](super#the-rdfxml-read).

use std::collections::BTreeMap;

use super::graph::{Graph, Term};
use super::model::{PluginRdf, PortRdf, PortValue, Preset, ScalePoint, Units};
use super::ontology::{self, Hierarchy};
use super::vocabulary::{
    DC_CREATOR, DC_RIGHTS, DC_TITLE, DEFAULT, FOR_PORT, HAS_POINT, HAS_PORT, HAS_PORT_VALUE,
    HAS_SCALE, HAS_SETTING, HAS_UNITS, RDF_VALUE, number, plugin_id, port_id,
};

/// The nodes that describe one plugin and its ports.
#[derive(Default)]
struct Nodes<'g> {
    plugin: Vec<&'g Term>,
    ports: BTreeMap<usize, &'g Term>,
}

/// Everything the graph says about each unique ID it mentions as a plugin or port subject.
pub(crate) fn plugins(graph: &Graph, hierarchy: &Hierarchy) -> BTreeMap<u64, PluginRdf> {
    let mut found: BTreeMap<u64, Nodes<'_>> = BTreeMap::new();
    for subject in graph.subjects() {
        let iri = subject.iri();
        if let Some(id) = iri.and_then(plugin_id) {
            found.entry(id).or_default().plugin.push(subject);
        } else if let Some((id, index)) = iri.and_then(port_id) {
            found.entry(id).or_default().ports.insert(index, subject);
        } else if let Some(id) = id_of_its_ports(graph, subject) {
            found.entry(id).or_default().plugin.push(subject);
        }
    }
    found
        .into_iter()
        .map(|(id, nodes)| (id, plugin(graph, hierarchy, id, &nodes)))
        .collect()
}

/// The unique ID that all of a node's `ladspa:hasPort`s name, if they name one.
fn id_of_its_ports(graph: &Graph, node: &Term) -> Option<u64> {
    let mut ids = graph
        .objects(node, HAS_PORT)
        .map(|port| port.iri().and_then(port_id).map(|(id, _)| id));
    let first = ids.next()??;
    ids.all(|id| id == Some(first)).then_some(first)
}

fn plugin(graph: &Graph, hierarchy: &Hierarchy, id: u64, nodes: &Nodes<'_>) -> PluginRdf {
    let text = |predicate| {
        nodes
            .plugin
            .iter()
            .find_map(|node| tidy(graph.literal(node, predicate)))
    };
    let class = hierarchy
        .classes_of(graph, &nodes.plugin)
        .first()
        .map(|&class| class.clone());
    let class_ancestors = class
        .as_ref()
        .map(|class| {
            hierarchy
                .ancestors(&class.name)
                .into_iter()
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let ports = nodes
        .ports
        .iter()
        .map(|(&index, &node)| port(graph, index, node))
        .collect();
    let mut settings: Vec<&Term> = Vec::new();
    for setting in nodes
        .plugin
        .iter()
        .flat_map(|node| graph.objects(node, HAS_SETTING))
    {
        if !settings.contains(&setting) {
            settings.push(setting);
        }
    }
    PluginRdf {
        unique_id: id,
        title: text(DC_TITLE),
        creator: text(DC_CREATOR),
        rights: text(DC_RIGHTS),
        class,
        class_ancestors,
        ports,
        presets: settings
            .into_iter()
            .map(|setting| preset(graph, id, setting))
            .collect(),
    }
}

fn port(graph: &Graph, index: usize, node: &Term) -> PortRdf {
    let scale_points = graph
        .objects(node, HAS_SCALE)
        .flat_map(|scale| graph.objects(scale, HAS_POINT))
        .filter_map(|point| {
            Some(ScalePoint {
                value: number(graph.literal(point, RDF_VALUE)?)?,
                label: tidy(ontology::label(graph, point))?,
            })
        })
        .collect();
    PortRdf {
        index,
        label: tidy(ontology::label(graph, node)),
        units: graph
            .objects(node, HAS_UNITS)
            .find_map(Term::iri)
            .map(Units::from_iri),
        scale_points,
    }
}

/// A setting of plugin `id`. Values without a finite number, or for a port of another plugin,
/// are left out: they could not be set.
fn preset(graph: &Graph, id: u64, setting: &Term) -> Preset {
    let values = graph
        .objects(setting, HAS_PORT_VALUE)
        .filter_map(|value| {
            let (plugin, port) = graph
                .objects(value, FOR_PORT)
                .find_map(|port| port.iri().and_then(port_id))?;
            Some(PortValue {
                port,
                value: number(graph.literal(value, RDF_VALUE)?)?,
            })
            .filter(|_| plugin == id)
        })
        .collect();
    Preset {
        plugin: id,
        name: tidy(graph.literal(setting, DC_TITLE))
            .or_else(|| tidy(ontology::label(graph, setting))),
        is_default: graph.has_type(setting, DEFAULT),
        values,
    }
}

/// A text without its surrounding white space, if anything is left.
fn tidy(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}
