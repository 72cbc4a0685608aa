//! `ladspa apply` on the audio files people have, run as a user runs it: a corpus made by sox in
//! every format and sample type it writes (odd-sized chunks included) read as sox reads it;
//! what we write read back by sox without a warning; standard input and output in a pipeline
//! with sox; several files with -o and --suffix; the warnings of a chain that changes the
//! channel count. The sox cases are opt-in (`.ci/run` installs sox and lame).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli-files")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn ladspa(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ladspa"));
    command
        .args(args)
        .current_dir(dir)
        .env("LADSPA_PATH", ladspa_testplugins::reference_dir())
        .env("XDG_CACHE_HOME", dir.join("cache"));
    command
}

fn run(dir: &Path, args: &[&str]) -> Output {
    ladspa(dir, args).output().unwrap()
}

fn succeeded(output: &Output) {
    assert!(
        output.status.success(),
        "failed ({:?}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

fn sox(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new("sox")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run sox (apt-get install sox)");
    assert!(
        output.status.success(),
        "sox {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The samples of a WAV file as sox reads them: 32-bit floats, interleaved.
fn sox_samples(dir: &Path, file: &str) -> Vec<f32> {
    let raw = format!("{file}.f32");
    sox(dir, &[file, "-t", "f32", "-e", "floating-point", &raw]);
    let bytes = std::fs::read(dir.join(&raw)).unwrap();
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

/// A WAV file by hand: 16-bit mono, `samples`, with an odd-sized LIST chunk (and its pad
/// byte) before the data, an odd-sized data chunk (8-bit), and a chunk after the data.
fn odd_wav(samples: &[u8]) -> Vec<u8> {
    let mut body = b"WAVE".to_vec();
    body.extend(b"LIST\x05\0\0\0INFOx\0");
    body.extend(b"fmt \x10\0\0\0");
    body.extend(1_u16.to_le_bytes()); // PCM
    body.extend(1_u16.to_le_bytes()); // mono
    body.extend(8000_u32.to_le_bytes());
    body.extend(8000_u32.to_le_bytes());
    body.extend(1_u16.to_le_bytes());
    body.extend(8_u16.to_le_bytes());
    body.extend(b"data");
    body.extend((samples.len() as u32).to_le_bytes());
    body.extend(samples);
    if samples.len() % 2 == 1 {
        body.push(0);
    }
    body.extend(b"cue \x04\0\0\0\0\0\0\0");
    let mut file = b"RIFF".to_vec();
    file.extend((body.len() as u32).to_le_bytes());
    file.extend(body);
    file
}

#[test]
fn wav_files_of_any_chunk_layout_are_read_and_odd_data_is_padded() {
    let dir = scratch("odd");
    let samples: Vec<u8> = (0..101).map(|i| (i * 5 % 256) as u8).collect();
    std::fs::write(dir.join("odd.wav"), odd_wav(&samples)).unwrap();
    succeeded(&run(
        &dir,
        &[
            "apply",
            "odd.wav",
            "out.wav",
            "-p",
            "tp_amp_mono",
            "-c",
            "gain=1",
        ],
    ));
    let out = std::fs::read(dir.join("out.wav")).unwrap();
    // Plain PCM, 8-bit mono: a 44-byte header, the 101 samples unchanged, one pad byte.
    assert_eq!(&out[..4], b"RIFF");
    assert_eq!(
        u32::from_le_bytes(out[4..8].try_into().unwrap()) as usize,
        out.len() - 8
    );
    assert_eq!(&out[36..40], b"data");
    assert_eq!(u32::from_le_bytes(out[40..44].try_into().unwrap()), 101);
    assert_eq!(&out[44..145], &samples[..]);
    assert_eq!(out.len(), 146, "the odd data chunk is padded");
}

#[test]
fn standard_input_and_output_stream_wav() {
    let dir = scratch("pipes");
    let samples: Vec<u8> = (0..4000).map(|i| (i * 7 % 256) as u8).collect();
    let input = odd_wav(&samples);
    let mut child = ladspa(&dir, &["apply", "-", "-", "-p", "tp_amp_mono", "-c", "0=1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    succeeded(&output);
    let out = output.stdout;
    // A streamed header: the lengths say "unknown" the way sox writes them.
    assert_eq!(&out[40..44], &0x7fff_f000_u32.to_le_bytes());
    assert_eq!(&out[44..], &samples[..], "the samples, unchanged");
    // Read back through standard input, the streamed header is read to the end of the data.
    let mut child = ladspa(&dir, &["apply", "-", "again.wav", "-p", "tp_amp_mono"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&out).unwrap();
    succeeded(&child.wait_with_output().unwrap());
    let again = std::fs::read(dir.join("again.wav")).unwrap();
    assert_eq!(&again[44..], &samples[..]);
}

#[test]
fn several_files_go_to_a_directory_and_a_failing_one_does_not_stop_the_rest() {
    let dir = scratch("batch");
    let samples: Vec<u8> = (0..500).map(|i| (i % 256) as u8).collect();
    for name in ["a.wav", "b.wav"] {
        std::fs::write(dir.join(name), odd_wav(&samples)).unwrap();
    }
    std::fs::write(dir.join("broken.wav"), b"RIFF\x04\0\0\0WAVE").unwrap();
    std::fs::create_dir_all(dir.join("out")).unwrap();
    let args = [
        "apply",
        "a.wav",
        "broken.wav",
        "b.wav",
        "-o",
        "out",
        "-p",
        "tp_amp_mono",
    ];
    let output = run(&dir, &args);
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.starts_with("ladspa: error: cannot read broken.wav"),
        "{message}"
    );
    assert!(message.contains("1 of 3 files failed"), "{message}");
    for name in ["a.wav", "b.wav"] {
        let out = std::fs::read(dir.join("out").join(name)).unwrap();
        assert_eq!(&out[44..544], &samples[..], "{name}");
    }
    assert!(!dir.join("out/broken.wav").exists());

    // --suffix: next to each input.
    let args = [
        "apply",
        "a.wav",
        "b.wav",
        "--suffix=-quiet",
        "-p",
        "tp_amp_mono",
    ];
    succeeded(&run(&dir, &args));
    assert!(dir.join("a-quiet.wav").is_file() && dir.join("b-quiet.wav").is_file());

    // Two inputs that would give the same output: refused before any work.
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/a.wav"), odd_wav(&samples)).unwrap();
    let args = [
        "apply",
        "a.wav",
        "sub/a.wav",
        "-o",
        "out",
        "-p",
        "tp_amp_mono",
    ];
    let output = run(&dir, &args);
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(message.contains("would both be written to"), "{message}");
}

#[test]
fn other_audio_extensions_are_refused_and_channel_changes_are_said() {
    let dir = scratch("names");
    let samples: Vec<u8> = (0..500).map(|i| (i % 256) as u8).collect();
    std::fs::write(dir.join("in.wav"), odd_wav(&samples)).unwrap();
    let output = run(&dir, &["apply", "in.wav", "out.mp3", "-p", "tp_amp_mono"]);
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(message.contains("only WAV files are written"), "{message}");
    assert!(!dir.join("out.mp3").exists());
    // A name without an audio extension is fine: the output is WAV.
    succeeded(&run(
        &dir,
        &["apply", "in.wav", "out.data", "-p", "tp_amp_mono"],
    ));

    // A generator on a mono file turned stereo first: its output replaces the channels; and a
    // chain that turns mono into stereo.
    let warning = |plugins: &[&str]| {
        let mut args = vec!["apply", "in.wav", "out.wav", "--format", "float"];
        for plugin in plugins {
            match plugin.starts_with("--") {
                true => args.push(plugin),
                false => args.extend(["-p", plugin]),
            }
        }
        let output = run(&dir, &args);
        succeeded(&output);
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    assert_eq!(
        warning(&["tp_fanout_split", "tp_sine"]),
        "ladspa: warning: stage 2 (tp_sine) is a generator: its 1 output channel replaces the 2 channels reaching it\n"
    );
    assert_eq!(
        warning(&["tp_fanout_split"]),
        "ladspa: warning: the output has 2 channels, the input 1 (stage 1, tp_fanout_split, changes them)\n"
    );
    // --quiet keeps errors only.
    assert_eq!(warning(&["--quiet", "tp_fanout_split"]), "");
}

/// Every format and sample type sox writes that this tool reads, each compared with what sox
/// reads from it.
#[test]
#[ignore = "needs sox and lame: run by .ci/run"]
fn a_corpus_made_by_sox_reads_as_sox_reads_it() {
    let dir = scratch("corpus");
    // Two channels of a chirp, 1.5 s at 44.1 kHz, a little below full scale.
    sox(
        &dir,
        &[
            "-n",
            "-r",
            "44100",
            "-c",
            "2",
            "-e",
            "floating-point",
            "-b",
            "32",
            "source.wav",
            "synth",
            "1.5",
            "sine",
            "200-4000",
            "sine",
            "300-900",
            "vol",
            "0.7",
        ],
    );
    // (name, sox's options); ADPCM decoders may round their predictions differently, so those
    // are compared within a few steps of 16 bits, the others within float precision.
    let lossless: &[(&str, &[&str])] = &[
        ("u8.wav", &["-e", "unsigned", "-b", "8"]),
        ("s16.wav", &["-e", "signed", "-b", "16"]),
        ("s24.wav", &["-e", "signed", "-b", "24"]),
        ("s32.wav", &["-e", "signed", "-b", "32"]),
        ("f32.wav", &["-e", "floating-point", "-b", "32"]),
        ("f64.wav", &["-e", "floating-point", "-b", "64"]),
        ("alaw.wav", &["-e", "a-law"]),
        ("ulaw.wav", &["-e", "u-law"]),
        ("ima.wav", &["-e", "ima-adpcm"]),
        ("ms.wav", &["-e", "ms-adpcm"]),
        (
            "mono-odd.wav",
            &["-e", "unsigned", "-b", "8", "-c", "1", "trim", "0", "1001s"],
        ),
        (
            "three.wav",
            &["-e", "signed", "-b", "24", "remix", "1", "2", "1"],
        ),
        ("s16.aiff", &["-e", "signed", "-b", "16"]),
        ("s24.aiff", &["-e", "signed", "-b", "24"]),
        ("s16.flac", &["-b", "16"]),
        ("s24.flac", &["-b", "24"]),
    ];
    for (name, options) in lossless {
        let mut args = vec!["source.wav"];
        let (before, after): (Vec<&str>, Vec<&str>) =
            match options.iter().position(|o| ["trim", "remix"].contains(o)) {
                Some(at) => (options[..at].to_vec(), options[at..].to_vec()),
                None => (options.to_vec(), Vec::new()),
            };
        args.extend(before);
        args.push(name);
        args.extend(after);
        sox(&dir, &args);
        let out = format!("{name}.out.wav");
        let output = run(
            &dir,
            &[
                "apply",
                name,
                &out,
                "-p",
                "tp_amp_mono",
                "-c",
                "gain=1",
                "--format",
                "float",
            ],
        );
        succeeded(&output);
        let theirs = sox_samples(&dir, name);
        let ours = sox_samples(&dir, &out);
        assert_eq!(ours.len(), theirs.len(), "{name}: length");
        let worst = ours
            .iter()
            .zip(&theirs)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        let tolerance = if name.contains("ima") || name.contains("ms.") {
            4e-3
        } else {
            1e-6
        };
        assert!(worst <= tolerance, "{name}: differs from sox by {worst}");
    }
    // Lossy: Ogg Vorbis (sox) and MP3 (lame); decoders differ, so compare after aligning.
    sox(&dir, &["source.wav", "-C", "6", "lossy.ogg"]);
    sox(
        &dir,
        &["source.wav", "-e", "signed", "-b", "16", "for-lame.wav"],
    );
    let lame = Command::new("lame")
        .args(["--quiet", "-b", "192", "for-lame.wav", "lossy.mp3"])
        .current_dir(&dir)
        .status()
        .expect("run lame (apt-get install lame)");
    assert!(lame.success());
    for name in ["lossy.ogg", "lossy.mp3"] {
        let out = format!("{name}.out.wav");
        succeeded(&run(&dir, &["apply", name, &out, "-p", "tp_amp_mono"]));
        let theirs = sox_samples(&dir, "source.wav");
        let ours = sox_samples(&dir, &out);
        // (The lag is searched on the first quarter second, then measured on all.)
        let (lag, _) = best_alignment(&ours[..22_050], &theirs, 2, 3000);
        let error = rms_at(&ours, &theirs, 2, lag);
        assert!(
            error < 0.02,
            "{name}: RMS difference {error} from the source at lag {lag}"
        );
    }
}

/// The lag (in frames, of `channels` interleaved) that makes `a` closest to `b`, and the RMS
/// difference there.
fn best_alignment(a: &[f32], b: &[f32], channels: usize, max_lag: usize) -> (isize, f32) {
    let mut best = (0, f32::INFINITY);
    for lag in -(max_lag as isize)..=max_lag as isize {
        let rms = rms_at(a, b, channels, lag);
        if rms < best.1 {
            best = (lag, rms);
        }
    }
    best
}

/// The RMS difference of `a` and `b` with `a`'s frame `t` against `b`'s frame `t + lag`.
fn rms_at(a: &[f32], b: &[f32], channels: usize, lag: isize) -> f32 {
    let shift = lag * channels as isize;
    let pairs = a.iter().enumerate().filter_map(|(i, &x)| {
        let j = i as isize + shift;
        (j >= 0 && (j as usize) < b.len()).then(|| x - b[j as usize])
    });
    let (sum, n) = pairs.fold((0.0_f64, 0_usize), |(s, n), d| {
        (s + f64::from(d * d), n + 1)
    });
    if n < a.len() / 2 {
        return f32::INFINITY;
    }
    (sum / n as f64).sqrt() as f32
}

/// What we write, in every sample format and channel count, sox reads without a word.
#[test]
#[ignore = "needs sox: run by .ci/run"]
fn sox_reads_what_we_write_without_a_warning() {
    let dir = scratch("sox-reads");
    for channels in ["1", "2", "3"] {
        let source = format!("source{channels}.wav");
        sox(
            &dir,
            &[
                "-n", "-r", "48000", "-c", channels, "-b", "16", &source, "synth", "0.1", "sine",
                "440", "vol", "0.5",
            ],
        );
        for format in ["8", "16", "24", "32", "float"] {
            let out = format!("out{channels}-{format}.wav");
            succeeded(&run(
                &dir,
                &[
                    "apply",
                    &source,
                    &out,
                    "-p",
                    "tp_amp_mono",
                    "--format",
                    format,
                ],
            ));
            let read = Command::new("sox")
                .args([&out, "-n"])
                .current_dir(&dir)
                .output()
                .unwrap();
            assert!(read.status.success(), "{out}: {read:?}");
            assert!(
                read.stderr.is_empty(),
                "sox warns about {out}: {}",
                String::from_utf8_lossy(&read.stderr)
            );
        }
    }
    // A pipeline: sox | ladspa apply - - | sox, the streamed headers both ways.
    let pipeline = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "sox source2.wav -t wav - | '{}' apply - - -p tp_amp_mono -c gain=0.5 | sox -t wav - piped.wav",
            env!("CARGO_BIN_EXE_ladspa")
        ))
        .current_dir(&dir)
        .env("LADSPA_PATH", ladspa_testplugins::reference_dir())
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .output()
        .unwrap();
    assert!(pipeline.status.success(), "{pipeline:?}");
    assert!(
        pipeline.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&pipeline.stderr)
    );
    let piped = sox_samples(&dir, "piped.wav");
    let source = sox_samples(&dir, "source2.wav");
    assert_eq!(piped.len(), source.len());
    for (p, s) in piped.iter().zip(&source) {
        assert!(
            (p - s * 0.5).abs() <= 1.0 / 32768.0,
            "{p} against {}",
            s * 0.5
        );
    }
}
