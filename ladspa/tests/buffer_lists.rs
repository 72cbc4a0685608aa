//! The buffer lists a run takes, written as a user first writes them, through the real loader:
//! `&mut []` for a plugin without audio outputs (a meter), `&[]` for one without audio inputs
//! (a generator), and every container of buffers a host keeps (slices, arrays, `Vec`s, boxed
//! slices, references to them).

mod common;

use common::reference_descriptor;

#[test]
fn a_meter_runs_with_no_output_buffers_written_as_empty_brackets() {
    let meter = reference_descriptor("tp_meter", "tp_peak_meter");
    assert_eq!(meter.audio_output_count(), 0);
    let mut handle = meter.instantiate(48_000).unwrap().activate();
    let input = vec![0.25_f32; 64];
    handle.run(64, &[&input], &mut []).unwrap();
    assert_eq!(handle.control("Peak").unwrap(), 0.25);
    let louder = [-0.5_f32; 32];
    handle.run(32, &[louder], &mut []).unwrap();
    assert_eq!(handle.control("Peak").unwrap(), 0.5);
    // A wrong count is still refused with the usual error.
    let error = handle.run(8, &[&input, &input], &mut []).unwrap_err();
    assert!(
        matches!(error, ladspa_host::RunError::BufferCount { .. }),
        "{error}"
    );
    // Bound runs take the empty list too.
    let mut inputs = [vec![0.75_f32; 16]];
    handle.bind(&mut inputs, &mut []).unwrap().run(16).unwrap();
    assert_eq!(handle.control("Peak").unwrap(), 0.75);
}

#[test]
fn a_generator_runs_with_no_input_buffers_written_as_empty_brackets() {
    let sine = reference_descriptor("tp_sine", "tp_sine");
    assert_eq!(sine.audio_input_count(), 0);
    let mut handle = sine.instantiate(48_000).unwrap().activate();
    let mut tone = vec![0.0_f32; 480];
    handle.run(480, &[], &mut [&mut tone]).unwrap();
    let peak = tone.iter().fold(0.0_f32, |m, s| m.max(s.abs()));
    assert!(peak > 0.5, "peak {peak}");
    let mut again = [0.0_f32; 480];
    handle
        .run(480, &ladspa_host::NO_BUFFERS, &mut [&mut again])
        .unwrap();
}

#[test]
fn every_container_of_buffers_passes_as_it_is() {
    let amp = reference_descriptor("tp_amp", "tp_amp_stereo"); // gain 1
    let mut handle = amp.instantiate(48_000).unwrap().activate();
    let expected = [vec![0.5_f32; 8], vec![-0.5; 8]];

    let vecs: Vec<Vec<f32>> = expected.to_vec();
    let mut out_vecs = vec![vec![0.0_f32; 8]; 2];
    handle.run(8, &vecs, &mut out_vecs).unwrap();
    assert_eq!(out_vecs, expected);

    let arrays = [[0.5_f32; 8], [-0.5; 8]];
    let mut out_arrays = [[0.0_f32; 8]; 2];
    handle.run(8, &arrays, &mut out_arrays).unwrap();
    assert_eq!(out_arrays, arrays);

    let slices: Vec<&[f32]> = vecs.iter().map(Vec::as_slice).collect();
    let (left, right) = out_arrays.split_at_mut(1);
    handle
        .run(8, &slices[..], &mut [&mut left[0][..], &mut right[0][..]])
        .unwrap();

    let boxed: Box<[Vec<f32>]> = vecs.clone().into_boxed_slice();
    let mut out_boxed: Box<[Vec<f32>]> = vec![vec![0.0; 8]; 2].into_boxed_slice();
    handle.run(8, &boxed, &mut out_boxed).unwrap();
    assert_eq!(&out_boxed[..], &expected[..]);

    // References to lists held in variables, as generic host code has them.
    fn through<I: AsRef<[f32]>, O: AsMut<[f32]>>(
        handle: &mut ladspa_host::Handle<ladspa_host::Active>,
        inputs: &[I],
        outputs: &mut [O],
    ) {
        handle.run(8, inputs, outputs).unwrap();
        handle.run(8, &inputs, &mut &mut *outputs).unwrap();
        handle.run_in_place(8, outputs).unwrap();
    }
    let mut out = vec![vec![0.0_f32; 8]; 2];
    through(&mut handle, &vecs, &mut out);
    assert_eq!(out, expected);
}

/// cmt's `track_peak`: "Input" (audio), "Output" (a control output: the envelope), no audio
/// output.
#[test]
#[ignore = "needs ladspa-sdk: run by .ci/run"]
fn cmts_track_peak_runs_with_no_output_buffers() {
    let path = std::path::Path::new("/usr/lib/ladspa/cmt.so");
    assert!(path.is_file(), "{} is missing: install cmt", path.display());
    // SAFETY: Debian's plugins are trusted code.
    let plugin = unsafe { ladspa_host::Plugin::load(path) }.unwrap();
    let track_peak = plugin.find_label("track_peak").unwrap();
    assert_eq!(track_peak.audio_output_count(), 0);
    let mut handle = track_peak.instantiate(48_000).unwrap();
    handle.set_control("Smoothing Factor", 0.0).unwrap();
    let mut handle = handle.activate();
    let input = vec![0.5_f32; 4800];
    handle.run(4800, &[&input], &mut []).unwrap();
    let envelope = handle.control("Output").unwrap();
    assert!((0.4..=0.5).contains(&envelope), "envelope {envelope}");
}
