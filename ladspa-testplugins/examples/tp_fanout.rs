//! `tp_fanout.so`: two plugins whose audio inputs and outputs differ in number, and which
//! report which of their buffers the host shared, for the tests of in-place runs with unequal
//! counts (the SDK's `applyplugin` connects audio input `k` and audio output `k` to one buffer).
//!
//! - `tp_fanout_split` (7013, "Test Splitter", 1 in / 2 out): 0 "Input", 1 "Output (Left)",
//!   2 "Output (Right)", 3 "Shared" (control output). Left = input, right = −input. "Shared"
//!   is 1 when the input shares its buffer with the left output, plus 2 when it shares it with
//!   the right output.
//! - `tp_fanout_mix` (7014, "Test Mixer", 2 in / 1 out): 0 "Input (Left)", 1 "Input (Right)",
//!   2 "Output", 3 "Shared" (control output). Output = left + right / 2. "Shared" is 1 when
//!   the left input shares its buffer with the output, plus 2 when the right input does.
//!
//! Both read every input sample of an instant before they write its outputs, so they give the
//! same output in place and out of place. Runs with any shared buffer count in `aliased_runs`.

use core::ffi::c_ulong;

use ladspa_testplugins::Counters;
use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static SPLIT_PORTS: PortTable<4> = PortTable::new([
    Port::audio_in(c"Input"),
    Port::audio_out(c"Output (Left)"),
    Port::audio_out(c"Output (Right)"),
    Port::control_out(c"Shared"),
]);

static SPLIT: StaticDescriptor = StaticDescriptor::new(descriptor::<Split, 4>(
    Info {
        unique_id: 7013,
        label: c"tp_fanout_split",
        name: c"Test Splitter",
        properties: LADSPA_PROPERTY_HARD_RT_CAPABLE,
    },
    &SPLIT_PORTS,
    &COUNTERS,
));

static MIX_PORTS: PortTable<4> = PortTable::new([
    Port::audio_in(c"Input (Left)"),
    Port::audio_in(c"Input (Right)"),
    Port::audio_out(c"Output"),
    Port::control_out(c"Shared"),
]);

static MIX: StaticDescriptor = StaticDescriptor::new(descriptor::<Mix, 4>(
    Info {
        unique_id: 7014,
        label: c"tp_fanout_mix",
        name: c"Test Mixer",
        properties: LADSPA_PROPERTY_HARD_RT_CAPABLE,
    },
    &MIX_PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&SPLIT, &MIX);

/// Reports which pairs of ports share buffers on control output `report`: 1 for the first
/// pair, 2 for the second.
fn report_sharing(io: &Io<'_>, pairs: [(usize, usize); 2], report: usize) {
    let shared = pairs
        .iter()
        .zip([1.0, 2.0])
        .filter(|((a, b), _)| io.overlap(*a, *b))
        .map(|(_, bit)| bit)
        .sum::<LADSPA_Data>();
    if shared != 0.0 {
        Counters::bump(&io.counters().aliased_runs);
    }
    io.set_control(report, shared);
}

struct Split;

impl Plugin for Split {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        report_sharing(io, [(0, 1), (0, 2)], 3);
        for i in 0..io.len() {
            let x = io.read(0, i);
            io.write(1, i, x);
            io.write(2, i, -x);
        }
    }
}

struct Mix;

impl Plugin for Mix {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        report_sharing(io, [(0, 2), (1, 2)], 3);
        for i in 0..io.len() {
            let (left, right) = (io.read(0, i), io.read(1, i));
            io.write(2, i, left + right / 2.0);
        }
    }
}
