//! `tp_hints.so`: `tp_hints` (7008, "Test Hint Matrix"), a plugin whose control inputs cover
//! every range hint flag and default kind, for hosts' hint and default handling (and to compare
//! with what the SDK's `analyseplugin` prints); and `tp_hint_edges` (7015, "Test Hint Edges"),
//! the hints where the header leaves the default to the SDK's formulas (see [`EDGE_PORTS`]).
//!
//! Ports 48 ("Run Count", a control output set to the number of runs since `instantiate`) and
//! 49 ("Output", an audio output that receives zeros) follow the 48 control inputs, which are:
//!
//! - for each default kind (none, minimum, low, middle, high, maximum, 0, 1, 100, 440), one
//!   "plain" port bounded below and above (−1000 to 1000);
//! - for each of minimum, low, middle, high and maximum, one port with `LOGARITHMIC` (10 to
//!   20000: middle is 447.214), one with `SAMPLE_RATE` (0 to 0.5), one with `SAMPLE_RATE` and
//!   `LOGARITHMIC` (0.001 to 0.5) and one with `INTEGER` (0 to 11, so low, middle and high
//!   fall between integers: 2.75, 5.5, 8.25);
//! - `TOGGLED` with default 0, default 1 and no default (no bounds);
//! - bounded below only (by 0), bounded above only (by 1000) and unbounded, each with default
//!   0, 1, 100, 440 and none.
//!
//! (In the hint column, `+` stands for bitwise OR.)
//!
//! | port | name | lower | upper | hint |
//! |-----:|------|------:|------:|------|
//! |  0 | `none plain` | -1000.0 | 1000.0 | `BOUNDED_BELOW + BOUNDED_ABOVE + DEFAULT_NONE` |
//! |  1 | `minimum plain` | -1000.0 | 1000.0 | `BOUNDED_BELOW + BOUNDED_ABOVE + DEFAULT_MINIMUM` |
//! |  2 | `low plain` | -1000.0 | 1000.0 | `BOUNDED_BELOW + BOUNDED_ABOVE + DEFAULT_LOW` |
//! |  3 | `middle plain` | -1000.0 | 1000.0 | `BOUNDED_BELOW + BOUNDED_ABOVE + DEFAULT_MIDDLE` |
//! |  4 | `high plain` | -1000.0 | 1000.0 | `BOUNDED_BELOW + BOUNDED_ABOVE + DEFAULT_HIGH` |
//! |  5 | `maximum plain` | -1000.0 | 1000.0 | `BOUNDED_BELOW + BOUNDED_ABOVE + DEFAULT_MAXIMUM` |
//! |  6 | `default 0 plain` | -1000.0 | 1000.0 | `BOUNDED_BELOW + BOUNDED_ABOVE + DEFAULT_0` |
//! |  7 | `default 1 plain` | -1000.0 | 1000.0 | `BOUNDED_BELOW + BOUNDED_ABOVE + DEFAULT_1` |
//! |  8 | `default 100 plain` | -1000.0 | 1000.0 | `BOUNDED_BELOW + BOUNDED_ABOVE + DEFAULT_100` |
//! |  9 | `default 440 plain` | -1000.0 | 1000.0 | `BOUNDED_BELOW + BOUNDED_ABOVE + DEFAULT_440` |
//! | 10 | `minimum log` | 10.0 | 20000.0 | `BOUNDED_BELOW + BOUNDED_ABOVE + LOGARITHMIC + DEFAULT_MINIMUM` |
//! | 11 | `low log` | 10.0 | 20000.0 | `BOUNDED_BELOW + BOUNDED_ABOVE + LOGARITHMIC + DEFAULT_LOW` |
//! | 12 | `middle log` | 10.0 | 20000.0 | `BOUNDED_BELOW + BOUNDED_ABOVE + LOGARITHMIC + DEFAULT_MIDDLE` |
//! | 13 | `high log` | 10.0 | 20000.0 | `BOUNDED_BELOW + BOUNDED_ABOVE + LOGARITHMIC + DEFAULT_HIGH` |
//! | 14 | `maximum log` | 10.0 | 20000.0 | `BOUNDED_BELOW + BOUNDED_ABOVE + LOGARITHMIC + DEFAULT_MAXIMUM` |
//! | 15 | `minimum srate` | 0.0 | 0.5 | `BOUNDED_BELOW + BOUNDED_ABOVE + SAMPLE_RATE + DEFAULT_MINIMUM` |
//! | 16 | `low srate` | 0.0 | 0.5 | `BOUNDED_BELOW + BOUNDED_ABOVE + SAMPLE_RATE + DEFAULT_LOW` |
//! | 17 | `middle srate` | 0.0 | 0.5 | `BOUNDED_BELOW + BOUNDED_ABOVE + SAMPLE_RATE + DEFAULT_MIDDLE` |
//! | 18 | `high srate` | 0.0 | 0.5 | `BOUNDED_BELOW + BOUNDED_ABOVE + SAMPLE_RATE + DEFAULT_HIGH` |
//! | 19 | `maximum srate` | 0.0 | 0.5 | `BOUNDED_BELOW + BOUNDED_ABOVE + SAMPLE_RATE + DEFAULT_MAXIMUM` |
//! | 20 | `minimum srate log` | 0.001 | 0.5 | `BOUNDED_BELOW + BOUNDED_ABOVE + SAMPLE_RATE + LOGARITHMIC + DEFAULT_MINIMUM` |
//! | 21 | `low srate log` | 0.001 | 0.5 | `BOUNDED_BELOW + BOUNDED_ABOVE + SAMPLE_RATE + LOGARITHMIC + DEFAULT_LOW` |
//! | 22 | `middle srate log` | 0.001 | 0.5 | `BOUNDED_BELOW + BOUNDED_ABOVE + SAMPLE_RATE + LOGARITHMIC + DEFAULT_MIDDLE` |
//! | 23 | `high srate log` | 0.001 | 0.5 | `BOUNDED_BELOW + BOUNDED_ABOVE + SAMPLE_RATE + LOGARITHMIC + DEFAULT_HIGH` |
//! | 24 | `maximum srate log` | 0.001 | 0.5 | `BOUNDED_BELOW + BOUNDED_ABOVE + SAMPLE_RATE + LOGARITHMIC + DEFAULT_MAXIMUM` |
//! | 25 | `minimum integer` | 0.0 | 11.0 | `BOUNDED_BELOW + BOUNDED_ABOVE + INTEGER + DEFAULT_MINIMUM` |
//! | 26 | `low integer` | 0.0 | 11.0 | `BOUNDED_BELOW + BOUNDED_ABOVE + INTEGER + DEFAULT_LOW` |
//! | 27 | `middle integer` | 0.0 | 11.0 | `BOUNDED_BELOW + BOUNDED_ABOVE + INTEGER + DEFAULT_MIDDLE` |
//! | 28 | `high integer` | 0.0 | 11.0 | `BOUNDED_BELOW + BOUNDED_ABOVE + INTEGER + DEFAULT_HIGH` |
//! | 29 | `maximum integer` | 0.0 | 11.0 | `BOUNDED_BELOW + BOUNDED_ABOVE + INTEGER + DEFAULT_MAXIMUM` |
//! | 30 | `toggled default 0` | 0.0 | 0.0 | `TOGGLED + DEFAULT_0` |
//! | 31 | `toggled default 1` | 0.0 | 0.0 | `TOGGLED + DEFAULT_1` |
//! | 32 | `toggled no default` | 0.0 | 0.0 | `TOGGLED + DEFAULT_NONE` |
//! | 33 | `below only default 0` | 0.0 | 0.0 | `BOUNDED_BELOW + DEFAULT_0` |
//! | 34 | `below only default 1` | 0.0 | 0.0 | `BOUNDED_BELOW + DEFAULT_1` |
//! | 35 | `below only default 100` | 0.0 | 0.0 | `BOUNDED_BELOW + DEFAULT_100` |
//! | 36 | `below only default 440` | 0.0 | 0.0 | `BOUNDED_BELOW + DEFAULT_440` |
//! | 37 | `below only no default` | 0.0 | 0.0 | `BOUNDED_BELOW + DEFAULT_NONE` |
//! | 38 | `above only default 0` | 0.0 | 1000.0 | `BOUNDED_ABOVE + DEFAULT_0` |
//! | 39 | `above only default 1` | 0.0 | 1000.0 | `BOUNDED_ABOVE + DEFAULT_1` |
//! | 40 | `above only default 100` | 0.0 | 1000.0 | `BOUNDED_ABOVE + DEFAULT_100` |
//! | 41 | `above only default 440` | 0.0 | 1000.0 | `BOUNDED_ABOVE + DEFAULT_440` |
//! | 42 | `above only no default` | 0.0 | 1000.0 | `BOUNDED_ABOVE + DEFAULT_NONE` |
//! | 43 | `unbounded default 0` | 0.0 | 0.0 | `DEFAULT_0` |
//! | 44 | `unbounded default 1` | 0.0 | 0.0 | `DEFAULT_1` |
//! | 45 | `unbounded default 100` | 0.0 | 0.0 | `DEFAULT_100` |
//! | 46 | `unbounded default 440` | 0.0 | 0.0 | `DEFAULT_440` |
//! | 47 | `unbounded no default` | 0.0 | 0.0 | `DEFAULT_NONE` |

use core::ffi::c_ulong;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

const BOTH: LADSPA_PortRangeHintDescriptor = LADSPA_HINT_BOUNDED_BELOW | LADSPA_HINT_BOUNDED_ABOVE;

/// The number of control inputs.
const INPUTS: usize = 48;

static PORTS: PortTable<50> = PortTable::new([
    Port::control_in(
        c"none plain",
        BOTH | LADSPA_HINT_DEFAULT_NONE,
        -1000.0,
        1000.0,
    ),
    Port::control_in(
        c"minimum plain",
        BOTH | LADSPA_HINT_DEFAULT_MINIMUM,
        -1000.0,
        1000.0,
    ),
    Port::control_in(
        c"low plain",
        BOTH | LADSPA_HINT_DEFAULT_LOW,
        -1000.0,
        1000.0,
    ),
    Port::control_in(
        c"middle plain",
        BOTH | LADSPA_HINT_DEFAULT_MIDDLE,
        -1000.0,
        1000.0,
    ),
    Port::control_in(
        c"high plain",
        BOTH | LADSPA_HINT_DEFAULT_HIGH,
        -1000.0,
        1000.0,
    ),
    Port::control_in(
        c"maximum plain",
        BOTH | LADSPA_HINT_DEFAULT_MAXIMUM,
        -1000.0,
        1000.0,
    ),
    Port::control_in(
        c"default 0 plain",
        BOTH | LADSPA_HINT_DEFAULT_0,
        -1000.0,
        1000.0,
    ),
    Port::control_in(
        c"default 1 plain",
        BOTH | LADSPA_HINT_DEFAULT_1,
        -1000.0,
        1000.0,
    ),
    Port::control_in(
        c"default 100 plain",
        BOTH | LADSPA_HINT_DEFAULT_100,
        -1000.0,
        1000.0,
    ),
    Port::control_in(
        c"default 440 plain",
        BOTH | LADSPA_HINT_DEFAULT_440,
        -1000.0,
        1000.0,
    ),
    Port::control_in(
        c"minimum log",
        BOTH | LADSPA_HINT_LOGARITHMIC | LADSPA_HINT_DEFAULT_MINIMUM,
        10.0,
        20000.0,
    ),
    Port::control_in(
        c"low log",
        BOTH | LADSPA_HINT_LOGARITHMIC | LADSPA_HINT_DEFAULT_LOW,
        10.0,
        20000.0,
    ),
    Port::control_in(
        c"middle log",
        BOTH | LADSPA_HINT_LOGARITHMIC | LADSPA_HINT_DEFAULT_MIDDLE,
        10.0,
        20000.0,
    ),
    Port::control_in(
        c"high log",
        BOTH | LADSPA_HINT_LOGARITHMIC | LADSPA_HINT_DEFAULT_HIGH,
        10.0,
        20000.0,
    ),
    Port::control_in(
        c"maximum log",
        BOTH | LADSPA_HINT_LOGARITHMIC | LADSPA_HINT_DEFAULT_MAXIMUM,
        10.0,
        20000.0,
    ),
    Port::control_in(
        c"minimum srate",
        BOTH | LADSPA_HINT_SAMPLE_RATE | LADSPA_HINT_DEFAULT_MINIMUM,
        0.0,
        0.5,
    ),
    Port::control_in(
        c"low srate",
        BOTH | LADSPA_HINT_SAMPLE_RATE | LADSPA_HINT_DEFAULT_LOW,
        0.0,
        0.5,
    ),
    Port::control_in(
        c"middle srate",
        BOTH | LADSPA_HINT_SAMPLE_RATE | LADSPA_HINT_DEFAULT_MIDDLE,
        0.0,
        0.5,
    ),
    Port::control_in(
        c"high srate",
        BOTH | LADSPA_HINT_SAMPLE_RATE | LADSPA_HINT_DEFAULT_HIGH,
        0.0,
        0.5,
    ),
    Port::control_in(
        c"maximum srate",
        BOTH | LADSPA_HINT_SAMPLE_RATE | LADSPA_HINT_DEFAULT_MAXIMUM,
        0.0,
        0.5,
    ),
    Port::control_in(
        c"minimum srate log",
        BOTH | LADSPA_HINT_SAMPLE_RATE | LADSPA_HINT_LOGARITHMIC | LADSPA_HINT_DEFAULT_MINIMUM,
        0.001,
        0.5,
    ),
    Port::control_in(
        c"low srate log",
        BOTH | LADSPA_HINT_SAMPLE_RATE | LADSPA_HINT_LOGARITHMIC | LADSPA_HINT_DEFAULT_LOW,
        0.001,
        0.5,
    ),
    Port::control_in(
        c"middle srate log",
        BOTH | LADSPA_HINT_SAMPLE_RATE | LADSPA_HINT_LOGARITHMIC | LADSPA_HINT_DEFAULT_MIDDLE,
        0.001,
        0.5,
    ),
    Port::control_in(
        c"high srate log",
        BOTH | LADSPA_HINT_SAMPLE_RATE | LADSPA_HINT_LOGARITHMIC | LADSPA_HINT_DEFAULT_HIGH,
        0.001,
        0.5,
    ),
    Port::control_in(
        c"maximum srate log",
        BOTH | LADSPA_HINT_SAMPLE_RATE | LADSPA_HINT_LOGARITHMIC | LADSPA_HINT_DEFAULT_MAXIMUM,
        0.001,
        0.5,
    ),
    Port::control_in(
        c"minimum integer",
        BOTH | LADSPA_HINT_INTEGER | LADSPA_HINT_DEFAULT_MINIMUM,
        0.0,
        11.0,
    ),
    Port::control_in(
        c"low integer",
        BOTH | LADSPA_HINT_INTEGER | LADSPA_HINT_DEFAULT_LOW,
        0.0,
        11.0,
    ),
    Port::control_in(
        c"middle integer",
        BOTH | LADSPA_HINT_INTEGER | LADSPA_HINT_DEFAULT_MIDDLE,
        0.0,
        11.0,
    ),
    Port::control_in(
        c"high integer",
        BOTH | LADSPA_HINT_INTEGER | LADSPA_HINT_DEFAULT_HIGH,
        0.0,
        11.0,
    ),
    Port::control_in(
        c"maximum integer",
        BOTH | LADSPA_HINT_INTEGER | LADSPA_HINT_DEFAULT_MAXIMUM,
        0.0,
        11.0,
    ),
    Port::control_in(
        c"toggled default 0",
        LADSPA_HINT_TOGGLED | LADSPA_HINT_DEFAULT_0,
        0.0,
        0.0,
    ),
    Port::control_in(
        c"toggled default 1",
        LADSPA_HINT_TOGGLED | LADSPA_HINT_DEFAULT_1,
        0.0,
        0.0,
    ),
    Port::control_in(
        c"toggled no default",
        LADSPA_HINT_TOGGLED | LADSPA_HINT_DEFAULT_NONE,
        0.0,
        0.0,
    ),
    Port::control_in(
        c"below only default 0",
        LADSPA_HINT_BOUNDED_BELOW | LADSPA_HINT_DEFAULT_0,
        0.0,
        0.0,
    ),
    Port::control_in(
        c"below only default 1",
        LADSPA_HINT_BOUNDED_BELOW | LADSPA_HINT_DEFAULT_1,
        0.0,
        0.0,
    ),
    Port::control_in(
        c"below only default 100",
        LADSPA_HINT_BOUNDED_BELOW | LADSPA_HINT_DEFAULT_100,
        0.0,
        0.0,
    ),
    Port::control_in(
        c"below only default 440",
        LADSPA_HINT_BOUNDED_BELOW | LADSPA_HINT_DEFAULT_440,
        0.0,
        0.0,
    ),
    Port::control_in(
        c"below only no default",
        LADSPA_HINT_BOUNDED_BELOW | LADSPA_HINT_DEFAULT_NONE,
        0.0,
        0.0,
    ),
    Port::control_in(
        c"above only default 0",
        LADSPA_HINT_BOUNDED_ABOVE | LADSPA_HINT_DEFAULT_0,
        0.0,
        1000.0,
    ),
    Port::control_in(
        c"above only default 1",
        LADSPA_HINT_BOUNDED_ABOVE | LADSPA_HINT_DEFAULT_1,
        0.0,
        1000.0,
    ),
    Port::control_in(
        c"above only default 100",
        LADSPA_HINT_BOUNDED_ABOVE | LADSPA_HINT_DEFAULT_100,
        0.0,
        1000.0,
    ),
    Port::control_in(
        c"above only default 440",
        LADSPA_HINT_BOUNDED_ABOVE | LADSPA_HINT_DEFAULT_440,
        0.0,
        1000.0,
    ),
    Port::control_in(
        c"above only no default",
        LADSPA_HINT_BOUNDED_ABOVE | LADSPA_HINT_DEFAULT_NONE,
        0.0,
        1000.0,
    ),
    Port::control_in(c"unbounded default 0", LADSPA_HINT_DEFAULT_0, 0.0, 0.0),
    Port::control_in(c"unbounded default 1", LADSPA_HINT_DEFAULT_1, 0.0, 0.0),
    Port::control_in(c"unbounded default 100", LADSPA_HINT_DEFAULT_100, 0.0, 0.0),
    Port::control_in(c"unbounded default 440", LADSPA_HINT_DEFAULT_440, 0.0, 0.0),
    Port::control_in(c"unbounded no default", LADSPA_HINT_DEFAULT_NONE, 0.0, 0.0),
    Port::control_out(c"Run Count"),
    Port::audio_out(c"Output"),
]);

static HINTS: StaticDescriptor = StaticDescriptor::new(descriptor::<Hints, 50>(
    Info {
        unique_id: 7008,
        label: c"tp_hints",
        name: c"Test Hint Matrix",
        properties: LADSPA_PROPERTY_HARD_RT_CAPABLE,
    },
    &PORTS,
    &COUNTERS,
));

/// `tp_hint_edges`'s control inputs, then "Output" (an audio output that receives zeros):
/// defaults whose bound value the hint does not flag `BOUNDED_*` (real plugins: cmt's
/// `grain_scatter`, `compress_peak`, `dahdsr`), logarithmic defaults with a zero bound (most
/// of lsp's, cmt's `freeverb3`) and with negative bounds (where the SDK's formula takes the
/// logarithm of a negative number), and an integer default between two integers.
///
/// | port | name | lower | upper | hint | SDK's default |
/// |-----:|------|------:|------:|------|--------------:|
/// | 0 | `minimum, lower only` | 0.25 | 0 | `BOUNDED_BELOW + DEFAULT_MINIMUM` | 0.25 |
/// | 1 | `maximum, upper unflagged` | 0 | 10 | `BOUNDED_BELOW + DEFAULT_MAXIMUM` | 10 |
/// | 2 | `middle, lower unflagged` | 0 | 1 | `BOUNDED_ABOVE + DEFAULT_MIDDLE` | 0.5 |
/// | 3 | `low, unflagged, srate` | 0 | 0.5 | `SAMPLE_RATE + DEFAULT_LOW` | 0.125 × rate |
/// | 4 | `low log from 0` | 0 | 1000 | `BOUNDED_* + LOGARITHMIC + DEFAULT_LOW` | 0 |
/// | 5 | `middle log from 0` | 0 | 1 | `BOUNDED_* + LOGARITHMIC + DEFAULT_MIDDLE` | 0 |
/// | 6 | `high log from 0, srate` | 0 | 0.5 | `BOUNDED_* + SAMPLE_RATE + LOGARITHMIC + DEFAULT_HIGH` | 0 |
/// | 7 | `middle log to 0` | 100 | 0 | `BOUNDED_* + LOGARITHMIC + DEFAULT_MIDDLE` | 0 |
/// | 8 | `low log across 0` | -10 | 10 | `BOUNDED_* + LOGARITHMIC + DEFAULT_LOW` | NaN |
/// | 9 | `middle log negative` | -100 | -1 | `BOUNDED_* + LOGARITHMIC + DEFAULT_MIDDLE` | 10 |
/// | 10 | `middle integer, unflagged` | 0 | 11 | `INTEGER + DEFAULT_MIDDLE` | 5.5 |
pub const EDGE_PORTS: usize = 11;

static EDGES_PORTS: PortTable<{ EDGE_PORTS + 1 }> = PortTable::new([
    Port::control_in(
        c"minimum, lower only",
        LADSPA_HINT_BOUNDED_BELOW | LADSPA_HINT_DEFAULT_MINIMUM,
        0.25,
        0.0,
    ),
    Port::control_in(
        c"maximum, upper unflagged",
        LADSPA_HINT_BOUNDED_BELOW | LADSPA_HINT_DEFAULT_MAXIMUM,
        0.0,
        10.0,
    ),
    Port::control_in(
        c"middle, lower unflagged",
        LADSPA_HINT_BOUNDED_ABOVE | LADSPA_HINT_DEFAULT_MIDDLE,
        0.0,
        1.0,
    ),
    Port::control_in(
        c"low, unflagged, srate",
        LADSPA_HINT_SAMPLE_RATE | LADSPA_HINT_DEFAULT_LOW,
        0.0,
        0.5,
    ),
    Port::control_in(
        c"low log from 0",
        BOTH | LADSPA_HINT_LOGARITHMIC | LADSPA_HINT_DEFAULT_LOW,
        0.0,
        1000.0,
    ),
    Port::control_in(
        c"middle log from 0",
        BOTH | LADSPA_HINT_LOGARITHMIC | LADSPA_HINT_DEFAULT_MIDDLE,
        0.0,
        1.0,
    ),
    Port::control_in(
        c"high log from 0, srate",
        BOTH | LADSPA_HINT_SAMPLE_RATE | LADSPA_HINT_LOGARITHMIC | LADSPA_HINT_DEFAULT_HIGH,
        0.0,
        0.5,
    ),
    Port::control_in(
        c"middle log to 0",
        BOTH | LADSPA_HINT_LOGARITHMIC | LADSPA_HINT_DEFAULT_MIDDLE,
        100.0,
        0.0,
    ),
    Port::control_in(
        c"low log across 0",
        BOTH | LADSPA_HINT_LOGARITHMIC | LADSPA_HINT_DEFAULT_LOW,
        -10.0,
        10.0,
    ),
    Port::control_in(
        c"middle log negative",
        BOTH | LADSPA_HINT_LOGARITHMIC | LADSPA_HINT_DEFAULT_MIDDLE,
        -100.0,
        -1.0,
    ),
    Port::control_in(
        c"middle integer, unflagged",
        LADSPA_HINT_INTEGER | LADSPA_HINT_DEFAULT_MIDDLE,
        0.0,
        11.0,
    ),
    Port::audio_out(c"Output"),
]);

static EDGES: StaticDescriptor = StaticDescriptor::new(descriptor::<Edges, { EDGE_PORTS + 1 }>(
    Info {
        unique_id: 7015,
        label: c"tp_hint_edges",
        name: c"Test Hint Edges",
        properties: LADSPA_PROPERTY_HARD_RT_CAPABLE,
    },
    &EDGES_PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&HINTS, &EDGES);

struct Hints {
    runs: u32,
}

impl Plugin for Hints {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self { runs: 0 })
    }

    fn run(&mut self, io: &Io<'_>) {
        self.runs = self.runs.saturating_add(1);
        io.set_control(INPUTS, self.runs as LADSPA_Data);
        for i in 0..io.len() {
            io.write(INPUTS + 1, i, 0.0);
        }
    }
}

/// `tp_hint_edges`: zeros on its output.
struct Edges;

impl Plugin for Edges {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        for i in 0..io.len() {
            io.write(EDGE_PORTS, i, 0.0);
        }
    }
}
