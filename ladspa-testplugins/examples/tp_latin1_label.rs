//! `tp_latin1_label.so`: `tp_latin1_\xe9` (7450, "Test Latin-1 Label"), the mono amplifier of
//! `tp_amp.so` under a label that is Latin-1, not UTF-8 (the byte 0xE9, "é"): LADSPA says
//! nothing of encodings, so a host must find a plugin type by the label's bytes.

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static LATIN1: StaticDescriptor = StaticDescriptor::new(descriptor::<Amp<1>, 3>(
    Info {
        unique_id: 7450,
        label: c"tp_latin1_\xe9",
        name: c"Test Latin-1 Label",
        properties: LADSPA_PROPERTY_HARD_RT_CAPABLE,
    },
    &PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&LATIN1);
