//! The status line `ladspa live` keeps up to date on a terminal.

use std::fmt;
use std::time::Duration;

/// What the status line shows, read from the host since the last line.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    /// JACK's DSP load, in percent.
    pub load: f32,
    /// The longest callback since the last line.
    pub longest: Duration,
    /// The period: one buffer at the server's rate.
    pub period: Duration,
    /// Xruns the server reported since the host started.
    pub xruns: u64,
    /// Peak of each output channel since the last line (linear, 1.0 is full scale).
    pub peaks: Vec<f32>,
}

impl fmt::Display for Status {
    /// `load   3.1 %  longest 0.21/1.33 ms  xruns 0  out -6.0 -12.3 dBFS`, with `CLIP` after
    /// a channel that reached full scale.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        write!(
            f,
            "load {:5.1} %  longest {:.2}/{:.2} ms  xruns {}  out",
            self.load,
            ms(self.longest),
            ms(self.period),
            self.xruns
        )?;
        let mut peaks = String::new();
        for &peak in &self.peaks {
            peaks.push(' ');
            write_dbfs(&mut peaks, peak)?;
            if peak >= 1.0 || peak.is_nan() {
                peaks.push_str(" CLIP");
            }
        }
        write!(f, "{peaks} dBFS")
    }
}

/// A linear peak in dBFS, one decimal: `-6.0`, `-inf` for silence, `nan` for a plugin that put
/// out NaN.
pub fn write_dbfs(out: &mut impl fmt::Write, peak: f32) -> fmt::Result {
    if peak.is_nan() {
        out.write_str("nan")
    } else if peak <= 0.0 {
        out.write_str("-inf")
    } else {
        write!(out, "{:.1}", 20.0 * peak.log10())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_shows_load_timing_xruns_and_peaks() {
        let status = Status {
            load: 3.06,
            longest: Duration::from_micros(210),
            period: Duration::from_micros(1333),
            xruns: 2,
            peaks: vec![0.5, 0.0, 1.0, f32::NAN],
        };
        assert_eq!(
            status.to_string(),
            "load   3.1 %  longest 0.21/1.33 ms  xruns 2  out -6.0 -inf 0.0 CLIP nan CLIP dBFS"
        );
    }
}
