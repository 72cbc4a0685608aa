//! How the catalog's values become bytes, for the cache file and for the messages between the
//! scan and its workers: `serde` helpers for the fields whose natural form is not what a
//! plugin file may hold (paths and strings need not be UTF-8, field names are `&'static str`),
//! and the length-prefixed framing of messages on a pipe.

use std::ffi::CString;
use std::io::{self, Read, Write};

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::serde_path;

/// The longest message accepted from a pipe or a cache file: far above any real catalog
/// (Debian's 494 plugins take about 1 MiB), low enough that a corrupt length cannot make the
/// host allocate without bound.
pub(crate) const MAX_MESSAGE: usize = 256 << 20;

/// A plugin's strings as their bytes, without the NUL; a NUL inside is refused on reading.
pub(crate) mod c_string_bytes {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        text: &CString,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(text.as_bytes())
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<CString, D::Error> {
        CString::new(serde_path::bytes(deserializer)?).map_err(D::Error::custom)
    }
}

/// Encodes `value` as one message: its length (4 bytes, little-endian), then its postcard
/// bytes.
pub(crate) fn frame<T: Serialize>(value: &T) -> io::Result<Vec<u8>> {
    let bytes = encode(value)?;
    let length = u32::try_from(bytes.len()).map_err(io::Error::other)?;
    let mut framed = Vec::with_capacity(bytes.len() + 4);
    framed.extend_from_slice(&length.to_le_bytes());
    framed.extend_from_slice(&bytes);
    Ok(framed)
}

/// Writes one message ([`frame`]) in a single `write` where the pipe allows, so that a reader
/// sees a message whole or, if the writer died in between, a truncated one it can tell apart.
pub(crate) fn send<T: Serialize>(out: &mut impl Write, value: &T) -> io::Result<()> {
    out.write_all(&frame(value)?)
}

/// Reads one message written by [`send`]; `Ok(None)` at a clean end of the stream.
pub(crate) fn receive<T: DeserializeOwned>(input: &mut impl Read) -> io::Result<Option<T>> {
    let mut length = [0u8; 4];
    match input.read_exact(&mut length) {
        Ok(()) => {}
        Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(error) => return Err(error),
    }
    let length = message_length(length)?;
    let mut bytes = vec![0; length];
    input.read_exact(&mut bytes)?;
    decode(&bytes).map(Some)
}

/// Takes every whole message off the front of `buffer` (bytes read from a pipe so far), leaving
/// a partial one in place.
pub(crate) fn take_messages<T: DeserializeOwned>(buffer: &mut Vec<u8>) -> io::Result<Vec<T>> {
    let mut messages = Vec::new();
    let mut start = 0;
    while let Some(prefix) = buffer.get(start..start + 4) {
        let length = message_length(prefix.try_into().expect("4 bytes"))?;
        let Some(body) = buffer.get(start + 4..start + 4 + length) else {
            break;
        };
        messages.push(decode(body)?);
        start += 4 + length;
    }
    buffer.drain(..start);
    Ok(messages)
}

/// The length a message's prefix announces, refused past [`MAX_MESSAGE`].
fn message_length(prefix: [u8; 4]) -> io::Result<usize> {
    let length = u32::from_le_bytes(prefix) as usize;
    if length > MAX_MESSAGE {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a message of {length} bytes, more than the {MAX_MESSAGE} accepted"),
        ));
    }
    Ok(length)
}

/// Decodes postcard bytes that must hold exactly one value.
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> io::Result<T> {
    match postcard::take_from_bytes(bytes) {
        Ok((value, [])) => Ok(value),
        Ok((_, rest)) => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{} bytes left over after the value", rest.len()),
        )),
        Err(error) => Err(io::Error::new(io::ErrorKind::InvalidData, error)),
    }
}

/// Encodes a value as postcard bytes.
pub(crate) fn encode<T: Serialize>(value: &T) -> io::Result<Vec<u8>> {
    postcard::to_stdvec(value).map_err(io::Error::other)
}

/// A range hint as its three raw fields, bit for bit (bounds may be NaN).
pub(crate) mod range_hint {
    use super::*;
    use crate::hint::RangeHint;
    use ladspa_host_sys::LADSPA_PortRangeHint;

    pub(crate) fn serialize<S: Serializer>(
        hint: &RangeHint,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let raw = hint.raw();
        (
            raw.HintDescriptor,
            raw.LowerBound.to_bits(),
            raw.UpperBound.to_bits(),
        )
            .serialize(serializer)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<RangeHint, D::Error> {
        let (descriptor, lower, upper) = <(i32, u32, u32)>::deserialize(deserializer)?;
        Ok(RangeHint::from_raw(LADSPA_PortRangeHint {
            HintDescriptor: descriptor,
            LowerBound: f32::from_bits(lower),
            UpperBound: f32::from_bits(upper),
        }))
    }
}

/// Plugin properties as their bits, unknown ones kept.
pub(crate) mod properties_bits {
    use super::*;
    use crate::properties::Properties;

    pub(crate) fn serialize<S: Serializer>(
        properties: &Properties,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        properties.bits().serialize(serializer)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Properties, D::Error> {
        Ok(Properties::from_bits_retain(Deserialize::deserialize(
            deserializer,
        )?))
    }
}
