//! `tp_v_load.so`: `tp_v_load` (7601), a descriptor whose `run` is NULL: the validator's
//! `load` check refuses it (and every other check is skipped).

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static NO_RUN: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    run: None,
    ..descriptor::<Amp<1>, 3>(
        Info {
            unique_id: 7601,
            label: c"tp_v_load",
            name: c"Validator Fixture: no run",
            properties: 0,
        },
        &PORTS,
        &COUNTERS,
    )
});

ladspa_testplugins::export_descriptors!(&NO_RUN);
