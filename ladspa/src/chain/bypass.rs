//! Bypass without a click: a stage that switches in or out while audio runs does so over one
//! block, crossfading between the plugin's output and the stage's input, which is delayed by
//! the stage's latency so that the two are aligned.

use super::buffers::{self, Buffers, Dst, Loc, Src};
use super::stage::Stage;

/// Copies the stage's input (the block's signal at `at`) into the dry set and delays it there
/// by the stage's latency, through the stage's delay line (which keeps it for a later bypass).
pub(super) fn keep_dry<I: AsRef<[f32]>, O: AsMut<[f32]>>(
    stage: &mut Stage,
    n: usize,
    at: Loc,
    offset: usize,
    inputs: &[I],
    outputs: &mut [O],
    buffers: &mut Buffers,
) {
    let channels = stage.channels_in();
    let Buffers { a, b, dry } = buffers;
    let src = match at {
        Loc::Input => Src::User(inputs, offset),
        Loc::A => Src::Owned(a),
        Loc::B => Src::Owned(b),
        Loc::Output => {
            for (dry, output) in dry.iter_mut().zip(outputs.iter_mut()).take(channels) {
                dry[..n].copy_from_slice(&output.as_mut()[offset..offset + n]);
            }
            Src::Nothing
        }
    };
    let mut to = Dst::<O>::Owned(dry);
    if !matches!(src, Src::Nothing) {
        buffers::copy(n, channels, &src, &mut to);
    }
    stage.delay_input(n, &mut to);
}

/// Crossfades the stage's output (at `at`) with the dry set over the block's `n` samples: from
/// the output to the dry signal when the stage goes into bypass (`on`), the other way when it
/// comes back. The share of the new state rises linearly to 1 at the block's last sample.
pub(super) fn crossfade<O: AsMut<[f32]>>(
    n: usize,
    channels: usize,
    on: bool,
    at: Loc,
    offset: usize,
    outputs: &mut [O],
    buffers: &mut Buffers,
) {
    if n == 0 {
        return;
    }
    let Buffers { a, b, dry } = buffers;
    let mut out = match at {
        Loc::Output => Dst::User(outputs, offset),
        Loc::A => Dst::Owned(a),
        Loc::B => Dst::Owned(b),
        Loc::Input => unreachable!("a stage that ran wrote its output elsewhere"),
    };
    let step = 1.0 / n as f32;
    for (k, dry) in dry.iter().enumerate().take(channels) {
        for (i, (wet, dry)) in out.channel(k)[..n].iter_mut().zip(&dry[..n]).enumerate() {
            let new = (i + 1) as f32 * step;
            let (wet_gain, dry_gain) = if on {
                (1.0 - new, new)
            } else {
                (new, 1.0 - new)
            };
            *wet = *wet * wet_gain + dry * dry_gain;
        }
    }
}
