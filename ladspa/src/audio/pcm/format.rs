//! The sample formats of PCM files.

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
