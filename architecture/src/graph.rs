//! A crate's module graph: an arrow from one file's module to another's for every path that
//! names the other (or something in it), with where it is written; its cycles and its upward
//! arrows (to an ancestor: the parent's `mod.rs` or the crate root).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use crate::source::RefKind;
use crate::tree::Tree;

/// Where an arrow is written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Evidence {
    /// The file.
    pub file: PathBuf,
    /// The line.
    pub line: usize,
    /// The path as written.
    pub written: String,
    /// Only compiled for tests.
    pub test: bool,
}

/// A module path below a crate root (empty: the root).
pub type ModulePath = Vec<String>;

/// The module graph of one crate, between the modules that are files.
#[derive(Debug)]
pub struct Graph {
    /// The crate's name, as code names it (`ladspa_host`).
    pub name: String,
    /// The files' modules and their files.
    pub modules: BTreeMap<ModulePath, PathBuf>,
    /// Arrows and where they are written.
    pub arrows: BTreeMap<(ModulePath, ModulePath), Vec<Evidence>>,
}

impl Graph {
    /// Draws the graph of `tree` (paths that start outside the crate draw no arrow).
    pub fn new(name: &str, tree: &Tree) -> Graph {
        let modules = tree
            .modules
            .iter()
            .filter(|m| m.path == m.file_module)
            .map(|m| (m.path.clone(), m.file.clone()))
            .collect();
        let mut graph = Graph {
            name: name.into(),
            modules,
            arrows: BTreeMap::new(),
        };
        // Names that `use` binds to modules, per (inline) module: twice, so that a `use` through
        // another `use`'s name resolves whatever their order.
        let mut bindings: HashMap<ModulePath, HashMap<String, ModulePath>> = HashMap::new();
        for _ in 0..2 {
            for file in &tree.files {
                for r in &file.source.refs {
                    let RefKind::Use(Some(name)) = &r.kind else {
                        continue;
                    };
                    let scope = [file.module.clone(), r.scope.clone()].concat();
                    if let Some(target) = resolve(tree, &bindings, &scope, &r.segments)
                        && tree.is_module(&target)
                    {
                        bindings
                            .entry(scope)
                            .or_default()
                            .insert(name.clone(), target);
                    }
                }
            }
        }
        for file in &tree.files {
            for r in &file.source.refs {
                let scope = [file.module.clone(), r.scope.clone()].concat();
                let Some(target) = resolve(tree, &bindings, &scope, &r.segments) else {
                    continue;
                };
                let to = (0..=target.len())
                    .rev()
                    .map(|n| &target[..n])
                    .find(|p| tree.is_module(p))
                    .unwrap_or(&[]);
                // A string names a module below the root, or an item in one (`"crate::a::b"` in
                // `serde(with = …)`); `"crate::a::B"` in a test's expected text, with no module
                // `a`, is text.
                if r.kind == RefKind::Str && (to.is_empty() || to.len() + 1 < target.len()) {
                    continue;
                }
                let to = tree.file_module(to);
                if to == file.module {
                    continue;
                }
                let evidence = Evidence {
                    file: file.path.clone(),
                    line: r.line,
                    written: r.segments.join("::"),
                    test: file.test || r.test,
                };
                graph
                    .arrows
                    .entry((file.module.clone(), to))
                    .or_default()
                    .push(evidence);
            }
        }
        graph
    }

    /// Whether the arrow is drawn by test code only.
    pub fn test_only(&self, arrow: &(ModulePath, ModulePath)) -> bool {
        self.arrows[arrow].iter().all(|e| e.test)
    }

    /// The arrows from a module to one of its ancestors.
    pub fn upward(&self) -> Vec<&(ModulePath, ModulePath)> {
        self.arrows
            .keys()
            .filter(|(from, to)| to.len() < from.len() && from.starts_with(to))
            .collect()
    }

    /// The cycles: each set of modules that reach each other (strongly connected, more than one
    /// module), over all arrows or over those of non-test code only.
    pub fn cycles(&self, with_tests: bool) -> Vec<Vec<ModulePath>> {
        let nodes: Vec<&ModulePath> = self.modules.keys().collect();
        let index: HashMap<&ModulePath, usize> =
            nodes.iter().enumerate().map(|(i, m)| (*m, i)).collect();
        let mut next = vec![BTreeSet::new(); nodes.len()];
        for arrow @ (from, to) in self.arrows.keys() {
            if (with_tests || !self.test_only(arrow))
                && let (Some(&a), Some(&b)) = (index.get(from), index.get(to))
            {
                next[a].insert(b);
            }
        }
        strongly_connected(&next)
            .into_iter()
            .filter(|c| c.len() > 1)
            .map(|c| c.into_iter().map(|i| nodes[i].clone()).collect())
            .collect()
    }

    /// `ladspa_host::chain::stage` for `["chain", "stage"]`.
    pub fn display(&self, module: &[String]) -> String {
        std::iter::once(self.name.as_str())
            .chain(module.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("::")
    }
}

/// The absolute path (below the crate root) that `segments`, written in module `scope`, names;
/// `None` for paths outside the crate (`std::…`, other crates, names that are not modules).
fn resolve(
    tree: &Tree,
    bindings: &HashMap<ModulePath, HashMap<String, ModulePath>>,
    scope: &[String],
    segments: &[String],
) -> Option<ModulePath> {
    let (first, rest) = segments.split_first()?;
    let mut base: ModulePath = match first.as_str() {
        "crate" => Vec::new(),
        "self" => scope.to_vec(),
        "super" => {
            let ups = 1 + rest.iter().take_while(|s| *s == "super").count();
            let base = scope.get(..scope.len().checked_sub(ups)?)?.to_vec();
            return Some([base, rest[ups - 1..].to_vec()].concat());
        }
        name => {
            let child = [scope.to_vec(), vec![name.to_string()]].concat();
            if tree.is_module(&child) {
                child
            } else {
                bindings.get(scope)?.get(name)?.clone()
            }
        }
    };
    base.extend(rest.iter().cloned());
    Some(base)
}

/// Tarjan's strongly connected components of the graph given by successor sets.
fn strongly_connected(next: &[BTreeSet<usize>]) -> Vec<Vec<usize>> {
    struct State<'a> {
        next: &'a [BTreeSet<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        counter: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(s: &mut State, v: usize) {
        s.index[v] = Some(s.counter);
        s.low[v] = s.counter;
        s.counter += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for &w in s.next[v].iter() {
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(iw) if s.on_stack[w] => s.low[v] = s.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                component.push(w);
                if w == v {
                    break;
                }
            }
            component.sort_unstable();
            s.out.push(component);
        }
    }
    let n = next.len();
    let mut s = State {
        next,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        counter: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    s.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tarjan_finds_the_cycle_and_leaves_the_rest() {
        let next = vec![
            [1].into(),
            [2].into(),
            [0].into(),
            [0].into(),
            BTreeSet::new(),
        ];
        let mut big: Vec<Vec<usize>> = strongly_connected(&next)
            .into_iter()
            .filter(|c| c.len() > 1)
            .collect();
        big.sort();
        assert_eq!(big, [vec![0, 1, 2]]);
    }
}
