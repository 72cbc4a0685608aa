//! `Handle`: an instance of a plugin type, around one `Mutex` shared (through an `Arc`) with
//! its `Controls`: a run takes it with the GIL released, so two threads run two handles on two
//! cores, and a handle's methods never meet a borrow held across a run.

use std::sync::{Arc, Mutex};

use ladspa_host::{AnyHandle, Properties, RunError};
use numpy::{PyArrayMethods, PyUntypedArrayMethods};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::audio::{Sharing, audio_in, audio_out, rows, rows_mut, shape_text, sharing, writable};
use crate::controls::Controls;
use crate::errors::{OrRaise, Raise, ToPyErr};
use crate::instance::{Failure, Shared, lock, with_instance};
use crate::plugin::Descriptor;
use crate::rdf::Preset;
use crate::text::qualified_name;

/// An instance of a plugin type.
///
/// Made by ``descriptor.instantiate(sample_rate)``, or as ``Handle(descriptor,
/// sample_rate)``. A handle starts inactive, its control inputs at their defaults:
/// ``activate()`` it (or use it as a context manager, which activates on entry and deactivates
/// on exit) before ``run``. ``controls`` is the mapping of its control ports.
///
/// Runs release the GIL: two threads running two handles use two cores. One handle runs on one
/// thread at a time (a second thread waits for the first). While a plugin runs, another thread
/// that writes to the arrays of that run races with it: that is the caller's business, as for
/// any numpy code that releases the GIL.
#[pyclass(frozen, subclass, weakref, module = "ladspa._ladspa", name = "Handle")]
pub(crate) struct Handle {
    shared: Shared,
    descriptor: ladspa_host::Descriptor,
    sample_rate: u32,
}

impl Handle {
    fn fail<E: ToPyErr>(&self, py: Python<'_>, failure: Failure<E>) -> PyErr {
        failure.into_err(py, &self.descriptor)
    }

    /// Runs `f` on the live instance.
    fn live<R: Send, E: ToPyErr + Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut AnyHandle) -> Result<R, E> + Send,
    ) -> PyResult<R> {
        with_instance(py, &self.shared, |slot| match slot {
            Some(handle) => f(handle).map_err(Failure::Library),
            None => Err(Failure::Closed),
        })
        .map_err(|failure| self.fail(py, failure))
    }

    /// A lifecycle call (plugin code that may take long), with the GIL released.
    fn lifecycle(&self, py: Python<'_>, f: impl FnOnce(&mut AnyHandle) + Send) -> PyResult<()> {
        py.detach(|| match lock(&self.shared).as_mut() {
            Some(handle) => {
                f(handle);
                Ok(())
            }
            None => Err(Failure::<RunError>::Closed),
        })
        .map_err(|failure| self.fail(py, failure))
    }
}

#[pymethods]
impl Handle {
    /// Refused: a Handle holds plugin code loaded into this process (see ``ChainSpec``).
    fn __reduce__(&self) -> PyResult<()> {
        Err(crate::errors::not_picklable("Handle"))
    }

    #[new]
    fn new(py: Python<'_>, descriptor: &Bound<'_, Descriptor>, sample_rate: u32) -> PyResult<Self> {
        let descriptor = descriptor.get().inner.clone();
        let handle = py
            .detach(|| descriptor.instantiate(sample_rate))
            .or_raise(py)?;
        Ok(Self {
            shared: Arc::new(Mutex::new(Some(AnyHandle::Inactive(handle)))),
            descriptor,
            sample_rate,
        })
    }

    /// The sample rate the instance was made for, in Hz.
    #[getter]
    fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    /// Whether the instance is active (it can run).
    #[getter]
    fn active(&self, py: Python<'_>) -> bool {
        with_instance(py, &self.shared, |slot| {
            slot.as_ref().is_some_and(AnyHandle::is_active)
        })
    }

    /// Whether the handle was closed (its instance cleaned up).
    #[getter]
    fn closed(&self, py: Python<'_>) -> bool {
        with_instance(py, &self.shared, |slot| slot.is_none())
    }

    /// Activates the instance (the plugin's ``activate``); nothing happens if it is active.
    fn activate(&self, py: Python<'_>) -> PyResult<()> {
        self.lifecycle(py, |handle| {
            handle.activate();
        })
    }

    /// Deactivates the instance (the plugin's ``deactivate``); nothing happens if it is
    /// inactive. Activating it again resets the plugin's state.
    fn deactivate(&self, py: Python<'_>) -> PyResult<()> {
        self.lifecycle(py, |handle| {
            handle.deactivate();
        })
    }

    /// Resets the plugin's state (delay lines, filters) of an active instance: ``deactivate``
    /// then ``activate``. Controls keep their values. Nothing happens to an inactive one.
    fn reset(&self, py: Python<'_>) -> PyResult<()> {
        self.lifecycle(py, |handle| {
            if let Some(active) = handle.active_mut() {
                active.reset();
            }
        })
    }

    /// Ends the instance: deactivates it if it is active and cleans it up (the plugin's
    /// ``cleanup``); an instance that was never active is activated and deactivated first,
    /// since some plugins crash in a ``cleanup`` without them. Closing twice is allowed; every
    /// other use of a closed handle raises ``ClosedHandleError``. (Dropping the last reference
    /// does the same.)
    fn close(&self, py: Python<'_>) {
        let taken = py.detach(|| lock(&self.shared).take());
        py.detach(move || drop(taken));
    }

    /// Whether runs flush denormal numbers to zero (set it to ``True`` for plugins with
    /// feedback, which may otherwise slow down hundreds of times as a signal fades out).
    /// Setting it where the CPU cannot (other than x86-64 and AArch64) leaves it ``False``.
    #[getter]
    fn get_flush_denormals(&self, py: Python<'_>) -> PyResult<bool> {
        self.live(py, |handle| {
            Ok::<_, RunError>(match handle {
                AnyHandle::Active(h) => h.flushes_denormals(),
                AnyHandle::Inactive(h) => h.flushes_denormals(),
            })
        })
    }

    #[setter]
    fn set_flush_denormals(&self, py: Python<'_>, on: bool) -> PyResult<()> {
        self.live(py, |handle| {
            match handle {
                AnyHandle::Active(h) => h.set_flush_denormals(on),
                AnyHandle::Inactive(h) => h.set_flush_denormals(on),
            };
            Ok::<_, RunError>(())
        })
    }

    /// The control ports as a mapping, by name or index: ``handle.controls["Gain"] = 0.5``
    /// sets a control input (NaN and infinities are refused with ``NotFiniteError``, a
    /// ``ValueError``); reading gives a control input's value or what a control output (a
    /// meter, a latency) said after the last run.
    #[getter]
    fn controls(&self) -> Controls {
        Controls::new(Arc::clone(&self.shared), self.descriptor.clone())
    }

    /// Runs the plugin on ``inputs`` and returns its outputs.
    ///
    /// ``inputs``: the audio inputs as a ``(channels, frames)`` array (a 1-D array for one
    /// channel), one row per audio input port. float32 arrays whose rows are contiguous go to
    /// the plugin as they are; float64 and other layouts are converted to float32 first (a
    /// copy). A plugin without audio inputs (a generator) takes ``None`` and ``frames=``.
    ///
    /// Returns a new ``(outputs, frames)`` float32 array (1-D when the input was 1-D and the
    /// plugin has one output), or writes into ``out`` (a writeable float32 array of that
    /// shape with contiguous rows: the plugin writes into it directly) and returns it. An
    /// ``out`` that is the input array (row ``k`` of each the same memory) runs in place,
    /// which ``INPLACE_BROKEN`` plugins refuse (``InPlaceBrokenError``); one that shares memory
    /// with the input in another way gets a copy of the input.
    ///
    /// Raises ``ValueError`` (``BufferCountError``) naming the shape expected when the number
    /// of channels does not fit, ``InactiveHandleError`` when the handle is not active. The
    /// GIL is released while the plugin runs.
    #[pyo3(signature = (inputs = None, out = None, *, frames = None))]
    fn run<'py>(
        &self,
        py: Python<'py>,
        inputs: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
        frames: Option<usize>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (n_in, n_out) = (
            self.descriptor.audio_input_count(),
            self.descriptor.audio_output_count(),
        );
        let input = match inputs.filter(|inputs| !inputs.is_none()) {
            Some(inputs) => Some(audio_in(inputs)?),
            None if n_in > 0 => {
                return Err(PyValueError::new_err(format!(
                    "{} has {n_in} audio input(s): run() takes them as a ({n_in}, frames) array",
                    self.descriptor.label()
                )));
            }
            None => None,
        };
        let frames = match (&input, frames) {
            (Some(input), Some(frames)) if frames != input.frames() => {
                return Err(PyValueError::new_err(format!(
                    "frames={frames}, but the input holds {} frames",
                    input.frames()
                )));
            }
            (Some(input), _) => input.frames(),
            (None, Some(frames)) => frames,
            (None, None) => match out.filter(|out| !out.is_none()) {
                Some(out) => {
                    let shape = out.cast::<numpy::PyUntypedArray>()?.shape().to_vec();
                    *shape.last().unwrap_or(&0)
                }
                None => {
                    return Err(PyValueError::new_err(format!(
                        "{} has no audio input: say how many frames to run (frames=) or give out=",
                        self.descriptor.label()
                    )));
                }
            },
        };
        if let Some(input) = &input {
            if input.channels() != n_in {
                let given = input.array.shape().to_vec();
                let expected = if n_in == 1 {
                    format!("(1, {frames}) or ({frames},)")
                } else {
                    format!("({n_in}, {frames})")
                };
                return Err(Raise::new(
                    "BufferCountError",
                    format!(
                        "{} ({}) has {n_in} audio input(s): the input must be shaped {expected}, \
                         not {}",
                        self.descriptor.path().display(),
                        self.descriptor.label(),
                        shape_text(if input.one_d { &given[1..] } else { &given[..] })
                    ),
                )
                .into_err(py));
            }
        }
        let one_d = input.as_ref().is_some_and(|input| input.one_d);
        let output = audio_out(py, out, n_out, frames, one_d)?;
        let mut input = input;
        if let Some(given) = &input {
            match sharing(&given.array, &output.array) {
                Sharing::None => {}
                _ if self
                    .descriptor
                    .properties()
                    .contains(Properties::INPLACE_BROKEN) =>
                {
                    return Err(RunError::InPlaceBroken {
                        descriptor: self.descriptor.clone(),
                    }
                    .to_py(py));
                }
                Sharing::InPlace => {
                    let mut buffers = writable(&output.array)?;
                    let mut rows = rows_mut(buffers.as_array_mut());
                    self.run_locked(py, |handle| handle.run_in_place(frames, &mut rows))?;
                    return Ok(output.result);
                }
                Sharing::Other => input = Some(given.copied()?),
            }
        }
        let mut written = writable(&output.array)?;
        let mut outputs = rows_mut(written.as_array_mut());
        match &input {
            Some(input) => {
                let read = input.array.try_readonly()?;
                let inputs = rows(read.as_array());
                self.run_locked(py, |handle| handle.run(frames, &inputs, &mut outputs))?;
            }
            None => {
                self.run_locked(py, |handle| handle.run(frames, &[], &mut outputs))?;
            }
        }
        Ok(output.result)
    }

    /// Applies an LRDF preset (``descriptor.rdf.presets``): every value is checked before
    /// the first is set.
    fn apply_preset(&self, py: Python<'_>, preset: &Bound<'_, Preset>) -> PyResult<()> {
        let preset = preset.get().inner;
        self.live(py, |handle| match handle {
            AnyHandle::Active(h) => h.apply_preset(preset),
            AnyHandle::Inactive(h) => h.apply_preset(preset),
        })
    }

    /// Activates the handle and returns it.
    fn __enter__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, Self>> {
        slf.get().activate(slf.py())?;
        Ok(slf.clone())
    }

    /// Deactivates the handle (unless it was closed meanwhile).
    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, PyTuple>) -> bool {
        py.detach(|| {
            if let Some(handle) = lock(&self.shared).as_mut() {
                handle.deactivate();
            }
        });
        false
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let this = slf.get();
        let state = with_instance(slf.py(), &this.shared, |slot| match slot {
            None => "closed",
            Some(handle) if handle.is_active() => "active",
            Some(_) => "inactive",
        });
        Ok(format!(
            "<{} {} ({}) at {} Hz, {state}>",
            qualified_name(slf.as_any())?,
            this.descriptor.label(),
            this.descriptor.unique_id(),
            this.sample_rate
        ))
    }
}

impl Handle {
    /// Runs `f` on the active instance with the GIL released.
    fn run_locked(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut ladspa_host::ActiveHandle) -> Result<(), RunError> + Send,
    ) -> PyResult<()> {
        py.detach(|| match lock(&self.shared).as_mut() {
            Some(AnyHandle::Active(handle)) => f(handle).map_err(Failure::Library),
            Some(_) => Err(Failure::Inactive),
            None => Err(Failure::Closed),
        })
        .map_err(|failure| self.fail(py, failure))
    }
}
