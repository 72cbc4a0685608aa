//! What a plugin type's ports mean by convention rather than by the header: the values its
//! control inputs start at, and the control output that reports its latency.

use crate::descriptor::Descriptor;
use crate::port::Port;

/// The name that hosts (Ardour, Carla, sox, PipeWire) read a plugin's latency from: a control
/// output of this name holds the delay, in samples, that the plugin adds to its audio.
const LATENCY_PORT_NAME: &[u8] = b"latency";

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
    /// after a run, possibly of 0 samples) is the delay in samples the plugin adds.
    pub fn latency_port(&self) -> Option<Port<'_>> {
        self.ports().find(|port| {
            port.is_control() && port.is_output() && port.name().as_bytes() == LATENCY_PORT_NAME
        })
    }
}
