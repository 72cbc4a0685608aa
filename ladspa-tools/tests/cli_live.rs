//! `ladspa live` as a user runs it, against a real JACK server (`.ci/run` starts
//! `jackd -d dummy -r 48000 -p 64`; these tests are opt-in and run single-threaded there):
//! commands on standard input reach the audio thread (the output's peak follows `set` and
//! `bypass`), `--connect` pairs ports, SIGINT and SIGTERM stop cleanly, a server that goes away
//! is reported, and errors say what is wrong.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// How long the tests wait for a line they expect.
const PATIENCE: Duration = Duration::from_secs(20);

/// A scratch directory of the test's own (the catalog's cache goes there).
fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli-live")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `ladspa live` running with the test plugins along the path, its standard output and error
/// read line by line on threads (error lines start with `E: `).
struct Live {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Live {
    fn start(test: &str, args: &[&str]) -> Live {
        Live::start_with(test, args, &[])
    }

    fn start_with(test: &str, args: &[&str], env: &[(&str, &str)]) -> Live {
        let dir = scratch(test);
        let mut child = Command::new(env!("CARGO_BIN_EXE_ladspa"))
            .arg("live")
            .args(args)
            .env("LADSPA_PATH", ladspa_testplugins::reference_dir())
            .env("XDG_CACHE_HOME", dir.join("cache"))
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run ladspa live");
        let (send, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        forward(BufReader::new(stdout), "", send.clone());
        forward(BufReader::new(stderr), "E: ", send);
        Live {
            stdin: child.stdin.take(),
            child,
            lines,
            seen: Vec::new(),
        }
    }

    fn send(&mut self, command: &str) {
        let stdin = self.stdin.as_mut().expect("standard input open");
        writeln!(stdin, "{command}").expect("write a command");
        stdin.flush().unwrap();
    }

    /// The next line that satisfies `want`, within [`PATIENCE`].
    fn expect(&mut self, what: &str, want: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if want(&line) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "no line {what} within {PATIENCE:?}; saw:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// Waits for the line that says the client runs.
    fn ready(&mut self) -> String {
        self.expect("saying the client runs", |l| {
            l.contains("type help for commands")
        })
    }

    /// The output peaks `info` reports (dBFS) over 300 ms that start 100 ms after the last
    /// command (the audio thread applies a change at its next callback, 1.3 ms later, and a
    /// bypass crossfades over that callback's period; `info` starts the peaks anew).
    fn peaks(&mut self) -> String {
        std::thread::sleep(Duration::from_millis(100));
        self.send("info");
        self.expect("with the peaks", |l| l.contains(", peaks "));
        std::thread::sleep(Duration::from_millis(300));
        self.send("info");
        let line = self.expect("with the peaks", |l| l.contains(", peaks "));
        line.split(", peaks ").nth(1).unwrap().to_string()
    }

    fn wait(&mut self) -> ExitStatus {
        drop(self.stdin.take());
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // What is left on standard output.
                while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(1)) {
                    self.seen.push(line);
                }
                return status;
            }
            assert!(Instant::now() < deadline, "ladspa live did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn signal(&self, signal: libc::c_int) {
        // SAFETY: kill(2) on our own child's PID has no memory effects here.
        let done = unsafe { libc::kill(self.child.id() as libc::pid_t, signal) };
        assert_eq!(done, 0, "kill the child");
    }
}

/// Sends each line of `from`, after `prefix`, until the pipe closes.
fn forward(from: impl BufRead + Send + 'static, prefix: &'static str, to: mpsc::Sender<String>) {
    std::thread::spawn(move || {
        for line in from.lines().map_while(Result::ok) {
            if to.send(format!("{prefix}{line}")).is_err() {
                break;
            }
        }
    });
}

impl Drop for Live {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The audio ports of client `name` on the server, with `jack_lsp`.
fn ports_of(name: &str, env: &[(&str, &str)]) -> Vec<String> {
    let output = Command::new("jack_lsp")
        .envs(env.iter().copied())
        .output()
        .expect("run jack_lsp (jackd2)");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|line| line.starts_with(&format!("{name}:")))
        .map(str::to_string)
        .collect()
}

/// `jack_lsp -c`: each port of client `name` with the ports it is connected to.
fn connections_of(name: &str) -> String {
    let output = Command::new("jack_lsp")
        .arg("-c")
        .output()
        .expect("run jack_lsp (jackd2)");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let mut out = String::new();
    let mut ours = false;
    for line in text.lines() {
        if !line.starts_with(' ') {
            ours = line.starts_with(&format!("{name}:"));
        }
        if ours {
            out.push_str(line.trim());
            out.push('\n');
        }
    }
    out
}

#[test]
#[ignore = "needs a JACK server: run by .ci/run"]
fn set_and_bypass_on_standard_input_reach_the_audio_thread() {
    let mut live = Live::start(
        "set-bypass",
        &[
            "--channels",
            "1",
            "--name",
            "cli-live-set",
            "-p",
            "tp_sine.so:tp_sine",
            "-c",
            "Amplitude=1",
            "-c",
            "Frequency=1000",
            "-p",
            "tp_amp.so:tp_amp_mono",
            "-c",
            "gain=0.5", // the case-insensitive name, as `apply` takes it
        ],
    );
    let ready = live.ready();
    assert!(ready.starts_with("cli-live-set: 1 in, 1 out at 48000 Hz, period 64 frames"));
    assert_eq!(live.peaks(), "-6.0 dBFS");

    live.send("set 2 Gain 0.25");
    live.expect("confirming the set", |l| {
        l == r#"stage 2 tp_amp_mono: "Gain" = 0.25"#
    });
    assert_eq!(live.peaks(), "-12.0 dBFS");

    live.send("bypass 2 on");
    live.expect("confirming the bypass", |l| {
        l == "stage 2 tp_amp_mono: bypassed"
    });
    assert_eq!(live.peaks(), "0.0 dBFS");
    live.send("info");
    live.expect("showing the bypass", |l| {
        l.ends_with("tp_amp.so), bypassed")
    });
    live.send("bypass 2 off");
    live.expect("confirming the return", |l| {
        l == "stage 2 tp_amp_mono: running"
    });
    assert_eq!(live.peaks(), "-12.0 dBFS");

    // By index, and the controls as `info` lists them.
    live.send("set 1 1 0.5");
    live.expect("confirming the set", |l| {
        l == r#"stage 1 tp_sine: "Amplitude" = 0.5"#
    });
    assert_eq!(live.peaks(), "-18.1 dBFS");
    live.send("info");
    live.expect("listing the amplitude", |l| {
        l.trim() == r#"in   1 "Amplitude" = 0.5"#
    });

    // Mistakes are said, and the host keeps running.
    live.send("set 3 Gain 1");
    live.expect("refusing stage 3", |l| {
        l == "E: ladspa: error: no stage `3`: the chain has stages 1 to 2"
    });
    live.send("set 2 Loudness 1");
    live.expect("refusing the port", |l| {
        l.starts_with(
            "E: ladspa: error: set 2 Loudness 1: tp_amp_mono has no control input `Loudness`",
        ) && l.ends_with(r#"its control inputs are: 0 "Gain""#)
    });
    live.send("set 2 Gain loud");
    live.expect("refusing the value", |l| {
        l.starts_with("E: ladspa: error: set 2 Gain loud: tp_amp_mono: `loud` is not a value")
    });
    live.send("bypass 1 maybe");
    live.expect("refusing the switch", |l| {
        l == "E: ladspa: error: bypass: `maybe` is neither on nor off"
    });
    live.send("help");
    live.expect("the commands", |l| l.contains("set STAGE PORT VALUE"));
    assert_eq!(live.peaks(), "-18.1 dBFS");

    live.send("quit");
    let status = live.wait();
    assert!(status.success(), "quit exits 0: {status:?}");
    assert!(
        live.seen.iter().any(|l| l.starts_with("stopped: ")),
        "a summary at the end: {:?}",
        live.seen
    );
    assert!(
        ports_of("cli-live-set", &[]).is_empty(),
        "the client is gone"
    );
}

#[test]
#[ignore = "needs a JACK server: run by .ci/run"]
fn sigint_and_sigterm_stop_cleanly_and_end_by_the_signal() {
    use std::os::unix::process::ExitStatusExt;
    for (signal, name) in [
        (libc::SIGINT, "cli-live-int"),
        (libc::SIGTERM, "cli-live-term"),
    ] {
        let mut live = Live::start(name, &["--name", name, "-p", "tp_amp.so:tp_amp_mono"]);
        live.ready();
        assert_eq!(
            ports_of(name, &[]),
            [
                format!("{name}:in_1"),
                format!("{name}:in_2"),
                format!("{name}:out_1"),
                format!("{name}:out_2")
            ]
        );
        live.signal(signal);
        let status = live.wait();
        assert_eq!(status.signal(), Some(signal), "{name}: {status:?}");
        assert!(
            live.seen.iter().any(|l| l.starts_with("stopped: ")),
            "{name}: stopped cleanly first: {:?}",
            live.seen
        );
        assert!(ports_of(name, &[]).is_empty(), "{name}: the client is gone");
    }
}

#[test]
#[ignore = "needs a JACK server: run by .ci/run"]
fn connect_pairs_ports_with_another_client() {
    // A mono source: its one output goes to both inputs of the stereo host, both of whose
    // outputs go to its one input.
    let mut source = Live::start(
        "connect-source",
        &[
            "--channels",
            "1",
            "--name",
            "cli-live-src",
            "-p",
            "tp_amp.so:tp_amp_mono",
        ],
    );
    source.ready();
    let mut live = Live::start(
        "connect",
        &[
            "--name",
            "cli-live-dst",
            "--connect",
            "cli-live-src",
            "-p",
            "tp_amp.so:tp_amp_stereo",
        ],
    );
    live.ready();
    for line in [
        "connected cli-live-src:out_1 -> cli-live-dst:in_1",
        "connected cli-live-src:out_1 -> cli-live-dst:in_2",
        "connected cli-live-dst:out_1 -> cli-live-src:in_1",
        "connected cli-live-dst:out_2 -> cli-live-src:in_1",
    ] {
        assert!(
            live.seen.iter().any(|l| l == line),
            "{line}: {:?}",
            live.seen
        );
    }
    let connections = connections_of("cli-live-dst");
    assert!(
        connections.contains("cli-live-dst:in_2\ncli-live-src:out_1"),
        "{connections}"
    );
    live.send("quit");
    assert!(live.wait().success());
    source.send("quit");
    assert!(source.wait().success());

    let mut missing = Live::start(
        "connect-missing",
        &[
            "--name",
            "cli-live-x",
            "--connect",
            "no-such-client",
            "-p",
            "tp_amp.so:tp_amp_mono",
        ],
    );
    let status = missing.wait();
    assert_eq!(
        status.code(),
        Some(2),
        "an unknown client is a command-line error"
    );
    assert!(
        missing.seen.iter().any(|l| l
            == "E: ladspa: error: --connect no-such-client: the JACK server has no client \"no-such-client\" with audio ports"),
        "{:?}",
        missing.seen
    );
}

#[test]
#[ignore = "needs a JACK server: run by .ci/run"]
fn a_server_that_goes_away_is_reported() {
    // A server of its own, so that stopping it disturbs no other test.
    let server = "ladspa-cli-live-gone";
    let mut jackd = Command::new("jackd")
        .args(["-n", server, "-d", "dummy", "-r", "48000", "-p", "64"])
        .env("JACK_NO_AUDIO_RESERVATION", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start jackd (jackd2)");
    let env = [("JACK_DEFAULT_SERVER", server)];
    let waited = Command::new("jack_wait")
        .args(["-w", "-t", "10"])
        .envs(env)
        .status()
        .expect("run jack_wait");
    assert!(waited.success(), "the private server started");
    let mut live = Live::start_with(
        "server-gone",
        &["--name", "cli-live-gone", "-p", "tp_amp.so:tp_amp_mono"],
        &env,
    );
    live.ready();
    assert_eq!(ports_of("cli-live-gone", &env).len(), 4);
    // SAFETY: kill(2) on our own child's PID has no memory effects here.
    unsafe { libc::kill(jackd.id() as libc::pid_t, libc::SIGTERM) };
    let _ = jackd.wait();
    let status = live.wait();
    assert_eq!(status.code(), Some(1), "{status:?}");
    assert!(
        live.seen
            .iter()
            .any(|l| l.starts_with("E: ladspa: error: the JACK server stopped the client: ")),
        "reported: {:?}",
        live.seen
    );

    // No server at all: said at once, status 1.
    let mut none = Live::start_with(
        "no-server",
        &["--name", "cli-live-none", "-p", "tp_amp.so:tp_amp_mono"],
        &[("JACK_DEFAULT_SERVER", "ladspa-no-such-server")],
    );
    assert_eq!(none.wait().code(), Some(1));
    assert!(
        none.seen.iter().any(
            |l| l.starts_with("E: ladspa: error: cannot open JACK client")
                && l.contains("is a JACK server running?")
        ),
        "{:?}",
        none.seen
    );
}
