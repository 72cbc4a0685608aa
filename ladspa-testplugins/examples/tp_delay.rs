//! `tp_delay.so`: `tp_delay` (7003, "Test Delay Line"), a simple delay line like the SDK's
//! `delay.so`.
//!
//! Ports: 0 "Delay (Seconds)" (control input, 0 to 5, default 1), 1 "Dry/Wet Balance" (control
//! input, 0 to 1, default middle), 2 "Input", 3 "Output".
//!
//! The buffer (5 s × sample rate + 1 samples) is allocated by `instantiate`; `activate` zeroes
//! it and the write position, so deactivate + activate forgets everything. Output = dry × (1 −
//! wet) + delayed × wet, the delay being round(delay × sample rate) samples, clamped to the
//! buffer. Each input sample is read before the output sample is written (in-place safe).

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

const MAX_DELAY_SECONDS: f32 = 5.0;

static PORTS: PortTable<4> = PortTable::new([
    Port::control_in(
        c"Delay (Seconds)",
        LADSPA_HINT_BOUNDED_BELOW | LADSPA_HINT_BOUNDED_ABOVE | LADSPA_HINT_DEFAULT_1,
        0.0,
        MAX_DELAY_SECONDS,
    ),
    Port::control_in(
        c"Dry/Wet Balance",
        LADSPA_HINT_BOUNDED_BELOW | LADSPA_HINT_BOUNDED_ABOVE | LADSPA_HINT_DEFAULT_MIDDLE,
        0.0,
        1.0,
    ),
    Port::audio_in(c"Input"),
    Port::audio_out(c"Output"),
]);

static DELAY: StaticDescriptor = StaticDescriptor::new(descriptor::<Delay, 4>(
    Info {
        unique_id: 7003,
        label: c"tp_delay",
        name: c"Test Delay Line",
        properties: LADSPA_PROPERTY_HARD_RT_CAPABLE,
    },
    &PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&DELAY);

struct Delay {
    sample_rate: f64,
    buffer: Vec<LADSPA_Data>,
    write: usize,
}

impl Plugin for Delay {
    fn new(sample_rate: c_ulong) -> Option<Self> {
        let length = (MAX_DELAY_SECONDS as f64 * sample_rate as f64) as usize + 1;
        Some(Self {
            sample_rate: sample_rate as f64,
            buffer: vec![0.0; length],
            write: 0,
        })
    }

    fn activate(&mut self) {
        self.buffer.fill(0.0);
        self.write = 0;
    }

    fn run(&mut self, io: &Io<'_>) {
        let length = self.buffer.len();
        // `as` saturates, and turns NaN into 0.
        let delay = ((io.control(0) as f64 * self.sample_rate).round() as usize).min(length - 1);
        let wet = io.control(1).clamp(0.0, 1.0);
        for i in 0..io.len() {
            let input = io.read(2, i);
            self.buffer[self.write] = input;
            let delayed = self.buffer[(self.write + length - delay) % length];
            io.write(3, i, input * (1.0 - wet) + delayed * wet);
            self.write = (self.write + 1) % length;
        }
    }
}
