//! The one PCM codec of the workspace: interleaved little-endian samples of a file to planar
//! `f32` channel buffers and back, in blocks (a straight loop per channel layout, which the
//! compiler vectorises), with clipping counted rather than wrapped: `decode` reads, `encode`
//! writes, `avx2` holds the wide path of the usual 16-bit output.

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

#[cfg(target_arch = "x86_64")]
mod avx2;
mod decode;
mod encode;

pub use decode::{decode, decode_at};
pub use encode::Encoder;

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
}
