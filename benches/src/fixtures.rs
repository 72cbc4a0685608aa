//! What the benchmarks run: the plugin files and variants, the sample rate and gain, buffers,
//! and the safe side's instances and control changes.

use std::ffi::c_ulong;
use std::path::{Path, PathBuf};

/// The sample rate every benchmark instantiates at.
pub const SAMPLE_RATE: u32 = 48_000;

/// The block sizes of the run benchmarks, in samples.
pub const BLOCK_SIZES: [usize; 3] = [1, 64, 1024];

/// Debian's `ladspa-sdk` amplifier, benchmarked next to the test amplifier when installed.
pub const SDK_AMP: &str = "/usr/lib/ladspa/amp.so";

/// Debian's `ladspa-sdk` plugin directory, scanned next to the test plugins when present.
pub const SDK_DIR: &str = "/usr/lib/ladspa";

/// The gain every benchmark sets on the amplifiers (any value not 1 shows the plugin ran).
pub const GAIN: f32 = 0.5;

/// One mono amplifier to benchmark: the ports of both are 0 `Gain` (control input), 1 `Input`
/// (audio input) and 2 `Output` (audio output).
#[derive(Debug, Clone)]
pub struct AmpVariant {
    /// A short name for benchmark ids: `tp_amp` or `sdk_amp`.
    pub name: &'static str,
    /// The plugin file.
    pub path: PathBuf,
    /// The label of the mono amplifier in that file.
    pub label: &'static str,
}

/// The index of the amplifiers' `Gain` control input.
pub const AMP_GAIN_PORT: c_ulong = 0;
/// The index of the amplifiers' audio input.
pub const AMP_INPUT_PORT: c_ulong = 1;
/// The index of the amplifiers' audio output.
pub const AMP_OUTPUT_PORT: c_ulong = 2;

/// The amplifiers to benchmark: the workspace's test amplifier (`tp_amp_mono`, always), then
/// Debian's `amp.so` (`amp_mono`) when it is installed. When it is not, a note says so on
/// stderr and only the test amplifier is benchmarked.
pub fn amp_variants() -> Vec<AmpVariant> {
    let mut variants = vec![AmpVariant {
        name: "tp_amp",
        path: test_amp(),
        label: TEST_AMP_LABEL,
    }];
    if Path::new(SDK_AMP).is_file() {
        variants.push(AmpVariant {
            name: "sdk_amp",
            path: PathBuf::from(SDK_AMP),
            label: "amp_mono",
        });
    } else {
        eprintln!(
            "note: {SDK_AMP} is not installed (apt-get install ladspa-sdk); \
             skipping the sdk_amp benchmarks"
        );
    }
    variants
}

/// The directories the scan benchmarks scan, each with a short name: the test plugins (always),
/// then [`SDK_DIR`] when it exists (with a note on stderr when it does not).
pub fn scan_dirs() -> Vec<(&'static str, PathBuf)> {
    let mut dirs = vec![("testplugins", test_plugin_dir())];
    if Path::new(SDK_DIR).is_dir() {
        dirs.push(("sdk_dir", PathBuf::from(SDK_DIR)));
    } else {
        eprintln!("note: {SDK_DIR} does not exist; skipping the sdk_dir scan benchmarks");
    }
    dirs
}

/// The label of the mono amplifier in [`test_amp`].
pub const TEST_AMP_LABEL: &str = "tp_amp_mono";

/// The workspace's test amplifier file (`tp_amp`), built on first use.
pub fn test_amp() -> PathBuf {
    ladspa_testplugins::reference_plugin("tp_amp")
}

/// The directory of the workspace's reference test plugins, built on first use.
pub fn test_plugin_dir() -> PathBuf {
    ladspa_testplugins::reference_dir().to_owned()
}

/// Input and output buffers of one block, filled with a ramp (input) and zeros (output).
pub fn buffers(samples: usize) -> (Vec<f32>, Vec<f32>) {
    let input = (0..samples).map(|i| i as f32 / samples as f32).collect();
    (input, vec![0.0; samples])
}

/// A safe instance of an amplifier with its gain set to [`GAIN`], activated: the safe side of
/// the run benchmarks.
pub fn safe_amp(descriptor: &ladspa_host::Descriptor) -> ladspa_host::ActiveHandle {
    let mut handle = descriptor.instantiate(SAMPLE_RATE).expect("instantiate");
    handle
        .set_control(AMP_GAIN_PORT as usize, GAIN)
        .expect("the gain is a control input");
    handle.activate()
}

/// The test plugin with many controls that the `Controls` benchmarks run: `tp_hints` (48
/// control inputs, one control output, one audio output and no audio input).
pub fn controls_plugin() -> ladspa_host::Descriptor {
    let path = ladspa_testplugins::reference_plugin("tp_hints");
    // SAFETY: the test plugins are trusted code.
    let plugin = unsafe { ladspa_host::Plugin::load(path) }.expect("tp_hints loads");
    plugin.descriptors()[0].clone()
}

/// How many control inputs change before each run in a `Controls` benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlChanges {
    /// The handle has no `Controls`: the baseline.
    NoControls,
    /// The handle has `Controls`, and nothing changes.
    Unchanged,
    /// One control input changes.
    One,
    /// Every control input changes.
    All,
}

impl ControlChanges {
    /// Every case, in the order above, with its name in benchmark ids and the driver.
    pub const ALL: [(Self, &'static str); 4] = [
        (Self::NoControls, "none"),
        (Self::Unchanged, "unchanged"),
        (Self::One, "one"),
        (Self::All, "all"),
    ];

    /// An active instance of `descriptor`, with `Controls` unless this is `NoControls`, and the
    /// control inputs this case changes (their indices).
    pub fn setup(
        self,
        descriptor: &ladspa_host::Descriptor,
    ) -> (
        ladspa_host::ActiveHandle,
        Option<ladspa_host::Controls>,
        Vec<usize>,
    ) {
        let mut handle = descriptor
            .instantiate(SAMPLE_RATE)
            .expect("instantiate")
            .activate();
        let controls = (self != Self::NoControls).then(|| handle.controls());
        let inputs = descriptor.initial_controls(SAMPLE_RATE).into_iter();
        let changed = match self {
            Self::NoControls | Self::Unchanged => Vec::new(),
            Self::One => inputs.take(1).map(|(index, _)| index).collect(),
            Self::All => inputs.map(|(index, _)| index).collect(),
        };
        (handle, controls, changed)
    }
}

/// Sets each of `changed` through `controls` to a value that depends on `round`, as a GUI
/// thread turning knobs would between two runs.
pub fn turn_knobs(controls: Option<&ladspa_host::Controls>, changed: &[usize], round: usize) {
    if let Some(controls) = controls {
        let value = (round % 7) as f32;
        for &index in changed {
            controls.set(index, value).expect("a control input");
        }
    }
}
