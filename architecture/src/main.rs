//! Prints the workspace's module graph figures: crates, files, arrows, cycles (all arrows, and
//! those of non-test code), upward arrows with where they are written, files over 400 lines.
//!
//!     cargo run -q -p ladspa-architecture [-- [WORKSPACE_DIR] [--arrows CRATE]]
//!
//! `--arrows 'ladspa-host lib'` lists every arrow of that crate (a label as the report prints
//! it) with its first path, to see what a cycle is made of.

use std::path::PathBuf;
use std::process::ExitCode;

use ladspa_architecture::Workspace;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let arrows_of = args.iter().position(|a| a == "--arrows").map(|i| {
        let label = args.get(i + 1).cloned().unwrap_or_default();
        args.drain(i..(i + 2).min(args.len()));
        label
    });
    let root = args.first().map_or_else(Workspace::own_root, PathBuf::from);
    let workspace = match Workspace::read(&root) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("ladspa-architecture: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(label) = arrows_of {
        for (_, graph) in workspace.crates.iter().filter(|(l, _)| *l == label) {
            for ((from, to), evidence) in &graph.arrows {
                let e = &evidence[0];
                let test = if evidence.iter().all(|e| e.test) {
                    " (tests only)"
                } else {
                    ""
                };
                println!(
                    "{} -> {}{test}  (line {} `{}`)",
                    graph.display(from),
                    graph.display(to),
                    e.line,
                    e.written
                );
            }
        }
        return ExitCode::SUCCESS;
    }
    let files = workspace.files().unwrap_or_default();
    println!("crates (targets): {}", workspace.crates.len());
    println!("files: {}", files.len());
    println!("arrows between files: {}", workspace.arrow_count());
    for with_tests in [false, true] {
        let cycles = workspace.cycles(with_tests);
        let what = if with_tests {
            "all code"
        } else {
            "non-test code"
        };
        println!("cycles ({what}): {}", cycles.len());
        for (label, cycle) in cycles {
            println!("  [{label}] {} modules: {}", cycle.len(), cycle.join(", "));
        }
    }
    let upward = workspace.upward();
    println!("upward arrows: {}", upward.len());
    for (arrow, evidence) in upward {
        let test = if evidence.iter().all(|e| e.test) {
            " (tests only)"
        } else {
            ""
        };
        let first = &evidence[0];
        let file = first
            .file
            .strip_prefix(&workspace.root)
            .unwrap_or(&first.file);
        println!(
            "  {arrow}{test}  ({}:{} `{}`, {} paths)",
            file.display(),
            first.line,
            first.written,
            evidence.len()
        );
    }
    let long: Vec<_> = files.iter().filter(|(_, lines)| *lines > 400).collect();
    println!("files over 400 lines: {}", long.len());
    for (file, lines) in long {
        println!("  {} ({lines})", file.display());
    }
    ExitCode::SUCCESS
}
