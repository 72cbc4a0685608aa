//! What a plugin type's ports mean by convention rather than by the header: the values its
//! control inputs start at, and the control output that reports its latency.

use crate::descriptor::Descriptor;
use crate::port::Port;

/// The name that hosts (Ardour, Carla, sox, PipeWire) read a plugin's latency from: a control
/// output of this name holds the delay, in samples, that the plugin adds to its audio.
const LATENCY_PORT_NAME: &[u8] = b"latency";

/// The most samples of latency a chain counts for one stage: 2²⁴ (5.8 minutes at 48 kHz),
/// the largest range in which an `f32` holds every whole number. A plugin that reports more
/// (or infinity) counts as this much, so that compensating it stays bounded.
pub const MAX_LATENCY: usize = 1 << 24;

/// The latency, in whole samples, that a `latency` output's value stands for: the value rounded
/// down (a fractional latency such as tap_pitch's 4006.5 at 48 kHz counts as 4006), 0 for a
/// negative or NaN value, at most [`MAX_LATENCY`].
///
/// Rounding down never compensates more than the plugin's delay, so that a compensated output
/// never runs ahead of its input (it may lag it by less than a sample); it is what Ardour
/// (`floor`), sox and Carla (integer conversion) do, so that `ladspa apply` and sox line a file
/// up alike.
pub(crate) fn latency_samples(reported: f32) -> usize {
    if reported >= MAX_LATENCY as f32 {
        MAX_LATENCY
    } else if reported >= 1.0 {
        // In 1 ..< 2²⁴: the conversion truncates, which for a positive value rounds down.
        reported as usize
    } else {
        // Below 1, negative, or NaN.
        0
    }
}

impl Port<'_> {
    /// The value this port starts at in an instance made at `sample_rate`, if it is a control
    /// input: what [`Descriptor::instantiate`] sets and [`Descriptor::initial_controls`] lists.
    pub(crate) fn initial_control_value(&self, sample_rate: u32) -> Option<f32> {
        (self.is_control() && self.is_input()).then(|| self.hint().initial_value(sample_rate))
    }
}

impl Descriptor {
    /// The value each control input starts at in an instance made at `sample_rate`, as
    /// `(port index, value)` in port order: exactly what [`Descriptor::instantiate`] sets
    /// ([`RangeHint::initial_value`](crate::RangeHint::initial_value): the port's default, or 0
    /// clamped into its bounds; always finite). For a preset's "reset to defaults", or to show
    /// the defaults before any instance exists.
    ///
    /// ```
    /// # let path = ladspa_testplugins::reference_plugin("tp_amp");
    /// # // SAFETY: the test plugins are trusted.
    /// # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
    /// let amp = plugin.find_label("tp_amp_mono")?;
    /// assert_eq!(amp.initial_controls(48_000), [(0, 1.0)]); // Gain, default 1
    /// # Ok::<(), ladspa_host::Error>(())
    /// ```
    pub fn initial_controls(&self, sample_rate: u32) -> Vec<(usize, f32)> {
        self.ports()
            .filter_map(|port| Some((port.index(), port.initial_control_value(sample_rate)?)))
            .collect()
    }

    /// The control output that reports the plugin's latency, by the convention hosts follow: the
    /// first control output named exactly `latency`. Its value (read with
    /// [`Handle::control`](crate::Handle::control) or [`Controls::get`](crate::Controls::get)
    /// after a run, possibly of 0 samples) is the delay in samples the plugin adds; how a
    /// fractional, negative or huge value counts is said by [`Chain::latency`](crate::Chain::latency).
    pub fn latency_port(&self) -> Option<Port<'_>> {
        self.ports().find(|port| {
            port.is_control() && port.is_output() && port.name().as_bytes() == LATENCY_PORT_NAME
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_LATENCY, latency_samples};

    #[test]
    fn latency_outputs_count_as_whole_samples_rounded_down_and_bounded() {
        let cases = [
            (4006.5, 4006),
            (4006.999, 4006),
            (64.0, 64),
            (0.999, 0),
            (0.0, 0),
            (-0.0, 0),
            (-0.5, 0),
            (-1e30, 0),
            (f32::NEG_INFINITY, 0),
            (f32::NAN, 0),
            (-f32::NAN, 0),
            (f32::MIN_POSITIVE, 0),
            (16_777_215.0, 16_777_215),
            (16_777_216.0, MAX_LATENCY),
            (1e12, MAX_LATENCY),
            (f32::MAX, MAX_LATENCY),
            (f32::INFINITY, MAX_LATENCY),
        ];
        for (reported, samples) in cases {
            assert_eq!(latency_samples(reported), samples, "{reported}");
        }
    }
}
