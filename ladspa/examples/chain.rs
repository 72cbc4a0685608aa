//! A multichannel chain on a WAV file: a stereo WAV (16-bit, 24-bit or float) through a mono
//! filter (one instance per channel), a stereo plugin and a latency-reporting look-ahead
//! limiter, with the limiter's latency compensated, into a 32-bit float WAV.
//!
//! ```sh
//! apt-get install ladspa-sdk swh-plugins      # filter.so, amp.so, the limiter
//! cargo run --release -p ladspa-host --example chain -- in.wav out.wav
//! # or any chain: FILE:LABEL[:VALUE,VALUE,...] per stage, control inputs in port order
//! # (as sox's ladspa effect takes them), the rest at their defaults
//! cargo run --release -p ladspa-host --example chain -- in.wav out.wav \
//!     filter.so:hpf:80 amp.so:amp_stereo:0.5 fast_lookahead_limiter_1913.so:fastLookaheadLimiter:6,-1,0.05
//! ```
//!
//! Options (before the stages): `--block N` (the chain's maximum block, default 1024),
//! `--no-compensation` (keep the latency: the output starts with the limiter's delay).
//! Plugin files are found along `LADSPA_PATH` (or the usual directories). The stage layout
//! and the latency are printed on standard error.

use std::error::Error;

use ladspa_host::Chain;
use ladspa_host::discovery::SearchPath;

/// The chain run when the command line names no stages.
const DEFAULT_STAGES: [&str; 3] = [
    "filter.so:lpf:5000",
    "amp.so:amp_stereo:0.8",
    "fast_lookahead_limiter_1913.so:fastLookaheadLimiter:3,-1,0.05",
];

struct Options {
    input: String,
    output: String,
    block: usize,
    compensate: bool,
    stages: Vec<String>,
}

fn options() -> Result<Options> {
    let mut args = std::env::args().skip(1);
    let usage =
        "usage: chain IN.wav OUT.wav [--block N] [--no-compensation] [FILE:LABEL[:V,V,...]]...";
    let (Some(input), Some(output)) = (args.next(), args.next()) else {
        return Err(usage.into());
    };
    let mut options = Options {
        input,
        output,
        block: 1024,
        compensate: true,
        stages: Vec::new(),
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--block" => options.block = args.next().ok_or(usage)?.parse()?,
            "--no-compensation" => options.compensate = false,
            _ => options.stages.push(arg),
        }
    }
    if options.stages.is_empty() {
        options.stages = DEFAULT_STAGES.map(String::from).to_vec();
    }
    Ok(options)
}

/// A result of this program.
type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// The samples of a WAV file as one buffer per channel, in [-1, 1).
fn read_wav(path: &str) -> Result<(hound::WavSpec, Vec<Vec<f32>>)> {
    let mut reader = hound::WavReader::open(path)?;
    let spec = reader.spec();
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader
            .samples::<f32>()
            .collect::<std::result::Result<_, _>>()?,
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1_u64 << (spec.bits_per_sample - 1)) as f64;
            let samples = reader.samples::<i32>();
            samples
                .map(|sample| sample.map(|s| (f64::from(s) * scale) as f32))
                .collect::<std::result::Result<_, _>>()?
        }
    };
    let channels = usize::from(spec.channels);
    let planar = (0..channels)
        .map(|k| {
            interleaved
                .iter()
                .skip(k)
                .step_by(channels)
                .copied()
                .collect()
        })
        .collect();
    Ok((spec, planar))
}

fn build(channels: usize, sample_rate: u32, options: &Options) -> Result<Chain> {
    let path = SearchPath::from_env();
    let mut chain = Chain::new(channels, sample_rate, options.block)?;
    for spec in &options.stages {
        let mut parts = spec.splitn(3, ':');
        let (Some(file), Some(label)) = (parts.next(), parts.next()) else {
            return Err(format!("{spec}: a stage is FILE:LABEL[:VALUE,...]").into());
        };
        // SAFETY: loading runs the file's code; the user names the plugins to trust.
        let plugin = unsafe { path.load(file) }?;
        let descriptor = plugin.find_label(label)?;
        let stage = chain.add(descriptor)?;
        let values = parts.next().unwrap_or("");
        let inputs: Vec<usize> = descriptor
            .ports()
            .filter(|port| port.is_control() && port.is_input())
            .map(|port| port.index())
            .collect();
        for (value, port) in values.split(',').filter(|v| !v.is_empty()).zip(inputs) {
            chain.set_control(stage, port, value.trim().parse::<f32>()?)?;
        }
    }
    Ok(chain)
}

fn main() -> Result<()> {
    let options = options()?;
    let (spec, inputs) = read_wav(&options.input)?;
    let frames = inputs.first().map_or(0, Vec::len);
    let mut chain = build(inputs.len(), spec.sample_rate, &options)?;
    let mut outputs = vec![vec![0.0_f32; frames]; chain.output_channels()];
    if options.compensate {
        chain.process_offline(frames, &inputs, &mut outputs)?;
    } else {
        chain.process(frames, &inputs, &mut outputs)?;
    }
    eprint!("{chain}");
    eprintln!(
        "{frames} frames, latency {} samples{}",
        chain.latency(),
        if options.compensate {
            " (compensated)"
        } else {
            ""
        }
    );

    let out_spec = hound::WavSpec {
        channels: u16::try_from(outputs.len())?,
        sample_rate: spec.sample_rate,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut writer = hound::WavWriter::create(&options.output, out_spec)?;
    for t in 0..frames {
        for channel in &outputs {
            writer.write_sample(channel[t])?;
        }
    }
    writer.finalize()?;
    Ok(())
}
