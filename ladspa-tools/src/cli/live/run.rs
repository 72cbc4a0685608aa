//! The running `ladspa live`: the chain built as `apply` builds it, the JACK host started, and a
//! loop that takes commands from standard input, keeps the status line up to date and stops on
//! `quit`, a signal (SIGINT, SIGTERM, SIGHUP: a clean stop, then the process ends by that
//! signal, as a shell expects) or the server going away.

use std::fmt::Write as _;
use std::io::{BufRead, IsTerminal, Write};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use clap::ArgMatches;
use jack::PortFlags;
use ladspa_host::catalog::Resolver;
use ladspa_host::live::{JackHost, Stats};
use ladspa_host::{Chain, Descriptor, PluginName};

use super::args::LiveArgs;
use super::command::{self, Command};
use super::status::{Status, write_dbfs};
use crate::cli::controls::{parse_control, resolve_control};
use crate::cli::error::CliError;
use crate::cli::stages::{load, stages};

/// The rate the chain is first built at; the host rebuilds it at the server's if they differ.
const BUILD_RATE: u32 = 48_000;
/// The block it is first built with; the host follows the server's period.
const BUILD_BLOCK: usize = 1024;
/// How often the loop looks at signals, commands and the server.
const TICK: Duration = Duration::from_millis(50);
/// How often the status line is redrawn.
const STATUS_EVERY: Duration = Duration::from_millis(250);

/// One stage as the user named it, for `info`.
struct StageInfo {
    descriptor: Descriptor,
}

pub(super) fn live(
    resolver: &mut Resolver,
    args: &LiveArgs,
    matches: &ArgMatches,
) -> Result<(), CliError> {
    let specs = stages(&args.plugins, &args.controls, matches)?;
    let mut chain = Chain::new(usize::from(args.channels), BUILD_RATE, BUILD_BLOCK)?;
    let mut infos = Vec::with_capacity(specs.len());
    for spec in &specs {
        let record = resolver.resolve_one(&PluginName::parse(&spec.plugin))?;
        let descriptor = load(&record)?;
        let stage = chain.add(&descriptor)?;
        for control in &spec.controls {
            // Messages name the stage as `apply`'s do (from 1).
            let (port, value, _) =
                resolve_control(&descriptor, control, Some(stage)).map_err(CliError::Usage)?;
            chain.set_control(stage, port, value)?;
        }
        infos.push(StageInfo { descriptor });
    }
    crate::interrupt::install();
    let host = JackHost::start(&args.name, chain).map_err(|e| CliError::Live(e.to_string()))?;
    let mut screen = Screen::new();
    if let Some(client) = &args.connect {
        for (from, to) in connections(&host, client)? {
            host.connect(&from, &to)
                .map_err(|e| CliError::Live(e.to_string()))?;
            screen.say(format_args!("connected {from} -> {to}"));
        }
    }
    let stats = host.stats();
    screen.say(format_args!(
        "{}: {} in, {} out at {} Hz, period {} frames ({:.2} ms), latency {} frames; \
         type help for commands",
        host.name(),
        host.input_ports().len(),
        host.output_ports().len(),
        stats.sample_rate,
        stats.frames,
        stats.period.as_secs_f64() * 1e3,
        stats.latency
    ));

    let lines = read_lines();
    let mut reading = true;
    let mut last_status = Instant::now();
    let outcome = loop {
        if crate::interrupt::requested() {
            break Outcome::Signal;
        }
        if let Some(reason) = host.stats().shut_down {
            break Outcome::ServerGone(reason);
        }
        if let Some(error) = host.take_rebuild_error() {
            screen.complain(format_args!("{error}"));
        }
        if reading {
            match lines.recv_timeout(TICK) {
                Ok(line) => match command::parse(&line, infos.len()) {
                    Ok(Command::Quit) => break Outcome::Quit,
                    Ok(command) => execute(&host, &infos, command, &mut screen),
                    Err(error) => screen.complain(format_args!("{error}")),
                },
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => reading = false,
            }
        } else {
            std::thread::sleep(TICK);
        }
        if screen.is_terminal && last_status.elapsed() >= STATUS_EVERY {
            last_status = Instant::now();
            screen.status(&status(&host));
        }
    };
    screen.clear_status();
    let stats = host.stop();
    screen.say(format_args!("stopped: {}", summary(&stats)));
    match outcome {
        Outcome::Quit => Ok(()),
        Outcome::Signal => {
            crate::interrupt::die_by_signal();
            Ok(())
        }
        Outcome::ServerGone(reason) => Err(CliError::Live(format!(
            "the JACK server stopped the client: {reason}"
        ))),
    }
}

/// Why the loop ended.
enum Outcome {
    Quit,
    Signal,
    ServerGone(String),
}

/// Runs one command.
fn execute(host: &JackHost, infos: &[StageInfo], command: Command, screen: &mut Screen) {
    match command {
        Command::Set { stage, port, value } => {
            let descriptor = &infos[stage].descriptor;
            let result = parse_control(descriptor, &format!("{port}={value}"))
                .map_err(|error| error.to_string())
                .and_then(|setting| {
                    host.set_control(stage, setting.port, setting.value)
                        .map_err(|error| error.to_string())?;
                    Ok(setting)
                });
            match result {
                Ok(setting) => screen.say(format_args!(
                    "stage {} {}: \"{}\" = {}",
                    stage + 1,
                    descriptor.label(),
                    port_name(descriptor, setting.port),
                    setting.value
                )),
                // The command as typed (stages from 1), then what is wrong with it.
                Err(error) => {
                    screen.complain(format_args!("set {} {port} {value}: {error}", stage + 1))
                }
            }
        }
        Command::Bypass { stage, on } => match host.set_bypass(stage, on) {
            Ok(()) => screen.say(format_args!(
                "stage {} {}: {}",
                stage + 1,
                infos[stage].descriptor.label(),
                if on { "bypassed" } else { "running" }
            )),
            Err(error) => screen.complain(format_args!("bypass: {error}")),
        },
        Command::Info => screen.say(format_args!("{}", info(host, infos))),
        Command::Help => screen.say(format_args!("{}", command::HELP)),
        Command::Quit | Command::Nothing => {}
    }
}

fn port_name(descriptor: &Descriptor, index: usize) -> String {
    descriptor
        .port(index)
        .map_or_else(|| index.to_string(), |port| port.name().to_string())
}

/// `info`: the client, its ports, the stages with their controls, and the host's counters.
fn info(host: &JackHost, infos: &[StageInfo]) -> String {
    let stats = host.stats();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "client {}: {} Hz, period {} frames ({:.2} ms), latency {} frames",
        host.name(),
        stats.sample_rate,
        stats.frames,
        stats.period.as_secs_f64() * 1e3,
        stats.latency
    );
    let _ = writeln!(out, "  inputs:  {}", host.input_ports().join(" "));
    let _ = writeln!(out, "  outputs: {}", host.output_ports().join(" "));
    for (stage, info) in infos.iter().enumerate() {
        let descriptor = &info.descriptor;
        let bypassed = host.bypass(stage).unwrap_or(false);
        let _ = writeln!(
            out,
            "stage {} {} \"{}\" ({}){}",
            stage + 1,
            descriptor.label(),
            descriptor.name(),
            descriptor.path().display(),
            if bypassed { ", bypassed" } else { "" }
        );
        for port in descriptor.ports().filter(|port| port.is_control()) {
            let value = host
                .control(stage, port.index())
                .map_or_else(|e| format!("? ({e})"), |v| v.to_string());
            let side = if port.is_input() { "in " } else { "out" };
            let _ = writeln!(
                out,
                "  {side} {:>2} \"{}\" = {value}",
                port.index(),
                port.name()
            );
        }
    }
    let _ = write!(out, "{}, peaks", summary(&stats));
    for peak in host.take_peaks() {
        out.push(' ');
        let _ = write_dbfs(&mut out, peak);
    }
    out.push_str(" dBFS");
    out
}

/// The counters in one line.
fn summary(stats: &Stats) -> String {
    format!(
        "{} callbacks, mean {:.3} ms, longest {:.3} ms of a {:.3} ms period, {} xruns, JACK load {:.1} %",
        stats.callbacks,
        stats.mean.as_secs_f64() * 1e3,
        stats.longest.as_secs_f64() * 1e3,
        stats.period.as_secs_f64() * 1e3,
        stats.xruns,
        stats.cpu_load
    )
}

/// The status line's contents, taking the peaks and longest callback since the last one.
fn status(host: &JackHost) -> Status {
    let stats = host.stats();
    Status {
        load: stats.cpu_load,
        longest: host.take_longest(),
        period: stats.period,
        xruns: stats.xruns,
        peaks: host.take_peaks(),
    }
}

/// The pairs of ports `--connect CLIENT` connects: CLIENT's audio outputs to our inputs and our
/// outputs to CLIENT's audio inputs, in order; a side of CLIENT with one port goes to (or
/// takes) all of ours.
fn connections(host: &JackHost, client: &str) -> Result<Vec<(String, String)>, CliError> {
    let pattern = format!("^{}:", regex_escape(client));
    let ports = |flags: PortFlags| {
        host.client().ports(
            Some(&pattern),
            Some(jack::jack_sys::FLOAT_MONO_AUDIO),
            flags,
        )
    };
    let (sources, sinks) = (ports(PortFlags::IS_OUTPUT), ports(PortFlags::IS_INPUT));
    if sources.is_empty() && sinks.is_empty() {
        return Err(CliError::Usage(format!(
            "--connect {client}: the JACK server has no client {client:?} with audio ports"
        )));
    }
    let mut pairs = pair(&sources, host.input_ports());
    pairs.extend(pair(host.output_ports(), &sinks));
    Ok(pairs)
}

/// `from[k]` to `to[k]`; one port on a side is paired with every port of the other.
fn pair(from: &[String], to: &[String]) -> Vec<(String, String)> {
    match (from, to) {
        ([one], many) => many.iter().map(|to| (one.clone(), to.clone())).collect(),
        (many, [one]) => many
            .iter()
            .map(|from| (from.clone(), one.clone()))
            .collect(),
        _ => from.iter().cloned().zip(to.iter().cloned()).collect(),
    }
}

/// `text` as a POSIX extended regular expression that matches it literally.
fn regex_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\^$.|?*+()[]{}".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Standard input's lines, read on a thread of their own (a read blocks; the loop must not).
fn read_lines() -> mpsc::Receiver<String> {
    let (send, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if send.send(line).is_err() {
                break;
            }
        }
    });
    lines
}

/// Standard output: messages on lines of their own, and on a terminal a status line redrawn
/// in place below them.
struct Screen {
    is_terminal: bool,
    status_shown: bool,
}

impl Screen {
    fn new() -> Screen {
        Screen {
            is_terminal: std::io::stdout().is_terminal(),
            status_shown: false,
        }
    }

    /// Prints a message (over the status line, which the next tick redraws).
    fn say(&mut self, message: std::fmt::Arguments<'_>) {
        self.clear_status();
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{message}");
        let _ = out.flush();
    }

    /// Says what went wrong, on standard error (over the status line).
    fn complain(&mut self, message: std::fmt::Arguments<'_>) {
        self.clear_status();
        crate::voice::error(message);
    }

    fn status(&mut self, status: &Status) {
        let mut out = std::io::stdout().lock();
        let _ = write!(out, "\r\x1b[K{status}");
        let _ = out.flush();
        self.status_shown = true;
    }

    fn clear_status(&mut self) {
        if self.status_shown {
            let mut out = std::io::stdout().lock();
            let _ = write!(out, "\r\x1b[K");
            let _ = out.flush();
            self.status_shown = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(prefix: &str, n: usize) -> Vec<String> {
        (1..=n).map(|k| format!("{prefix}_{k}")).collect()
    }

    #[test]
    fn ports_pair_in_order_and_a_single_port_fans_out() {
        assert_eq!(
            pair(&names("system:capture", 2), &names("ladspa:in", 2)),
            [
                ("system:capture_1".into(), "ladspa:in_1".into()),
                ("system:capture_2".into(), "ladspa:in_2".into())
            ]
        );
        assert_eq!(pair(&names("a", 1), &names("b", 2)).len(), 2);
        assert_eq!(pair(&names("a", 2), &names("b", 1)).len(), 2);
        assert_eq!(pair(&names("a", 4), &names("b", 2)).len(), 2);
        assert!(pair(&[], &names("b", 2)).is_empty());
    }

    #[test]
    fn client_names_are_matched_literally() {
        assert_eq!(regex_escape("system"), "system");
        assert_eq!(regex_escape("a.b (c)"), r"a\.b \(c\)");
    }
}
