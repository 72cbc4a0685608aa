//! Sample conversion for the output file: floats to the SDK's 16-bit samples (its rounding,
//! clipping and overload wrap), with the peak, vectorised (an AVX2 variant chosen at run time).

/// Converts the first `frames` samples of each channel buffer into interleaved 16-bit
/// little-endian frames (`bytes`), and returns the largest of `peak` and their absolute values.
/// With AVX2 (checked at run time; the standard library keeps the answer) where the CPU has it: eight samples an instruction,
/// and the rounding in one (SSE4.1's `roundps`); else with the x86-64 baseline's four.
pub(super) fn convert_out(
    channels: &[Vec<f32>],
    frames: usize,
    bytes: &mut [u8],
    peak: f32,
) -> f32 {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2 (and so SSE4.1), just checked.
            return unsafe { convert_out_avx2(channels, frames, bytes, peak) };
        }
    }
    convert_out_with(channels, frames, bytes, peak)
}

/// [`convert_out`] with AVX2: mono and stereo written with its instructions (see
/// [`avx2`]), their last frames and other layouts compiled for it.
///
/// # Safety
/// The CPU must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn convert_out_avx2(
    channels: &[Vec<f32>],
    frames: usize,
    bytes: &mut [u8],
    peak: f32,
) -> f32 {
    let mut lanes = [peak; 8];
    let bytes = &mut bytes[..frames * 2 * channels.len()];
    let done = match channels {
        [mono] => avx2::mono(&mono[..frames], bytes, &mut lanes),
        [left, right] => avx2::stereo(&left[..frames], &right[..frames], bytes, &mut lanes),
        _ => return convert_out_with(channels, frames, bytes, peak),
    };
    let stride = 2 * channels.len();
    for frame in done..frames {
        for (k, channel) in channels.iter().enumerate() {
            let from = channel[frame];
            lanes[0] = larger(lanes[0], from.abs());
            let at = frame * stride + 2 * k;
            bytes[at..at + 2].copy_from_slice(&to_i16(from).to_le_bytes());
        }
    }
    lanes.into_iter().fold(peak, larger)
}

/// Mono and stereo conversion in AVX2 instructions, which does in 8 operations what
/// [`to_i16`] does in 20 (the compiler cannot know that the CPU's conversion of an
/// out-of-range float gives the most negative integer, the SDK's value for an overload), and
/// stores frames whole. On the 15-minute job of `benches/apply-speed.py` the conversion
/// takes half the time the compiler's vectorisation of `to_i16` took (5.7 % of the job's
/// perf samples instead of 10.3 %, three runs each).
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    /// Converts 16 samples at a time (as many as `samples` and `bytes` hold whole) into
    /// 16-bit little-endian samples, and keeps the peak in `lanes`; returns the samples done.
    #[target_feature(enable = "avx2")]
    pub(super) fn mono(samples: &[f32], bytes: &mut [u8], lanes: &mut [f32; 8]) -> usize {
        let done = samples.len().min(bytes.len() / 2) / 16 * 16;
        let mut peak = load(lanes);
        for (from, to) in samples[..done]
            .chunks_exact(16)
            .zip(bytes.chunks_exact_mut(32))
        {
            let (a, b) = (load(&from[..8]), load(&from[8..]));
            peak = larger_abs(peak, a);
            peak = larger_abs(peak, b);
            // Packed lane by lane (a0-3 b0-3 a4-7 b4-7), then put in order.
            let packed = _mm256_packs_epi32(top_16_bits(a), top_16_bits(b));
            store(to, _mm256_permute4x64_epi64::<0b11_01_10_00>(packed));
        }
        store_lanes(lanes, peak);
        done
    }

    /// [`mono`] for two channels, 8 frames at a time, interleaved.
    #[target_feature(enable = "avx2")]
    pub(super) fn stereo(
        left: &[f32],
        right: &[f32],
        bytes: &mut [u8],
        lanes: &mut [f32; 8],
    ) -> usize {
        let done = left.len().min(right.len()).min(bytes.len() / 4) / 8 * 8;
        let mut peak = load(lanes);
        let frames = left[..done].chunks_exact(8).zip(right.chunks_exact(8));
        for ((left, right), to) in frames.zip(bytes.chunks_exact_mut(32)) {
            let (left, right) = (load(left), load(right));
            peak = larger_abs(peak, left);
            peak = larger_abs(peak, right);
            // A frame in each 32-bit lane: the left sample low, the right one high.
            let low = _mm256_and_si256(top_16_bits(left), _mm256_set1_epi32(0xffff));
            let high = _mm256_slli_epi32::<16>(top_16_bits(right));
            store(to, _mm256_or_si256(low, high));
        }
        store_lanes(lanes, peak);
        done
    }

    /// `to_i16` of eight samples, in the low half of each 32-bit lane (sign-extended): scaled
    /// to 2³¹, rounded to nearest even, converted (where a value of 2³¹ or more, or below
    /// -2³¹, becomes -2³¹: the SDK's overload wrap and clip), NaN made 0, shifted down 16 bits.
    #[target_feature(enable = "avx2")]
    fn top_16_bits(samples: __m256) -> __m256i {
        let scaled = _mm256_mul_ps(samples, _mm256_set1_ps(2_147_483_648.0));
        let rounded = _mm256_round_ps::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(scaled);
        let integers = _mm256_cvtps_epi32(rounded);
        let numbers = _mm256_castps_si256(_mm256_cmp_ps::<_CMP_ORD_Q>(samples, samples));
        _mm256_srai_epi32::<16>(_mm256_and_si256(integers, numbers))
    }

    /// The larger of `peak` and the samples' absolute values, lane by lane; NaN never wins
    /// (`maxps` gives its second operand when either is NaN), as with the SDK's `>`.
    #[target_feature(enable = "avx2")]
    fn larger_abs(peak: __m256, samples: __m256) -> __m256 {
        let magnitudes = _mm256_andnot_ps(_mm256_set1_ps(-0.0), samples);
        _mm256_max_ps(magnitudes, peak)
    }

    #[target_feature(enable = "avx2")]
    fn load(samples: &[f32]) -> __m256 {
        assert!(samples.len() >= 8);
        // SAFETY: 8 floats are there, just checked; `loadu` takes any alignment.
        unsafe { _mm256_loadu_ps(samples.as_ptr()) }
    }

    #[target_feature(enable = "avx2")]
    fn store(bytes: &mut [u8], value: __m256i) {
        assert!(bytes.len() >= 32);
        // SAFETY: 32 bytes are there, just checked; `storeu` takes any alignment.
        unsafe { _mm256_storeu_si256(bytes.as_mut_ptr().cast(), value) }
    }

    #[target_feature(enable = "avx2")]
    fn store_lanes(lanes: &mut [f32; 8], value: __m256) {
        // SAFETY: `lanes` holds 8 floats; `storeu` takes any alignment.
        unsafe { _mm256_storeu_ps(lanes.as_mut_ptr(), value) }
    }
}

/// The body of [`convert_out`], inlined into each variant so that each is compiled for its
/// instruction set. Eight frames at a time, converted and stored straight into their places in
/// the output (mono and stereo with the channel count known to the compiler, which then
/// vectorises the conversion and the interleaving stores); no buffer in between.
#[inline(always)]
fn convert_out_with(channels: &[Vec<f32>], frames: usize, bytes: &mut [u8], peak: f32) -> f32 {
    let mut lanes = [peak; 8];
    match channels {
        [mono] => convert_frames::<1>([&mono[..frames]], bytes, &mut lanes),
        [left, right] => {
            convert_frames::<2>([&left[..frames], &right[..frames]], bytes, &mut lanes);
        }
        _ => {
            let stride = 2 * channels.len();
            for (k, channel) in channels.iter().enumerate() {
                let slots = bytes
                    .get_mut(2 * k..)
                    .unwrap_or_default()
                    .chunks_mut(stride);
                for (to, &from) in slots.zip(&channel[..frames]) {
                    lanes[0] = larger(lanes[0], from.abs());
                    to[..2].copy_from_slice(&to_i16(from).to_le_bytes());
                }
            }
        }
    }
    lanes.into_iter().fold(peak, larger)
}

/// Converts `C` channels of equal length into interleaved 16-bit frames (`bytes`, as long),
/// and keeps the largest absolute value in `lanes`: eight frames at a time (a scalar running
/// maximum does not vectorise), then the frames left over one by one.
#[inline(always)]
fn convert_frames<const C: usize>(channels: [&[f32]; C], bytes: &mut [u8], lanes: &mut [f32; 8]) {
    let frames = channels[0].len();
    let whole = frames / 8 * 8;
    for (n, to) in bytes[..whole * 2 * C].chunks_exact_mut(16 * C).enumerate() {
        for (k, channel) in channels.iter().enumerate() {
            let from = &channel[8 * n..8 * n + 8];
            for i in 0..8 {
                lanes[i] = larger(lanes[i], from[i].abs());
                let at = 2 * (i * C + k);
                to[at..at + 2].copy_from_slice(&to_i16(from[i]).to_le_bytes());
            }
        }
    }
    for frame in whole..frames {
        for (k, channel) in channels.iter().enumerate() {
            let from = channel[frame];
            lanes[0] = larger(lanes[0], from.abs());
            let at = 2 * (frame * C + k);
            bytes[at..at + 2].copy_from_slice(&to_i16(from).to_le_bytes());
        }
    }
}

/// The SDK's comparison (`>`): NaN never becomes the peak.
#[inline(always)]
fn larger(a: f32, b: f32) -> f32 {
    if b > a { b } else { a }
}

/// The SDK's conversion of a sample: scaled to 32 bits, clipped to ±2³¹, rounded to nearest
/// even (`llrintf`), stored in an `int32_t`, then cut to the top 16 bits (libsndfile). A
/// positive overload becomes 2³¹, which does not fit an `int32_t` and wraps to the most
/// negative value: the SDK writes -32768 for it, and so does this, for a byte-identical file.
/// NaN becomes 0 (`llrintf` gives the 64-bit minimum, whose low 32 bits are 0). Branch-free,
/// so that the compiler vectorises the loops around it.
#[inline(always)]
fn to_i16(value: f32) -> i16 {
    const FULL: f32 = 2_147_483_648.0;
    let scaled = value * FULL;
    // Below -2³¹: -2³¹. NaN, and overloads (replaced below): 0.
    let clipped = if scaled > -FULL && scaled < FULL {
        scaled
    } else if scaled <= -FULL {
        -FULL
    } else {
        0.0
    };
    let rounded = round_ties_even(clipped);
    // SAFETY: `rounded` is an integer (rounded, or a float of 2²³ or more, which has no
    // fraction) from -2³¹ to below 2³¹ (the largest float below 2³¹ is 2³¹ - 128, an integer
    // already), so it fits an `i32` exactly. The unchecked conversion is what lets the
    // compiler convert eight samples at once (the checked one is scalar).
    let top = (unsafe { rounded.to_int_unchecked::<i32>() } >> 16) as i16;
    if scaled >= FULL { i16::MIN } else { top }
}

/// `f32::round_ties_even` without the call to `rintf` it compiles to on CPUs without SSE4.1:
/// below 2²³, adding 2²³ leaves no fraction bits, so the addition rounds (to nearest even);
/// from 2²³ on, a float is an integer already.
#[inline(always)]
fn round_ties_even(x: f32) -> f32 {
    const NO_FRACTION: f32 = 8_388_608.0;
    let shift = NO_FRACTION.copysign(x);
    let rounded = (x + shift) - shift;
    if x.abs() < NO_FRACTION { rounded } else { x }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sdk::applyplugin::block::BLOCK;

    /// The SDK's conversion, written as its C reads: clip to ±2³¹, `llrintf`, keep the low 32
    /// bits (an `int32_t`), then libsndfile's top 16.
    fn sdk_to_i16(value: f32) -> i16 {
        const FULL: f32 = 2_147_483_648.0;
        let scaled = value * FULL;
        // (`fValue >= fMaximum`, `fValue <= fMinimum`: the same as a clamp; NaN stays.)
        let clipped = scaled.clamp(-FULL, FULL);
        // llrintf of NaN is the 64-bit minimum: low 32 bits 0.
        let rounded = if clipped.is_nan() {
            i64::MIN
        } else {
            clipped.round_ties_even() as i64
        };
        ((rounded as i32) >> 16) as i16
    }

    /// Samples that probe every branch: specials, clipping, both rounding regimes, and values
    /// a hair each side of the points where rounding carries into the top 16 bits.
    fn probes() -> Vec<f32> {
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.999_999_94,
            -0.999_999_94,
            2.0,
            -2.0,
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::MAX,
            f32::MIN,
            f32::MIN_POSITIVE,
            1.0 / 256.0,
            -1.0 / 256.0,
        ];
        for k in -40_000..40_000 {
            let at = k as f32 / 32_768.0;
            for ulps in -3_i32..=3 {
                values.push(f32::from_bits((at.to_bits() as i32 + ulps) as u32));
            }
            // Half a unit of 2⁻³¹ below each step: a tie of the rounding.
            values.push(at - 0.5 / 2_147_483_648.0);
        }
        let mut state = 1_u64;
        for _ in 0..100_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            values.push(f32::from_bits((state >> 32) as u32));
        }
        values
    }

    #[test]
    fn samples_convert_as_the_sdk_converts_them() {
        for value in probes() {
            assert_eq!(
                to_i16(value),
                sdk_to_i16(value),
                "{value:e} ({:#x})",
                value.to_bits()
            );
        }
    }

    #[test]
    fn blocks_convert_and_keep_the_peak_as_the_sdk() {
        let values = probes();
        for channels in 1..=3 {
            let frames = (values.len() / channels).min(BLOCK);
            for start in (0..values.len() - frames * channels).step_by(7919) {
                let buffers: Vec<Vec<f32>> = (0..channels)
                    .map(|k| values[start + k * frames..][..frames].to_vec())
                    .collect();
                for frames in [frames, frames - 1, 5, 0] {
                    let mut bytes = vec![0; frames * 2 * channels];
                    let peak = convert_out(&buffers, frames, &mut bytes, 0.25);
                    // The baseline variant gives the same bytes and peak.
                    let mut baseline = vec![0; bytes.len()];
                    let baseline_peak = convert_out_with(&buffers, frames, &mut baseline, 0.25);
                    assert_eq!(
                        (&baseline, baseline_peak.to_bits()),
                        (&bytes, peak.to_bits())
                    );
                    let mut sdk_peak = 0.25_f32;
                    for frame in 0..frames {
                        for (k, buffer) in buffers.iter().enumerate() {
                            let value = buffer[frame];
                            if value.abs() > sdk_peak {
                                sdk_peak = value.abs();
                            }
                            let at = 2 * (frame * channels + k);
                            let sample = i16::from_le_bytes([bytes[at], bytes[at + 1]]);
                            assert_eq!(sample, sdk_to_i16(value), "{value:e}");
                        }
                    }
                    assert_eq!(peak.to_bits(), sdk_peak.to_bits(), "{channels} channels");
                }
            }
        }
    }
}
