//! `tp_adding.so`: `tp_adding_amp` (7006, "Test Amplifier with run_adding"), the mono amplifier
//! of `tp_amp.so` (0 "Gain", 1 "Input", 2 "Output") with `run_adding` (output += input × gain ×
//! run-adding gain, counted in `run_addings`) and `set_run_adding_gain` (1 after
//! `instantiate`).

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static ADDING: StaticDescriptor =
    StaticDescriptor::new(with_run_adding::<Amp<1>>(descriptor::<Amp<1>, 3>(
        Info {
            unique_id: 7006,
            label: c"tp_adding_amp",
            name: c"Test Amplifier with run_adding",
            properties: LADSPA_PROPERTY_HARD_RT_CAPABLE,
        },
        &PORTS,
        &COUNTERS,
    )));

ladspa_testplugins::export_descriptors!(&ADDING);
