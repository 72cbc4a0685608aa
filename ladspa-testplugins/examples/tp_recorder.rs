//! `tp_recorder.so`: `tp_recorder` (7009, "Test Control Recorder"), a plugin that shows what it
//! saw, for tests of control changes made while it runs:
//!
//! - 0 "Value" (control input, default 0);
//! - 1 "Input" (audio input), 2 "Output" (audio output): output = input + the Value of this run;
//! - 3 "Seen" (control output): the Value of the last run;
//! - 4 "Runs" (control output): the runs since the last `activate`, counting this one;
//! - 5 "latency" (control output): always [`LATENCY`] samples, set by every run (of 0 samples
//!   too), the convention hosts read a plugin's latency by.
//!
//! Hard-RT capable; reading every input sample before writing it, so in-place processing works.

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

/// The latency the plugin reports, in samples.
const LATENCY: LADSPA_Data = 64.0;

static PORTS: PortTable<6> = PortTable::new([
    Port::control_in(c"Value", LADSPA_HINT_DEFAULT_0, 0.0, 0.0),
    Port::audio_in(c"Input"),
    Port::audio_out(c"Output"),
    Port::control_out(c"Seen"),
    Port::control_out(c"Runs"),
    Port::control_out(c"latency"),
]);

/// The recorder's state: its runs since `activate`.
struct Recorder {
    runs: u32,
}

impl Plugin for Recorder {
    fn new(_sample_rate: core::ffi::c_ulong) -> Option<Self> {
        Some(Self { runs: 0 })
    }

    fn activate(&mut self) {
        self.runs = 0;
    }

    fn run(&mut self, io: &Io<'_>) {
        self.runs += 1;
        let value = io.control(0);
        for i in 0..io.len() {
            io.write(2, i, io.read(1, i) + value);
        }
        io.set_control(3, value);
        io.set_control(4, self.runs as LADSPA_Data);
        io.set_control(5, LATENCY);
    }
}

static RECORDER: StaticDescriptor = StaticDescriptor::new(descriptor::<Recorder, 6>(
    Info {
        unique_id: 7009,
        label: c"tp_recorder",
        name: c"Test Control Recorder",
        properties: LADSPA_PROPERTY_HARD_RT_CAPABLE,
    },
    &PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&RECORDER);
