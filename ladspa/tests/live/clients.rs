//! The test's own JACK clients: a player that plays a known signal into the host's inputs
//! (and turns the host's knobs at known blocks of it), and a recorder of the host's outputs.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use jack::{AudioIn, AudioOut, Client, ClientOptions, Control, Port, ProcessScope};
use ladspa_host::Chain;
use ladspa_host::live::{JackHost, Stats};

/// A change the player makes just before it plays one of its blocks: the host's callback of
/// the same cycle runs after the player's (the host's inputs depend on the player), so the
/// change applies exactly from that block on.
#[derive(Debug, Clone, Copy)]
pub enum Action {
    /// Stage, control port index, value.
    Control(usize, usize, f32),
    /// Stage, on.
    Bypass(usize, bool),
}

struct Player {
    ports: Vec<Port<AudioOut>>,
    signal: Vec<Vec<f32>>,
    actions: Vec<(usize, Action)>,
    host: Arc<JackHost>,
    armed: Arc<AtomicBool>,
    finished: Arc<AtomicBool>,
    played: usize,
    blocks: usize,
    /// The recorder's cycles recorded so far, and for each block played, their count then.
    recorded: Arc<AtomicUsize>,
    recorder_cycles: Vec<usize>,
    /// The host's callbacks when the first block and the last block were played.
    host_callbacks: (u64, u64),
}

impl jack::ProcessHandler for Player {
    fn process(&mut self, _: &Client, scope: &ProcessScope) -> Control {
        let n = scope.n_frames() as usize;
        let total = self.signal[0].len();
        let playing = self.armed.load(Ordering::Acquire) && self.played < total;
        if playing {
            if self.blocks == 0 {
                self.host_callbacks.0 = self.host.stats().callbacks;
            }
            for (at, action) in &self.actions {
                if *at == self.blocks {
                    match *action {
                        Action::Control(stage, port, value) => {
                            self.host.set_control(stage, port, value).unwrap()
                        }
                        Action::Bypass(stage, on) => self.host.set_bypass(stage, on).unwrap(),
                    }
                }
            }
            // The recorder of this cycle runs after the host, which runs after this: its count
            // is the index of the cycle it will record this block in.
            self.recorder_cycles
                .push(self.recorded.load(Ordering::Acquire));
        }
        for (port, signal) in self.ports.iter_mut().zip(&self.signal) {
            let out = port.as_mut_slice(scope);
            out.fill(0.0);
            if playing {
                let end = (self.played + n).min(total);
                out[..end - self.played].copy_from_slice(&signal[self.played..end]);
            }
        }
        if playing {
            self.played += n;
            self.blocks += 1;
            if self.played >= total {
                self.host_callbacks.1 = self.host.stats().callbacks;
                self.finished.store(true, Ordering::Release);
            }
        }
        Control::Continue
    }
}

struct Recorder {
    ports: Vec<Port<AudioIn>>,
    armed: Arc<AtomicBool>,
    data: Vec<Vec<f32>>,
    recorded: Arc<AtomicUsize>,
}

impl jack::ProcessHandler for Recorder {
    fn process(&mut self, _: &Client, scope: &ProcessScope) -> Control {
        let n = scope.n_frames() as usize;
        let room = self.data[0].capacity() - self.data[0].len();
        if self.armed.load(Ordering::Acquire) && room >= n {
            for (port, data) in self.ports.iter().zip(&mut self.data) {
                data.extend_from_slice(port.as_slice(scope));
            }
            self.recorded.fetch_add(1, Ordering::Release);
        }
        Control::Continue
    }
}

/// A host with a player and a recorder connected to it, playing.
pub struct Run {
    pub host: Arc<JackHost>,
    player: jack::AsyncClient<(), Player>,
    recorder: jack::AsyncClient<(), Recorder>,
    finished: Arc<AtomicBool>,
    frames: usize,
}

/// What a run gave.
pub struct Outcome {
    /// The host's outputs while the signal played, if no client lost a cycle.
    pub recording: Option<Vec<Vec<f32>>>,
    /// Why there is no recording.
    pub note: String,
    /// The host's callbacks before the first block of the signal.
    pub host_blocks_before: u64,
    /// The capture latency JACK reports for the host's first output port.
    pub reported_latency: u32,
    /// The host's last stats.
    pub stats: Stats,
}

fn open(name: &str) -> Client {
    Client::new(name, ClientOptions::NO_START_SERVER)
        .unwrap_or_else(|e| panic!("a JACK server runs (.ci/run starts one): {e}"))
        .0
}

impl Run {
    /// Starts `chain` live as `name`, connects a player of `signal` and a recorder, and starts
    /// playing.
    pub fn start(
        name: &str,
        chain: Chain,
        signal: &[Vec<f32>],
        actions: Vec<(usize, Action)>,
    ) -> Run {
        let host = Arc::new(JackHost::start(name, chain).expect("the host starts"));
        let frames = signal[0].len();
        let recorder_client = open("live-recorder");
        let recorder = Recorder {
            ports: (1..=host.output_ports().len())
                .map(|k| {
                    recorder_client
                        .register_port(&format!("in_{k}"), AudioIn::default())
                        .unwrap()
                })
                .collect(),
            armed: Arc::new(AtomicBool::new(false)),
            // Room for the signal and a second of lead-in and tail.
            data: (0..host.output_ports().len())
                .map(|_| Vec::with_capacity(frames + 96_000))
                .collect(),
            recorded: Arc::new(AtomicUsize::new(0)),
        };
        let player_client = open("live-player");
        let finished = Arc::new(AtomicBool::new(false));
        let player = Player {
            ports: (1..=host.input_ports().len())
                .map(|k| {
                    player_client
                        .register_port(&format!("out_{k}"), AudioOut::default())
                        .unwrap()
                })
                .collect(),
            signal: signal.to_vec(),
            actions,
            host: Arc::clone(&host),
            armed: Arc::new(AtomicBool::new(false)),
            finished: Arc::clone(&finished),
            played: 0,
            blocks: 0,
            recorded: Arc::clone(&recorder.recorded),
            recorder_cycles: Vec::with_capacity(frames / 16 + 16),
            host_callbacks: (0, 0),
        };
        let (play, record) = (Arc::clone(&player.armed), Arc::clone(&recorder.armed));
        let recorder = recorder_client.activate_async((), recorder).unwrap();
        let player = player_client.activate_async((), player).unwrap();
        let (player_name, recorder_name) = (
            player.as_client().name().to_string(),
            recorder.as_client().name().to_string(),
        );
        for (k, port) in host.input_ports().iter().enumerate() {
            host.connect(&format!("{player_name}:out_{}", k + 1), port)
                .unwrap();
        }
        for (k, port) in host.output_ports().iter().enumerate() {
            host.connect(port, &format!("{recorder_name}:in_{}", k + 1))
                .unwrap();
        }
        std::thread::sleep(Duration::from_millis(100)); // the graph settles
        record.store(true, Ordering::Release);
        std::thread::sleep(Duration::from_millis(20));
        play.store(true, Ordering::Release);
        Run {
            host,
            player,
            recorder,
            finished,
            frames,
        }
    }

    /// Waits for the signal to have played, stops the clients and the host.
    pub fn finish(self) -> Outcome {
        let deadline = Instant::now() + Duration::from_secs(120);
        while !self.finished.load(Ordering::Acquire) {
            assert!(Instant::now() < deadline, "the player never finished");
            std::thread::sleep(Duration::from_millis(10));
        }
        std::thread::sleep(Duration::from_millis(100)); // the recorder gets the last blocks
        let reported_latency = self
            .recorder
            .as_client()
            .port_by_name(&self.host.output_ports()[0])
            .expect("the host's port")
            .get_latency_range(jack::LatencyType::Capture)
            .0;
        let Run {
            host,
            player,
            recorder,
            frames,
            ..
        } = self;
        let (_, _, player) = player.deactivate().unwrap();
        let (_, _, recorder) = recorder.deactivate().unwrap();
        drop(player.host);
        let stats = Arc::try_unwrap(host)
            .unwrap_or_else(|_| panic!("the player held the last other handle"))
            .stop();
        let blocks = player.blocks;
        // JACK runs the player, then the host, then the recorder in each cycle: block `i` is in
        // the recorder's cycle `recorder_cycles[i]`, and the host ran one callback per cycle if
        // its count grew by one per block.
        let (before, last) = player.host_callbacks;
        let cycles = &player.recorder_cycles;
        let note = if last - before != blocks as u64 - 1 {
            format!(
                "the host ran {} callbacks for {blocks} blocks",
                last - before + 1
            )
        } else if let Some(i) = (0..blocks).find(|&i| cycles[i] != cycles[0] + i) {
            format!("block {i} of {blocks} was not in the recorder's next cycle")
        } else if (cycles[0] + blocks) * 64 > recorder.data[0].len() {
            "the recorder stopped before the end".to_string()
        } else {
            String::new()
        };
        let recording = note.is_empty().then(|| {
            let first = cycles[0] * 64;
            recorder
                .data
                .iter()
                .map(|data| data[first..first + frames].to_vec())
                .collect()
        });
        Outcome {
            recording,
            note,
            host_blocks_before: before,
            reported_latency,
            stats,
        }
    }
}
