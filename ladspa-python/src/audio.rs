//! numpy arrays as the library's channel buffers: `(channels, frames)` float32 arrays whose
//! rows are contiguous are lent to plugins as they are; anything else is converted first.

use numpy::ndarray::{ArrayView2, ArrayViewMut2, Axis};
use numpy::{PyArray1, PyArray2, PyArrayMethods, PyUntypedArray, PyUntypedArrayMethods};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;

/// Audio given by the caller, as a 2-D float32 array with contiguous rows.
pub(crate) struct Audio<'py> {
    /// The samples, `(channels, frames)`.
    pub(crate) array: Bound<'py, PyArray2<f32>>,
    /// Whether the caller gave one channel as a 1-D array.
    pub(crate) one_d: bool,
}

impl<'py> Audio<'py> {
    /// The number of channels.
    pub(crate) fn channels(&self) -> usize {
        self.array.shape()[0]
    }

    /// The number of frames (samples per channel).
    pub(crate) fn frames(&self) -> usize {
        self.array.shape()[1]
    }

    /// A copy, for an input that shares memory with the output in a way no plugin call can
    /// take.
    pub(crate) fn copied(&self) -> PyResult<Self> {
        Ok(Self {
            array: self.array.call_method0("copy")?.cast_into()?,
            one_d: self.one_d,
        })
    }
}

/// Whether each row of a 2-D array is contiguous.
fn rows_contiguous(array: &Bound<'_, PyArray2<f32>>) -> bool {
    array.shape()[1] <= 1 || array.strides()[1] == std::mem::size_of::<f32>() as isize
}

/// The caller's audio: a float32 `(channels, frames)` array with contiguous rows as it is (no
/// copy), a contiguous 1-D float32 array as one channel; anything else numpy can read
/// (float64, other layouts, lists) converted to C-contiguous float32 first.
pub(crate) fn audio_in<'py>(object: &Bound<'py, PyAny>) -> PyResult<Audio<'py>> {
    if let Ok(array) = object.cast::<PyArray2<f32>>() {
        if rows_contiguous(array) {
            return Ok(Audio {
                array: array.clone(),
                one_d: false,
            });
        }
    }
    if let Ok(array) = object.cast::<PyArray1<f32>>() {
        if array.is_contiguous() {
            return Ok(Audio {
                array: array.reshape([1, array.len()])?,
                one_d: true,
            });
        }
    }
    let numpy = object.py().import("numpy")?;
    let converted = numpy
        .getattr("ascontiguousarray")?
        .call1((object, numpy.getattr("float32")?))?;
    let untyped = converted.cast::<PyUntypedArray>()?;
    match untyped.ndim() {
        1 => {
            let array = converted.cast::<PyArray1<f32>>()?;
            Ok(Audio {
                array: array.reshape([1, array.len()])?,
                one_d: true,
            })
        }
        2 => Ok(Audio {
            array: converted.cast_into()?,
            one_d: false,
        }),
        n => Err(PyValueError::new_err(format!(
            "audio is a (channels, frames) array, or a 1-D array for one channel; got an array \
             of {n} dimensions, shape {}",
            shape_text(untyped.shape())
        ))),
    }
}

/// Where a run writes: the caller's `out` array (as a 2-D view of it) or a new one, and what
/// the call returns.
pub(crate) struct Output<'py> {
    /// The array written, `(channels, frames)`.
    pub(crate) array: Bound<'py, PyArray2<f32>>,
    /// What the call returns: the caller's `out`, or the new array (1-D when the input was).
    pub(crate) result: Bound<'py, PyAny>,
}

/// The output of a run of `channels` channels of `frames` frames: `out` when given (a
/// writeable float32 array of that shape whose rows are contiguous, or 1-D for one channel),
/// else a new zeroed array, 1-D when `one_d` and there is one channel.
pub(crate) fn audio_out<'py>(
    py: Python<'py>,
    out: Option<&Bound<'py, PyAny>>,
    channels: usize,
    frames: usize,
    one_d: bool,
) -> PyResult<Output<'py>> {
    let Some(out) = out.filter(|out| !out.is_none()) else {
        let array = PyArray2::<f32>::zeros(py, [channels, frames], false);
        let result = if one_d && channels == 1 {
            array.reshape([frames])?.into_any()
        } else {
            array.clone().into_any()
        };
        return Ok(Output { array, result });
    };
    let expected = || {
        if channels == 1 {
            format!("({channels}, {frames}) or ({frames},)")
        } else {
            format!("({channels}, {frames})")
        }
    };
    let untyped = out.cast::<PyUntypedArray>().map_err(|_| {
        PyTypeError::new_err(format!(
            "out must be a numpy float32 array shaped {}, not {}",
            expected(),
            out.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })?;
    let array = if let Ok(array) = out.cast::<PyArray2<f32>>() {
        array.clone()
    } else if let (Ok(array), 1) = (out.cast::<PyArray1<f32>>(), channels) {
        if !array.is_contiguous() {
            return Err(PyValueError::new_err(
                "out must be contiguous: the plugins write into it as it is",
            ));
        }
        array.reshape([1, array.len()])?
    } else if untyped.ndim() <= 2 {
        return Err(PyTypeError::new_err(format!(
            "out must be a float32 array (the plugins write into it as it is), not {}",
            untyped.dtype()
        )));
    } else {
        return Err(PyValueError::new_err(format!(
            "out must be shaped {}, not {}",
            expected(),
            shape_text(untyped.shape())
        )));
    };
    if array.shape() != [channels, frames] {
        return Err(PyValueError::new_err(format!(
            "out must be shaped {}, not {}",
            expected(),
            shape_text(untyped.shape())
        )));
    }
    if !rows_contiguous(&array) {
        return Err(PyValueError::new_err(
            "out's rows must be contiguous: the plugins write into them as they are",
        ));
    }
    let rows = row_ranges(&array);
    if rows
        .iter()
        .enumerate()
        .any(|(k, a)| rows[..k].iter().any(|b| overlap(*a, *b)))
    {
        return Err(PyValueError::new_err(
            "out's rows overlap one another: each channel needs memory of its own",
        ));
    }
    Ok(Output {
        array,
        result: out.clone(),
    })
}

/// The address range of each row of a 2-D array, in bytes.
pub(crate) fn row_ranges(array: &Bound<'_, PyArray2<f32>>) -> Vec<(usize, usize)> {
    let [rows, frames] = [array.shape()[0], array.shape()[1]];
    let base = array.data() as usize;
    let stride = array.strides()[0];
    (0..rows)
        .map(|k| {
            let start = base.wrapping_add_signed(stride * k as isize);
            (start, start + frames * std::mem::size_of::<f32>())
        })
        .collect()
}

/// Whether two address ranges share a byte.
pub(crate) fn overlap(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1 && a.0 < a.1 && b.0 < b.1
}

/// How the output's memory relates to the input's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sharing {
    /// Apart.
    None,
    /// Row `k` of the output is row `k` of the input, for every row, and nothing else is
    /// shared: a run in place.
    InPlace,
    /// Anything else that shares memory.
    Other,
}

/// How `output` shares memory with `input`.
pub(crate) fn sharing(
    input: &Bound<'_, PyArray2<f32>>,
    output: &Bound<'_, PyArray2<f32>>,
) -> Sharing {
    let (inputs, outputs) = (row_ranges(input), row_ranges(output));
    let shared = |j: usize, k: usize| overlap(inputs[j], outputs[k]);
    let any = (0..inputs.len()).any(|j| (0..outputs.len()).any(|k| shared(j, k)));
    if !any {
        return Sharing::None;
    }
    let paired = inputs.len() == outputs.len()
        && (0..inputs.len()).all(|k| inputs[k] == outputs[k])
        && (0..inputs.len()).all(|j| (0..outputs.len()).all(|k| j == k || !shared(j, k)));
    if paired {
        Sharing::InPlace
    } else {
        Sharing::Other
    }
}

/// The rows of a 2-D view with contiguous rows, as slices.
pub(crate) fn rows(view: ArrayView2<'_, f32>) -> Vec<&[f32]> {
    (0..view.nrows())
        .map(|k| {
            view.index_axis_move(Axis(0), k)
                .to_slice()
                .expect("rows checked contiguous")
        })
        .collect()
}

/// The rows of a mutable 2-D view with contiguous rows, as slices.
pub(crate) fn rows_mut(mut view: ArrayViewMut2<'_, f32>) -> Vec<&mut [f32]> {
    let mut rows = Vec::with_capacity(view.nrows());
    while view.nrows() > 0 {
        let (first, rest) = view.split_at(Axis(0), 1);
        let row = first.index_axis_move(Axis(0), 0);
        rows.push(row.into_slice().expect("rows checked contiguous"));
        view = rest;
    }
    rows
}

/// A shape as Python writes it: `(2, 8)`, `(8,)`.
pub(crate) fn shape_text(shape: &[usize]) -> String {
    match shape {
        [one] => format!("({one},)"),
        _ => {
            let parts: Vec<String> = shape.iter().map(ToString::to_string).collect();
            format!("({})", parts.join(", "))
        }
    }
}

/// The output's rows, borrowed for writing (a read-only `out` is a `ValueError`).
pub(crate) fn writable<'py>(
    array: &Bound<'py, PyArray2<f32>>,
) -> PyResult<numpy::PyReadwriteArray2<'py, f32>> {
    array
        .try_readwrite()
        .map_err(|error| PyValueError::new_err(format!("out cannot be written: {error}")))
}
