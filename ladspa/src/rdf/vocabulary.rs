//! The IRIs of the LRDF vocabulary that the reader looks for, and the LADSPA ones it parses:
//! `http://ladspa.org/ontology#<unique ID>` names a plugin and
//! `http://ladspa.org/ontology#<unique ID>.<port index>` one of its ports.

pub(crate) const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub(crate) const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
pub(crate) const RDF_VALUE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value";
pub(crate) const RDFS_CLASS: &str = "http://www.w3.org/2000/01/rdf-schema#Class";
pub(crate) const RDFS_SUBCLASS_OF: &str = "http://www.w3.org/2000/01/rdf-schema#subClassOf";
pub(crate) const RDFS_LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
pub(crate) const DC_TITLE: &str = "http://purl.org/dc/elements/1.1/title";
pub(crate) const DC_CREATOR: &str = "http://purl.org/dc/elements/1.1/creator";
pub(crate) const DC_RIGHTS: &str = "http://purl.org/dc/elements/1.1/rights";
pub(crate) const XML: &str = "http://www.w3.org/XML/1998/namespace";

/// The LADSPA ontology's namespace.
pub const LADSPA: &str = "http://ladspa.org/ontology#";
pub(crate) const HAS_LABEL: &str = "http://ladspa.org/ontology#hasLabel";
pub(crate) const HAS_PORT: &str = "http://ladspa.org/ontology#hasPort";
pub(crate) const HAS_SCALE: &str = "http://ladspa.org/ontology#hasScale";
pub(crate) const HAS_POINT: &str = "http://ladspa.org/ontology#hasPoint";
pub(crate) const HAS_UNITS: &str = "http://ladspa.org/ontology#hasUnits";
pub(crate) const HAS_SETTING: &str = "http://ladspa.org/ontology#hasSetting";
pub(crate) const HAS_PORT_VALUE: &str = "http://ladspa.org/ontology#hasPortValue";
pub(crate) const FOR_PORT: &str = "http://ladspa.org/ontology#forPort";
pub(crate) const DEFAULT: &str = "http://ladspa.org/ontology#Default";

/// The unique ID in a plugin's IRI (`…ontology#2142`), if it is one.
pub(crate) fn plugin_id(iri: &str) -> Option<u64> {
    iri.strip_prefix(LADSPA).and_then(decimal)
}

/// The unique ID and port index in a port's IRI (`…ontology#2142.7`), if it is one.
pub(crate) fn port_id(iri: &str) -> Option<(u64, usize)> {
    let (plugin, port) = iri.strip_prefix(LADSPA)?.split_once('.')?;
    Some((decimal(plugin)?, usize::try_from(decimal(port)?).ok()?))
}

/// Plain decimal digits (no sign, no space), within `u64`.
fn decimal(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A number in an `rdf:value`: finite, so that it can be set on a control port. Surrounding
/// white space is allowed (literals in element form often have it), and so is a C `f` suffix:
/// `swh-plugins.rdf` writes `0.0007f`, which liblrdf (through `strtod`) reads as 0.0007.
pub(crate) fn number(text: &str) -> Option<f32> {
    let text = text.trim();
    let text = text
        .strip_suffix(['f', 'F'])
        .filter(|number| number.ends_with(|c: char| c.is_ascii_digit() || c == '.'))
        .unwrap_or(text);
    // `f32::from_str` also takes "inf" and "NaN", which no value means.
    let looks_numeric = text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'));
    let value: f32 = text.parse().ok().filter(|_| looks_numeric)?;
    value.is_finite().then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugin_and_port_iris_are_parsed_strictly() {
        assert_eq!(plugin_id("http://ladspa.org/ontology#2142"), Some(2142));
        assert_eq!(
            port_id("http://ladspa.org/ontology#2142.7"),
            Some((2142, 7))
        );
        for not_plugin in [
            "http://ladspa.org/ontology#",
            "http://ladspa.org/ontology#+1",
        ] {
            assert_eq!(plugin_id(not_plugin), None);
        }
        assert_eq!(plugin_id("http://ladspa.org/ontology#2142.7"), None);
        assert_eq!(
            plugin_id("http://ladspa.org/ontology#99999999999999999999"),
            None
        );
        assert_eq!(port_id("http://ladspa.org/ontology#2142."), None);
        assert_eq!(port_id("http://ladspa.org/ontology#2142.1.2"), None);
        assert_eq!(port_id("http://example.org/#2142.1"), None);
    }

    #[test]
    fn numbers_are_finite_decimals() {
        assert_eq!(number(" 2.5 "), Some(2.5));
        assert_eq!(number("-1e3"), Some(-1000.0));
        assert_eq!(number("0.0007f"), Some(0.0007));
        for not_number in ["", "inf", "NaN", "1e99", "0x10", "one", "f", "1ff"] {
            assert_eq!(number(not_number), None, "{not_number}");
        }
    }
}
