//! `ladspa._ladspa`: the native module of the Python package `ladspa` (distribution
//! `ladspa-host`), built on the `ladspa-host` library.
//!
//! Its builtin types hold only the library's values and navigate downward into fresh objects
//! (`Plugin` → `Descriptor` → `Handle`), so they form no reference cycles; the package's Python
//! subclasses (`ladspa/__init__.py`) add the back-references, in their `__dict__`, which
//! Python's cycle collector walks. Errors are raised as the classes of `ladspa/errors.py`.

mod apply;
mod audio;
mod catalog;
mod catalog_records;
mod chain;
mod controls;
mod errors;
mod handle;
mod instance;
mod plugin;
mod port;
mod rdf;
mod spec;
mod stage_spec;
mod text;

use pyo3::prelude::*;

/// Loads the plugin file at ``path`` as a builtin ``Plugin`` (see ``Plugin``).
#[pyfunction]
#[pyo3(signature = (path, *, keep_loaded = false))]
fn load<'py>(
    py: Python<'py>,
    path: &Bound<'py, PyAny>,
    keep_loaded: bool,
) -> PyResult<Bound<'py, plugin::Plugin>> {
    let kwargs = pyo3::types::PyDict::new(py);
    kwargs.set_item("keep_loaded", keep_loaded)?;
    py.get_type::<plugin::Plugin>()
        .call((path,), Some(&kwargs))?
        .cast_into()
        .map_err(Into::into)
}

/// The native module.
#[pymodule]
fn _ladspa(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<plugin::Plugin>()?;
    m.add_class::<plugin::Descriptor>()?;
    m.add_class::<port::Port>()?;
    m.add_class::<handle::Handle>()?;
    // `Descriptor.instantiate` makes objects of `Descriptor.handle_class` (called as
    // `handle_class(descriptor, sample_rate)`, a hook for subclasses). Its default is set here,
    // where both classes are known, because `Handle`'s constructor takes a `Descriptor`: the
    // two modules would otherwise name each other.
    m.py()
        .get_type::<plugin::Descriptor>()
        .setattr("handle_class", m.py().get_type::<handle::Handle>())?;
    m.add_class::<controls::Controls>()?;
    m.add_class::<chain::Chain>()?;
    m.add_class::<catalog::Catalog>()?;
    m.add_class::<catalog_records::CatalogFile>()?;
    m.add_class::<catalog_records::CatalogEntry>()?;
    m.add_class::<rdf::PluginRdf>()?;
    m.add_class::<rdf::Preset>()?;
    m.add_class::<spec::ChainSpec>()?;
    m.add_class::<stage_spec::StageSpec>()?;
    m.add_class::<spec::LoadedSpec>()?;
    m.add_function(wrap_pyfunction!(stage_spec::_stage_spec, m)?)?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(apply::_apply, m)?)?;
    m.add_function(wrap_pyfunction!(catalog::scan, m)?)?;
    m.add_function(wrap_pyfunction!(catalog::resolve, m)?)?;
    m.add_function(wrap_pyfunction!(catalog::find_file, m)?)?;
    m.add(
        "FLUSH_DENORMALS_SUPPORTED",
        cfg!(any(target_arch = "x86_64", target_arch = "aarch64")),
    )?;
    Ok(())
}
