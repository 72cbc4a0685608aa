//! A catalog's records from Python: `CatalogFile`, one plugin file and what its scan found,
//! and `CatalogEntry`, one plugin type of it, read without loading the file.

use ladspa_host::Properties;
use ladspa_host::catalog::{
    CatalogError, FileOutcome, FileRecord, FileStamp, PluginRecord, why_unusable,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple, PyType};

use crate::errors::ToPyErr;
use crate::port::Port;
use crate::rdf::PluginRdf;
use crate::text::qualified_name;
use crate::text::{path_str, text_to_str};

/// The catalog entries of `records`, as a Python list.
pub(crate) fn entries<'py, 'a>(
    py: Python<'py>,
    records: impl Iterator<Item = &'a PluginRecord>,
) -> PyResult<Bound<'py, PyList>> {
    let entries = records
        .map(|record| {
            Py::new(
                py,
                CatalogEntry {
                    inner: record.clone(),
                },
            )
        })
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, entries)
}

/// One plugin file of a catalog: ``path``, ``status`` (``"loaded"``, ``"refused"`` by the
/// loader, or ``"failed"``: it ended its worker), ``reason`` (why it gave no plugin, or
/// ``None``), and its ``plugins``.
#[pyclass(frozen, module = "ladspa._ladspa", name = "CatalogFile")]
pub(crate) struct CatalogFile {
    inner: FileRecord,
}

impl CatalogFile {
    pub(crate) fn of(record: &FileRecord) -> Self {
        Self {
            inner: record.clone(),
        }
    }
}

#[pymethods]
impl CatalogFile {
    /// The plugin file.
    #[getter]
    fn path<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        path_str(py, self.inner.path())
    }

    /// ``"loaded"``, ``"refused"`` (the loader's error) or ``"failed"`` (the worker died or
    /// hung on it).
    #[getter]
    fn status(&self) -> &'static str {
        match self.inner.outcome() {
            FileOutcome::Loaded { .. } => "loaded",
            FileOutcome::Refused(_) => "refused",
            FileOutcome::Failed(_) => "failed",
            _ => "unknown",
        }
    }

    /// Why the file gave no plugin type, or ``None``.
    #[getter]
    fn reason(&self) -> Option<String> {
        why_unusable(self.inner.outcome())
    }

    /// Its valid plugin types.
    #[getter]
    fn plugins<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        entries(py, self.inner.plugins().iter())
    }

    /// The labels of its refused plugin types, each with the reason.
    #[getter]
    fn rejected(&self) -> Vec<(Option<String>, String)> {
        self.inner
            .rejected()
            .iter()
            .map(|error| (error.label.clone(), error.defect.to_string()))
            .collect()
    }

    fn __repr__(&self) -> String {
        match why_unusable(self.inner.outcome()) {
            None => format!(
                "<CatalogFile {}: {} plugin type(s)>",
                self.inner.path().display(),
                self.inner.plugins().len()
            ),
            Some(reason) => format!(
                "<CatalogFile {}: {}: {reason}>",
                self.inner.path().display(),
                self.status()
            ),
        }
    }
}

/// One plugin type as a scan found it, with no plugin code loaded: label, name, unique ID,
/// ports, properties, its LRDF class. ``entry.load()`` loads its file and gives its
/// descriptor, after checking that the file did not change since the scan.
#[pyclass(frozen, module = "ladspa._ladspa", name = "CatalogEntry")]
pub(crate) struct CatalogEntry {
    inner: PluginRecord,
}

#[pymethods]
impl CatalogEntry {
    /// The plugin file.
    #[getter]
    fn path<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        path_str(py, self.inner.path())
    }

    /// The index of the plugin type in its file.
    #[getter]
    fn index(&self) -> usize {
        self.inner.index()
    }

    /// ``UniqueID``.
    #[getter]
    fn unique_id(&self) -> u64 {
        self.inner.unique_id()
    }

    /// ``Label``.
    #[getter]
    fn label<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        text_to_str(py, self.inner.label())
    }

    /// ``Name``.
    #[getter]
    fn name<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        text_to_str(py, self.inner.name())
    }

    /// ``Maker``.
    #[getter]
    fn maker<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        text_to_str(py, self.inner.maker())
    }

    /// ``Copyright``.
    #[getter]
    fn copyright<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        text_to_str(py, self.inner.copyright())
    }

    /// ``LADSPA_PROPERTY_INPLACE_BROKEN``.
    #[getter]
    fn inplace_broken(&self) -> bool {
        self.inner.properties().contains(Properties::INPLACE_BROKEN)
    }

    /// ``LADSPA_PROPERTY_REALTIME``.
    #[getter]
    fn realtime(&self) -> bool {
        self.inner.properties().contains(Properties::REALTIME)
    }

    /// ``LADSPA_PROPERTY_HARD_RT_CAPABLE``.
    #[getter]
    fn hard_rt_capable(&self) -> bool {
        self.inner
            .properties()
            .contains(Properties::HARD_RT_CAPABLE)
    }

    /// The number of audio inputs.
    #[getter]
    fn audio_input_count(&self) -> usize {
        self.inner.audio_input_count()
    }

    /// The number of audio outputs.
    #[getter]
    fn audio_output_count(&self) -> usize {
        self.inner.audio_output_count()
    }

    /// The ports, as ``Port`` objects.
    #[getter]
    fn ports<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let ports = self
            .inner
            .ports()
            .iter()
            .map(|port| {
                Py::new(
                    py,
                    Port::new(
                        port.index(),
                        port.name().as_bytes(),
                        port.direction(),
                        port.kind(),
                        port.hint(),
                    ),
                )
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyTuple::new(py, ports)
    }

    /// The plugin's class for people from the LRDF files (``"Reverbs"``), or ``None``.
    #[getter]
    fn plugin_class(&self) -> Option<String> {
        PluginRdf::class_of(self.inner.unique_id())
    }

    /// The name that picks this entry alone: ``path:label``.
    #[getter]
    fn qualified_name(&self) -> String {
        format!("{}:{}", self.inner.path().display(), self.inner.label())
    }

    /// Loads the entry's file into this process (as ``plugin_class(path,
    /// keep_loaded=...)``, ``ladspa.Plugin`` by default) and returns this plugin type's
    /// descriptor from it, after checking that the file is the one scanned
    /// (``FileChangedError`` otherwise). Loading runs the file's code: that it loaded in a
    /// worker does not make it safe.
    #[pyo3(signature = (plugin_class = None, *, keep_loaded = false))]
    fn load<'py>(
        &self,
        py: Python<'py>,
        plugin_class: Option<Bound<'py, PyType>>,
        keep_loaded: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let stamp = FileStamp::of(self.inner.path()).ok();
        if self.inner.stamp().is_none() || stamp != self.inner.stamp() {
            return Err(CatalogError::Changed {
                file: self.inner.path().to_owned(),
            }
            .to_py(py));
        }
        let class = match plugin_class {
            Some(class) => class.into_any(),
            None => py.import("ladspa")?.getattr("Plugin")?,
        };
        let kwargs = PyDict::new(py);
        kwargs.set_item("keep_loaded", keep_loaded)?;
        let plugin = class.call((self.path(py)?,), Some(&kwargs))?;
        let loaded = plugin.cast::<crate::plugin::Plugin>()?.get();
        let position = loaded.inner.descriptors().iter().position(|d| {
            d.index() == self.inner.index()
                && d.unique_id() == self.inner.unique_id()
                && d.label() == self.inner.label()
        });
        let Some(position) = position else {
            return Err(CatalogError::Missing {
                file: self.inner.path().to_owned(),
                index: self.inner.index(),
                label: self.inner.label().to_string(),
                unique_id: self.inner.unique_id(),
            }
            .to_py(py));
        };
        if let Ok(descriptors) = plugin.getattr("descriptors") {
            return descriptors.get_item(position);
        }
        let kwargs = PyDict::new(py);
        kwargs.set_item("index", position)?;
        plugin
            .getattr("descriptor_class")?
            .call((&plugin,), Some(&kwargs))
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let this = &slf.get().inner;
        Ok(format!(
            "<{} {} ({}) {:?} in {}>",
            qualified_name(slf.as_any())?,
            this.label(),
            this.unique_id(),
            this.name().to_string_lossy(),
            this.path().display()
        ))
    }
}
