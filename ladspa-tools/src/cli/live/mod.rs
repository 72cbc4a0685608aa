//! `ladspa live`: a chain of plugins as a JACK client ([`ladspa_host::live::JackHost`]), with
//! the same plugin and control naming as `apply`, a status line on a terminal and commands on
//! standard input while it runs. Built with the `jack` feature; without it the subcommand says
//! how to get it.

mod args;
// Built without `jack` too, so that their tests run in the default build.
#[cfg_attr(not(feature = "jack"), allow(dead_code))]
mod command;
#[cfg(feature = "jack")]
mod run;
#[cfg_attr(not(feature = "jack"), allow(dead_code))]
mod status;

use clap::ArgMatches;
use ladspa_host::catalog::Resolver;

use crate::cli::error::CliError;

pub use args::LiveArgs;

/// Runs the chain live until `quit`, a signal, or the server going away.
pub fn live(
    resolver: &mut Resolver,
    args: &LiveArgs,
    matches: &ArgMatches,
) -> Result<(), CliError> {
    #[cfg(feature = "jack")]
    return run::live(resolver, args, matches);
    #[cfg(not(feature = "jack"))]
    {
        let _ = (resolver, args, matches);
        Err(CliError::Usage(
            "this ladspa was built without JACK: install it with \
             `cargo install --path ladspa-tools --features jack` (needs libjack-jackd2-dev and pkg-config)"
                .to_string(),
        ))
    }
}
