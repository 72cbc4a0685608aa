//! Multichannel chains: plugin stages in order, processing N channels of audio, with the
//! layer every host builds on single instances: one instance per channel for mono plugins,
//! intermediate buffers, latency, bypass and sample-accurate automation.
//!
//! ```
//! # let path = ladspa_testplugins::reference_plugin("tp_amp");
//! # // SAFETY: the test plugins are trusted.
//! # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
//! use ladspa_host::Chain;
//!
//! let mono = plugin.find_label("tp_amp_mono")?; // 1 in, 1 out
//! let stereo = plugin.find_label("tp_amp_stereo")?; // 2 in, 2 out
//!
//! let mut chain = Chain::new(2, 48_000, 256)?; // stereo, plugins run ≤ 256 samples a call
//! let gain = chain.add(mono)?; // replicated: one instance per channel
//! chain.add(stereo)?; // one instance for both channels
//! chain.set_control(gain, "Gain", 0.5)?; // every replica at once
//!
//! let left = vec![1.0_f32; 1000];
//! let right = vec![-1.0_f32; 1000];
//! let mut out = vec![vec![0.0_f32; 1000]; 2];
//! chain.process(1000, &[&left, &right], &mut out)?; // any length: split into blocks
//! assert_eq!((out[0][999], out[1][999]), (0.5, -0.5));
//! assert_eq!(chain.latency(), 0);
//! println!("{chain}"); // the stage layout
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The borrow checker keeps a run's input and output buffers apart (for processing in place,
//! pass the outputs only: a chain's stages run in place on them where they can):
//!
//! ```compile_fail,E0502
//! # fn demo(chain: &mut ladspa_host::Chain) -> Result<(), ladspa_host::ChainError> {
//! let mut buffers = vec![vec![0.0_f32; 64]; 2];
//! chain.process(64, &buffers, &mut buffers)?; // cannot borrow as mutable and shared
//! # Ok(()) }
//! ```
//!
//! # Lifecycle
//! Each instance is activated exactly once before it first runs: [`Chain::add`] only
//! instantiates, and [`Chain::activate`] (or, failing that, the chain's next run) activates
//! every instance that is not active, after the controls set so far, so that plugins that read
//! their controls in `activate` see them. [`Chain::reset`] deactivates every instance, to be
//! activated again the same way. Activation takes the process-wide lifecycle lock: a real-time
//! host calls [`Chain::activate`] before the chain goes to the audio thread
//! ([`Chain::is_active`] says whether a run would). Dropping the chain deactivates and cleans
//! up every instance (one that was never active is activated first, since some plugins'
//! `cleanup` crashes otherwise: see [`Handle`](crate::Handle)'s "Dropping").
//!
//! # Channels
//! A chain has a number of input channels, fixed by [`Chain::new`]; each stage takes the
//! channels the stage before it left, by the rules of [`Mapping`], and may change their number
//! (a mono-to-stereo reverb, a stereo-to-mono mixer, a generator). The chain's output channels
//! are those the last stage leaves ([`Chain::output_channels`]). A plugin that fits no rule is
//! refused when it is added: a built chain never fails for its shape while it runs.
//!
//! # Buffers
//! [`Chain::process`] takes non-interleaved channel buffers of any length, of any buffer type
//! (`&[f32]`, `Vec<f32>`, arrays), and splits the run into blocks of at most the chain's
//! maximum block. The first stage reads the caller's input buffers, and the last one writes
//! into the caller's output buffers whenever the stages after it run in place; between them,
//! stages run in place in one of two buffer sets the chain owns (sized when stages are
//! added), or, for plugins that are `INPLACE_BROKEN` or change the channel count, from one set
//! into the other. A copy is made only when no stage can write the output (a chain of bypassed
//! stages, or none) or when the last stages cannot run in place there. The run path allocates
//! nothing, takes no lock and does no I/O (the proof is `tests/chain_alloc.rs`).
//!
//! # Controls
//! A stage's control inputs are set by stage and port (index or name) with
//! [`Chain::set_control`], on every replica at once; [`Chain::controls`] gives
//! [`StageControls`], which another thread uses while the chain runs (lock-free, applied at the
//! next run). [`Chain::set_bypass`] bypasses a stage between runs: its input passes through,
//! delayed by the stage's latency so that the chain's timing does not move;
//! [`StageControls::set_bypass`] does it from any thread while the chain runs (an atomic flag),
//! crossfading over one block so that it does not click. The delay lines are sized when stages
//! are activated or configured, never on the run path once the chain is
//! [active](Chain::activate).
//!
//! # Latency
//! [`Chain::latency`] is the sum of the stages' latencies in samples: what each stage's
//! `latency` output control ([`Descriptor::latency_port`](crate::Descriptor::latency_port))
//! said after the last run, kept by bypassed stages. [`Chain::process_offline`] compensates it
//! for files.
//!
//! # Automation
//! [`Chain::process_automated`] takes [`ControlChange`]s at sample offsets within the run and
//! applies each exactly at its sample, splitting the plugins' calls there
//! ([`Chain::set_min_split`] trades that accuracy for longer calls).

mod automation;
mod buffers;
mod builder;
mod bypass;
mod controls;
mod delay_line;
mod error;
mod latency;
mod mapping;
mod routing;
mod stage;
mod stage_run;
mod state;

pub use automation::ControlChange;
pub use controls::StageControls;
pub use delay_line::MAX_BYPASS_SECONDS;
pub use error::ChainError;
pub use mapping::Mapping;
pub use stage::Stage;
pub use state::Chain;
