//! C's number formatting, shared by the examples that must print what the LADSPA SDK's C tools
//! print, byte for byte.

/// C's `printf("%g", value)`: six significant digits, trailing zeros dropped, an exponent
/// outside 1e-4..1e6.
pub fn c_g(value: f64) -> String {
    const PRECISION: i32 = 6;
    if !value.is_finite() {
        let text = if value.is_nan() { "nan" } else { "inf" };
        return if value.is_sign_negative() {
            format!("-{text}")
        } else {
            text.to_owned()
        };
    }
    let scientific = format!("{:.*e}", (PRECISION - 1) as usize, value);
    let (mantissa, exponent) = scientific.split_once('e').expect("`{:e}` has an exponent");
    let exponent: i32 = exponent.parse().expect("`{:e}` has an integer exponent");
    let trim = |digits: &str| {
        if digits.contains('.') {
            digits
                .trim_end_matches('0')
                .trim_end_matches('.')
                .to_owned()
        } else {
            digits.to_owned()
        }
    };
    if (-4..PRECISION).contains(&exponent) {
        trim(&format!(
            "{:.*}",
            (PRECISION - 1 - exponent) as usize,
            value
        ))
    } else {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", trim(mantissa), exponent.abs())
    }
}
