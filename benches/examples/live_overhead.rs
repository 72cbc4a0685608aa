//! The live host's cost per period against the same chain offline (issue 26's measures): for
//! 1, 10 and 50 stages of `amp.so:amp_mono` on 2 channels and a 10-stage mix of Debian plugins,
//! the chain's `Chain::process` of one period in a loop (offline), then the same chain run by
//! `ladspa_host::live::JackHost` on the running JACK server with noise played into its inputs by
//! a second client, its callbacks timed inside the callback. The difference of the means is
//! the live host's overhead per cycle (goal: ≤ 2 µs). Two more columns tell the host's own
//! cost from what running once per period does to any code: `Chain::process` called once per
//! period on an ordinary thread (caches as cold as between callbacks), and `Chain::process`'s
//! own time inside the same callbacks (`Stats::chain_mean`). Needs a running server
//! (`benches/live.sh` starts `jackd -d dummy -r 48000 -p 64`) and Debian's plugins.
//!
//! ```sh
//! cargo run --release -p ladspa-benches --features jack --example live_overhead -- [SECONDS]
//! ```

use std::hint::black_box;
use std::time::{Duration, Instant};

use jack::{AudioOut, Client, ClientOptions, Control, Port, ProcessScope};
use ladspa_host::live::{JackHost, Stats};
use ladspa_host::{Chain, Descriptor, Plugin};

/// The 10-stage mix of Debian plugins (the live tests use the same): mono ones replicated.
const DEBIAN_MIX: [(&str, &str); 10] = [
    ("filter.so", "hpf"),
    ("tap_eq.so", "tap_equalizer"),
    ("caps.so", "Compress"),
    ("sc4_1882.so", "sc4"),
    ("tap_chorusflanger.so", "tap_chorusflanger"),
    ("tap_tremolo.so", "tap_tremolo"),
    ("delay.so", "delay_5s"),
    ("tap_reverb.so", "tap_reverb"),
    ("fast_lookahead_limiter_1913.so", "fastLookaheadLimiter"),
    ("amp.so", "amp_stereo"),
];

const CHANNELS: usize = 2;
const RATE: u32 = 48_000;

fn descriptor(file: &str, label: &str) -> Descriptor {
    let path = format!("/usr/lib/ladspa/{file}");
    // SAFETY: Debian's plugin files are trusted here.
    let plugin = unsafe { Plugin::load(&path) }.unwrap_or_else(|e| panic!("{path}: {e}"));
    plugin
        .find_label(label)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .clone()
}

/// A chain of `stages` at `block` frames.
fn chain(stages: &[Descriptor], block: usize) -> Chain {
    let mut chain = Chain::new(CHANNELS, RATE, block).expect("a chain");
    for stage in stages {
        chain.add(stage).expect("the stage fits");
    }
    chain
}

/// Deterministic noise in [-0.5, 0.5).
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> f32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 40) as f32 / (1u64 << 24) as f32 - 0.5
    }
}

/// Mean time of `Chain::process` of one `block` on noise, over `seconds` of audio's worth of
/// calls after a warm-up.
fn offline(stages: &[Descriptor], block: usize, seconds: f64) -> Duration {
    let mut chain = chain(stages, block);
    let mut noise = Noise(7);
    let calls = (seconds * f64::from(RATE) / block as f64) as usize;
    let inputs: Vec<Vec<Vec<f32>>> = (0..64)
        .map(|_| {
            (0..CHANNELS)
                .map(|_| (0..block).map(|_| noise.next()).collect())
                .collect()
        })
        .collect();
    let mut outputs = vec![vec![0.0_f32; block]; CHANNELS];
    for k in 0..calls / 4 {
        chain
            .process(block, &inputs[k % 64], &mut outputs)
            .expect("runs");
    }
    let start = Instant::now();
    for k in 0..calls {
        chain
            .process(black_box(block), &inputs[k % 64], &mut outputs)
            .expect("runs");
        black_box(&mut outputs);
    }
    start.elapsed() / calls as u32
}

/// Mean time of `Chain::process` of one `block` called once per period (sleeping between, as
/// the audio thread waits between callbacks), timed around each call: the offline cost with
/// the caches as cold as the live callback finds them, to tell the host's own overhead from
/// what pacing does to any code.
fn offline_paced(stages: &[Descriptor], block: usize, seconds: f64) -> Duration {
    let mut chain = chain(stages, block);
    let mut noise = Noise(7);
    let period = Duration::from_secs_f64(block as f64 / f64::from(RATE));
    let calls = (seconds / period.as_secs_f64()) as u32;
    let inputs: Vec<Vec<f32>> = (0..CHANNELS)
        .map(|_| (0..block).map(|_| noise.next()).collect())
        .collect();
    let mut outputs = vec![vec![0.0_f32; block]; CHANNELS];
    let (mut busy, mut next) = (Duration::ZERO, Instant::now());
    for _ in 0..calls {
        next += period;
        let start = Instant::now();
        chain
            .process(black_box(block), &inputs, &mut outputs)
            .expect("runs");
        busy += start.elapsed();
        std::thread::sleep(next.saturating_duration_since(Instant::now()));
    }
    busy / calls
}

/// A client that plays noise on two ports.
fn player() -> (
    jack::AsyncClient<(), impl jack::ProcessHandler>,
    Vec<String>,
) {
    let (client, _) =
        Client::new("live-bench-player", ClientOptions::NO_START_SERVER).expect("a JACK server");
    let mut ports: Vec<Port<AudioOut>> = (1..=CHANNELS)
        .map(|k| {
            client
                .register_port(&format!("out_{k}"), AudioOut::default())
                .expect("a port")
        })
        .collect();
    let names = ports.iter().map(|p| p.name().expect("a name")).collect();
    let mut noise = Noise(11);
    let play = move |_: &Client, scope: &ProcessScope| {
        for port in &mut ports {
            for sample in port.as_mut_slice(scope) {
                *sample = noise.next();
            }
        }
        Control::Continue
    };
    let active = client
        .activate_async((), jack::contrib::ClosureProcessHandler::new(play))
        .expect("activate the player");
    (active, names)
}

/// The live host's mean callback over `seconds` after a warm-up of 0.5 s, its 99th percentile
/// and longest callback since it started, and JACK's load at the end.
struct Live {
    mean: Duration,
    /// `Chain::process`'s own mean inside the same callbacks.
    chain_mean: Duration,
    p99: Duration,
    longest: Duration,
    cycles: u64,
    load: f32,
    xruns: u64,
    period: Duration,
    frames: u32,
}

fn live(stages: &[Descriptor], player: &[String], seconds: f64) -> Live {
    let host = JackHost::start("live-bench", chain(stages, 64)).expect("the host starts");
    for (from, to) in player.iter().zip(host.input_ports()) {
        host.connect(from, to).expect("connect the player");
    }
    std::thread::sleep(Duration::from_millis(500));
    let before = host.stats();
    std::thread::sleep(Duration::from_secs_f64(seconds));
    let after = host.stats();
    // Since the client started: the warm-up's callbacks count too (a pessimistic view).
    let times = host.callback_times();
    let total = |mean: Duration, s: &Stats| mean.as_nanos() as u64 * s.callbacks;
    let cycles = after.callbacks - before.callbacks;
    let window = |mean: fn(&Stats) -> Duration| {
        Duration::from_nanos(
            (total(mean(&after), &after) - total(mean(&before), &before)) / cycles.max(1),
        )
    };
    let result = Live {
        mean: window(|s| s.mean),
        chain_mean: window(|s| s.chain_mean),
        p99: times.percentile(0.99).unwrap_or_default(),
        longest: times.longest(),
        cycles,
        load: after.cpu_load,
        xruns: after.xruns - before.xruns,
        period: after.period,
        frames: after.frames,
    };
    host.stop();
    result
}

fn main() {
    let seconds: f64 = std::env::args()
        .nth(1)
        .map_or(5.0, |s| s.parse().expect("SECONDS"));
    let amp = descriptor("amp.so", "amp_mono");
    let mix: Vec<Descriptor> = DEBIAN_MIX
        .iter()
        .map(|(file, label)| descriptor(file, label))
        .collect();
    let chains: [(&str, Vec<Descriptor>); 4] = [
        ("amp_mono x1", vec![amp.clone()]),
        ("amp_mono x10", vec![amp.clone(); 10]),
        ("amp_mono x50", vec![amp.clone(); 50]),
        ("Debian mix x10", mix),
    ];
    let (player, ports) = player();
    println!(
        "{:<16} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>7} {:>7} {:>6}",
        "chain (2 ch)",
        "offline",
        "paced",
        "live",
        "overhead",
        "in-chain",
        "host",
        "p99",
        "longest",
        "of period",
        "cycles",
        "JACK %",
        "xruns"
    );
    println!(
        "(µs per 64-frame period: offline = Chain::process in a loop; paced = once per period on an \
         ordinary thread; live = the host's callback, mean; overhead = live - offline; in-chain = \
         Chain::process inside those callbacks; host = live - in-chain)"
    );
    for (name, stages) in &chains {
        let result = live(stages, &ports, seconds);
        let offline = offline(stages, result.frames as usize, seconds);
        let paced = offline_paced(stages, result.frames as usize, seconds);
        let us = |d: Duration| d.as_secs_f64() * 1e6;
        println!(
            "{:<16} {:>10.2} {:>9.2} {:>9.2} {:>+9.2} {:>9.2} {:>9.2} {:>9.1} {:>9.1} {:>8.1}% {:>7} {:>7.1} {:>6}",
            name,
            us(offline),
            us(paced),
            us(result.mean),
            us(result.mean) - us(offline),
            us(result.chain_mean),
            us(result.mean) - us(result.chain_mean),
            us(result.p99),
            us(result.longest),
            100.0 * result.mean.as_secs_f64() / result.period.as_secs_f64(),
            result.cycles,
            result.load,
            result.xruns
        );
    }
    drop(player);
}
