//! The workspace's module graph, read from the source, and the one-way rule checked on it.
//!
//! Every crate of the workspace (each library, binary, test, example and benchmark target of
//! every member, as `cargo metadata` lists them) is read from its root file through its `mod`
//! declarations. An arrow goes from one file's module to another's for each path that names the
//! other or something in it: `use` trees, paths in code and attributes (`crate::a::f()`,
//! `super::B`, a name bound by `use` to a module), and string literals that are paths
//! (`#[serde(with = "crate::a::b")]`). A path through a re-export (`crate::Plugin`) points at
//! the module that re-exports it (the crate root), which is the point: import a name from its
//! home. Comments, doc links included, draw no arrow.
//!
//! The rule (see CONTRIBUTING.md): no cycle anywhere, and no arrow up to an ancestor (a parent's
//! `mod.rs`, the crate root) unless `architecture/upward-arrows.txt` justifies it in one
//! sentence. `tests/one_way.rs` checks both; `cargo run -p ladspa-architecture` prints the
//! figures (cycles, upward arrows, files over 400 lines).

pub mod graph;
pub mod lex;
pub mod source;
pub mod tree;

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use graph::Graph;
use tree::Tree;

/// The graph of every crate of the workspace at `root`, and the files they are made of.
#[derive(Debug)]
pub struct Workspace {
    /// The workspace's directory.
    pub root: PathBuf,
    /// One graph per crate (`ladspa-host lib`, `ladspa-tools bin ladspa`, …), in `cargo
    /// metadata`'s order.
    pub crates: Vec<(String, Graph)>,
}

impl Workspace {
    /// Reads the workspace whose `Cargo.toml` is in `root` (runs `cargo metadata`).
    pub fn read(root: &Path) -> io::Result<Workspace> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .args(["metadata", "--no-deps", "--format-version", "1"])
            .current_dir(root)
            .output()?;
        if !output.status.success() {
            return Err(io::Error::other(
                String::from_utf8_lossy(&output.stderr).into_owned(),
            ));
        }
        let metadata: serde_json::Value =
            serde_json::from_slice(&output.stdout).map_err(io::Error::other)?;
        let mut crates = Vec::new();
        for package in metadata["packages"].as_array().into_iter().flatten() {
            for target in package["targets"].as_array().into_iter().flatten() {
                let kinds: Vec<&str> = target["kind"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|k| k.as_str())
                    .collect();
                let kind = if kinds.iter().any(|k| k.ends_with("lib")) {
                    "lib"
                } else {
                    kinds.first().copied().unwrap_or("?")
                };
                let target_name = target["name"].as_str().unwrap_or("?");
                let label = match kind {
                    "lib" => format!("{} lib", package["name"].as_str().unwrap_or("?")),
                    kind => format!(
                        "{} {kind} {target_name}",
                        package["name"].as_str().unwrap_or("?")
                    ),
                };
                let src = PathBuf::from(target["src_path"].as_str().unwrap_or_default());
                let tree = Tree::load(&src)?;
                crates.push((label, Graph::new(&target_name.replace('-', "_"), &tree)));
            }
        }
        Ok(Workspace {
            root: root.into(),
            crates,
        })
    }

    /// The workspace's own directory, for the tests and the binary (this crate's parent).
    pub fn own_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .map_or_else(|| ".".into(), Path::to_path_buf)
    }

    /// Every cycle: the crate's label and the modules that reach each other.
    pub fn cycles(&self, with_tests: bool) -> Vec<(&str, Vec<String>)> {
        let mut out = Vec::new();
        for (label, graph) in &self.crates {
            for cycle in graph.cycles(with_tests) {
                let item = (
                    label.as_str(),
                    cycle.iter().map(|m| graph.display(m)).collect(),
                );
                if !out.contains(&item) {
                    out.push(item);
                }
            }
        }
        out
    }

    /// Every upward arrow as `from -> to`, with where it is written, once even when several crates
    /// share the file (`tests/common/mod.rs`).
    pub fn upward(&self) -> Vec<(String, Vec<graph::Evidence>)> {
        let mut out: Vec<(String, Vec<graph::Evidence>)> = Vec::new();
        for (_, graph) in &self.crates {
            for arrow in graph.upward() {
                let key = format!("{} -> {}", graph.display(&arrow.0), graph.display(&arrow.1));
                if !out.iter().any(|(k, _)| *k == key) {
                    out.push((key, graph.arrows[arrow].clone()));
                }
            }
        }
        out
    }

    /// Every file of every crate, once, with its number of lines.
    pub fn files(&self) -> io::Result<Vec<(PathBuf, usize)>> {
        let files: BTreeSet<&PathBuf> = self
            .crates
            .iter()
            .flat_map(|(_, g)| g.modules.values())
            .collect();
        files
            .into_iter()
            .map(|f| {
                let lines = std::fs::read_to_string(f)?.lines().count();
                Ok((f.strip_prefix(&self.root).unwrap_or(f).to_path_buf(), lines))
            })
            .collect()
    }

    /// The number of arrows between files of all crates (a file shared by crates counted once).
    pub fn arrow_count(&self) -> usize {
        let arrows: BTreeSet<(&PathBuf, &PathBuf)> = self
            .crates
            .iter()
            .flat_map(|(_, g)| {
                g.arrows
                    .keys()
                    .filter_map(|(a, b)| Some((g.modules.get(a)?, g.modules.get(b)?)))
            })
            .collect();
        arrows.len()
    }
}
