//! No input makes the reader panic: property tests over mutated copies of real files (the
//! fixtures, and opt-in Debian's files), and hostile documents (deep nesting, entity bombs).
//! Whatever is read must be sound: finite values, ports in order, presets for their plugin,
//! and applying any preset read to a real instance is a result, never a panic.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use ladspa_host::rdf::{Database, RdfError, RdfPath};
use ladspa_host::{Descriptor, Plugin};
use proptest::prelude::*;

use crate::fixture_files::fixture_dir;

/// Pieces of RDF/XML syntax that mutations insert, to reach the reader's rules rather than
/// only the XML parser's errors.
const TOKENS: &[&str] = &[
    "<",
    "/>",
    "</rdf:RDF>",
    "<ladspa:hasPort>",
    "</ladspa:hasPort>",
    "<rdf:Description>",
    "<ladspa:hasPoint><ladspa:Point rdf:value=\"1e38\" ladspa:hasLabel=\"x\"/></ladspa:hasPoint>",
    " rdf:parseType=\"Resource\"",
    " rdf:parseType=\"Collection\"",
    " rdf:resource=\"http://ladspa.org/ontology#7003.99999999999999999999\"",
    " rdf:nodeID=\"n\"",
    " rdf:about=\"&ladspa;18446744073709551615.1\"",
    " rdf:value=\"NaN\"",
    "<ladspa:forPort rdf:resource=\"http://ladspa.org/ontology#7003.3\"/>",
    "&ladspa;",
    "&#0;",
    "&#xD800;",
    "\u{e9}",
    "\u{fffd}",
];

/// Values that mutations put in place of an attribute's value.
const VALUES: &[&str] = &[
    "",
    "NaN",
    "1e39",
    "-0",
    "1.5f",
    "x",
    "Resource",
    "Collection",
    "Literal",
    "http://ladspa.org/ontology#7003",
    "http://ladspa.org/ontology#7003.1",
    "http://ladspa.org/ontology#7440.99",
    "http://ladspa.org/ontology#ReverbPlugin",
    "&ladspa;7003.0",
    "\u{e9}",
];

/// A change to a document. Byte-level changes mostly give malformed XML, which only tests the
/// XML parser; line and value changes mostly keep it well-formed and reach the RDF reading.
#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, byte: u8 },
    Truncate { at: usize },
    Insert { at: usize, token: usize },
    DeleteLine { line: usize },
    DuplicateLine { line: usize, to: usize },
    SwapLines { a: usize, b: usize },
    ReplaceValue { nth: usize, value: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        1 => any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        2 => (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, token)| Mutation::Insert { at, token }),
        3 => any::<usize>().prop_map(|line| Mutation::DeleteLine { line }),
        3 => (any::<usize>(), any::<usize>()).prop_map(|(line, to)| Mutation::DuplicateLine { line, to }),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
        4 => (any::<usize>(), 0..VALUES.len()).prop_map(|(nth, value)| Mutation::ReplaceValue { nth, value }),
    ]
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    let len = bytes.len().max(1);
    let mut lines: Vec<Vec<u8>> = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let line_count = lines.len();
    match *mutation {
        Mutation::Flip { at, byte } => {
            if let Some(target) = bytes.get_mut(at % len) {
                *target = byte;
            }
            return;
        }
        Mutation::Truncate { at } => {
            bytes.truncate(at % len);
            return;
        }
        Mutation::Insert { at, token } => {
            let at = (at % len).min(bytes.len());
            bytes.splice(at..at, TOKENS[token].bytes());
            return;
        }
        Mutation::DeleteLine { line } => {
            lines.remove(line % line_count);
        }
        Mutation::DuplicateLine { line, to } => {
            let copy = lines[line % line_count].clone();
            lines.insert(to % line_count, copy);
        }
        Mutation::SwapLines { a, b } => lines.swap(a % line_count, b % line_count),
        Mutation::ReplaceValue { nth, value } => {
            let quotes: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] == b'"').collect();
            let pairs = quotes.len() / 2;
            if pairs > 0 {
                let pair = nth % pairs;
                let (open, close) = (quotes[2 * pair], quotes[2 * pair + 1]);
                bytes.splice(open + 1..close, VALUES[value].bytes());
            }
            return;
        }
    }
    *bytes = lines.join(&b'\n');
}

fn read_all(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let listing = RdfPath::new([dir, &dir.join("bad")]).files();
    listing
        .files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect()
}

/// tp_delay (7003), which the fixtures' presets are for.
fn delay() -> &'static Descriptor {
    static DELAY: OnceLock<Descriptor> = OnceLock::new();
    DELAY.get_or_init(|| {
        let path = ladspa_testplugins::reference_plugin("tp_delay");
        // SAFETY: the test plugins are trusted.
        let plugin = unsafe { Plugin::load(path) }.unwrap();
        plugin.find_label("tp_delay").unwrap().clone()
    })
}

/// Reads one mutated document and checks that what was read is sound; returns whether it was
/// read (rather than refused).
fn read_soundly(path: &Path, bytes: &[u8]) -> bool {
    let database = Database::from_documents([(path, bytes)]);
    assert_eq!(database.files().len() + database.errors().len(), 1);
    for error in database.errors() {
        assert_eq!(error.path(), path);
        assert!(!error.to_string().is_empty());
    }
    for plugin in database.plugins() {
        let indices: Vec<usize> = plugin.ports().iter().map(|port| port.index()).collect();
        assert!(
            indices.windows(2).all(|pair| pair[0] < pair[1]),
            "{indices:?}"
        );
        for point in plugin.ports().iter().flat_map(|port| port.scale_points()) {
            assert!(point.value.is_finite() && !point.label.trim().is_empty());
        }
        for preset in plugin.presets() {
            assert_eq!(preset.plugin(), plugin.unique_id());
            assert!(preset.values().iter().all(|value| value.value.is_finite()));
            let _ = preset.to_string();
        }
        let _ = plugin.class().map(ToString::to_string);
    }
    if let Some(rdf) = database.plugin(delay().unique_id()) {
        let mut handle = delay().instantiate(48_000).unwrap();
        for preset in rdf.presets() {
            let _ = handle.apply_preset(preset);
        }
    }
    database.errors().is_empty()
}

/// Reads `cases` mutated documents; both outcomes must occur, or the mutations test nothing.
fn mutate_and_read(seeds: &[(PathBuf, Vec<u8>)], cases: u32) {
    let read = AtomicU32::new(0);
    let refused = AtomicU32::new(0);
    let config = ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(seed in 0..seeds.len(), mutations in prop::collection::vec(mutation(), 1..4))| {
        let (path, original) = &seeds[seed];
        let mut bytes = original.clone();
        for mutation in &mutations {
            apply(&mut bytes, mutation);
        }
        let outcome = if read_soundly(path, &bytes) { &read } else { &refused };
        outcome.fetch_add(1, Ordering::Relaxed);
    });
    let (read, refused) = (read.into_inner(), refused.into_inner());
    assert!(
        read > cases / 20 && refused > cases / 20,
        "{read} read, {refused} refused"
    );
}

#[test]
fn mutated_fixtures_never_panic() {
    let seeds = read_all(&fixture_dir());
    assert!(seeds.len() >= 10, "{}", seeds.len());
    mutate_and_read(&seeds, 1024);
}

#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn mutated_debian_files_never_panic() {
    let seeds = read_all(Path::new("/usr/share/ladspa/rdf"));
    assert!(
        seeds.len() >= 10,
        "Debian's RDF files are installed by .ci/run"
    );
    mutate_and_read(&seeds, 512);
}

const HEADER: &str = r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ladspa="http://ladspa.org/ontology#">"#;

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    let mut text = String::from(HEADER);
    for _ in 0..depth {
        text.push_str("<rdf:Description><ladspa:hasPort>");
    }
    for _ in 0..depth {
        text.push_str("</ladspa:hasPort></rdf:Description>");
    }
    text.push_str("</rdf:RDF>");
    let database = Database::from_documents([("deep.rdf", text)]);
    let error = &database.errors()[0];
    assert!(
        matches!(error, RdfError::Rdf { .. } | RdfError::Xml { .. }),
        "{error:?}"
    );
}

#[test]
fn an_entity_bomb_is_an_error() {
    let mut dtd = String::from("<!DOCTYPE rdf:RDF [<!ENTITY e0 'lol'>");
    for level in 1..=12 {
        let previous = format!("&e{};", level - 1);
        dtd.push_str(&format!("<!ENTITY e{level} '{}'>", previous.repeat(10)));
    }
    dtd.push_str("]>");
    let text = format!(
        "{dtd}{HEADER}<rdf:Description rdf:about=\"&e12;\"><ladspa:hasLabel>&e12;</ladspa:hasLabel></rdf:Description></rdf:RDF>"
    );
    let database = Database::from_documents([("bomb.rdf", text)]);
    assert!(
        matches!(database.errors(), [RdfError::Xml { .. }]),
        "{:?}",
        database.errors()
    );
}
