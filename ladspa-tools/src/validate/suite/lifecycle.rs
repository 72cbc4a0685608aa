//! Checks of the lifecycle calls: `instantiate-rates`, `cleanup-unactivated`,
//! `write-outside-run`, `zero-length`.

use super::outcome::{Outcome, fail, not_instantiated, pass, skip, warn};
use super::rig::{RATE, Rig, Subject, scratch_written};
use super::signal::{Layout, noise_inputs, process};

/// The sample rates of `instantiate-rates`.
const RATES: [u32; 6] = [8000, 22_050, 44_100, 48_000, 96_000, 192_000];

/// What the scratch buffers hold in `write-outside-run` and `zero-length`: a finite value no
/// plugin writes by chance (a NaN would poison the state of plugins that read their inputs in
/// `activate`, and spoil nothing this check looks at, but make its messages unreadable).
pub(crate) const UNTOUCHED: f32 = 1234.5677;

/// `instantiate-rates`: instantiate, activate, run 1024 samples of noise, clean up at each
/// rate. NULL from `instantiate` is legal for a rate a plugin cannot do: a warning, except at
/// 44100 and 48000 Hz, which every host uses. Crashes and hangs are the parent's to report.
pub(crate) fn instantiate_rates(subject: &Subject<'_>) -> Outcome {
    let mut refused = Vec::new();
    for rate in RATES {
        match Rig::new(subject, rate) {
            Ok(mut rig) => {
                rig.activate();
                let inputs = noise_inputs(&rig, 1024);
                process(&mut rig, &inputs, 1024, Layout::Separate, |_| {});
                rig.cleanup();
            }
            Err(error) => refused.push((rate, error)),
        }
    }
    if refused
        .iter()
        .any(|&(rate, _)| rate == 44_100 || rate == 48_000)
    {
        let rates: Vec<String> = refused.iter().map(|(rate, _)| rate.to_string()).collect();
        fail(format!(
            "instantiate returned NULL at {} Hz",
            rates.join(", ")
        ))
    } else if !refused.is_empty() {
        let rates: Vec<String> = refused.iter().map(|(rate, _)| rate.to_string()).collect();
        warn(format!(
            "instantiate returned NULL at {} Hz",
            rates.join(", ")
        ))
    } else {
        pass(format!("ran at {RATES:?} Hz"))
    }
}

/// `cleanup-unactivated`: `instantiate`, then `cleanup` at once (no port connected, no
/// `activate`): the shortest legal life of an instance.
pub(crate) fn cleanup_unactivated(subject: &Subject<'_>) -> Outcome {
    match Rig::instantiate(subject, RATE, false, 0.0) {
        Ok(rig) => {
            rig.cleanup();
            pass("instantiate then cleanup: no crash")
        }
        Err(error) => not_instantiated(error),
    }
}

/// `write-outside-run`: every audio port points at a buffer of
/// [`SCRATCH`](super::rig::SCRATCH) samples holding [`UNTOUCHED`] (its negation for outputs)
/// outside runs; after each of
/// `connect_port`, `activate`, `connect_port` again (after runs on other buffers),
/// `deactivate` and `cleanup`, every sample must still hold it.
pub(crate) fn write_outside_run(subject: &Subject<'_>) -> Outcome {
    if subject.audio_in.is_empty() && subject.audio_out.is_empty() {
        return skip("no audio port");
    }
    let mut rig = match Rig::instantiate(subject, RATE, true, UNTOUCHED) {
        Ok(rig) => rig,
        Err(error) => return not_instantiated(error),
    };
    let mut found = Vec::new();
    let mut look = |rig: &mut Rig<'_, '_>, step: &str| {
        if let Some(what) = rig.scratch_written(UNTOUCHED) {
            found.push(format!("{step} wrote {what}"));
        }
    };
    look(&mut rig, "connect_port");
    rig.activate();
    look(&mut rig, "activate");
    let inputs = noise_inputs(&rig, 4096);
    process(&mut rig, &inputs, 1024, Layout::Separate, |_| {});
    look(&mut rig, "connect_port (after a run)");
    rig.deactivate();
    look(&mut rig, "deactivate");
    let mut leftovers = rig.cleanup();
    if let Some(what) = scratch_written(subject, &mut leftovers.scratch, UNTOUCHED) {
        found.push(format!("cleanup wrote {what}"));
    }
    if found.is_empty() {
        pass("no audio buffer written outside run")
    } else {
        fail(found.join("; "))
    }
}

/// `zero-length`: a run of 0 samples on buffers of 16 samples holding [`UNTOUCHED`] (inputs)
/// and its negation (outputs) leaves them so; then a run of 0 samples with every audio port
/// pointing at a page the process may neither read nor write must not fault (a host may pass
/// any pointer, even a dangling one, for an empty block: plugins that read or write sample 0
/// anyway die there, reported by the parent as a SIGSEGV in that step).
pub(crate) fn zero_length(subject: &Subject<'_>) -> Outcome {
    let mut rig = match Rig::new(subject, RATE) {
        Ok(rig) => rig,
        Err(error) => return not_instantiated(error),
    };
    rig.activate();
    let audio = subject.audio_ports();
    let mut buffers: Vec<Vec<f32>> = audio
        .iter()
        .map(|port| {
            vec![
                if subject.audio_out.contains(port) {
                    -UNTOUCHED
                } else {
                    UNTOUCHED
                };
                16
            ]
        })
        .collect();
    let ports: Vec<(usize, *mut f32)> = audio
        .iter()
        .zip(&mut buffers)
        .map(|(&port, buffer)| (port, buffer.as_mut_ptr()))
        .collect();
    rig.run_on(0, &ports);
    let written = scratch_written(subject, &mut remap(&audio, buffers, subject), UNTOUCHED);
    if let Some(what) = written {
        rig.cleanup();
        return fail(format!("a run of 0 samples wrote {what}"));
    }
    let Some(page) = InaccessiblePage::new() else {
        rig.cleanup();
        return pass("a run of 0 samples wrote nothing (no inaccessible page to check reads)");
    };
    let ports: Vec<(usize, *mut f32)> = audio.iter().map(|&port| (port, page.address())).collect();
    rig.note = " on inaccessible buffers".to_owned();
    rig.run_on(0, &ports);
    rig.note.clear();
    rig.cleanup();
    pass("a run of 0 samples touched no buffer")
}

/// One page mapped without access rights: any load or store to it faults.
struct InaccessiblePage(*mut libc::c_void);

impl InaccessiblePage {
    fn new() -> Option<Self> {
        // SAFETY: an anonymous private mapping of one page with no access; the result is
        // checked.
        let address = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                4096,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        (address != libc::MAP_FAILED).then_some(Self(address))
    }

    fn address(&self) -> *mut f32 {
        self.0.cast()
    }
}

impl Drop for InaccessiblePage {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `new`, unmapped once; the ports that pointed at it were
        // connected back to the rig's own memory after the run.
        unsafe { libc::munmap(self.0, 4096) };
    }
}

/// `buffers` (one per port of `ports`) placed at their port numbers, for
/// [`scratch_written`]'s messages.
fn remap(ports: &[usize], buffers: Vec<Vec<f32>>, subject: &Subject<'_>) -> Vec<Vec<f32>> {
    let mut all = vec![Vec::new(); subject.descriptor.port_count()];
    for (&port, buffer) in ports.iter().zip(buffers) {
        all[port] = buffer;
    }
    all
}
