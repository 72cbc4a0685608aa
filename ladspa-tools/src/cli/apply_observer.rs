//! What `ladspa apply` shows while it runs: one progress bar for the batch, warnings that
//! name the file they are about, and the range checks made once a file's rate is known.

use std::io::IsTerminal;
use std::ops::ControlFlow;
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressStyle};
use ladspa_host::audio::{JobWarning, Observer, Plan};

use super::controls::ControlIssue;

/// Follows one file's job: progress, interruption by a signal, warnings, range checks at the
/// file's sample rate.
pub(super) struct JobObserver<'a> {
    pub(super) progress: &'a Progress,
    pub(super) file: usize,
    pub(super) issues: &'a [ControlIssue],
    pub(super) strict: bool,
    /// Why the job was refused before it started (a --strict range check).
    pub(super) refused: Option<String>,
    /// The input's name, when there are several.
    pub(super) name: Option<PathBuf>,
}

impl JobObserver<'_> {
    fn warn(&self, message: impl std::fmt::Display) {
        self.progress.suspend(|| match &self.name {
            Some(name) => crate::voice::warning(format_args!("{}: {message}", name.display())),
            None => crate::voice::warning(message),
        });
    }
}

impl Observer for JobObserver<'_> {
    fn started(&mut self, plan: &Plan<'_>) -> ControlFlow<()> {
        for issue in self.issues {
            if let Some(message) = issue.at_rate(plan.input.sample_rate) {
                if self.strict {
                    self.refused = Some(format!("{message} (--strict)"));
                    return ControlFlow::Break(());
                }
                self.warn(message);
            }
        }
        self.progress.start(self.file, plan.input.frames);
        ControlFlow::Continue(())
    }

    fn progress(&mut self, frames: u64) -> ControlFlow<()> {
        self.progress.advance(frames);
        if crate::interrupt::requested() {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }

    fn warning(&mut self, warning: &JobWarning) {
        self.warn(warning);
    }
}

/// One progress bar for the whole batch, on a terminal only: each file is an equal share, in
/// which its frames advance.
pub(super) struct Progress {
    bar: ProgressBar,
    files: usize,
    /// The current file's frames, when its header says.
    frames: std::cell::Cell<Option<u64>>,
    done: std::cell::Cell<u64>,
}

/// Units of the bar per file.
const PER_FILE: u64 = 10_000;

impl Progress {
    pub(super) fn new(files: usize) -> Self {
        let bar = if std::io::stderr().is_terminal() && !crate::voice::quiet() {
            let template = if files > 1 {
                "{bar:40} {percent:>3}% {msg} {elapsed} / {duration}"
            } else {
                "{bar:40} {percent:>3}% {elapsed} / {duration}"
            };
            ProgressBar::new(files as u64 * PER_FILE)
                .with_style(ProgressStyle::with_template(template).expect("a valid template"))
        } else {
            ProgressBar::hidden()
        };
        Self {
            bar,
            files,
            frames: std::cell::Cell::new(None),
            done: std::cell::Cell::new(0),
        }
    }

    fn start(&self, file: usize, frames: Option<u64>) {
        self.frames.set(frames);
        self.done.set(0);
        self.bar.set_position(file as u64 * PER_FILE);
        if self.files > 1 {
            self.bar.set_message(format!("{}/{}", file + 1, self.files));
        }
    }

    fn advance(&self, frames: u64) {
        let done = self.done.get() + frames;
        self.done.set(done);
        if let Some(total) = self.frames.get().filter(|&t| t > 0) {
            let file = self.bar.position() / PER_FILE;
            let share = (done.min(total) as f64 / total as f64 * (PER_FILE - 1) as f64) as u64;
            self.bar.set_position(file * PER_FILE + share);
        }
    }

    pub(super) fn suspend(&self, say: impl FnOnce()) {
        self.bar.suspend(say);
    }

    pub(super) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
