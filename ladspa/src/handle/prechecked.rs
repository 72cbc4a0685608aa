//! Runs for callers inside the crate that have checked their buffers themselves: the chain,
//! whose stages know their instances' port counts and have the slices they pass in hand.

use super::lifecycle::Handle;
use super::state::Active;
use crate::fp_env::FpControl;

impl Handle<Active> {
    /// Connects `buffers` (one per audio port, in run order: inputs, then outputs) and runs the
    /// plugin for `sample_count` samples as [`Handle::run`] does (`connect_port` only for ports
    /// whose buffer moved, the floating-point control register saved before the connections
    /// and restored after the call, [`Controls`](crate::Controls) and denormal flushing), but
    /// without its checks of the buffers' lengths, which the caller has made on the very
    /// slices the pointers come from. Returns `false`, having called nothing, when the plugin
    /// does not have `N` audio ports.
    ///
    /// # Safety
    /// `sample_count > 0`, and each pointer is the start of at least `sample_count` samples,
    /// valid for reads (an input's) or reads and writes (an output's) until this returns and
    /// used by nothing else meanwhile; an output's samples overlap no other port's, except
    /// an input's that starts at the same pointer when the plugin is not `INPLACE_BROKEN`.
    #[inline(always)]
    pub(crate) unsafe fn run_prechecked<const N: usize>(
        &mut self,
        sample_count: usize,
        buffers: [*mut f32; N],
    ) -> bool {
        if self.audio.port_count() != N {
            return false;
        }
        let saved = FpControl::save();
        let (instance, audio) = self.instance();
        audio.connect_exactly(instance, buffers);
        // SAFETY: an active instance (the handle's type) whose every audio port was just
        // connected (the count was checked) to memory the caller vouches for, for
        // `sample_count > 0` samples; control ports point at the handle's memory.
        unsafe { self.call(self.functions.run, sample_count, saved) };
        true
    }
}
