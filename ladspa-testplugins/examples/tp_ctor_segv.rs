//! `tp_ctor_segv.so`: a static constructor that writes through NULL (SIGSEGV) when the file is
//! loaded.
ladspa_testplugins::lethal_plugin!(
    constructor,
    ladspa_testplugins::lethal::Strike::Segfault,
    7502,
    c"tp_ctor_segv"
);
