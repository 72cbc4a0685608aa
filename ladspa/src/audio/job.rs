//! The whole file job behind `ladspa apply` (and the Python package's `ladspa.apply`): an audio
//! file read, run through a chain of plugin stages built for its channels and rate, and written
//! as WAV, with the chain's latency removed, into an output that replaces its target only when
//! the job succeeded.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::error::AudioError;
use super::observer::{JobWarning, Observer, Plan};
use super::output::OutputFile;
use super::pcm::SampleFormat;
use super::read::{AudioFormat, AudioReader};
use super::write::WavWriter;
use crate::chain::{Chain, Mapping};
use crate::descriptor::Descriptor;

/// Where a job reads.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// An audio file.
    Path(&'a Path),
    /// Standard input.
    Stdin,
}

/// Where a job writes (always WAV).
#[derive(Debug, Clone, Copy)]
pub enum Output<'a> {
    /// A file, replaced only when the job succeeded; a FIFO or device is written directly.
    Path(&'a Path),
    /// Standard output, written as a stream (its header says that the length is unknown).
    Stdout,
}

/// One stage of the chain to build: a plugin type, control values by port index, bypass.
#[derive(Debug, Clone)]
pub struct StageSpec {
    /// The plugin type.
    pub descriptor: Descriptor,
    /// `(port index, value)` for the control inputs to set; the others start at their defaults.
    pub controls: Vec<(usize, f32)>,
    /// Whether the stage is bypassed.
    pub bypass: bool,
}

impl StageSpec {
    /// A stage of `descriptor` with its controls at their defaults.
    pub fn new(descriptor: Descriptor) -> Self {
        Self {
            descriptor,
            controls: Vec::new(),
            bypass: false,
        }
    }
}

/// The output's sample format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// The input's (32-bit float for lossy inputs, whose samples have no integer format).
    #[default]
    Same,
    /// This one.
    Sample(SampleFormat),
}

/// How a job runs.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct JobOptions {
    /// The output's sample format.
    pub format: OutputFormat,
    /// Keep the chain's latency (by default the output is shifted to line up with the input,
    /// and is as long).
    pub keep_latency: bool,
    /// Frames per run of the chain.
    pub block: usize,
    /// `fsync` the output before it replaces the target (off by default, as for `cp` and sox:
    /// without it, a power failure before the kernel has written the new file out, within
    /// about half a minute, can leave the output empty or silent).
    pub sync: bool,
}

impl Default for JobOptions {
    fn default() -> Self {
        Self {
            format: OutputFormat::Same,
            keep_latency: false,
            block: 4096,
            sync: false,
        }
    }
}

/// What a finished job did.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Report {
    /// The input's format.
    pub input: AudioFormat,
    /// The output's sample format.
    pub format: SampleFormat,
    /// The output's channels.
    pub channels: usize,
    /// Frames written.
    pub frames: u64,
    /// The largest absolute sample value of the output (before conversion to integers).
    pub peak: f32,
    /// The output's length in time.
    pub duration: Duration,
    /// The chain's latency in frames (removed from the output unless it was kept).
    pub latency: usize,
    /// Samples clipped to full scale in an integer output.
    pub clipped: u64,
}

/// Audio file extensions of formats other than WAV: an output named so would hold WAV under a
/// misleading name.
const OTHER_AUDIO: &[&str] = &[
    "mp3", "flac", "ogg", "oga", "opus", "aif", "aiff", "aifc", "au", "snd", "m4a", "mp4", "aac",
    "wma", "caf", "w64", "mka", "webm", "ac3", "amr", "gsm", "voc", "spx", "wv", "ape",
];

/// Whether `path`'s extension names an audio format other than WAV.
pub fn names_other_audio_format(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| OTHER_AUDIO.contains(&e.to_ascii_lowercase().as_str()))
}

/// Runs `input` through a chain of `stages` into `output` as WAV, with `options`; `observer`
/// follows it. The chain is built for the input's channel count and sample rate (mono plugins
/// replicated per channel, see [`Mapping`]); its latency is removed (the output lines up with
/// the input and is as long) unless [`JobOptions::keep_latency`]; the output's samples are the
/// input's format unless [`JobOptions::format`] says otherwise.
///
/// No data loss: an output that is the input (by device and inode) is refused before anything
/// is opened for writing; a failure or a `Break` from the observer leaves the old output as it
/// was and no temporary file ([`OutputFile`]). The same arguments give the same bytes, whoever
/// calls it: `ladspa apply` is this function behind a command line.
///
/// ```no_run
/// use ladspa_host::audio::{self, Input, JobOptions, Output, StageSpec};
///
/// // SAFETY: loading runs the file's code; Debian's amp.so is trusted.
/// let plugin = unsafe { ladspa_host::Plugin::load("/usr/lib/ladspa/amp.so") }?;
/// let mut amp = StageSpec::new(plugin.find_label("amp_mono")?.clone());
/// amp.controls.push((0, 0.5)); // port 0, Gain
/// let report = audio::process_file(
///     Input::Path("take.wav".as_ref()),
///     Output::Path("quieter.wav".as_ref()),
///     &[amp],
///     &JobOptions::default(),
///     &mut (),
/// )?;
/// println!("{} frames, peak {}", report.frames, report.peak);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn process_file(
    input: Input<'_>,
    output: Output<'_>,
    stages: &[StageSpec],
    options: &JobOptions,
    observer: &mut dyn Observer,
) -> Result<Report, AudioError> {
    let output_name: PathBuf = match output {
        Output::Path(path) => path.to_owned(),
        Output::Stdout => PathBuf::from("-"),
    };
    if let Output::Path(path) = output {
        if names_other_audio_format(path) {
            return Err(AudioError::NotWavName {
                file: path.to_owned(),
            });
        }
    }
    let mut reader = match input {
        Input::Path(path) => AudioReader::open(path)?,
        Input::Stdin => AudioReader::stdin()?,
    };
    let format = reader.format().clone();
    let block = options.block.max(1);
    let mut chain = Chain::new(format.channels, format.sample_rate, block)?;
    for stage in stages {
        let index = chain.add(&stage.descriptor)?;
        for &(port, value) in &stage.controls {
            chain.set_control(index, port, value)?;
        }
        if stage.bypass {
            chain.set_bypass(index, true)?;
        }
    }
    let out_channels = chain.output_channels();
    let sample = match options.format {
        OutputFormat::Sample(sample) => sample,
        OutputFormat::Same => format.sample_format.unwrap_or(SampleFormat::F32),
    };
    let sample = if sample == SampleFormat::F64 {
        SampleFormat::F32
    } else {
        sample
    };
    let plan = Plan {
        input: &format,
        output: (sample, out_channels),
        chain: &chain,
    };
    if observer.started(&plan).is_break() {
        return Err(AudioError::Interrupted { file: output_name });
    }
    let label = |stage: &crate::chain::Stage| stage.descriptor().label().to_string();
    let generators = chain.stages().iter().enumerate();
    let generators = generators.filter(|(_, s)| s.mapping() == Mapping::Generator);
    let mut last_generator = None;
    for (k, stage) in generators {
        last_generator = Some(k);
        observer.warning(&JobWarning::Generator {
            stage: k,
            label: label(stage),
            replaced: stage.channels_in(),
            outputs: stage.channels_out(),
        });
    }
    let changer = chain
        .stages()
        .iter()
        .enumerate()
        .rev()
        .find(|(_, s)| s.channels_in() != s.channels_out());
    if let Some((k, stage)) = changer.filter(|_| out_channels != format.channels) {
        // (Said once: a generator's warning already says what it did to the channels.)
        if last_generator != Some(k) {
            observer.warning(&JobWarning::ChannelsChanged {
                input: format.channels,
                output: out_channels,
                stage: k,
                label: label(stage),
            });
        }
    }
    let inputs: Vec<_> = reader.id().into_iter().collect();
    let target = match output {
        Output::Path(path) => OutputFile::create(path, &inputs, options.sync)?,
        Output::Stdout => OutputFile::stdout().map_err(|e| AudioError::Write {
            file: output_name.clone(),
            reason: super::error::reason(&e),
        })?,
    };
    let mut writer = WavWriter::new(
        &output_name,
        target,
        sample,
        out_channels,
        format.sample_rate,
        // As many frames as the input (a few more if the latency is kept).
        format.frames,
    )?;
    let latency =
        run(&mut reader, &mut chain, &mut writer, options, observer).map_err(|e| match e {
            Stop::Error(e) => e,
            Stop::Interrupted => AudioError::Interrupted {
                file: output_name.clone(),
            },
        })?;
    // The output is as long as the input, latency removed or kept.
    let read = writer.frames();
    let promised = format.frames.filter(|_| format.container == "WAV");
    if let Some(promised) = promised.filter(|&p| p > read) {
        observer.warning(&JobWarning::ShortInput { promised, read });
    }
    let written = writer.finish()?;
    if written.clipped > 0 {
        observer.warning(&JobWarning::Clipped {
            samples: written.clipped,
        });
    }
    Ok(Report {
        input: format.clone(),
        format: sample,
        channels: out_channels,
        frames: written.frames,
        peak: written.peak,
        duration: Duration::from_secs_f64(written.frames as f64 / f64::from(format.sample_rate)),
        latency,
        clipped: written.clipped,
    })
}

enum Stop {
    Error(AudioError),
    Interrupted,
}

impl From<AudioError> for Stop {
    fn from(error: AudioError) -> Self {
        Self::Error(error)
    }
}

impl From<crate::chain::ChainError> for Stop {
    fn from(error: crate::chain::ChainError) -> Self {
        Self::Error(error.into())
    }
}

/// The block loop; returns the chain's latency.
fn run(
    reader: &mut AudioReader,
    chain: &mut Chain,
    writer: &mut WavWriter,
    options: &JobOptions,
    observer: &mut dyn Observer,
) -> Result<usize, Stop> {
    let block = chain.max_block();
    let mut inputs = vec![vec![0.0_f32; block]; chain.input_channels()];
    let mut outputs = vec![vec![0.0_f32; block]; chain.output_channels()];
    // The first `latency` frames the chain puts out answer no input frame: they are dropped,
    // and as many frames of silence after the input bring out the last input frames' answers.
    let mut latency: Option<usize> = None;
    let mut to_drop = 0;
    let mut input_ended = false;
    let mut silence_left: Option<usize> = None;
    loop {
        let frames = match silence_left {
            None => {
                let frames = reader.read(&mut inputs)?;
                input_ended = frames < block;
                frames
            }
            Some(0) => break,
            Some(left) => {
                let frames = left.min(block);
                inputs.iter_mut().for_each(|channel| channel.fill(0.0));
                silence_left = Some(left - frames);
                frames
            }
        };
        if frames > 0 {
            chain.process(frames, &inputs, &mut outputs)?;
            // Plugins report their latency from their first run on.
            let latency = *latency.get_or_insert_with(|| {
                to_drop = if options.keep_latency {
                    0
                } else {
                    chain.latency()
                };
                to_drop
            });
            let dropped = to_drop.min(frames);
            to_drop -= dropped;
            writer.write(&outputs, dropped..frames)?;
            if silence_left.is_none() && observer.progress(frames as u64).is_break() {
                return Err(Stop::Interrupted);
            }
            if input_ended && silence_left.is_none() {
                silence_left = Some(latency);
            }
        } else if input_ended && silence_left.is_none() {
            silence_left = Some(latency.unwrap_or(0));
        }
    }
    Ok(latency.unwrap_or(0))
}
