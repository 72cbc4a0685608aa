//! `tp_sine.so`: `tp_sine` (7004, "Test Sine Oscillator").
//!
//! Ports: 0 "Frequency" (control input in Hz, bounds 0 to 0.5 × sample rate, logarithmic,
//! default 440), 1 "Amplitude" (control input, bounded below by 0, logarithmic, default 1),
//! 2 "Output". Output = amplitude × sin(2π × phase); the phase (in cycles, an `f64`) starts
//! at 0 on `activate`. Hard-RT capable.

use core::ffi::c_ulong;
use std::f64::consts::TAU;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new([
    Port::control_in(
        c"Frequency",
        LADSPA_HINT_BOUNDED_BELOW
            | LADSPA_HINT_BOUNDED_ABOVE
            | LADSPA_HINT_SAMPLE_RATE
            | LADSPA_HINT_LOGARITHMIC
            | LADSPA_HINT_DEFAULT_440,
        0.0,
        0.5,
    ),
    Port::control_in(c"Amplitude", AMP_GAIN_HINT, 0.0, 0.0),
    Port::audio_out(c"Output"),
]);

static SINE: StaticDescriptor = StaticDescriptor::new(descriptor::<Sine, 3>(
    Info {
        unique_id: 7004,
        label: c"tp_sine",
        name: c"Test Sine Oscillator",
        properties: LADSPA_PROPERTY_HARD_RT_CAPABLE,
    },
    &PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&SINE);

struct Sine {
    sample_rate: f64,
    phase: f64,
}

impl Plugin for Sine {
    fn new(sample_rate: c_ulong) -> Option<Self> {
        Some(Self {
            sample_rate: sample_rate as f64,
            phase: 0.0,
        })
    }

    fn activate(&mut self) {
        self.phase = 0.0;
    }

    fn run(&mut self, io: &Io<'_>) {
        let increment = io.control(0) as f64 / self.sample_rate;
        let amplitude = io.control(1) as f64;
        for i in 0..io.len() {
            io.write(2, i, (amplitude * (TAU * self.phase).sin()) as LADSPA_Data);
            self.phase += increment;
            self.phase -= self.phase.floor();
        }
    }
}
