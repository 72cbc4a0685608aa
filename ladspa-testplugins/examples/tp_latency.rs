//! `tp_latency.so`: plugins for tests of multichannel chains.
//!
//! - `tp_latency` (7010, "Test Latency Delay"): delays its input by exactly the latency it
//!   reports, like a look-ahead limiter with unit gain. Ports: 0 "Delay (Samples)" (control
//!   input, integer, 0 to [`MAX_DELAY`], default 0), 1 "Input", 2 "Output", 3 "latency" (control
//!   output: the delay of the last run, in samples, plus "Extra Latency", set by every run, of
//!   0 samples too), 4 "Extra Latency" (control input, default 0, any value: a fraction, a
//!   negative or huge number that the plugin adds to the latency it reports, not to its delay,
//!   as real plugins report fractional latencies). The delay line is allocated by
//!   `instantiate` and cleared by `activate`; each input sample is read before the output
//!   sample is written (in-place safe).
//! - `tp_split` (7011, "Test Mono to Stereo Splitter"): 0 "Input", 1 "Output (Left)",
//!   2 "Output (Right)"; left = input, right = −input.
//! - `tp_mix` (7012, "Test Stereo to Mono Mixer"): 0 "Input (Left)", 1 "Input (Right)",
//!   2 "Output"; output = left + 2 × right.
//!
//! All are hard-RT capable.

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

/// The longest delay, in samples.
const MAX_DELAY: usize = 65536;

static LATENCY_PORTS: PortTable<5> = PortTable::new([
    Port::control_in(
        c"Delay (Samples)",
        LADSPA_HINT_BOUNDED_BELOW
            | LADSPA_HINT_BOUNDED_ABOVE
            | LADSPA_HINT_INTEGER
            | LADSPA_HINT_DEFAULT_0,
        0.0,
        MAX_DELAY as LADSPA_Data,
    ),
    Port::audio_in(c"Input"),
    Port::audio_out(c"Output"),
    Port::control_out(c"latency"),
    Port::control_in(c"Extra Latency", LADSPA_HINT_DEFAULT_0, 0.0, 0.0),
]);

static LATENCY: StaticDescriptor = StaticDescriptor::new(descriptor::<Latency, 5>(
    Info {
        unique_id: 7010,
        label: c"tp_latency",
        name: c"Test Latency Delay",
        properties: LADSPA_PROPERTY_HARD_RT_CAPABLE,
    },
    &LATENCY_PORTS,
    &COUNTERS,
));

/// A delay line that reports its delay as its latency.
struct Latency {
    line: Vec<LADSPA_Data>,
    write: usize,
}

impl Plugin for Latency {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self {
            line: vec![0.0; MAX_DELAY + 1],
            write: 0,
        })
    }

    fn activate(&mut self) {
        self.line.fill(0.0);
        self.write = 0;
    }

    fn run(&mut self, io: &Io<'_>) {
        let length = self.line.len();
        // `as` saturates, and turns NaN into 0.
        let delay = (io.control(0).round() as usize).min(MAX_DELAY);
        for i in 0..io.len() {
            self.line[self.write] = io.read(1, i);
            io.write(2, i, self.line[(self.write + length - delay) % length]);
            self.write = (self.write + 1) % length;
        }
        io.set_control(3, delay as LADSPA_Data + io.control(4));
    }
}

static SPLIT_PORTS: PortTable<3> = PortTable::new([
    Port::audio_in(c"Input"),
    Port::audio_out(c"Output (Left)"),
    Port::audio_out(c"Output (Right)"),
]);

static SPLIT: StaticDescriptor = StaticDescriptor::new(descriptor::<Split, 3>(
    Info {
        unique_id: 7011,
        label: c"tp_split",
        name: c"Test Mono to Stereo Splitter",
        properties: LADSPA_PROPERTY_HARD_RT_CAPABLE,
    },
    &SPLIT_PORTS,
    &COUNTERS,
));

/// Mono to stereo: left = input, right = −input.
struct Split;

impl Plugin for Split {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        for i in 0..io.len() {
            let input = io.read(0, i);
            io.write(1, i, input);
            io.write(2, i, -input);
        }
    }
}

static MIX_PORTS: PortTable<3> = PortTable::new([
    Port::audio_in(c"Input (Left)"),
    Port::audio_in(c"Input (Right)"),
    Port::audio_out(c"Output"),
]);

static MIX: StaticDescriptor = StaticDescriptor::new(descriptor::<Mix, 3>(
    Info {
        unique_id: 7012,
        label: c"tp_mix",
        name: c"Test Stereo to Mono Mixer",
        properties: LADSPA_PROPERTY_HARD_RT_CAPABLE,
    },
    &MIX_PORTS,
    &COUNTERS,
));

/// Stereo to mono: output = left + 2 × right.
struct Mix;

impl Plugin for Mix {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        for i in 0..io.len() {
            io.write(2, i, io.read(0, i) + 2.0 * io.read(1, i));
        }
    }
}

ladspa_testplugins::export_descriptors!(&LATENCY, &SPLIT, &MIX);
