//! What a `Handle`, its `Controls` and a `Chain`'s stages share: the instance behind its
//! `Mutex`, taken without holding the GIL while another thread runs, the failures a call on it
//! can meet, and ports as Python names them.

use std::ffi::CString;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, TryLockError};

use ladspa_host::{AnyHandle, PortError};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyInt;

use crate::errors::{Attribute, Raise, ToPyErr};
use crate::text::key_bytes;

/// The instance, `None` once closed.
pub(crate) type Shared = Arc<Mutex<Option<AnyHandle>>>;

/// Locks `mutex`, ignoring poisoning (nothing that holds it panics halfway through a change).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
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
    pub(crate) fn into_err(self, py: Python<'_>, descriptor: &ladspa_host::Descriptor) -> PyErr {
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
