//! `tp_noise.so`: `tp_noise` (7005, "Test White Noise (Fixed Seed)").
//!
//! Ports: 0 "Amplitude" (control input, bounded below by 0, logarithmic, default 1),
//! 1 "Output". A xorshift32 generator whose seed is reset by `activate`, so the output is the
//! same after every activation: uniform in [−amplitude, amplitude]. Hard-RT capable.

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

/// The seed of every activation.
const SEED: u32 = 0x9E37_79B9;

static PORTS: PortTable<2> = PortTable::new([
    Port::control_in(c"Amplitude", AMP_GAIN_HINT, 0.0, 0.0),
    Port::audio_out(c"Output"),
]);

static NOISE: StaticDescriptor = StaticDescriptor::new(descriptor::<Noise, 2>(
    Info {
        unique_id: 7005,
        label: c"tp_noise",
        name: c"Test White Noise (Fixed Seed)",
        properties: LADSPA_PROPERTY_HARD_RT_CAPABLE,
    },
    &PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&NOISE);

struct Noise {
    state: u32,
}

impl Plugin for Noise {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self { state: SEED })
    }

    fn activate(&mut self) {
        self.state = SEED;
    }

    fn run(&mut self, io: &Io<'_>) {
        let amplitude = io.control(0);
        for i in 0..io.len() {
            self.state ^= self.state << 13;
            self.state ^= self.state >> 17;
            self.state ^= self.state << 5;
            let unit = (self.state as f64 / u32::MAX as f64) * 2.0 - 1.0;
            io.write(1, i, amplitude * unit as LADSPA_Data);
        }
    }
}
