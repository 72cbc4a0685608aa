//! `tp_shared_names.so`: `tp_shared_names` (7440, "Test Shared Port Names"), an amplifier whose
//! port names repeat, as real plugins' do (Debian's mvclpf24 has an audio input "Frequency"
//! before its control input "Frequency"):
//!
//! - 0 "Frequency" (audio input), 1 "Output" (audio output): output = input × port 2;
//! - 2 "Frequency" (control input, default 1): the gain;
//! - 3 "Mix", 4 "Mix" (control inputs, default 0): two knobs of one name;
//! - 5 "Gain" (control output, set to port 2's value by each run), 6 "Gain" (control input,
//!   default 0): one name for an input and an output;
//! - 7 "Meter" (control output, set to the last output sample by each run).

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

const DEFAULT_1: LADSPA_PortRangeHintDescriptor = LADSPA_HINT_DEFAULT_1;
const DEFAULT_0: LADSPA_PortRangeHintDescriptor = LADSPA_HINT_DEFAULT_0;

static PORTS: PortTable<8> = PortTable::new([
    Port::audio_in(c"Frequency"),
    Port::audio_out(c"Output"),
    Port::control_in(c"Frequency", DEFAULT_1, 0.0, 0.0),
    Port::control_in(c"Mix", DEFAULT_0, 0.0, 0.0),
    Port::control_in(c"Mix", DEFAULT_0, 0.0, 0.0),
    Port::control_out(c"Gain"),
    Port::control_in(c"Gain", DEFAULT_0, 0.0, 0.0),
    Port::control_out(c"Meter"),
]);

/// The amplifier of the port layout above.
struct SharedNames;

impl Plugin for SharedNames {
    fn new(_sample_rate: core::ffi::c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        let gain = io.control(2);
        for i in 0..io.len() {
            io.write(1, i, io.read(0, i) * gain);
        }
        io.set_control(5, gain);
        if !io.is_empty() {
            io.set_control(7, io.read(1, io.len() - 1));
        }
    }
}

static SHARED_NAMES: StaticDescriptor = StaticDescriptor::new(descriptor::<SharedNames, 8>(
    Info {
        unique_id: 7440,
        label: c"tp_shared_names",
        name: c"Test Shared Port Names",
        properties: LADSPA_PROPERTY_HARD_RT_CAPABLE,
    },
    &PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&SHARED_NAMES);
