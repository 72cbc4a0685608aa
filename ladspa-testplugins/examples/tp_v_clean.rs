//! `tp_v_clean.so`: `tp_v_clean` (7600, "Validator Clean Amplifier"), a mono amplifier
//! (0 "Gain", 1 "Input", 2 "Output") with `run_adding`, hard-RT capable: the validator's
//! fixture that passes every check.

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static CLEAN: StaticDescriptor =
    StaticDescriptor::new(with_run_adding::<Amp<1>>(descriptor::<Amp<1>, 3>(
        Info {
            unique_id: 7600,
            label: c"tp_v_clean",
            name: c"Validator Clean Amplifier",
            properties: LADSPA_PROPERTY_HARD_RT_CAPABLE,
        },
        &PORTS,
        &COUNTERS,
    )));

ladspa_testplugins::export_descriptors!(&CLEAN);
