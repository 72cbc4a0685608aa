//! An instance driven by raw calls through `ladspa_host::sys`, inside a worker process.
//!
//! The safe `Handle` API protects a host from exactly what the validator has to observe (it
//! points audio ports at its own buffers outside runs, restores the FP register, refuses NaN
//! controls), so the checks call the C functions of [`Descriptor::as_raw`] themselves. Outside
//! runs every audio port points at a scratch buffer of [`SCRATCH`] samples that belongs to the
//! rig, as a careful host's would: a plugin that touches its buffers in `activate` then fails
//! only the check that looks for that. Every call is announced to the parent first (its step),
//! and the FP control register is restored after it, its change recorded
//! ([`Rig::fp_changes`]).

use std::ffi::c_ulong;

use ladspa_host::Descriptor;
use ladspa_host::sys;

use super::fp;
use super::interpose::{self, Counts};

/// The length of the scratch buffers audio ports point at outside runs: more than any block a
/// plugin may assume in `activate` (tests' hostile plugins touch 4096 samples there).
pub(crate) const SCRATCH: usize = 8192;

/// The sample rate of every check but `instantiate-rates`.
pub(crate) const RATE: u32 = 48_000;

/// Where a check says what it is about to do before each call into the plugin, so that the
/// process running it can tell in which step a plugin crashed or hung (in a worker: the pipe to
/// the parent, [`Channel`](crate::validate::protocol::Channel)).
pub(crate) trait Steps {
    /// The next call into the plugin is `step`.
    fn step(&self, step: &str);
    /// A long check makes progress (its timeout starts again).
    fn alive(&self);
}

/// What a check needs to know of the plugin type under test.
pub(crate) struct Subject<'a> {
    /// The validated descriptor (metadata).
    pub(crate) descriptor: &'a Descriptor,
    /// The C descriptor.
    pub(crate) raw: &'a sys::LADSPA_Descriptor,
    /// Where the checks say their steps.
    pub(crate) steps: &'a dyn Steps,
    /// Audio input port numbers.
    pub(crate) audio_in: Vec<usize>,
    /// Audio output port numbers.
    pub(crate) audio_out: Vec<usize>,
    /// Control input port numbers.
    pub(crate) control_in: Vec<usize>,
    /// Control output port numbers.
    pub(crate) control_out: Vec<usize>,
    /// How loading the file (its constructors) changed the FP control register, if it did.
    pub(crate) load_fp_change: Option<String>,
}

impl<'a> Subject<'a> {
    /// The subject for `descriptor`.
    pub(crate) fn new(
        descriptor: &'a Descriptor,
        steps: &'a dyn Steps,
        load_fp_change: Option<String>,
    ) -> Self {
        // SAFETY: `as_raw` points at the descriptor the loaded file returned, which stays
        // valid while `descriptor` (which holds the file loaded) lives.
        let raw = unsafe { &*descriptor.as_raw() };
        let select = |audio: bool, input: bool| {
            descriptor
                .ports()
                .filter(|p| p.is_audio() == audio && p.is_input() == input)
                .map(|p| p.index())
                .collect()
        };
        Self {
            descriptor,
            raw,
            steps,
            audio_in: select(true, true),
            audio_out: select(true, false),
            control_in: select(false, true),
            control_out: select(false, false),
            load_fp_change,
        }
    }

    /// Every audio port number, inputs first.
    pub(crate) fn audio_ports(&self) -> Vec<usize> {
        self.audio_in
            .iter()
            .chain(&self.audio_out)
            .copied()
            .collect()
    }

    /// A port's name, for messages.
    pub(crate) fn port_name(&self, port: usize) -> String {
        self.descriptor
            .port(port)
            .map(|p| p.name().to_string_lossy().into_owned())
            .unwrap_or_else(|| format!("port {port}"))
    }

    /// Whether the descriptor has the property bit `flag`.
    pub(crate) fn has_property(&self, flag: sys::LADSPA_Properties) -> bool {
        self.raw.Properties & flag != 0
    }
}

/// One instance.
pub(crate) struct Rig<'s, 'a> {
    subject: &'s Subject<'a>,
    handle: sys::LADSPA_Handle,
    /// One value per port (control ports point here), never moved.
    controls: Vec<f32>,
    /// One buffer per port (audio ports point here outside runs), never moved.
    scratch: Vec<Vec<f32>>,
    active: bool,
    /// Calls after which the FP control register differed: "step: before → after".
    pub(crate) fp_changes: Vec<String>,
    /// Whether runs are watched for allocations and locks.
    pub(crate) watch_runs: bool,
    /// What the watched runs did.
    pub(crate) counted: Counts,
    /// Added to the step of every run (the control setting under test, for example).
    pub(crate) note: String,
}

/// What is left of a rig after `cleanup`, for the checks that look at it.
pub(crate) struct Leftovers {
    /// The scratch buffers (one per port, empty for control ports).
    pub(crate) scratch: Vec<Vec<f32>>,
    /// As [`Rig::fp_changes`].
    pub(crate) fp_changes: Vec<String>,
}

impl<'s, 'a> Rig<'s, 'a> {
    /// Instantiates at `rate` and connects every port: controls to their default values (the
    /// host's initial value where there is none), audio ports to the scratch buffers (silence).
    pub(crate) fn new(subject: &'s Subject<'a>, rate: u32) -> Result<Self, String> {
        Self::instantiate(subject, rate, true, 0.0)
    }

    /// Instantiates at `rate`; connects every port when `connect` is set. The scratch buffers
    /// of inputs hold `scratch_value` in every sample, those of outputs its negation (so that
    /// a plugin that copies an input to an output changes something).
    pub(crate) fn instantiate(
        subject: &'s Subject<'a>,
        rate: u32,
        connect: bool,
        scratch_value: f32,
    ) -> Result<Self, String> {
        let note = if rate == RATE {
            String::new()
        } else {
            format!(" at {rate} Hz")
        };
        let ports = subject.descriptor.port_count();
        let controls = subject
            .descriptor
            .ports()
            .map(|p| {
                if p.is_control() && p.is_input() {
                    p.hint().initial_value(rate)
                } else {
                    0.0
                }
            })
            .collect();
        let scratch = subject
            .descriptor
            .ports()
            .map(|p| {
                let value = if p.is_output() {
                    -scratch_value
                } else {
                    scratch_value
                };
                vec![value; if p.is_audio() { SCRATCH } else { 0 }]
            })
            .collect();
        let mut rig = Self {
            subject,
            handle: std::ptr::null_mut(),
            controls,
            scratch,
            active: false,
            fp_changes: Vec::new(),
            watch_runs: false,
            counted: Counts::default(),
            note,
        };
        let instantiate = subject.raw.instantiate.ok_or("instantiate is NULL")?;
        let handle = rig.call("instantiate", || {
            // SAFETY: the validated descriptor's own function, with its own descriptor.
            unsafe { instantiate(subject.raw, c_ulong::from(rate)) }
        });
        if handle.is_null() {
            return Err(format!("instantiate returned NULL at {rate} Hz"));
        }
        rig.handle = handle;
        if connect {
            for port in 0..ports {
                rig.connect_home(port);
            }
        }
        Ok(rig)
    }

    /// The raw handle, for checks that call the plugin's functions themselves.
    pub(crate) fn subject(&self) -> &'s Subject<'a> {
        self.subject
    }

    /// Announces `step`, calls `f` (a call into the plugin), restores the FP control register
    /// and records its change.
    pub(crate) fn call<R>(&mut self, step: &str, f: impl FnOnce() -> R) -> R {
        if self.note.is_empty() {
            self.subject.steps.step(step);
        } else {
            self.subject.steps.step(&format!("{step}{}", self.note));
        }
        let before = fp::read();
        let result = f();
        let after = fp::read();
        if after != before {
            fp::write(before);
            self.fp_changes
                .push(format!("{step}: {before:#x} → {after:#x}"));
        }
        result
    }

    /// Connects `port` to `data` (raw pointer: the plugin keeps it).
    pub(crate) fn connect(&mut self, port: usize, data: *mut f32) {
        let connect = self
            .subject
            .raw
            .connect_port
            .expect("validated: connect_port is set");
        let handle = self.handle;
        self.call("connect_port", || {
            // SAFETY: a live instance, a port number below PortCount, and memory that stays
            // valid until the port is connected elsewhere (the caller's buffer for one run,
            // else the rig's own).
            unsafe { connect(handle, port as c_ulong, data) }
        });
    }

    /// Connects `port` back to the rig's own memory (its control value or scratch buffer).
    pub(crate) fn connect_home(&mut self, port: usize) {
        let is_audio = !self.scratch[port].is_empty();
        let data = if is_audio {
            self.scratch[port].as_mut_ptr()
        } else {
            // SAFETY: `port` is below the port count, the length of `controls`.
            unsafe { self.controls.as_mut_ptr().add(port) }
        };
        self.connect(port, data);
    }

    /// Sets a control input's value (read by the plugin at its next call).
    pub(crate) fn set_control(&mut self, port: usize, value: f32) {
        self.controls[port] = value;
    }

    /// A control port's value (outputs: what the plugin wrote).
    pub(crate) fn control(&self, port: usize) -> f32 {
        self.controls[port]
    }

    /// `activate`, when the plugin has one.
    pub(crate) fn activate(&mut self) {
        if let Some(activate) = self.subject.raw.activate {
            let handle = self.handle;
            // SAFETY: a live, inactive instance with every port connected.
            self.call("activate", || unsafe { activate(handle) });
        }
        self.active = true;
    }

    /// `deactivate`, when the plugin has one.
    pub(crate) fn deactivate(&mut self) {
        if let Some(deactivate) = self.subject.raw.deactivate {
            let handle = self.handle;
            // SAFETY: a live, active instance.
            self.call("deactivate", || unsafe { deactivate(handle) });
        }
        self.active = false;
    }

    /// Runs `samples` with the audio ports of `buffers` connected to the given memory, which
    /// must hold `samples` samples; afterwards they point at the rig's scratch again.
    pub(crate) fn run_on(&mut self, samples: usize, buffers: &[(usize, *mut f32)]) {
        self.run_kind(samples, buffers, None);
    }

    /// As [`Rig::run_on`], with `run_adding` (the caller checked that it exists).
    pub(crate) fn run_adding_on(&mut self, samples: usize, buffers: &[(usize, *mut f32)]) {
        self.run_kind(samples, buffers, self.subject.raw.run_adding);
    }

    fn run_kind(
        &mut self,
        samples: usize,
        buffers: &[(usize, *mut f32)],
        adding: Option<unsafe extern "C" fn(sys::LADSPA_Handle, c_ulong)>,
    ) {
        for &(port, data) in buffers {
            self.connect(port, data);
        }
        let function = adding.unwrap_or(self.subject.raw.run.expect("validated: run is set"));
        let handle = self.handle;
        let step = if adding.is_some() {
            "run_adding"
        } else {
            "run"
        };
        let watch = self.watch_runs;
        let step = format!("{step} ({samples} samples)");
        let counts = self.call(&step, || {
            // SAFETY: a live, active instance whose ports all point at memory of at least
            // `samples` samples (the caller's contract) or at the rig's own.
            let call = || unsafe { function(handle, samples as c_ulong) };
            if watch {
                interpose::watching(call).1
            } else {
                call();
                Counts::default()
            }
        });
        self.counted.allocations += counts.allocations;
        self.counted.locks += counts.locks;
        for &(port, _) in buffers {
            self.connect_home(port);
        }
    }

    /// `set_run_adding_gain` (the caller checked that it exists).
    pub(crate) fn set_run_adding_gain(&mut self, gain: f32) {
        if let Some(set_gain) = self.subject.raw.set_run_adding_gain {
            let handle = self.handle;
            // SAFETY: a live instance.
            self.call("set_run_adding_gain", || unsafe { set_gain(handle, gain) });
        }
    }

    /// Deactivates if active, then `cleanup`.
    pub(crate) fn cleanup(mut self) -> Leftovers {
        self.finish();
        Leftovers {
            scratch: std::mem::take(&mut self.scratch),
            fp_changes: std::mem::take(&mut self.fp_changes),
        }
    }

    /// The first scratch sample (of an audio port) that no longer holds `value`, as
    /// "'port' sample i"; the scratch is filled with `value` again.
    pub(crate) fn scratch_written(&mut self, value: f32) -> Option<String> {
        scratch_written(self.subject, &mut self.scratch, value)
    }

    fn finish(&mut self) {
        if self.handle.is_null() {
            return;
        }
        if self.active {
            self.deactivate();
        }
        let cleanup = self.subject.raw.cleanup.expect("validated: cleanup is set");
        let handle = self.handle;
        // SAFETY: a live, inactive instance, cleaned up once (the handle is forgotten).
        self.call("cleanup", || unsafe { cleanup(handle) });
        self.handle = std::ptr::null_mut();
    }
}

impl Drop for Rig<'_, '_> {
    fn drop(&mut self) {
        self.finish();
    }
}

/// As [`Rig::scratch_written`], for the scratch buffers of a rig that is gone (or any
/// buffers placed at their port numbers); output ports' buffers are compared with `-value`.
pub(crate) fn scratch_written(
    subject: &Subject<'_>,
    scratch: &mut [Vec<f32>],
    value: f32,
) -> Option<String> {
    let mut found = None;
    for (port, buffer) in scratch.iter_mut().enumerate() {
        let value = if subject.audio_out.contains(&port) {
            -value
        } else {
            value
        };
        if let Some(i) = buffer.iter().position(|v| v.to_bits() != value.to_bits()) {
            found.get_or_insert_with(|| {
                format!("'{}' sample {i} = {}", subject.port_name(port), buffer[i])
            });
            buffer.fill(value);
        }
    }
    found
}
