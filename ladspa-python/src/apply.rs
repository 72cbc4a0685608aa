//! `ladspa.apply`: an audio file through a chain spec into a WAV file, by the library's file
//! job ([`ladspa_host::audio::process_file`], the one behind `ladspa apply`), so the same spec
//! and options give the same bytes as the command line. The job runs with the GIL released;
//! the observer takes it back only to call the caller's progress function and to let Ctrl-C
//! through.

use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use ladspa_host::audio::pcm::SampleFormat;
use ladspa_host::audio::{
    self, Input, JobOptions, JobWarning, Observer, Output, OutputFormat, Plan,
};
use ladspa_host::control_setting;
use ladspa_host::spec::LoadedSpec;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::errors::{Attribute, OrRaise, Raise};
use crate::spec::{ChainSpec, LoadedSpec as PyLoadedSpec};
use crate::text::{path_str, to_path};

/// How often a running job takes the GIL to let a signal (Ctrl-C) through when the caller
/// gave no progress function.
const SIGNAL_CHECK: Duration = Duration::from_millis(100);

/// Runs the audio file ``input`` through the chain ``spec`` (a ``ChainSpec`` or a
/// ``LoadedSpec``) into the WAV file ``output``: the job ``ladspa apply`` runs, so the same
/// spec and options give the same bytes. Returns a dict of what was done; ``ladspa.apply``
/// wraps it in a ``Report``.
#[pyfunction]
#[pyo3(signature = (input, output, spec, *, format, keep_latency, block, sync, strict, progress))]
#[allow(clippy::too_many_arguments)] // Python's keyword arguments, one for each option.
pub(crate) fn _apply<'py>(
    py: Python<'py>,
    input: &Bound<'py, PyAny>,
    output: &Bound<'py, PyAny>,
    spec: &Bound<'py, PyAny>,
    format: &Bound<'py, PyAny>,
    keep_latency: bool,
    block: usize,
    sync: bool,
    strict: bool,
    progress: Option<Py<PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let input = to_path(input)?;
    let output = to_path(output)?;
    let format = output_format(format)?;
    if block == 0 {
        return Err(PyValueError::new_err(
            "block is a number of frames, at least 1",
        ));
    }
    let fresh;
    let loaded: &LoadedSpec = if let Ok(loaded) = spec.cast::<PyLoadedSpec>() {
        &loaded.get().inner
    } else if let Ok(spec) = spec.cast::<ChainSpec>() {
        fresh = spec.get().load(py)?;
        &fresh.inner
    } else {
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "spec is a ladspa.ChainSpec or a LoadedSpec (spec.load()), not {}",
            spec.get_type().name()?
        )));
    };
    let stages = loaded.file_stages();
    let options = {
        let mut options = JobOptions::default();
        options.format = format;
        options.keep_latency = keep_latency;
        options.block = block;
        options.sync = sync;
        options
    };
    let mut observer = PythonObserver {
        loaded,
        strict,
        progress,
        done: 0,
        total: None,
        checked: Instant::now(),
        warnings: Vec::new(),
        refused: None,
        raised: None,
    };
    let result = py.detach(|| {
        audio::process_file(
            Input::Path(&input),
            Output::Path(&output),
            &stages,
            &options,
            &mut observer,
        )
    });
    if let Some(error) = observer.raised.take() {
        return Err(error);
    }
    if let Some(refused) = observer.refused.take() {
        return Err(refused.into_err(py));
    }
    let report = result.or_raise(py)?;
    let dict = PyDict::new(py);
    dict.set_item("input", path_str(py, &input)?)?;
    dict.set_item("output", path_str(py, &output)?)?;
    dict.set_item("frames", report.frames)?;
    dict.set_item("channels", report.channels)?;
    dict.set_item("sample_rate", report.input.sample_rate)?;
    dict.set_item("format", format_name(report.format))?;
    dict.set_item("peak", report.peak)?;
    dict.set_item("duration", report.duration.as_secs_f64())?;
    dict.set_item("latency", report.latency)?;
    dict.set_item("clipped", report.clipped)?;
    dict.set_item("warnings", observer.warnings)?;
    Ok(dict)
}

/// The output format as the command line's `--format` names it: ``"same"``, ``"8"``,
/// ``"16"``, ``"24"``, ``"32"``, ``"float"`` (or the numbers as ``int``).
fn output_format(format: &Bound<'_, PyAny>) -> PyResult<OutputFormat> {
    let name = match format.cast::<PyString>() {
        Ok(name) => name.to_str()?.to_owned(),
        Err(_) => match format.extract::<u32>() {
            Ok(bits) if !format.is_instance_of::<pyo3::types::PyBool>() => bits.to_string(),
            _ => String::new(),
        },
    };
    let sample = match name.as_str() {
        "same" => return Ok(OutputFormat::Same),
        "8" => SampleFormat::U8,
        "16" => SampleFormat::I16,
        "24" => SampleFormat::I24,
        "32" => SampleFormat::I32,
        "float" => SampleFormat::F32,
        _ => {
            return Err(PyValueError::new_err(format!(
                "format is \"same\", 8, 16, 24, 32 or \"float\" (as ladspa apply --format), not {}",
                format.repr()?
            )));
        }
    };
    Ok(OutputFormat::Sample(sample))
}

/// The output's sample format as ``format`` takes it.
fn format_name(format: SampleFormat) -> &'static str {
    match format {
        SampleFormat::U8 => "8",
        SampleFormat::I16 => "16",
        SampleFormat::I24 => "24",
        SampleFormat::I32 => "32",
        _ => "float",
    }
}

/// Follows the job for Python: range checks at the input's rate (warnings, or with
/// ``strict`` a refusal before the output is created), the job's warnings, progress and
/// signals.
struct PythonObserver<'a> {
    loaded: &'a LoadedSpec,
    strict: bool,
    /// ``progress(done, total)``, called with the GIL taken.
    progress: Option<Py<PyAny>>,
    done: u64,
    total: Option<u64>,
    /// When the job last took the GIL.
    checked: Instant,
    warnings: Vec<String>,
    /// Why the job was refused before it started (a value out of range, with ``strict``).
    refused: Option<Raise>,
    /// What the progress function or a signal raised: the job stopped, and this is raised.
    raised: Option<PyErr>,
}

impl Observer for PythonObserver<'_> {
    fn started(&mut self, plan: &Plan<'_>) -> ControlFlow<()> {
        self.total = plan.input.frames;
        let rate = plan.input.sample_rate;
        for (k, stage) in self.loaded.stages.iter().enumerate() {
            for &(port, value) in &stage.controls {
                let Err(error) = control_setting::check_range(&stage.descriptor, port, value, rate)
                else {
                    continue;
                };
                let message = format!("stage {}: {error} at {rate} Hz", k + 1);
                if self.strict {
                    self.refused = Some(
                        Raise::new("ControlRangeError", format!("{message} (strict)"))
                            .with("stage", Attribute::Index(k))
                            .with("port", Attribute::Index(port)),
                    );
                    return ControlFlow::Break(());
                }
                self.warnings.push(message);
            }
        }
        self.call_progress()
    }

    fn progress(&mut self, frames: u64) -> ControlFlow<()> {
        self.done += frames;
        if self.progress.is_none() && self.checked.elapsed() < SIGNAL_CHECK {
            return ControlFlow::Continue(());
        }
        self.call_progress()
    }

    fn warning(&mut self, warning: &JobWarning) {
        self.warnings.push(warning.to_string());
    }
}

impl PythonObserver<'_> {
    /// Takes the GIL: lets a pending signal raise, and calls the progress function.
    fn call_progress(&mut self) -> ControlFlow<()> {
        self.checked = Instant::now();
        let outcome = Python::attach(|py| {
            py.check_signals()?;
            match &self.progress {
                Some(progress) => progress.call1(py, (self.done, self.total)).map(drop),
                None => Ok(()),
            }
        });
        match outcome {
            Ok(()) => ControlFlow::Continue(()),
            Err(error) => {
                self.raised = Some(error);
                ControlFlow::Break(())
            }
        }
    }
}
