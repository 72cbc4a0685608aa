//! `tp_descriptor_segv.so`: `ladspa_descriptor` writes through NULL (SIGSEGV).
ladspa_testplugins::lethal_plugin!(
    descriptor,
    ladspa_testplugins::lethal::Strike::Segfault,
    7504,
    c"tp_descriptor_segv"
);
