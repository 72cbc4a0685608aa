//! The isolated scan from a crate that depends on `ladspa` as a user's would: its binary
//! scans with no set-up (the binary is its own worker), and so does this test harness.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A directory with the good test amplifier and the lethal fixtures that end a process
/// quickly (the one that hangs would only cost this test the default 10 s timeout).
fn scan_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("user-crate-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("plugins")).unwrap();
    let mut files = vec![ladspa_testplugins::reference_plugin("tp_amp")];
    for lethal in [
        "tp_ctor_abort",
        "tp_ctor_segv",
        "tp_ctor_exit",
        "tp_descriptor_segv",
    ] {
        files.push(ladspa_testplugins::lethal_dir().join(format!("{lethal}.so")));
    }
    for file in files {
        std::fs::copy(&file, dir.join("plugins").join(file.file_name().unwrap())).unwrap();
    }
    dir
}

fn run_user_program(dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ladspa-user-crate"))
        .arg(dir.join("plugins"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .output()
        .expect("run the user's program")
}

fn line_for<'a>(stdout: &'a str, file: &str) -> &'a str {
    stdout
        .lines()
        .find(|line| line.contains(&format!("/{file}:")))
        .unwrap_or_else(|| panic!("no line for {file} in:\n{stdout}"))
}

#[test]
fn a_users_program_scans_with_no_set_up_and_survives_lethal_files() {
    let dir = scan_dir("plain");
    let output = run_user_program(&dir);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        line_for(&stdout, "tp_amp.so").ends_with("plugins tp_amp_mono tp_amp_stereo"),
        "{stdout}"
    );
    assert!(line_for(&stdout, "tp_ctor_abort.so").contains("failed: killed by SIGABRT"));
    assert!(line_for(&stdout, "tp_ctor_segv.so").contains("failed: killed by SIGSEGV"));
    assert!(line_for(&stdout, "tp_ctor_exit.so").contains("failed: exited with status 0"));
    assert!(
        line_for(&stdout, "tp_descriptor_segv.so")
            .contains("failed: killed by SIGSEGV (signal 11) in ladspa_descriptor(0)")
    );
    assert!(
        stderr.contains("files 5 scanned 5 from-cache 0"),
        "{stderr}"
    );
    // Its cache is under XDG_CACHE_HOME, and the second run uses it.
    assert!(dir.join("cache/ladspa-rs/catalog.bin").is_file());
    let again = run_user_program(&dir);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains("files 5 scanned 0 from-cache 5 workers 0"),
        "{stderr}"
    );
    assert_eq!(String::from_utf8_lossy(&again.stdout), stdout);
}

#[test]
fn two_processes_scanning_at_once_leave_a_cache_both_can_use() {
    let dir = scan_dir("concurrent");
    let children: Vec<_> = (0..2)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_ladspa-user-crate"))
                .arg(dir.join("plugins"))
                .env("XDG_CACHE_HOME", dir.join("cache"))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<Output> = children
        .into_iter()
        .map(|child| child.wait_with_output().unwrap())
        .collect();
    assert!(outputs.iter().all(|o| o.status.success()));
    assert_eq!(outputs[0].stdout, outputs[1].stdout);
    let after = run_user_program(&dir);
    let stderr = String::from_utf8_lossy(&after.stderr);
    assert!(
        stderr.contains("scanned 0 from-cache 5 workers 0"),
        "{stderr}"
    );
    assert_eq!(after.stdout, outputs[0].stdout);
}

#[test]
fn this_test_harness_scans_with_no_set_up_too() {
    let dir = scan_dir("harness");
    let catalog = ladspa_host::catalog::Scanner::new()
        .without_cache()
        .scan(&ladspa_host::discovery::SearchPath::new([
            dir.join("plugins")
        ]))
        .unwrap();
    assert_eq!(catalog.files().len(), 5);
    assert_eq!(catalog.plugins().count(), 2);
    assert_eq!(catalog.failures().count(), 4);
}
