//! The live host survives its server shutting down: it reports it (with JACK's reason) and
//! still stops cleanly. A server of its own (`jackd -n NAME -d dummy`), named through
//! `JACK_DEFAULT_SERVER`, so that the server the other live tests use keeps running. Needs
//! `jackd` (jackd2) and the feature `jack`.

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use ladspa_host::live::JackHost;
use ladspa_host::{Chain, Plugin};

/// A JACK server that is killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

// One test in this binary: it sets the process's environment before any other thread runs.
#[test]
fn the_server_shutting_down_is_reported_and_the_host_still_stops() {
    let name = format!("ladspa-live-shutdown-{}", std::process::id());
    // SAFETY: the only test of this binary sets it first, before it starts any thread.
    unsafe { std::env::set_var("JACK_DEFAULT_SERVER", &name) };
    let mut server = Server(
        Command::new("jackd")
            .args(["-n", &name, "-d", "dummy", "-r", "48000", "-p", "64"])
            .env("JACK_NO_AUDIO_RESERVATION", "1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("jackd runs (.ci/run installs jackd2)"),
    );
    let waited = Command::new("jack_wait")
        .args(["-s", &name, "-w", "-t", "10"])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("jack_wait runs");
    assert!(waited.success(), "the server {name} started");

    let path = ladspa_testplugins::reference_plugin("tp_amp");
    // SAFETY: the test plugins are trusted code.
    let plugin = unsafe { Plugin::load(path) }.unwrap();
    let chain = Chain::new(2, 48_000, 64)
        .unwrap()
        .with(plugin.find_label("tp_amp_mono").unwrap())
        .unwrap();
    let host = JackHost::start("live-shutdown", chain).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while host.stats().callbacks < 100 {
        assert!(Instant::now() < deadline, "the host runs");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(host.stats().shut_down, None);

    // SIGTERM: the server shuts down and tells its clients.
    let killed = Command::new("kill")
        .arg(server.0.id().to_string())
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(15);
    while host.stats().shut_down.is_none() {
        assert!(Instant::now() < deadline, "the host was told");
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = server.0.wait();
    let stats = host.stats();
    println!(
        "after {} callbacks: shut down: {:?}",
        stats.callbacks, stats.shut_down
    );
    // Knobs still turn (no audio runs them), and stopping cleans up without the server.
    host.set_control(0, "Gain", 0.5).unwrap();
    host.set_bypass(0, true).unwrap();
    let last = host.stop();
    assert!(last.shut_down.is_some());
    assert!(last.callbacks >= 100);
}
