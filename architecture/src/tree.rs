//! A crate's modules, found as the compiler finds them: from the crate's root file through its
//! `mod` declarations (`name.rs`, `name/mod.rs`, `#[path = "…"]`, inline modules).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::source::{Source, parse};

/// A module: the path below the crate root (empty for the root) and the file it is written in.
#[derive(Debug, Clone)]
pub struct Module {
    /// Its path below the crate root.
    pub path: Vec<String>,
    /// The file that holds it.
    pub file: PathBuf,
    /// The path of the module that file is (differs from `path` for inline modules).
    pub file_module: Vec<String>,
    /// Declared under `#[cfg(test)]`.
    pub test: bool,
}

/// A parsed file of a crate.
#[derive(Debug)]
pub struct File {
    /// The file.
    pub path: PathBuf,
    /// The module it is.
    pub module: Vec<String>,
    /// Compiled only for tests.
    pub test: bool,
    /// What it declares and references.
    pub source: Source,
}

/// A crate's module tree.
#[derive(Debug)]
pub struct Tree {
    /// Every module, file and inline.
    pub modules: Vec<Module>,
    /// Every file, root first.
    pub files: Vec<File>,
}

impl Tree {
    /// Reads the crate whose root file is `root`.
    pub fn load(root: &Path) -> io::Result<Tree> {
        let mut tree = Tree {
            modules: Vec::new(),
            files: Vec::new(),
        };
        tree.load_file(root, Vec::new(), true, false)?;
        Ok(tree)
    }

    /// Whether `path` is a module of the crate.
    pub fn is_module(&self, path: &[String]) -> bool {
        self.modules.iter().any(|m| m.path == path)
    }

    /// The module `path` is written in as a file (itself, or the file of its inline parent).
    pub fn file_module(&self, path: &[String]) -> Vec<String> {
        self.modules
            .iter()
            .find(|m| m.path == path)
            .map_or_else(Vec::new, |m| m.file_module.clone())
    }

    fn load_file(
        &mut self,
        file: &Path,
        module: Vec<String>,
        mod_rs: bool,
        test: bool,
    ) -> io::Result<()> {
        let text = fs::read_to_string(file)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", file.display())))?;
        let source = parse(&text);
        self.modules.push(Module {
            path: module.clone(),
            file: file.into(),
            file_module: module.clone(),
            test,
        });
        let dir = file.parent().unwrap_or(Path::new("."));
        let own_dir = if mod_rs {
            dir.to_path_buf()
        } else {
            dir.join(file.file_stem().unwrap_or_default())
        };
        let mut children = Vec::new();
        for decl in &source.mods {
            let mut path = module.clone();
            path.extend(decl.scope.iter().cloned());
            path.push(decl.name.clone());
            let child_test = test || decl.test;
            if decl.inline {
                self.modules.push(Module {
                    path,
                    file: file.into(),
                    file_module: module.clone(),
                    test: child_test,
                });
                continue;
            }
            let (child_file, child_mod_rs) = match &decl.path_attr {
                Some(attr) => (dir.join(attr), true),
                None => {
                    let base = decl.scope.iter().fold(own_dir.clone(), |d, s| d.join(s));
                    let flat = base.join(format!("{}.rs", decl.name));
                    if flat.is_file() {
                        (flat, false)
                    } else {
                        (base.join(&decl.name).join("mod.rs"), true)
                    }
                }
            };
            children.push((child_file, path, child_mod_rs, child_test));
        }
        self.files.push(File {
            path: file.into(),
            module,
            test,
            source,
        });
        for (child_file, path, child_mod_rs, child_test) in children {
            self.load_file(&child_file, path, child_mod_rs, child_test)?;
        }
        Ok(())
    }
}
