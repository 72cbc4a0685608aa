//! The 16-bit encoding of mono and stereo in AVX2 instructions: `quantise_small` for 16 bits,
//! the peak and the interleaving in one pass over the samples, where the portable code makes
//! three (and converts through a block of `i32`s). `ladspa apply`'s usual output (16-bit WAV
//! from 16-bit input) goes through here.

use std::arch::x86_64::*;

/// Encodes 16 samples at a time (as many as `samples` and `bytes` hold whole) into 16-bit
/// little-endian samples, keeping the peak in `lanes`; returns the samples done and how many
/// of them were clipped.
#[target_feature(enable = "avx2")]
pub(super) fn mono(samples: &[f32], bytes: &mut [u8], lanes: &mut [f32; 8]) -> (usize, u64) {
    let done = samples.len().min(bytes.len() / 2) / 16 * 16;
    let mut peak = load(lanes);
    let mut clipped = 0;
    for (from, to) in samples[..done]
        .chunks_exact(16)
        .zip(bytes.chunks_exact_mut(32))
    {
        let (a, b) = (load(&from[..8]), load(&from[8..]));
        peak = larger_abs(peak, a);
        peak = larger_abs(peak, b);
        let (a, a_clipped) = quantise(a);
        let (b, b_clipped) = quantise(b);
        clipped += a_clipped + b_clipped;
        // Packed lane by lane (a0-3 b0-3 a4-7 b4-7), then put in order.
        let packed = _mm256_packs_epi32(a, b);
        store(to, _mm256_permute4x64_epi64::<0b11_01_10_00>(packed));
    }
    store_lanes(lanes, peak);
    (done, clipped)
}

/// [`mono`] for two channels, 8 frames at a time, interleaved.
#[target_feature(enable = "avx2")]
pub(super) fn stereo(
    left: &[f32],
    right: &[f32],
    bytes: &mut [u8],
    lanes: &mut [f32; 8],
) -> (usize, u64) {
    let done = left.len().min(right.len()).min(bytes.len() / 4) / 8 * 8;
    let mut peak = load(lanes);
    let mut clipped = 0;
    let frames = left[..done].chunks_exact(8).zip(right.chunks_exact(8));
    for ((left, right), to) in frames.zip(bytes.chunks_exact_mut(32)) {
        let (left, right) = (load(left), load(right));
        peak = larger_abs(peak, left);
        peak = larger_abs(peak, right);
        let (left, left_clipped) = quantise(left);
        let (right, right_clipped) = quantise(right);
        clipped += left_clipped + right_clipped;
        // A frame in each 32-bit lane: the left sample low, the right one high.
        let low = _mm256_and_si256(left, _mm256_set1_epi32(0xffff));
        store(to, _mm256_or_si256(low, _mm256_slli_epi32::<16>(right)));
    }
    store_lanes(lanes, peak);
    (done, clipped)
}

/// `quantise_small` for 16 bits, eight samples at once: scaled by 2¹⁵, clamped to the
/// format's range (NaN made 0), rounded half away from zero (adding the largest float below
/// one half, with the sample's sign, then truncating); and how many did not fit.
#[target_feature(enable = "avx2")]
fn quantise(samples: __m256) -> (__m256i, u64) {
    let scaled = _mm256_mul_ps(samples, _mm256_set1_ps(32_768.0));
    let above = _mm256_cmp_ps::<_CMP_GT_OQ>(scaled, _mm256_set1_ps(-32_768.5));
    let below = _mm256_cmp_ps::<_CMP_LT_OQ>(scaled, _mm256_set1_ps(32_767.5));
    // (NaN compares false: it does not fit.)
    let fits = _mm256_movemask_ps(_mm256_and_ps(above, below)) as u32;
    let clipped = u64::from((!fits & 0xff).count_ones());
    // `maxps` gives its second operand for NaN, which the mask then makes 0.
    let clamped = _mm256_min_ps(
        _mm256_max_ps(scaled, _mm256_set1_ps(-32_768.0)),
        _mm256_set1_ps(32_767.0),
    );
    let numbers = _mm256_cmp_ps::<_CMP_ORD_Q>(scaled, scaled);
    let clamped = _mm256_and_ps(clamped, numbers);
    let sign = _mm256_and_ps(clamped, _mm256_set1_ps(-0.0));
    let half = _mm256_or_ps(sign, _mm256_set1_ps(0.499_999_97));
    let rounded = _mm256_cvttps_epi32(_mm256_add_ps(clamped, half));
    (rounded, clipped)
}

/// The larger of `peak` and the samples' absolute values, lane by lane; NaN never wins
/// (`maxps` gives its second operand when either is NaN).
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
