//! The kit's own plugin type: an amplifier of N channels, which the reference plugin file and
//! the lethal plugins export.

use core::ffi::c_ulong;

use ladspa_host_sys::*;

use super::instance::{Io, Plugin};
use super::port::Port;

/// An amplifier of `CHANNELS` channels: port 0 is the gain (control input), then for each
/// channel an audio input and an audio output (ports `1 + 2c` and `2 + 2c`), output = input
/// times gain. Each sample is read before it is written, so in-place processing works.
/// `run_adding` adds input × gain × run-adding gain.
#[derive(Debug)]
pub struct Amp<const CHANNELS: usize>;

impl<const CHANNELS: usize> Plugin for Amp<CHANNELS> {
    fn new(_sample_rate: c_ulong) -> Option<Self> {
        Some(Self)
    }

    fn run(&mut self, io: &Io<'_>) {
        let gain = io.control(0);
        for channel in 0..CHANNELS {
            let (input, output) = (1 + 2 * channel, 2 + 2 * channel);
            for i in 0..io.len() {
                io.write(output, i, io.read(input, i) * gain);
            }
        }
    }

    fn run_adding(&mut self, io: &Io<'_>, adding_gain: LADSPA_Data) {
        let gain = io.control(0) * adding_gain;
        for channel in 0..CHANNELS {
            let (input, output) = (1 + 2 * channel, 2 + 2 * channel);
            for i in 0..io.len() {
                io.add(output, i, io.read(input, i) * gain);
            }
        }
    }
}

/// The ports of the mono [`Amp`]: 0 "Gain" (control input, bounded below by 0, logarithmic,
/// default 1), 1 "Input", 2 "Output".
pub const AMP_MONO_PORTS: [Port; 3] = [
    Port::control_in(c"Gain", AMP_GAIN_HINT, 0.0, 0.0),
    Port::audio_in(c"Input"),
    Port::audio_out(c"Output"),
];

/// The range hint of an amplifier's "Gain": bounded below (by 0), logarithmic, default 1.
pub const AMP_GAIN_HINT: LADSPA_PortRangeHintDescriptor =
    LADSPA_HINT_BOUNDED_BELOW | LADSPA_HINT_LOGARITHMIC | LADSPA_HINT_DEFAULT_1;
