//! The one PCM codec of the workspace: interleaved little-endian samples of a file to planar
//! `f32` channel buffers and back, in blocks (a straight loop per channel layout, which the
//! compiler vectorises), with clipping counted rather than wrapped.

/// How a sample is stored in a PCM file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SampleFormat {
    /// 8-bit unsigned integers (WAV's 8-bit format), 128 for silence.
    U8,
    /// 16-bit signed integers.
    I16,
    /// 24-bit signed integers, in three bytes.
    I24,
    /// 32-bit signed integers.
    I32,
    /// 32-bit IEEE floating point.
    F32,
    /// 64-bit IEEE floating point (read only: written as [`F32`](Self::F32)).
    F64,
}

impl SampleFormat {
    /// The bytes a sample takes.
    pub fn bytes(self) -> usize {
        match self {
            Self::U8 => 1,
            Self::I16 => 2,
            Self::I24 => 3,
            Self::I32 | Self::F32 => 4,
            Self::F64 => 8,
        }
    }

    /// The bits a sample takes.
    pub fn bits(self) -> u16 {
        self.bytes() as u16 * 8
    }

    /// Whether samples are floating point.
    pub fn is_float(self) -> bool {
        matches!(self, Self::F32 | Self::F64)
    }

    /// The integer format of `bits` bits, or the float one for `float`.
    pub fn from_bits(bits: u16, float: bool) -> Option<Self> {
        match (bits, float) {
            (8, false) => Some(Self::U8),
            (16, false) => Some(Self::I16),
            (24, false) => Some(Self::I24),
            (32, false) => Some(Self::I32),
            (32, true) => Some(Self::F32),
            (64, true) => Some(Self::F64),
            _ => None,
        }
    }
}

impl std::fmt::Display for SampleFormat {
    /// `16-bit`, `32-bit float`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_float() {
            write!(f, "{}-bit float", self.bits())
        } else {
            write!(f, "{}-bit", self.bits())
        }
    }
}

/// 16-bit samples as floats: divided by 2¹⁵, as libsndfile reads them (a power of two, so the
/// product by the inverse is the same number).
const FROM_I16: f32 = 1.0 / 32_768.0;

/// Converts whole interleaved frames of `format` (`bytes`, `channels.len()` samples a frame)
/// into the first samples of the channel buffers; integers are scaled to [-1, 1). Returns the
/// frames converted (a partial frame at the end is left).
pub fn decode<B: AsMut<[f32]>>(format: SampleFormat, bytes: &[u8], channels: &mut [B]) -> usize {
    let count = channels.len();
    if count == 0 {
        return 0;
    }
    let size = format.bytes();
    let frames = bytes.len() / (size * count);
    let bytes = &bytes[..frames * size * count];
    match format {
        SampleFormat::I16 => decode_with(bytes, channels, 2, |s| {
            f32::from(i16::from_le_bytes([s[0], s[1]])) * FROM_I16
        }),
        SampleFormat::U8 => decode_with(bytes, channels, 1, |s| {
            (f32::from(s[0]) - 128.0) * (1.0 / 128.0)
        }),
        SampleFormat::I24 => decode_with(bytes, channels, 3, |s| {
            (i32::from_le_bytes([0, s[0], s[1], s[2]]) >> 8) as f32 * (1.0 / 8_388_608.0)
        }),
        SampleFormat::I32 => decode_with(bytes, channels, 4, |s| {
            i32::from_le_bytes([s[0], s[1], s[2], s[3]]) as f32 * (1.0 / 2_147_483_648.0)
        }),
        SampleFormat::F32 => decode_with(bytes, channels, 4, |s| {
            f32::from_le_bytes([s[0], s[1], s[2], s[3]])
        }),
        SampleFormat::F64 => decode_with(bytes, channels, 8, |s| {
            let mut b = [0; 8];
            b.copy_from_slice(s);
            f64::from_le_bytes(b) as f32
        }),
    }
    frames
}

/// The loops of [`decode`]: mono and stereo each in one straight loop, which the compiler
/// vectorises; other layouts channel by channel.
#[inline(always)]
fn decode_with<B: AsMut<[f32]>>(
    bytes: &[u8],
    channels: &mut [B],
    size: usize,
    sample: impl Fn(&[u8]) -> f32,
) {
    match channels {
        [mono] => {
            for (to, from) in mono.as_mut().iter_mut().zip(bytes.chunks_exact(size)) {
                *to = sample(from);
            }
        }
        [left, right] => {
            let frames = left.as_mut().iter_mut().zip(right.as_mut().iter_mut());
            for ((left, right), from) in frames.zip(bytes.chunks_exact(2 * size)) {
                (*left, *right) = (sample(&from[..size]), sample(&from[size..]));
            }
        }
        _ => {
            let count = channels.len();
            for (k, buffer) in channels.iter_mut().enumerate() {
                let samples = bytes[size * k..].chunks_exact(size).step_by(count);
                for (to, from) in buffer.as_mut().iter_mut().zip(samples) {
                    *to = sample(from);
                }
            }
        }
    }
}

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
        let count = channels.len();
        let size = self.format.bytes();
        let start = out.len();
        out.resize(start + frames.len() * count * size, 0);
        let bytes = &mut out[start..];
        let mut lanes = [self.peak; 8];
        let mut clipped = 0_u64;
        for (k, channel) in channels.iter().enumerate() {
            let samples = &channel.as_ref()[frames.clone()];
            peak_of(samples, &mut lanes);
            let stride = size * count;
            let slots = bytes[size * k..].chunks_mut(stride);
            clipped += match self.format {
                SampleFormat::I16 => encode_with(samples, slots, |x, to| {
                    let (value, clip) = quantise_f32(x, 32_768.0);
                    to[..2].copy_from_slice(&(value as i16).to_le_bytes());
                    clip
                }),
                SampleFormat::U8 => encode_with(samples, slots, |x, to| {
                    let (value, clip) = quantise_f32(x, 128.0);
                    to[0] = (value + 128) as u8;
                    clip
                }),
                SampleFormat::I24 => encode_with(samples, slots, |x, to| {
                    let (value, clip) = quantise_f64(x, 8_388_608.0);
                    to[..3].copy_from_slice(&value.to_le_bytes()[..3]);
                    clip
                }),
                SampleFormat::I32 => encode_with(samples, slots, |x, to| {
                    let (value, clip) = quantise_f64(x, 2_147_483_648.0);
                    to[..4].copy_from_slice(&value.to_le_bytes());
                    clip
                }),
                SampleFormat::F32 | SampleFormat::F64 => encode_with(samples, slots, |x, to| {
                    to[..4].copy_from_slice(&x.to_le_bytes());
                    false
                }),
            };
        }
        self.clipped += clipped;
        self.peak = lanes.into_iter().fold(self.peak, larger);
    }
}

#[inline(always)]
fn encode_with<'a>(
    samples: &[f32],
    slots: impl Iterator<Item = &'a mut [u8]>,
    put: impl Fn(f32, &mut [u8]) -> bool,
) -> u64 {
    let mut clipped = 0;
    for (&x, to) in samples.iter().zip(slots) {
        clipped += u64::from(put(x, to));
    }
    clipped
}

/// `x` scaled by `full` (2^(bits-1), up to 16 bits: exact in `f32`), rounded half away from
/// zero and clamped to the format's range; whether it had to be clamped (NaN: 0, clamped).
#[inline(always)]
fn quantise_f32(x: f32, full: f32) -> (i32, bool) {
    let scaled = x * full;
    let fits = scaled > -full - 0.5 && scaled < full - 0.5;
    let clamped = scaled.clamp(-full, full - 1.0);
    // (NaN stays NaN through the clamp, and `as` makes it 0.)
    let rounded = (clamped + 0.5_f32.copysign(clamped)) as i32;
    (rounded, !fits)
}

/// [`quantise_f32`] in `f64`, for 24 and 32 bits.
#[inline(always)]
fn quantise_f64(x: f32, full: f64) -> (i32, bool) {
    let scaled = f64::from(x) * full;
    let fits = scaled > -full - 0.5 && scaled < full - 0.5;
    let clamped = scaled.clamp(-full, full - 1.0);
    let rounded = (clamped + 0.5_f64.copysign(clamped)) as i64;
    (rounded as i32, !fits)
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
    fn integers_go_through_floats_unchanged_for_every_format_and_layout() {
        for format in [
            SampleFormat::U8,
            SampleFormat::I16,
            SampleFormat::I24,
            SampleFormat::I32,
        ] {
            let size = format.bytes();
            // Every byte pattern of small formats' extremes, and a spread of values.
            let mut bytes: Vec<u8> = (0..3000_u32)
                .flat_map(|i| {
                    let v = i.wrapping_mul(2_654_435_761);
                    v.to_le_bytes()[..size].to_vec()
                })
                .collect();
            if format == SampleFormat::I32 {
                // f32 holds 24 bits: keep the low byte 0 so that the values survive.
                for sample in bytes.chunks_exact_mut(4) {
                    sample[0] = 0;
                }
            }
            for count in 1..=3 {
                let frames = bytes.len() / size / count;
                let mut buffers = vec![vec![0.0_f32; frames]; count];
                assert_eq!(decode(format, &bytes, &mut buffers), frames);
                let mut encoder = Encoder::new(format);
                let mut out = Vec::new();
                encoder.encode(&buffers, 0..frames, &mut out);
                assert_eq!(
                    out,
                    bytes[..frames * count * size],
                    "{format}, {count} channels"
                );
                assert_eq!(encoder.clipped(), 0);
            }
        }
    }

    #[test]
    fn sixteen_bit_samples_are_read_as_libsndfile_reads_them() {
        let samples: Vec<i16> = (i16::MIN..=i16::MAX).step_by(3).collect();
        let bytes: Vec<u8> = samples.iter().flat_map(|s| s.to_le_bytes()).collect();
        let mut mono = [vec![0.0; samples.len()]];
        decode(SampleFormat::I16, &bytes, &mut mono);
        for (got, &sample) in mono[0].iter().zip(&samples) {
            assert_eq!(*got, f32::from(sample) / 32_768.0);
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
