//! The two sides of the chain benchmark (`benches/chain.rs`) and of its callgrind driver
//! (`examples/chain_driver.rs`): a stereo chain of a mono plugin (one instance per channel)
//! then a stereo plugin, run by `ladspa_host::Chain` and by raw calls as a C host would write it
//! by hand: the mono instances from the input buffers into the output buffers, the stereo
//! instance in place on the output buffers, every port connected once.

use std::ffi::c_ulong;
use std::path::{Path, PathBuf};

use ladspa_host_sys as sys;

use crate::fixtures::{GAIN, SAMPLE_RATE, SDK_AMP, SDK_DIR, buffers, test_amp};
use crate::raw::{RawFunctions, RawInstance, RawLibrary};

/// One chain to benchmark. Both plugins have the port layout of the amplifiers: the mono one 0
/// (control input), 1 input, 2 output; the stereo one 0 (control input), 1 left input, 2 left
/// output, 3 right input, 4 right output.
#[derive(Debug, Clone)]
pub struct ChainVariant {
    /// A short name for benchmark ids: `tp` or `sdk`.
    pub name: &'static str,
    /// The mono plugin: file, label, value of its control input.
    pub mono: (PathBuf, &'static str, f32),
    /// The stereo plugin: file, label, value of its control input.
    pub stereo: (PathBuf, &'static str, f32),
}

/// The chains: the test amplifiers (`tp_amp_mono` then `tp_amp_stereo`), and, when Debian's
/// `ladspa-sdk` is installed, its low-pass filter (`filter.so` `lpf`, cutoff 1 kHz) then its
/// stereo amplifier (`amp.so` `amp_stereo`).
pub fn chain_variants() -> Vec<ChainVariant> {
    let amp = test_amp();
    let mut variants = vec![ChainVariant {
        name: "tp",
        mono: (amp.clone(), "tp_amp_mono", GAIN),
        stereo: (amp, "tp_amp_stereo", GAIN),
    }];
    let (filter, sdk_amp) = (Path::new(SDK_DIR).join("filter.so"), Path::new(SDK_AMP));
    if filter.is_file() && sdk_amp.is_file() {
        variants.push(ChainVariant {
            name: "sdk",
            mono: (filter, "lpf", 1000.0),
            stereo: (sdk_amp.to_owned(), "amp_stereo", GAIN),
        });
    } else {
        eprintln!("note: ladspa-sdk is not installed; skipping the sdk chain benchmarks");
    }
    variants
}

/// Two channels of a ramp, and two channels of zeros, of `samples` samples.
pub fn stereo_buffers(samples: usize) -> (Vec<Vec<f32>>, Vec<Vec<f32>>) {
    let (input, output) = buffers(samples);
    (vec![input.clone(), input], vec![output.clone(), output])
}

/// The chain run by hand with raw calls: its instances, connected once to its own buffers.
#[derive(Debug)]
pub struct RawChain {
    mono: [RawInstance; 2],
    stereo: RawInstance,
    samples: usize,
    // The memory the instances point into (heap memory: it stays where it is when the struct
    // moves), and the files, closed last.
    _controls: Box<[f32; 2]>,
    _inputs: Vec<Vec<f32>>,
    outputs: Vec<Vec<f32>>,
    _libraries: [RawLibrary; 2],
}

/// An activated raw instance of `label` in `library` with port 0 connected to `control`.
///
/// # Safety
/// `library` must be a trusted plugin file that stays open, and `control` must outlive the
/// instance.
unsafe fn raw_instance(library: &RawLibrary, label: &str, control: *mut f32) -> RawInstance {
    let descriptor: &sys::LADSPA_Descriptor = library.find(label);
    // SAFETY: the caller's promises; port 0 is a control input of the benchmarked plugins.
    unsafe {
        let mut instance = RawInstance::new(descriptor, RawFunctions::of(descriptor), SAMPLE_RATE);
        instance.connect(0, control);
        instance.activate();
        instance
    }
}

impl RawChain {
    /// The raw chain of `variant` for blocks of `samples` samples.
    ///
    /// # Safety
    /// The variant's plugin files must be trusted plugin files.
    pub unsafe fn new(variant: &ChainVariant, samples: usize) -> Self {
        // SAFETY: the caller's promise.
        let libraries = unsafe {
            [
                RawLibrary::open(&variant.mono.0),
                RawLibrary::open(&variant.stereo.0),
            ]
        };
        let mut controls = Box::new([variant.mono.2, variant.stereo.2]);
        let (inputs, mut outputs) = stereo_buffers(samples);
        let [mono_control, stereo_control] = controls.each_mut().map(std::ptr::from_mut);
        // SAFETY: the files stay open in `_libraries` and the controls live in `_controls`, both
        // dropped after the instances are cleaned up.
        let (mut mono, mut stereo) = unsafe {
            (
                [0, 1].map(|_| raw_instance(&libraries[0], variant.mono.1, mono_control)),
                raw_instance(&libraries[1], variant.stereo.1, stereo_control),
            )
        };
        for (k, instance) in mono.iter_mut().enumerate() {
            // SAFETY: the buffers hold `samples` samples and live in the struct (on the heap).
            unsafe {
                instance.connect(1, inputs[k].as_ptr().cast_mut());
                instance.connect(2, outputs[k].as_mut_ptr());
            }
        }
        for (k, buffer) in outputs.iter_mut().enumerate() {
            let port = 1 + 2 * k as c_ulong;
            // SAFETY: as above; in place (input and output on one buffer), which the
            // benchmarked stereo plugins allow (they are not INPLACE_BROKEN).
            unsafe {
                stereo.connect(port, buffer.as_mut_ptr());
                stereo.connect(port + 1, buffer.as_mut_ptr());
            }
        }
        RawChain {
            mono,
            stereo,
            samples,
            _controls: controls,
            _inputs: inputs,
            outputs,
            _libraries: libraries,
        }
    }

    /// One block through the chain: three `run` calls.
    #[inline]
    pub fn run(&mut self) {
        // SAFETY: every port is connected to live memory of `samples` samples (or one value),
        // and the instances are active.
        unsafe {
            self.mono[0].run(self.samples);
            self.mono[1].run(self.samples);
            self.stereo.run(self.samples);
        }
    }

    /// The output buffers.
    pub fn outputs(&self) -> &[Vec<f32>] {
        &self.outputs
    }

    /// Deactivates and cleans up the instances, as a C host must (dropping a `RawChain`
    /// without this leaks them).
    pub fn cleanup(self) {
        for mut instance in self.mono.into_iter().chain([self.stereo]) {
            // SAFETY: active instances, deactivated once and cleaned up once.
            unsafe {
                instance.deactivate();
                instance.cleanup();
            }
        }
    }
}

/// The descriptors of a variant's two plugins, loaded the safe way.
///
/// # Safety
/// The variant's plugin files must be trusted plugin files.
pub unsafe fn descriptors(variant: &ChainVariant) -> [ladspa_host::Descriptor; 2] {
    [&variant.mono, &variant.stereo].map(|(path, label, _)| {
        // SAFETY: the caller's promise.
        let plugin = unsafe { ladspa_host::Plugin::load(path) }.expect("the plugin loads");
        plugin
            .find_label(label)
            .expect("the plugin has its label")
            .clone()
    })
}

/// The chain run by hand with safe handles: `Handle::run` for the mono instances,
/// `Handle::run_in_place` for the stereo one, on the same buffers every call.
#[derive(Debug)]
pub struct HandleChain {
    mono: [ladspa_host::ActiveHandle; 2],
    stereo: ladspa_host::ActiveHandle,
    samples: usize,
    inputs: Vec<Vec<f32>>,
    outputs: Vec<Vec<f32>>,
}

impl HandleChain {
    /// The handles of `variant` for blocks of `samples` samples.
    ///
    /// # Safety
    /// The variant's plugin files must be trusted plugin files.
    pub unsafe fn new(variant: &ChainVariant, samples: usize) -> Self {
        // SAFETY: the caller's promise.
        let [mono, stereo] = unsafe { descriptors(variant) };
        let handle = |descriptor: &ladspa_host::Descriptor, value| {
            let mut handle = descriptor.instantiate(SAMPLE_RATE).expect("instantiate");
            handle.set_control(0, value).expect("a control input");
            handle.activate()
        };
        let (inputs, outputs) = stereo_buffers(samples);
        HandleChain {
            mono: [0, 1].map(|_| handle(&mono, variant.mono.2)),
            stereo: handle(&stereo, variant.stereo.2),
            samples,
            inputs,
            outputs,
        }
    }

    /// One block: three safe runs.
    #[inline]
    pub fn run(&mut self) {
        let n = self.samples;
        for (k, (handle, output)) in self.mono.iter_mut().zip(&mut self.outputs).enumerate() {
            handle
                .run(n, &self.inputs[k..=k], &mut [output])
                .expect("buffers fit");
        }
        self.stereo
            .run_in_place(n, &mut self.outputs)
            .expect("buffers fit");
    }
}

/// `ladspa_host::Chain` of `variant`: two channels, a maximum block of `samples`, the mono plugin
/// replicated then the stereo plugin, and buffers for it.
///
/// # Safety
/// The variant's plugin files must be trusted plugin files.
pub unsafe fn safe_chain(
    variant: &ChainVariant,
    samples: usize,
) -> (ladspa_host::Chain, Vec<Vec<f32>>, Vec<Vec<f32>>) {
    // SAFETY: the caller's promise.
    let [mono, stereo] = unsafe { descriptors(variant) };
    let mut chain = ladspa_host::Chain::new(2, SAMPLE_RATE, samples).expect("a chain");
    let first = chain.add(&mono).expect("a mono plugin fits");
    let second = chain.add(&stereo).expect("a stereo plugin fits");
    chain
        .set_control(first, 0, variant.mono.2)
        .expect("a control input");
    chain
        .set_control(second, 0, variant.stereo.2)
        .expect("a control input");
    let (inputs, outputs) = stereo_buffers(samples);
    (chain, inputs, outputs)
}
