//! Strings that a plugin gives the host.

use std::borrow::Cow;
use std::ffi::CStr;
use std::fmt;
use std::str::Utf8Error;

/// A NUL-terminated string from a plugin (a label, a name, a port name…).
///
/// LADSPA says nothing about encodings and real plugins ship Latin-1 names, so the bytes are
/// kept as they are: nothing is rejected for not being UTF-8. [`to_str`](Text::to_str) gives
/// the exact text when it is UTF-8; [`to_string_lossy`](Text::to_string_lossy) and `Display`
/// replace invalid sequences with U+FFFD.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Text<'a>(&'a CStr);

impl<'a> Text<'a> {
    pub(crate) fn new(c_str: &'a CStr) -> Self {
        Self(c_str)
    }

    /// The C string, as the plugin gave it.
    pub fn as_c_str(&self) -> &'a CStr {
        self.0
    }

    /// The bytes, without the terminating NUL.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.0.to_bytes()
    }

    /// The text, when it is valid UTF-8.
    pub fn to_str(&self) -> Result<&'a str, Utf8Error> {
        self.0.to_str()
    }

    /// The text, with invalid UTF-8 replaced by U+FFFD (borrowed when it is valid).
    pub fn to_string_lossy(&self) -> Cow<'a, str> {
        self.0.to_string_lossy()
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.to_string_lossy())
    }
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.to_string_lossy(), f)
    }
}

impl PartialEq<str> for Text<'_> {
    fn eq(&self, other: &str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<&str> for Text<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}
