//! `Port`: one port of a plugin type, from a loaded descriptor or a catalog entry alike.

use ladspa_host::{DefaultKind, Direction, PortKind, RangeHint};
use pyo3::prelude::*;

use crate::text::bytes_to_str;

/// One port of a plugin type: its index, name, direction (``"input"``/``"output"``), kind
/// (``"audio"``/``"control"``) and range hint.
///
/// The hint's bounds are as the plugin declares them (``lower_bound``, ``upper_bound``);
/// ``bounds(sample_rate)`` and ``default(sample_rate)`` apply ``LADSPA_HINT_SAMPLE_RATE``.
#[pyclass(frozen, subclass, weakref, module = "ladspa._ladspa", name = "Port")]
pub(crate) struct Port {
    index: usize,
    name: Vec<u8>,
    direction: Direction,
    kind: PortKind,
    hint: RangeHint,
}

impl Port {
    /// The port of a loaded descriptor.
    pub(crate) fn of(port: &ladspa_host::Port<'_>) -> Self {
        Self::new(
            port.index(),
            port.name().as_bytes(),
            port.direction(),
            port.kind(),
            port.hint(),
        )
    }

    /// A port from its parts (a catalog entry's record).
    pub(crate) fn new(
        index: usize,
        name: &[u8],
        direction: Direction,
        kind: PortKind,
        hint: RangeHint,
    ) -> Self {
        Self {
            index,
            name: name.to_vec(),
            direction,
            kind,
            hint,
        }
    }
}

#[pymethods]
impl Port {
    /// Refused: a Port holds plugin code loaded into this process (see ``ChainSpec``).
    fn __reduce__(&self) -> PyResult<()> {
        Err(crate::errors::not_picklable("Port"))
    }

    /// The port's index in the plugin's port arrays.
    #[getter]
    fn index(&self) -> usize {
        self.index
    }

    /// The port's name (bytes that are not UTF-8 as lone surrogates).
    #[getter]
    fn name<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(bytes_to_str(py, &self.name)?.into_any())
    }

    /// ``"input"`` or ``"output"``.
    #[getter]
    fn direction(&self) -> &'static str {
        match self.direction {
            Direction::Input => "input",
            Direction::Output => "output",
        }
    }

    /// ``"audio"`` or ``"control"``.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.kind {
            PortKind::Audio => "audio",
            PortKind::Control => "control",
        }
    }

    /// An input port.
    #[getter]
    fn is_input(&self) -> bool {
        self.direction == Direction::Input
    }

    /// An output port.
    #[getter]
    fn is_output(&self) -> bool {
        self.direction == Direction::Output
    }

    /// An audio port (a buffer of samples per run).
    #[getter]
    fn is_audio(&self) -> bool {
        self.kind == PortKind::Audio
    }

    /// A control port (one value per run).
    #[getter]
    fn is_control(&self) -> bool {
        self.kind == PortKind::Control
    }

    /// ``LADSPA_HINT_TOGGLED``: on (> 0) or off (≤ 0).
    #[getter]
    fn toggled(&self) -> bool {
        self.hint.is_toggled()
    }

    /// ``LADSPA_HINT_LOGARITHMIC``: best shown on a logarithmic scale.
    #[getter]
    fn logarithmic(&self) -> bool {
        self.hint.is_logarithmic()
    }

    /// ``LADSPA_HINT_INTEGER``: an integer value.
    #[getter]
    fn integer(&self) -> bool {
        self.hint.is_integer()
    }

    /// ``LADSPA_HINT_SAMPLE_RATE``: the bounds are multiples of the sample rate.
    #[getter]
    fn sample_rate_bounds(&self) -> bool {
        self.hint.is_sample_rate()
    }

    /// The lower bound as declared (before any multiplication by the sample rate), or
    /// ``None`` when the port is not bounded below.
    #[getter]
    fn lower_bound(&self) -> Option<f32> {
        self.hint.lower_bound()
    }

    /// The upper bound as declared, or ``None`` when the port is not bounded above.
    #[getter]
    fn upper_bound(&self) -> Option<f32> {
        self.hint.upper_bound()
    }

    /// The declared default: ``"none"``, ``"minimum"``, ``"low"``, ``"middle"``, ``"high"``,
    /// ``"maximum"``, ``"0"``, ``"1"``, ``"100"`` or ``"440"``.
    #[getter]
    fn default_kind(&self) -> &'static str {
        match self.hint.default_kind() {
            DefaultKind::Minimum => "minimum",
            DefaultKind::Low => "low",
            DefaultKind::Middle => "middle",
            DefaultKind::High => "high",
            DefaultKind::Maximum => "maximum",
            DefaultKind::Zero => "0",
            DefaultKind::One => "1",
            DefaultKind::Hundred => "100",
            DefaultKind::Concert440 => "440",
            _ => "none",
        }
    }

    /// The bounds at ``sample_rate`` (multiplied by it for ``sample_rate_bounds`` ports):
    /// ``(lower, upper)``, each ``None`` when undeclared.
    fn bounds(&self, sample_rate: u32) -> (Option<f32>, Option<f32>) {
        self.hint.bounds_at(sample_rate)
    }

    /// The default value at ``sample_rate`` as LADSPA 1.1 defines it, or ``None`` when the port
    /// declares none (or one that is not a finite number).
    fn default(&self, sample_rate: u32) -> Option<f32> {
        self.hint.default_value(sample_rate)
    }

    /// The value a host starts the port at: the default, else 0 clamped into the bounds;
    /// always finite.
    fn initial_value(&self, sample_rate: u32) -> f32 {
        self.hint.initial_value(sample_rate)
    }

    fn __repr__(&self) -> String {
        let mut text = format!(
            "<Port {} {:?}: {} {}",
            self.index,
            String::from_utf8_lossy(&self.name),
            self.kind(),
            self.direction()
        );
        if self.kind == PortKind::Control {
            let bound = |b: Option<f32>| b.map_or("…".to_owned(), |b| b.to_string());
            text.push_str(&format!(
                ", {} to {}",
                bound(self.hint.lower_bound()),
                bound(self.hint.upper_bound())
            ));
            if self.hint.is_sample_rate() {
                text.push_str(" × sample rate");
            }
            if self.hint.default_kind() != DefaultKind::None {
                text.push_str(&format!(", default {}", self.default_kind()));
            }
        }
        text.push('>');
        text
    }
}

/// How Python names a control port when listing them: its name, or its index when several
/// control ports share the name (or it is empty).
pub(crate) fn port_key<'py>(
    py: Python<'py>,
    descriptor: &ladspa_host::Descriptor,
    port: &ladspa_host::Port<'_>,
) -> PyResult<Bound<'py, PyAny>> {
    let name = port.name().as_bytes();
    let shared = descriptor
        .ports()
        .filter(|p| p.is_control() && p.name().as_bytes() == name)
        .count()
        > 1;
    if shared || name.is_empty() {
        Ok(port.index().into_pyobject(py)?.into_any())
    } else {
        Ok(bytes_to_str(py, name)?.into_any())
    }
}
