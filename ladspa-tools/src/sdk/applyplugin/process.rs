//! The processing loop over the SDK's buffer layout: the chain instantiated and activated as
//! the SDK does it, then every block of the input (and of the silence after it) run in place
//! through each plugin, and written out.

use std::io::{BufReader, Write};

use ladspa_host::ActiveHandle;

use ladspa_host::audio::{FileId, reason};

use super::block::BLOCK;
use super::command_line::{Failure, Stage};
use super::progress::Progress;
use super::wav_in::{HEADER_BUFFER, Input};
use super::wav_out::Output;
use crate::sdk::c_format::c_g;

/// Runs the input file through the chain into the output file, and prints the peak.
pub(super) fn process(
    input: &str,
    output: &str,
    seconds: f32,
    chain: &[Stage],
) -> Result<(), Failure> {
    let (first, last) = (&chain[0].descriptor, &chain[chain.len() - 1].descriptor);
    let out_channels = last.audio_output_count();
    if out_channels == 0 {
        return Err(format!(
            "the last plugin, {}, has no audio outputs",
            last.label()
        ));
    }
    let file = std::fs::File::open(input);
    let input_id = file
        .as_ref()
        .ok()
        .and_then(|file| FileId::of_file(file).ok());
    let reader = file
        .map_err(hound::Error::from)
        .and_then(|file| hound::WavReader::new(BufReader::with_capacity(HEADER_BUFFER, file)))
        .map_err(|e| {
            let why = match e {
                hound::Error::IoError(e) => reason(&e),
                other => other.to_string(),
            };
            format!("cannot open input file \"{input}\": {why}")
        })?;
    let spec = reader.spec();
    if (spec.sample_format, spec.bits_per_sample) != (hound::SampleFormat::Int, 16) {
        return Err(format!(
            "input file \"{input}\" holds {}-bit {:?} samples; only 16-bit PCM WAV is supported",
            spec.bits_per_sample, spec.sample_format
        ));
    }
    let in_channels = usize::from(spec.channels);
    if in_channels != first.audio_input_count() {
        return Err(format!(
            "input file \"{input}\" has {in_channels} channel(s), but the first plugin, {}, \
             has {} audio input(s)",
            first.label(),
            first.audio_input_count()
        ));
    }
    for pair in chain.windows(2) {
        let (a, b) = (&pair[0].descriptor, &pair[1].descriptor);
        if a.audio_output_count() != b.audio_input_count() {
            return Err(format!(
                "{} has {} audio output(s), but the next plugin, {}, has {} audio input(s)",
                a.label(),
                a.audio_output_count(),
                b.label(),
                b.audio_input_count()
            ));
        }
    }
    // The SDK writes a file only of a type it knows by the name's last `.` suffix.
    let suffix = output.rsplit_once('.').map(|(_, suffix)| suffix);
    if !suffix.is_some_and(|s| s.eq_ignore_ascii_case("wav")) {
        return Err(format!(
            "cannot write \"{output}\": only .wav output files are supported"
        ));
    }
    let rate = spec.sample_rate;
    let input_id = input_id.ok_or_else(|| format!("cannot read input file \"{input}\""))?;
    // The SDK's count of frames of silence; a WAV file holds at most 4 GiB of samples.
    let silence = f64::from(seconds * rate as f32);
    let limit = f64::from(u32::MAX) / (2 * out_channels) as f64;
    if silence > limit {
        return Err(format!(
            "-s{seconds}: that much silence does not fit in a WAV file (at most {} s at {rate} Hz)",
            (limit / f64::from(rate)).floor()
        ));
    }
    let silence = silence as u64;
    let frames = u64::from(reader.duration()) + silence;
    let mut writer =
        Output::create(output, input_id, out_channels, rate, frames).map_err(|e| e.to_string())?;

    let mut handles = Vec::with_capacity(chain.len());
    for stage in chain {
        let mut handle = stage
            .descriptor
            .instantiate(rate)
            .map_err(|e| e.to_string())?;
        let ports = stage
            .descriptor
            .ports()
            .filter(|p| p.is_control() && p.is_input());
        for (port, &value) in ports.zip(&stage.controls) {
            handle
                .set_control(port.index(), value)
                .map_err(|e| e.to_string())?;
        }
        handles.push(handle);
    }
    // Activated together, after every instance is made, as the SDK does.
    let mut handles: Vec<(ActiveHandle, usize)> = handles
        .into_iter()
        .map(|handle| {
            let d = handle.descriptor();
            let width = d.audio_input_count().max(d.audio_output_count());
            (handle.activate(), width)
        })
        .collect();

    // The SDK's buffers: as many as the widest plugin of the chain has audio inputs or
    // outputs, each plugin's audio input k and audio output k on buffer k. The input file
    // fills the first ones; the last plugin's outputs are the first ones too. A buffer past a
    // plugin's ports keeps what earlier plugins left in it, from block to block, as in the SDK.
    let width = handles.iter().map(|&(_, width)| width).max().unwrap_or(0);
    let mut buffers = vec![vec![0.0_f32; BLOCK]; width];
    let mut progress = Progress::new(frames);
    let mut input_data = Input::new(reader, in_channels)
        .map_err(|e| format!("cannot read input file \"{input}\": {}", reason(&e)))?;
    // `None` while the input lasts, then the frames of silence still to write.
    let mut tail: Option<u64> = None;
    while tail != Some(0) {
        if crate::interrupt::requested() {
            return Err(format!("interrupted; \"{output}\" left as it was"));
        }
        let frames = match tail {
            None => {
                // A short read ends the input; its frames (maybe 0) still run, as in the SDK.
                let frames = input_data
                    .read_block(&mut buffers[..in_channels])
                    .map_err(|e| format!("cannot read input file \"{input}\": {}", reason(&e)))?;
                if frames < BLOCK {
                    tail = Some(silence);
                }
                frames
            }
            Some(left) => {
                // The SDK clears every buffer, whole, for each block of silence.
                buffers.iter_mut().for_each(|b| b.fill(0.0));
                let frames = left.min(BLOCK as u64);
                tail = Some(left - frames);
                frames as usize
            }
        };
        for (handle, width) in &mut handles {
            handle
                .run_in_place(frames, &mut buffers[..*width])
                .map_err(|e| e.to_string())?;
        }
        writer
            .write_block(&buffers[..out_channels], frames)
            .map_err(|e| format!("cannot write output file \"{output}\": {}", reason(&e)))?;
        progress.advance(frames as u64);
    }
    drop(handles);
    progress.finish();
    let peak = writer
        .finish()
        .map_err(|e| format!("cannot write output file \"{output}\": {}", reason(&e)))?;
    // The output is in place; a reader that went away misses only this line.
    let _ = writeln!(std::io::stdout(), "Peak output: {}", c_g(f64::from(peak)));
    Ok(())
}
