//! `ladspa apply`: an audio file through a chain of plugins ([`ladspa_host::Chain`]), any WAV
//! format and channel count in and out, mono plugins replicated per channel, the chain's
//! latency removed, a progress bar on a terminal.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::ArgMatches;
use indicatif::{ProgressBar, ProgressStyle};
use ladspa_host::catalog::PluginRecord;
use ladspa_host::rdf::Database;
use ladspa_host::{Chain, Descriptor};

use super::wav::{Format, Input, Output};
use ladspa_host::PluginName;
use ladspa_host::catalog::Resolver;

use super::CliError;

/// `ladspa apply`'s arguments.
#[derive(Debug, clap::Args)]
#[command(after_help = concat!("\
Each --control sets a control input of the --plugin written before it, by its name as the \
plugin gives it (quote names with spaces: --control 'Gain (dB)=-6') or by port index \
(--control 0=-6); a value may also be one of the port's named values from the RDF metadata \
(--control 'Reverb Type=Hall (Large)'). Controls not set start at their defaults.

A plugin with one audio input and one output runs once per channel of the file; one with as \
many inputs as the channels reaching it runs once; see the ladspa crate's Chain for the rules.

The output replaces OUTPUT only when it is complete: a failure or a signal (Ctrl-C) leaves the \
old file as it was, and an output that is the input (by any path or link) is refused.

", super::exit_status!()))]
pub struct ApplyArgs {
    /// The input WAV file (8-, 16-, 24- or 32-bit integer or 32-bit float, any channel count)
    input: PathBuf,
    /// The output WAV file
    output: PathBuf,
    /// A plugin of the chain, in order: FILE[:LABEL or ID], a label, or a unique ID
    #[arg(long = "plugin", short = 'p', required = true, value_name = "PLUGIN")]
    plugins: Vec<String>,
    /// Sets a control input of the --plugin before it: NAME=VALUE or INDEX=VALUE
    #[arg(long = "control", short = 'c', value_name = "PORT=VALUE")]
    controls: Vec<String>,
    /// The output's sample format [default: the input's]
    #[arg(long, value_enum, default_value = "same")]
    format: Format,
    /// Keep the chain's latency (by default the output is shifted so that it lines up with
    /// the input, and is as long)
    #[arg(long)]
    keep_latency: bool,
    /// Frames per run of the chain
    #[arg(long, default_value_t = 4096, value_parser = clap::value_parser!(u32).range(1..=1 << 20))]
    block: u32,
}

/// The controls of one plugin, as written after it.
pub(super) struct StageSpec {
    pub(super) plugin: String,
    pub(super) controls: Vec<String>,
}

/// Pairs each `--control` with the `--plugin` before it, by their positions on the command
/// line (clap keeps each list in order, and their indices say how they interleave); `plugins`
/// and `controls` are the arguments of ids `plugins` and `controls` in `matches` (those of
/// `apply` and `live`).
pub(super) fn stages(
    plugins: &[String],
    controls: &[String],
    matches: &ArgMatches,
) -> Result<Vec<StageSpec>, CliError> {
    let plugin_at: Vec<usize> = matches
        .indices_of("plugins")
        .map(Iterator::collect)
        .unwrap_or_default();
    let control_at: Vec<usize> = matches
        .indices_of("controls")
        .map(Iterator::collect)
        .unwrap_or_default();
    let mut stages: Vec<StageSpec> = plugins
        .iter()
        .map(|plugin| StageSpec {
            plugin: plugin.clone(),
            controls: Vec::new(),
        })
        .collect();
    for (control, at) in controls.iter().zip(control_at) {
        let Some(stage) = plugin_at.iter().rposition(|&p| p < at) else {
            return Err(CliError::Usage(format!(
                "--control {control} comes before any --plugin: write it after the plugin it sets"
            )));
        };
        stages[stage].controls.push(control.clone());
    }
    Ok(stages)
}

/// Runs the file through the chain.
pub fn apply(
    resolver: &mut Resolver,
    args: &ApplyArgs,
    matches: &ArgMatches,
) -> Result<(), CliError> {
    let stages = stages(&args.plugins, &args.controls, matches)?;
    let mut input = Input::open(&args.input)?;
    let spec = input.spec();
    let channels = usize::from(spec.channels);
    let block = args.block as usize;
    let mut chain = Chain::new(channels, spec.sample_rate, block)?;
    for stage in &stages {
        let record = resolver.resolve_one(&PluginName::parse(&stage.plugin))?;
        let descriptor = load(&record)?;
        let index = chain.add(&descriptor)?;
        for control in &stage.controls {
            let (port, value) = control_value(&descriptor, control)?;
            chain.set_control(index, port, value)?;
        }
    }
    let out_channels = chain.output_channels();
    let out_spec = args.format.spec(spec, out_channels as u16);
    let mut output = Output::create(&args.output, out_spec, input.id())?;

    let total = input.frames();
    let progress = if std::io::stderr().is_terminal() && !crate::voice::quiet() {
        ProgressBar::new(total).with_style(
            ProgressStyle::with_template("{bar:40} {percent:>3}% {elapsed} / {duration}")
                .expect("a valid template"),
        )
    } else {
        ProgressBar::hidden()
    };
    let mut inputs = vec![vec![0.0_f32; block]; channels];
    let mut outputs = vec![vec![0.0_f32; block]; out_channels];
    // The first `latency` frames the chain puts out answer no input frame: they are dropped,
    // and as many frames of silence after the input bring out the last input frames' answers.
    let mut latency: Option<usize> = None;
    let mut to_drop = 0;
    let mut input_ended = false;
    let mut silence_left: Option<usize> = None;
    loop {
        if crate::interrupt::requested() {
            return Err(CliError::Interrupted(args.output.clone()));
        }
        let frames = match silence_left {
            None => {
                let frames = input.read(&mut inputs)?;
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
            progress.inc(frames as u64);
            // Plugins report their latency from their first run on.
            let latency = *latency.get_or_insert_with(|| {
                to_drop = if args.keep_latency {
                    0
                } else {
                    chain.latency()
                };
                to_drop
            });
            let dropped = to_drop.min(frames);
            to_drop -= dropped;
            output.write(&outputs, dropped..frames)?;
            if input_ended && silence_left.is_none() {
                silence_left = Some(if args.keep_latency { 0 } else { latency });
            }
        } else if input_ended && silence_left.is_none() {
            silence_left = Some(latency.unwrap_or(0));
        }
    }
    progress.finish_and_clear();
    if output.clipped() > 0 {
        crate::voice::warning(format_args!(
            "{} samples were beyond full scale and were clipped in {} (use --format float to keep them)",
            output.clipped(),
            args.output.display()
        ));
    }
    output.finish()?;
    Ok(())
}

/// Loads the plugin file of a catalog entry into this process.
pub(super) fn load(record: &PluginRecord) -> Result<Descriptor, CliError> {
    // SAFETY: running the plugins the user named is what `apply` is for; the file loaded in a
    // scan worker first, and `load` checks it did not change since.
    Ok(unsafe { record.load() }?)
}

/// `NAME=VALUE` or `INDEX=VALUE` for a control input of `descriptor`; the value a number or
/// one of the port's named values in the RDF metadata. A name may itself hold `=`: the first
/// split whose left side names a port wins.
pub(super) fn control_value(
    descriptor: &Descriptor,
    control: &str,
) -> Result<(usize, f32), CliError> {
    let label = descriptor.label();
    let inputs: Vec<_> = descriptor
        .ports()
        .filter(|port| port.is_control() && port.is_input())
        .collect();
    // The library's look-up first (exact name, or index; an ambiguous name is refused), then
    // a name that differs only in case, when exactly one control input has it.
    let find = |name: &str| {
        descriptor
            .control_input(name)
            .ok()
            .or_else(|| {
                descriptor
                    .control_input(name.trim().parse::<usize>().ok()?)
                    .ok()
            })
            .or_else(|| {
                let mut folded = inputs
                    .iter()
                    .filter(|port| port.name().to_string().eq_ignore_ascii_case(name.trim()));
                let only = folded.next()?;
                folded.next().is_none().then_some(*only)
            })
    };
    let split = control
        .match_indices('=')
        .find_map(|(at, _)| find(&control[..at]).map(|port| (port, &control[at + 1..])));
    let Some((port, value)) = split else {
        let names: Vec<String> = inputs
            .iter()
            .map(|port| format!("{} \"{}\"", port.index(), port.name()))
            .collect();
        return Err(CliError::Usage(format!(
            "--control {control}: plugin {label} has no control input of that name or index \
             (write NAME=VALUE or INDEX=VALUE); its control inputs are: {}",
            names.join(", ")
        )));
    };
    let named = || {
        descriptor
            .rdf(Database::system())?
            .port(port.index())?
            .scale_points()
            .iter()
            .find(|point| point.label == value.trim())
            .map(|point| point.value)
    };
    match value.trim().parse::<f32>().ok().or_else(named) {
        Some(number) if number.is_finite() => Ok((port.index(), number)),
        _ => Err(CliError::Usage(format!(
            "--control {control}: `{value}` is not a finite number nor a named value of port {} \"{}\" of plugin {label}",
            port.index(),
            port.name()
        ))),
    }
}
