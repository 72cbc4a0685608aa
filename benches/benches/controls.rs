//! The cost of `Controls` on the run path: `controls/tp_hints/64` runs `tp_hints` (48 control
//! inputs, one control output, one audio output) for 64 samples with no `Controls` (`none`),
//! with `Controls` and nothing changed (`unchanged`), and with one or all 48 control inputs set
//! through `Controls` before each run (`one`, `all`; the sets are part of the time, as they
//! would be on a GUI thread, on one core here).

use criterion::Criterion;
use ladspa_benches::{ControlChanges, controls_plugin, turn_knobs};

const SAMPLES: usize = 64;

fn controls(c: &mut Criterion) {
    let descriptor = controls_plugin();
    let mut group = c.benchmark_group(format!("controls/tp_hints/{SAMPLES}"));
    for (changes, name) in ControlChanges::ALL {
        let (mut handle, controls, changed) = changes.setup(&descriptor);
        let mut output = vec![0.0_f32; SAMPLES];
        let mut round = 0;
        group.bench_function(name, |b| {
            b.iter(|| {
                round += 1;
                turn_knobs(controls.as_ref(), &changed, round);
                handle
                    .run(SAMPLES, &ladspa_host::NO_BUFFERS, &mut [&mut output])
                    .expect("the run is accepted")
            })
        });
    }
    group.finish();
}

fn main() {
    ladspa_benches::main(controls);
}
