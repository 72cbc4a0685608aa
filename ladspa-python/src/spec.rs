//! Chain specs from Python: `ChainSpec` and `StageSpec` over the library's `spec` model (plain
//! names and numbers, picklable, the same JSON as `ladspa apply --chain`), and `LoadedSpec`,
//! a spec whose plugins are loaded into this process, which batch workers keep between files.

use ladspa_host::catalog::Resolver;
use ladspa_host::discovery::SearchPath;
use ladspa_host::spec::{self, PortKey};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyInt, PyString, PyTuple, PyType};

use crate::catalog::python_scanner;
use crate::errors::OrRaise;

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
    fn short_form(&self, py: Python<'_>) -> PyResult<String> {
        let plugin = PyString::new(py, &self.inner.plugin).repr()?;
        let controls = self.controls(py)?.repr()?;
        Ok(match self.inner.bypass {
            true => format!("{plugin}, {controls}, True"),
            false => format!("{plugin}, {controls}"),
        })
    }

    /// A stage from what ``ChainSpec`` takes: a ``StageSpec``, a name, or a tuple
    /// ``(plugin, controls)`` / ``(plugin, controls, bypass)``.
    fn from_short_form(stage: &Bound<'_, PyAny>) -> PyResult<Self> {
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
fn shortest(value: f32) -> f64 {
    value.to_string().parse().unwrap_or(f64::from(value))
}

fn hash_text(text: &str) -> u64 {
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

/// A chain, described by plain names and numbers: its stages in order, each a plugin named as
/// the command line names it, control values by port name or index, and bypass.
///
/// ``ChainSpec([("amp.so:amp_mono", {"Gain": 0.5}), ("delay.so:delay_5s", {0: 0.1}, True)])``:
/// each stage a name, a ``(plugin, controls)`` or ``(plugin, controls, bypass)`` tuple, or a
/// ``StageSpec``. A spec holds no plugin code: it pickles, travels to other processes and
/// machines, and is rebuilt there (``build``, ``load``, ``ladspa.apply``) from the plugins
/// installed there. ``to_json()`` / ``ChainSpec.from_json(text)`` give the versioned JSON that
/// ``ladspa apply --chain spec.json`` reads.
#[pyclass(frozen, subclass, module = "ladspa._ladspa", name = "ChainSpec")]
pub(crate) struct ChainSpec {
    pub(crate) inner: spec::ChainSpec,
}

#[pymethods]
impl ChainSpec {
    #[new]
    #[pyo3(signature = (stages = None))]
    fn new(stages: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let mut inner = spec::ChainSpec::new([]);
        if let Some(stages) = stages.filter(|s| !s.is_none()) {
            if stages.is_instance_of::<PyString>() || stages.is_instance_of::<PyBytes>() {
                return Err(PyTypeError::new_err(
                    "ChainSpec takes a list of stages; for JSON text use ChainSpec.from_json",
                ));
            }
            for stage in stages.try_iter()? {
                inner
                    .stages
                    .push(StageSpec::from_short_form(&stage?)?.inner);
            }
        }
        Ok(Self { inner })
    }

    /// Reads the JSON form (``str`` or ``bytes``), as ``to_json`` writes it and
    /// ``ladspa apply --chain`` reads it; ``ChainSpecError`` (a ``ValueError``) when it is not a
    /// spec or is of a format version this package does not read.
    #[classmethod]
    fn from_json<'py>(
        cls: &Bound<'py, PyType>,
        text: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = cls.py();
        let text: String = match text.cast::<PyBytes>() {
            Ok(bytes) => String::from_utf8(bytes.as_bytes().to_vec())
                .map_err(|_| PyValueError::new_err("a chain spec's JSON is UTF-8 text"))?,
            Err(_) => text.extract()?,
        };
        let inner = spec::ChainSpec::from_json(&text).or_raise(py)?;
        let this = Bound::new(py, PyClassInitializer::from(Self { inner }))?;
        if cls.is(py.get_type::<ChainSpec>()) {
            return Ok(this.into_any());
        }
        // A subclass: made through its constructor, from the stages.
        cls.call1((this.getattr("stages")?,))
    }

    /// The JSON form: one line, or indented by ``indent`` spaces.
    #[pyo3(signature = (*, indent = None))]
    fn to_json(&self, py: Python<'_>, indent: Option<usize>) -> PyResult<String> {
        let text = self.inner.to_json();
        let Some(indent) = indent else {
            return Ok(text);
        };
        let json = py.import("json")?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("indent", indent)?;
        json.call_method(
            "dumps",
            (json.call_method1("loads", (text,))?,),
            Some(&kwargs),
        )?
        .extract()
    }

    /// The format version of the spec's JSON.
    #[getter]
    fn version(&self) -> u32 {
        self.inner.version
    }

    /// The stages, in processing order.
    #[getter]
    fn stages<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            self.inner.stages.iter().map(|stage| StageSpec {
                inner: stage.clone(),
            }),
        )
    }

    /// Resolves the plugins (through the catalog, as ``ladspa.find``), loads their files into
    /// this process and resolves control names to port indices: a ``LoadedSpec`` that runs
    /// files (``ladspa.apply``) and builds chains without loading anything again. Errors name
    /// the stage (from 1). Loading runs the plugins' code: load only plugins you trust.
    pub(crate) fn load(&self, py: Python<'_>) -> PyResult<LoadedSpec> {
        let scanner = python_scanner(py)?;
        let inner = py
            .detach(|| {
                let mut resolver = Resolver::new(scanner, SearchPath::from_env());
                // SAFETY: loading runs the plugins' code; the Python API carries the contract
                // in its documentation (load only plugins you trust), as Python has no `unsafe`.
                unsafe { self.inner.load(&mut resolver) }
            })
            .or_raise(py)?;
        Ok(LoadedSpec {
            inner,
            spec: self.inner.clone(),
        })
    }

    fn __len__(&self) -> usize {
        self.inner.stages.len()
    }

    fn __getitem__(&self, index: isize) -> PyResult<StageSpec> {
        let len = self.inner.stages.len() as isize;
        let at = if index < 0 { index + len } else { index };
        if !(0..len).contains(&at) {
            return Err(pyo3::exceptions::PyIndexError::new_err(format!(
                "no stage {index}: the spec has {len} stage(s)"
            )));
        }
        Ok(StageSpec {
            inner: self.inner.stages[at as usize].clone(),
        })
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.stages(py)?.into_any().try_iter()?.into_any())
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<ChainSpec>()
            .is_ok_and(|other| other.get().inner == self.inner)
    }

    fn __hash__(&self) -> u64 {
        hash_text(&self.inner.to_json())
    }

    /// Pickled as its JSON, so any process (or another version of the package that reads the
    /// format) rebuilds it.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        Ok((
            slf.get_type().getattr("from_json")?,
            (slf.get().inner.to_json(),),
        ))
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let py = slf.py();
        let stages = slf
            .get()
            .inner
            .stages
            .iter()
            .map(|stage| {
                let stage = StageSpec {
                    inner: stage.clone(),
                };
                Ok(format!("({})", stage.short_form(py)?))
            })
            .collect::<PyResult<Vec<_>>>()?;
        Ok(format!(
            "{}([{}])",
            crate::text::qualified_name(slf.as_any())?,
            stages.join(", ")
        ))
    }
}

/// A ``ChainSpec`` whose plugins are loaded into this process and whose control names are
/// resolved (``spec.load()``): ``ladspa.apply`` and ``build`` use it without resolving or
/// loading again, so a batch worker keeps one between files (each file gets fresh instances).
/// It holds loaded plugin code, so it does not pickle: send the ``spec``.
#[pyclass(frozen, module = "ladspa._ladspa", name = "LoadedSpec")]
pub(crate) struct LoadedSpec {
    pub(crate) inner: spec::LoadedSpec,
    spec: spec::ChainSpec,
}

#[pymethods]
impl LoadedSpec {
    /// The spec it was loaded from.
    #[getter]
    fn spec(&self) -> ChainSpec {
        ChainSpec {
            inner: self.spec.clone(),
        }
    }

    /// The plugin type of each stage, as builtin ``Descriptor`` objects.
    #[getter]
    fn descriptors<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            self.inner
                .stages
                .iter()
                .map(|stage| crate::plugin::Descriptor {
                    inner: stage.descriptor.clone(),
                }),
        )
    }

    /// Each stage's control values by port index, ``{index: value}``, as they will be set.
    #[getter]
    fn controls<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let dicts = self
            .inner
            .stages
            .iter()
            .map(|stage| {
                let controls = PyDict::new(py);
                for &(port, value) in &stage.controls {
                    controls.set_item(port, shortest(value))?;
                }
                Ok(controls)
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyTuple::new(py, dicts)
    }

    fn __len__(&self) -> usize {
        self.inner.stages.len()
    }

    fn __reduce__(&self) -> PyResult<()> {
        Err(crate::errors::not_picklable("LoadedSpec"))
    }

    fn __repr__(&self) -> String {
        let stages: Vec<String> = self
            .inner
            .stages
            .iter()
            .map(|stage| {
                format!(
                    "{}:{}",
                    stage.descriptor.path().display(),
                    stage.descriptor.label()
                )
            })
            .collect();
        format!("<ladspa.LoadedSpec [{}]>", stages.join(", "))
    }
}
