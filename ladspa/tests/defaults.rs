//! Default values of ports: the laws of LADSPA 1.1's definition (property tests), the SDK's
//! formulas where the header leaves them open (bound values without their flags, logarithms of
//! zero) and the host's rule where they give no number, and tables of the values Debian's
//! `analyseplugin` prints.

use ladspa_host::{DefaultKind, RangeHint};
use ladspa_host_sys as sys;
use proptest::prelude::*;

fn hint(flags: i32, lower: f32, upper: f32) -> RangeHint {
    RangeHint::from_raw(sys::LADSPA_PortRangeHint {
        HintDescriptor: flags,
        LowerBound: lower,
        UpperBound: upper,
    })
}

const BOUNDED: i32 = sys::LADSPA_HINT_BOUNDED_BELOW | sys::LADSPA_HINT_BOUNDED_ABOVE;
const BETWEEN_BOUNDS: [i32; 5] = [
    sys::LADSPA_HINT_DEFAULT_MINIMUM,
    sys::LADSPA_HINT_DEFAULT_LOW,
    sys::LADSPA_HINT_DEFAULT_MIDDLE,
    sys::LADSPA_HINT_DEFAULT_HIGH,
    sys::LADSPA_HINT_DEFAULT_MAXIMUM,
];

/// The defaults analyseplugin prints (its `%g`, six significant digits) for hints of the
/// Debian SDK's example plugins and for the classic logarithmic middle.
#[test]
fn defaults_match_what_analyseplugin_prints() {
    let log = sys::LADSPA_HINT_LOGARITHMIC;
    let table: &[(RangeHint, u32, f32)] = &[
        // "10 to 20000, default 447.214, logarithmic"
        (
            hint(
                BOUNDED | log | sys::LADSPA_HINT_DEFAULT_MIDDLE,
                10.0,
                20000.0,
            ),
            44100,
            447.214,
        ),
        // amp.so "Gain": "0 to ..., default 1, logarithmic"
        (
            hint(
                sys::LADSPA_HINT_BOUNDED_BELOW | log | sys::LADSPA_HINT_DEFAULT_1,
                0.0,
                0.0,
            ),
            44100,
            1.0,
        ),
        // delay.so "Delay (Seconds)": "0 to 5, default 1"
        (
            hint(BOUNDED | sys::LADSPA_HINT_DEFAULT_1, 0.0, 5.0),
            44100,
            1.0,
        ),
        // delay.so "Dry/Wet Balance": "0 to 1, default 0.5"
        (
            hint(BOUNDED | sys::LADSPA_HINT_DEFAULT_MIDDLE, 0.0, 1.0),
            44100,
            0.5,
        ),
        // filter.so / sine.so frequency: "0 to 0.5*srate, default 440, logarithmic"
        (
            hint(
                BOUNDED | sys::LADSPA_HINT_SAMPLE_RATE | log | sys::LADSPA_HINT_DEFAULT_440,
                0.0,
                0.5,
            ),
            44100,
            440.0,
        ),
        // Linear interpolation: 0.25/0.5/0.75 of the way.
        (
            hint(BOUNDED | sys::LADSPA_HINT_DEFAULT_LOW, -10.0, 10.0),
            44100,
            -5.0,
        ),
        (
            hint(BOUNDED | sys::LADSPA_HINT_DEFAULT_HIGH, -10.0, 10.0),
            44100,
            5.0,
        ),
        (
            hint(BOUNDED | sys::LADSPA_HINT_DEFAULT_MINIMUM, -10.0, 10.0),
            44100,
            -10.0,
        ),
        (
            hint(BOUNDED | sys::LADSPA_HINT_DEFAULT_MAXIMUM, -10.0, 10.0),
            44100,
            10.0,
        ),
        // Geometric: exp(0.75 ln 10 + 0.25 ln 20000) = 66.874, exp(0.25 ln 10 + 0.75 ln 20000) = 2990.7
        (
            hint(BOUNDED | log | sys::LADSPA_HINT_DEFAULT_LOW, 10.0, 20000.0),
            44100,
            66.874,
        ),
        (
            hint(BOUNDED | log | sys::LADSPA_HINT_DEFAULT_HIGH, 10.0, 20000.0),
            44100,
            2990.7,
        ),
        // SAMPLE_RATE: bounds scaled before interpolating (0.5 * 0.5 * 48000).
        (
            hint(
                BOUNDED | sys::LADSPA_HINT_SAMPLE_RATE | sys::LADSPA_HINT_DEFAULT_MIDDLE,
                0.0,
                0.5,
            ),
            48000,
            12000.0,
        ),
        (
            hint(
                BOUNDED | sys::LADSPA_HINT_SAMPLE_RATE | sys::LADSPA_HINT_DEFAULT_MAXIMUM,
                0.0,
                0.5,
            ),
            44100,
            22050.0,
        ),
        // SAMPLE_RATE and LOGARITHMIC: geometric middle of 0.001*sr .. 0.5*sr.
        (
            hint(
                BOUNDED | sys::LADSPA_HINT_SAMPLE_RATE | log | sys::LADSPA_HINT_DEFAULT_MIDDLE,
                0.001,
                0.5,
            ),
            48000,
            1073.3126,
        ),
        // INTEGER rounds: 0.25 of 0..11 is 2.75 -> 3, 0.5 is 5.5 -> 6 (half away from zero).
        (
            hint(
                BOUNDED | sys::LADSPA_HINT_INTEGER | sys::LADSPA_HINT_DEFAULT_LOW,
                0.0,
                11.0,
            ),
            44100,
            3.0,
        ),
        (
            hint(
                BOUNDED | sys::LADSPA_HINT_INTEGER | sys::LADSPA_HINT_DEFAULT_MIDDLE,
                0.0,
                11.0,
            ),
            44100,
            6.0,
        ),
        // Constants ignore the bounds and the sample rate.
        (
            hint(
                BOUNDED | sys::LADSPA_HINT_SAMPLE_RATE | sys::LADSPA_HINT_DEFAULT_100,
                0.0,
                0.5,
            ),
            44100,
            100.0,
        ),
        (
            hint(
                sys::LADSPA_HINT_TOGGLED | sys::LADSPA_HINT_DEFAULT_0,
                0.0,
                0.0,
            ),
            44100,
            0.0,
        ),
    ];
    for (hint, sample_rate, expected) in table {
        let value = hint
            .default_value(*sample_rate)
            .unwrap_or_else(|| panic!("{hint:?} has a default"));
        let tolerance = expected.abs().max(1.0) * 1e-5;
        assert!(
            (value - expected).abs() <= tolerance,
            "{hint:?} at {sample_rate} Hz: {value} != {expected}"
        );
    }
}

#[test]
fn no_default_when_none_or_an_undefined_kind_is_declared() {
    assert_eq!(hint(BOUNDED, 0.0, 1.0).default_value(44100), None);
    assert_eq!(hint(BOUNDED, 0.0, 1.0).default_kind(), DefaultKind::None);
    // An undefined value under the default mask is no default.
    assert_eq!(
        hint(BOUNDED | 0x300, 0.0, 1.0).default_kind(),
        DefaultKind::None
    );
    assert_eq!(hint(BOUNDED | 0x300, 0.0, 1.0).default_value(44100), None);
}

/// The SDK (and sox, Ardour, Carla, PipeWire) reads the bound values whatever the
/// `BOUNDED_*` flags say; the range shown stays as declared.
#[test]
fn bound_values_count_without_their_bounded_flags() {
    let below = sys::LADSPA_HINT_BOUNDED_BELOW;
    // cmt's grain_scatter "Density (Grains/s)", hint 0x141: "0 to ..., default 10".
    let density = hint(below | sys::LADSPA_HINT_DEFAULT_MAXIMUM, 0.0, 10.0);
    assert_eq!(density.default_value(44100), Some(10.0));
    assert_eq!(density.bounds_at(44100), (Some(0.0), None));
    assert_eq!(density.upper_bound(), None);
    // cmt's compress_peak "Compression Ratio", hint 0xc2: "... to 1, default 0.5".
    let ratio = hint(
        sys::LADSPA_HINT_BOUNDED_ABOVE | sys::LADSPA_HINT_DEFAULT_MIDDLE,
        0.0,
        1.0,
    );
    assert_eq!(ratio.default_value(44100), Some(0.5));
    // DEFAULT_MINIMUM needs only the lower bound (dahdsr's "Delay Time (s)", hint 0x41).
    let minimum = hint(below | sys::LADSPA_HINT_DEFAULT_MINIMUM, 0.25, 0.0);
    assert_eq!(minimum.default_value(44100), Some(0.25));
    // No flag at all, and the sample rate on top.
    let middle = hint(
        sys::LADSPA_HINT_SAMPLE_RATE | sys::LADSPA_HINT_DEFAULT_MIDDLE,
        0.0,
        0.5,
    );
    assert_eq!(middle.default_value(48000), Some(12000.0));
    assert_eq!(middle.bounds_at(48000), (None, None));
    // What the hint does not declare it does not clamp to.
    assert_eq!(density.clamp(1e6, 44100), 1e6);
}

/// A logarithmic default with a zero bound is that bound (ln 0 = −∞), as in every host:
/// 1,371 of Debian's control inputs (most of lsp's, cmt's freeverb3 "Damping").
#[test]
fn a_logarithmic_default_with_a_zero_bound_is_that_bound() {
    let log = BOUNDED | sys::LADSPA_HINT_LOGARITHMIC;
    for kind in [
        sys::LADSPA_HINT_DEFAULT_LOW,
        sys::LADSPA_HINT_DEFAULT_MIDDLE,
        sys::LADSPA_HINT_DEFAULT_HIGH,
    ] {
        assert_eq!(hint(log | kind, 0.0, 10.0).default_value(44100), Some(0.0));
        // Reversed bounds: the zero is the upper one.
        assert_eq!(hint(log | kind, 10.0, 0.0).default_value(44100), Some(0.0));
        let at_rate = hint(log | sys::LADSPA_HINT_SAMPLE_RATE | kind, 0.0, 0.5);
        assert_eq!(at_rate.default_value(48000), Some(0.0));
    }
    assert_eq!(
        hint(log | sys::LADSPA_HINT_DEFAULT_MAXIMUM, 0.0, 10.0).default_value(44100),
        Some(10.0)
    );
}

/// Where the SDK's formula has no logarithm to take (a negative bound: it gives NaN, or for
/// the middle of two negative bounds a positive value outside them), the default is linear.
#[test]
fn a_logarithmic_range_with_a_negative_bound_is_interpolated_linearly() {
    let log = BOUNDED | sys::LADSPA_HINT_LOGARITHMIC;
    let cases = [
        (sys::LADSPA_HINT_DEFAULT_LOW, -10.0, 10.0, -5.0),
        (sys::LADSPA_HINT_DEFAULT_MIDDLE, -10.0, 10.0, 0.0),
        (sys::LADSPA_HINT_DEFAULT_HIGH, -10.0, 10.0, 5.0),
        // The SDK: sqrt(-100 * -1) = 10, outside the range.
        (sys::LADSPA_HINT_DEFAULT_MIDDLE, -100.0, -1.0, -50.5),
        (sys::LADSPA_HINT_DEFAULT_LOW, -100.0, 0.0, -75.0),
    ];
    for (kind, lower, upper, expected) in cases {
        let h = hint(log | kind, lower, upper);
        assert_eq!(h.default_value(44100), Some(expected), "{h:?}");
    }
}

/// The SDK multiplies by the sample rate after interpolating, in single precision; so does
/// the host, to the bit.
#[test]
fn sample_rate_defaults_are_the_interpolated_value_times_the_rate() {
    for kind in BETWEEN_BOUNDS {
        for log in [0, sys::LADSPA_HINT_LOGARITHMIC] {
            let flags = BOUNDED | log | kind;
            let unscaled = hint(flags, 0.001, 0.5).default_value(1).unwrap();
            let scaled = hint(flags | sys::LADSPA_HINT_SAMPLE_RATE, 0.001, 0.5);
            for rate in [1, 22050, 44100, 48000, 96000, 192_000] {
                assert_eq!(scaled.default_value(rate), Some(unscaled * rate as f32));
            }
        }
    }
}

#[test]
fn clamp_respects_declared_bounds_only() {
    let h = hint(
        sys::LADSPA_HINT_BOUNDED_BELOW | sys::LADSPA_HINT_SAMPLE_RATE,
        0.1,
        0.0,
    );
    assert_eq!(h.clamp(-5.0, 1000), 100.0);
    assert_eq!(h.clamp(1e9, 1000), 1e9);
    assert_eq!(h.bounds_at(1000), (Some(100.0), None));
}

/// Bounds as a host meets them: finite, ordered, sometimes negative.
fn bounds() -> impl Strategy<Value = (f32, f32)> {
    (-1.0e4_f32..1.0e4, 1.0e-3_f32..2.0e4).prop_map(|(lower, width)| (lower, lower + width))
}

fn positive_bounds() -> impl Strategy<Value = (f32, f32)> {
    (1.0e-3_f32..1.0e3, 1.001_f32..1.0e3).prop_map(|(lower, ratio)| (lower, lower * ratio))
}

fn sample_rate() -> impl Strategy<Value = u32> {
    prop_oneof![
        Just(1_u32),
        Just(22050),
        Just(44100),
        Just(48000),
        Just(96000),
        1_u32..400_000
    ]
}

fn defaults_between_bounds(flags: i32, (lower, upper): (f32, f32), rate: u32) -> Vec<f32> {
    BETWEEN_BOUNDS
        .iter()
        .map(|kind| {
            hint(BOUNDED | flags | kind, lower, upper)
                .default_value(rate)
                .expect("bounded")
        })
        .collect()
}

proptest! {
    #[test]
    fn defaults_lie_within_the_bounds_at_the_sample_rate(
        (lower, upper) in bounds(),
        flags in prop_oneof![Just(0), Just(sys::LADSPA_HINT_LOGARITHMIC), Just(sys::LADSPA_HINT_SAMPLE_RATE), Just(sys::LADSPA_HINT_SAMPLE_RATE | sys::LADSPA_HINT_LOGARITHMIC)],
        rate in sample_rate(),
    ) {
        let (low_bound, high_bound) = hint(BOUNDED | flags, lower, upper).bounds_at(rate);
        let (low_bound, high_bound) = (low_bound.unwrap(), high_bound.unwrap());
        for value in defaults_between_bounds(flags, (lower, upper), rate) {
            prop_assert!(low_bound <= value && value <= high_bound, "{value} outside {low_bound}..{high_bound}");
        }
    }

    #[test]
    fn minimum_low_middle_high_maximum_are_in_order(
        (lower, upper) in bounds(),
        log in any::<bool>(),
        rate in sample_rate(),
    ) {
        let flags = if log { sys::LADSPA_HINT_LOGARITHMIC } else { 0 };
        let values = defaults_between_bounds(flags, (lower, upper), rate);
        prop_assert!(values.windows(2).all(|pair| pair[0] <= pair[1]), "{values:?}");
        prop_assert_eq!(values[0], hint(BOUNDED, lower, upper).bounds_at(rate).0.unwrap());
        prop_assert_eq!(values[4], hint(BOUNDED, lower, upper).bounds_at(rate).1.unwrap());
    }

    #[test]
    fn low_middle_high_are_strictly_ordered_on_a_wide_range(
        (lower, upper) in positive_bounds().prop_filter("wide", |(l, u)| u / l > 1.1),
        log in any::<bool>(),
    ) {
        let flags = if log { sys::LADSPA_HINT_LOGARITHMIC } else { 0 };
        let values = defaults_between_bounds(flags, (lower, upper), 48000);
        prop_assert!(values[1] < values[2] && values[2] < values[3], "{values:?}");
    }

    #[test]
    fn logarithmic_defaults_are_geometric(
        (lower, upper) in positive_bounds(),
    ) {
        let values = defaults_between_bounds(sys::LADSPA_HINT_LOGARITHMIC, (lower, upper), 44100);
        // The middle is the geometric mean: middle² = lower·upper.
        let (lower, upper, middle) = (f64::from(lower), f64::from(upper), f64::from(values[2]));
        prop_assert!(((middle * middle) / (lower * upper) - 1.0).abs() < 1e-5);
    }

    #[test]
    fn integer_defaults_are_integers_within_integer_bounds(
        lower in -1000_i32..1000,
        width in 0_i32..1000,
        kind in proptest::sample::select(BETWEEN_BOUNDS.to_vec()),
        log in any::<bool>(),
    ) {
        let (lower, upper) = (lower as f32, (lower + width) as f32);
        let flags = BOUNDED | sys::LADSPA_HINT_INTEGER | kind | if log { sys::LADSPA_HINT_LOGARITHMIC } else { 0 };
        let value = hint(flags, lower, upper).default_value(44100).unwrap();
        prop_assert_eq!(value, value.round());
        prop_assert!(lower <= value && value <= upper);
    }

    #[test]
    fn constant_defaults_ignore_bounds_and_rate(
        (lower, upper) in bounds(),
        rate in sample_rate(),
        flags in 0_i32..0x40,
    ) {
        for (kind, value) in [(sys::LADSPA_HINT_DEFAULT_0, 0.0), (sys::LADSPA_HINT_DEFAULT_1, 1.0), (sys::LADSPA_HINT_DEFAULT_100, 100.0), (sys::LADSPA_HINT_DEFAULT_440, 440.0)] {
            prop_assert_eq!(hint(flags | kind, lower, upper).default_value(rate), Some(value));
        }
    }
}

/// Any `f32` a plugin could declare as a bound, weighted towards the troublesome ones: NaN
/// (quiet and signalling, any sign), the infinities, subnormals, the extremes, zero of both
/// signs, and every other bit pattern.
fn any_bound() -> impl Strategy<Value = f32> {
    prop_oneof![
        Just(f32::NAN),
        Just(-f32::NAN),
        Just(f32::from_bits(0x7f80_0001)), // a signalling NaN
        Just(f32::INFINITY),
        Just(f32::NEG_INFINITY),
        Just(f32::MAX),
        Just(f32::MIN),
        Just(f32::MIN_POSITIVE),
        Just(1.0e-40), // subnormal
        Just(-1.0e-40),
        Just(0.0),
        Just(-0.0),
        any::<u32>().prop_map(f32::from_bits),
        -1.0e6_f32..1.0e6,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    /// Nothing a plugin declares makes the hint functions panic, and what they give a host to
    /// send is a finite number: every bit of the hint descriptor, every bound, any rate.
    #[test]
    fn no_hint_panics_or_gives_a_non_finite_value(
        flags in any::<i32>(),
        lower in any_bound(),
        upper in any_bound(),
        rate in prop_oneof![Just(0_u32), Just(u32::MAX), any::<u32>(), sample_rate()],
        value in any_bound(),
    ) {
        let h = hint(flags, lower, upper);
        if let Some(default) = h.default_value(rate) {
            prop_assert!(default.is_finite(), "default {default} of {h:?} at {rate} Hz");
        }
        let initial = h.initial_value(rate);
        prop_assert!(initial.is_finite(), "initial value {initial} of {h:?} at {rate} Hz");
        let _ = (h.flags(), h.default_kind(), h.bounds_at(rate));
        let clamped = h.clamp(value, rate);
        prop_assert_eq!(clamped.is_nan(), value.is_nan(), "clamp({}) of {:?} gave {}", value, h, clamped);
        // Where both bounds are real numbers in order, a clamped value lies between them.
        if let (Some(lower), Some(upper)) = h.bounds_at(rate) {
            if lower.is_finite() && upper.is_finite() && lower <= upper && !value.is_nan() {
                prop_assert!(lower <= clamped && clamped <= upper);
            }
        }
    }

    /// A default between bounds exists exactly when the bounds it needs are finite.
    #[test]
    fn defaults_between_non_finite_bounds_do_not_exist(
        kind in proptest::sample::select(vec![sys::LADSPA_HINT_DEFAULT_LOW, sys::LADSPA_HINT_DEFAULT_MIDDLE, sys::LADSPA_HINT_DEFAULT_HIGH]),
        finite in -1.0e4_f32..1.0e4,
        bad in proptest::sample::select(vec![f32::NAN, f32::INFINITY, f32::NEG_INFINITY]),
        bad_is_lower in any::<bool>(),
        flags in proptest::sample::select(vec![0, sys::LADSPA_HINT_LOGARITHMIC, sys::LADSPA_HINT_INTEGER, sys::LADSPA_HINT_SAMPLE_RATE]),
    ) {
        let (lower, upper) = if bad_is_lower { (bad, finite) } else { (finite, bad) };
        let h = hint(BOUNDED | flags | kind, lower, upper);
        prop_assert_eq!(h.default_value(44100), None);
        prop_assert!(h.initial_value(44100).is_finite());
    }
}

/// The cases the hardening issue found in real plugins, named: NaN bounds with a default
/// between them made `default_value` panic ("min > max, or either was NaN").
#[test]
fn nan_bounds_with_a_default_between_them_give_no_default() {
    for kind in BETWEEN_BOUNDS {
        let h = hint(BOUNDED | kind, f32::NAN, f32::NAN);
        assert_eq!(h.default_value(48000), None, "{h:?}");
        assert_eq!(h.initial_value(48000), 0.0);
    }
    // Reversed bounds: the default still lies between them, and nothing panics.
    let reversed = hint(
        BOUNDED | sys::LADSPA_HINT_DEFAULT_LOW | sys::LADSPA_HINT_LOGARITHMIC,
        100.0,
        1.0,
    );
    let low = reversed.default_value(48000).unwrap();
    assert!((1.0..=100.0).contains(&low), "{low}");
    // Bounds that overflow f32 at the sample rate give no default, and a finite initial value.
    let huge = hint(
        BOUNDED | sys::LADSPA_HINT_SAMPLE_RATE | sys::LADSPA_HINT_DEFAULT_HIGH,
        0.0,
        f32::MAX,
    );
    assert_eq!(huge.default_value(48000), None);
    assert!(huge.initial_value(48000).is_finite());
}

/// The SDK's formulas through the real loader, in every place a default reaches: the
/// descriptor's ports, `initial_controls`, a new instance's controls and the catalog's records
/// (`tp_hint_edges`: bound values without their flags, logarithms of zero, and the host's own
/// rule where the SDK gives no finite number).
#[test]
fn instances_and_the_catalog_start_controls_at_the_sdks_defaults() {
    let path = ladspa_testplugins::reference_plugin("tp_hints");
    // SAFETY: the test plugins are trusted code.
    let plugin = unsafe { ladspa_host::Plugin::load(&path) }.unwrap();
    let edges = plugin.find_label("tp_hint_edges").unwrap();
    let rate = 48_000;
    let expected = [
        (0, 0.25),   // DEFAULT_MINIMUM needs only the lower bound
        (1, 10.0),   // the upper value, unflagged
        (2, 0.5),    // between an unflagged lower value and the upper bound
        (3, 6000.0), // 0.125 × the rate, neither bound flagged
        (4, 0.0),    // logarithmic, from 0: the zero bound
        (5, 0.0),    // (the SDK's analyseplugin prints 0 for all four)
        (6, 0.0),    //
        (7, 0.0),    //
        (8, -5.0),   // logarithmic across 0: linear (the SDK gives NaN)
        (9, -50.5),  // logarithmic, negative: linear (the SDK: 10, outside the range)
        (10, 6.0),   // INTEGER: 5.5 rounded
    ];
    let defaults: Vec<(usize, f32)> = edges
        .ports()
        .filter_map(|p| Some((p.index(), p.hint().default_value(rate)?)))
        .collect();
    assert_eq!(defaults, expected);
    assert_eq!(edges.initial_controls(rate), expected);
    let handle = edges.instantiate(rate).unwrap();
    for (index, value) in expected {
        assert_eq!(handle.control(index).unwrap(), value, "port {index}");
    }
    // The range stays as declared.
    let density = edges.port(1).unwrap().hint();
    assert_eq!(density.bounds_at(rate), (Some(0.0), None));

    #[cfg(feature = "catalog")]
    {
        let catalog = ladspa_host::catalog::Scanner::new()
            .without_cache()
            .scan_files([&path])
            .unwrap();
        let record = catalog.find_label("tp_hint_edges").unwrap();
        let recorded: Vec<(usize, f32)> = record
            .ports()
            .iter()
            .filter_map(|p| Some((p.index(), p.hint().default_value(rate)?)))
            .collect();
        assert_eq!(recorded, expected);
    }
}
