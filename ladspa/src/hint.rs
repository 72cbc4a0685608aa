//! Range hints of ports, and the default values they imply.

use ladspa_host_sys as sys;

bitflags::bitflags! {
    /// The flags of a port's range hint (`LADSPA_HINT_*` outside the default mask).
    ///
    /// Bits that LADSPA 1.1 does not define are kept (see [`HintFlags::bits`]).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct HintFlags: sys::LADSPA_PortRangeHintDescriptor {
        /// `LADSPA_HINT_BOUNDED_BELOW`: the lower bound is meaningful.
        const BOUNDED_BELOW = sys::LADSPA_HINT_BOUNDED_BELOW;
        /// `LADSPA_HINT_BOUNDED_ABOVE`: the upper bound is meaningful.
        const BOUNDED_ABOVE = sys::LADSPA_HINT_BOUNDED_ABOVE;
        /// `LADSPA_HINT_TOGGLED`: the value is on (> 0) or off (≤ 0).
        const TOGGLED = sys::LADSPA_HINT_TOGGLED;
        /// `LADSPA_HINT_SAMPLE_RATE`: the bounds are multiples of the sample rate.
        const SAMPLE_RATE = sys::LADSPA_HINT_SAMPLE_RATE;
        /// `LADSPA_HINT_LOGARITHMIC`: the value is best presented on a logarithmic scale, and
        /// defaults between the bounds are interpolated on the logarithms.
        const LOGARITHMIC = sys::LADSPA_HINT_LOGARITHMIC;
        /// `LADSPA_HINT_INTEGER`: the value is an integer.
        const INTEGER = sys::LADSPA_HINT_INTEGER;
    }
}

/// Which default value a port declares (the bits under `LADSPA_HINT_DEFAULT_MASK`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DefaultKind {
    /// `LADSPA_HINT_DEFAULT_NONE`, or a value under the mask that LADSPA 1.1 does not define.
    None,
    /// `LADSPA_HINT_DEFAULT_MINIMUM`: the lower bound.
    Minimum,
    /// `LADSPA_HINT_DEFAULT_LOW`: a quarter of the way from the lower to the upper bound.
    Low,
    /// `LADSPA_HINT_DEFAULT_MIDDLE`: half way between the bounds.
    Middle,
    /// `LADSPA_HINT_DEFAULT_HIGH`: three quarters of the way from the lower to the upper bound.
    High,
    /// `LADSPA_HINT_DEFAULT_MAXIMUM`: the upper bound.
    Maximum,
    /// `LADSPA_HINT_DEFAULT_0`.
    Zero,
    /// `LADSPA_HINT_DEFAULT_1`.
    One,
    /// `LADSPA_HINT_DEFAULT_100`.
    Hundred,
    /// `LADSPA_HINT_DEFAULT_440`.
    Concert440,
}

impl DefaultKind {
    fn from_bits(bits: sys::LADSPA_PortRangeHintDescriptor) -> Self {
        match bits & sys::LADSPA_HINT_DEFAULT_MASK {
            sys::LADSPA_HINT_DEFAULT_MINIMUM => Self::Minimum,
            sys::LADSPA_HINT_DEFAULT_LOW => Self::Low,
            sys::LADSPA_HINT_DEFAULT_MIDDLE => Self::Middle,
            sys::LADSPA_HINT_DEFAULT_HIGH => Self::High,
            sys::LADSPA_HINT_DEFAULT_MAXIMUM => Self::Maximum,
            sys::LADSPA_HINT_DEFAULT_0 => Self::Zero,
            sys::LADSPA_HINT_DEFAULT_1 => Self::One,
            sys::LADSPA_HINT_DEFAULT_100 => Self::Hundred,
            sys::LADSPA_HINT_DEFAULT_440 => Self::Concert440,
            _ => Self::None,
        }
    }

    /// Where between the bounds this default lies (0 = lower, 1 = upper), for the kinds that
    /// are defined by the bounds.
    fn position_between_bounds(self) -> Option<f64> {
        match self {
            Self::Minimum => Some(0.0),
            Self::Low => Some(0.25),
            Self::Middle => Some(0.5),
            Self::High => Some(0.75),
            Self::Maximum => Some(1.0),
            _ => None,
        }
    }

    /// The value of the kinds that do not depend on the bounds.
    fn constant(self) -> Option<f64> {
        match self {
            Self::Zero => Some(0.0),
            Self::One => Some(1.0),
            Self::Hundred => Some(100.0),
            Self::Concert440 => Some(440.0),
            _ => None,
        }
    }
}

/// The range hint of a port: its flags, bounds and default, copied from the plugin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RangeHint {
    raw: sys::LADSPA_PortRangeHint,
}

impl RangeHint {
    /// Wraps a raw range hint.
    pub fn from_raw(raw: sys::LADSPA_PortRangeHint) -> Self {
        Self { raw }
    }

    /// The raw range hint, as the plugin gave it.
    pub fn raw(&self) -> sys::LADSPA_PortRangeHint {
        self.raw
    }

    /// The flags, without the default kind.
    pub fn flags(&self) -> HintFlags {
        HintFlags::from_bits_retain(self.raw.HintDescriptor & !sys::LADSPA_HINT_DEFAULT_MASK)
    }

    /// The declared default kind.
    pub fn default_kind(&self) -> DefaultKind {
        DefaultKind::from_bits(self.raw.HintDescriptor)
    }

    /// The lower bound as the plugin declares it (not yet multiplied by the sample rate), if
    /// the port is bounded below.
    pub fn lower_bound(&self) -> Option<f32> {
        self.flags()
            .contains(HintFlags::BOUNDED_BELOW)
            .then_some(self.raw.LowerBound)
    }

    /// The upper bound as the plugin declares it (not yet multiplied by the sample rate), if
    /// the port is bounded above.
    pub fn upper_bound(&self) -> Option<f32> {
        self.flags()
            .contains(HintFlags::BOUNDED_ABOVE)
            .then_some(self.raw.UpperBound)
    }

    /// `LADSPA_HINT_TOGGLED`.
    pub fn is_toggled(&self) -> bool {
        self.flags().contains(HintFlags::TOGGLED)
    }

    /// `LADSPA_HINT_SAMPLE_RATE`: the bounds are multiples of the sample rate.
    pub fn is_sample_rate(&self) -> bool {
        self.flags().contains(HintFlags::SAMPLE_RATE)
    }

    /// `LADSPA_HINT_LOGARITHMIC`.
    pub fn is_logarithmic(&self) -> bool {
        self.flags().contains(HintFlags::LOGARITHMIC)
    }

    /// `LADSPA_HINT_INTEGER`.
    pub fn is_integer(&self) -> bool {
        self.flags().contains(HintFlags::INTEGER)
    }

    /// The bounds at a sample rate: multiplied by it when the hint is `SAMPLE_RATE`.
    pub fn bounds_at(&self, sample_rate: u32) -> (Option<f32>, Option<f32>) {
        let scale = |bound: f32| self.scale(bound, sample_rate) as f32;
        (self.lower_bound().map(scale), self.upper_bound().map(scale))
    }

    fn scale(&self, bound: f32, sample_rate: u32) -> f64 {
        if self.is_sample_rate() {
            f64::from(bound) * f64::from(sample_rate)
        } else {
            f64::from(bound)
        }
    }

    /// The port's default value at a sample rate, exactly as LADSPA 1.1 defines it, or `None`
    /// when the port declares no default, a default between bounds it does not declare, or one
    /// that is not a finite number (NaN or infinite bounds, or bounds that overflow `f32` when
    /// multiplied by the sample rate: a plugin may declare anything, and no control value
    /// means anything as NaN or infinity).
    ///
    /// - `MINIMUM`/`MAXIMUM` are the bounds; `LOW`/`MIDDLE`/`HIGH` lie 0.25/0.5/0.75 of the
    ///   way from the lower to the upper bound: linearly, or on the logarithms when the hint is
    ///   `LOGARITHMIC` (a logarithmic range that does not lie above zero has no logarithms, and
    ///   is interpolated linearly);
    /// - the bounds are first multiplied by the sample rate when the hint is `SAMPLE_RATE`;
    /// - `0`, `1`, `100`, `440` are those values, whatever the sample rate;
    /// - the result is rounded to the nearest integer when the hint is `INTEGER`.
    ///
    /// ```
    /// use ladspa_host::{RangeHint, sys};
    ///
    /// // analyseplugin prints "10 to 20000, default 447.214, logarithmic" for this port.
    /// let hint = RangeHint::from_raw(sys::LADSPA_PortRangeHint {
    ///     HintDescriptor: sys::LADSPA_HINT_BOUNDED_BELOW
    ///         | sys::LADSPA_HINT_BOUNDED_ABOVE
    ///         | sys::LADSPA_HINT_LOGARITHMIC
    ///         | sys::LADSPA_HINT_DEFAULT_MIDDLE,
    ///     LowerBound: 10.0,
    ///     UpperBound: 20000.0,
    /// });
    /// let default = hint.default_value(48_000).unwrap();
    /// assert!((default - 447.2136).abs() < 1e-3);
    /// ```
    pub fn default_value(&self, sample_rate: u32) -> Option<f32> {
        let kind = self.default_kind();
        let value = match (kind.constant(), kind.position_between_bounds()) {
            (Some(constant), _) => constant,
            (None, Some(position)) => {
                let lower = self.scale(self.lower_bound()?, sample_rate);
                let upper = self.scale(self.upper_bound()?, sample_rate);
                self.interpolate(lower, upper, position)
            }
            (None, None) => return None,
        };
        let value = if self.is_integer() {
            value.round()
        } else {
            value
        };
        Some(value as f32).filter(|value| value.is_finite())
    }

    /// The value a host starts this port at, always a finite number: the
    /// [default](Self::default_value) when the port declares a usable one, else 0 clamped into
    /// the bounds, else 0 (when a bound itself is infinite or beyond `f32`). This is the value
    /// [`Descriptor::instantiate`](crate::Descriptor::instantiate) gives a control input.
    ///
    /// ```
    /// use ladspa_host::{RangeHint, sys};
    ///
    /// let nan_bounds = RangeHint::from_raw(sys::LADSPA_PortRangeHint {
    ///     HintDescriptor: sys::LADSPA_HINT_BOUNDED_BELOW
    ///         | sys::LADSPA_HINT_BOUNDED_ABOVE
    ///         | sys::LADSPA_HINT_DEFAULT_MIDDLE,
    ///     LowerBound: f32::NAN,
    ///     UpperBound: f32::NAN,
    /// });
    /// assert_eq!(nan_bounds.default_value(44_100), None);
    /// assert_eq!(nan_bounds.initial_value(44_100), 0.0);
    /// ```
    pub fn initial_value(&self, sample_rate: u32) -> f32 {
        self.default_value(sample_rate)
            .or_else(|| Some(self.clamp(0.0, sample_rate)).filter(|value| value.is_finite()))
            .unwrap_or(0.0)
    }

    fn interpolate(&self, lower: f64, upper: f64, position: f64) -> f64 {
        // The ends are the bounds themselves, not a round trip through exp(ln(x)).
        if position == 0.0 {
            return lower;
        }
        if position == 1.0 {
            return upper;
        }
        // Between bounds that are not both finite there is no point to speak of.
        if !(lower.is_finite() && upper.is_finite()) {
            return f64::NAN;
        }
        let value = if self.is_logarithmic() && lower > 0.0 && upper > 0.0 {
            (lower.ln() * (1.0 - position) + upper.ln() * position).exp()
        } else {
            lower * (1.0 - position) + upper * position
        };
        // exp(ln(x)) may land a hair outside the range; a default never lies outside its bounds.
        // (`f64::clamp` would panic on bounds in the wrong order; these never panic.)
        value.max(lower.min(upper)).min(lower.max(upper))
    }

    /// `value` clamped into the bounds at a sample rate (a bound that is not declared, or is
    /// NaN, does not clamp; a NaN `value` stays NaN). Hints are hints: the host may send any
    /// finite value, this is for when it wants not to.
    pub fn clamp(&self, value: f32, sample_rate: u32) -> f32 {
        if value.is_nan() {
            return value;
        }
        // `f32::max` and `f32::min` ignore a NaN bound; a lower bound above the upper one
        // clamps to the upper.
        let (lower, upper) = self.bounds_at(sample_rate);
        let value = lower.map_or(value, |lower| value.max(lower));
        upper.map_or(value, |upper| value.min(upper))
    }
}
