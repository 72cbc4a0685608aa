//! Tests of `ladspa-validate`: each validator fixture of `ladspa-testplugins` fails (or warns
//! in) exactly its own check and passes or skips, with a reason, every other; the clean fixture
//! passes all; crashes and hangs are reported with their signal and step; exit statuses and
//! options.

use std::path::Path;
use std::process::{Command, Output};

use ladspa_testplugins::{VALIDATOR_FIXTURES, lethal_dir, validator_fixture};
use serde_json::Value;

const VALIDATE: &str = env!("CARGO_BIN_EXE_ladspa-validate");

fn validate(args: &[&str], files: &[&Path]) -> Output {
    Command::new(VALIDATE)
        .args(args)
        .args(files)
        .output()
        .expect("ladspa-validate runs")
}

/// The `--json` document of a run, and its exit status.
fn validate_json(args: &[&str], files: &[&Path]) -> (Value, Option<i32>) {
    let output = validate(&[&["--json"], args].concat(), files);
    let document: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "not JSON ({error}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (document, output.status.code())
}

/// (check id, verdict, message) of every check of `plugin`.
fn checks(plugin: &Value) -> Vec<(String, String, String)> {
    plugin["checks"]
        .as_array()
        .expect("checks is an array")
        .iter()
        .map(|check| {
            let field = |name: &str| check[name].as_str().expect("a string field").to_owned();
            (field("id"), field("verdict"), field("message"))
        })
        .collect()
}

fn plugins(document: &Value) -> &Vec<Value> {
    document["plugins"].as_array().expect("plugins is an array")
}

#[test]
fn each_fixture_fails_its_own_check_and_no_other() {
    let fixtures: Vec<_> = VALIDATOR_FIXTURES
        .iter()
        .map(|name| validator_fixture(name))
        .collect();
    let paths: Vec<&Path> = fixtures.iter().map(|p| p.as_path()).collect();
    let (document, status) = validate_json(&["--timeout", "5"], &paths);
    assert_eq!(status, Some(1), "fixtures fail checks: exit status 1");
    let all = plugins(&document);
    // One plugin per fixture file, three in tp_v_rt_safety and two in tp_v_control_range.
    assert_eq!(all.len(), VALIDATOR_FIXTURES.len() + 3);
    for plugin in all {
        let file = plugin["file"].as_str().expect("file is a string");
        let stem = Path::new(file).file_stem().unwrap().to_str().unwrap();
        let own = stem.strip_prefix("tp_v_").unwrap().replace('_', "-");
        let results = checks(plugin);
        assert_eq!(
            results.len(),
            18,
            "every check reported for {file}: {results:?}"
        );
        for (id, verdict, message) in &results {
            assert!(!message.is_empty(), "{stem}: {id} has a message");
            if stem == "tp_v_clean" {
                assert_eq!(verdict, "pass", "{stem}: {id}: {message}");
            } else if *id == own {
                let expected = if own == "block-size" { "warn" } else { "fail" };
                assert_eq!(
                    verdict, expected,
                    "{stem} ({}): its own check {id}: {message}",
                    plugin["label"]
                );
            } else {
                assert!(
                    verdict == "pass" || verdict == "skip",
                    "{stem} ({}): check {id} is {verdict}: {message}",
                    plugin["label"]
                );
            }
        }
    }
}

/// The fixture's result for check `id`.
fn result_of(document: &Value, label: &str, id: &str) -> (String, String) {
    let plugin = plugins(document)
        .iter()
        .find(|p| p["label"] == label)
        .unwrap_or_else(|| panic!("{label} reported: {document}"));
    checks(plugin)
        .into_iter()
        .find(|(check, _, _)| check == id)
        .map(|(_, verdict, message)| (verdict, message))
        .unwrap_or_else(|| panic!("{label}: no {id}"))
}

#[test]
fn crashes_and_hangs_are_results_with_signal_and_step() {
    let cleanup = validator_fixture("tp_v_cleanup_unactivated");
    let range = validator_fixture("tp_v_control_range");
    let rates = validator_fixture("tp_v_instantiate_rates");
    let (document, status) = validate_json(
        &[
            "--timeout",
            "1",
            "--check",
            "cleanup-unactivated,control-range,instantiate-rates",
        ],
        &[&cleanup, &range, &rates],
    );
    assert_eq!(status, Some(1));
    let (verdict, message) =
        result_of(&document, "tp_v_cleanup_unactivated", "cleanup-unactivated");
    assert_eq!(
        (verdict.as_str(), message.as_str()),
        ("fail", "killed by SIGSEGV in cleanup")
    );
    let (verdict, message) = result_of(&document, "tp_v_control_range_hang", "control-range");
    assert_eq!(verdict, "fail");
    assert_eq!(
        message,
        "timed out after 1 s (hang) in run (1024 samples) with 'Gain' = 5"
    );
    let (verdict, message) = result_of(&document, "tp_v_instantiate_rates", "instantiate-rates");
    assert_eq!(
        (verdict.as_str(), message.as_str()),
        ("fail", "killed by SIGABRT in instantiate at 192000 Hz")
    );
    // The checks after the crash ran in a new worker.
    let (verdict, _) = result_of(&document, "tp_v_cleanup_unactivated", "control-range");
    assert_eq!(verdict, "pass");
}

#[test]
fn files_that_crash_or_hang_while_loading_fail_load() {
    let segv = lethal_dir().join("tp_ctor_segv.so");
    let sleep = lethal_dir().join("tp_descriptor_sleep.so");
    let (document, status) = validate_json(&["--timeout", "1"], &[&segv, &sleep]);
    assert_eq!(status, Some(1));
    let all = plugins(&document);
    assert_eq!(all.len(), 2);
    for plugin in all {
        assert_eq!(plugin["label"], Value::Null);
        assert_eq!(plugin["unique_id"], Value::Null);
        let results = checks(plugin);
        assert_eq!(results.len(), 1);
        assert_eq!(results[0].0, "load");
        assert_eq!(results[0].1, "fail");
    }
    let message = |i: usize| checks(&all[i])[0].2.clone();
    assert!(
        message(0).starts_with("the worker killed by SIGSEGV in loading the file"),
        "{}",
        message(0)
    );
    assert!(
        message(1).starts_with("the worker timed out after 1 s (hang) in loading the file"),
        "{}",
        message(1)
    );
}

#[test]
fn exit_status_is_0_without_failures_even_with_warnings() {
    let clean = validator_fixture("tp_v_clean");
    let block = validator_fixture("tp_v_block_size");
    let output = validate(&[], &[&clean, &block]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("tp_v_clean (7600)"), "{text}");
    assert!(text.contains("warn block-size"), "{text}");
}

#[test]
fn usage_errors_exit_with_2() {
    let clean = validator_fixture("tp_v_clean");
    for args in [
        &["--no-such-option"][..],
        &["--check", "no-such-check"],
        &["--skip-check", "nope"],
        &["--timeout", "0"],
        &["--jobs", "0"],
        &["--plugin", "no_such_label"],
    ] {
        let output = validate(args, &[&clean]);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let output = validate(&[], &[Path::new("/no/such/plugin.so")]);
    assert_eq!(output.status.code(), Some(2));
    let output = validate(&[], &[]);
    assert_eq!(output.status.code(), Some(2), "no plugin given");
}

#[test]
fn a_name_that_is_no_file_points_to_plugin_for_labels() {
    // A label given where files go: the message says how to check a plugin by label.
    let empty = Path::new(env!("CARGO_TARGET_TMPDIR")).join("validate-empty-path");
    std::fs::create_dir_all(&empty).expect("create an empty directory");
    let output = Command::new(VALIDATE)
        .arg("amp_mono")
        .env("LADSPA_PATH", &empty)
        .output()
        .expect("ladspa-validate runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("ladspa-validate: error: no plugin file `amp_mono`")
            && stderr
                .trim_end()
                .ends_with("name them with --plugin amp_mono"),
        "{stderr}"
    );
}

#[test]
fn rt_safety_sees_c_allocations_locks_and_system_calls_of_a_dlopened_plugin() {
    let rt = validator_fixture("tp_v_rt_safety");
    let (document, _) = validate_json(&["--check", "rt-safety"], &[&rt]);
    let message = |label| result_of(&document, label, "rt-safety").1;
    assert_eq!(
        message("tp_v_rt_safety"),
        "32 allocator calls inside 16 runs, yet the plugin is HARD_RT_CAPABLE"
    );
    assert_eq!(
        message("tp_v_rt_safety_lock"),
        "16 mutex locks inside 16 runs, yet the plugin is HARD_RT_CAPABLE"
    );
    #[cfg(target_arch = "x86_64")]
    assert_eq!(
        message("tp_v_rt_safety_syscall"),
        "16 system calls (first: getppid, getppid, getppid, getppid) inside 16 runs, \
         yet the plugin is HARD_RT_CAPABLE"
    );
    let clean = validator_fixture("tp_v_clean");
    let (document, _) = validate_json(&["--check", "rt-safety"], &[&clean]);
    assert_eq!(
        result_of(&document, "tp_v_clean", "rt-safety").1,
        "no allocation, mutex lock or system call in 16 runs"
    );
}

#[test]
fn options_choose_checks_and_plugins() {
    let rt = validator_fixture("tp_v_rt_safety");
    let (document, status) = validate_json(
        &["--check", "rt-safety,cpu", "--plugin", "7617", "-j", "1"],
        &[&rt],
    );
    assert_eq!(status, Some(1));
    let all = plugins(&document);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["label"], "tp_v_rt_safety_lock");
    assert_eq!(all[0]["unique_id"], 7617);
    let ids: Vec<String> = checks(&all[0]).into_iter().map(|c| c.0).collect();
    assert_eq!(ids, ["rt-safety", "cpu"]);

    let (document, status) = validate_json(
        &["--skip-check", "rt-safety", "--plugin", "tp_v_rt_safety"],
        &[&rt],
    );
    assert_eq!(status, Some(0));
    let all = plugins(&document);
    assert_eq!(all.len(), 1);
    assert_eq!(checks(&all[0]).len(), 17);
}

#[test]
fn json_document_has_the_stable_shape() {
    let clean = validator_fixture("tp_v_clean");
    let (document, _) = validate_json(&[], &[&clean]);
    let keys = |value: &Value| {
        let mut keys: Vec<String> = value
            .as_object()
            .expect("an object")
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    };
    assert_eq!(keys(&document), ["plugins"]);
    let plugin = &plugins(&document)[0];
    assert_eq!(keys(plugin), ["checks", "file", "label", "unique_id"]);
    assert_eq!(plugin["file"], clean.to_str().unwrap());
    for check in plugin["checks"].as_array().unwrap() {
        assert_eq!(keys(check), ["id", "message", "verdict"]);
    }
}

#[test]
fn list_checks_names_every_stable_id() {
    let output = validate(&["--list-checks"], &[]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    let ids: Vec<&str> = text
        .lines()
        .map(|line| line.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "load",
            "instantiate-rates",
            "cleanup-unactivated",
            "buffer-overrun",
            "input-written",
            "write-outside-run",
            "zero-length",
            "non-finite-output",
            "denormal-output",
            "reset",
            "determinism",
            "inplace",
            "block-size",
            "run-adding",
            "control-range",
            "rt-safety",
            "fp-environment",
            "cpu",
        ]
    );
    let help = validate(&["--help"], &[]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("Exit status: 0 when no check failed"));
}

/// The whole of Debian's plugins (the 25 LADSPA packages that `.ci/run` installs): the
/// validator finishes, with a report for every file and a verdict for every check; the
/// plugins' own verdicts are results, not failures of this test.
#[test]
#[ignore = "needs the Debian LADSPA packages: run by .ci/run"]
fn validates_all_of_debian() {
    let dir = Path::new("/usr/lib/ladspa");
    let (document, status) = validate_json(&[], &[dir]);
    assert!(
        matches!(status, Some(0 | 1)),
        "the validator itself failed: {status:?}"
    );
    let all = plugins(&document);
    assert!(all.len() >= 490, "{} plugins reported", all.len());
    for plugin in all {
        for (id, verdict, message) in checks(plugin) {
            assert!(
                ["pass", "warn", "fail", "skip"].contains(&verdict.as_str()),
                "{id}: {verdict}"
            );
            assert!(
                !message.is_empty(),
                "{}: {id} without a message",
                plugin["label"]
            );
        }
    }
}
