//! The lifecycle calls `ladspa apply` makes of a plugin, as the plugin logged them in the
//! `ladspa` process (`tp_recorder` appends a line per call to the file `TP_RECORDER_LOG`
//! names): one `activate`, after the controls given on the command line, before the first run;
//! `deactivate` and `cleanup` at the end.

use std::path::Path;
use std::process::Command;

fn scratch(test: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli-lifecycle")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn apply_activates_once_after_the_controls_before_the_first_run() {
    let dir = scratch("apply");
    let input = dir.join("in.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 44_100,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut writer = hound::WavWriter::create(&input, spec).unwrap();
    for _ in 0..1000 {
        writer.write_sample(0.0_f32).unwrap();
    }
    writer.finalize().unwrap();
    let log = dir.join("calls.log");
    let output = Command::new(env!("CARGO_BIN_EXE_ladspa"))
        .args(["apply", "in.wav", "out.wav", "--block", "256"])
        .args([
            "--plugin",
            "tp_recorder.so:tp_recorder",
            "--control",
            "Value=0.5",
        ])
        .current_dir(&dir)
        .env("LADSPA_PATH", ladspa_testplugins::reference_dir())
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("TP_RECORDER_LOG", &log)
        .output()
        .expect("run ladspa");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let calls = std::fs::read_to_string(&log).expect("the plugin logged its calls");
    let calls: Vec<&str> = calls.lines().collect();
    let runs = calls.iter().filter(|call| call.starts_with("run ")).count();
    // The chain's probe of the plugin's latency (0 samples) right after the activation, then
    // 1000 frames and the plugin's 64 samples of latency, in blocks of 256.
    assert_eq!(runs, 6, "{calls:#?}");
    let mut expected = vec!["instantiate 44100", "activate Value=0.5", "run 0 Value=0.5"];
    expected.extend(calls[3..2 + runs].iter().copied());
    expected.extend(["deactivate", "cleanup"]);
    assert_eq!(calls, expected);
    assert!(
        calls[2..2 + runs]
            .iter()
            .all(|call| call.ends_with(" Value=0.5")),
        "{calls:#?}"
    );
}
