//! `Plugin` (a loaded file) and `Descriptor` (one plugin type of it): builtin types that hold
//! only the library's values and navigate downward, into fresh objects of the classes their
//! `descriptor_class` and `handle_class` attributes name.

use ladspa_host::{LoadOptions, Properties};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyInt, PyList, PyTuple, PyType};

use crate::errors::{Attribute, OrRaise, Raise, ToPyErr};
use crate::port::Port;
use crate::rdf::PluginRdf;
use crate::text::{key_bytes, path_str, qualified_name, text_to_str, to_path};

/// A loaded LADSPA plugin file (``.so``) and the plugin types it holds.
///
/// ``Plugin(path, *, keep_loaded=False)`` loads the file at ``path`` (a ``str``, ``bytes`` or
/// ``os.PathLike``; a path without ``/`` is relative to the current directory: to find a file
/// along ``LADSPA_PATH``, use ``ladspa.load``). Loading runs the file's code in this process:
/// load only plugins you trust (``ladspa.scan`` lists plugins without loading them here).
/// ``keep_loaded=True`` keeps the file mapped for the life of the process, for files whose
/// plugins leave threads running.
///
/// ``plugin[key]`` gives a plugin type: a ``str`` (or ``bytes``) is a label, an ``int`` a unique
/// ID; a miss is a ``PluginNotFoundError`` (a ``KeyError``) listing the labels. Iterating gives
/// each valid plugin type, ``len()`` counts them. Each access makes a new object of the class
/// ``descriptor_class`` names, called as ``descriptor_class(plugin, key)`` (or with
/// ``index=``, a position among the valid plugin types).
///
/// The file stays loaded while the plugin, or any descriptor or handle taken from it, lives.
#[pyclass(frozen, subclass, weakref, module = "ladspa._ladspa", name = "Plugin")]
pub(crate) struct Plugin {
    pub(crate) inner: ladspa_host::Plugin,
}

#[pymethods]
impl Plugin {
    /// Refused: a Plugin holds plugin code loaded into this process (see ``ChainSpec``).
    fn __reduce__(&self) -> PyResult<()> {
        Err(crate::errors::not_picklable("Plugin"))
    }

    #[new]
    #[pyo3(signature = (path, *, keep_loaded = false))]
    fn new(py: Python<'_>, path: &Bound<'_, PyAny>, keep_loaded: bool) -> PyResult<Self> {
        let path = to_path(path)?;
        let options = LoadOptions::new().keep_loaded(keep_loaded);
        // SAFETY: loading runs the file's code; the Python API carries the same contract as
        // `Plugin::load` in its documentation (load only plugins you trust), as Python has no
        // `unsafe`.
        let inner = py.detach(|| unsafe { options.load(&path) }).or_raise(py)?;
        Ok(Self { inner })
    }

    /// The class that navigation makes plugin types of: called as ``descriptor_class(plugin,
    /// key)`` or ``descriptor_class(plugin, index=position)``.
    #[classattr]
    fn descriptor_class(py: Python<'_>) -> Py<PyType> {
        py.get_type::<Descriptor>().unbind()
    }

    /// The path the file was loaded from.
    #[getter]
    fn path<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(path_str(py, self.inner.path())?.into_any())
    }

    /// The labels of the valid plugin types, in the file's order.
    #[getter]
    fn labels<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let labels = self
            .inner
            .descriptors()
            .iter()
            .map(|d| text_to_str(py, d.label()))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, labels)
    }

    /// The plugin types that failed validation, each as the ``DescriptorError`` it raises
    /// when asked for (``label``, ``defect``, ``path`` attributes).
    #[getter]
    fn rejected<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let errors: Vec<Py<PyAny>> = self
            .inner
            .rejected()
            .iter()
            .map(|error| error.to_py(py).into_value(py).into_any())
            .collect();
        PyList::new(py, errors)
    }

    /// The position among the valid plugin types of the one ``key`` names (a label as ``str``
    /// or ``bytes``, or a unique ID as ``int``).
    fn index_of(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<usize> {
        let found = if key.is_instance_of::<PyInt>() {
            let id: u64 = key
                .extract()
                .map_err(|_| PyTypeError::new_err("a unique ID is a non-negative integer"))?;
            self.inner.find_unique_id(id)
        } else if let Some(label) = key_bytes(key)? {
            self.inner.find_label_bytes(&label)
        } else {
            return Err(PyTypeError::new_err(format!(
                "a plugin type is named by its label (str or bytes) or unique ID (int), not {}",
                key.get_type().name()?
            )));
        };
        match found {
            Ok(found) => Ok(self
                .inner
                .descriptors()
                .iter()
                .position(|d| d == found)
                .expect("a descriptor of this plugin")),
            Err(error) => Err(self.not_found(py, error)),
        }
    }

    fn __len__(&self) -> usize {
        self.inner.descriptors().len()
    }

    fn __contains__(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<bool> {
        match self.index_of(py, key) {
            Ok(_) => Ok(true),
            Err(error) if error.is_instance_of::<pyo3::exceptions::PyLookupError>(py) => Ok(false),
            Err(error) if error.is_instance_of::<pyo3::exceptions::PyValueError>(py) => Ok(false),
            Err(error) => Err(error),
        }
    }

    fn __getitem__<'py>(
        slf: &Bound<'py, Self>,
        key: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        // The lookup first, so that a miss raises the plugin's own error.
        slf.get().index_of(slf.py(), key)?;
        slf.getattr("descriptor_class")?.call1((slf, key))
    }

    fn __iter__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let class = slf.getattr("descriptor_class")?;
        let descriptors = (0..slf.get().inner.descriptors().len())
            .map(|index| {
                let kwargs = PyDict::new(slf.py());
                kwargs.set_item("index", index)?;
                class.call((slf,), Some(&kwargs))
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyTuple::new(slf.py(), descriptors)?
            .into_any()
            .try_iter()
            .map(Bound::into_any)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let this = slf.get();
        let labels: Vec<String> = this
            .inner
            .descriptors()
            .iter()
            .map(|d| d.label().to_string_lossy().into_owned())
            .collect();
        Ok(format!(
            "<{} {} ({})>",
            qualified_name(slf.as_any())?,
            this.inner.path().display(),
            labels.join(", ")
        ))
    }
}

impl Plugin {
    /// A miss, as a `PluginNotFoundError` listing the file's plugin types.
    fn not_found(&self, py: Python<'_>, error: ladspa_host::FindError) -> PyErr {
        let available: Vec<String> = self
            .inner
            .descriptors()
            .iter()
            .map(|d| d.label().to_string_lossy().into_owned())
            .collect();
        if let ladspa_host::FindError::NotFound { .. } = error {
            let listed: Vec<String> = self
                .inner
                .descriptors()
                .iter()
                .map(|d| format!("{} ({})", d.label(), d.unique_id()))
                .collect();
            return Raise::new(
                "PluginNotFoundError",
                format!("{error}; its plugins are {}", listed.join(", ")),
            )
            .with("path", Attribute::Path(self.inner.path().to_owned()))
            .with("available", Attribute::Texts(available))
            .into_err(py);
        }
        error.to_py(py)
    }
}

/// One plugin type of a loaded file (a ``LADSPA_Descriptor``), validated.
///
/// Made by navigation (``plugin[label]``, iterating a plugin), or as ``Descriptor(plugin,
/// key)`` / ``Descriptor(plugin, index=position)``. It keeps its file loaded.
/// ``descriptor.instantiate(sample_rate)`` makes an instance, of the class ``handle_class``
/// names (called as ``handle_class(descriptor, sample_rate)``).
///
/// Two descriptors are equal when they are the same plugin type of the same loaded file.
#[pyclass(
    frozen,
    subclass,
    weakref,
    module = "ladspa._ladspa",
    name = "Descriptor"
)]
pub(crate) struct Descriptor {
    pub(crate) inner: ladspa_host::Descriptor,
}

#[pymethods]
impl Descriptor {
    /// Refused: a Descriptor holds plugin code loaded into this process (see ``ChainSpec``).
    fn __reduce__(&self) -> PyResult<()> {
        Err(crate::errors::not_picklable("Descriptor"))
    }

    #[new]
    #[pyo3(signature = (plugin, key = None, *, index = None))]
    fn new(
        py: Python<'_>,
        plugin: &Bound<'_, Plugin>,
        key: Option<&Bound<'_, PyAny>>,
        index: Option<usize>,
    ) -> PyResult<Self> {
        let plugin = plugin.get();
        let position = match (key, index) {
            (Some(key), None) => plugin.index_of(py, key)?,
            (None, Some(index)) => {
                if index >= plugin.inner.descriptors().len() {
                    return Err(pyo3::exceptions::PyIndexError::new_err(format!(
                        "{} has {} valid plugin type(s); no index {index}",
                        plugin.inner.path().display(),
                        plugin.inner.descriptors().len()
                    )));
                }
                index
            }
            _ => {
                return Err(PyTypeError::new_err(
                    "Descriptor(plugin, key) or Descriptor(plugin, index=position): one of them",
                ));
            }
        };
        Ok(Self {
            inner: plugin.inner.descriptors()[position].clone(),
        })
    }

    /// Makes an instance at ``sample_rate`` Hz, its control inputs at their defaults (an
    /// object of ``handle_class``; inactive: activate it, or use it in a ``with`` block).
    fn instantiate<'py>(slf: &Bound<'py, Self>, sample_rate: u32) -> PyResult<Bound<'py, PyAny>> {
        slf.getattr("handle_class")?.call1((slf, sample_rate))
    }

    /// The plugin file.
    #[getter]
    fn path<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(path_str(py, self.inner.path())?.into_any())
    }

    /// The index of the plugin type in its file (the argument of ``ladspa_descriptor``).
    #[getter]
    fn index(&self) -> usize {
        self.inner.index()
    }

    /// ``UniqueID``: the globally unique number of the plugin type.
    #[getter]
    fn unique_id(&self) -> u64 {
        self.inner.unique_id()
    }

    /// ``Label``: a short identifier, unique within the file (bytes that are not UTF-8 come
    /// as lone surrogates, as Python decodes file names).
    #[getter]
    fn label<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(text_to_str(py, self.inner.label())?.into_any())
    }

    /// ``Name``: the name for people.
    #[getter]
    fn name<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(text_to_str(py, self.inner.name())?.into_any())
    }

    /// ``Maker``: the author.
    #[getter]
    fn maker<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(text_to_str(py, self.inner.maker())?.into_any())
    }

    /// ``Copyright``: the copyright or licence.
    #[getter]
    fn copyright<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(text_to_str(py, self.inner.copyright())?.into_any())
    }

    /// ``LADSPA_PROPERTY_REALTIME``: the plugin depends on real time (output must not be
    /// computed ahead).
    #[getter]
    fn realtime(&self) -> bool {
        self.inner.properties().contains(Properties::REALTIME)
    }

    /// ``LADSPA_PROPERTY_INPLACE_BROKEN``: an input and an output must not share memory.
    #[getter]
    fn inplace_broken(&self) -> bool {
        self.inner.properties().contains(Properties::INPLACE_BROKEN)
    }

    /// ``LADSPA_PROPERTY_HARD_RT_CAPABLE``: ``run`` allocates nothing and takes bounded time.
    #[getter]
    fn hard_rt_capable(&self) -> bool {
        self.inner
            .properties()
            .contains(Properties::HARD_RT_CAPABLE)
    }

    /// Whether the plugin has ``run_adding``.
    #[getter]
    fn has_run_adding(&self) -> bool {
        self.inner.has_run_adding()
    }

    /// The number of audio input ports: the channels a run reads.
    #[getter]
    fn audio_input_count(&self) -> usize {
        self.inner.audio_input_count()
    }

    /// The number of audio output ports: the channels a run writes.
    #[getter]
    fn audio_output_count(&self) -> usize {
        self.inner.audio_output_count()
    }

    /// The ports, in index order (``Port`` objects: name, direction, kind, hints, range,
    /// ``default(sample_rate)``).
    #[getter]
    fn ports<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let ports = self
            .inner
            .ports()
            .map(|port| Py::new(py, Port::of(&port)))
            .collect::<PyResult<Vec<_>>>()?;
        PyTuple::new(py, ports)
    }

    /// The port named ``key``: a name (``str`` or ``bytes``; the first port of that name) or
    /// an index. A miss is a ``NoSuchPortError`` (a ``KeyError``).
    fn port(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<Port> {
        let found = if key.is_instance_of::<PyInt>() {
            key.extract::<usize>()
                .ok()
                .and_then(|index| self.inner.port(index))
        } else if let Some(name) = key_bytes(key)? {
            self.inner.ports().find(|p| p.name().as_bytes() == name)
        } else {
            return Err(PyTypeError::new_err("a port is named by its name or index"));
        };
        match found {
            Some(port) => Ok(Port::of(&port)),
            None => Err(ladspa_host::PortError::NoSuchPort {
                port: key.repr()?.to_string(),
                descriptor: self.inner.clone(),
            }
            .to_py(py)),
        }
    }

    /// The index of the ``latency`` control output, by which the plugin reports its delay in
    /// samples, or ``None``.
    #[getter]
    fn latency_port(&self) -> Option<usize> {
        self.inner.latency_port().map(|port| port.index())
    }

    /// The initial value of every control input at ``sample_rate``, by port name (an index
    /// for names that several control inputs share): what ``instantiate`` sets.
    fn default_controls<'py>(
        &self,
        py: Python<'py>,
        sample_rate: u32,
    ) -> PyResult<Bound<'py, PyDict>> {
        let controls = PyDict::new(py);
        for (index, value) in self.inner.initial_controls(sample_rate) {
            let port = self.inner.port(index).expect("a port of the plugin");
            controls.set_item(crate::port::port_key(py, &self.inner, &port)?, value)?;
        }
        Ok(controls)
    }

    /// The plugin type's LRDF metadata (class, scale points, presets) from the RDF files along
    /// ``LADSPA_RDF_PATH`` (read once per process), or ``None`` when no file describes it.
    #[getter]
    fn rdf(&self) -> Option<PluginRdf> {
        PluginRdf::of(&self.inner)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Descriptor>()
            .is_ok_and(|other| other.get().inner == self.inner)
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.inner.hash(&mut hasher);
        hasher.finish()
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let d = &slf.get().inner;
        Ok(format!(
            "<{} {} ({}) {:?}, {} in/{} out, in {}>",
            qualified_name(slf.as_any())?,
            d.label(),
            d.unique_id(),
            d.name().to_string_lossy(),
            d.audio_input_count(),
            d.audio_output_count(),
            d.path().display()
        ))
    }
}
