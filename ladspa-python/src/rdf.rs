//! LRDF metadata from Python: a plugin type's class, its ports' scale points and units, its
//! presets, read from the RDF files along `LADSPA_RDF_PATH` once per process.

use ladspa_host::rdf::Database;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// What the LRDF files say of one plugin type: ``descriptor.rdf``.
///
/// ``plugin_class`` is its class for people (``"Reverbs"``), ``scale_points(port)`` the named
/// values of a port, ``presets`` the presets (``handle.apply_preset(preset)`` applies one).
#[pyclass(frozen, module = "ladspa._ladspa", name = "PluginRdf")]
pub(crate) struct PluginRdf {
    inner: &'static ladspa_host::rdf::PluginRdf,
}

impl PluginRdf {
    /// The metadata of `descriptor` in the system's RDF files.
    pub(crate) fn of(descriptor: &ladspa_host::Descriptor) -> Option<Self> {
        descriptor
            .rdf(Database::system())
            .map(|inner| Self { inner })
    }

    /// The metadata of the plugin type with this unique ID.
    pub(crate) fn of_id(unique_id: u64) -> Option<Self> {
        Database::system()
            .plugin(unique_id)
            .map(|inner| Self { inner })
    }

    /// The class label of the plugin type with this unique ID.
    pub(crate) fn class_of(unique_id: u64) -> Option<String> {
        Self::of_id(unique_id)?.plugin_class()
    }
}

#[pymethods]
impl PluginRdf {
    /// The unique ID of the plugin type described.
    #[getter]
    fn unique_id(&self) -> u64 {
        self.inner.unique_id()
    }

    /// ``dc:title``, if given.
    #[getter]
    fn title(&self) -> Option<&str> {
        self.inner.title()
    }

    /// ``dc:creator``, if given.
    #[getter]
    fn creator(&self) -> Option<&str> {
        self.inner.creator()
    }

    /// ``dc:rights``, if given.
    #[getter]
    fn rights(&self) -> Option<&str> {
        self.inner.rights()
    }

    /// The class for people (``"Reverbs"``; the ontology's name when it has no label), if
    /// the files give one.
    #[getter]
    fn plugin_class(&self) -> Option<String> {
        self.inner.class().map(ToString::to_string)
    }

    /// The classes above the plugin's class, nearest first.
    #[getter]
    fn class_ancestors(&self) -> Vec<String> {
        self.inner
            .class_ancestors()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// The named values of port ``port``: ``(value, label)`` pairs, in the files' order.
    fn scale_points(&self, port: usize) -> Vec<(f32, String)> {
        self.inner
            .scale_points(port)
            .iter()
            .map(|point| (point.value, point.label.clone()))
            .collect()
    }

    /// The units of port ``port`` (``"dB"``, ``"Hz"``, ``"ms"``…), if the files give them.
    fn units(&self, port: usize) -> Option<String> {
        self.inner
            .port(port)
            .and_then(|port| port.units())
            .map(ToString::to_string)
    }

    /// The presets, in the files' order.
    #[getter]
    fn presets<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let presets = self
            .inner
            .presets()
            .iter()
            .map(|inner| Py::new(py, Preset { inner }))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, presets)
    }

    /// The default preset, if there is one.
    #[getter]
    fn default_preset(&self) -> Option<Preset> {
        self.inner.default_preset().map(|inner| Preset { inner })
    }

    /// The preset named ``name``, or ``None``.
    fn preset(&self, name: &str) -> Option<Preset> {
        self.inner.preset(name).map(|inner| Preset { inner })
    }

    fn __repr__(&self) -> String {
        format!(
            "<PluginRdf {} {:?}, class {:?}, {} preset(s)>",
            self.inner.unique_id(),
            self.inner.title().unwrap_or(""),
            self.plugin_class().unwrap_or_default(),
            self.inner.presets().len()
        )
    }
}

/// An LRDF preset: control values by port index. Apply it with ``handle.apply_preset``.
#[pyclass(frozen, module = "ladspa._ladspa", name = "Preset")]
pub(crate) struct Preset {
    pub(crate) inner: &'static ladspa_host::rdf::Preset,
}

#[pymethods]
impl Preset {
    /// The preset's name, if it has one.
    #[getter]
    fn name(&self) -> Option<&str> {
        self.inner.name()
    }

    /// Whether it is the plugin's default preset.
    #[getter]
    fn is_default(&self) -> bool {
        self.inner.is_default()
    }

    /// The unique ID of the plugin type it is for.
    #[getter]
    fn unique_id(&self) -> u64 {
        self.inner.plugin()
    }

    /// The values it sets: ``{port index: value}``.
    #[getter]
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let values = PyDict::new(py);
        for value in self.inner.values() {
            values.set_item(value.port, value.value)?;
        }
        Ok(values)
    }

    fn __repr__(&self) -> String {
        format!("<Preset {}>", self.inner)
    }
}
