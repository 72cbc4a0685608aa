//! `Controls`: the mapping of a handle's control ports, on the handle's shared instance.

use ladspa_host::{AnyHandle, PortError};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use crate::errors::OrRaise;
use crate::instance::{Failure, PortKey, Shared, with_instance};
use crate::port::port_key;

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
    /// The controls of the instance in `shared`, of `descriptor`.
    pub(crate) fn new(shared: Shared, descriptor: ladspa_host::Descriptor) -> Self {
        Self { shared, descriptor }
    }
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
