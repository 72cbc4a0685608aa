//! Text and paths between the library and Python: a plugin's strings are bytes (LADSPA names
//! no encoding), given to Python as `str`, with bytes that are not UTF-8 as lone surrogates
//! (`surrogateescape`, the way Python decodes file names), so that every label round-trips.

use std::path::{Path, PathBuf};

use ladspa_host::Text;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

/// Bytes as a `str`: UTF-8 as it is, other bytes as lone surrogates.
pub(crate) fn bytes_to_str<'py>(py: Python<'py>, bytes: &[u8]) -> PyResult<Bound<'py, PyString>> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(PyString::new(py, text)),
        Err(_) => PyBytes::new(py, bytes)
            .call_method1("decode", ("utf-8", "surrogateescape"))?
            .cast_into::<PyString>()
            .map_err(Into::into),
    }
}

/// A plugin's string as a `str`.
pub(crate) fn text_to_str<'py>(py: Python<'py>, text: Text<'_>) -> PyResult<Bound<'py, PyString>> {
    bytes_to_str(py, text.as_bytes())
}

/// The bytes a `str` (surrogates back to the bytes they stand for) or `bytes` names.
pub(crate) fn key_bytes(key: &Bound<'_, PyAny>) -> PyResult<Option<Vec<u8>>> {
    if let Ok(text) = key.cast::<PyString>() {
        if let Ok(utf8) = text.to_str() {
            return Ok(Some(utf8.as_bytes().to_vec()));
        }
        let encoded = text.call_method1("encode", ("utf-8", "surrogateescape"))?;
        return Ok(Some(encoded.cast::<PyBytes>()?.as_bytes().to_vec()));
    }
    if let Ok(bytes) = key.cast::<PyBytes>() {
        return Ok(Some(bytes.as_bytes().to_vec()));
    }
    Ok(None)
}

/// A path as Python's `str` of it (`os.fsdecode`).
pub(crate) fn path_str<'py>(py: Python<'py>, path: &Path) -> PyResult<Bound<'py, PyString>> {
    use std::os::unix::ffi::OsStrExt;
    bytes_to_str(py, path.as_os_str().as_bytes())
}

/// A `str`, `bytes` or `os.PathLike` as a path.
pub(crate) fn to_path(path: &Bound<'_, PyAny>) -> PyResult<PathBuf> {
    if let Ok(bytes) = path.cast::<PyBytes>() {
        use std::os::unix::ffi::OsStrExt;
        return Ok(PathBuf::from(std::ffi::OsStr::from_bytes(bytes.as_bytes())));
    }
    path.extract::<PathBuf>()
}

/// ``module.Class`` of an object's type, for `repr`s.
pub(crate) fn qualified_name(object: &Bound<'_, PyAny>) -> PyResult<String> {
    let class = object.get_type();
    let module = class.module()?;
    let module = module.to_str()?;
    // The high-level classes are reached as `ladspa.X`, whatever file defines them.
    let module = if module.starts_with("ladspa.") && module != "ladspa._ladspa" {
        "ladspa"
    } else {
        module
    };
    Ok(format!("{module}.{}", class.qualname()?))
}
