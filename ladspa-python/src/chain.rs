//! `Chain`: N channels through plugin stages, over the library's `Chain`, in pedalboard's
//! style: ``chain.process(audio, sample_rate)``, or calling the chain, on `(channels, frames)`
//! float32 arrays, state cleared first unless ``reset=False``.

use std::sync::Mutex;

use ladspa_host::ChainError;
use numpy::{PyArrayMethods, PyUntypedArrayMethods};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};

use crate::audio::{Sharing, audio_in, audio_out, rows, rows_mut, shape_text, sharing, writable};
use crate::catalog::resolve_descriptor;
use crate::errors::{OrRaise, Raise, ToPyErr};
use crate::instance::{PortKey, with_instance};
use crate::plugin::Descriptor;
use crate::text::qualified_name;

/// An ordered list of plugin stages processing ``channels`` channels at ``sample_rate`` Hz.
///
/// ``chain.add(plugin, controls)`` adds a stage: a descriptor, or a name as everywhere in the
/// project (``"filter.so:lpf"``, a label or unique ID found in one file along
/// ``LADSPA_PATH``); a mono plugin on a stereo chain gets one instance per channel, a stereo one
/// runs once, a 1-in/2-out one turns the chain stereo (see the Rust ``chain::Mapping``). Stages
/// count from 0.
///
/// ``chain.process(audio, sample_rate)`` (or ``chain(audio, sample_rate)``) runs a
/// ``(channels, frames)`` array (1-D for one channel) through the chain and returns a new
/// float32 array of the chain's output channels; the plugins' state is cleared first unless
/// ``reset=False`` (which streams block after block). ``process_offline`` removes the chain's
/// latency. The GIL is released while the plugins run.
#[pyclass(frozen, subclass, weakref, module = "ladspa._ladspa", name = "Chain")]
pub(crate) struct Chain {
    inner: Mutex<ladspa_host::Chain>,
    sample_rate: u32,
}

/// Which run.
#[derive(Clone, Copy)]
enum Run {
    Live,
    Offline,
}

impl Chain {
    fn with<R: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut ladspa_host::Chain) -> Result<R, ChainError> + Send,
    ) -> PyResult<R> {
        with_instance(py, &self.inner, f).or_raise(py)
    }

    /// The descriptor `plugin` stands for: a descriptor object, or a name.
    fn descriptor_of(
        py: Python<'_>,
        plugin: &Bound<'_, PyAny>,
    ) -> PyResult<ladspa_host::Descriptor> {
        if let Ok(descriptor) = plugin.cast::<Descriptor>() {
            return Ok(descriptor.get().inner.clone());
        }
        if let Ok(name) = plugin.cast::<PyString>() {
            return resolve_descriptor(py, name.to_str()?);
        }
        Err(PyTypeError::new_err(format!(
            "a chain stage is a Descriptor or a plugin name (str), not {}",
            plugin.get_type().name()?
        )))
    }

    fn process_audio<'py>(
        &self,
        py: Python<'py>,
        run: Run,
        audio: &Bound<'py, PyAny>,
        sample_rate: Option<u32>,
        reset: bool,
        out: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if let Some(rate) = sample_rate.filter(|&rate| rate != self.sample_rate) {
            return Err(PyValueError::new_err(format!(
                "the chain runs at {} Hz, not {rate} Hz: make a chain at that rate",
                self.sample_rate
            )));
        }
        let (channels_in, channels_out) = with_instance(py, &self.inner, |chain| {
            (chain.input_channels(), chain.output_channels())
        });
        let mut input = audio_in(audio)?;
        if input.channels() != channels_in {
            let given = input.array.shape().to_vec();
            let frames = input.frames();
            let expected = if channels_in == 1 {
                format!("(1, {frames}) or ({frames},)")
            } else {
                format!("({channels_in}, {frames})")
            };
            return Err(Raise::new(
                "ChannelCountError",
                format!(
                    "the chain takes {channels_in} channel(s): the audio must be shaped \
                     {expected}, not {}",
                    shape_text(if input.one_d { &given[1..] } else { &given[..] })
                ),
            )
            .into_err(py));
        }
        let frames = input.frames();
        let output = audio_out(py, out, channels_out, frames, input.one_d)?;
        if sharing(&input.array, &output.array) != Sharing::None {
            input = input.copied()?;
        }
        let read = input.array.try_readonly()?;
        let inputs = rows(read.as_array());
        let mut written = writable(&output.array)?;
        let mut outputs = rows_mut(written.as_array_mut());
        py.detach(|| {
            let mut chain = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            if reset {
                chain.reset();
            }
            match run {
                Run::Live => chain.process(frames, &inputs, &mut outputs),
                Run::Offline => chain
                    .process_offline(frames, &inputs, &mut outputs)
                    .map(|_| ()),
            }
        })
        .or_raise(py)?;
        Ok(output.result)
    }
}

#[pymethods]
impl Chain {
    /// Refused: a Chain holds plugin code loaded into this process (see ``ChainSpec``).
    fn __reduce__(&self) -> PyResult<()> {
        Err(crate::errors::not_picklable("Chain"))
    }

    #[new]
    #[pyo3(signature = (channels, sample_rate, plugins = None, *, max_block = 8192))]
    fn new(
        py: Python<'_>,
        channels: usize,
        sample_rate: u32,
        plugins: Option<&Bound<'_, PyAny>>,
        max_block: usize,
    ) -> PyResult<Self> {
        let chain = ladspa_host::Chain::new(channels, sample_rate, max_block).or_raise(py)?;
        let this = Self {
            inner: Mutex::new(chain),
            sample_rate,
        };
        if let Some(plugins) = plugins.filter(|p| !p.is_none()) {
            for stage in plugins.try_iter()? {
                let stage = stage?;
                match stage.cast::<PyTuple>() {
                    Ok(pair) if pair.len() == 2 => {
                        let controls = pair.get_item(1)?;
                        let controls = controls.cast::<PyDict>().map_err(|_| {
                            PyTypeError::new_err(
                                "a stage is a plugin, or a (plugin, {port: value}) pair",
                            )
                        })?;
                        this.add(py, &pair.get_item(0)?, Some(controls), None)?;
                    }
                    _ => {
                        this.add(py, &stage, None, None)?;
                    }
                }
            }
        }
        Ok(this)
    }

    /// Adds a stage at the end and returns its number (from 0): instances of ``plugin`` (a
    /// descriptor, or a name as ``"filter.so:lpf"``) as the channel-mapping rules say, their
    /// control inputs at their defaults, then set from ``controls`` (a dict by port name or
    /// index, for names that are not identifiers) and the keyword arguments. Every name and
    /// value is checked before the stage is added. A plugin that fits no mapping rule is a
    /// ``ChannelMismatchError``.
    #[pyo3(signature = (plugin, controls = None, **named))]
    fn add(
        &self,
        py: Python<'_>,
        plugin: &Bound<'_, PyAny>,
        controls: Option<&Bound<'_, PyDict>>,
        named: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<usize> {
        let descriptor = Self::descriptor_of(py, plugin)?;
        let mut values = Vec::new();
        for dict in [controls, named].into_iter().flatten() {
            for (key, value) in dict.iter() {
                let index = PortKey::of(py, &key, &descriptor)?
                    .control_index(&descriptor, true)
                    .or_raise(py)?;
                let value = value.extract::<f64>()? as f32;
                if !value.is_finite() {
                    return Err(ladspa_host::PortError::NotFinite {
                        descriptor: descriptor.clone(),
                        index,
                        value,
                    }
                    .to_py(py));
                }
                values.push((index, value));
            }
        }
        py.detach(|| {
            let mut chain = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            let stage = chain.add(&descriptor)?;
            for (index, value) in values {
                chain.set_control(stage, index, value)?;
            }
            Ok::<_, ChainError>(stage)
        })
        .or_raise(py)
    }

    /// Sets control input ``port`` (a name or an index) of stage ``stage`` on every instance
    /// of the stage; it applies from the next run on.
    fn set_control(
        &self,
        py: Python<'_>,
        stage: usize,
        port: &Bound<'_, PyAny>,
        value: f64,
    ) -> PyResult<()> {
        let descriptor = self.stage_descriptor(py, stage)?;
        let index = PortKey::of(py, port, &descriptor)?
            .control_index(&descriptor, true)
            .map_err(|source| ChainError::Port { stage, source })
            .or_raise(py)?;
        self.with(py, |chain| chain.set_control(stage, index, value as f32))
    }

    /// The value of control port ``port`` (input or output) of stage ``stage``, as its first
    /// instance holds it.
    fn control(&self, py: Python<'_>, stage: usize, port: &Bound<'_, PyAny>) -> PyResult<f32> {
        let descriptor = self.stage_descriptor(py, stage)?;
        let index = PortKey::of(py, port, &descriptor)?
            .control_index(&descriptor, false)
            .map_err(|source| ChainError::Port { stage, source })
            .or_raise(py)?;
        self.with(py, |chain| chain.control(stage, index))
    }

    /// Bypasses stage ``stage`` (or stops bypassing it): its input passes through, delayed by
    /// the stage's latency.
    #[pyo3(signature = (stage, on = true))]
    fn set_bypass(&self, py: Python<'_>, stage: usize, on: bool) -> PyResult<()> {
        self.with(py, |chain| chain.set_bypass(stage, on))
    }

    /// Whether stage ``stage`` is bypassed.
    fn is_bypassed(&self, py: Python<'_>, stage: usize) -> PyResult<bool> {
        self.with(py, |chain| chain.stage(stage).map(|s| s.is_bypassed()))
    }

    /// The latency of stage ``stage`` in samples, as its plugin reported it after the last run.
    fn stage_latency(&self, py: Python<'_>, stage: usize) -> PyResult<usize> {
        self.with(py, |chain| chain.stage(stage).map(|s| s.latency()))
    }

    /// The plugin type of stage ``stage``, as a new ``Descriptor``.
    fn descriptor(&self, py: Python<'_>, stage: usize) -> PyResult<Descriptor> {
        Ok(Descriptor {
            inner: self.stage_descriptor(py, stage)?,
        })
    }

    /// Whether the plugins' runs flush denormal numbers to zero (``False`` by default), for
    /// every instance of the chain, including those of stages added later. Turn it on for
    /// chains with feedback (IIR filters, reverbs, delays), which may otherwise slow down
    /// hundreds of times as a signal fades out; the CPU's flush-to-zero mode is set for each
    /// plugin call only. Setting it where the CPU cannot (other than x86-64 and AArch64)
    /// leaves it ``False``.
    #[getter]
    fn get_flush_denormals(&self, py: Python<'_>) -> bool {
        with_instance(py, &self.inner, |chain| chain.flushes_denormals())
    }

    #[setter]
    fn set_flush_denormals(&self, py: Python<'_>, on: bool) {
        with_instance(py, &self.inner, |chain| chain.set_flush_denormals(on));
    }

    /// The chain's latency in samples: the sum of its stages' latencies after the last run.
    #[getter]
    fn latency(&self, py: Python<'_>) -> usize {
        with_instance(py, &self.inner, |chain| chain.latency())
    }

    /// The channels the chain takes.
    #[getter]
    fn channels(&self, py: Python<'_>) -> usize {
        with_instance(py, &self.inner, |chain| chain.input_channels())
    }

    /// The channels the chain gives (those its last stage leaves).
    #[getter]
    fn output_channels(&self, py: Python<'_>) -> usize {
        with_instance(py, &self.inner, |chain| chain.output_channels())
    }

    /// The sample rate, in Hz.
    #[getter]
    fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    /// The most samples one plugin call takes; longer runs are split.
    #[getter]
    fn max_block(&self, py: Python<'_>) -> usize {
        with_instance(py, &self.inner, |chain| chain.max_block())
    }

    fn __len__(&self, py: Python<'_>) -> usize {
        with_instance(py, &self.inner, |chain| chain.stages().len())
    }

    /// Clears every plugin's state (delay lines, filters); controls keep their values.
    fn reset(&self, py: Python<'_>) {
        py.detach(|| self.inner.lock().unwrap_or_else(|e| e.into_inner()).reset());
    }

    /// Runs ``audio`` (``(channels, frames)``, or 1-D for one channel; float32 with
    /// contiguous rows goes in as it is, anything else is converted) through the chain and
    /// returns the output as a new float32 array (or writes it into ``out``). With
    /// ``reset=True`` (the default, as in pedalboard) the plugins' state is cleared first;
    /// ``reset=False`` carries on from the last call, for streaming block after block.
    /// ``sample_rate``, when given, must be the chain's.
    #[pyo3(signature = (audio, sample_rate = None, *, reset = true, out = None))]
    fn process<'py>(
        &self,
        py: Python<'py>,
        audio: &Bound<'py, PyAny>,
        sample_rate: Option<u32>,
        reset: bool,
        out: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.process_audio(py, Run::Live, audio, sample_rate, reset, out)
    }

    /// ``chain(audio, sample_rate)`` is ``chain.process(audio, sample_rate)``.
    #[pyo3(signature = (audio, sample_rate = None, *, reset = true, out = None))]
    fn __call__<'py>(
        &self,
        py: Python<'py>,
        audio: &Bound<'py, PyAny>,
        sample_rate: Option<u32>,
        reset: bool,
        out: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.process_audio(py, Run::Live, audio, sample_rate, reset, out)
    }

    /// Runs the whole of ``audio`` through the chain for a file: the chain's latency is
    /// removed (output sample ``t`` answers input sample ``t``; silence is fed at the end),
    /// so the output has as many frames as the input. State is cleared first unless
    /// ``reset=False``.
    #[pyo3(signature = (audio, sample_rate = None, *, reset = true, out = None))]
    fn process_offline<'py>(
        &self,
        py: Python<'py>,
        audio: &Bound<'py, PyAny>,
        sample_rate: Option<u32>,
        reset: bool,
        out: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.process_audio(py, Run::Offline, audio, sample_rate, reset, out)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let layout = with_instance(slf.py(), &slf.get().inner, |chain| chain.to_string());
        Ok(format!(
            "<{} {}>",
            qualified_name(slf.as_any())?,
            layout.trim_end()
        ))
    }
}

impl Chain {
    fn stage_descriptor(&self, py: Python<'_>, stage: usize) -> PyResult<ladspa_host::Descriptor> {
        self.with(py, |chain| {
            chain.stage(stage).map(|s| s.descriptor().clone())
        })
    }
}
