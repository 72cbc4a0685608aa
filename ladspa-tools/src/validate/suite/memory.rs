//! Checks of what `run` does to the memory it is given: `buffer-overrun`, `input-written`.

use super::outcome::{Outcome, fail, not_instantiated, pass, skip};
use super::rig::{RATE, Rig, Subject};
use super::signal::noise;

/// Samples of canary before and after every audio buffer.
const GUARD: usize = 64;

/// The canary: a NaN with a payload no arithmetic produces, compared bit for bit.
const CANARY: u32 = 0x7fc0_beef;

/// The block lengths `buffer-overrun` runs, odd ones included (SIMD loops overrun on tails).
const LENGTHS: [usize; 5] = [1000, 1, 37, 4096, 64];

/// `buffer-overrun`: each audio buffer is `GUARD + n + GUARD` samples, the guards holding the
/// canary; after each run of `n` samples (for each of [`LENGTHS`]), every guard sample must
/// still hold it. Reads past a buffer are not seen (valgrind sees them).
pub(crate) fn buffer_overrun(subject: &Subject<'_>) -> Outcome {
    let audio = subject.audio_ports();
    if audio.is_empty() {
        return skip("no audio port");
    }
    let mut rig = match Rig::new(subject, RATE) {
        Ok(rig) => rig,
        Err(error) => return not_instantiated(error),
    };
    rig.activate();
    let canary = f32::from_bits(CANARY);
    let mut found = Vec::new();
    for n in LENGTHS {
        let mut buffers: Vec<Vec<f32>> = audio
            .iter()
            .enumerate()
            .map(|(k, &port)| {
                let mut buffer = vec![canary; GUARD + n + GUARD];
                let body = if subject.audio_in.contains(&port) {
                    noise(k as u32, n)
                } else {
                    vec![0.0; n]
                };
                buffer[GUARD..GUARD + n].copy_from_slice(&body);
                buffer
            })
            .collect();
        let ports: Vec<(usize, *mut f32)> = audio
            .iter()
            .zip(&mut buffers)
            // SAFETY: `GUARD` is within the buffer of `GUARD + n + GUARD` samples.
            .map(|(&port, buffer)| (port, unsafe { buffer.as_mut_ptr().add(GUARD) }))
            .collect();
        rig.run_on(n, &ports);
        for (&port, buffer) in audio.iter().zip(&buffers) {
            let before = buffer[..GUARD].iter().rposition(|v| v.to_bits() != CANARY);
            let after = buffer[GUARD + n..]
                .iter()
                .position(|v| v.to_bits() != CANARY);
            let name = subject.port_name(port);
            if let Some(i) = before {
                found.push(format!(
                    "a run of {n} wrote '{name}'[{}]",
                    i as isize - GUARD as isize
                ));
            }
            if let Some(i) = after {
                found.push(format!("a run of {n} wrote '{name}'[{}]", n + i));
            }
        }
        if !found.is_empty() {
            break;
        }
    }
    rig.cleanup();
    if found.is_empty() {
        pass(format!("no write outside [0, n) for n in {LENGTHS:?}"))
    } else {
        fail(found.join("; "))
    }
}

/// `input-written`: after each of 4 runs of 1024 samples on separate buffers, every audio
/// input holds what it held before the run.
pub(crate) fn input_written(subject: &Subject<'_>) -> Outcome {
    if subject.audio_in.is_empty() {
        return skip("no audio input");
    }
    let mut rig = match Rig::new(subject, RATE) {
        Ok(rig) => rig,
        Err(error) => return not_instantiated(error),
    };
    rig.activate();
    let n = 1024;
    let mut found = None;
    for block in 0..4u32 {
        let originals: Vec<Vec<f32>> = (0..subject.audio_in.len())
            .map(|k| noise(block * 31 + k as u32, n))
            .collect();
        let mut inputs = originals.clone();
        let mut outputs = vec![vec![0.0f32; n]; subject.audio_out.len()];
        let mut ports: Vec<(usize, *mut f32)> = subject
            .audio_in
            .iter()
            .zip(&mut inputs)
            .map(|(&port, buffer)| (port, buffer.as_mut_ptr()))
            .collect();
        ports.extend(
            subject
                .audio_out
                .iter()
                .zip(&mut outputs)
                .map(|(&port, buffer)| (port, buffer.as_mut_ptr())),
        );
        rig.run_on(n, &ports);
        for ((&port, now), before) in subject.audio_in.iter().zip(&inputs).zip(&originals) {
            if let Some(i) = now
                .iter()
                .zip(before)
                .position(|(a, b)| a.to_bits() != b.to_bits())
            {
                found = Some(format!(
                    "run changed input '{}' sample {i}: {} became {}",
                    subject.port_name(port),
                    before[i],
                    now[i]
                ));
                break;
            }
        }
        if found.is_some() {
            break;
        }
    }
    rig.cleanup();
    match found {
        Some(message) => fail(message),
        None => pass("inputs unchanged by 4 runs"),
    }
}
