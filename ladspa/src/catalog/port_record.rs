//! What the catalog keeps of a port, and how a plugin's ports wait, encoded, until someone
//! asks for them.

use std::ffi::CString;
use std::fmt;
use std::sync::OnceLock;

use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::serial;
use crate::{Direction, Port, PortKind, RangeHint, Text};

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
/// of a catalog (listing, finding by label or ID) never look at ports: reading the cache
/// copies each plugin's ports as one block of bytes, and decodes them on first use.
#[derive(Clone, Default)]
pub(crate) struct LazyPorts {
    encoded: Box<[u8]>,
    decoded: OnceLock<Vec<PortRecord>>,
}

impl LazyPorts {
    pub(crate) fn new(ports: Vec<PortRecord>) -> Self {
        Self {
            encoded: Box::default(),
            decoded: OnceLock::from(ports),
        }
    }

    /// The ports. The bytes were written by this crate and checked against the cache's
    /// checksum (or came from a worker of this program), so decoding them does not fail; if
    /// it ever did, the plugin would show no ports rather than the host panic.
    pub(crate) fn get(&self) -> &[PortRecord] {
        self.decoded
            .get_or_init(|| serial::decode(&self.encoded).unwrap_or_default())
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
            None => serializer.serialize_bytes(&self.encoded),
        }
    }
}

impl<'de> Deserialize<'de> for LazyPorts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let encoded = serial::bytes(deserializer)?;
        if encoded.is_empty() {
            return Err(D::Error::custom("ports without their length"));
        }
        Ok(Self {
            encoded: encoded.into_boxed_slice(),
            decoded: OnceLock::new(),
        })
    }
}
