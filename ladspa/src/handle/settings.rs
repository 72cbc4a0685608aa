//! What the owner of a handle sets on it between runs: its control values (read and set by
//! index, name or port) and whether its runs flush denormals.

use super::lifecycle::Handle;
use super::state::State;
use crate::fp_env;
use crate::port_error::PortError;
use crate::port_ref::{Need, PortRef};

impl<S: State> Handle<S> {
    /// The value of a control port (input or output), by index, name or [`Port`](crate::Port).
    /// A name is looked up among control ports only. Output controls hold what the plugin
    /// wrote in the last run.
    pub fn control(&self, port: impl PortRef) -> Result<f32, PortError> {
        let index = self.descriptor.find_control(&port, Need::Control)?.index();
        Ok(self.port_memory.get(index))
    }

    /// Sets a control input, by index, name or [`Port`](crate::Port); a name is looked up
    /// among control inputs only ([`PortRef`]).
    ///
    /// NaN and infinities are refused ([`PortError::NotFinite`]): no control means anything
    /// as one, and many real plugins crash or raise SIGFPE on them. Finite values outside the
    /// port's hinted range are passed on as they are (hints are hints, and some plugins are
    /// meant to be driven past them); see [`Handle::set_control_clamped`] to keep within them.
    ///
    /// ```
    /// # let path = ladspa_testplugins::reference_plugin("tp_amp");
    /// # // SAFETY: the test plugins are trusted.
    /// # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
    /// # let amp = plugin.find_label("tp_amp_mono")?;
    /// let mut handle = amp.instantiate(48_000)?;
    /// handle.set_control("Gain", 0.5)?;
    /// assert_eq!(handle.control(0)?, 0.5);
    /// assert!(matches!(
    ///     handle.set_control("Gain", f32::NAN),
    ///     Err(ladspa_host::PortError::NotFinite { index: 0, .. })
    /// ));
    /// assert!(handle.set_control("Input", 1.0).is_err()); // an audio port
    /// # Ok::<(), ladspa_host::Error>(())
    /// ```
    pub fn set_control(&mut self, port: impl PortRef, value: f32) -> Result<(), PortError> {
        let index = self
            .descriptor
            .find_control(&port, Need::ControlInput)?
            .index();
        if !value.is_finite() {
            return Err(self.not_finite(index, value));
        }
        self.write_control(index, value);
        Ok(())
    }

    /// Sets a control input clamped into its hinted bounds at the instance's sample rate, and
    /// returns the value set. NaN sets the port's initial value
    /// ([`RangeHint::initial_value`](crate::RangeHint::initial_value): its default when it has
    /// one); an infinity is clamped to the bound on its side, and refused
    /// ([`PortError::NotFinite`]) when the port has no finite bound there.
    pub fn set_control_clamped(
        &mut self,
        port: impl PortRef,
        value: f32,
    ) -> Result<f32, PortError> {
        let port = self.descriptor.find_control(&port, Need::ControlInput)?;
        let hint = port.hint();
        let value = if value.is_nan() {
            hint.initial_value(self.sample_rate)
        } else {
            hint.clamp(value, self.sample_rate)
        };
        let index = port.index();
        if !value.is_finite() {
            return Err(self.not_finite(index, value));
        }
        self.write_control(index, value);
        Ok(value)
    }

    /// Copies the values of every control input from `other`, an instance of the same plugin
    /// type (an equal [`Descriptor`](crate::Descriptor)), in either state: what the plugin of
    /// `other` sees now ([`Handle::control`]), not changes pending in its
    /// [`Controls`](crate::Controls). Like [`Handle::set_control`], it supersedes pending
    /// `Controls` changes of this handle. Refused with [`PortError::DifferentPluginType`]
    /// for an instance of another plugin type. Allocates nothing.
    pub fn copy_controls_from<T: State>(&mut self, other: &Handle<T>) -> Result<(), PortError> {
        if self.descriptor != other.descriptor {
            return Err(PortError::DifferentPluginType {
                descriptor: self.descriptor.clone(),
                other: other.descriptor.clone(),
            });
        }
        let inputs = other
            .descriptor
            .ports()
            .filter(|p| p.is_control() && p.is_input());
        for port in inputs {
            self.write_control(port.index(), other.port_memory.get(port.index()));
        }
        Ok(())
    }

    #[cold]
    fn not_finite(&self, index: usize, value: f32) -> PortError {
        PortError::NotFinite {
            descriptor: self.descriptor.clone(),
            index,
            value,
        }
    }

    /// Makes every run of this instance flush denormal numbers to zero (or stop doing so);
    /// returns whether the setting is in effect, which it is on x86-64 and AArch64.
    ///
    /// Denormals appear as a signal with feedback fades to silence, and operations on them are
    /// so slow on most CPUs that some plugins then run hundreds of times slower; plugin authors
    /// expect the host to flush them. When on, the CPU's flush-to-zero mode (x86-64: FTZ and
    /// DAZ; AArch64: FZ) is set for the plugin's `run` or `run_adding` call only and restored
    /// before it returns, so no other code sees it.
    ///
    /// ```
    /// # let path = ladspa_testplugins::reference_plugin("tp_amp");
    /// # // SAFETY: the test plugins are trusted.
    /// # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
    /// # let amp = plugin.find_label("tp_amp_mono")?;
    /// let mut handle = amp.instantiate(48_000)?.activate();
    /// let tiny = [1e-39_f32]; // a denormal
    /// let mut out = [0.0_f32];
    /// handle.run(1, &[&tiny], &mut [&mut out])?;
    /// assert_eq!(out[0], 1e-39);
    /// if handle.set_flush_denormals(true) {
    ///     handle.run(1, &[&tiny], &mut [&mut out])?;
    ///     assert_eq!(out[0], 0.0);
    /// }
    /// # Ok::<(), ladspa_host::Error>(())
    /// ```
    pub fn set_flush_denormals(&mut self, on: bool) -> bool {
        self.flush_denormals = on && fp_env::FLUSH_SUPPORTED;
        self.update_plain_runs();
        self.flush_denormals == on
    }

    /// Whether runs flush denormals to zero ([`Handle::set_flush_denormals`]).
    pub fn flushes_denormals(&self) -> bool {
        self.flush_denormals
    }
}
