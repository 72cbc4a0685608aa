//! `ladspa apply`: audio files through a chain of plugins, by the library's file job
//! ([`ladspa_host::audio::process_file`]): this module reads the command line, names the
//! plugins and controls, and speaks; the job does the rest.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::ArgMatches;
use ladspa_host::PluginName;
use ladspa_host::audio::pcm::SampleFormat;
use ladspa_host::audio::{self, FileId, Input, JobOptions, Output, OutputFormat};
use ladspa_host::catalog::Resolver;
use ladspa_host::spec::ChainSpec;

use super::apply_observer::{JobObserver, Progress};
use super::controls::{ControlIssue, resolve_control};
use super::error::CliError;
use super::stages::{load, stages};

/// `ladspa apply`'s arguments.
#[derive(Debug, clap::Args)]
#[command(after_help = concat!("\
Each --control sets a control input of the --plugin written before it, by its name (any case; \
quote names with spaces: --control 'Gain (dB)=-6') or by port index (--control 0=-6); a value \
may also be one of the port's named values from the RDF metadata, in any case (--control \
'Reverb Type=hall (large)'). Controls not set start at their defaults. A value outside the \
port's range is applied with a warning, or refused with --strict.

A plugin with one audio input and one output runs once per channel of the file; one with as \
many inputs as the channels reaching it runs once; see the ladspa crate's Chain for the rules.

Input: WAV (any chunk layout, PCM or float), FLAC, AIFF, Ogg Vorbis, MP3; - reads standard \
input. Output: WAV, whatever its name (a name ending in another audio extension is refused); \
- writes standard output (as a stream, like sox). The output replaces OUTPUT only when it is \
complete: a failure or a signal (Ctrl-C) leaves the old file as it was, and an output that is \
the input (by any path or link) is refused.

--chain FILE takes the chain from a chain spec in JSON instead of --plugin and --control, as \
the Python package's ChainSpec.to_json() writes it: {\"version\": 1, \"stages\": [{\"plugin\": \
\"amp.so:amp_mono\", \"controls\": [{\"port\": \"Gain\", \"value\": 0.5}], \"bypass\": false}]} \
(ports by name or index; values are numbers).

With -o DIR or --suffix, every FILE is an input: each gives its own output (in DIR, or next to \
it with the suffix before .wav), one progress bar follows the batch, and a file that fails is \
reported without stopping the others.

", super::error::exit_status!()))]
pub struct ApplyArgs {
    /// INPUT OUTPUT, or with -o/--suffix the input files
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// Write each input's output into this directory, under the input's name with .wav
    #[arg(long = "output-dir", short = 'o', value_name = "DIR")]
    output_dir: Option<PathBuf>,
    /// Name each output after its input with this before .wav (next to the input, or in -o DIR)
    #[arg(long, value_name = "SUFFIX")]
    suffix: Option<OsString>,
    /// A plugin of the chain, in order: FILE[:LABEL or ID], a label, or a unique ID
    #[arg(
        long = "plugin",
        short = 'p',
        required_unless_present = "chain",
        value_name = "PLUGIN"
    )]
    plugins: Vec<String>,
    /// The chain as a chain spec in JSON (instead of --plugin and --control)
    #[arg(long, value_name = "FILE", conflicts_with_all = ["plugins", "controls"])]
    chain: Option<PathBuf>,
    /// Sets a control input of the --plugin before it: NAME=VALUE or INDEX=VALUE
    #[arg(long = "control", short = 'c', value_name = "PORT=VALUE")]
    controls: Vec<String>,
    /// Refuse control values outside their port's range instead of warning
    #[arg(long)]
    strict: bool,
    /// The output's sample format [default: the input's; float for lossy inputs]
    #[arg(long, value_enum, default_value = "same")]
    format: Format,
    /// Keep the chain's latency (by default the output is shifted so that it lines up with
    /// the input, and is as long)
    #[arg(long)]
    keep_latency: bool,
    /// Frames per run of the chain
    #[arg(long, default_value_t = 4096, value_parser = clap::value_parser!(u32).range(1..=1 << 20))]
    block: u32,
    /// Make sure the output is on the disk (fsync) before it replaces the old file; without
    /// it, as with cp and sox, a power failure soon after the job can leave the output empty
    /// or silent
    #[arg(long)]
    sync: bool,
}

/// A sample format of an output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The input file's format.
    Same,
    /// 8-bit unsigned integers.
    #[value(name = "8")]
    Int8,
    /// 16-bit integers.
    #[value(name = "16")]
    Int16,
    /// 24-bit integers.
    #[value(name = "24")]
    Int24,
    /// 32-bit integers.
    #[value(name = "32")]
    Int32,
    /// 32-bit floating point.
    #[value(name = "float")]
    Float,
}

impl Format {
    fn output_format(self) -> OutputFormat {
        let sample = match self {
            Self::Same => return OutputFormat::Same,
            Self::Int8 => SampleFormat::U8,
            Self::Int16 => SampleFormat::I16,
            Self::Int24 => SampleFormat::I24,
            Self::Int32 => SampleFormat::I32,
            Self::Float => SampleFormat::F32,
        };
        OutputFormat::Sample(sample)
    }
}

/// One input and its output.
struct Job {
    input: PathBuf,
    output: PathBuf,
}

/// The jobs the files stand for: `IN OUT`, or each an input with -o/--suffix; two outputs of
/// the same name, and outputs that are inputs, are refused before any work starts.
fn jobs(args: &ApplyArgs) -> Result<Vec<Job>, CliError> {
    let batch = args.output_dir.is_some() || args.suffix.is_some();
    let jobs: Vec<Job> = if batch {
        let mut jobs = Vec::new();
        for input in &args.files {
            if input.as_os_str() == "-" {
                return Err(CliError::Usage(
                    "- (standard input) cannot be one of several inputs: name files with -o or --suffix"
                        .to_owned(),
                ));
            }
            let mut name = input.file_stem().map(OsString::from).unwrap_or_default();
            if let Some(suffix) = &args.suffix {
                name.push(suffix);
            }
            name.push(".wav");
            let dir = match &args.output_dir {
                Some(dir) => dir.clone(),
                None => input.parent().map(Path::to_owned).unwrap_or_default(),
            };
            jobs.push(Job {
                input: input.clone(),
                output: dir.join(name),
            });
        }
        if let Some(dir) = &args.output_dir {
            if !dir.is_dir() {
                return Err(CliError::Usage(format!(
                    "-o {}: no such directory",
                    dir.display()
                )));
            }
        }
        jobs
    } else {
        match args.files.as_slice() {
            [input, output] => vec![Job {
                input: input.clone(),
                output: output.clone(),
            }],
            [_] => {
                return Err(CliError::Usage(
                    "give an output file after the input (or -o DIR, or --suffix)".to_owned(),
                ));
            }
            _ => {
                return Err(CliError::Usage(format!(
                    "{} files given: name one input and one output, or several inputs with -o DIR or --suffix",
                    args.files.len()
                )));
            }
        }
    };
    let mut seen: HashMap<PathBuf, &Path> = HashMap::new();
    let inputs: Vec<FileId> = jobs
        .iter()
        .filter_map(|job| FileId::of_path(&job.input))
        .collect();
    for job in &jobs {
        if job.output.as_os_str() != "-" {
            if audio::names_other_audio_format(&job.output) {
                return Err(audio::AudioError::NotWavName {
                    file: job.output.clone(),
                }
                .into());
            }
            if FileId::of_path(&job.output).is_some_and(|id| inputs.contains(&id)) {
                return Err(audio::AudioError::OutputIsInput {
                    file: job.output.clone(),
                }
                .into());
            }
        }
        let key = std::path::absolute(&job.output).unwrap_or(job.output.clone());
        if let Some(other) = seen.insert(key, &job.input) {
            return Err(CliError::Usage(format!(
                "{} and {} would both be written to {}",
                other.display(),
                job.input.display(),
                job.output.display()
            )));
        }
    }
    Ok(jobs)
}

/// Runs the files through the chain.
pub fn apply(
    resolver: &mut Resolver,
    args: &ApplyArgs,
    matches: &ArgMatches,
) -> Result<(), CliError> {
    let jobs = jobs(args)?;
    let (stages, issues) = match &args.chain {
        Some(path) => chain_file(resolver, path)?,
        None => command_line_stages(resolver, args, matches)?,
    };
    let options = {
        let mut options = JobOptions::default();
        options.format = args.format.output_format();
        options.keep_latency = args.keep_latency;
        options.block = args.block as usize;
        options.sync = args.sync;
        options
    };
    let progress = Progress::new(jobs.len());
    let mut failed = 0;
    for (n, job) in jobs.iter().enumerate() {
        let input = match job.input.as_os_str() == "-" {
            true => Input::Stdin,
            false => Input::Path(&job.input),
        };
        let output = match job.output.as_os_str() == "-" {
            true => Output::Stdout,
            false => Output::Path(&job.output),
        };
        let mut observer = JobObserver {
            progress: &progress,
            file: n,
            issues: &issues,
            strict: args.strict,
            refused: None,
            name: if jobs.len() > 1 {
                Some(job.input.clone())
            } else {
                None
            },
        };
        let result = audio::process_file(input, output, &stages, &options, &mut observer);
        if result.is_err() && matches!(output, Output::Stdout) && crate::interrupt::pipe_closed() {
            progress.finish();
            return Err(CliError::OutputClosed);
        }
        match (result, observer.refused.take()) {
            (Ok(_), _) => {}
            (Err(_), Some(refused)) => {
                progress.finish();
                return Err(CliError::Usage(refused));
            }
            (Err(audio::AudioError::Interrupted { file }), None) => {
                progress.finish();
                return Err(CliError::Interrupted(file));
            }
            (Err(error), None) if jobs.len() == 1 => {
                progress.finish();
                return Err(error.into());
            }
            (Err(error), None) => {
                failed += 1;
                progress.suspend(|| crate::voice::error(&error));
            }
        }
    }
    progress.finish();
    if failed > 0 {
        return Err(CliError::Failed(format!(
            "{failed} of {} files failed",
            jobs.len()
        )));
    }
    Ok(())
}

/// The stages `--plugin` and `--control` give, and the range checks to make at the input's rate.
fn command_line_stages(
    resolver: &mut Resolver,
    args: &ApplyArgs,
    matches: &ArgMatches,
) -> Result<(Vec<audio::StageSpec>, Vec<ControlIssue>), CliError> {
    let words = stages(&args.plugins, &args.controls, matches)?;
    let mut stages = Vec::new();
    let mut issues = Vec::new();
    for (k, stage) in words.iter().enumerate() {
        let record = resolver.resolve_one(&PluginName::parse(&stage.plugin))?;
        let mut spec = audio::StageSpec::new(load(&record)?);
        for control in &stage.controls {
            let (port, value, issue) =
                resolve_control(&spec.descriptor, control, Some(k)).map_err(CliError::Usage)?;
            spec.controls.push((port, value));
            issues.extend(issue);
        }
        stages.push(spec);
    }
    Ok((stages, issues))
}

/// The stages of the chain spec in `path` (`--chain`), loaded as the library loads specs
/// (plugins by the resolver, control names by the shared rules), and their range checks.
fn chain_file(
    resolver: &mut Resolver,
    path: &Path,
) -> Result<(Vec<audio::StageSpec>, Vec<ControlIssue>), CliError> {
    let in_file = |error: &dyn std::fmt::Display| {
        CliError::Usage(format!("--chain {}: {error}", path.display()))
    };
    let text = std::fs::read_to_string(path).map_err(|e| in_file(&audio::reason(&e)))?;
    let spec = ChainSpec::from_json(&text).map_err(|e| in_file(&e))?;
    // SAFETY: as for `load`: running the plugins the user named is what `apply` is for.
    let loaded = unsafe { spec.load(resolver) }.map_err(|e| in_file(&e))?;
    let issues = loaded
        .stages
        .iter()
        .enumerate()
        .flat_map(|(k, stage)| {
            let issue = move |&(port, value): &(usize, f32)| {
                ControlIssue::new(&stage.descriptor, k, port, value)
            };
            stage.controls.iter().map(issue)
        })
        .collect();
    Ok((loaded.file_stages(), issues))
}
