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
    fn constant(self) -> Option<f32> {
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

    /// The bounds at a sample rate: multiplied by it when the hint is `SAMPLE_RATE`. Only the
    /// declared bounds (those the hint flags `BOUNDED_BELOW` and `BOUNDED_ABOVE`): the range a
    /// host shows and clamps to.
    pub fn bounds_at(&self, sample_rate: u32) -> (Option<f32>, Option<f32>) {
        let scale = |bound: f32| self.scale(bound, sample_rate);
        (self.lower_bound().map(scale), self.upper_bound().map(scale))
    }

    /// `value` multiplied by the sample rate when the hint is `SAMPLE_RATE`, in single
    /// precision as the SDK multiplies.
    fn scale(&self, value: f32, sample_rate: u32) -> f32 {
        if self.is_sample_rate() {
            value * sample_rate as f32
        } else {
            value
        }
    }

    /// The port's default value at a sample rate, as the LADSPA SDK computes it (its
    /// `analyseplugin` and `getLADSPADefault`, whose formulas sox, Ardour, Carla and PipeWire
    /// use too), or `None` when the port declares no default or its default is not a finite
    /// number.
    ///
    /// - `MINIMUM` and `MAXIMUM` are the lower and upper bound values; `LOW`, `MIDDLE` and
    ///   `HIGH` lie 0.25, 0.5 and 0.75 of the way from the lower to the upper one: linearly,
    ///   or on the logarithms (geometrically) when the hint is `LOGARITHMIC`, in the SDK's
    ///   arithmetic (single precision, the quarters through double-precision logarithms, the
    ///   geometric middle as the square root of the product). They stay within the bounds (a
    ///   logarithm's rounding could put them a hair outside).
    /// - The bound values count whether or not the hint flags them `BOUNDED_BELOW` or
    ///   `BOUNDED_ABOVE`, as in every host: plugins declare defaults at a bound they do not flag
    ///   (cmt's `grain_scatter` "Density": `BOUNDED_BELOW` and `DEFAULT_MAXIMUM`, upper value
    ///   10). The range itself stays as declared ([`RangeHint::lower_bound`],
    ///   [`RangeHint::upper_bound`], [`RangeHint::bounds_at`]).
    /// - A logarithmic default with a zero bound is that bound, the logarithm of 0 being −∞
    ///   (`LOW`, `MIDDLE` and `HIGH` between 0 and 1 are all 0), as in every host.
    /// - The value is then multiplied by the sample rate when the hint is `SAMPLE_RATE`.
    /// - `0`, `1`, `100` and `440` are those values, whatever the bounds and the sample rate.
    /// - The result is rounded to the nearest integer (halves away from zero) when the hint is
    ///   `INTEGER`, as PipeWire does (the SDK's `analyseplugin` prints it unrounded; on
    ///   Debian's 24,319 control inputs this changes none).
    ///
    /// Where the SDK's formula gives no finite number this host departs from it, since no
    /// plugin means anything by a NaN or infinite control value:
    /// - a logarithmic range with a negative bound has no logarithms: its `LOW`, `MIDDLE` and
    ///   `HIGH` are interpolated linearly (the SDK gives NaN, or for the middle between two
    ///   negative bounds the square root of their product, a positive value outside the
    ///   range; no Debian plugin declares such a range);
    /// - a default from NaN or infinite bounds, or one that overflows `f32` (at the sample
    ///   rate), is `None`: the port starts at its [initial value](RangeHint::initial_value).
    ///
    /// ```
    /// use ladspa_host::{RangeHint, sys};
    ///
    /// let hint = |descriptor, lower, upper| {
    ///     RangeHint::from_raw(sys::LADSPA_PortRangeHint {
    ///         HintDescriptor: descriptor,
    ///         LowerBound: lower,
    ///         UpperBound: upper,
    ///     })
    /// };
    /// let bounded = sys::LADSPA_HINT_BOUNDED_BELOW | sys::LADSPA_HINT_BOUNDED_ABOVE;
    /// let log_middle = bounded | sys::LADSPA_HINT_LOGARITHMIC | sys::LADSPA_HINT_DEFAULT_MIDDLE;
    ///
    /// // analyseplugin: "10 to 20000, default 447.214, logarithmic" (the geometric middle).
    /// let default = hint(log_middle, 10.0, 20000.0).default_value(48_000).unwrap();
    /// assert!((default - 447.2136).abs() < 1e-3);
    /// // A zero bound: the logarithmic middle of 0 to 1 is 0, as in every host.
    /// assert_eq!(hint(log_middle, 0.0, 1.0).default_value(48_000), Some(0.0));
    /// // cmt's grain_scatter "Density": the upper value counts though it is not flagged...
    /// let density = hint(sys::LADSPA_HINT_BOUNDED_BELOW | sys::LADSPA_HINT_DEFAULT_MAXIMUM, 0.0, 10.0);
    /// assert_eq!(density.default_value(48_000), Some(10.0));
    /// // ...and the range stays as declared: "0 to ...".
    /// assert_eq!(density.bounds_at(48_000), (Some(0.0), None));
    /// ```
    pub fn default_value(&self, sample_rate: u32) -> Option<f32> {
        let kind = self.default_kind();
        let value = match (kind.constant(), kind.position_between_bounds()) {
            (Some(constant), _) => constant,
            (None, Some(position)) => self.scale(self.between_bounds(position), sample_rate),
            (None, None) => return None,
        };
        let value = if self.is_integer() {
            value.round()
        } else {
            value
        };
        Some(value).filter(|value| value.is_finite())
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

    /// The default `position` of the way from the lower to the upper bound value (declared or
    /// not), before the sample rate: the SDK's arithmetic, but linear where a logarithmic
    /// range has a negative bound. NaN where the bounds give no value.
    fn between_bounds(&self, position: f64) -> f32 {
        let (lower, upper) = (self.raw.LowerBound, self.raw.UpperBound);
        // The ends are the bound values themselves, not a round trip through logarithms.
        if position == 0.0 {
            return lower;
        }
        if position == 1.0 {
            return upper;
        }
        // `false` for NaN bounds, which give NaN either way.
        let geometric = self.is_logarithmic() && lower >= 0.0 && upper >= 0.0;
        let value = if position == 0.5 {
            if geometric {
                (lower * upper).sqrt()
            } else {
                (lower + upper) * 0.5
            }
        } else {
            let (l, u) = (f64::from(lower), f64::from(upper));
            let value = if geometric {
                (l.ln() * (1.0 - position) + u.ln() * position).exp()
            } else {
                l * (1.0 - position) + u * position
            };
            value as f32
        };
        if value.is_nan() {
            // (`f32::max` and `f32::min` would turn it into a bound.)
            return value;
        }
        // `f32::clamp` would panic on bounds in the wrong order or NaN; these never panic.
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
