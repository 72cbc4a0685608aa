//! Validation of the descriptors a plugin file hands out: everything the host relies on is
//! checked once, before a [`Descriptor`](crate::Descriptor) exists.

use std::borrow::Cow;
use std::ffi::{CStr, c_char};
use std::path::PathBuf;
use std::ptr::NonNull;

use ladspa_host_sys as sys;

use crate::functions::{Functions, RunAdding};
use crate::hint::RangeHint;
use crate::port_info::{Direction, PortInfo, PortKind};
use crate::properties::Properties;

/// The most ports a descriptor may declare. Real plugins have a few dozen at most; a larger
/// count is taken as garbage rather than read past the end of the plugin's arrays.
pub const MAX_PORTS: usize = 4096;

/// A descriptor that the host refuses, and why. Other descriptors of the same file are not
/// affected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[error("{}: plugin {index}{}: {defect}", file.display(), label.as_ref().map(|l| format!(" ({l})")).unwrap_or_default())]
#[non_exhaustive]
pub struct DescriptorError {
    /// The plugin file.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_path"))]
    pub file: PathBuf,
    /// The descriptor's index in the file (the argument of `ladspa_descriptor`).
    pub index: usize,
    /// The descriptor's label (lossily decoded), when it has one.
    pub label: Option<String>,
    /// What is wrong with it.
    pub defect: Defect,
}

/// What is wrong with a refused descriptor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Defect {
    /// A string field (`Label`, `Name`, `Maker` or `Copyright`) is NULL.
    #[error("its {field} is NULL")]
    NullString {
        /// The field's name in `LADSPA_Descriptor`.
        field: Cow<'static, str>,
    },
    /// A port array (`PortDescriptors`, `PortNames` or `PortRangeHints`) is NULL.
    #[error("its {array} array is NULL")]
    NullPortArray {
        /// The field's name in `LADSPA_Descriptor`.
        array: Cow<'static, str>,
    },
    /// `PortCount` is larger than any real plugin's.
    #[error("it declares {count} ports, more than the {MAX_PORTS} a host believes")]
    TooManyPorts {
        /// The declared `PortCount`.
        count: u64,
    },
    /// A port's name is NULL.
    #[error("the name of port {port} is NULL")]
    NullPortName {
        /// The port's index.
        port: usize,
    },
    /// A port is both an input and an output, or neither.
    #[error("port {port} ({name}) is {}", if descriptor & sys::LADSPA_PORT_INPUT != 0 { "both an input and an output" } else { "neither an input nor an output" })]
    PortDirection {
        /// The port's index.
        port: usize,
        /// The port's name (lossily decoded).
        name: String,
        /// Its raw `LADSPA_PortDescriptor`.
        descriptor: sys::LADSPA_PortDescriptor,
    },
    /// A port is both audio and control, or neither.
    #[error("port {port} ({name}) is {}", if descriptor & sys::LADSPA_PORT_AUDIO != 0 { "both audio and control" } else { "neither audio nor control" })]
    PortKind {
        /// The port's index.
        port: usize,
        /// The port's name (lossily decoded).
        name: String,
        /// Its raw `LADSPA_PortDescriptor`.
        descriptor: sys::LADSPA_PortDescriptor,
    },
    /// A function that every plugin must provide is NULL.
    #[error("its required function {function} is NULL")]
    MissingFunction {
        /// The field's name in `LADSPA_Descriptor`.
        function: Cow<'static, str>,
    },
    /// `run_adding` is given without `set_run_adding_gain`.
    #[error("it has run_adding but no set_run_adding_gain (the two come together)")]
    RunAddingWithoutGain,
    /// `set_run_adding_gain` is given without `run_adding`.
    #[error("it has set_run_adding_gain but no run_adding (the two come together)")]
    GainWithoutRunAdding,
    /// `ladspa_descriptor` returned the same pointer for several indices: the plugin fills one
    /// struct again for each index, so whichever plugin type it holds now, instances of the
    /// others cannot be made correctly. The label is the one it held right after its own call.
    #[error("ladspa_descriptor() returned the same descriptor pointer for indices {}, refilling it each time", indices.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))]
    SharedDescriptor {
        /// Every index that returned this pointer.
        indices: Vec<usize>,
    },
}

/// What validation hands to the descriptor: everything copied or checked.
pub(crate) struct Validated {
    pub(crate) unique_id: u64,
    pub(crate) properties: Properties,
    pub(crate) label: NonNull<c_char>,
    pub(crate) name: NonNull<c_char>,
    pub(crate) maker: NonNull<c_char>,
    pub(crate) copyright: NonNull<c_char>,
    pub(crate) ports: Box<[PortInfo]>,
    pub(crate) functions: Functions,
}

/// Checks one descriptor.
///
/// # Safety
/// `raw` must point to a `LADSPA_Descriptor` that stays valid (its plugin file loaded) for the
/// duration of the call. Arrays are read only after their pointer is found non-NULL and the
/// port count believable; that they really hold `PortCount` elements, and that strings are
/// NUL-terminated, is the plugin's promise and cannot be checked.
pub(crate) unsafe fn validate(
    raw: NonNull<sys::LADSPA_Descriptor>,
    file: &std::path::Path,
    index: usize,
) -> Result<Validated, DescriptorError> {
    // SAFETY: the caller guarantees that `raw` points to a live descriptor.
    let d = unsafe { raw.as_ref() };
    // SAFETY: a non-NULL label is a NUL-terminated string by the plugin's promise.
    let label = NonNull::new(d.Label.cast_mut()).map(|l| unsafe { CStr::from_ptr(l.as_ptr()) });
    let fail = |defect| DescriptorError {
        file: file.to_owned(),
        index,
        label: label.map(|l| l.to_string_lossy().into_owned()),
        defect,
    };
    let string = |pointer: *const c_char, field| {
        NonNull::new(pointer.cast_mut()).ok_or_else(|| {
            fail(Defect::NullString {
                field: Cow::Borrowed(field),
            })
        })
    };
    let label = string(d.Label, "Label")?;
    let name = string(d.Name, "Name")?;
    let maker = string(d.Maker, "Maker")?;
    let copyright = string(d.Copyright, "Copyright")?;

    let functions = functions(d).map_err(fail)?;

    // `unsigned long` is 32 bits on some targets.
    #[allow(clippy::useless_conversion)]
    let count = u64::from(d.PortCount);
    let port_count = usize::try_from(count)
        .ok()
        .filter(|&n| n <= MAX_PORTS)
        .ok_or_else(|| fail(Defect::TooManyPorts { count }))?;
    let array = |is_null: bool, array| {
        if is_null && port_count > 0 {
            Err(fail(Defect::NullPortArray {
                array: Cow::Borrowed(array),
            }))
        } else {
            Ok(())
        }
    };
    array(d.PortDescriptors.is_null(), "PortDescriptors")?;
    array(d.PortNames.is_null(), "PortNames")?;
    array(d.PortRangeHints.is_null(), "PortRangeHints")?;

    let mut ports = Vec::with_capacity(port_count);
    for port in 0..port_count {
        // SAFETY: the three arrays are non-NULL (checked above, as port_count > 0 here) and hold
        // PortCount elements by the plugin's promise; port < PortCount.
        let (descriptor, name, hint) = unsafe {
            (
                *d.PortDescriptors.add(port),
                *d.PortNames.add(port),
                *d.PortRangeHints.add(port),
            )
        };
        let name =
            NonNull::new(name.cast_mut()).ok_or_else(|| fail(Defect::NullPortName { port }))?;
        let lossy_name = || {
            // SAFETY: a non-NULL port name is a NUL-terminated string by the plugin's promise.
            unsafe { CStr::from_ptr(name.as_ptr()) }
                .to_string_lossy()
                .into_owned()
        };
        let direction = match (
            sys::LADSPA_IS_PORT_INPUT(descriptor),
            sys::LADSPA_IS_PORT_OUTPUT(descriptor),
        ) {
            (true, false) => Direction::Input,
            (false, true) => Direction::Output,
            _ => {
                return Err(fail(Defect::PortDirection {
                    port,
                    name: lossy_name(),
                    descriptor,
                }));
            }
        };
        let kind = match (
            sys::LADSPA_IS_PORT_AUDIO(descriptor),
            sys::LADSPA_IS_PORT_CONTROL(descriptor),
        ) {
            (true, false) => PortKind::Audio,
            (false, true) => PortKind::Control,
            _ => {
                return Err(fail(Defect::PortKind {
                    port,
                    name: lossy_name(),
                    descriptor,
                }));
            }
        };
        ports.push(PortInfo {
            name,
            direction,
            kind,
            hint: RangeHint::from_raw(hint),
        });
    }

    Ok(Validated {
        #[allow(clippy::useless_conversion)] // `unsigned long` is 32 bits on some targets.
        unique_id: u64::from(d.UniqueID),
        properties: Properties::from_bits_retain(d.Properties),
        label,
        name,
        maker,
        copyright,
        ports: ports.into_boxed_slice(),
        functions,
    })
}

fn functions(d: &sys::LADSPA_Descriptor) -> Result<Functions, Defect> {
    let required = |function| Defect::MissingFunction {
        function: Cow::Borrowed(function),
    };
    let run_adding = match (d.run_adding, d.set_run_adding_gain) {
        (Some(run_adding), Some(set_run_adding_gain)) => Some(RunAdding {
            run_adding,
            set_run_adding_gain,
        }),
        (None, None) => None,
        (Some(_), None) => return Err(Defect::RunAddingWithoutGain),
        (None, Some(_)) => return Err(Defect::GainWithoutRunAdding),
    };
    Ok(Functions {
        instantiate: d.instantiate.ok_or_else(|| required("instantiate"))?,
        connect_port: d.connect_port.ok_or_else(|| required("connect_port"))?,
        run: d.run.ok_or_else(|| required("run"))?,
        cleanup: d.cleanup.ok_or_else(|| required("cleanup"))?,
        activate: d.activate,
        deactivate: d.deactivate,
        run_adding,
    })
}
