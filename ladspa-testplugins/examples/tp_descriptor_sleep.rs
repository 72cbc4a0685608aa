//! `tp_descriptor_sleep.so`: `ladspa_descriptor` sleeps 30 s before answering (a hang, for a
//! host).
ladspa_testplugins::lethal_plugin!(
    descriptor,
    ladspa_testplugins::lethal::Strike::Sleep(30),
    7505,
    c"tp_descriptor_sleep"
);
