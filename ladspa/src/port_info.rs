//! What validation keeps of one port: its direction and kind (public, as [`Direction`] and
//! [`PortKind`]), and the name pointer and range hint the port views read.

use std::ffi::c_char;
use std::ptr::NonNull;

use crate::hint::RangeHint;

/// Whether a port is read or written by the plugin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Direction {
    /// `LADSPA_PORT_INPUT`: the plugin reads it.
    Input,
    /// `LADSPA_PORT_OUTPUT`: the plugin writes it.
    Output,
}

/// What a port carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum PortKind {
    /// `LADSPA_PORT_AUDIO`: a buffer of samples per run.
    Audio,
    /// `LADSPA_PORT_CONTROL`: one value per run.
    Control,
}

/// What the host keeps of one port after validating it: the plugin's name pointer (checked
/// non-NULL), and copies of its direction, kind and hint, so that a plugin that changed its
/// arrays later could not make the host connect a port as something it is not.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PortInfo {
    pub(crate) name: NonNull<c_char>,
    pub(crate) direction: Direction,
    pub(crate) kind: PortKind,
    pub(crate) hint: RangeHint,
}
