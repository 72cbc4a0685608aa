//! `tp_recorder.so`: `tp_recorder` (7009, "Test Control Recorder"), a plugin that shows what it
//! saw, for tests of control changes made while it runs and of the lifecycle calls a host makes:
//!
//! - 0 "Value" (control input, default 0);
//! - 1 "Input" (audio input), 2 "Output" (audio output): output = input + the Value of this run;
//! - 3 "Seen" (control output): the Value of the last run;
//! - 4 "Runs" (control output): the runs since the last `activate`, counting this one;
//! - 5 "latency" (control output): always [`LATENCY`] samples, set by every run (of 0 samples
//!   too), the convention hosts read a plugin's latency by;
//! - 6 "Activations" (control output): the `activate` calls since `instantiate`, set by every
//!   run;
//! - 7 "Value at Activate" (control output): the Value the last `activate` read, set by every
//!   run.
//!
//! When the environment variable [`LOG_VARIABLE`] names a file as an instance is made, the
//! instance appends a line to it for each call a host makes of it, in order (for tests of hosts
//! that run in another process): `instantiate <rate>`, `activate Value=<v>`, `run <samples>
//! Value=<v>`, `deactivate`, `cleanup`. Without it, nothing is written.
//!
//! Hard-RT capable (while it does not log); reading every input sample before writing it, so
//! in-place processing works.

use std::io::Write;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

/// The latency the plugin reports, in samples.
const LATENCY: LADSPA_Data = 64.0;

/// The environment variable naming the file each instance logs its calls to.
const LOG_VARIABLE: &str = "TP_RECORDER_LOG";

static PORTS: PortTable<8> = PortTable::new([
    Port::control_in(c"Value", LADSPA_HINT_DEFAULT_0, 0.0, 0.0),
    Port::audio_in(c"Input"),
    Port::audio_out(c"Output"),
    Port::control_out(c"Seen"),
    Port::control_out(c"Runs"),
    Port::control_out(c"latency"),
    Port::control_out(c"Activations"),
    Port::control_out(c"Value at Activate"),
]);

/// The recorder's state: its runs since `activate`, its activations, what it saw there.
struct Recorder {
    runs: u32,
    activations: u32,
    value_at_activate: LADSPA_Data,
    log: Option<std::fs::File>,
}

impl Recorder {
    /// Appends a line to the log, if there is one (a test fixture: a failed write is ignored).
    fn log(&mut self, line: std::fmt::Arguments<'_>) {
        if let Some(file) = &mut self.log {
            let _ = writeln!(file, "{line}");
        }
    }
}

impl Plugin for Recorder {
    fn new(sample_rate: core::ffi::c_ulong) -> Option<Self> {
        let log = std::env::var_os(LOG_VARIABLE).and_then(|path| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .ok()
        });
        let mut recorder = Self {
            runs: 0,
            activations: 0,
            value_at_activate: 0.0,
            log,
        };
        recorder.log(format_args!("instantiate {sample_rate}"));
        Some(recorder)
    }

    fn activate(&mut self) {
        self.runs = 0;
        self.activations += 1;
    }

    fn activated(&mut self, controls: &Io<'_>) {
        self.value_at_activate = controls.control(0);
        let value = self.value_at_activate;
        self.log(format_args!("activate Value={value}"));
    }

    fn deactivate(&mut self) {
        self.log(format_args!("deactivate"));
    }

    fn run(&mut self, io: &Io<'_>) {
        self.runs += 1;
        let value = io.control(0);
        for i in 0..io.len() {
            io.write(2, i, io.read(1, i) + value);
        }
        io.set_control(3, value);
        io.set_control(4, self.runs as LADSPA_Data);
        io.set_control(5, LATENCY);
        io.set_control(6, self.activations as LADSPA_Data);
        io.set_control(7, self.value_at_activate);
        self.log(format_args!("run {} Value={value}", io.len()));
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.log(format_args!("cleanup"));
    }
}

static RECORDER: StaticDescriptor = StaticDescriptor::new(descriptor::<Recorder, 8>(
    Info {
        unique_id: 7009,
        label: c"tp_recorder",
        name: c"Test Control Recorder",
        properties: LADSPA_PROPERTY_HARD_RT_CAPABLE,
    },
    &PORTS,
    &COUNTERS,
));

ladspa_testplugins::export_descriptors!(&RECORDER);
