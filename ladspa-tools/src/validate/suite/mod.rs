//! The suite of checks, the pipeline's third stage: their stable ids ([`Check`]), what each one
//! checks and in which order they run, and [`run`], which runs one on a plugin type inside a
//! worker. The checks drive instances by raw calls through a [`rig::Rig`], feed them the test
//! signals of [`signal`], and return an [`outcome::Outcome`].
//!
//! The checks by area: `lifecycle` (rates, cleanup, writes outside runs, zero-length runs),
//! `memory` (overruns, inputs written), `output` (non-finite and subnormal outputs, the control
//! sweep), `compare` (reset, determinism, in-place, block size, `run_adding`), `runtime`
//! (real-time safety through `interpose` and `syscalls`, the FP environment through `fp`, CPU).

mod compare;
pub(crate) mod fp;
pub(crate) mod interpose;
mod lifecycle;
mod memory;
pub(crate) mod outcome;
mod output;
pub(crate) mod rig;
mod runtime;
mod signal;
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
mod syscalls;

use serde::Serialize;

use outcome::Outcome;
use rig::Subject;

/// One check of the validator. The id (see [`Check::id`]) is stable: scripts and the `--json`
/// document use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "&'static str")]
pub enum Check {
    /// The file loads and every descriptor passes validation.
    Load,
    /// Instantiate, activate and run at the usual sample rates.
    InstantiateRates,
    /// `cleanup` right after `instantiate`, without `activate`.
    CleanupUnactivated,
    /// Nothing is written outside `[0, n)` of an audio buffer.
    BufferOverrun,
    /// `run` leaves its input buffers alone.
    InputWritten,
    /// No audio buffer is written outside `run`.
    WriteOutsideRun,
    /// A run of 0 samples writes nothing.
    ZeroLength,
    /// No NaN or infinity out at default, minimum and maximum controls.
    NonFiniteOutput,
    /// No subnormal numbers out while the signal decays to silence.
    DenormalOutput,
    /// `deactivate` + `activate` resets the instance.
    Reset,
    /// Two instances give the same output.
    Determinism,
    /// In-place output equals out-of-place output (unless `INPLACE_BROKEN`).
    Inplace,
    /// Output independent of the block size (a warning).
    BlockSize,
    /// `run_adding` adds gain × `run`'s output.
    RunAdding,
    /// A sweep of every control over its range.
    ControlRange,
    /// No allocation or lock inside `run`.
    RtSafety,
    /// The FP control register is left as found.
    FpEnvironment,
    /// Time per sample (information).
    Cpu,
}

impl Check {
    /// Every check, in the order they run.
    pub const ALL: [Check; 18] = [
        Check::Load,
        Check::InstantiateRates,
        Check::CleanupUnactivated,
        Check::BufferOverrun,
        Check::InputWritten,
        Check::WriteOutsideRun,
        Check::ZeroLength,
        Check::NonFiniteOutput,
        Check::DenormalOutput,
        Check::Reset,
        Check::Determinism,
        Check::Inplace,
        Check::BlockSize,
        Check::RunAdding,
        Check::ControlRange,
        Check::RtSafety,
        Check::FpEnvironment,
        Check::Cpu,
    ];

    /// The stable id.
    pub fn id(self) -> &'static str {
        match self {
            Check::Load => "load",
            Check::InstantiateRates => "instantiate-rates",
            Check::CleanupUnactivated => "cleanup-unactivated",
            Check::BufferOverrun => "buffer-overrun",
            Check::InputWritten => "input-written",
            Check::WriteOutsideRun => "write-outside-run",
            Check::ZeroLength => "zero-length",
            Check::NonFiniteOutput => "non-finite-output",
            Check::DenormalOutput => "denormal-output",
            Check::Reset => "reset",
            Check::Determinism => "determinism",
            Check::Inplace => "inplace",
            Check::BlockSize => "block-size",
            Check::RunAdding => "run-adding",
            Check::ControlRange => "control-range",
            Check::RtSafety => "rt-safety",
            Check::FpEnvironment => "fp-environment",
            Check::Cpu => "cpu",
        }
    }

    /// The check with this id.
    pub fn from_id(id: &str) -> Option<Check> {
        Check::ALL.into_iter().find(|check| check.id() == id)
    }

    /// One line on what the check does, for `--list-checks`.
    pub fn summary(self) -> &'static str {
        match self {
            Check::Load => "the file loads; every descriptor passes validation (defects listed)",
            Check::InstantiateRates => {
                "instantiate, activate, run at 8000, 22050, 44100, 48000, 96000, 192000 Hz \
                 (NULL from instantiate: a failure at 44100/48000, a warning elsewhere)"
            }
            Check::CleanupUnactivated => {
                "instantiate then cleanup without activate (legal by the spec) does not crash"
            }
            Check::BufferOverrun => {
                "canary regions before and after every audio buffer: nothing is written outside [0, n)"
            }
            Check::InputWritten => "input buffers are unchanged by run",
            Check::WriteOutsideRun => {
                "no audio buffer is written during activate, deactivate, cleanup or connect_port"
            }
            Check::ZeroLength => "a run of 0 samples writes nothing and does not crash",
            Check::NonFiniteOutput => {
                "no NaN or infinity out, with noise in, every control at default, minimum and maximum"
            }
            Check::DenormalOutput => "no subnormal numbers out while a signal decays to silence",
            Check::Reset => {
                "after deactivate + activate, the output equals the instance's first output for the same input"
            }
            Check::Determinism => {
                "two instances with the same input and controls give the same output"
            }
            Check::Inplace => "unless INPLACE_BROKEN, in-place output equals out-of-place output",
            Check::BlockSize => {
                "output independent of block size (1, 64, 1000, 4096): a warning, the spec does not require it"
            }
            Check::RunAdding => "run_adding with gain g onto buffer b equals b + g × run's output",
            Check::ControlRange => {
                "a sweep of every control over its range: no crash, hang or non-finite output"
            }
            Check::RtSafety => {
                "no memory allocation, pthread mutex lock or (x86-64 Linux) system call inside run \
                 (a failure for HARD_RT_CAPABLE plugins, a warning for others)"
            }
            Check::FpEnvironment => {
                "the plugin's calls leave the FP control register (MXCSR / FPCR) as they found it"
            }
            Check::Cpu => "time per sample at 48 kHz and the real-time factor (information)",
        }
    }
}

impl From<Check> for &'static str {
    fn from(check: Check) -> Self {
        check.id()
    }
}

impl std::fmt::Display for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// Runs one check on `subject`.
pub(crate) fn run(check: Check, subject: &Subject<'_>) -> Outcome {
    match check {
        Check::Load => outcome::pass("the descriptor is valid"),
        Check::InstantiateRates => lifecycle::instantiate_rates(subject),
        Check::CleanupUnactivated => lifecycle::cleanup_unactivated(subject),
        Check::BufferOverrun => memory::buffer_overrun(subject),
        Check::InputWritten => memory::input_written(subject),
        Check::WriteOutsideRun => lifecycle::write_outside_run(subject),
        Check::ZeroLength => lifecycle::zero_length(subject),
        Check::NonFiniteOutput => output::non_finite_output(subject),
        Check::DenormalOutput => output::denormal_output(subject),
        Check::Reset => compare::reset(subject),
        Check::Determinism => compare::determinism(subject),
        Check::Inplace => compare::inplace(subject),
        Check::BlockSize => compare::block_size(subject),
        Check::RunAdding => compare::run_adding(subject),
        Check::ControlRange => output::control_range(subject),
        Check::RtSafety => runtime::rt_safety(subject),
        Check::FpEnvironment => runtime::fp_environment(subject),
        Check::Cpu => runtime::cpu(subject),
    }
}
