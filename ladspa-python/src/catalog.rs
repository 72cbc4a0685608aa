//! The catalog from Python: plugin files scanned in worker processes (this interpreter started
//! again, loading the extension, whose worker entry then serves), and names resolved through
//! the library's one resolver.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use ladspa_host::PluginName;
use ladspa_host::catalog::{
    Catalog as RustCatalog, CatalogError, FileOutcome, FileRecord, FileStamp, PluginRecord,
    ResolveError, Resolver, Scanner, why_unusable,
};
use ladspa_host::discovery::SearchPath;
use ladspa_host::{Properties, Query};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple, PyType};

use crate::errors::{OrRaise, ToPyErr};
use crate::port::Port;
use crate::rdf::PluginRdf;
use crate::text::qualified_name;
use crate::text::{path_str, text_to_str, to_path};

/// What the worker runs: load the extension file given as the first argument, without the
/// `ladspa` package, numpy or the site packages; its `.init_array` entry serves as soon as
/// the dynamic loader maps it, so the interpreter goes no further.
const WORKER_CODE: &str = "import sys, importlib.util as u; \
    u.module_from_spec(u.spec_from_file_location('ladspa._ladspa', sys.argv[1]))";

/// A scanner whose workers are this interpreter, loading this extension.
pub(crate) fn python_scanner(py: Python<'_>) -> PyResult<Scanner> {
    let executable: Option<PathBuf> = py.import("sys")?.getattr("executable")?.extract()?;
    let executable = executable
        .filter(|path| !path.as_os_str().is_empty())
        .ok_or_else(|| {
            pyo3::exceptions::PyRuntimeError::new_err(
                "sys.executable is unknown: the catalog's workers cannot be started",
            )
        })?;
    let extension: PathBuf = py
        .import("ladspa._ladspa")?
        .getattr("__file__")?
        .extract()?;
    let args: Vec<OsString> = vec![
        "-E".into(),
        "-S".into(),
        "-c".into(),
        WORKER_CODE.into(),
        extension.into_os_string(),
    ];
    Ok(Scanner::new().worker_command(executable, args))
}

/// Why a name gave no descriptor.
enum Failure {
    Resolve(ResolveError),
    Catalog(CatalogError),
}

/// The plugin type `name` stands for (`filter.so:lpf`, a label, a unique ID, a file holding
/// one), loaded into this process.
pub(crate) fn resolve_descriptor(py: Python<'_>, name: &str) -> PyResult<ladspa_host::Descriptor> {
    let scanner = python_scanner(py)?;
    let name = PluginName::parse(name);
    py.detach(|| {
        let mut resolver = Resolver::new(scanner, SearchPath::from_env());
        let record = resolver.resolve_one(&name).map_err(Failure::Resolve)?;
        // SAFETY: loading runs the file's code; the Python API carries the contract in its
        // documentation (load only plugins you trust), as Python has no `unsafe`.
        unsafe { record.load() }.map_err(Failure::Catalog)
    })
    .map_err(|failure| match failure {
        Failure::Resolve(error) => error.to_py(py),
        Failure::Catalog(error) => error.to_py(py),
    })
}

/// Resolves a plugin name to ``(path, index)``: the file and the plugin type's index in it.
///
/// ``name`` is written as everywhere in the project: ``"filter.so:lpf"`` or
/// ``"/path/amp.so:1048"`` (a plugin type of a file), a label or unique ID found in exactly one
/// file along ``LADSPA_PATH``, or a file that holds one plugin type. A label in several files
/// is an ``AmbiguousPluginError`` listing each candidate as ``file:label``. Files are read by
/// worker processes (see ``scan``), never loaded into this one.
#[pyfunction]
pub(crate) fn resolve<'py>(py: Python<'py>, name: &str) -> PyResult<(Bound<'py, PyString>, usize)> {
    let scanner = python_scanner(py)?;
    let name = PluginName::parse(name);
    let record = py
        .detach(|| Resolver::new(scanner, SearchPath::from_env()).resolve_one(&name))
        .or_raise(py)?;
    Ok((path_str(py, record.path())?, record.index()))
}

/// The path of the plugin file ``name`` names: a path (with a ``/``) as it is, a file name
/// looked for along ``LADSPA_PATH`` (``.so`` appended when missing), as the SDK's tools do.
/// Raises ``PluginFileNotFoundError`` (a ``FileNotFoundError``) when there is none.
#[pyfunction]
pub(crate) fn find_file<'py>(
    py: Python<'py>,
    name: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyString>> {
    let name = to_path(name)?;
    let path = SearchPath::from_env().resolve(&name).or_raise(py)?;
    path_str(py, &path)
}

/// Lists every plugin type along a search path without loading a plugin file into this
/// process: worker processes (this interpreter, started again) load the files, so a file that
/// crashes, hangs or exits costs only its own entry (``catalog.failures``).
///
/// ``path``: the directories, as a ``LADSPA_PATH``-style string or a list; by default
/// ``LADSPA_PATH`` (or the usual directories). What the workers found is cached (``cache=True``:
/// ``$XDG_CACHE_HOME/ladspa-rs/catalog.bin``, shared with the Rust tools; a path: that file;
/// ``False``: none), so the next scan loads only files that changed; ``rescan=True`` ignores
/// the cache. ``timeout``: seconds one file may take; ``workers``: processes at once (one per
/// core by default).
#[pyfunction]
#[pyo3(signature = (path = None, *, cache = None, rescan = false, timeout = 10.0, workers = None))]
pub(crate) fn scan(
    py: Python<'_>,
    path: Option<&Bound<'_, PyAny>>,
    cache: Option<&Bound<'_, PyAny>>,
    rescan: bool,
    timeout: f64,
    workers: Option<usize>,
) -> PyResult<Catalog> {
    let search = match path.filter(|p| !p.is_none()) {
        None => SearchPath::from_env(),
        Some(path) if path.is_instance_of::<PyString>() || path.hasattr("__fspath__")? => {
            SearchPath::parse(to_path(path)?.as_os_str())
        }
        Some(path) => {
            let dirs = path
                .try_iter()?
                .map(|dir| to_path(&dir?))
                .collect::<PyResult<Vec<_>>>()?;
            SearchPath::new(dirs)
        }
    };
    if !(timeout.is_finite() && timeout > 0.0) {
        return Err(PyValueError::new_err(
            "timeout is a positive number of seconds",
        ));
    }
    let mut scanner = python_scanner(py)?
        .timeout(Duration::from_secs_f64(timeout))
        .rescan(rescan);
    if let Some(workers) = workers {
        scanner = scanner.workers(workers);
    }
    scanner = match cache.filter(|c| !c.is_none()) {
        None => scanner,
        Some(cache) if cache.is_exact_instance_of::<pyo3::types::PyBool>() => {
            if cache.extract::<bool>()? {
                scanner
            } else {
                scanner.without_cache()
            }
        }
        Some(cache) => scanner.cache_file(to_path(cache)?),
    };
    let inner = py.detach(|| scanner.scan(&search)).or_raise(py)?;
    Ok(Catalog { inner })
}

/// The plugin files along a search path and what scanning each gave (``scan()`` makes one).
///
/// ``plugins``: every valid plugin type (``CatalogEntry``), file by file in search order;
/// ``failures``: the files that gave none (refused by the loader, or fatal to their worker:
/// ``"killed by SIGSEGV (signal 11) in ladspa_descriptor(0)"``); ``find(label or ID)``: the
/// entries that match. Iterating gives the plugin entries.
#[pyclass(frozen, module = "ladspa._ladspa", name = "Catalog")]
pub(crate) struct Catalog {
    inner: RustCatalog,
}

#[pymethods]
impl Catalog {
    /// Every valid plugin type, file by file in search order.
    #[getter]
    fn plugins<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        entries(py, self.inner.plugins())
    }

    /// Every plugin file, with what scanning it gave.
    #[getter]
    fn files<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let files = self
            .inner
            .files()
            .iter()
            .map(|file| Py::new(py, CatalogFile::of(file)))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, files)
    }

    /// The files that gave no plugin type: refused, or fatal to their worker.
    #[getter]
    fn failures<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let files = self
            .inner
            .failures()
            .map(|file| Py::new(py, CatalogFile::of(file)))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, files)
    }

    /// The entries with this label (``str``) or unique ID (``int``), in search order (one
    /// per file that has it).
    fn find<'py>(&self, py: Python<'py>, key: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
        let query = if let Ok(id) = key.extract::<u64>() {
            Query::UniqueId(id)
        } else if let Ok(label) = key.extract::<String>() {
            Query::Label(label)
        } else {
            return Err(PyTypeError::new_err(
                "find() takes a label (str) or unique ID (int)",
            ));
        };
        entries(py, self.inner.find_all(&query))
    }

    /// What the scan did: ``files``, ``from_cache``, ``scanned``, ``workers_started``,
    /// ``cache_discarded`` and ``cache_write_error`` (why, or ``None``).
    #[getter]
    fn report<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let report = self.inner.report();
        let dict = PyDict::new(py);
        dict.set_item("files", report.files)?;
        dict.set_item("from_cache", report.from_cache)?;
        dict.set_item("scanned", report.scanned)?;
        dict.set_item("workers_started", report.workers_started)?;
        dict.set_item("cache_discarded", report.cache_discarded.clone())?;
        dict.set_item("cache_write_error", report.cache_write_error.clone())?;
        Ok(dict)
    }

    fn __len__(&self) -> usize {
        self.inner.plugins().count()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.plugins(py)?.into_any().try_iter()?.into_any())
    }

    fn __repr__(&self) -> String {
        format!(
            "<Catalog: {} plugin type(s) in {} file(s), {} failure(s)>",
            self.inner.plugins().count(),
            self.inner.files().len(),
            self.inner.failures().count()
        )
    }
}

fn entries<'py, 'a>(
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
    fn of(record: &FileRecord) -> Self {
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
