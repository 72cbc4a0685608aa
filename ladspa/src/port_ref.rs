//! Naming a control port: by index, by name, or by a [`Port`] of the plugin type, and finding
//! it among the ports a call may touch.

use std::ffi::CStr;

use crate::descriptor::Descriptor;
use crate::port::Port;
use crate::port_error::PortError;
use crate::text::Text;

/// A port, named by index (`usize`), by name (`&str`, `String`, `&String`, or the exact bytes
/// as a `&CStr` or [`Text`], for names that are not UTF-8), or as a [`Port`] of the same
/// plugin type.
///
/// Names are looked up among the ports the call can use: control inputs for the setters,
/// control ports for [`Handle::control`](crate::Handle::control). Real plugins give an audio
/// port and a control port the same name ("Frequency" as a signal and as a knob); the control
/// wins. A name that several candidates share is [`PortError::Ambiguous`]: name those by index.
pub trait PortRef: sealed::ToKey {}

pub(crate) mod sealed {
    /// How a port is named.
    #[derive(Debug, Clone, Copy)]
    pub enum Key<'a> {
        Index(usize),
        Name(&'a [u8]),
        /// A port of a descriptor: its index, and the address of the descriptor's shared
        /// state, which identifies the plugin type.
        Port(usize, *const ()),
    }

    /// The sealed part of [`PortRef`](super::PortRef).
    pub trait ToKey {
        fn key(&self) -> Key<'_>;
    }
}
use sealed::{Key, ToKey};

macro_rules! port_ref {
    ($($type:ty => |$this:ident| $key:expr;)*) => {$(
        impl ToKey for $type {
            fn key(&self) -> Key<'_> {
                let $this = self;
                $key
            }
        }
        impl PortRef for $type {}
    )*};
}

port_ref! {
    usize => |index| Key::Index(*index);
    &str => |name| Key::Name(name.as_bytes());
    String => |name| Key::Name(name.as_bytes());
    &String => |name| Key::Name(name.as_bytes());
    &CStr => |name| Key::Name(name.to_bytes());
    Text<'_> => |name| Key::Name(name.as_bytes());
    Port<'_> => |port| Key::Port(port.index(), port.owner());
    &Port<'_> => |port| Key::Port(port.index(), port.owner());
}

/// Which ports a call may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// Any control port (reading).
    Control,
    /// A control input (setting).
    ControlInput,
}

impl Need {
    fn accepts(self, port: &Port<'_>) -> bool {
        port.is_control() && (self == Need::Control || port.is_input())
    }
}

impl Descriptor {
    /// The control input that `port` names (by index, name or [`Port`]; a name is looked up
    /// among control inputs only), with the error [`Handle::set_control`](crate::Handle::set_control)
    /// would give. Resolve names once with this, off the real-time thread, and set controls by
    /// index there.
    ///
    /// ```
    /// # let path = ladspa_testplugins::reference_plugin("tp_amp");
    /// # // SAFETY: the test plugins are trusted.
    /// # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
    /// let amp = plugin.find_label("tp_amp_mono")?;
    /// assert_eq!(amp.control_input("Gain")?.index(), 0);
    /// assert!(matches!(amp.control_input("Input"), Err(ladspa_host::PortError::NotControl { index: 1, .. })));
    /// # Ok::<(), ladspa_host::Error>(())
    /// ```
    pub fn control_input(&self, port: impl PortRef) -> Result<Port<'_>, PortError> {
        self.find_control(&port, Need::ControlInput)
    }

    /// The control port, input or output, that `port` names (a name is looked up among control
    /// ports only), with the error [`Handle::control`](crate::Handle::control) would give.
    pub fn control_port(&self, port: impl PortRef) -> Result<Port<'_>, PortError> {
        self.find_control(&port, Need::Control)
    }

    /// The port `port` names, if it is one that `need` allows.
    pub(crate) fn find_control(
        &self,
        port: &impl PortRef,
        need: Need,
    ) -> Result<Port<'_>, PortError> {
        let found = match port.key() {
            Key::Index(index) => self.port(index).ok_or_else(|| PortError::NoSuchPort {
                descriptor: self.clone(),
                port: index.to_string(),
            })?,
            Key::Port(index, owner) => {
                if !std::ptr::eq(owner, std::ptr::from_ref(self.shared()).cast()) {
                    return Err(PortError::OtherPluginType {
                        descriptor: self.clone(),
                        index,
                    });
                }
                self.port(index).expect("a port of this descriptor")
            }
            Key::Name(name) => return self.find_control_by_name(name, need),
        };
        self.check(found, need)
    }

    fn find_control_by_name(&self, name: &[u8], need: Need) -> Result<Port<'_>, PortError> {
        let named = || self.ports().filter(|port| port.name().as_bytes() == name);
        let mut candidates = named().filter(|port| need.accepts(port));
        match (candidates.next(), candidates.next()) {
            (Some(found), None) => Ok(found),
            (Some(_), Some(_)) => Err(PortError::Ambiguous {
                descriptor: self.clone(),
                name: String::from_utf8_lossy(name).into_owned(),
                indices: named()
                    .filter(|port| need.accepts(port))
                    .map(|port| port.index())
                    .collect(),
            }),
            // No candidate: say why the port of that name does not do, if there is one.
            (None, _) => match named().next() {
                Some(other) => self.check(other, need),
                None => Err(PortError::NoSuchPort {
                    descriptor: self.clone(),
                    port: format!("{:?}", String::from_utf8_lossy(name)),
                }),
            },
        }
    }

    fn check<'a>(&self, port: Port<'a>, need: Need) -> Result<Port<'a>, PortError> {
        if !port.is_control() {
            Err(PortError::NotControl {
                descriptor: self.clone(),
                index: port.index(),
            })
        } else if !need.accepts(&port) {
            Err(PortError::NotInput {
                descriptor: self.clone(),
                index: port.index(),
            })
        } else {
            Ok(port)
        }
    }
}
