//! `tp_ctor_exit.so`: a static constructor that calls `exit(0)` when the file is loaded.
ladspa_testplugins::lethal_plugin!(
    constructor,
    ladspa_testplugins::lethal::Strike::Exit,
    7503,
    c"tp_ctor_exit"
);
