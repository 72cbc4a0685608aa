//! `StageSpec`: one stage of a chain spec from Python (a plugin name, control values by port
//! name or index, bypass), plain data over the library's `spec` model.

use ladspa_host::spec::{self, PortKey};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt, PyString, PyTuple};

/// One stage of a ``ChainSpec``: a plugin named as the command line names it
/// (``"filter.so:lpf"``, a label, a unique ID, a file holding one plugin type), control values
/// by port name (``str``) or index (``int``), and whether it starts bypassed.
///
/// ``StageSpec("delay.so:delay_5s", {0: 0.1}, bypass=True)``. Plain data: equal when their
/// fields are, picklable.
#[pyclass(frozen, module = "ladspa._ladspa", name = "StageSpec")]
#[derive(Clone)]
pub(crate) struct StageSpec {
    pub(crate) inner: spec::StageSpec,
}

#[pymethods]
impl StageSpec {
    #[new]
    #[pyo3(signature = (plugin, controls = None, *, bypass = false))]
    fn new(plugin: &str, controls: Option<&Bound<'_, PyAny>>, bypass: bool) -> PyResult<Self> {
        let mut inner = spec::StageSpec::new(plugin).bypass(bypass);
        if let Some(controls) = controls.filter(|c| !c.is_none()) {
            let controls = controls.call_method0("items").map_err(|_| {
                PyTypeError::new_err(format!(
                    "a stage's controls are a mapping {{port: value}}, not {}",
                    controls
                        .get_type()
                        .name()
                        .map(|n| n.to_string())
                        .unwrap_or_default()
                ))
            })?;
            for item in controls.try_iter()? {
                let (key, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item?.extract()?;
                let port = port_key(&key)?;
                let value = value.extract::<f64>().map_err(|_| {
                    PyTypeError::new_err(format!(
                        "{plugin}: the value for {port} is a number, not {}",
                        value
                            .get_type()
                            .name()
                            .map(|n| n.to_string())
                            .unwrap_or_default()
                    ))
                })?;
                let value = value as f32;
                if !value.is_finite() {
                    return Err(crate::errors::Raise::new(
                        "NotFiniteError",
                        format!("{plugin}: {value} for {port} is not a finite number"),
                    )
                    .into_err(controls.py()));
                }
                inner = inner.control(port, value);
            }
        }
        Ok(Self { inner })
    }

    /// The plugin, as the command line names it.
    #[getter]
    fn plugin(&self) -> &str {
        &self.inner.plugin
    }

    /// The control values to set, ``{port: value}``: a name (``str``) or an index (``int``).
    #[getter]
    fn controls<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let controls = PyDict::new(py);
        for setting in &self.inner.controls {
            let value = shortest(setting.value);
            match &setting.port {
                PortKey::Index(index) => controls.set_item(index, value)?,
                PortKey::Name(name) => controls.set_item(name, value)?,
            }
        }
        Ok(controls)
    }

    /// Whether the stage starts bypassed.
    #[getter]
    fn bypass(&self) -> bool {
        self.inner.bypass
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<StageSpec>()
            .is_ok_and(|other| other.get().inner == self.inner)
    }

    fn __hash__(&self) -> u64 {
        hash_text(&spec::ChainSpec::new([self.inner.clone()]).to_json())
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, StageArgs<'py>)> {
        Ok((
            py.import("ladspa._ladspa")?.getattr("_stage_spec")?,
            (
                self.inner.plugin.clone(),
                self.controls(py)?,
                self.inner.bypass,
            ),
        ))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let form = self.short_form(py)?;
        Ok(match self.inner.bypass {
            true => format!(
                "StageSpec({}, bypass=True)",
                form.trim_end_matches(", True")
            ),
            false => format!("StageSpec({form})"),
        })
    }
}

impl StageSpec {
    /// `'plugin', {controls}[, bypass=True]`, as Python writes them.
    pub(crate) fn short_form(&self, py: Python<'_>) -> PyResult<String> {
        let plugin = PyString::new(py, &self.inner.plugin).repr()?;
        let controls = self.controls(py)?.repr()?;
        Ok(match self.inner.bypass {
            true => format!("{plugin}, {controls}, True"),
            false => format!("{plugin}, {controls}"),
        })
    }

    /// A stage from what ``ChainSpec`` takes: a ``StageSpec``, a name, or a tuple
    /// ``(plugin, controls)`` / ``(plugin, controls, bypass)``.
    pub(crate) fn from_short_form(stage: &Bound<'_, PyAny>) -> PyResult<Self> {
        if let Ok(stage) = stage.cast::<StageSpec>() {
            return Ok(stage.get().clone());
        }
        if let Ok(name) = stage.cast::<PyString>() {
            return Self::new(name.to_str()?, None, false);
        }
        if let Ok(tuple) = stage.cast::<PyTuple>() {
            if (2..=3).contains(&tuple.len()) {
                let plugin = tuple.get_item(0)?;
                let plugin = plugin.cast::<PyString>().map_err(|_| {
                    PyTypeError::new_err("a stage's plugin is a name (str), as the CLI takes it")
                })?;
                let bypass = match tuple.len() {
                    3 => tuple
                        .get_item(2)?
                        .cast::<PyBool>()
                        .map(|b| b.is_true())
                        .map_err(|_| {
                            PyTypeError::new_err("the third item of a stage is its bypass (bool)")
                        })?,
                    _ => false,
                };
                return Self::new(plugin.to_str()?, Some(&tuple.get_item(1)?), bypass);
            }
        }
        Err(PyTypeError::new_err(format!(
            "a stage is a plugin name, a (plugin, {{port: value}}) or (plugin, {{port: value}}, \
             bypass) tuple, or a StageSpec; not {}",
            stage.repr()?
        )))
    }
}

/// A port key from Python: an ``int`` index or a ``str`` name.
fn port_key(key: &Bound<'_, PyAny>) -> PyResult<PortKey> {
    if key.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err(
            "a port is named by its name (str) or index (int), not a bool",
        ));
    }
    if key.is_instance_of::<PyInt>() {
        return key.extract::<usize>().map(PortKey::Index).map_err(|_| {
            PyValueError::new_err(format!("port index {key} is negative or too large"))
        });
    }
    if let Ok(name) = key.cast::<PyString>() {
        return name.to_str().map(PortKey::from).map_err(|_| {
            PyValueError::new_err(format!(
                "port name {} is not UTF-8 text, which a spec's JSON cannot hold: name the \
                 port by its index",
                key.repr().map(|r| r.to_string()).unwrap_or_default()
            ))
        });
    }
    Err(PyTypeError::new_err(format!(
        "a port is named by its name (str) or index (int), not {}",
        key.get_type().name()?
    )))
}

/// A control value (single precision, as plugins take it) as the Python float that prints the
/// same (`0.1`, not `0.10000000149011612`); it converts back to the same `f32`.
pub(crate) fn shortest(value: f32) -> f64 {
    value.to_string().parse().unwrap_or(f64::from(value))
}

/// A hash of `text`: specs hash their JSON, so that equal specs hash alike.
pub(crate) fn hash_text(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// The arguments of `_stage_spec`: plugin, controls, bypass.
type StageArgs<'py> = (String, Bound<'py, PyDict>, bool);

/// Rebuilds a pickled ``StageSpec``.
#[pyfunction]
pub(crate) fn _stage_spec(
    plugin: &str,
    controls: &Bound<'_, PyAny>,
    bypass: bool,
) -> PyResult<StageSpec> {
    StageSpec::new(plugin, Some(controls), bypass)
}
