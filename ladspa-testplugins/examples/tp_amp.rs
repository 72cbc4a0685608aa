//! `tp_amp.so`: a mono and a stereo amplifier, output = input × gain, like the SDK's `amp.so`.
//!
//! - `tp_amp_mono` (7001, "Test Mono Amplifier"): 0 "Gain" (control input, bounded below by 0,
//!   logarithmic, default 1), 1 "Input", 2 "Output".
//! - `tp_amp_stereo` (7002, "Test Stereo Amplifier"): 0 "Gain", 1 "Input (Left)",
//!   2 "Output (Left)", 3 "Input (Right)", 4 "Output (Right)".
//!
//! Both are hard-RT capable and support in-place processing.

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static MONO_PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

static MONO: StaticDescriptor = StaticDescriptor::new(descriptor::<Amp<1>, 3>(
    Info {
        unique_id: 7001,
        label: c"tp_amp_mono",
        name: c"Test Mono Amplifier",
        properties: LADSPA_PROPERTY_HARD_RT_CAPABLE,
    },
    &MONO_PORTS,
    &COUNTERS,
));

static STEREO_PORTS: PortTable<5> = PortTable::new([
    Port::control_in(c"Gain", AMP_GAIN_HINT, 0.0, 0.0),
    Port::audio_in(c"Input (Left)"),
    Port::audio_out(c"Output (Left)"),
    Port::audio_in(c"Input (Right)"),
    Port::audio_out(c"Output (Right)"),
]);

static STEREO: StaticDescriptor = StaticDescriptor::new(descriptor::<Amp<2>, 5>(
    Info {
        unique_id: 7002,
        label: c"tp_amp_stereo",
        name: c"Test Stereo Amplifier",
        properties: LADSPA_PROPERTY_HARD_RT_CAPABLE,
    },
    &STEREO_PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&MONO, &STEREO);
