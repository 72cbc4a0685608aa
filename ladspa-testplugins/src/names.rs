//! The plugin files of this package by kind (reference, broken, hostile, lethal, the
//! validator's fixtures), what each bad descriptor gets wrong, and the values the hostile
//! fixtures share with the tests that check them.

/// The names (file stems) of the well-behaved plugin files, found in [`reference_dir()`](crate::reference_dir).
pub const REFERENCE_PLUGINS: &[&str] = &[
    "tp_amp",
    "tp_delay",
    "tp_sine",
    "tp_noise",
    "tp_adding",
    "tp_inplace_broken",
    "tp_hints",
    "tp_recorder",
    "tp_latency",
    "tp_fanout",
    "tp_meter",
];

/// The names (file stems) of the broken fixtures, found in [`broken_dir()`](crate::broken_dir).
pub const BROKEN_PLUGINS: &[&str] = &[
    "tp_bad_descriptors",
    "tp_no_symbol",
    "tp_no_descriptors",
    "tp_endless",
    "tp_instantiate_fails",
];

/// The names (file stems) of the hostile fixtures, found in [`hostile_dir()`](crate::hostile_dir).
pub const HOSTILE_PLUGINS: &[&str] = &[
    "tp_nan_hints",
    "tp_zero_run",
    "tp_outside_run",
    "tp_fpenv",
    "tp_static_descriptor",
    "tp_overlap",
    "tp_thread",
    "tp_shared_names",
    "tp_latin1_label",
];

/// The names (file stems) of the lethal fixtures, found in [`lethal_dir()`](crate::lethal_dir): each ends or
/// freezes the process that loads it (see [`lethal`](crate::lethal)).
pub const LETHAL_PLUGINS: &[&str] = &[
    "tp_ctor_abort",
    "tp_ctor_segv",
    "tp_ctor_exit",
    "tp_descriptor_segv",
    "tp_descriptor_sleep",
];

/// The names (file stems) of the validator's fixtures, found in [`validator_fixture_dir()`](crate::validator_fixture_dir):
/// `tp_v_<check>` fails (or warns in) exactly the `ladspa-validate` check `<check>` (with
/// `-` for `_`), and `tp_v_clean` passes every check. Each file's source says what it does.
pub const VALIDATOR_FIXTURES: &[&str] = &[
    "tp_v_clean",
    "tp_v_load",
    "tp_v_instantiate_rates",
    "tp_v_cleanup_unactivated",
    "tp_v_buffer_overrun",
    "tp_v_input_written",
    "tp_v_write_outside_run",
    "tp_v_zero_length",
    "tp_v_non_finite_output",
    "tp_v_denormal_output",
    "tp_v_reset",
    "tp_v_determinism",
    "tp_v_inplace",
    "tp_v_block_size",
    "tp_v_run_adding",
    "tp_v_control_range",
    "tp_v_rt_safety",
    "tp_v_fp_environment",
];

/// What `tp_outside_run.so` writes to every sample of its output in `activate`, `deactivate`
/// and `cleanup`: a value no test signal holds, so a buffer that received it shows it.
pub const OUTSIDE_RUN_MARKER: f32 = 12345.0;

/// How many samples `tp_outside_run.so` reads from its input and writes to its output in
/// `activate`, `deactivate` and `cleanup`: a realistic block size, within the host's promise
/// (issue 9) that every audio port points at memory for a block of that size outside runs.
pub const OUTSIDE_RUN_SAMPLES: usize = 4096;

/// The symbol through which `tp_overlap.so` hands out the intervals its lifecycle calls ran
/// in: `extern "C" fn(out: *mut [u64; 2], max: usize) -> usize` copies up to `max` intervals
/// `[enter, exit]` (nanoseconds of `CLOCK_MONOTONIC`, so comparable across files) to `out`, in
/// the order the calls began, and returns how many it copied.
pub const OVERLAP_INTERVALS_SYMBOL: &str = "tp_overlap_intervals";

/// The most intervals `tp_overlap.so` records; calls beyond that many are counted but not
/// recorded.
pub const OVERLAP_MAX_INTERVALS: usize = 16384;

/// What `ladspa_descriptor(index)` of `tp_bad_descriptors.so` returns, by index: the label (or
/// `"(null)"` when the label is the NULL under test) and the defect (`"none"` for the valid
/// descriptors). Index `BAD_DESCRIPTORS.len()` returns NULL.
///
/// The invalid descriptors have unique IDs 7101 to 7119 in this order; `tp_good_neighbour` is
/// 7100, `tp_latin1` 7120 and `tp_good_tail` 7121. Every valid one is amplifier-like (port 0
/// "Gain" control input, 1 "Input" audio input, 2 "Output" audio output), and every invalid one
/// starts from that layout, so "port 1" in a defect is the port named "Input".
pub const BAD_DESCRIPTORS: &[(&str, &str)] = &[
    ("tp_good_neighbour", "none"),
    ("(null)", "Label is NULL"),
    ("bad_null_name", "Name is NULL"),
    ("bad_null_maker", "Maker is NULL"),
    ("bad_null_copyright", "Copyright is NULL"),
    ("bad_null_port_descriptors", "PortDescriptors is NULL"),
    ("bad_null_port_names", "PortNames is NULL"),
    ("bad_null_port_range_hints", "PortRangeHints is NULL"),
    ("bad_null_port_name", "PortNames[1] is NULL"),
    (
        "bad_port_input_and_output",
        "port 1 is both input and output",
    ),
    (
        "bad_port_no_direction",
        "port 1 is neither input nor output",
    ),
    (
        "bad_port_audio_and_control",
        "port 1 is both audio and control",
    ),
    ("bad_port_no_kind", "port 1 is neither audio nor control"),
    ("bad_null_instantiate", "instantiate is NULL"),
    ("bad_null_connect_port", "connect_port is NULL"),
    ("bad_null_run", "run is NULL"),
    ("bad_null_cleanup", "cleanup is NULL"),
    (
        "bad_run_adding_without_gain",
        "run_adding without set_run_adding_gain",
    ),
    (
        "bad_gain_without_run_adding",
        "set_run_adding_gain without run_adding",
    ),
    (
        "bad_huge_port_count",
        "PortCount is 1 << 40 with 3-element port arrays",
    ),
    (
        "tp_latin1",
        "none (Name and one port name are Latin-1, not UTF-8)",
    ),
    ("tp_good_tail", "none"),
];
