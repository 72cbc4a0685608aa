//! The known plugin defects (`known-plugin-defects.txt`), and the comparison of a sweep's
//! failures with them.
//!
//! Each line of the file is `file label step kind reason…`: the plugin file's name, the plugin
//! type's label (`*`: any, or the file itself), the step, how the child ended (`SIGSEGV`,
//! `SIGFPE`, `timeout`, `exit-N`…, or `load-error` for a file the loader refuses) and why it is
//! the plugin's own doing. An entry matches at either sample rate. Host checks that fail
//! (`fail`) are always the host's doing and cannot be listed.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::time::Duration;

use crate::file_report::{Failure, FileReport, file_name, rates};
use crate::protocol::{Outcome, StepKey};

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/known-plugin-defects.txt"
);

#[derive(Debug, Clone)]
pub struct Entry {
    pub line: usize,
    pub file: String,
    pub label: String,
    pub step: String,
    pub kind: String,
    pub reason: String,
}

impl Entry {
    fn matches(&self, failure: &Failure) -> bool {
        self.file == failure.file
            && (self.label == "*" || self.label == failure.key.label)
            && self.step == failure.key.step
            && self.kind == failure.kind
    }
}

#[derive(Debug)]
pub struct KnownDefects(Vec<Entry>);

impl KnownDefects {
    pub fn read() -> Self {
        let text = std::fs::read_to_string(FILE).unwrap_or_else(|e| panic!("read {FILE}: {e}"));
        Self::parse(&text)
    }

    fn parse(text: &str) -> Self {
        let entries = text.lines().enumerate().filter_map(|(number, line)| {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                return None;
            }
            let mut words = line.splitn(5, char::is_whitespace).map(str::trim);
            let mut word = || words.next().unwrap_or_default().to_owned();
            let entry = Entry {
                line: number + 1,
                file: word(),
                label: word(),
                step: word(),
                kind: word(),
                reason: word(),
            };
            assert!(
                !entry.reason.is_empty(),
                "{FILE}:{}: an entry is `file label step kind reason`, and the reason is not \
                 optional",
                entry.line
            );
            assert!(
                entry.kind != Outcome::Fail.as_str(),
                "{FILE}:{}: a failed host check is the host's doing, never a plugin defect",
                entry.line
            );
            Some(entry)
        });
        Self(entries.collect())
    }
}

/// What a sweep found, judged against the known defects.
#[derive(Debug, Default)]
pub struct Summary {
    pub files: usize,
    pub loaded: usize,
    pub descriptors: usize,
    pub rejected: usize,
    pub steps: usize,
    pub declined: usize,
    pub runs: u64,
    pub children: usize,
    pub failures: Vec<Failure>,
    pub known: Vec<(Failure, Entry)>,
    pub unexpected: Vec<Failure>,
    pub stale: Vec<Entry>,
    pub children_without_end: Vec<String>,
    /// Files where some plugin type at some rate has no step done or died at.
    pub uncovered: Vec<String>,
    pub slowest: Vec<(Duration, String)>,
    pub slowest_steps: Vec<(Duration, String)>,
    pub elapsed: Duration,
}

impl Summary {
    pub fn of(reports: &[FileReport], known: &KnownDefects, elapsed: Duration) -> Self {
        let mut summary = Self {
            files: reports.len(),
            elapsed,
            ..Self::default()
        };
        for report in reports {
            summary.descriptors += report.descriptors;
            summary.rejected += report.rejected;
            summary.children += report.children;
            let mut loaded = false;
            for (key, (outcome, runs, message)) in &report.steps {
                summary.runs += runs;
                let kind = match outcome {
                    Outcome::Ok => {
                        summary.steps += 1;
                        loaded |= key.step == "load";
                        continue;
                    }
                    Outcome::Declined => {
                        summary.declined += 1;
                        continue;
                    }
                    Outcome::Skipped => continue,
                    Outcome::Fail | Outcome::LoadError | Outcome::Rejected => outcome.as_str(),
                };
                let failure = Failure::new(&report.path, key.clone(), kind, message.clone());
                summary.failures.push(failure);
            }
            summary.loaded += usize::from(loaded);
            let deaths = report.deaths.iter().map(|death| &death.key);
            let reached: BTreeSet<(&str, u32)> = (report.steps.keys().chain(deaths))
                .filter(|key| !key.is_file_level())
                .map(|key| (key.label.as_str(), key.rate))
                .collect();
            let expected = report.descriptors * rates();
            if reached.len() != expected {
                let file = file_name(&report.path);
                let found = reached.len();
                let missing = format!("{file}: {found} of {expected} plugin types and rates");
                summary.uncovered.push(missing);
            }
            summary.failures.extend(report.deaths.iter().cloned());
            // A file whose children all died is accounted for by its deaths.
            if !report.ended && report.deaths.is_empty() {
                summary.children_without_end.push(file_name(&report.path));
            }
            summary
                .slowest
                .push((report.elapsed, file_name(&report.path)));
            let steps = report.slowest_steps.iter();
            let name = |key: &StepKey| format!("{} {key}", file_name(&report.path));
            summary
                .slowest_steps
                .extend(steps.map(|(time, key)| (*time, name(key))));
        }
        for list in [&mut summary.slowest, &mut summary.slowest_steps] {
            list.sort_by(|a, b| b.cmp(a));
            list.truncate(5);
        }

        let swept: Vec<String> = reports.iter().map(|r| file_name(&r.path)).collect();
        let mut used = vec![false; known.0.len()];
        for failure in &summary.failures {
            match known.0.iter().position(|entry| entry.matches(failure)) {
                Some(index) => {
                    used[index] = true;
                    summary
                        .known
                        .push((failure.clone(), known.0[index].clone()));
                }
                None => summary.unexpected.push(failure.clone()),
            }
        }
        summary.stale = known
            .0
            .iter()
            .zip(&used)
            .filter(|(entry, used)| !**used && swept.contains(&entry.file))
            .map(|(entry, _)| entry.clone())
            .collect();
        summary
    }
}

/// Counts of failures by kind and by step, with the files each happened in.
fn tally<'a>(
    failures: impl Iterator<Item = &'a Failure>,
) -> BTreeMap<(String, String), Vec<String>> {
    let mut tally: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for failure in failures {
        let files = tally
            .entry((failure.kind.clone(), failure.key.step.clone()))
            .or_default();
        let what = if failure.key.is_file_level() {
            failure.file.clone()
        } else {
            format!("{}:{}", failure.file, failure.key.label)
        };
        if !files.contains(&what) {
            files.push(what);
        }
    }
    tally
}

fn write_tally<'a>(
    f: &mut fmt::Formatter<'_>,
    failures: impl Iterator<Item = &'a Failure>,
) -> fmt::Result {
    /// Enough names to see which plugins; the rest is a count.
    const NAMES: usize = 12;
    for ((kind, step), names) in tally(failures) {
        let shown = names[..names.len().min(NAMES)].join(" ");
        let more = names.len().saturating_sub(NAMES);
        let more = if more > 0 {
            format!(" … and {more} more")
        } else {
            String::new()
        };
        writeln!(
            f,
            "  {kind:<10} {step:<20} {:>4}: {shown}{more}",
            names.len()
        )?;
    }
    Ok(())
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "\n== LADSPA real-world sweep ==")?;
        writeln!(
            f,
            "{} files ({} loaded), {} plugin types ({} refused by validation) at {} rates, \
             {} steps done, {} instantiations declined, {} runs, {} child processes, {:.1} s",
            self.files,
            self.loaded,
            self.descriptors,
            self.rejected,
            rates(),
            self.steps,
            self.declined,
            self.runs,
            self.children,
            self.elapsed.as_secs_f64()
        )?;
        for (title, list) in [("files", &self.slowest), ("steps", &self.slowest_steps)] {
            writeln!(f, "slowest {title}:")?;
            for (time, what) in list {
                writeln!(f, "  {:>7.3} s  {what}", time.as_secs_f64())?;
            }
        }
        writeln!(
            f,
            "failures by kind and step ({} in all):",
            self.failures.len()
        )?;
        write_tally(f, self.failures.iter())?;
        writeln!(f, "known plugin defects seen ({}):", self.known.len())?;
        write_tally(f, self.known.iter().map(|(failure, _)| failure))?;
        writeln!(f, "unexpected failures ({}):", self.unexpected.len())?;
        for failure in self.unexpected.iter().take(100) {
            writeln!(f, "  {failure}")?;
        }
        if self.unexpected.len() > 100 {
            writeln!(f, "  … and {} more", self.unexpected.len() - 100)?;
        }
        writeln!(
            f,
            "stale known defects, which no longer happen ({}):",
            self.stale.len()
        )?;
        for entry in &self.stale {
            writeln!(
                f,
                "  line {}: {} {} {} {}",
                entry.line, entry.file, entry.label, entry.step, entry.kind
            )?;
        }
        Ok(())
    }
}

#[test]
fn the_known_defects_file_parses_and_matches_by_file_label_step_and_kind() {
    let known = KnownDefects::read();
    for entry in &known.0 {
        assert!(
            entry.file.ends_with(".so"),
            "line {}: {}",
            entry.line,
            entry.file
        );
    }
    let sample = KnownDefects::parse(
        "# comment\n\nx.so lbl run-0-empty SIGSEGV reads its first sample\ny.so * load load-error undefined symbol\n",
    );
    assert_eq!(sample.0.len(), 2);
    let failure = |file: &str, label: &str, step: &str, kind: &str| Failure {
        file: file.to_owned(),
        key: StepKey {
            label: label.to_owned(),
            rate: 48000,
            step: step.to_owned(),
        },
        kind: kind.to_owned(),
        detail: String::new(),
    };
    assert!(sample.0[0].matches(&failure("x.so", "lbl", "run-0-empty", "SIGSEGV")));
    assert!(!sample.0[0].matches(&failure("x.so", "other", "run-0-empty", "SIGSEGV")));
    assert!(!sample.0[0].matches(&failure("x.so", "lbl", "run-0-empty", "SIGFPE")));
    assert!(sample.0[1].matches(&failure("y.so", "*", "load", "load-error")));
    assert_eq!(sample.0[0].reason, "reads its first sample");
}
