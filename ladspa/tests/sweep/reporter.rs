//! The child's side of the protocol: announces each step before doing it, reports how it
//! ended, and skips the steps an earlier child died at.

use std::io::Write;

use crate::protocol::{Event, Outcome, Skips, StepKey};

/// Why a step did not end well (short of killing the child).
#[derive(Debug)]
pub enum Problem {
    Host(String),
    Declined(String),
    LoadError(String),
}

pub fn host(error: impl ToString) -> Problem {
    Problem::Host(error.to_string())
}

#[derive(Debug, Default)]
pub struct Tally {
    pub runs: u64,
}

/// Prints the protocol, and knows which plugin type and rate the steps are about now.
pub struct Reporter<'a> {
    pub skips: &'a Skips,
    pub label: String,
    pub rate: u32,
}

impl Reporter<'_> {
    pub fn emit(&self, event: &Event) {
        // One write of a whole line, flushed at once: the parent must have it even if the
        // next thing the plugin does is crash the process.
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(format!("{event}\n").as_bytes())
            .and_then(|()| stdout.flush())
            .expect("the parent reads the child's output");
    }

    /// Announces a step, does it (unless it is to be skipped) and reports its outcome; gives
    /// the step's value when it succeeded.
    pub fn step<T>(
        &mut self,
        name: &str,
        body: impl FnOnce(&mut Tally) -> Result<T, Problem>,
    ) -> Option<T> {
        let key = StepKey {
            label: self.label.clone(),
            rate: self.rate,
            step: name.to_owned(),
        };
        let done = |runs, outcome, message: String| Event::Done {
            key: key.clone(),
            runs,
            outcome,
            message,
        };
        if self.skips.contains(&key.label, key.rate, &key.step) {
            self.emit(&done(0, Outcome::Skipped, String::new()));
            return None;
        }
        self.emit(&Event::Step(key.clone()));
        let mut tally = Tally::default();
        let result = body(&mut tally);
        let (outcome, message) = match &result {
            Ok(_) => (Outcome::Ok, String::new()),
            Err(Problem::Host(message)) => (Outcome::Fail, message.clone()),
            Err(Problem::Declined(message)) => (Outcome::Declined, message.clone()),
            Err(Problem::LoadError(message)) => (Outcome::LoadError, message.clone()),
        };
        self.emit(&done(tally.runs, outcome, message));
        result.ok()
    }
}
