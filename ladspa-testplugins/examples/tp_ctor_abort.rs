//! `tp_ctor_abort.so`: a static constructor that aborts (SIGABRT) when the file is loaded.
ladspa_testplugins::lethal_plugin!(
    constructor,
    ladspa_testplugins::lethal::Strike::Abort,
    7501,
    c"tp_ctor_abort"
);
