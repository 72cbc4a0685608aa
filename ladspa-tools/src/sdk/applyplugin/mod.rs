//! `applyplugin` of the LADSPA SDK, on this crate: runs a 16-bit PCM WAV file through a chain of
//! plugins into a new WAV file. Same arguments, same standard output (the peak line) and exit
//! status, and the same output file byte for byte as the SDK's tool; clearer messages on
//! standard error, and a progress display there when it is a terminal.
//!
//! ```text
//! LADSPA_PATH=/usr/lib/ladspa cargo run -p ladspa-tools --bin applyplugin -- \
//!     in.wav out.wav amp amp_mono 0.5 delay delay_5s 0.25 0.5
//! ```
//!
//! Every plugin runs as in the SDK: in place on one set of buffers, as many as the widest plugin
//! of the chain has audio inputs or outputs, its audio input k and audio output k on buffer k
//! ([`ladspa_host::Handle::run_in_place`]), in blocks of 2048 frames.
//!
//! `hound` reads the input's header; unlike the SDK (which reads whatever libsndfile reads),
//! only 16-bit PCM WAV input is accepted. The samples are read, converted and written here, in
//! blocks (libsndfile's 44-byte WAV header, the SDK's rounding and clipping), which costs well
//! under a nanosecond a sample; two threads read and write the files meanwhile.
//!
//! The parts, in the order of the job: `command_line` reads the arguments and finds the plugins,
//! `process` runs the chain over the SDK's buffers, `wav_in` and `wav_out` read and write the
//! files (each with a thread of its own), `convert` turns the samples into 16-bit ones as the
//! SDK does, `progress` shows how far a long run is, and `block` holds the SDK's block size
//! they all work in.

mod block;
mod command_line;
mod convert;
mod process;
mod progress;
mod wav_in;
mod wav_out;

use std::process::ExitCode;

use command_line::{CommandLine, USAGE};

/// Runs `applyplugin` with these arguments (the program's name left out): prints what the
/// SDK's tool prints, and returns its exit status.
pub fn main(args: &[String]) -> ExitCode {
    if args.first().map(String::as_str) == Some("--help") {
        print!("Runs a 16-bit WAV file through a chain of LADSPA plugins.\n\n{USAGE}");
        return ExitCode::SUCCESS;
    }
    crate::interrupt::install();
    let ran = command_line::parse(args).and_then(|command_line| match command_line {
        CommandLine::Stop(status) => Ok(status),
        CommandLine::Run(job) => {
            process::process(&job.input, &job.output, job.seconds, &job.chain)?;
            // Like the SDK, a trailing lone argument is a usage error found only after the
            // chain before it has run.
            if job.trailing_argument {
                eprint!("{USAGE}");
                return Ok(ExitCode::FAILURE);
            }
            Ok(ExitCode::SUCCESS)
        }
    });
    match ran {
        Ok(status) => status,
        Err(message) => {
            eprintln!("applyplugin: {message}");
            // Stopped by a signal: the output was left as it was; die by the signal.
            crate::interrupt::die_by_signal();
            ExitCode::FAILURE
        }
    }
}
