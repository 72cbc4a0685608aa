//! The live host against a real JACK server (`.ci/run` starts `jackd -d dummy -r 48000 -p 64`
//! and runs these tests one at a time): a player client of our own plays a known signal into
//! the host's inputs and a recorder client records its outputs (two clients: one doing both
//! would form a loop, which adds a period); the recording equals `Chain::process` of the same
//! signal on the same chain, across control changes and bypass switches made at known
//! callbacks; the callbacks follow the server's clock; a 10-stage chain of Debian plugins stays
//! under the period; the audio thread allocates nothing, counted by this binary's allocator;
//! a sample-rate rebuild and a buffer-size change keep the audio going; a latency change reaches
//! the port latencies JACK reports. Needs the feature
//! `jack` and a running server (the tests fail without one: they are run where there is one).

mod clients;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clients::{Action, Run};
use ladspa_host::live::{self, JackHost};
use ladspa_host::{Chain, Descriptor, Plugin};

/// Allocations and frees made inside a host's process callback.
static IN_CALLBACK: AtomicU64 = AtomicU64::new(0);

/// Counts allocations, reallocations and frees made inside a host's process callback.
struct CallbackCounting;

// SAFETY: every call is passed on to the system allocator unchanged; only a counter is added.
unsafe impl std::alloc::GlobalAlloc for CallbackCounting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        count();
        // SAFETY: the caller's promises for `alloc` are passed on.
        unsafe { std::alloc::System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        count();
        // SAFETY: the caller's promises for `dealloc` are passed on.
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: the caller's promises for `realloc` are passed on.
        unsafe { std::alloc::System.realloc(ptr, layout, new_size) }
    }
}

fn count() {
    if live::in_process_callback() {
        IN_CALLBACK.fetch_add(1, Ordering::Relaxed);
    }
}

#[global_allocator]
static GLOBAL: CallbackCounting = CallbackCounting;

fn allocations_in_callbacks() -> u64 {
    IN_CALLBACK.load(Ordering::Relaxed)
}

const PERIOD: usize = 64;

fn test_plugin(file: &str, label: &str) -> Descriptor {
    let path = ladspa_testplugins::reference_plugin(file);
    // SAFETY: the test plugins are trusted code.
    let plugin = unsafe { Plugin::load(path) }.expect("the test plugin loads");
    plugin.find_label(label).expect("the label").clone()
}

fn debian(file: &str, label: &str) -> Descriptor {
    // SAFETY: Debian's plugins are trusted here (.ci/run installs them).
    let plugin = unsafe { Plugin::load(format!("/usr/lib/ladspa/{file}")) }
        .unwrap_or_else(|e| panic!("{file} loads (.ci/run installs Debian's plugins): {e}"));
    plugin.find_label(label).expect("the label").clone()
}

/// The 10-stage mix of Debian plugins of the measures (2 channels; mono plugins are
/// replicated; the limiter reports a latency).
fn debian_mix() -> Vec<Descriptor> {
    [
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
    ]
    .into_iter()
    .map(|(file, label)| debian(file, label))
    .collect()
}

fn chain_of(descriptors: &[Descriptor], controls: &[(usize, usize, f32)]) -> Chain {
    let mut chain = Chain::new(2, 48_000, PERIOD).unwrap();
    for descriptor in descriptors {
        chain.add(descriptor).unwrap();
    }
    for &(stage, port, value) in controls {
        chain.set_control(stage, port, value).unwrap();
    }
    chain
}

/// A deterministic stereo test signal.
fn signal(frames: usize) -> Vec<Vec<f32>> {
    (0..2)
        .map(|k| {
            let mut state = 0x9E37_79B9_u32 + k;
            (0..frames)
                .map(|i| {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    let noise = state as f32 / u32::MAX as f32 - 0.5;
                    (i as f32 * 0.013 * (k + 1) as f32).sin() * 0.4 + noise * 0.2
                })
                .collect()
        })
        .collect()
}

/// What the host must have put out: the same plugins offline, in blocks of the period, after
/// as many silent blocks as the host ran before the signal, with the same actions before the
/// same blocks.
fn offline(
    descriptors: &[Descriptor],
    controls: &[(usize, usize, f32)],
    silent_blocks: u64,
    input: &[Vec<f32>],
    actions: &[(usize, Action)],
) -> Vec<Vec<f32>> {
    let mut chain = chain_of(descriptors, controls);
    let stages: Vec<_> = (0..descriptors.len())
        .map(|s| chain.controls(s).unwrap())
        .collect();
    chain
        .process(0, &[[0.0_f32; 0]; 2], &mut [[0.0_f32; 0]; 2])
        .unwrap();
    let mut out = [vec![0.0_f32; PERIOD], vec![0.0; PERIOD]];
    for _ in 0..silent_blocks {
        chain
            .process(PERIOD, &[[0.0_f32; PERIOD]; 2], &mut out)
            .unwrap();
    }
    let frames = input[0].len();
    let mut result = vec![vec![0.0_f32; frames]; 2];
    for block in 0..frames / PERIOD {
        for (at, action) in actions {
            if *at == block {
                match *action {
                    Action::Control(stage, port, value) => stages[stage].set(port, value).unwrap(),
                    Action::Bypass(stage, on) => stages[stage].set_bypass(on).unwrap(),
                }
            }
        }
        let span = block * PERIOD..(block + 1) * PERIOD;
        let ins = [&input[0][span.clone()], &input[1][span.clone()]];
        chain.process(PERIOD, &ins, &mut out).unwrap();
        for k in 0..2 {
            result[k][span.clone()].copy_from_slice(&out[k]);
        }
    }
    result
}

/// Plays `input` through a host running `descriptors` and compares the recording with the
/// chain offline. A run where one of the clients missed a cycle (an xrun: the host did not run
/// once per block, or a block did not reach the recorder in the next cycle) is reported and run
/// again, at most five times: on a loaded machine one run in five or so loses a cycle, and
/// only the server's scheduling, not the host, decides that.
fn assert_live_equals_offline(
    descriptors: &[Descriptor],
    controls: &[(usize, usize, f32)],
    actions: &[(usize, Action)],
    frames: usize,
    during: impl Fn(&JackHost) + Copy,
) {
    let input = signal(frames);
    for attempt in 1..=5 {
        let chain = chain_of(descriptors, controls);
        let before = allocations_in_callbacks();
        let run = Run::start("live-test", chain, &input, actions.to_vec());
        during(&run.host);
        let outcome = run.finish();
        assert_eq!(
            allocations_in_callbacks() - before,
            0,
            "the host's process callback allocated or freed"
        );
        let Some(recording) = outcome.recording else {
            eprintln!("attempt {attempt}: {}; running again", outcome.note);
            continue;
        };
        let expected = offline(
            descriptors,
            controls,
            outcome.host_blocks_before,
            &input,
            actions,
        );
        for k in 0..2 {
            for (t, (got, want)) in recording[k].iter().zip(&expected[k]).enumerate() {
                assert!(
                    (got - want).abs() <= 1e-6,
                    "channel {k}, sample {t} (block {}): live {got}, offline {want}",
                    t / PERIOD
                );
            }
        }
        assert_eq!(
            outcome.reported_latency, outcome.stats.latency as u32,
            "the latency JACK reports for the host's output ports is the chain's"
        );
        println!(
            "{} samples equal within 1e-6 ({} silent blocks before; latency {} reported to JACK); {:?}",
            frames, outcome.host_blocks_before, outcome.reported_latency, outcome.stats
        );
        return;
    }
    panic!("five runs in a row lost cycles to xruns");
}

#[test]
fn the_recording_equals_the_chain_offline_across_control_changes_and_bypass() {
    let descriptors = [
        test_plugin("tp_amp", "tp_amp_mono"),
        test_plugin("tp_latency", "tp_latency"),
        test_plugin("tp_amp", "tp_amp_stereo"),
    ];
    let controls = [(0, 0, 0.5), (1, 0, 100.0), (2, 0, 2.0)];
    let actions = [
        (20, Action::Control(0, 0, 0.25)),
        (40, Action::Bypass(2, true)),
        (41, Action::Control(0, 0, 1.5)),
        (60, Action::Bypass(1, true)),
        (70, Action::Bypass(2, false)),
        (80, Action::Bypass(1, false)),
    ];
    assert_live_equals_offline(&descriptors, &controls, &actions, 100 * PERIOD, |_| ());
}

#[test]
fn the_recording_equals_the_chain_offline_for_debian_plugins() {
    let descriptors = debian_mix();
    let actions = [
        (30, Action::Bypass(7, true)),    // the reverb out
        (50, Action::Control(9, 0, 0.5)), // amp_stereo's gain
        (70, Action::Bypass(7, false)),
        (90, Action::Bypass(8, true)), // the limiter, which has a latency
    ];
    assert_live_equals_offline(&descriptors, &[], &actions, 120 * PERIOD, |_| ());
}

#[test]
fn callbacks_follow_the_server_clock() {
    let host = JackHost::start(
        "live-clock",
        chain_of(&[test_plugin("tp_amp", "tp_amp_mono")], &[]),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let (frames_before, callbacks_before) = (host.client().frame_time(), host.stats().callbacks);
    std::thread::sleep(Duration::from_secs(3));
    let (frames_after, stats) = (host.client().frame_time(), host.stats());
    let cycles = u64::from(frames_after.wrapping_sub(frames_before)) / PERIOD as u64;
    let callbacks = stats.callbacks - callbacks_before;
    println!(
        "{callbacks} callbacks for {cycles} cycles of the server's clock ({:.1} %), {} xruns",
        100.0 * callbacks as f64 / cycles as f64,
        stats.xruns
    );
    assert!(
        cycles > 2000,
        "the server's clock ran {cycles} cycles in 3 s"
    );
    assert!(
        callbacks as f64 >= 0.95 * cycles as f64,
        "{callbacks} callbacks for {cycles} cycles"
    );
    assert_eq!(stats.frames, PERIOD as u32);
    assert_eq!(stats.sample_rate, 48_000);
    host.stop();
}

#[test]
fn a_ten_stage_chain_of_debian_plugins_stays_under_the_period_without_allocating() {
    let descriptors = debian_mix();
    let before = allocations_in_callbacks();
    let input = signal(48_000 * 6);
    let run = Run::start("live-load", chain_of(&descriptors, &[]), &input, Vec::new());
    // Knobs turned and bypasses switched from another thread all along.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut turn = 0_u32;
    while Instant::now() < deadline {
        run.host
            .set_control(9, 0, 0.5 + (turn % 7) as f32 * 0.1)
            .unwrap();
        run.host
            .set_bypass((turn % 10) as usize, turn.is_multiple_of(3))
            .unwrap();
        turn += 1;
        std::thread::sleep(Duration::from_millis(7));
    }
    for stage in 0..10 {
        run.host.set_bypass(stage, false).unwrap();
    }
    let times = run.host.callback_times();
    let outcome = run.finish();
    let stats = &outcome.stats;
    let p99 = times.percentile(0.99).unwrap();
    println!(
        "10 Debian stages, 2 channels, {} callbacks ({turn} control turns): p50 {:?}, p99 {p99:?}, \
         max {:?}, mean {:?} (of which Chain::process {:?}), period {:?}; JACK load {:.1} %; {} xruns",
        times.count(),
        times.percentile(0.5).unwrap(),
        times.longest(),
        stats.mean,
        stats.chain_mean,
        stats.period,
        stats.cpu_load,
        stats.xruns
    );
    assert_eq!(
        allocations_in_callbacks() - before,
        0,
        "the audio thread allocated"
    );
    assert!(times.count() > 3000);
    assert!(
        p99 < stats.period,
        "p99 {p99:?} over the period {:?}",
        stats.period
    );
    assert_eq!(stats.run_errors, 0);
}

#[test]
fn a_sample_rate_change_rebuilds_the_chain_and_swaps_it_in_without_a_gap() {
    // JACK cannot change a running server's rate: this calls what the host's sample-rate
    // callback calls. A mono amplifier sounds the same at any rate, so the recording must
    // equal the chain offline through the swap, with no gap; the new chain keeps the controls
    // and bypasses set on the old one, and the audio thread allocates nothing meanwhile.
    let descriptors = [
        test_plugin("tp_amp", "tp_amp_mono"),
        test_plugin("tp_amp", "tp_amp_stereo"),
    ];
    let actions = [
        (10, Action::Control(0, 0, 0.5)),
        (12, Action::Bypass(1, true)),
    ];
    assert_live_equals_offline(
        &descriptors,
        &[(1, 0, 3.0)],
        &actions,
        400 * PERIOD,
        |host| {
            while !host.bypass(1).unwrap() || host.stats().callbacks < 100 {
                std::thread::sleep(Duration::from_millis(5));
            }
            std::thread::sleep(Duration::from_millis(50)); // the bypass crossfade is over
            host.rebuild(44_100).unwrap();
            let stats = host.stats();
            assert_eq!((stats.chain_rate, stats.chain_swaps), (44_100, 1));
            assert_eq!(host.control(0, 0).unwrap(), 0.5);
            assert!(host.bypass(1).unwrap());
            host.rebuild(48_000).unwrap(); // and back
            assert_eq!(host.stats().chain_swaps, 2);
        },
    );
}

#[test]
fn a_buffer_size_change_is_followed() {
    let host = Arc::new(
        JackHost::start(
            "live-bufsize",
            chain_of(&[test_plugin("tp_amp", "tp_amp_mono")], &[]),
        )
        .unwrap(),
    );
    let wait_for = |frames: u32| {
        let deadline = Instant::now() + Duration::from_secs(10);
        while host.stats().frames != frames && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        let before = host.stats().callbacks;
        std::thread::sleep(Duration::from_millis(300));
        assert!(
            host.stats().callbacks > before,
            "callbacks go on at {frames} frames"
        );
        assert_eq!(host.stats().frames, frames);
    };
    host.client().set_buffer_size(256).unwrap();
    wait_for(256);
    host.client().set_buffer_size(PERIOD as u32).unwrap();
    wait_for(PERIOD as u32);
    assert_eq!(host.stats().run_errors, 0);
    Arc::try_unwrap(host).unwrap().stop();
}

#[test]
fn a_latency_change_reaches_the_ports_jack_reports() {
    // tp_latency reports the delay it is set to: JACK's view of the host's ports follows when
    // the knob turns while the host runs (the host's thread tells JACK to recompute).
    let mut chain = chain_of(&[test_plugin("tp_latency", "tp_latency")], &[(0, 0, 10.0)]);
    chain.set_max_block(PERIOD).unwrap();
    let host = JackHost::start("live-latency", chain).unwrap();
    let (observer, _) = jack::Client::new(
        "live-latency-observer",
        jack::ClientOptions::NO_START_SERVER,
    )
    .unwrap();
    // Capture latency on the outputs (upstream, nothing: 0, plus the chain's), playback latency
    // on the inputs (downstream, nothing: 0, plus the chain's).
    let reported = || {
        let range = |port: &str, mode| observer.port_by_name(port).unwrap().get_latency_range(mode);
        (
            range(&host.output_ports()[1], jack::LatencyType::Capture),
            range(&host.input_ports()[0], jack::LatencyType::Playback),
        )
    };
    let wait_for = |latency: u32| {
        let deadline = Instant::now() + Duration::from_secs(10);
        while reported() != ((latency, latency), (latency, latency)) {
            assert!(
                Instant::now() < deadline,
                "JACK reports {:?}, not {latency}",
                reported()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    };
    wait_for(10);
    host.set_control(0, "Delay (Samples)", 333.0).unwrap();
    wait_for(333);
    assert_eq!(host.stats().latency, 333);
    host.set_control(0, 0, 0.0).unwrap();
    wait_for(0);
    host.stop();
}
