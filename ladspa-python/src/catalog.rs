//! The catalog from Python: plugin files scanned in worker processes (this interpreter started
//! again, loading the extension, whose worker entry then serves), and names resolved through
//! the library's one resolver.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use ladspa_host::PluginName;
use ladspa_host::Query;
use ladspa_host::catalog::{Catalog as RustCatalog, CatalogError, ResolveError, Resolver, Scanner};
use ladspa_host::discovery::SearchPath;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::catalog_records::{CatalogFile, entries};
use crate::errors::{OrRaise, ToPyErr};
use crate::text::{path_str, to_path};

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
