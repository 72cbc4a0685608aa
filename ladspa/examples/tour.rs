//! A short tour of the host, on the workspace's own test plugins (no LADSPA package needed):
//! scan a directory, describe a plugin's ports and defaults, then make a tone with the test sine
//! oscillator and run it through the test amplifier.
//!
//! ```text
//! cargo run -p ladspa-host --example tour
//! ```

use ladspa_host::Plugin;
use ladspa_host::discovery::SearchPath;

fn peak(samples: &[f32]) -> f32 {
    samples.iter().fold(0.0, |peak, s| peak.max(s.abs()))
}

fn main() -> Result<(), ladspa_host::Error> {
    let dir = ladspa_testplugins::reference_dir();
    println!("Scanning {}:", dir.display());
    // SAFETY: the workspace's test plugins are trusted code.
    let mut scan = unsafe { SearchPath::new([dir]).scan_in_process() };
    scan.files.sort_by(|a, b| a.path.cmp(&b.path));
    for entry in &scan.files {
        match &entry.result {
            Ok(plugin) => {
                for d in plugin.descriptors() {
                    println!("  {:<22} {:>5}  {}", d.label(), d.unique_id(), d.name());
                }
            }
            Err(error) => println!("  {error}"),
        }
    }

    // SAFETY: as above.
    let amp_file = unsafe { Plugin::load(ladspa_testplugins::reference_plugin("tp_amp")) }?;
    // SAFETY: as above.
    let sine_file = unsafe { Plugin::load(ladspa_testplugins::reference_plugin("tp_sine")) }?;
    let (amp, sine) = (
        amp_file.find_label("tp_amp_mono")?,
        sine_file.find_label("tp_sine")?,
    );

    let rate = 48_000;
    println!("\n{} ({}), ports at {rate} Hz:", amp.name(), amp.label());
    for port in amp.ports() {
        let hint = port.hint();
        let (lower, upper) = hint.bounds_at(rate);
        println!(
            "  {:>2} {:<8} {:?} {:?}  bounds {:?}..{:?}  default {:?}",
            port.index(),
            port.name().to_string(),
            port.direction(),
            port.kind(),
            lower,
            upper,
            hint.default_value(rate)
        );
    }

    let mut oscillator = sine.instantiate(rate)?;
    oscillator.set_control("Frequency", 440.0)?;
    let mut oscillator = oscillator.activate();
    let mut amplifier = amp.instantiate(rate)?;
    amplifier.set_control("Gain", 0.5)?;
    let mut amplifier = amplifier.activate();

    let mut tone = vec![0.0_f32; rate as usize];
    let mut quieter = vec![0.0_f32; tone.len()];
    for (tone, quieter) in tone.chunks_mut(1024).zip(quieter.chunks_mut(1024)) {
        oscillator.run(tone.len(), &[], &mut [&mut *tone])?; // no audio input
        amplifier.run(tone.len(), &[&*tone], &mut [quieter])?;
    }
    println!(
        "\nOne second of 440 Hz from {}: peak {:.3}",
        sine.label(),
        peak(&tone)
    );
    println!(
        "Through {} at gain {}: peak {:.3}",
        amp.label(),
        amplifier.control("Gain")?,
        peak(&quieter)
    );
    Ok(())
}
