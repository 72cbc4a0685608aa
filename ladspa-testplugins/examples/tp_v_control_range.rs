//! `tp_v_control_range.so`: two amplifiers with a hole in the range of their "Gain" (0 to 10,
//! default 1), between 4.5 and 5.5, away from the default and the bounds; each fails
//! `control-range` only:
//!
//! - `tp_v_control_range` (7615) outputs NaN there;
//! - `tp_v_control_range_hang` (7619) sleeps for an hour in `run` there (a hang, as
//!   `tap_reflector`'s at the minimum of its Fragment Length).

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new([
    Port::control_in(
        c"Gain",
        LADSPA_HINT_BOUNDED_BELOW | LADSPA_HINT_BOUNDED_ABOVE | LADSPA_HINT_DEFAULT_1,
        0.0,
        10.0,
    ),
    Port::audio_in(c"Input"),
    Port::audio_out(c"Output"),
]);

static RANGE: StaticDescriptor = StaticDescriptor::new(descriptor::<MidRangeNan, 3>(
    Info {
        unique_id: 7615,
        label: c"tp_v_control_range",
        name: c"Validator Fixture: NaN mid-range",
        properties: 0,
    },
    &PORTS,
    &COUNTERS,
));

static HANG: StaticDescriptor = StaticDescriptor::new(descriptor::<MidRangeHang, 3>(
    Info {
        unique_id: 7619,
        label: c"tp_v_control_range_hang",
        name: c"Validator Fixture: hang mid-range",
        properties: 0,
    },
    &PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&RANGE, &HANG);

/// The amplifier with a hole in its range.
struct MidRangeNan;

impl Plugin for MidRangeNan {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        let gain = io.control(0);
        let gain = if (4.5..=5.5).contains(&gain) {
            f32::NAN
        } else {
            gain
        };
        for i in 0..io.len() {
            io.write(2, i, io.read(1, i) * gain);
        }
    }
}

/// The amplifier that hangs in its hole.
struct MidRangeHang;

impl Plugin for MidRangeHang {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        let gain = io.control(0);
        if (4.5..=5.5).contains(&gain) {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
        for i in 0..io.len() {
            io.write(2, i, io.read(1, i) * gain);
        }
    }
}
