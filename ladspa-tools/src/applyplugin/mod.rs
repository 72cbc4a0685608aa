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
//! The parts: `command_line` reads the arguments and finds the plugins, `process` runs the
//! chain over the SDK's buffers, `wav_in` and `wav_out` read and write the files (each with a
//! thread of its own), `convert` turns the samples into 16-bit ones as the SDK does, and
//! `progress` shows how far a long run is.

mod command_line;
mod convert;
mod process;
mod progress;
mod wav_in;
mod wav_out;

use std::process::ExitCode;

/// Frames per run: the SDK's block, so that plugins whose output depends on block boundaries
/// give the same output as under the SDK.
const BLOCK: usize = 2048;

/// Blocks read or written a system call: large reads and writes straight between the files and
/// the tool's own byte buffers, with no copy through a `BufReader` or `BufWriter`.
const IO_BLOCKS: usize = 64;

const USAGE: &str = "Usage:\tapplyplugin [flags] <input audio file> <output audio file>
\t<LADSPA plugin file name> <plugin label> <Control1> <Control2>...
\t[<LADSPA plugin file name> <plugin label> <Control1> <Control2>...]...
Flags:\t-s<seconds>  Add seconds of silence after end of input file.

To find out what control values are needed by a plugin, use the
\"analyseplugin\" program and check for control input ports.
Note that the LADSPA_PATH environment variable is used to help find plugins.
";

/// A failure: what to say on standard error. The exit status is 1, as for every SDK error.
type Failure = String;

/// Runs `applyplugin` with these arguments (the program's name left out): prints what the
/// SDK's tool prints, and returns its exit status.
pub fn main(args: &[String]) -> ExitCode {
    if args.first().map(String::as_str) == Some("--help") {
        print!("Runs a 16-bit WAV file through a chain of LADSPA plugins.\n\n{USAGE}");
        return ExitCode::SUCCESS;
    }
    crate::interrupt::install();
    match command_line::run(args) {
        Ok(status) => status,
        Err(message) => {
            eprintln!("applyplugin: {message}");
            // Stopped by a signal: the output was left as it was; die by the signal.
            crate::interrupt::die_by_signal();
            ExitCode::FAILURE
        }
    }
}
