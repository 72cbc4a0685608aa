//! The one-way rule, checked on the whole workspace (see CONTRIBUTING.md): no module cycle
//! beyond those still listed in `known-cycles.txt` (a list that only shrinks), and no arrow up
//! to an ancestor module unless `upward-arrows.txt` justifies it.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use ladspa_architecture::Workspace;

/// The lines of one of this crate's lists, comments and blank lines left out.
fn list(name: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

#[test]
fn no_new_module_cycle() {
    let workspace = Workspace::read(&Workspace::own_root()).expect("the workspace reads");
    // `crate label: module, module, …`: a cycle may shrink but never grow or appear.
    let known: Vec<(String, BTreeSet<String>)> = list("known-cycles.txt")
        .into_iter()
        .map(|line| {
            let (label, modules) = line.split_once(": ").expect("`label: modules`");
            (
                label.to_owned(),
                modules.split(", ").map(String::from).collect(),
            )
        })
        .collect();
    let cycles = workspace.cycles(true);
    let mut new = Vec::new();
    for (label, cycle) in &cycles {
        let modules: BTreeSet<String> = cycle.iter().cloned().collect();
        if !known
            .iter()
            .any(|(l, k)| l == label && modules.is_subset(k))
        {
            new.push(format!("[{label}] {}", cycle.join(" <-> ")));
        }
    }
    assert!(
        new.is_empty(),
        "new module cycles (modules that import each other, directly or around a loop; \
         run `cargo run -p ladspa-architecture` for where each arrow is written):\n  {}",
        new.join("\n  ")
    );
    let gone: Vec<&String> = known
        .iter()
        .filter(|(label, k)| {
            !cycles
                .iter()
                .any(|(l, c)| l == label && c.iter().all(|m| k.contains(m)))
        })
        .map(|(label, _)| label)
        .collect();
    assert!(
        gone.is_empty(),
        "architecture/known-cycles.txt lists cycles that are gone (well done): remove the lines of {gone:?}"
    );
}

#[test]
fn every_upward_arrow_is_justified() {
    let workspace = Workspace::read(&Workspace::own_root()).expect("the workspace reads");
    // `from -> to: why`
    let justified: Vec<String> = list("upward-arrows.txt")
        .into_iter()
        .map(|line| {
            line.split_once(": ")
                .map_or(line.clone(), |(arrow, _)| arrow.to_owned())
        })
        .collect();
    let upward = workspace.upward();
    let unjustified: Vec<String> = upward
        .iter()
        .filter(|(arrow, _)| !justified.contains(arrow))
        .map(|(arrow, evidence)| {
            let e = &evidence[0];
            let file = e.file.strip_prefix(&workspace.root).unwrap_or(&e.file);
            format!("{arrow} ({}:{} `{}`)", file.display(), e.line, e.written)
        })
        .collect();
    assert!(
        unjustified.is_empty(),
        "arrows up to an ancestor module (a parent's mod.rs or the crate root): import the name \
         from the module it is defined in, or move it down; if the arrow is right, justify it \
         in one sentence in architecture/upward-arrows.txt:\n  {}",
        unjustified.join("\n  ")
    );
    let stale: Vec<&String> = justified
        .iter()
        .filter(|a| !upward.iter().any(|(u, _)| u == *a))
        .collect();
    assert!(
        stale.is_empty(),
        "architecture/upward-arrows.txt justifies arrows that are gone: remove {stale:?}"
    );
}
