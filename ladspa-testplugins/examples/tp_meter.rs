//! `tp_meter.so`: `tp_peak_meter` (7016, "Test Peak Meter"), a plugin with an audio input and
//! no audio output, as meters are (cmt's `track_peak`):
//!
//! - 0 "Input" (audio input);
//! - 1 "Peak" (control output): the largest magnitude among the samples of the last run (0 for
//!   a run of 0 samples).
//!
//! Hard-RT capable.

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<2> = PortTable::new([Port::audio_in(c"Input"), Port::control_out(c"Peak")]);

static METER: StaticDescriptor = StaticDescriptor::new(descriptor::<Meter, 2>(
    Info {
        unique_id: 7016,
        label: c"tp_peak_meter",
        name: c"Test Peak Meter",
        properties: LADSPA_PROPERTY_HARD_RT_CAPABLE,
    },
    &PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&METER);

struct Meter;

impl Plugin for Meter {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        let peak = (0..io.len()).fold(0.0_f32, |peak, i| peak.max(io.read(0, i).abs()));
        io.set_control(1, peak);
    }
}
