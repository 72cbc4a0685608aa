//! `Handle`: an instance of a plugin type, and `Controls`, the mapping of its control ports.
//! Both are frozen classes around one `Mutex` (shared through an `Arc`): a run takes it with
//! the GIL released, so two threads run two handles on two cores, and a handle's methods never
//! meet a borrow held across a run.

use std::ffi::CString;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, TryLockError};

use ladspa_host::{AnyHandle, PortError, Properties, RunError};
use numpy::{PyArrayMethods, PyUntypedArrayMethods};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyInt, PyList, PyTuple};

use crate::audio::{Sharing, audio_in, audio_out, rows, rows_mut, shape_text, sharing, writable};
use crate::errors::{Attribute, OrRaise, Raise, ToPyErr};
use crate::plugin::Descriptor;
use crate::port::port_key;
use crate::rdf::Preset;
use crate::text::key_bytes;
use crate::text::qualified_name;

/// The instance, `None` once closed.
pub(crate) type Shared = Arc<Mutex<Option<AnyHandle>>>;

/// Locks `mutex`, ignoring poisoning (nothing that holds it panics halfway through a change).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs `f` on the locked instance: at once when the lock is free, else after waiting for it
/// with the GIL released (another thread is running the handle).
pub(crate) fn with_instance<T, R: Send>(
    py: Python<'_>,
    mutex: &Mutex<T>,
    f: impl FnOnce(&mut T) -> R + Send,
) -> R
where
    T: Send,
{
    match mutex.try_lock() {
        Ok(mut guard) => f(&mut guard),
        Err(TryLockError::Poisoned(poisoned)) => f(&mut poisoned.into_inner()),
        Err(TryLockError::WouldBlock) => py.detach(|| f(&mut lock(mutex))),
    }
}

/// What a call on a handle can meet besides the library's errors.
pub(crate) enum Failure<E> {
    Closed,
    Inactive,
    Library(E),
}

impl<E: ToPyErr> Failure<E> {
    fn into_err(self, py: Python<'_>, descriptor: &ladspa_host::Descriptor) -> PyErr {
        let about = format!(
            "{} ({})",
            descriptor.path().display(),
            descriptor.label().to_string_lossy()
        );
        let attributes = |raise: Raise| {
            raise
                .with("path", Attribute::Path(descriptor.path().to_owned()))
                .with(
                    "label",
                    Attribute::Text(descriptor.label().to_string_lossy().into_owned()),
                )
        };
        match self {
            Failure::Closed => attributes(Raise::new(
                "ClosedHandleError",
                format!("{about}: the handle was closed"),
            ))
            .into_err(py),
            Failure::Inactive => attributes(Raise::new(
                "InactiveHandleError",
                format!(
                    "{about}: the handle is not active; call activate() or run it in a `with` \
                     block"
                ),
            ))
            .into_err(py),
            Failure::Library(error) => error.to_py(py),
        }
    }
}

/// A port as Python names it: an index or a name (the exact bytes).
pub(crate) enum PortKey {
    Index(usize),
    Name(CString),
}

impl PortKey {
    /// The port `key` names (an `int` index, a `str` or `bytes` name), for `descriptor`.
    pub(crate) fn of(
        py: Python<'_>,
        key: &Bound<'_, PyAny>,
        descriptor: &ladspa_host::Descriptor,
    ) -> PyResult<Self> {
        let no_such = || {
            PortError::NoSuchPort {
                port: key.repr().map(|r| r.to_string()).unwrap_or_default(),
                descriptor: descriptor.clone(),
            }
            .to_py(py)
        };
        if key.is_instance_of::<PyInt>() {
            return key
                .extract::<usize>()
                .map(Self::Index)
                .map_err(|_| no_such());
        }
        match key_bytes(key)? {
            Some(name) => CString::new(name).map(Self::Name).map_err(|_| no_such()),
            None => Err(PyTypeError::new_err(format!(
                "a port is named by its name (str or bytes) or index (int), not {}",
                key.get_type().name()?
            ))),
        }
    }

    /// The control port this names, input or output (`need_input`: a control input).
    pub(crate) fn control_index(
        &self,
        descriptor: &ladspa_host::Descriptor,
        need_input: bool,
    ) -> Result<usize, PortError> {
        let port = match (self, need_input) {
            (Self::Index(index), true) => descriptor.control_input(*index),
            (Self::Index(index), false) => descriptor.control_port(*index),
            (Self::Name(name), true) => descriptor.control_input(name.as_c_str()),
            (Self::Name(name), false) => descriptor.control_port(name.as_c_str()),
        };
        port.map(|port| port.index())
    }
}

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
        Controls {
            shared: Arc::clone(&self.shared),
            descriptor: self.descriptor.clone(),
        }
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

/// The control ports of a handle, as a mapping from port names (or indices) to values.
///
/// ``controls["Gain"] = 0.5`` sets a control input, by name or index, with the same look-up
/// and errors as everywhere: an unknown name is a ``NoSuchPortError`` (a ``KeyError``) listing
/// the control inputs, an audio port a ``NotControlError`` (a ``KeyError``), a control output
/// a ``NotInputError`` (a ``TypeError``), NaN or an infinity a ``NotFiniteError`` (a
/// ``ValueError``). Reading gives the value: what was set last for an input, what the last
/// run wrote for an output. Iterating gives the names of the control ports (the index where
/// several share a name).
#[pyclass(frozen, module = "ladspa._ladspa", name = "Controls")]
pub(crate) struct Controls {
    shared: Shared,
    descriptor: ladspa_host::Descriptor,
}

impl Controls {
    fn live<R: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut AnyHandle) -> Result<R, PortError> + Send,
    ) -> PyResult<R> {
        with_instance(py, &self.shared, |slot| match slot {
            Some(handle) => f(handle).map_err(Failure::Library),
            None => Err(Failure::Closed),
        })
        .map_err(|failure| failure.into_err(py, &self.descriptor))
    }

    fn keys_list<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        self.descriptor
            .ports()
            .filter(|port| port.is_control())
            .map(|port| port_key(py, &self.descriptor, &port))
            .collect()
    }
}

#[pymethods]
impl Controls {
    /// Refused: a Controls holds plugin code loaded into this process (see ``ChainSpec``).
    fn __reduce__(&self) -> PyResult<()> {
        Err(crate::errors::not_picklable("Controls"))
    }

    fn __getitem__(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<f32> {
        let index = PortKey::of(py, key, &self.descriptor)?
            .control_index(&self.descriptor, false)
            .or_raise(py)?;
        self.live(py, |handle| handle.control(index))
    }

    fn __setitem__(&self, py: Python<'_>, key: &Bound<'_, PyAny>, value: f64) -> PyResult<()> {
        let index = PortKey::of(py, key, &self.descriptor)?
            .control_index(&self.descriptor, true)
            .or_raise(py)?;
        // A finite double beyond f32 becomes an infinity, which set_control refuses.
        self.live(py, |handle| handle.set_control(index, value as f32))
    }

    fn __delitem__(&self, _key: &Bound<'_, PyAny>) -> PyResult<()> {
        Err(PyTypeError::new_err(
            "a plugin's controls cannot be removed",
        ))
    }

    fn __contains__(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(PortKey::of(py, key, &self.descriptor)
            .ok()
            .is_some_and(|key| key.control_index(&self.descriptor, false).is_ok()))
    }

    fn __len__(&self) -> usize {
        self.descriptor.ports().filter(|p| p.is_control()).count()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyList::new(py, self.keys_list(py)?)?
            .into_any()
            .try_iter()?
            .into_any())
    }

    /// The names of the control ports (the index where several share a name).
    fn keys<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.keys_list(py)?)
    }

    /// The values of the control ports, in port order.
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let indices: Vec<usize> = self
            .descriptor
            .ports()
            .filter(|p| p.is_control())
            .map(|p| p.index())
            .collect();
        let values = self.live(py, |handle| {
            indices
                .iter()
                .map(|&index| handle.control(index))
                .collect::<Result<Vec<f32>, _>>()
        })?;
        PyList::new(py, values)
    }

    /// ``(name, value)`` pairs of the control ports, in port order.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let keys = self.keys_list(py)?;
        let values = self.values(py)?;
        let pairs = keys
            .into_iter()
            .zip(values.iter())
            .map(|(key, value)| PyTuple::new(py, [key, value]))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, pairs)
    }

    /// The value of control port ``key``, or ``default`` when there is no such control port.
    #[pyo3(signature = (key, default = None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'py, PyAny>,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match self.__getitem__(py, key) {
            Ok(value) => Ok(value.into_pyobject(py)?.into_any()),
            Err(error) if error.is_instance_of::<pyo3::exceptions::PyKeyError>(py) => {
                Ok(default.unwrap_or_else(|| py.None().into_bound(py)))
            }
            Err(error) => Err(error),
        }
    }

    /// Sets several control inputs: from a mapping (or ``(key, value)`` pairs) and keywords.
    /// Each name is checked before any is set.
    #[pyo3(signature = (other = None, **named))]
    fn update(
        &self,
        py: Python<'_>,
        other: Option<&Bound<'_, PyAny>>,
        named: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        let mut changes = Vec::new();
        let mut add = |key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>| -> PyResult<()> {
            let index = PortKey::of(py, key, &self.descriptor)?
                .control_index(&self.descriptor, true)
                .or_raise(py)?;
            changes.push((index, value.extract::<f64>()? as f32));
            Ok(())
        };
        if let Some(other) = other.filter(|o| !o.is_none()) {
            let pairs = if other.hasattr("keys")? {
                other.call_method0("items")?
            } else {
                other.clone()
            };
            for pair in pairs.try_iter()? {
                let (key, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = pair?.extract()?;
                add(&key, &value)?;
            }
        }
        if let Some(named) = named {
            for (key, value) in named.iter() {
                add(&key, &value)?;
            }
        }
        self.live(py, |handle| {
            for (index, value) in &changes {
                if !value.is_finite() {
                    return handle.set_control(*index, *value);
                }
            }
            for (index, value) in changes {
                handle.set_control(index, value)?;
            }
            Ok(())
        })
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let items = self.items(py)?;
        let dict = PyDict::new(py);
        for item in items.iter() {
            let (key, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
            dict.set_item(key, value)?;
        }
        Ok(format!("<Controls {}>", dict.repr()?))
    }
}
