//! The validator's results and their two renderings: a readable report and the stable `--json`
//! document `{"plugins": [{"file", "label", "unique_id", "checks": [{"id", "verdict",
//! "message"}]}]}`.

use std::io::{self, Write};

use serde::Serialize;

use super::suite::Check;
use super::suite::outcome::Verdict;

/// The outcome of one check on one plugin.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckResult {
    /// The check.
    pub id: Check,
    /// Its verdict.
    pub verdict: Verdict,
    /// What was found, or why the check was skipped.
    pub message: String,
}

/// Every result for one plugin type, or for a file that could not be listed (then `label` and
/// `unique_id` are `null` and the only check is `load`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PluginReport {
    /// The plugin file.
    pub file: String,
    /// The plugin's label (lossily decoded), if it has one.
    pub label: Option<String>,
    /// The plugin's unique ID, if known.
    pub unique_id: Option<u64>,
    /// The results, in the order of [`Check::ALL`].
    pub checks: Vec<CheckResult>,
}

/// The whole `--json` document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// Every plugin checked, in the order of the files given and of their descriptors.
    pub plugins: Vec<PluginReport>,
}

impl Document {
    /// Whether any check failed (exit status 1).
    pub fn any_failure(&self) -> bool {
        self.plugins
            .iter()
            .flat_map(|plugin| &plugin.checks)
            .any(|check| check.verdict == Verdict::Fail)
    }

    /// Writes the `--json` document.
    pub fn write_json(&self, out: &mut impl Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, self)?;
        writeln!(out)
    }

    /// Writes the readable report: one block per plugin, then counts per verdict.
    pub fn write_text(&self, out: &mut impl Write) -> io::Result<()> {
        let mut counts = [0usize; 4];
        for plugin in &self.plugins {
            let name = match (&plugin.label, plugin.unique_id) {
                (Some(label), Some(id)) => format!("{label} ({id})"),
                (Some(label), None) => label.clone(),
                _ => "(file)".to_owned(),
            };
            writeln!(out, "{}: {name}", plugin.file)?;
            for check in &plugin.checks {
                counts[check.verdict as usize] += 1;
                writeln!(
                    out,
                    "  {:<4} {:<20} {}",
                    check.verdict.word(),
                    check.id.id(),
                    check.message
                )?;
            }
        }
        // Plugins, then checks: `1 plugin, 18 checks: 17 passed, …`.
        let plural = |n: usize, noun: &str| match n {
            1 => format!("1 {noun}"),
            _ => format!("{n} {noun}s"),
        };
        writeln!(
            out,
            "\n{}, {}: {} passed, {} warnings, {} failed, {} skipped",
            plural(self.plugins.len(), "plugin"),
            plural(counts.iter().sum(), "check"),
            counts[Verdict::Pass as usize],
            counts[Verdict::Warn as usize],
            counts[Verdict::Fail as usize],
            counts[Verdict::Skip as usize]
        )
    }
}
