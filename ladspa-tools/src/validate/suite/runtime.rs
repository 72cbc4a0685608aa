//! Checks of how a plugin runs: `rt-safety`, `fp-environment`, `cpu`.

use std::time::{Duration, Instant};

use ladspa_host::sys::LADSPA_PROPERTY_HARD_RT_CAPABLE;

use super::outcome::{Outcome, fail, not_instantiated, pass, skip, warn};
use super::rig::{RATE, Rig, Subject};
use super::signal::{Layout, noise_inputs, process};
use super::{fp, interpose};

/// `rt-safety`: 16 runs of 1024 samples of noise (the first runs included: a lazy allocation
/// there is one too), with this thread's calls of the allocator and of `pthread_mutex_lock`
/// counted during each `run` call, and (x86-64) its system calls, the runs being on a thread
/// under a seccomp filter ([`syscalls`](super::syscalls)). A failure for `HARD_RT_CAPABLE`
/// plugins, a warning for others.
pub(crate) fn rt_safety(subject: &Subject<'_>) -> Outcome {
    if !interpose::interposed() {
        return skip(
            "this executable does not export its malloc/pthread_mutex_lock (see the validate \
             module's docs), so allocations cannot be seen",
        );
    }
    let runs = || -> Result<interpose::Counts, String> {
        let mut rig = Rig::new(subject, RATE)?;
        rig.activate();
        rig.watch_runs = true;
        let inputs = noise_inputs(&rig, 16 * 1024);
        process(&mut rig, &inputs, 1024, Layout::Separate, |_| {});
        rig.watch_runs = false;
        let counted = rig.counted;
        rig.cleanup();
        Ok(counted)
    };
    #[cfg(all(target_arch = "x86_64", target_os = "linux"))]
    let (counted, syscalls) = match super::syscalls::on_watched_thread(runs) {
        Ok((counted, seen)) => {
            let names: Vec<String> = seen
                .first
                .iter()
                .map(|&n| super::syscalls::name(n))
                .collect();
            (counted, Ok((seen.count, names)))
        }
        Err(why) => (runs(), Err(why)),
    };
    #[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
    let (counted, syscalls): (_, Result<(u64, Vec<String>), String>) =
        (runs(), Err("only on x86-64 Linux".to_owned()));
    let counted = match counted {
        Ok(counted) => counted,
        Err(error) => return not_instantiated(error),
    };
    let mut found = Vec::new();
    if counted.allocations > 0 {
        found.push(format!("{} allocator calls", counted.allocations));
    }
    if counted.locks > 0 {
        found.push(format!("{} mutex locks", counted.locks));
    }
    let syscalls_note = match &syscalls {
        Ok((count, names)) if *count > 0 => {
            found.push(format!(
                "{count} system calls (first: {})",
                names.join(", ")
            ));
            String::new()
        }
        Ok(_) => String::new(),
        Err(why) => format!(" (system calls not checked: {why})"),
    };
    if found.is_empty() {
        return pass(format!(
            "no allocation, mutex lock{} in 16 runs{syscalls_note}",
            if syscalls.is_ok() {
                " or system call"
            } else {
                ""
            }
        ));
    }
    let message = format!("{} inside 16 runs{syscalls_note}", found.join(", "));
    if subject.has_property(LADSPA_PROPERTY_HARD_RT_CAPABLE) {
        fail(format!("{message}, yet the plugin is HARD_RT_CAPABLE"))
    } else {
        warn(format!("{message} (the plugin is not HARD_RT_CAPABLE)"))
    }
}

/// `fp-environment`: loading the file (its constructors, seen by a plain `dlopen` before the
/// checks), then the whole life of an instance (instantiate, connect_port, activate, runs,
/// run_adding when present, deactivate, cleanup), with the FP control register compared
/// before and after each.
pub(crate) fn fp_environment(subject: &Subject<'_>) -> Outcome {
    if !fp::SUPPORTED {
        return skip("no FP control register is read on this architecture");
    }
    let mut rig = match Rig::new(subject, RATE) {
        Ok(rig) => rig,
        Err(error) => return not_instantiated(error),
    };
    rig.activate();
    let inputs = noise_inputs(&rig, 4096);
    process(&mut rig, &inputs, 1024, Layout::Separate, |_| {});
    if subject.raw.run_adding.is_some() {
        rig.set_run_adding_gain(0.5);
        rig.run_adding_on(1024, &[]);
    }
    let mut changes = rig.cleanup().fp_changes;
    if let Some(change) = &subject.load_fp_change {
        changes.insert(0, change.clone());
    }
    match changes.first() {
        Some(first) => fail(format!(
            "the FP control register was left changed {} (every check restores it after each \
             call); first: {first}",
            if changes.len() == 1 {
                "once".to_owned()
            } else {
                format!("{} times", changes.len())
            }
        )),
        None => pass("every call left the FP control register as it found it"),
    }
}

/// `cpu`: noise through an instance at 48 kHz in blocks of 1024, for one second of audio or
/// half a second of time, whichever ends first; the time of the whole loop (the copies of the
/// buffers included, a few nanoseconds per sample).
pub(crate) fn cpu(subject: &Subject<'_>) -> Outcome {
    let mut rig = match Rig::new(subject, RATE) {
        Ok(rig) => rig,
        Err(error) => return not_instantiated(error),
    };
    rig.activate();
    let chunk = 8192;
    let inputs = noise_inputs(&rig, chunk);
    // A first chunk warms caches and lazy initialisation up.
    process(&mut rig, &inputs, 1024, Layout::Separate, |_| {});
    let started = Instant::now();
    let mut samples = 0usize;
    while samples < RATE as usize && started.elapsed() < Duration::from_millis(500) {
        process(&mut rig, &inputs, 1024, Layout::Separate, |_| {});
        samples += chunk;
    }
    let elapsed = started.elapsed();
    rig.cleanup();
    let per_sample = elapsed.as_secs_f64() * 1e9 / samples as f64;
    let factor = 1e9 / (per_sample * f64::from(RATE));
    pass(format!(
        "{per_sample:.1} ns per sample at 48 kHz, {factor:.0}× real time ({samples} samples)"
    ))
}
