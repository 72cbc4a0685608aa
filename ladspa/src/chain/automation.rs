//! Sample-accurate automation: control changes at sample offsets within a run, applied exactly
//! there by splitting the plugins' calls.

use super::error::ChainError;
use super::state::Chain;
use crate::port_error::PortError;

/// A control change at a sample of a run of [`Chain::process_automated`]: control input `port`
/// (by index: see [`Chain::control_index`]) of stage `stage`, on every instance of the stage,
/// takes `value` from sample `offset` of the run on.
///
/// The port is an index, so that the audio thread never looks a name up; resolve names once
/// with [`Chain::control_index`]:
///
/// ```compile_fail,E0308
/// let change = ladspa_host::chain::ControlChange { offset: 0, stage: 0, port: "Gain", value: 1.0 };
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ControlChange {
    /// The sample of the run, counted from 0, from which the value applies.
    pub offset: usize,
    /// The stage.
    pub stage: usize,
    /// The control input's port index.
    pub port: usize,
    /// The value.
    pub value: f32,
}

impl Chain {
    /// The shortest call a change may split off: a change less than `min_split` samples after
    /// the previous split point (the start of the run, or an earlier change) is applied at
    /// that point instead, up to `min_split - 1` samples early. The default, 1, applies every
    /// change at its exact sample; a larger one keeps plugin calls long (hosts use 16 to 64)
    /// when changes come densely. 0 counts as 1.
    pub fn set_min_split(&mut self, min_split: usize) {
        self.min_split = min_split.max(1);
    }

    /// The shortest call a change may split off ([`Chain::set_min_split`]).
    pub fn min_split(&self) -> usize {
        self.min_split
    }

    /// Runs `frames` samples as [`Chain::process`] does, applying each of `changes` at its
    /// sample: the plugins' calls are split at the changes' offsets (subject to the
    /// [minimum split](Chain::set_min_split)), so a change at offset `k` reaches the plugin in
    /// the call that starts with sample `k`.
    ///
    /// `changes` must be sorted by offset ([`ChainError::ChangesNotSorted`]; changes at one
    /// offset apply in their order) and lie within the run ([`ChainError::ChangeOutOfRange`]);
    /// their stages, ports and values are checked too, and all of this before anything runs, so
    /// a refused call changes nothing. No allocation, no lock (once the chain is
    /// [active](Chain::activate)).
    ///
    /// ```
    /// # let path = ladspa_testplugins::reference_plugin("tp_amp");
    /// # // SAFETY: the test plugins are trusted.
    /// # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
    /// use ladspa_host::{Chain, chain::ControlChange};
    ///
    /// let mut chain = Chain::new(1, 48_000, 64)?.with(plugin.find_label("tp_amp_mono")?)?;
    /// let gain = chain.control_index(0, "Gain")?;
    /// let step = [ControlChange { offset: 3, stage: 0, port: gain, value: 2.0 }];
    /// let mut out = [[0.0_f32; 6]];
    /// chain.process_automated(6, &[[1.0; 6]], &mut out, &step)?;
    /// assert_eq!(out[0], [1.0, 1.0, 1.0, 2.0, 2.0, 2.0]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn process_automated<I: AsRef<[f32]>, O: AsMut<[f32]>>(
        &mut self,
        frames: usize,
        inputs: &[I],
        outputs: &mut [O],
        changes: &[ControlChange],
    ) -> Result<(), ChainError> {
        self.check_buffers(frames, inputs, outputs)?;
        self.check_changes(frames, changes)?;
        self.ensure_active();
        // A run starts: its changes are automation, not configuration (no resizing of bypass
        // delays, which allocates).
        self.fresh = false;
        let mut start = 0;
        for change in changes {
            if change.offset >= start + self.min_split {
                self.run_span(start, change.offset - start, inputs, outputs)?;
                start = change.offset;
            }
            self.set_control(change.stage, change.port, change.value)?;
        }
        self.run_span(start, frames - start, inputs, outputs)
    }

    /// Checks changes before a run: sorted, within the run, naming existing control inputs with
    /// finite values.
    fn check_changes(&self, frames: usize, changes: &[ControlChange]) -> Result<(), ChainError> {
        let mut previous = 0;
        for (index, change) in changes.iter().enumerate() {
            let offset = change.offset;
            if offset < previous {
                return Err(ChainError::ChangesNotSorted {
                    index,
                    offset,
                    previous,
                });
            }
            if offset >= frames {
                return Err(ChainError::ChangeOutOfRange {
                    index,
                    offset,
                    frames,
                });
            }
            previous = offset;
            let stage = self.stage(change.stage)?;
            let port = stage
                .descriptor()
                .control_input(change.port)
                .map_err(|source| ChainError::Port {
                    stage: change.stage,
                    source,
                })?;
            if !change.value.is_finite() {
                return Err(ChainError::Port {
                    stage: change.stage,
                    source: PortError::NotFinite {
                        descriptor: stage.descriptor().clone(),
                        index: port.index(),
                        value: change.value,
                    },
                });
            }
        }
        Ok(())
    }
}
