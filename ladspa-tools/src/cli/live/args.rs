//! `ladspa live`'s command line.

/// `ladspa live`'s arguments.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Each --control sets a control input of the --plugin written before it, as in `ladspa apply` \
(by name, index or named value). The client gets one input port per channel (in_1, in_2, …) and \
one output port per channel the chain puts out (out_1, …); --connect CLIENT connects CLIENT's \
audio outputs to them in order and the outputs to CLIENT's audio inputs (a client with a single \
port of a side is connected to every port of ours), e.g. --connect system for the sound card.

While it runs, standard input takes commands, one a line (stages counted from 1):
  set STAGE PORT VALUE   e.g. set 2 \"Reverb Type\" \"Hall (Large)\"
  bypass STAGE on|off    crossfaded over one period
  info                   the chain, its controls, latency, load and xruns
  help, quit
On a terminal a status line shows JACK's load, the longest callback against the period, xruns \
and each output's peak. Ctrl-C (SIGINT) and SIGTERM stop it cleanly, as `quit` does; the end of \
standard input does not.

Exit status:
  0  stopped by quit
  1  a plugin, the chain or JACK failed (no server, the server went away)
  2  the command line is wrong
  killed by SIGINT or SIGTERM after a clean stop, when one of those stopped it")]
pub struct LiveArgs {
    /// A plugin of the chain, in order: FILE[:LABEL or ID], a label, or a unique ID
    #[arg(long = "plugin", short = 'p', required = true, value_name = "PLUGIN")]
    pub(in crate::cli) plugins: Vec<String>,
    /// Sets a control input of the --plugin before it: NAME=VALUE or INDEX=VALUE
    #[arg(long = "control", short = 'c', value_name = "PORT=VALUE")]
    pub(in crate::cli) controls: Vec<String>,
    /// Audio channels into the chain (input ports)
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub(in crate::cli) channels: u16,
    /// Connect to this client's audio ports (`system`: the sound card)
    #[arg(long, value_name = "CLIENT")]
    pub(in crate::cli) connect: Option<String>,
    /// The JACK client's name
    #[arg(long, default_value = "ladspa")]
    pub(in crate::cli) name: String,
}
