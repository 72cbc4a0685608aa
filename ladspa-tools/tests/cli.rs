//! The `ladspa` command line, run as a user runs it (`CARGO_BIN_EXE_ladspa`): `list` and `info`
//! on the test plugins, their JSON, the RDF metadata `info` shows on Debian's plugins (opt-in),
//! errors that name the file, plugin and port, and the documented exit statuses.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// Runs `ladspa` with `args`, plugins along `path`, the catalog's cache in a directory of the
/// test's own.
fn ladspa(test: &str, path: &Path, args: &[&str]) -> Output {
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli-cache")
        .join(test);
    Command::new(env!("CARGO_BIN_EXE_ladspa"))
        .args(args)
        .env("LADSPA_PATH", path)
        .env("XDG_CACHE_HOME", cache)
        .env_remove("LADSPA_RDF_PATH")
        .output()
        .expect("run ladspa")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "ladspa failed ({:?}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn json(output: &Output) -> Value {
    serde_json::from_str(&stdout(output)).expect("valid JSON")
}

fn reference() -> &'static Path {
    ladspa_testplugins::reference_dir()
}

#[test]
fn list_shows_every_plugin_type_of_the_path() {
    let text = stdout(&ladspa("list", reference(), &["list"]));
    let line = text
        .lines()
        .find(|line| line.contains("tp_amp_stereo"))
        .expect("tp_amp_stereo is listed");
    assert!(line.contains("7002"), "{line}");
    assert!(line.contains("2→2"), "{line}");
    assert!(line.contains("tp_amp.so"), "{line}");

    let document = json(&ladspa("list", reference(), &["list", "--json"]));
    let plugins = document["plugins"].as_array().unwrap();
    // Sorted by label, then file, in the text and the JSON alike.
    let keys: Vec<(String, String)> = plugins
        .iter()
        .map(|p| {
            (
                p["label"].as_str().unwrap().to_owned(),
                p["file"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    let first_labels: Vec<&str> = text
        .lines()
        .map(|line| line.split_whitespace().nth(1).unwrap())
        .collect();
    let listed: Vec<&str> = keys.iter().map(|(label, _)| label.as_str()).collect();
    assert_eq!(first_labels, listed);
    let expected: usize = std::fs::read_dir(reference())
        .unwrap()
        .map(|entry| {
            // SAFETY: the test plugins are trusted code.
            let plugin = unsafe { ladspa_host::Plugin::load(entry.unwrap().path()) }.unwrap();
            plugin.descriptors().len()
        })
        .sum();
    assert_eq!(plugins.len(), expected);
    let mono = plugins
        .iter()
        .find(|p| p["label"] == "tp_amp_mono")
        .unwrap();
    assert_eq!(mono["unique_id"], 7001);
    assert_eq!(mono["audio_inputs"], 1);
    assert_eq!(mono["audio_outputs"], 1);
    assert!(document["failures"].as_array().unwrap().is_empty());
}

#[test]
fn list_reports_files_that_crash_and_goes_on() {
    // The lethal fixtures next to a good file.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-lethal");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let lethal = std::fs::read_dir(ladspa_testplugins::lethal_dir()).unwrap();
    for file in lethal
        .map(|entry| entry.unwrap().path())
        .chain([ladspa_testplugins::reference_plugin("tp_amp")])
    {
        std::fs::copy(&file, dir.join(file.file_name().unwrap())).unwrap();
    }
    // A file the loader refuses (its reason names the file already).
    std::fs::write(dir.join("not_a_library.so"), "text").unwrap();
    let output = ladspa(
        "lethal",
        &dir,
        &["list", "--json", "--scan-timeout", "1", "--rescan"],
    );
    let document = json(&output);
    let failures = document["failures"].as_array().unwrap();
    let segv = failures
        .iter()
        .find(|f| f["file"].as_str().unwrap().ends_with("tp_ctor_segv.so"))
        .expect("the crashing file is reported");
    assert!(
        segv["error"].as_str().unwrap().contains("SIGSEGV"),
        "{segv}"
    );
    let sleep = failures
        .iter()
        .find(|f| {
            f["file"]
                .as_str()
                .unwrap()
                .ends_with("tp_descriptor_sleep.so")
        })
        .expect("the hanging file is reported");
    assert!(
        sleep["error"].as_str().unwrap().contains("within 1 s"),
        "{sleep}"
    );
    assert!(
        document["plugins"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["label"] == "tp_amp_mono"),
        "the good file is listed next to the lethal ones"
    );
    // As text: one warning per failing file, each naming its file once.
    let output = ladspa("lethal", &dir, &["list", "--scan-timeout", "1"]);
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(message.lines().count(), failures.len(), "{message}");
    for failure in failures {
        let file = failure["file"].as_str().unwrap();
        let line = message.lines().find(|l| l.contains(file)).unwrap();
        assert!(line.starts_with("ladspa: warning: "), "{line}");
        assert_eq!(line.matches(file).count(), 1, "{line}");
    }
}

#[test]
fn info_describes_ports_at_the_rate_asked() {
    let text = stdout(&ladspa(
        "info",
        reference(),
        &["info", "tp_amp_mono", "--rate", "44100"],
    ));
    assert!(
        text.starts_with("Test Mono Amplifier (tp_amp_mono)\n"),
        "{text}"
    );
    assert!(text.contains("unique ID   7001"), "{text}");
    assert!(text.contains("ports (at 44100 Hz):"), "{text}");
    assert!(
        text.lines()
            .any(|line| line.trim_start().starts_with("0  Gain") && line.contains("control")),
        "{text}"
    );

    // A file without a label: every plugin type of it; by unique ID: that one.
    let tp_amp = ladspa_testplugins::reference_plugin("tp_amp");
    let document = json(&ladspa(
        "info",
        reference(),
        &["info", tp_amp.to_str().unwrap(), "--json"],
    ));
    let labels: Vec<&str> = document["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["tp_amp_mono", "tp_amp_stereo"]);
    let document = json(&ladspa("info", reference(), &["info", "7002", "--json"]));
    let plugin = &document["plugins"][0];
    assert_eq!(plugin["label"], "tp_amp_stereo");
    assert_eq!(plugin["ports"].as_array().unwrap().len(), 5);
    assert_eq!(plugin["ports"][0]["name"], "Gain");
    assert_eq!(plugin["ports"][0]["direction"], "input");
    assert_eq!(plugin["ports"][0]["kind"], "control");
    assert_eq!(plugin["ports"][1]["kind"], "audio");
    assert_eq!(plugin["sample_rate"], 48000);
}

#[test]
fn info_on_a_file_outside_the_path_and_with_a_label() {
    let tp_amp = ladspa_testplugins::reference_plugin("tp_amp");
    let spec = format!("{}:tp_amp_stereo", tp_amp.display());
    let empty = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-empty-path");
    std::fs::create_dir_all(&empty).unwrap();
    let document = json(&ladspa("outside", &empty, &["info", &spec, "--json"]));
    assert_eq!(document["plugins"].as_array().unwrap().len(), 1);
    assert_eq!(document["plugins"][0]["unique_id"], 7002);
}

#[test]
fn errors_name_what_is_missing_and_exit_with_the_documented_statuses() {
    // An unknown plugin: the command line can fix it, status 2 in every subcommand.
    let output = ladspa("errors", reference(), &["info", "no_such_plugin"]);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("no_such_plugin"), "{message}");
    assert!(output.stdout.is_empty());

    let tp_amp = ladspa_testplugins::reference_plugin("tp_amp");
    let spec = format!("{}:nope", tp_amp.display());
    let output = ladspa("errors", reference(), &["info", &spec]);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("tp_amp.so") && message.contains("`nope`"),
        "{message}"
    );
    assert!(
        message.contains("tp_amp_mono, tp_amp_stereo"),
        "the file's labels are offered: {message}"
    );

    let output = ladspa("errors", reference(), &["info"]);
    assert_eq!(output.status.code(), Some(2), "a usage error");
    let output = ladspa("errors", reference(), &["frobnicate"]);
    assert_eq!(output.status.code(), Some(2), "a usage error");

    let help = stdout(&ladspa("errors", reference(), &["--help"]));
    assert!(help.contains("Exit status:"), "{help}");
    assert!(help.contains("2  the command line is wrong"), "{help}");
    assert!(help.contains("1  a failure during the work"), "{help}");
}

#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn info_shows_rdf_classes_named_values_and_presets_of_debian_plugins() {
    let debian = Path::new("/usr/lib/ladspa");
    let text = stdout(&ladspa("rdf", debian, &["info", "tap_reverb"]));
    assert!(
        text.contains("class       Reverbs (in Time, Simulators)"),
        "{text}"
    );
    for named in [
        "0 = AfterBurn",
        "1 = AfterBurn (Long)",
        "42 = Warehouse - HD",
    ] {
        assert!(
            text.lines().any(|line| line.trim() == named),
            "{named} missing:\n{text}"
        );
    }
    let document = json(&ladspa("rdf", debian, &["info", "tap_reverb", "--json"]));
    let points = document["plugins"][0]["ports"][7]["scale_points"]
        .as_array()
        .unwrap();
    assert_eq!(points.len(), 43, "tap_reverb.rdf names 43 reverb types");
    assert_eq!(points[5]["label"], "Cathedral");

    // Presets (Debian's files give only default settings, no named presets): the default
    // setting of tap_reverb, value by value as the database reads it.
    let database = ladspa_host::rdf::Database::system();
    let preset = database
        .plugin(2142)
        .and_then(|rdf| rdf.default_preset())
        .expect("tap_reverb.rdf gives a default setting");
    let presets = document["plugins"][0]["presets"].as_array().unwrap();
    assert_eq!(presets.len(), 1);
    assert_eq!(presets[0]["default"], true);
    assert_eq!(
        presets[0]["values"].as_array().unwrap().len(),
        preset.values().len()
    );
    let values: Vec<String> = preset
        .values()
        .iter()
        .map(|v| format!("{}={}", v.port, v.value))
        .collect();
    let line = format!("  preset default: {}", values.join(" "));
    assert!(text.lines().any(|l| l == line), "{line:?} missing:\n{text}");
}

#[test]
fn validate_is_the_validator_as_a_subcommand() {
    let fixtures = ladspa_testplugins::validator_fixture_dir();
    let clean = fixtures.join("tp_v_clean.so");
    let document = json(&ladspa(
        "validate",
        fixtures,
        &["validate", "--json", clean.to_str().unwrap()],
    ));
    let checks = document["plugins"][0]["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 18, "every check ran: {document}");
    assert!(checks.iter().all(|c| c["verdict"] != "fail"), "{document}");

    // A fixture that fails its check: exit status 1; a name found along --path.
    let output = ladspa(
        "validate",
        Path::new("/nonexistent"),
        &[
            "--path",
            fixtures.to_str().unwrap(),
            "validate",
            "tp_v_cleanup_unactivated",
            "-c",
            "cleanup-unactivated",
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("fail cleanup-unactivated"), "{text}");
    // The summary counts plugins, then checks, in plain English.
    assert!(
        text.contains("\n1 plugin, 1 check: 0 passed, 0 warnings, 1 failed, 0 skipped"),
        "{text}"
    );
}

/// Runs `ladspa` with `args` and standard output a pipe whose reader is gone before anything is
/// written (`ladspa … | head -c0`); returns the status and standard error.
fn into_closed_pipe(test: &str, path: &Path, args: &[&str], dir: &Path) -> (Option<i32>, String) {
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli-cache")
        .join(test);
    let mut child = Command::new(env!("CARGO_BIN_EXE_ladspa"))
        .args(args)
        .current_dir(dir)
        .env("LADSPA_PATH", path)
        .env("XDG_CACHE_HOME", cache)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run ladspa");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("wait for ladspa");
    let message = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), message)
}

/// A WAV file of `frames` frames of 16-bit stereo (a ramp), larger than a pipe's buffer when
/// `frames` is.
fn stereo_wav(path: &Path, frames: usize) {
    let mut data = Vec::with_capacity(frames * 4);
    for frame in 0..frames {
        let sample = ((frame % 2000) as i16 - 1000).to_le_bytes();
        data.extend_from_slice(&sample);
        data.extend_from_slice(&sample);
    }
    let mut file = Vec::new();
    file.extend_from_slice(b"RIFF");
    file.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    file.extend_from_slice(b"WAVEfmt ");
    file.extend_from_slice(&16u32.to_le_bytes());
    file.extend_from_slice(&1u16.to_le_bytes()); // PCM
    file.extend_from_slice(&2u16.to_le_bytes()); // channels
    file.extend_from_slice(&44_100u32.to_le_bytes());
    file.extend_from_slice(&(44_100u32 * 4).to_le_bytes());
    file.extend_from_slice(&4u16.to_le_bytes());
    file.extend_from_slice(&16u16.to_le_bytes());
    file.extend_from_slice(b"data");
    file.extend_from_slice(&(data.len() as u32).to_le_bytes());
    file.extend_from_slice(&data);
    std::fs::write(path, file).unwrap();
}

#[test]
fn every_subcommand_gives_the_same_status_for_the_same_failure() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-statuses");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    stereo_wav(&dir.join("in.wav"), 100_000);
    let dir_arg = dir.to_str().unwrap();
    let in_wav = dir.join("in.wav");
    let in_wav = in_wav.to_str().unwrap();
    let out_wav = dir.join("out.wav");
    let out_wav = out_wav.to_str().unwrap();

    // An unknown plugin: 2 everywhere, said once with the binary's prefix.
    for args in [
        &["info", "no_such_plugin"][..],
        &["apply", in_wav, out_wav, "-p", "no_such_plugin"],
        &["validate", "no_such_plugin"],
    ] {
        let output = ladspa("statuses", reference(), args);
        let message = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {message}");
        assert!(
            message.starts_with("ladspa: error: ") && message.contains("no_such_plugin"),
            "{args:?}: {message}"
        );
        assert_eq!(message.lines().count(), 1, "{args:?}: {message}");
    }
    assert!(!dir.join("out.wav").exists());

    // A closed pipe: list, info and validate end quietly with 0; apply writing to it fails, 1.
    let tp_amp = ladspa_testplugins::reference_plugin("tp_amp");
    let tp_amp = tp_amp.to_str().unwrap();
    for args in [
        &["list"][..],
        &["list", "--json"],
        &["info", tp_amp],
        &["info", tp_amp, "--json"],
        &["validate", tp_amp],
    ] {
        let (code, message) = into_closed_pipe("statuses", reference(), args, &dir);
        assert_eq!(code, Some(0), "{args:?}: {message}");
        assert_eq!(message, "", "{args:?}");
    }
    let apply = ["apply", "in.wav", "-", "-p", "tp_amp_mono"];
    let (code, message) = into_closed_pipe("statuses", reference(), &apply, &dir);
    assert_eq!(code, Some(1), "{message}");
    assert_eq!(
        message,
        "ladspa: error: standard output was closed before the output was complete\n"
    );

    // LADSPA_PATH naming a plugin file: a usage error that says why, the path said once.
    let output = ladspa("statuses", Path::new(tp_amp), &["list"]);
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(
        message.starts_with("ladspa: error: ") && message.contains("not a directory"),
        "{message}"
    );
    assert_eq!(message.matches(tp_amp).count(), 1, "{message}");
    let output = ladspa("statuses", Path::new(tp_amp), &["info", "tp_amp_mono"]);
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(message.contains("not a directory"), "{message}");
    assert_eq!(message.matches(tp_amp).count(), 1, "{message}");

    // An empty search path, or one without plugins: a hint, not silence.
    let output = ladspa("statuses", reference(), &["--path", "", "list"]);
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{message}");
    assert!(output.stdout.is_empty());
    assert!(
        message.starts_with("ladspa: warning: the search path is empty: set LADSPA_PATH"),
        "{message}"
    );
    let output = ladspa(
        "statuses",
        reference(),
        &["--path", "", "info", "tp_amp_mono"],
    );
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(message.contains("the search path is empty"), "{message}");
    let output = ladspa("statuses", reference(), &["--path", dir_arg, "list"]);
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.starts_with("ladspa: warning: no plugin along the search path"),
        "{message}"
    );

    // --scan-timeout 0: a usage error that says what is allowed.
    let output = ladspa("statuses", reference(), &["--scan-timeout", "0", "list"]);
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(message.contains("at least 0.001 seconds"), "{message}");

    // A FIFO named like a plugin file: said as what it is, never opened (it would block).
    let fifo = dir.join("x.so");
    let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
    let output = ladspa("statuses", reference(), &["info", fifo.to_str().unwrap()]);
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(message.contains("it is a FIFO"), "{message}");
}

#[test]
fn completions_and_the_man_page_cover_every_subcommand() {
    let subcommands = ["list", "info", "apply", "live", "validate"];
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = stdout(&ladspa("completions", reference(), &["completions", shell]));
        for word in subcommands.iter().chain(&["strict", "scan-timeout"]) {
            assert!(script.contains(word), "{shell}: {word} missing");
        }
        if shell == "bash" {
            // The script bash would source parses.
            let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ladspa-completion.bash");
            std::fs::write(&path, &script).unwrap();
            let check = Command::new("bash").arg("-n").arg(&path).output().unwrap();
            assert!(check.status.success(), "{check:?}");
        }
    }
    let output = ladspa("completions", reference(), &["completions", "tcsh"]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );

    let page = stdout(&ladspa("manpage", reference(), &["manpage"]));
    assert!(page.starts_with(".ie") || page.starts_with(".TH"), "{page}");
    assert!(page.contains(".TH ladspa 1"), "{page}");
    for word in subcommands {
        assert!(page.contains(word), "{word} missing from the man page");
    }
    assert!(page.contains("Exit status"), "the statuses are documented");
}

/// lsp's labels are URLs (`http://lsp-plug.in/…`, with `:` and `/`): every one of them, 114 on
/// Debian, names its plugin type alone and as `file:label`.
#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn every_label_with_a_colon_or_slash_names_its_plugin_alone_and_after_its_file() {
    let debian = Path::new("/usr/lib/ladspa");
    let listing = json(&ladspa("url-labels", debian, &["list", "--json"]));
    let plugins: Vec<&Value> = listing["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            let label = p["label"].as_str().unwrap();
            label.contains(':') || label.contains('/')
        })
        .collect();
    assert!(plugins.len() >= 114, "lsp's 114 types: {}", plugins.len());
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli-cache")
        .join("url-labels");
    for plugin in plugins {
        let label = plugin["label"].as_str().unwrap();
        let file = Path::new(plugin["file"].as_str().unwrap());
        let in_file = format!("{}:{label}", file.file_name().unwrap().to_str().unwrap());
        for name in [label, &in_file] {
            // Without the RDF metadata, which only slows each run here.
            let output = Command::new(env!("CARGO_BIN_EXE_ladspa"))
                .args(["info", name, "--json"])
                .env("LADSPA_PATH", debian)
                .env("XDG_CACHE_HOME", &cache)
                .env("LADSPA_RDF_PATH", "/nonexistent")
                .output()
                .unwrap();
            let document = json(&output);
            let described = &document["plugins"];
            assert_eq!(described.as_array().unwrap().len(), 1, "{name}");
            assert_eq!(described[0]["unique_id"], plugin["unique_id"], "{name}");
            assert_eq!(described[0]["label"], label, "{name}");
        }
    }
}
