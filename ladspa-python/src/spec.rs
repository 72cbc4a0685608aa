//! Chain specs from Python: `ChainSpec`, its stages (`StageSpec`, in `stage_spec`) over the
//! library's `spec` model (plain names and numbers, picklable, the same JSON as `ladspa apply
//! --chain`), and `LoadedSpec`, a spec whose plugins are loaded into this process, which batch
//! workers keep between files.

use ladspa_host::catalog::Resolver;
use ladspa_host::discovery::SearchPath;
use ladspa_host::spec::{self};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString, PyTuple, PyType};

use crate::catalog::python_scanner;
use crate::errors::OrRaise;
use crate::stage_spec::{StageSpec, hash_text, shortest};

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
