//! `tp_no_symbol.so`: a shared object that is not a LADSPA plugin: it exports a function, but
//! no `ladspa_descriptor` (and no counters either).

/// Some symbol, so the file is a normal shared library with an export.
#[unsafe(no_mangle)]
pub extern "C" fn ladspa_testplugins_not_a_plugin() -> i32 {
    42
}
