//! Encoding: planar `f32` channel buffers into interleaved little-endian samples, with the
//! peak kept and clipping counted.

#[cfg(target_arch = "x86_64")]
use super::avx2;
use super::format::SampleFormat;

/// Converts planar `f32` channel buffers into interleaved little-endian samples of a format,
/// keeping the peak and counting the samples that did not fit (clipped to full scale; NaN
/// becomes 0 and counts too). Integers are rounded to nearest, halves away from zero.
#[derive(Debug, Clone)]
pub struct Encoder {
    format: SampleFormat,
    clipped: u64,
    peak: f32,
}

impl Encoder {
    /// An encoder to `format` ([`SampleFormat::F64`] is written as [`SampleFormat::F32`]).
    pub fn new(format: SampleFormat) -> Self {
        let format = match format {
            SampleFormat::F64 => SampleFormat::F32,
            other => other,
        };
        Self {
            format,
            clipped: 0,
            peak: 0.0,
        }
    }

    /// The format written.
    pub fn format(&self) -> SampleFormat {
        self.format
    }

    /// Samples clipped so far.
    pub fn clipped(&self) -> u64 {
        self.clipped
    }

    /// The largest absolute sample value so far (before conversion; NaN never counts).
    pub fn peak(&self) -> f32 {
        self.peak
    }

    /// Appends frames `frames` of `channels` to `out`, interleaved.
    pub fn encode<B: AsRef<[f32]>>(
        &mut self,
        channels: &[B],
        frames: std::ops::Range<usize>,
        out: &mut Vec<u8>,
    ) {
        let start = out.len();
        let size = frames.len() * self.format.bytes() * channels.len();
        out.resize(start + size, 0);
        self.encode_into(channels, frames, &mut out[start..]);
    }

    /// Writes frames `frames` of `channels`, interleaved, over the first bytes of `out` (which
    /// must hold them: `frames.len()` × the format's bytes × `channels.len()`). With AVX2
    /// (checked at run time; the standard library keeps the answer) where the CPU has it: eight samples an instruction; else
    /// the x86-64 baseline's four.
    ///
    /// # Panics
    /// If `out` is shorter than that.
    pub fn encode_into<B: AsRef<[f32]>>(
        &mut self,
        channels: &[B],
        frames: std::ops::Range<usize>,
        out: &mut [u8],
    ) {
        let size = frames.len() * self.format.bytes() * channels.len();
        let out = &mut out[..size];
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU has AVX2, just checked.
                return unsafe { self.encode_avx2(channels, frames, out) };
            }
        }
        self.encode_with(channels, frames, out);
    }

    /// [`Encoder::encode_into`] compiled for AVX2.
    ///
    /// # Safety
    /// The CPU must have AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn encode_avx2<B: AsRef<[f32]>>(
        &mut self,
        channels: &[B],
        frames: std::ops::Range<usize>,
        out: &mut [u8],
    ) {
        // 16-bit mono and stereo in AVX2 instructions, the frames left over (and other
        // formats and layouts) compiled for AVX2.
        let mut done = 0;
        if self.format == SampleFormat::I16 {
            let mut lanes = [self.peak; 8];
            let range = frames.clone();
            let (frames_done, clipped) = match channels {
                [mono] => avx2::mono(&mono.as_ref()[range], out, &mut lanes),
                [left, right] => avx2::stereo(
                    &left.as_ref()[range.clone()],
                    &right.as_ref()[range],
                    out,
                    &mut lanes,
                ),
                _ => (0, 0),
            };
            self.clipped += clipped;
            self.peak = lanes.into_iter().fold(self.peak, larger);
            done = frames_done;
        }
        let bytes = done * self.format.bytes() * channels.len();
        self.encode_with(channels, frames.start + done..frames.end, &mut out[bytes..]);
    }

    /// The body of [`Encoder::encode_into`], inlined into each variant so that each is
    /// compiled for its instruction set; `bytes` holds the frames exactly.
    #[inline(always)]
    fn encode_with<B: AsRef<[f32]>>(
        &mut self,
        channels: &[B],
        frames: std::ops::Range<usize>,
        bytes: &mut [u8],
    ) {
        let count = channels.len();
        let size = self.format.bytes();
        let stride = size * count;
        let mut lanes = [self.peak; 8];
        let mut clipped = 0_u64;
        // A block of converted samples at a time: the conversion and the stores each in a
        // straight loop, which the compiler vectorises.
        let mut converted = [0_i32; BLOCK];
        for (k, channel) in channels.iter().enumerate() {
            let samples = &channel.as_ref()[frames.clone()];
            peak_of(samples, &mut lanes);
            for (n, block) in samples.chunks(BLOCK).enumerate() {
                let at = n * BLOCK * stride + k * size;
                let bytes = &mut bytes[at..at + (block.len() - 1) * stride + size];
                let converted = &mut converted[..block.len()];
                clipped += match self.format {
                    SampleFormat::U8 => quantise_small(block, converted, 128.0, 128),
                    SampleFormat::I16 => quantise_small(block, converted, 32_768.0, 0),
                    SampleFormat::I24 => quantise(block, converted, 8_388_608.0, 0),
                    SampleFormat::I32 => quantise(block, converted, 2_147_483_648.0, 0),
                    SampleFormat::F32 | SampleFormat::F64 => {
                        store(bytes, stride, block, |x: &f32| x.to_le_bytes());
                        continue;
                    }
                };
                match self.format {
                    SampleFormat::U8 => store(bytes, stride, converted, |&v| [v as u8]),
                    SampleFormat::I16 => {
                        store(bytes, stride, converted, |&v| (v as i16).to_le_bytes());
                    }
                    SampleFormat::I24 => store(bytes, stride, converted, |&v| {
                        let b = v.to_le_bytes();
                        [b[0], b[1], b[2]]
                    }),
                    _ => store(bytes, stride, converted, |&v| v.to_le_bytes()),
                }
            }
        }
        self.clipped += clipped;
        self.peak = lanes.into_iter().fold(self.peak, larger);
    }
}

/// Samples converted at a time.
const BLOCK: usize = 256;

/// Stores each value's bytes at its place in interleaved frames of `stride` bytes (`bytes`
/// starts at the first one's); one loop for contiguous samples, which vectorises.
#[inline(always)]
fn store<T, const N: usize>(
    bytes: &mut [u8],
    stride: usize,
    values: &[T],
    to_bytes: impl Fn(&T) -> [u8; N],
) {
    if stride == N {
        for (to, value) in bytes.chunks_exact_mut(N).zip(values) {
            to.copy_from_slice(&to_bytes(value));
        }
    } else {
        for (to, value) in bytes.chunks_mut(stride).zip(values) {
            to[..N].copy_from_slice(&to_bytes(value));
        }
    }
}

/// [`quantise`] for 8 and 16 bits, in `f32` (twice the samples an instruction): the scaling by
/// a power of two is exact, and `trunc(x + copysign(0.49999997, x))` (the largest float below
/// one half) rounds every `f32` half away from zero exactly, as `f32::round` does.
#[inline(always)]
fn quantise_small(samples: &[f32], to: &mut [i32], full: f32, offset: i32) -> u64 {
    let mut clipped = 0_u32;
    for (to, &x) in to.iter_mut().zip(samples) {
        let scaled = x * full;
        let fits = scaled > -full - 0.5 && scaled < full - 0.5;
        clipped += u32::from(!fits);
        let clamped = scaled.clamp(-full, full - 1.0);
        let clamped = if clamped.is_nan() { 0.0 } else { clamped };
        let rounded = clamped + 0.499_999_97_f32.copysign(clamped);
        // SAFETY: `rounded` lies in [-32768.5, 32767.5], whose truncation fits an `i32`.
        *to = unsafe { rounded.to_int_unchecked::<i32>() } + offset;
    }
    u64::from(clipped)
}

/// Scales `samples` by `full` (2^(bits-1)), rounds half away from zero, clamps to the
/// format's range and adds `offset` (8-bit WAV is unsigned); returns how many had to be
/// clamped (NaN becomes 0, and counts). In `f64`, where the scaling and the rounding are exact
/// for every format; branch-free, so that the compiler converts several samples an
/// instruction.
#[inline(always)]
fn quantise(samples: &[f32], to: &mut [i32], full: f64, offset: i32) -> u64 {
    let mut clipped = 0_u32;
    for (to, &x) in to.iter_mut().zip(samples) {
        let scaled = f64::from(x) * full;
        let fits = scaled > -full - 0.5 && scaled < full - 0.5;
        clipped += u32::from(!fits);
        let clamped = scaled.clamp(-full, full - 1.0);
        let clamped = if clamped.is_nan() { 0.0 } else { clamped };
        let rounded = clamped + 0.5_f64.copysign(clamped);
        // SAFETY: `rounded` lies in [-2^31 - 0.5, 2^31 - 0.5] (full is at most 2^31), whose
        // truncation toward zero fits an `i32`. The unchecked conversion is what vectorises.
        *to = unsafe { rounded.to_int_unchecked::<i32>() } + offset;
    }
    u64::from(clipped)
}

/// Keeps the largest absolute value of `samples` in `lanes`, eight at a time (a scalar running
/// maximum does not vectorise); NaN never wins.
#[inline(always)]
fn peak_of(samples: &[f32], lanes: &mut [f32; 8]) {
    let whole = samples.chunks_exact(8);
    let rest = whole.remainder();
    for chunk in whole {
        for i in 0..8 {
            lanes[i] = larger(lanes[i], chunk[i].abs());
        }
    }
    for &x in rest {
        lanes[0] = larger(lanes[0], x.abs());
    }
}

#[inline(always)]
fn larger(a: f32, b: f32) -> f32 {
    if b > a { b } else { a }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_into_a_slice_gives_the_bytes_encoding_onto_a_vec_gives() {
        let samples: Vec<f32> = (0..999)
            .map(|i| ((i * 37) % 201) as f32 / 100.0 - 1.0)
            .collect();
        for format in [
            SampleFormat::U8,
            SampleFormat::I16,
            SampleFormat::I24,
            SampleFormat::F32,
        ] {
            for count in 1..=3 {
                let buffers = vec![samples.clone(); count];
                let (mut a, mut b) = (Encoder::new(format), Encoder::new(format));
                let mut appended = vec![7_u8; 5];
                a.encode(&buffers, 10..900, &mut appended);
                let mut into = vec![7_u8; 5 + 890 * count * format.bytes() + 11];
                b.encode_into(&buffers, 10..900, &mut into[5..]);
                assert_eq!(
                    appended[..],
                    into[..appended.len()],
                    "{format}, {count} channels"
                );
                // The bytes after the frames are left as they were.
                assert!(into[appended.len()..].iter().all(|&byte| byte == 7));
                assert_eq!((a.peak(), a.clipped()), (b.peak(), b.clipped()));
            }
        }
    }

    #[test]
    fn rounding_is_half_away_from_zero_exactly() {
        let mut values: Vec<f32> = vec![0.5 / 32_768.0, -0.5 / 32_768.0, 1.5 / 32_768.0];
        let mut state = 7_u64;
        for k in -70_000..70_000 {
            let at = k as f32 / 65_536.0;
            for ulps in -2_i32..=2 {
                values.push(f32::from_bits((at.to_bits() as i32 + ulps) as u32));
            }
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            values.push(((state >> 40) as f32 / (1u64 << 23) as f32) - 1.0);
        }
        for format in [SampleFormat::U8, SampleFormat::I16] {
            let full = f64::from(1_u32 << (format.bits() - 1));
            let mut out = Vec::new();
            Encoder::new(format).encode(&[&values[..]], 0..values.len(), &mut out);
            for (k, &x) in values.iter().enumerate() {
                let expected = (f64::from(x) * full).round().clamp(-full, full - 1.0) as i32;
                let got = match format {
                    SampleFormat::U8 => i32::from(out[k]) - 128,
                    _ => i32::from(i16::from_le_bytes([out[2 * k], out[2 * k + 1]])),
                };
                assert_eq!(got, expected, "{format}: {x:e}");
            }
        }
    }

    /// Samples that probe every branch of the 16-bit encoding: specials, both signs of zero,
    /// a few ulps each side of the clipping points and of rounding ties, random bits.
    fn probes() -> Vec<f32> {
        let mut values = vec![
            0.0,
            -0.0,
            f32::NAN,
            -f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::MAX,
            f32::MIN,
            f32::MIN_POSITIVE,
            -f32::MIN_POSITIVE,
            1e-45,
            -1e-45,
        ];
        for at in [
            1.0_f32,
            -1.0,
            32_767.5 / 32_768.0,
            -32_768.5 / 32_768.0,
            0.5 / 32_768.0,
        ] {
            for ulps in -3_i32..=3 {
                values.push(f32::from_bits((at.to_bits() as i32 + ulps) as u32));
            }
        }
        for k in -300..300 {
            values.push((k as f32 + 0.5) / 32_768.0);
        }
        let mut state = 3_u64;
        for _ in 0..20_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            values.push(f32::from_bits((state >> 32) as u32));
            values.push(((state >> 40) as f32 / (1u64 << 23) as f32) * 2.2 - 1.1);
        }
        values
    }

    #[test]
    fn sixteen_bit_encoding_is_the_same_with_every_instruction_set() {
        let values = probes();
        for count in [1, 2, 3] {
            let channels: Vec<Vec<f32>> = (0..count)
                .map(|k| values.iter().skip(k).step_by(count).copied().collect())
                .collect();
            let frames = channels.iter().map(Vec::len).min().unwrap();
            for range in [0..frames, 3..frames, 5..21, 0..16, 7..8, 9..9] {
                // `encode_into` takes the widest instructions the CPU has (AVX2 here, where
                // the tests run); `encode_with` is the portable code.
                let mut wide = Encoder::new(SampleFormat::I16);
                let mut portable = Encoder::new(SampleFormat::I16);
                let size = range.len() * 2 * count;
                let (mut a, mut b) = (vec![0_u8; size], vec![0_u8; size]);
                wide.encode_into(&channels, range.clone(), &mut a);
                portable.encode_with(&channels, range.clone(), &mut b);
                assert!(a == b, "{count} channels, frames {range:?}");
                assert_eq!(
                    (wide.peak().to_bits(), wide.clipped()),
                    (portable.peak().to_bits(), portable.clipped()),
                    "{count} channels, frames {range:?}"
                );
            }
        }
    }

    #[test]
    fn out_of_range_and_nan_are_clipped_and_counted() {
        let values = [2.0, -2.0, f32::NAN, 0.5, 1.0, -1.0, 0.999_99];
        let mut encoder = Encoder::new(SampleFormat::I16);
        let mut out = Vec::new();
        encoder.encode(&[&values[..]], 0..values.len(), &mut out);
        let got: Vec<i16> = out
            .chunks_exact(2)
            .map(|b| i16::from_le_bytes([b[0], b[1]]))
            .collect();
        assert_eq!(got, [32767, -32768, 0, 16384, 32767, -32768, 32767]);
        // 2.0, -2.0, NaN, 1.0 and 0.99999 (both round past the largest value) clip; -1.0
        // fits.
        assert_eq!(encoder.clipped(), 5);
        assert_eq!(encoder.peak(), 2.0);
    }
}
