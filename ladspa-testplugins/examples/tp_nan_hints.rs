//! `tp_nan_hints.so`: `tp_nan_hints` (7400, "Test NaN Hints"), a mono amplifier with control
//! inputs whose range hints are absurd in every way a real plugin's have been: NaN bounds,
//! infinite bounds, a lower bound above the upper one, bounds that overflow once multiplied by
//! the sample rate, subnormal bounds. A host that computes defaults from them naively gets NaN
//! or infinity (or panics); no control value means anything as NaN or infinity, and many real
//! plugins crash or raise SIGFPE on one.
//!
//! The plugin itself checks: in `activate` and in every `run` it looks at each control input
//! and counts each value that is NaN or infinite in its file's `non_finite_controls`. Output =
//! input × "Gain", like `tp_amp_mono`; the other controls are not used.
//!
//! (In the hint column, `+` stands for bitwise OR; `BELOW + ABOVE` for
//! `BOUNDED_BELOW + BOUNDED_ABOVE`.)
//!
//! | port | name | lower | upper | hint |
//! |-----:|------|------:|------:|------|
//! |  0 | `Gain` | 0 | | `BOUNDED_BELOW + LOGARITHMIC + DEFAULT_1` |
//! |  1 | `Input` (audio input) | | | |
//! |  2 | `Output` (audio output) | | | |
//! |  3 | `NaN Low` | NaN | NaN | `BELOW + ABOVE + DEFAULT_LOW` |
//! |  4 | `NaN Middle` | NaN | NaN | `BELOW + ABOVE + DEFAULT_MIDDLE` |
//! |  5 | `NaN High` | NaN | NaN | `BELOW + ABOVE + DEFAULT_HIGH` |
//! |  6 | `NaN Minimum` | NaN | 1 | `BELOW + ABOVE + DEFAULT_MINIMUM` |
//! |  7 | `NaN No Default` | NaN | NaN | `BELOW + ABOVE` |
//! |  8 | `NaN Below Only` | NaN | | `BOUNDED_BELOW` |
//! |  9 | `Infinite Middle` | −inf | +inf | `BELOW + ABOVE + DEFAULT_MIDDLE` |
//! | 10 | `Plus Infinity Middle` | 0 | +inf | `BELOW + ABOVE + DEFAULT_MIDDLE` |
//! | 11 | `Minus Infinity Middle` | −inf | 0 | `BELOW + ABOVE + DEFAULT_MIDDLE` |
//! | 12 | `Infinite Maximum` | 0 | +inf | `BELOW + ABOVE + DEFAULT_MAXIMUM` |
//! | 13 | `Inverted Log Low` | 100 | 1 | `BELOW + ABOVE + LOGARITHMIC + DEFAULT_LOW` |
//! | 14 | `Negative Log Middle` | −10 | 10 | `BELOW + ABOVE + LOGARITHMIC + DEFAULT_MIDDLE` |
//! | 15 | `Huge Rate High` | `f32::MAX` | `f32::MAX` | `BELOW + ABOVE + SAMPLE_RATE + DEFAULT_HIGH` |
//! | 16 | `Subnormal Log Middle` | 1e−45 | 1e−40 | `BELOW + ABOVE + LOGARITHMIC + DEFAULT_MIDDLE` |
//! | 17 | `NaN Integer` | NaN | NaN | `BELOW + ABOVE + INTEGER + DEFAULT_MINIMUM` |

use core::ffi::c_ulong;

use ladspa_testplugins::Counters;
use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

const BOTH: LADSPA_PortRangeHintDescriptor = LADSPA_HINT_BOUNDED_BELOW | LADSPA_HINT_BOUNDED_ABOVE;
const INF: LADSPA_Data = LADSPA_Data::INFINITY;
const NAN: LADSPA_Data = LADSPA_Data::NAN;

/// The number of ports.
const PORT_COUNT: usize = 18;

static PORTS: PortTable<PORT_COUNT> = PortTable::new([
    Port::control_in(c"Gain", AMP_GAIN_HINT, 0.0, 0.0),
    Port::audio_in(c"Input"),
    Port::audio_out(c"Output"),
    Port::control_in(c"NaN Low", BOTH | LADSPA_HINT_DEFAULT_LOW, NAN, NAN),
    Port::control_in(c"NaN Middle", BOTH | LADSPA_HINT_DEFAULT_MIDDLE, NAN, NAN),
    Port::control_in(c"NaN High", BOTH | LADSPA_HINT_DEFAULT_HIGH, NAN, NAN),
    Port::control_in(c"NaN Minimum", BOTH | LADSPA_HINT_DEFAULT_MINIMUM, NAN, 1.0),
    Port::control_in(c"NaN No Default", BOTH, NAN, NAN),
    Port::control_in(c"NaN Below Only", LADSPA_HINT_BOUNDED_BELOW, NAN, 0.0),
    Port::control_in(
        c"Infinite Middle",
        BOTH | LADSPA_HINT_DEFAULT_MIDDLE,
        -INF,
        INF,
    ),
    Port::control_in(
        c"Plus Infinity Middle",
        BOTH | LADSPA_HINT_DEFAULT_MIDDLE,
        0.0,
        INF,
    ),
    Port::control_in(
        c"Minus Infinity Middle",
        BOTH | LADSPA_HINT_DEFAULT_MIDDLE,
        -INF,
        0.0,
    ),
    Port::control_in(
        c"Infinite Maximum",
        BOTH | LADSPA_HINT_DEFAULT_MAXIMUM,
        0.0,
        INF,
    ),
    Port::control_in(
        c"Inverted Log Low",
        BOTH | LADSPA_HINT_LOGARITHMIC | LADSPA_HINT_DEFAULT_LOW,
        100.0,
        1.0,
    ),
    Port::control_in(
        c"Negative Log Middle",
        BOTH | LADSPA_HINT_LOGARITHMIC | LADSPA_HINT_DEFAULT_MIDDLE,
        -10.0,
        10.0,
    ),
    Port::control_in(
        c"Huge Rate High",
        BOTH | LADSPA_HINT_SAMPLE_RATE | LADSPA_HINT_DEFAULT_HIGH,
        LADSPA_Data::MAX,
        LADSPA_Data::MAX,
    ),
    Port::control_in(
        c"Subnormal Log Middle",
        BOTH | LADSPA_HINT_LOGARITHMIC | LADSPA_HINT_DEFAULT_MIDDLE,
        1e-45,
        1e-40,
    ),
    Port::control_in(
        c"NaN Integer",
        BOTH | LADSPA_HINT_INTEGER | LADSPA_HINT_DEFAULT_MINIMUM,
        NAN,
        NAN,
    ),
]);

static NAN_HINTS: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    activate: Some(activate),
    ..descriptor::<NanHints, PORT_COUNT>(
        Info {
            unique_id: 7400,
            label: c"tp_nan_hints",
            name: c"Test NaN Hints",
            properties: 0,
        },
        &PORTS,
        &COUNTERS,
    )
});

ladspa_testplugins::export_descriptors!(&NAN_HINTS);

/// Counts the control inputs of `io` that hold NaN or an infinity.
fn count_non_finite_controls(io: &Io<'_>) {
    for (port, &descriptor) in PORTS.descriptors.iter().enumerate() {
        if LADSPA_IS_PORT_CONTROL(descriptor)
            && LADSPA_IS_PORT_INPUT(descriptor)
            && !io.control(port).is_finite()
        {
            Counters::bump(&io.counters().non_finite_controls);
        }
    }
}

/// `activate`: the generic one, then a look at the controls (some real plugins compute their
/// coefficients from them here).
///
/// # Safety
///
/// As [`ladspa_testplugins::kit::activate()`].
unsafe extern "C" fn activate(handle: LADSPA_Handle) {
    // SAFETY: forwarded from this function's contract.
    unsafe { ladspa_testplugins::kit::activate::<NanHints>(handle) };
    // SAFETY: the generic `activate` has returned; an `Io` of 0 samples reads only the control
    // ports, which the LADSPA contract of `activate` has connected to one value each.
    let io = unsafe { connected::<NanHints>(handle, 0) };
    count_non_finite_controls(&io);
}

/// An amplifier (ports 0, 1, 2) that checks its controls on every run.
struct NanHints;

impl Plugin for NanHints {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        count_non_finite_controls(io);
        let gain = io.control(0);
        for i in 0..io.len() {
            io.write(2, i, io.read(1, i) * gain);
        }
    }
}
