//! The WAV format's header: read in any chunk layout (chunks in any order, odd sizes with their
//! pad byte, `LIST` and other chunks skipped, `WAVE_FORMAT_EXTENSIBLE`, a data length that is
//! unknown or overstated, as sox writes to a pipe), and written as sox and other readers take it
//! without a warning.

use std::io::{self, Read};

use super::pcm::SampleFormat;

/// What a WAV header says about the samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WavHeader {
    pub(crate) channels: usize,
    pub(crate) sample_rate: u32,
    pub(crate) format: SampleFormat,
    /// The data chunk's length in bytes, when the header can be believed (not a streamed
    /// header's placeholder).
    pub(crate) data_bytes: Option<u64>,
}

/// What the first bytes of a file say.
pub(crate) enum Parsed {
    /// A WAV file of PCM or float samples; the reader is at the first byte of the data.
    Wav(WavHeader),
    /// Something else (another container, or a WAV codec other than PCM and float): a decoder's
    /// job.
    Other,
}

/// Data lengths from this one on are what writers put in a header they cannot fill in later
/// (sox writes 0x7ffff000 to a pipe, others 0xffffffff or 0).
const STREAMED_LENGTH: u32 = 0x7fff_f000;

const PCM: u16 = 1;
const FLOAT: u16 = 3;
const EXTENSIBLE: u16 = 0xfffe;
/// The rest of the PCM and float sub-format GUIDs of `WAVE_FORMAT_EXTENSIBLE`, after their
/// first two bytes (the format tag).
const GUID_TAIL: [u8; 14] = [
    0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71,
];

/// Reads a WAV header from `reader`, up to the first byte of the data chunk. An I/O error is
/// an error; bytes that are not a WAV file of PCM or float samples are [`Parsed::Other`], or a
/// message saying what is wrong with a WAV file.
pub(crate) fn parse(reader: &mut impl Read) -> io::Result<Result<Parsed, String>> {
    let mut riff = [0; 12];
    if !read_full(reader, &mut riff)? || &riff[..4] != b"RIFF" || &riff[8..] != b"WAVE" {
        return Ok(Ok(Parsed::Other));
    }
    let mut fmt: Option<(u16, usize, u32, u16, u16)> = None;
    loop {
        let mut chunk = [0; 8];
        if !read_full(reader, &mut chunk)? {
            return Ok(Err("the WAV file has no data chunk".to_owned()));
        }
        let size = u32::from_le_bytes([chunk[4], chunk[5], chunk[6], chunk[7]]);
        match &chunk[..4] {
            b"fmt " => {
                if !(16..=1024).contains(&size) {
                    return Ok(Err(format!("the WAV file's format chunk has {size} bytes")));
                }
                let mut body = vec![0; size as usize + (size as usize & 1)];
                if !read_full(reader, &mut body)? {
                    return Ok(Err("the WAV file ends in its format chunk".to_owned()));
                }
                let u16_at = |at: usize| u16::from_le_bytes([body[at], body[at + 1]]);
                let mut tag = u16_at(0);
                if tag == EXTENSIBLE && size >= 40 && body[26..40] == GUID_TAIL {
                    tag = u16_at(24);
                }
                let rate = u32::from_le_bytes([body[4], body[5], body[6], body[7]]);
                fmt = Some((tag, usize::from(u16_at(2)), rate, u16_at(12), u16_at(14)));
            }
            b"data" => {
                let Some((tag, channels, sample_rate, block_align, bits)) = fmt else {
                    return Ok(Err("the WAV file's data comes before its format".to_owned()));
                };
                if tag != PCM && tag != FLOAT {
                    return Ok(Ok(Parsed::Other));
                }
                if channels == 0 || sample_rate == 0 {
                    return Ok(Err(format!(
                        "the WAV file says {channels} channels at {sample_rate} Hz"
                    )));
                }
                // Samples take the container's size (block_align / channels); 20- or 24-bit
                // samples in 32-bit containers are read as 32-bit ones.
                let container = usize::from(block_align) / channels;
                let format = (container * channels == usize::from(block_align))
                    .then(|| SampleFormat::from_bits(container as u16 * 8, tag == FLOAT))
                    .flatten();
                let Some(format) = format else {
                    return Ok(Err(format!(
                        "the WAV file holds {bits}-bit {} samples in blocks of {block_align} bytes, which this reader does not take",
                        if tag == FLOAT { "float" } else { "integer" }
                    )));
                };
                let data_bytes = (size != 0 && size < STREAMED_LENGTH).then_some(u64::from(size));
                return Ok(Ok(Parsed::Wav(WavHeader {
                    channels,
                    sample_rate,
                    format,
                    data_bytes,
                })));
            }
            _ => {
                // Any other chunk (LIST, fact, cue, bext…), and its pad byte when odd.
                let skip = u64::from(size) + u64::from(size & 1);
                let skipped = io::copy(&mut reader.by_ref().take(skip), &mut io::sink())?;
                if skipped < skip {
                    return Ok(Err("the WAV file has no data chunk".to_owned()));
                }
            }
        }
    }
}

/// Fills `buffer`; false when the input ended first.
fn read_full(reader: &mut impl Read, buffer: &mut [u8]) -> io::Result<bool> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => return Ok(false),
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

/// The header of a WAV file of `frames` frames (`None`: unknown, as on a pipe, where the
/// lengths say so the way sox does). Plain PCM up to 16 bits and 2 channels; plain float (with
/// its `fact` chunk); `WAVE_FORMAT_EXTENSIBLE` (and `fact`) for PCM of more bits or channels,
/// as the format's specification asks and sox writes.
pub(crate) fn header(
    format: SampleFormat,
    channels: usize,
    sample_rate: u32,
    frames: Option<u64>,
) -> Vec<u8> {
    let size = format.bytes();
    let block_align = size * channels;
    // Float stays plain at any channel count: sox warns about extensible float (and writes it
    // plain itself).
    let extensible = !format.is_float() && (channels > 2 || format.bits() > 16);
    let tag = if format.is_float() { FLOAT } else { PCM };
    let data: u32 = match frames {
        Some(frames) => (frames * block_align as u64).min(u64::from(u32::MAX)) as u32,
        None => STREAMED_LENGTH,
    };
    let fact_frames = match frames {
        Some(frames) => frames.min(u64::from(u32::MAX)) as u32,
        None => STREAMED_LENGTH / block_align.max(1) as u32,
    };
    let mut fmt = Vec::with_capacity(40);
    fmt.extend((if extensible { EXTENSIBLE } else { tag }).to_le_bytes());
    fmt.extend((channels as u16).to_le_bytes());
    fmt.extend(sample_rate.to_le_bytes());
    fmt.extend(sample_rate.wrapping_mul(block_align as u32).to_le_bytes());
    fmt.extend((block_align as u16).to_le_bytes());
    fmt.extend(format.bits().to_le_bytes());
    if extensible {
        let mask: u32 = match channels {
            1 => 0x4,
            2 => 0x3,
            _ => 0,
        };
        fmt.extend(22_u16.to_le_bytes());
        fmt.extend(format.bits().to_le_bytes());
        fmt.extend(mask.to_le_bytes());
        fmt.extend(tag.to_le_bytes());
        fmt.extend(GUID_TAIL);
    } else if format.is_float() {
        fmt.extend(0_u16.to_le_bytes());
    }
    let fact = extensible || format.is_float();
    let mut out = Vec::with_capacity(80);
    out.extend(b"RIFF");
    out.extend([0; 4]); // filled in below
    out.extend(b"WAVEfmt ");
    out.extend((fmt.len() as u32).to_le_bytes());
    out.extend(&fmt);
    if fact {
        out.extend(b"fact");
        out.extend(4_u32.to_le_bytes());
        out.extend(fact_frames.to_le_bytes());
    }
    out.extend(b"data");
    out.extend(data.to_le_bytes());
    let pad = data & 1;
    let riff = (out.len() as u32 - 8)
        .saturating_add(data)
        .saturating_add(pad);
    out[4..8].copy_from_slice(&riff.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_bytes(bytes: &[u8]) -> Result<Parsed, String> {
        parse(&mut &bytes[..]).unwrap()
    }

    #[test]
    fn written_headers_parse_back_in_every_layout() {
        for format in [
            SampleFormat::U8,
            SampleFormat::I16,
            SampleFormat::I24,
            SampleFormat::I32,
            SampleFormat::F32,
        ] {
            for channels in [1, 2, 3, 6] {
                for frames in [Some(0), Some(3), None] {
                    let bytes = header(format, channels, 44_100, frames);
                    let Ok(Parsed::Wav(parsed)) = parse_bytes(&bytes) else {
                        panic!("{format} × {channels}: not parsed");
                    };
                    assert_eq!(parsed.format, format);
                    assert_eq!(parsed.channels, channels);
                    assert_eq!(parsed.sample_rate, 44_100);
                    let expected = frames
                        .filter(|&f| f > 0)
                        .map(|f| f * (format.bytes() * channels) as u64);
                    assert_eq!(parsed.data_bytes, expected);
                }
            }
        }
    }

    #[test]
    fn odd_chunks_are_skipped_with_their_pad_byte() {
        let mut bytes = b"RIFF\0\0\0\0WAVE".to_vec();
        bytes.extend(b"LIST\x03\0\0\0abc\0"); // odd: one pad byte
        let plain = header(SampleFormat::I16, 1, 8000, Some(2));
        bytes.extend(&plain[12..]);
        bytes.extend([1, 0, 2, 0]);
        let mut reader = &bytes[..];
        let Ok(Parsed::Wav(parsed)) = parse(&mut reader).unwrap() else {
            panic!("not parsed");
        };
        assert_eq!(parsed.data_bytes, Some(4));
        assert_eq!(reader, [1, 0, 2, 0]);
    }

    #[test]
    fn other_files_and_codecs_are_left_to_the_decoder() {
        assert!(matches!(parse_bytes(b"fLaC\0\0\0\0"), Ok(Parsed::Other)));
        let mut adpcm = header(SampleFormat::I16, 1, 8000, Some(2));
        adpcm[20] = 2; // WAVE_FORMAT_ADPCM
        assert!(matches!(parse_bytes(&adpcm), Ok(Parsed::Other)));
    }
}
