//! Layout proof: the Rust types and constants are those of `ladspa.h`.
//!
//! Two checks share one table of facts (`rust_facts`):
//! - `layout_matches_the_lp64_abi` compares it with the values the header implies on an LP64
//!   target (every Linux target this crate is used on), needing nothing installed;
//! - `layout_matches_the_real_header` compiles a C program against `/usr/include/ladspa.h`
//!   with the system C compiler and compares it with what C reports. It needs Debian's
//!   `ladspa-sdk`, so it is opt-in (`--ignored`) and `.ci/run` runs it; when the header is
//!   missing it fails, it never skips.

use ladspa_host_sys::*;
use std::mem::{align_of, offset_of, size_of};

/// One fact about the binding: a C expression and the value the Rust side gives it.
struct Fact {
    c_expr: &'static str,
    rust_value: i128,
}

macro_rules! facts {
    ($($c:expr => $rust:expr),* $(,)?) => {
        vec![$(Fact { c_expr: $c, rust_value: ($rust) as i128 }),*]
    };
}

/// The size of the field that `field` picks, without needing a value of `T`.
fn field_size<T, F>(_field: fn(&T) -> &F) -> usize {
    size_of::<F>()
}

fn rust_facts() -> Vec<Fact> {
    facts![
        "sizeof(LADSPA_Data)" => size_of::<LADSPA_Data>(),
        "sizeof(LADSPA_Properties)" => size_of::<LADSPA_Properties>(),
        "sizeof(LADSPA_PortDescriptor)" => size_of::<LADSPA_PortDescriptor>(),
        "sizeof(LADSPA_PortRangeHintDescriptor)" => size_of::<LADSPA_PortRangeHintDescriptor>(),
        "sizeof(LADSPA_Handle)" => size_of::<LADSPA_Handle>(),
        "sizeof(LADSPA_Descriptor_Function)" => size_of::<LADSPA_Descriptor_Function>(),
        "sizeof(LADSPA_PortRangeHint)" => size_of::<LADSPA_PortRangeHint>(),
        "_Alignof(LADSPA_PortRangeHint)" => align_of::<LADSPA_PortRangeHint>(),
        "offsetof(LADSPA_PortRangeHint, HintDescriptor)" => offset_of!(LADSPA_PortRangeHint, HintDescriptor),
        "offsetof(LADSPA_PortRangeHint, LowerBound)" => offset_of!(LADSPA_PortRangeHint, LowerBound),
        "offsetof(LADSPA_PortRangeHint, UpperBound)" => offset_of!(LADSPA_PortRangeHint, UpperBound),
        "sizeof(LADSPA_Descriptor)" => size_of::<LADSPA_Descriptor>(),
        "_Alignof(LADSPA_Descriptor)" => align_of::<LADSPA_Descriptor>(),
        "offsetof(LADSPA_Descriptor, UniqueID)" => offset_of!(LADSPA_Descriptor, UniqueID),
        "offsetof(LADSPA_Descriptor, Label)" => offset_of!(LADSPA_Descriptor, Label),
        "offsetof(LADSPA_Descriptor, Properties)" => offset_of!(LADSPA_Descriptor, Properties),
        "offsetof(LADSPA_Descriptor, Name)" => offset_of!(LADSPA_Descriptor, Name),
        "offsetof(LADSPA_Descriptor, Maker)" => offset_of!(LADSPA_Descriptor, Maker),
        "offsetof(LADSPA_Descriptor, Copyright)" => offset_of!(LADSPA_Descriptor, Copyright),
        "offsetof(LADSPA_Descriptor, PortCount)" => offset_of!(LADSPA_Descriptor, PortCount),
        "offsetof(LADSPA_Descriptor, PortDescriptors)" => offset_of!(LADSPA_Descriptor, PortDescriptors),
        "offsetof(LADSPA_Descriptor, PortNames)" => offset_of!(LADSPA_Descriptor, PortNames),
        "offsetof(LADSPA_Descriptor, PortRangeHints)" => offset_of!(LADSPA_Descriptor, PortRangeHints),
        "offsetof(LADSPA_Descriptor, ImplementationData)" => offset_of!(LADSPA_Descriptor, ImplementationData),
        "offsetof(LADSPA_Descriptor, instantiate)" => offset_of!(LADSPA_Descriptor, instantiate),
        "offsetof(LADSPA_Descriptor, connect_port)" => offset_of!(LADSPA_Descriptor, connect_port),
        "offsetof(LADSPA_Descriptor, activate)" => offset_of!(LADSPA_Descriptor, activate),
        "offsetof(LADSPA_Descriptor, run)" => offset_of!(LADSPA_Descriptor, run),
        "offsetof(LADSPA_Descriptor, run_adding)" => offset_of!(LADSPA_Descriptor, run_adding),
        "offsetof(LADSPA_Descriptor, set_run_adding_gain)" => offset_of!(LADSPA_Descriptor, set_run_adding_gain),
        "offsetof(LADSPA_Descriptor, deactivate)" => offset_of!(LADSPA_Descriptor, deactivate),
        "offsetof(LADSPA_Descriptor, cleanup)" => offset_of!(LADSPA_Descriptor, cleanup),
        // Signedness: C's (T)-1 < 0 is 1 for a signed type.
        "((LADSPA_Properties)-1 < 0)" => LADSPA_Properties::MIN < 0,
        "((LADSPA_PortDescriptor)-1 < 0)" => LADSPA_PortDescriptor::MIN < 0,
        "((LADSPA_PortRangeHintDescriptor)-1 < 0)" => LADSPA_PortRangeHintDescriptor::MIN < 0,
        "sizeof(((LADSPA_Descriptor*)0)->UniqueID)" => field_size(|d: &LADSPA_Descriptor| &d.UniqueID),
        "sizeof(((LADSPA_Descriptor*)0)->PortCount)" => field_size(|d: &LADSPA_Descriptor| &d.PortCount),
        // LADSPA_Data is a floating type: 0.5 survives a round trip through it.
        "((LADSPA_Data)0.5 == 0.5)" => (0.5 as LADSPA_Data) == 0.5,
        "LADSPA_VERSION_MAJOR" => LADSPA_VERSION_MAJOR,
        "LADSPA_VERSION_MINOR" => LADSPA_VERSION_MINOR,
        "sizeof(LADSPA_VERSION)" => LADSPA_VERSION.to_bytes_with_nul().len(),
        "(LADSPA_VERSION[0] == '1' && LADSPA_VERSION[1] == '.' && LADSPA_VERSION[2] == '1')" => LADSPA_VERSION.to_bytes() == b"1.1",
        "LADSPA_PROPERTY_REALTIME" => LADSPA_PROPERTY_REALTIME,
        "LADSPA_PROPERTY_INPLACE_BROKEN" => LADSPA_PROPERTY_INPLACE_BROKEN,
        "LADSPA_PROPERTY_HARD_RT_CAPABLE" => LADSPA_PROPERTY_HARD_RT_CAPABLE,
        "LADSPA_PORT_INPUT" => LADSPA_PORT_INPUT,
        "LADSPA_PORT_OUTPUT" => LADSPA_PORT_OUTPUT,
        "LADSPA_PORT_CONTROL" => LADSPA_PORT_CONTROL,
        "LADSPA_PORT_AUDIO" => LADSPA_PORT_AUDIO,
        "LADSPA_HINT_BOUNDED_BELOW" => LADSPA_HINT_BOUNDED_BELOW,
        "LADSPA_HINT_BOUNDED_ABOVE" => LADSPA_HINT_BOUNDED_ABOVE,
        "LADSPA_HINT_TOGGLED" => LADSPA_HINT_TOGGLED,
        "LADSPA_HINT_SAMPLE_RATE" => LADSPA_HINT_SAMPLE_RATE,
        "LADSPA_HINT_LOGARITHMIC" => LADSPA_HINT_LOGARITHMIC,
        "LADSPA_HINT_INTEGER" => LADSPA_HINT_INTEGER,
        "LADSPA_HINT_DEFAULT_MASK" => LADSPA_HINT_DEFAULT_MASK,
        "LADSPA_HINT_DEFAULT_NONE" => LADSPA_HINT_DEFAULT_NONE,
        "LADSPA_HINT_DEFAULT_MINIMUM" => LADSPA_HINT_DEFAULT_MINIMUM,
        "LADSPA_HINT_DEFAULT_LOW" => LADSPA_HINT_DEFAULT_LOW,
        "LADSPA_HINT_DEFAULT_MIDDLE" => LADSPA_HINT_DEFAULT_MIDDLE,
        "LADSPA_HINT_DEFAULT_HIGH" => LADSPA_HINT_DEFAULT_HIGH,
        "LADSPA_HINT_DEFAULT_MAXIMUM" => LADSPA_HINT_DEFAULT_MAXIMUM,
        "LADSPA_HINT_DEFAULT_0" => LADSPA_HINT_DEFAULT_0,
        "LADSPA_HINT_DEFAULT_1" => LADSPA_HINT_DEFAULT_1,
        "LADSPA_HINT_DEFAULT_100" => LADSPA_HINT_DEFAULT_100,
        "LADSPA_HINT_DEFAULT_440" => LADSPA_HINT_DEFAULT_440,
    ]
}

/// The value each C expression has on an LP64 target, as the header defines it.
const LP64_EXPECTED: &[(&str, i128)] = &[
    ("sizeof(LADSPA_Data)", 4),
    ("sizeof(LADSPA_Properties)", 4),
    ("sizeof(LADSPA_PortDescriptor)", 4),
    ("sizeof(LADSPA_PortRangeHintDescriptor)", 4),
    ("sizeof(LADSPA_Handle)", 8),
    ("sizeof(LADSPA_Descriptor_Function)", 8),
    ("sizeof(LADSPA_PortRangeHint)", 12),
    ("_Alignof(LADSPA_PortRangeHint)", 4),
    ("offsetof(LADSPA_PortRangeHint, HintDescriptor)", 0),
    ("offsetof(LADSPA_PortRangeHint, LowerBound)", 4),
    ("offsetof(LADSPA_PortRangeHint, UpperBound)", 8),
    ("sizeof(LADSPA_Descriptor)", 152),
    ("_Alignof(LADSPA_Descriptor)", 8),
    ("offsetof(LADSPA_Descriptor, UniqueID)", 0),
    ("offsetof(LADSPA_Descriptor, Label)", 8),
    ("offsetof(LADSPA_Descriptor, Properties)", 16),
    ("offsetof(LADSPA_Descriptor, Name)", 24),
    ("offsetof(LADSPA_Descriptor, Maker)", 32),
    ("offsetof(LADSPA_Descriptor, Copyright)", 40),
    ("offsetof(LADSPA_Descriptor, PortCount)", 48),
    ("offsetof(LADSPA_Descriptor, PortDescriptors)", 56),
    ("offsetof(LADSPA_Descriptor, PortNames)", 64),
    ("offsetof(LADSPA_Descriptor, PortRangeHints)", 72),
    ("offsetof(LADSPA_Descriptor, ImplementationData)", 80),
    ("offsetof(LADSPA_Descriptor, instantiate)", 88),
    ("offsetof(LADSPA_Descriptor, connect_port)", 96),
    ("offsetof(LADSPA_Descriptor, activate)", 104),
    ("offsetof(LADSPA_Descriptor, run)", 112),
    ("offsetof(LADSPA_Descriptor, run_adding)", 120),
    ("offsetof(LADSPA_Descriptor, set_run_adding_gain)", 128),
    ("offsetof(LADSPA_Descriptor, deactivate)", 136),
    ("offsetof(LADSPA_Descriptor, cleanup)", 144),
    ("((LADSPA_Properties)-1 < 0)", 1),
    ("((LADSPA_PortDescriptor)-1 < 0)", 1),
    ("((LADSPA_PortRangeHintDescriptor)-1 < 0)", 1),
    ("sizeof(((LADSPA_Descriptor*)0)->UniqueID)", 8),
    ("sizeof(((LADSPA_Descriptor*)0)->PortCount)", 8),
    ("((LADSPA_Data)0.5 == 0.5)", 1),
    ("LADSPA_VERSION_MAJOR", 1),
    ("LADSPA_VERSION_MINOR", 1),
    ("sizeof(LADSPA_VERSION)", 4),
    (
        "(LADSPA_VERSION[0] == '1' && LADSPA_VERSION[1] == '.' && LADSPA_VERSION[2] == '1')",
        1,
    ),
    ("LADSPA_PROPERTY_REALTIME", 0x1),
    ("LADSPA_PROPERTY_INPLACE_BROKEN", 0x2),
    ("LADSPA_PROPERTY_HARD_RT_CAPABLE", 0x4),
    ("LADSPA_PORT_INPUT", 0x1),
    ("LADSPA_PORT_OUTPUT", 0x2),
    ("LADSPA_PORT_CONTROL", 0x4),
    ("LADSPA_PORT_AUDIO", 0x8),
    ("LADSPA_HINT_BOUNDED_BELOW", 0x1),
    ("LADSPA_HINT_BOUNDED_ABOVE", 0x2),
    ("LADSPA_HINT_TOGGLED", 0x4),
    ("LADSPA_HINT_SAMPLE_RATE", 0x8),
    ("LADSPA_HINT_LOGARITHMIC", 0x10),
    ("LADSPA_HINT_INTEGER", 0x20),
    ("LADSPA_HINT_DEFAULT_MASK", 0x3C0),
    ("LADSPA_HINT_DEFAULT_NONE", 0x0),
    ("LADSPA_HINT_DEFAULT_MINIMUM", 0x40),
    ("LADSPA_HINT_DEFAULT_LOW", 0x80),
    ("LADSPA_HINT_DEFAULT_MIDDLE", 0xC0),
    ("LADSPA_HINT_DEFAULT_HIGH", 0x100),
    ("LADSPA_HINT_DEFAULT_MAXIMUM", 0x140),
    ("LADSPA_HINT_DEFAULT_0", 0x200),
    ("LADSPA_HINT_DEFAULT_1", 0x240),
    ("LADSPA_HINT_DEFAULT_100", 0x280),
    ("LADSPA_HINT_DEFAULT_440", 0x2C0),
];

#[test]
#[cfg(target_pointer_width = "64")]
fn layout_matches_the_lp64_abi() {
    let facts = rust_facts();
    assert_eq!(
        facts.len(),
        LP64_EXPECTED.len(),
        "every fact has an LP64 value"
    );
    for (fact, (c_expr, expected)) in facts.iter().zip(LP64_EXPECTED) {
        assert_eq!(
            fact.c_expr, *c_expr,
            "the two tables list the same facts in one order"
        );
        assert_eq!(fact.rust_value, *expected, "{c_expr}");
    }
}

/// A flag and the `LADSPA_IS_*` function that tests for it.
type Flag<T> = (T, fn(T) -> bool);

#[test]
fn is_macros_follow_their_flags() {
    // Each LADSPA_IS_* function is true for its flag (alone and among others) and false without.
    let properties: [Flag<LADSPA_Properties>; 3] = [
        (LADSPA_PROPERTY_REALTIME, LADSPA_IS_REALTIME),
        (LADSPA_PROPERTY_INPLACE_BROKEN, LADSPA_IS_INPLACE_BROKEN),
        (LADSPA_PROPERTY_HARD_RT_CAPABLE, LADSPA_IS_HARD_RT_CAPABLE),
    ];
    let ports: [Flag<LADSPA_PortDescriptor>; 4] = [
        (LADSPA_PORT_INPUT, LADSPA_IS_PORT_INPUT),
        (LADSPA_PORT_OUTPUT, LADSPA_IS_PORT_OUTPUT),
        (LADSPA_PORT_CONTROL, LADSPA_IS_PORT_CONTROL),
        (LADSPA_PORT_AUDIO, LADSPA_IS_PORT_AUDIO),
    ];
    let hints: [Flag<LADSPA_PortRangeHintDescriptor>; 6] = [
        (LADSPA_HINT_BOUNDED_BELOW, LADSPA_IS_HINT_BOUNDED_BELOW),
        (LADSPA_HINT_BOUNDED_ABOVE, LADSPA_IS_HINT_BOUNDED_ABOVE),
        (LADSPA_HINT_TOGGLED, LADSPA_IS_HINT_TOGGLED),
        (LADSPA_HINT_SAMPLE_RATE, LADSPA_IS_HINT_SAMPLE_RATE),
        (LADSPA_HINT_LOGARITHMIC, LADSPA_IS_HINT_LOGARITHMIC),
        (LADSPA_HINT_INTEGER, LADSPA_IS_HINT_INTEGER),
    ];
    for table in [&properties[..], &ports[..], &hints[..]] {
        let all = table.iter().fold(0, |acc, (flag, _)| acc | flag);
        for (flag, is) in table {
            assert!(is(*flag));
            assert!(is(all));
            assert!(!is(all & !flag));
        }
    }
    let defaults: [Flag<LADSPA_PortRangeHintDescriptor>; 9] = [
        (LADSPA_HINT_DEFAULT_MINIMUM, LADSPA_IS_HINT_DEFAULT_MINIMUM),
        (LADSPA_HINT_DEFAULT_LOW, LADSPA_IS_HINT_DEFAULT_LOW),
        (LADSPA_HINT_DEFAULT_MIDDLE, LADSPA_IS_HINT_DEFAULT_MIDDLE),
        (LADSPA_HINT_DEFAULT_HIGH, LADSPA_IS_HINT_DEFAULT_HIGH),
        (LADSPA_HINT_DEFAULT_MAXIMUM, LADSPA_IS_HINT_DEFAULT_MAXIMUM),
        (LADSPA_HINT_DEFAULT_0, LADSPA_IS_HINT_DEFAULT_0),
        (LADSPA_HINT_DEFAULT_1, LADSPA_IS_HINT_DEFAULT_1),
        (LADSPA_HINT_DEFAULT_100, LADSPA_IS_HINT_DEFAULT_100),
        (LADSPA_HINT_DEFAULT_440, LADSPA_IS_HINT_DEFAULT_440),
    ];
    let other_bits = LADSPA_HINT_BOUNDED_BELOW | LADSPA_HINT_LOGARITHMIC | LADSPA_HINT_INTEGER;
    for (value, is) in defaults {
        assert!(LADSPA_IS_HINT_HAS_DEFAULT(value));
        for (other, _) in defaults {
            assert_eq!(
                is(other | other_bits),
                other == value,
                "{value:#x} vs {other:#x}"
            );
        }
        assert!(!is(LADSPA_HINT_DEFAULT_NONE | other_bits));
    }
    assert!(!LADSPA_IS_HINT_HAS_DEFAULT(
        LADSPA_HINT_DEFAULT_NONE | other_bits
    ));
}

/// Compiles and runs a C program that prints the value of every fact's expression, one a line.
fn c_values(header: &std::path::Path) -> Vec<i128> {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ladspa-sys-layout");
    std::fs::create_dir_all(&dir).expect("create a scratch directory");
    let mut program = format!(
        "#include <stddef.h>\n#include <stdio.h>\n#include \"{}\"\nint main(void) {{\n",
        header.display()
    );
    for fact in rust_facts() {
        program += &format!("  printf(\"%lld\\n\", (long long)({}));\n", fact.c_expr);
    }
    program += "  return 0;\n}\n";
    let source = dir.join("layout.c");
    let binary = dir.join("layout");
    std::fs::write(&source, program).expect("write the C program");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let status = std::process::Command::new(&cc)
        .args(["-std=c11", "-Wall", "-Werror", "-o"])
        .arg(&binary)
        .arg(&source)
        .status()
        .unwrap_or_else(|e| panic!("cannot run the C compiler `{cc}`: {e}"));
    assert!(
        status.success(),
        "the C compiler failed on {}",
        source.display()
    );
    let output = std::process::Command::new(&binary)
        .output()
        .expect("run the C program");
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .expect("the C program prints ASCII")
        .lines()
        .map(|line| line.parse().expect("the C program prints integers"))
        .collect()
}

#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn layout_matches_the_real_header() {
    let header = std::path::Path::new("/usr/include/ladspa.h");
    assert!(
        header.is_file(),
        "{} is missing: install Debian's ladspa-sdk (apt-get install ladspa-sdk)",
        header.display()
    );
    let facts = rust_facts();
    let c = c_values(header);
    assert_eq!(
        c.len(),
        facts.len(),
        "the C program printed one value a fact"
    );
    let mismatches: Vec<String> = facts
        .iter()
        .zip(&c)
        .filter(|(fact, c)| fact.rust_value != **c)
        .map(|(fact, c)| format!("{}: C says {c}, Rust says {}", fact.c_expr, fact.rust_value))
        .collect();
    assert!(
        mismatches.is_empty(),
        "the binding differs from the header:\n{}",
        mismatches.join("\n")
    );
    println!("{} facts checked against {}", facts.len(), header.display());
}
