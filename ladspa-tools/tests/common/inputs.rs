//! The inputs the tests feed the tools: WAV files, and control values for every plugin.

use std::path::Path;

use ladspa_host::Plugin;

/// Deterministic noise in [-1, 1) (a 64-bit LCG, fixed seed).
pub fn noise(state: &mut u64) -> f32 {
    *state = state
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    ((*state >> 40) as f32 / (1u64 << 23) as f32) - 1.0
}

/// Writes the test inputs into `dir`: `mono.wav` (3 s at 44.1 kHz, a sine plus noise, with
/// some samples at full scale) and `stereo.wav` (2 s at 48 kHz, a sine and noise), both 16-bit
/// PCM; `float.wav` and `24bit.wav`, which are not.
pub fn write_inputs(dir: &Path) {
    let mut state = 0x5eed;
    let spec = |channels, sample_rate, bits, format| hound::WavSpec {
        channels,
        sample_rate,
        bits_per_sample: bits,
        sample_format: format,
    };
    let int = hound::SampleFormat::Int;
    let mut mono =
        hound::WavWriter::create(dir.join("mono.wav"), spec(1, 44_100, 16, int)).unwrap();
    for i in 0..3 * 44_100 {
        let t = i as f32 / 44_100.0;
        let value = 0.6 * (t * 440.0 * std::f32::consts::TAU).sin() + 0.3 * noise(&mut state);
        let sample = (value * 32_767.0) as i16;
        mono.write_sample(if i % 5000 == 0 { i16::MAX } else { sample })
            .unwrap();
    }
    mono.finalize().unwrap();
    let mut stereo =
        hound::WavWriter::create(dir.join("stereo.wav"), spec(2, 48_000, 16, int)).unwrap();
    for i in 0..2 * 48_000 {
        let t = i as f32 / 48_000.0;
        stereo
            .write_sample(((t * 300.0 * std::f32::consts::TAU).sin() * 20_000.0) as i16)
            .unwrap();
        stereo
            .write_sample((noise(&mut state) * 30_000.0) as i16)
            .unwrap();
    }
    stereo.finalize().unwrap();
    // A whole number of the SDK's blocks (2048 frames): its last read gives 0 frames.
    let mut exact =
        hound::WavWriter::create(dir.join("exact.wav"), spec(1, 22_050, 16, int)).unwrap();
    (0..10 * 2048).for_each(|_| {
        exact
            .write_sample((noise(&mut state) * 20_000.0) as i16)
            .unwrap()
    });
    exact.finalize().unwrap();
    // 64 blocks: a whole number of our tool's reads (it reads 64 blocks at a time).
    let mut reads =
        hound::WavWriter::create(dir.join("reads.wav"), spec(1, 22_050, 16, int)).unwrap();
    for _ in 0..64 * 2048 {
        reads
            .write_sample((noise(&mut state) * 20_000.0) as i16)
            .unwrap();
    }
    reads.finalize().unwrap();
    let float = spec(1, 44_100, 32, hound::SampleFormat::Float);
    let mut writer = hound::WavWriter::create(dir.join("float.wav"), float).unwrap();
    (0..4410).for_each(|_| writer.write_sample(noise(&mut state) * 0.5).unwrap());
    writer.finalize().unwrap();
    let mut writer =
        hound::WavWriter::create(dir.join("24bit.wav"), spec(1, 44_100, 24, int)).unwrap();
    (0..4410).for_each(|i| writer.write_sample(i * 100).unwrap());
    writer.finalize().unwrap();
    std::fs::write(dir.join("junk.so"), "not a shared object\n").unwrap();
}

/// Every label of a plugin file, with the number of audio inputs and a control value for each
/// control input (its default, or a value inside its bounds).
pub fn labels(path: &Path) -> Vec<(String, usize, Vec<String>)> {
    // SAFETY: Debian's example plugins and the test plugins are trusted code.
    let plugin = unsafe { Plugin::load(path) }.unwrap_or_else(|e| panic!("{e}"));
    plugin
        .descriptors()
        .iter()
        .map(|d| {
            let controls = d
                .ports()
                .filter(|p| p.is_control() && p.is_input())
                .map(|p| {
                    let hint = p.hint();
                    let value = hint
                        .default_value(44_100)
                        .unwrap_or_else(|| hint.clamp(0.3, 44_100));
                    // A little off the default, to show that the value given is used.
                    format!("{}", hint.clamp(value * 0.75 + 0.125, 44_100))
                })
                .collect();
            (d.label().to_string(), d.audio_input_count(), controls)
        })
        .collect()
}
