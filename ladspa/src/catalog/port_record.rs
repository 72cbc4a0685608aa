//! What the catalog keeps of a port, and how a plugin's ports wait, encoded, until someone
//! asks for them.

use std::cell::RefCell;
use std::ffi::CString;
use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::serial;
use crate::hint::RangeHint;
use crate::port::Port;
use crate::port_info::{Direction, PortKind};
use crate::text::Text;

/// The metadata of one port of a [`PluginRecord`](super::PluginRecord); the accessors are those of
/// [`Port`](crate::Port).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PortRecord {
    index: usize,
    #[serde(with = "serial::c_string_bytes")]
    name: CString,
    direction: Direction,
    kind: PortKind,
    #[serde(with = "serial::range_hint")]
    hint: RangeHint,
}

impl PortRecord {
    pub(crate) fn of(port: &Port<'_>) -> Self {
        Self {
            index: port.index(),
            name: port.name().as_c_str().to_owned(),
            direction: port.direction(),
            kind: port.kind(),
            hint: port.hint(),
        }
    }

    /// The port's index.
    pub fn index(&self) -> usize {
        self.index
    }

    /// Its name.
    pub fn name(&self) -> Text<'_> {
        Text::new(&self.name)
    }

    /// Input or output.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// Audio or control.
    pub fn kind(&self) -> PortKind {
        self.kind
    }

    /// Its range hint, from which [`RangeHint::default_value`] gives the default at a rate.
    pub fn hint(&self) -> RangeHint {
        self.hint
    }

    /// Whether the plugin reads it.
    pub fn is_input(&self) -> bool {
        self.direction == Direction::Input
    }

    /// Whether the plugin writes it.
    pub fn is_output(&self) -> bool {
        self.direction == Direction::Output
    }

    /// Whether it is an audio port.
    pub fn is_audio(&self) -> bool {
        self.kind == PortKind::Audio
    }

    /// Whether it is a control port.
    pub fn is_control(&self) -> bool {
        self.kind == PortKind::Control
    }
}

/// Ports are equal when everything the plugin declared is, bit for bit (a NaN bound equals the
/// same NaN), bounds only where the hint's flags make them meaningful: real plugins leave the
/// others uninitialised, so they differ from one load to the next.
impl PartialEq for PortRecord {
    fn eq(&self, other: &Self) -> bool {
        let meaning = |hint: RangeHint| {
            (
                hint.raw().HintDescriptor,
                hint.lower_bound().map(f32::to_bits),
                hint.upper_bound().map(f32::to_bits),
            )
        };
        self.index == other.index
            && self.name == other.name
            && self.direction == other.direction
            && self.kind == other.kind
            && meaning(self.hint) == meaning(other.hint)
    }
}

/// A plugin's ports, as records once asked for, as their encoded bytes until then.
///
/// Real catalogs are mostly port names (Debian's 494 plugins have 29,657 ports), and most uses
/// of a catalog (listing, finding by label or ID) never look at ports: reading the cache keeps
/// each plugin's ports as a range of the cache's own bytes ([`share_while`]), and decodes them
/// on first use.
#[derive(Clone, Default)]
pub(crate) struct LazyPorts {
    encoded: Encoded,
    decoded: OnceLock<Vec<PortRecord>>,
}

/// Encoded ports: bytes of their own, or a range of a buffer that many plugins share.
#[derive(Clone)]
enum Encoded {
    Owned(Box<[u8]>),
    Shared(Arc<Vec<u8>>, Range<usize>),
}

impl Default for Encoded {
    fn default() -> Self {
        Self::Owned(Box::default())
    }
}

impl Encoded {
    fn bytes(&self) -> &[u8] {
        match self {
            Self::Owned(bytes) => bytes,
            // The range was found inside this very buffer (`LazyPorts::deserialize`).
            Self::Shared(buffer, range) => buffer.get(range.clone()).unwrap_or_default(),
        }
    }
}

thread_local! {
    /// The buffer being decoded by [`share_while`] on this thread, if any.
    static SHARED_SOURCE: RefCell<Option<Arc<Vec<u8>>>> = const { RefCell::new(None) };
}

/// Runs `decode` on `buffer`, letting the ports it decodes keep ranges of `buffer` instead of
/// copies of their bytes.
pub(crate) fn share_while<T>(buffer: &Arc<Vec<u8>>, decode: impl FnOnce(&[u8]) -> T) -> T {
    let previous = SHARED_SOURCE.replace(Some(Arc::clone(buffer)));
    let decoded = decode(buffer);
    SHARED_SOURCE.set(previous);
    decoded
}

impl LazyPorts {
    pub(crate) fn new(ports: Vec<PortRecord>) -> Self {
        Self {
            encoded: Encoded::default(),
            decoded: OnceLock::from(ports),
        }
    }

    /// The ports. The bytes were written by this crate and checked against the cache's
    /// checksum (or came from a worker of this program), so decoding them does not fail; if
    /// it ever did, the plugin would show no ports rather than the host panic.
    pub(crate) fn get(&self) -> &[PortRecord] {
        self.decoded
            .get_or_init(|| serial::decode(self.encoded.bytes()).unwrap_or_default())
    }
}

impl PartialEq for LazyPorts {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl fmt::Debug for LazyPorts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.get(), f)
    }
}

impl Serialize for LazyPorts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.decoded.get() {
            Some(ports) => {
                serializer.serialize_bytes(&serial::encode(ports).map_err(S::Error::custom)?)
            }
            None => serializer.serialize_bytes(self.encoded.bytes()),
        }
    }
}

impl<'de> Deserialize<'de> for LazyPorts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Encoded;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("encoded ports")
            }
            fn visit_borrowed_bytes<E: serde::de::Error>(
                self,
                bytes: &'de [u8],
            ) -> Result<Encoded, E> {
                // Bytes inside the buffer that `share_while` is decoding are kept as a range of
                // it; any others are copied.
                let shared = SHARED_SOURCE.with_borrow(|source| {
                    let buffer = source.as_ref()?;
                    let start = (bytes.as_ptr() as usize).checked_sub(buffer.as_ptr() as usize)?;
                    let range = start..start + bytes.len();
                    (range.end <= buffer.len()).then(|| Encoded::Shared(Arc::clone(buffer), range))
                });
                Ok(shared.unwrap_or_else(|| Encoded::Owned(bytes.into())))
            }
            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Encoded, E> {
                Ok(Encoded::Owned(bytes.into()))
            }
            fn visit_byte_buf<E: serde::de::Error>(self, bytes: Vec<u8>) -> Result<Encoded, E> {
                Ok(Encoded::Owned(bytes.into_boxed_slice()))
            }
        }
        let encoded = deserializer.deserialize_bytes(Visitor)?;
        if encoded.bytes().is_empty() {
            return Err(D::Error::custom("ports without their length"));
        }
        Ok(Self {
            encoded,
            decoded: OnceLock::new(),
        })
    }
}
