//! The one PCM codec of the workspace: interleaved little-endian samples of a file to planar
//! `f32` channel buffers and back, in blocks (a straight loop per channel layout, which the
//! compiler vectorises), with clipping counted rather than wrapped: `decode` reads, `encode`
//! writes, `avx2` holds the wide path of the usual 16-bit output.

#[cfg(target_arch = "x86_64")]
mod avx2;
mod decode;
mod encode;
mod format;

pub use decode::{decode, decode_at};
pub use encode::Encoder;
pub use format::SampleFormat;

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
