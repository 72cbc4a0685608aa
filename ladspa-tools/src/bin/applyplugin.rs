//! `applyplugin` of the LADSPA SDK, on this crate: runs a 16-bit PCM WAV file through a chain of
//! plugins into a new WAV file. Same arguments, same standard output (the peak line) and exit
//! status, and the same output file byte for byte as the SDK's tool; clearer messages on
//! standard error, and a progress display there when it is a terminal.
//!
//! ```text
//! LADSPA_PATH=/usr/lib/ladspa cargo run -p ladspa-tools --bin applyplugin -- \
//!     in.wav out.wav amp amp_mono 0.5 delay delay_5s 0.25 0.5
//! ```
//!
//! Every plugin runs as in the SDK: in place on one set of buffers, as many as the widest plugin
//! of the chain has audio inputs or outputs, its audio input k and audio output k on buffer k
//! ([`ladspa::Handle::run_in_place`]), in blocks of 2048 frames.
//!
//! `hound` reads the input's header; unlike the SDK (which reads whatever libsndfile reads),
//! only 16-bit PCM WAV input is accepted. The samples are read, converted and written here, in
//! blocks (libsndfile's 44-byte WAV header, the SDK's rounding and clipping), which costs well
//! under a nanosecond a sample; two threads read and write the files meanwhile.

use std::ffi::{CString, c_char};
use std::io::{BufReader, IsTerminal, Read, Seek, SeekFrom, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use ladspa::catalog::{FileOutcome, Scanner};
use ladspa::discovery::SearchPath;
use ladspa::{ActiveHandle, Descriptor, Properties};
use ladspa_tools::c_format::c_g;

/// Frames per run: the SDK's block, so that plugins whose output depends on block boundaries
/// give the same output as under the SDK.
const BLOCK: usize = 2048;

/// Blocks read or written a system call: large reads and writes straight between the files and
/// the tool's own byte buffers, with no copy through a `BufReader` or `BufWriter`.
const IO_BLOCKS: usize = 64;

/// The buffer of the reader that hound parses the header through: smaller than a read of
/// [`IO_BLOCKS`] blocks, so that those bypass it.
const HEADER_BUFFER: usize = 16 << 10;

const USAGE: &str = "Usage:\tapplyplugin [flags] <input audio file> <output audio file>
\t<LADSPA plugin file name> <plugin label> <Control1> <Control2>...
\t[<LADSPA plugin file name> <plugin label> <Control1> <Control2>...]...
Flags:\t-s<seconds>  Add seconds of silence after end of input file.

To find out what control values are needed by a plugin, use the
\"analyseplugin\" program and check for control input ports.
Note that the LADSPA_PATH environment variable is used to help find plugins.
";

/// A failure: what to say on standard error. The exit status is 1, as for every SDK error.
type Failure = String;

/// One plugin of the chain, as given on the command line.
struct Stage {
    descriptor: Descriptor,
    controls: Vec<f32>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--help") {
        print!("Runs a 16-bit WAV file through a chain of LADSPA plugins.\n\n{USAGE}");
        return ExitCode::SUCCESS;
    }
    match run(&args) {
        Ok(status) => status,
        Err(message) => {
            eprintln!("applyplugin: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, Failure> {
    // `-s<seconds>` or `-s <seconds>`, first only; like the SDK, a malformed number is what
    // its longest number-like prefix says, or 0.
    let (seconds, rest) = match args {
        [flag, seconds, rest @ ..] if flag == "-s" => (strtod(seconds).0, rest),
        [flag, rest @ ..] if flag.starts_with("-s") && !rest.is_empty() => {
            (strtod(&flag[2..]).0, rest)
        }
        _ => (0.0, args),
    };
    let seconds = seconds as f32;
    if rest.len() < 4 {
        eprint!("{USAGE}");
        return Ok(ExitCode::FAILURE);
    }
    let (input, output, mut rest) = (&rest[0], &rest[1], &rest[2..]);
    if seconds.is_nan() || seconds < 0.0 {
        return Err(format!(
            "-s{seconds}: the seconds of silence must be 0 or more"
        ));
    }

    let search_path =
        std::env::var_os("LADSPA_PATH").map_or_else(SearchPath::default, |v| SearchPath::parse(&v));
    let mut chain = Vec::new();
    // Plugins and their controls, as the SDK reads them: a trailing lone argument is a usage
    // error, found only after the chain before it has run.
    let mut usage_error = false;
    while !rest.is_empty() {
        let [file, label, controls @ ..] = rest else {
            usage_error = true;
            break;
        };
        let descriptor = find(&search_path, file, label)?;
        if descriptor.properties().contains(Properties::INPLACE_BROKEN) {
            return Err(format!(
                "{label} ({file}) is INPLACE_BROKEN, and this program, like the SDK's, \
                 runs every plugin in place"
            ));
        }
        let names: Vec<String> = descriptor
            .ports()
            .filter(|p| p.is_control() && p.is_input())
            .map(|p| p.name().to_string())
            .collect();
        let values: Option<Vec<f32>> = controls.get(..names.len()).and_then(|given| {
            given
                .iter()
                .map(|text| match strtod(text) {
                    (value, true) => Some(value as f32),
                    (_, false) => None,
                })
                .collect()
        });
        let Some(controls) = values else {
            // The SDK lists the controls and stops, successfully.
            match controls
                .iter()
                .zip(&names)
                .find(|(text, _)| !strtod(text).1)
            {
                Some((text, name)) => eprintln!(
                    "applyplugin: {label} ({file}): the value `{text}` for \"{name}\" is not a number"
                ),
                None => eprintln!(
                    "applyplugin: {label} ({file}) takes {} control value(s), {} given",
                    names.len(),
                    controls.len()
                ),
            }
            eprintln!("{}", control_list(&descriptor));
            return Ok(ExitCode::SUCCESS);
        };
        rest = &rest[2 + names.len()..];
        chain.push(Stage {
            descriptor,
            controls,
        });
    }

    process(input, output, seconds, &chain)?;
    if usage_error {
        eprint!("{USAGE}");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs the input file through the chain into the output file, and prints the peak.
/// Finds the plugin type `label` of the plugin file `file` through the catalog (a worker process
/// reads the file, or the cache knows it), then loads it here. A file that crashes or hangs
/// while it loads is reported as such instead of ending this program.
fn find(search_path: &SearchPath, file: &str, label: &str) -> Result<Descriptor, Failure> {
    let path = search_path.resolve(file).map_err(|e| e.to_string())?;
    let catalog = Scanner::new()
        .scan_files([path])
        .map_err(|e| e.to_string())?;
    let record = &catalog.files()[0];
    match record.outcome() {
        FileOutcome::Loaded { .. } => {}
        FileOutcome::Refused(error) => return Err(error.to_string()),
        FileOutcome::Failed(failure) => {
            return Err(format!("{}: {failure}", record.path().display()));
        }
        other => return Err(format!("{}: {other:?}", record.path().display())),
    }
    let found = record.find_label(label).map_err(|e| e.to_string())?;
    // SAFETY: loading runs the plugin file's code; the user asked for this file, and a worker
    // has just loaded it without harm.
    unsafe { found.load() }.map_err(|e| e.to_string())
}

fn process(input: &str, output: &str, seconds: f32, chain: &[Stage]) -> Result<(), Failure> {
    let (first, last) = (&chain[0].descriptor, &chain[chain.len() - 1].descriptor);
    let out_channels = last.audio_output_count();
    if out_channels == 0 {
        return Err(format!(
            "the last plugin, {}, has no audio outputs",
            last.label()
        ));
    }
    let file = std::fs::File::open(input);
    let reader = file
        .map_err(hound::Error::from)
        .and_then(|file| hound::WavReader::new(BufReader::with_capacity(HEADER_BUFFER, file)))
        .map_err(|e| format!("cannot open input file \"{input}\": {e}"))?;
    let spec = reader.spec();
    if (spec.sample_format, spec.bits_per_sample) != (hound::SampleFormat::Int, 16) {
        return Err(format!(
            "input file \"{input}\" holds {}-bit {:?} samples; only 16-bit PCM WAV is supported",
            spec.bits_per_sample, spec.sample_format
        ));
    }
    let in_channels = usize::from(spec.channels);
    if in_channels != first.audio_input_count() {
        return Err(format!(
            "input file \"{input}\" has {in_channels} channel(s), but the first plugin, {}, \
             has {} audio input(s)",
            first.label(),
            first.audio_input_count()
        ));
    }
    for pair in chain.windows(2) {
        let (a, b) = (&pair[0].descriptor, &pair[1].descriptor);
        if a.audio_output_count() != b.audio_input_count() {
            return Err(format!(
                "{} has {} audio output(s), but the next plugin, {}, has {} audio input(s)",
                a.label(),
                a.audio_output_count(),
                b.label(),
                b.audio_input_count()
            ));
        }
    }
    // The SDK writes a file only of a type it knows by the name's last `.` suffix.
    let suffix = output.rsplit_once('.').map(|(_, suffix)| suffix);
    if !suffix.is_some_and(|s| s.eq_ignore_ascii_case("wav")) {
        return Err(format!(
            "cannot write \"{output}\": only .wav output files are supported"
        ));
    }
    let rate = spec.sample_rate;
    let mut writer = Output::create(output, out_channels, rate)
        .map_err(|e| format!("cannot create output file \"{output}\": {e}"))?;

    let mut handles = Vec::with_capacity(chain.len());
    for stage in chain {
        let mut handle = stage
            .descriptor
            .instantiate(rate)
            .map_err(|e| e.to_string())?;
        let ports = stage
            .descriptor
            .ports()
            .filter(|p| p.is_control() && p.is_input());
        for (port, &value) in ports.zip(&stage.controls) {
            handle
                .set_control(port.index(), value)
                .map_err(|e| e.to_string())?;
        }
        handles.push(handle);
    }
    // Activated together, after every instance is made, as the SDK does.
    let mut handles: Vec<(ActiveHandle, usize)> = handles
        .into_iter()
        .map(|handle| {
            let d = handle.descriptor();
            let width = d.audio_input_count().max(d.audio_output_count());
            (handle.activate(), width)
        })
        .collect();

    // The SDK's buffers: as many as the widest plugin of the chain has audio inputs or
    // outputs, each plugin's audio input k and audio output k on buffer k. The input file
    // fills the first ones; the last plugin's outputs are the first ones too. A buffer past a
    // plugin's ports keeps what earlier plugins left in it, from block to block, as in the SDK.
    let width = handles.iter().map(|&(_, width)| width).max().unwrap_or(0);
    let mut buffers = vec![vec![0.0_f32; BLOCK]; width];
    let silence = (seconds * rate as f32) as u64;
    let mut progress = Progress::new(u64::from(reader.duration()) + silence);
    let mut input_data = Input::new(reader, in_channels);
    // `None` while the input lasts, then the frames of silence still to write.
    let mut tail: Option<u64> = None;
    while tail != Some(0) {
        let frames = match tail {
            None => {
                // A short read ends the input; its frames (maybe 0) still run, as in the SDK.
                let frames = input_data
                    .read_block(&mut buffers[..in_channels])
                    .map_err(|e| format!("cannot read input file \"{input}\": {e}"))?;
                if frames < BLOCK {
                    tail = Some(silence);
                }
                frames
            }
            Some(left) => {
                // The SDK clears every buffer, whole, for each block of silence.
                buffers.iter_mut().for_each(|b| b.fill(0.0));
                let frames = left.min(BLOCK as u64);
                tail = Some(left - frames);
                frames as usize
            }
        };
        for (handle, width) in &mut handles {
            handle
                .run_in_place(frames, &mut buffers[..*width])
                .map_err(|e| e.to_string())?;
        }
        writer
            .write_block(&buffers[..out_channels], frames)
            .map_err(|e| format!("cannot write output file \"{output}\": {e}"))?;
        progress.advance(frames as u64);
    }
    drop(handles);
    progress.finish();
    let peak = writer
        .finish()
        .map_err(|e| format!("cannot write output file \"{output}\": {e}"))?;
    println!("Peak output: {}", c_g(f64::from(peak)));
    Ok(())
}

/// The input's samples: hound parses the header and checks the format, then the PCM data, which
/// needs no more parsing, is read [`IO_BLOCKS`] blocks at a time by a thread of its own (so that
/// the read system calls overlap the work on the blocks before) and converted here a block at a
/// time (reading sample by sample through `hound` would cost more than the SDK's whole run).
struct Input {
    /// The chunk being converted, of which `start..end` is left.
    bytes: Vec<u8>,
    start: usize,
    end: usize,
    frame_bytes: usize,
    /// Chunks read (whole blocks but for the last, which ends the data), and read errors; the
    /// channel closes after the last.
    full: std::sync::mpsc::Receiver<std::io::Result<(Vec<u8>, usize)>>,
    /// Converted chunks on their way back to the reading thread.
    empty: std::sync::mpsc::Sender<Vec<u8>>,
}

impl Input {
    fn new<R: Read + Send + 'static>(reader: hound::WavReader<R>, channels: usize) -> Self {
        let length = u64::from(reader.len()) * 2;
        let mut data = reader.into_inner().take(length);
        let chunk = IO_BLOCKS * BLOCK * 2 * channels;
        // Two chunks read ahead at most.
        let (read, full) = std::sync::mpsc::sync_channel(2);
        let (empty, recycled) = std::sync::mpsc::channel::<Vec<u8>>();
        std::thread::spawn(move || {
            loop {
                let mut bytes = recycled.try_recv().unwrap_or_else(|_| vec![0; chunk]);
                let mut filled = 0;
                while filled < chunk {
                    match data.read(&mut bytes[filled..]) {
                        Ok(0) => break,
                        Ok(n) => filled += n,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => {
                            let _ = read.send(Err(e));
                            return;
                        }
                    }
                }
                // The converting thread stops taking chunks only when it ends.
                if filled == 0 || read.send(Ok((bytes, filled))).is_err() || filled < chunk {
                    return;
                }
            }
        });
        Self {
            bytes: Vec::new(),
            start: 0,
            end: 0,
            frame_bytes: 2 * channels,
            full,
            empty,
        }
    }

    /// Reads up to a block of frames into the channel buffers (their first samples; the rest
    /// keep what they held); returns how many frames were read, fewer than a block only at the
    /// end of the data, as libsndfile's `sf_readf_float`.
    fn read_block(&mut self, channels: &mut [Vec<f32>]) -> std::io::Result<usize> {
        if self.start == self.end {
            // The chunk is used up (chunks hold whole blocks but for the last): the next one,
            // or none at the end of the data.
            let next = match self.full.recv() {
                Ok(chunk) => chunk?,
                Err(_) => (Vec::new(), 0),
            };
            let used = std::mem::replace(&mut self.bytes, next.0);
            if !used.is_empty() {
                let _ = self.empty.send(used);
            }
            (self.start, self.end) = (0, next.1);
        }
        let block = BLOCK * self.frame_bytes;
        let frames = (self.end - self.start).min(block) / self.frame_bytes;
        let taken = self.start..self.start + frames * self.frame_bytes;
        // A partial frame at the very end is dropped, as libsndfile drops it.
        self.start = if frames == 0 { self.end } else { taken.end };
        deinterleave(&self.bytes[taken], channels);
        Ok(frames)
    }
}

/// libsndfile's reading of 16-bit samples as floats: divided by 2¹⁵ (a power of two, so the
/// product by its inverse is the same number).
const FROM_I16: f32 = 1.0 / 32768.0;

/// Converts 16-bit little-endian frames (`bytes`, whole frames of `channels.len()` samples)
/// into the first samples of the channel buffers.
fn deinterleave(bytes: &[u8], channels: &mut [Vec<f32>]) {
    let sample = |bytes: &[u8]| f32::from(i16::from_le_bytes([bytes[0], bytes[1]])) * FROM_I16;
    if let [mono] = channels {
        // One straight loop, which the compiler vectorises.
        for (to, from) in mono.iter_mut().zip(bytes.chunks_exact(2)) {
            *to = sample(from);
        }
        return;
    }
    if let [left, right] = channels {
        let frames = left.iter_mut().zip(right.iter_mut());
        for ((left, right), from) in frames.zip(bytes.chunks_exact(4)) {
            (*left, *right) = (sample(&from[..2]), sample(&from[2..]));
        }
        return;
    }
    let count = channels.len();
    for (k, buffer) in channels.iter_mut().enumerate() {
        let samples = bytes[2 * k..].chunks_exact(2).step_by(count);
        for (to, from) in buffer.iter_mut().zip(samples) {
            *to = sample(from);
        }
    }
}

/// The output file: the WAV header libsndfile writes for 16-bit PCM (the canonical 44 bytes,
/// whatever the number of channels), then the samples, converted as the SDK converts them into
/// buffers of [`IO_BLOCKS`] blocks. A thread of its own writes the full buffers, so that the
/// system calls that copy them into the file overlap the next blocks' work.
struct Output {
    /// `None` once the writing thread has been joined.
    writer: Option<Writer>,
    channels: usize,
    rate: u32,
    bytes: Vec<u8>,
    filled: usize,
    frames: u64,
    peak: f32,
}

/// The writing thread, the full buffers on their way to it (with how many of their bytes to
/// write), and the written ones on their way back.
struct Writer {
    thread: std::thread::JoinHandle<std::io::Result<std::fs::File>>,
    full: std::sync::mpsc::SyncSender<(Vec<u8>, usize)>,
    empty: std::sync::mpsc::Receiver<Vec<u8>>,
}

impl Writer {
    fn start(mut file: std::fs::File) -> Self {
        // Two buffers queued at most: a slow disk holds the converting thread back.
        let (full, to_write) = std::sync::mpsc::sync_channel::<(Vec<u8>, usize)>(2);
        let (written, empty) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            for (bytes, len) in to_write {
                file.write_all(&bytes[..len])?;
                // The converting thread may have finished and stopped taking buffers back.
                let _ = written.send(bytes);
            }
            Ok(file)
        });
        Self {
            thread,
            full,
            empty,
        }
    }

    /// The writing thread's file, when all went well, or its error.
    fn join(self) -> std::io::Result<std::fs::File> {
        drop(self.full);
        self.thread
            .join()
            .expect("the writing thread does not panic")
    }
}

impl Output {
    fn create(path: &str, channels: usize, rate: u32) -> std::io::Result<Self> {
        let mut output = Self {
            writer: None,
            channels,
            rate,
            bytes: Self::buffer(channels),
            filled: 0,
            frames: 0,
            peak: 0.0,
        };
        let mut file = std::fs::File::create(path)?;
        // Sizes of 0 for now, as libsndfile writes them first; `finish` fills them in.
        file.write_all(&output.header())?;
        output.writer = Some(Writer::start(file));
        Ok(output)
    }

    fn buffer(channels: usize) -> Vec<u8> {
        vec![0; IO_BLOCKS * BLOCK * 2 * channels]
    }

    /// The header for the frames written so far.
    fn header(&self) -> [u8; 44] {
        let block_align = 2 * self.channels as u32;
        let data = (self.frames * u64::from(block_align)) as u32;
        let mut header = [0; 44];
        let fields: [&[u8]; 12] = [
            b"RIFF",
            &(data.wrapping_add(36)).to_le_bytes(),
            b"WAVEfmt ",
            &16_u32.to_le_bytes(),
            &1_u16.to_le_bytes(), // PCM
            &(self.channels as u16).to_le_bytes(),
            &self.rate.to_le_bytes(),
            &(self.rate.wrapping_mul(block_align)).to_le_bytes(),
            &(block_align as u16).to_le_bytes(),
            &16_u16.to_le_bytes(), // bits per sample
            b"data",
            &data.to_le_bytes(),
        ];
        let mut at = 0;
        for field in fields {
            header[at..at + field.len()].copy_from_slice(field);
            at += field.len();
        }
        header
    }

    /// Converts the first `frames` samples of each channel buffer, and updates the peak.
    fn write_block(&mut self, channels: &[Vec<f32>], frames: usize) -> std::io::Result<()> {
        let size = frames * 2 * channels.len();
        if self.filled + size > self.bytes.len() && !self.hand_over() {
            // The writing thread stopped: its error says why.
            return Err(self.writer_error());
        }
        let bytes = &mut self.bytes[self.filled..self.filled + size];
        self.peak = convert_out(channels, frames, bytes, self.peak);
        self.filled += size;
        self.frames += frames as u64;
        Ok(())
    }

    /// Hands the full buffer to the writing thread and takes an empty one; false when that
    /// thread has stopped (on an error).
    fn hand_over(&mut self) -> bool {
        let Some(writer) = &self.writer else {
            return false;
        };
        let empty = writer
            .empty
            .try_recv()
            .unwrap_or_else(|_| Self::buffer(self.channels));
        let full = std::mem::replace(&mut self.bytes, empty);
        let sent = writer.full.send((full, self.filled)).is_ok();
        self.filled = 0;
        sent
    }

    /// Why the writing thread stopped.
    #[cold]
    fn writer_error(&mut self) -> std::io::Error {
        match self.writer.take().map(Writer::join) {
            Some(Err(error)) => error,
            _ => std::io::Error::other("the writing thread stopped"),
        }
    }

    /// Writes what is left and the header's final sizes; returns the peak of the samples.
    fn finish(mut self) -> std::io::Result<f32> {
        if self.filled > 0 && !self.hand_over() {
            return Err(self.writer_error());
        }
        let header = self.header();
        let writer = self.writer.take();
        let mut file = writer.map_or_else(|| Err(self.writer_error()), Writer::join)?;
        file.seek(SeekFrom::Start(0))?;
        file.write_all(&header)?;
        Ok(self.peak)
    }
}

/// Converts the first `frames` samples of each channel buffer into interleaved 16-bit
/// little-endian frames (`bytes`), and returns the largest of `peak` and their absolute values.
/// With AVX2 (checked once, at run time) where the CPU has it: eight samples an instruction,
/// and the rounding in one (SSE4.1's `roundps`); else with the x86-64 baseline's four.
fn convert_out(channels: &[Vec<f32>], frames: usize, bytes: &mut [u8], peak: f32) -> f32 {
    #[cfg(target_arch = "x86_64")]
    {
        static AVX2: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        if *AVX2.get_or_init(|| std::arch::is_x86_feature_detected!("avx2")) {
            // SAFETY: the CPU has AVX2 (and so SSE4.1), just checked.
            return unsafe { convert_out_avx2(channels, frames, bytes, peak) };
        }
    }
    convert_out_with(channels, frames, bytes, peak)
}

/// [`convert_out`] compiled for AVX2.
///
/// # Safety
/// The CPU must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn convert_out_avx2(
    channels: &[Vec<f32>],
    frames: usize,
    bytes: &mut [u8],
    peak: f32,
) -> f32 {
    convert_out_with(channels, frames, bytes, peak)
}

/// The body of [`convert_out`], inlined into each variant so that each is compiled for its
/// instruction set. The channels are converted a block at a time into contiguous arrays, then
/// stored at their places in the frames (mono and stereo with loops of their own, which the
/// compiler vectorises).
#[inline(always)]
fn convert_out_with(channels: &[Vec<f32>], frames: usize, bytes: &mut [u8], peak: f32) -> f32 {
    let mut lanes = [peak; 8];
    let stride = 2 * channels.len();
    let mut first = [0_u16; BLOCK];
    let mut second = [0_u16; BLOCK];
    for start in (0..frames).step_by(BLOCK) {
        let len = (frames - start).min(BLOCK);
        let bytes = &mut bytes[start * stride..(start + len) * stride];
        let (first, second) = (&mut first[..len], &mut second[..len]);
        let samples = |k: usize| &channels[k][start..start + len];
        match channels.len() {
            1 => {
                convert_samples(samples(0), first, &mut lanes);
                for (to, &sample) in bytes.chunks_exact_mut(2).zip(&*first) {
                    to.copy_from_slice(&sample.to_le_bytes());
                }
            }
            2 => {
                convert_samples(samples(0), first, &mut lanes);
                convert_samples(samples(1), second, &mut lanes);
                let pairs = first.iter().zip(&*second);
                for (to, (&left, &right)) in bytes.chunks_exact_mut(4).zip(pairs) {
                    to[..2].copy_from_slice(&left.to_le_bytes());
                    to[2..].copy_from_slice(&right.to_le_bytes());
                }
            }
            _ => {
                for k in 0..channels.len() {
                    convert_samples(samples(k), first, &mut lanes);
                    for (to, &sample) in bytes[2 * k..].chunks_mut(stride).zip(&*first) {
                        to[..2].copy_from_slice(&sample.to_le_bytes());
                    }
                }
            }
        }
    }
    lanes.into_iter().fold(peak, larger)
}

/// The SDK's comparison (`>`): NaN never becomes the peak.
#[inline(always)]
fn larger(a: f32, b: f32) -> f32 {
    if b > a { b } else { a }
}

/// Converts `samples` into `to` (as long), and keeps the largest absolute value in `lanes`:
/// eight samples at a time (a scalar running maximum does not vectorise).
#[inline(always)]
fn convert_samples(samples: &[f32], to: &mut [u16], lanes: &mut [f32; 8]) {
    let whole = samples.chunks_exact(8);
    let rest = whole.remainder();
    let mut slots = to.chunks_exact_mut(8);
    for (to, from) in (&mut slots).zip(whole) {
        for i in 0..8 {
            lanes[i] = larger(lanes[i], from[i].abs());
            to[i] = to_i16(from[i]) as u16;
        }
    }
    for (to, &from) in slots.into_remainder().iter_mut().zip(rest) {
        lanes[0] = larger(lanes[0], from.abs());
        *to = to_i16(from) as u16;
    }
}

/// The SDK's conversion of a sample: scaled to 32 bits, clipped to ±2³¹, rounded to nearest
/// even (`llrintf`), stored in an `int32_t`, then cut to the top 16 bits (libsndfile). A
/// positive overload becomes 2³¹, which does not fit an `int32_t` and wraps to the most
/// negative value: the SDK writes -32768 for it, and so does this, for a byte-identical file.
/// NaN becomes 0 (`llrintf` gives the 64-bit minimum, whose low 32 bits are 0). Branch-free,
/// so that the compiler vectorises the loops around it.
#[inline(always)]
fn to_i16(value: f32) -> i16 {
    const FULL: f32 = 2_147_483_648.0;
    let scaled = value * FULL;
    // Below -2³¹: -2³¹. NaN, and overloads (replaced below): 0.
    let clipped = if scaled > -FULL && scaled < FULL {
        scaled
    } else if scaled <= -FULL {
        -FULL
    } else {
        0.0
    };
    let rounded = round_ties_even(clipped);
    // SAFETY: `rounded` is an integer (rounded, or a float of 2²³ or more, which has no
    // fraction) from -2³¹ to below 2³¹ (the largest float below 2³¹ is 2³¹ - 128, an integer
    // already), so it fits an `i32` exactly. The unchecked conversion is what lets the
    // compiler convert eight samples at once (the checked one is scalar).
    let top = (unsafe { rounded.to_int_unchecked::<i32>() } >> 16) as i16;
    if scaled >= FULL { i16::MIN } else { top }
}

/// `f32::round_ties_even` without the call to `rintf` it compiles to on CPUs without SSE4.1:
/// below 2²³, adding 2²³ leaves no fraction bits, so the addition rounds (to nearest even);
/// from 2²³ on, a float is an integer already.
#[inline(always)]
fn round_ties_even(x: f32) -> f32 {
    const NO_FRACTION: f32 = 8_388_608.0;
    let shift = NO_FRACTION.copysign(x);
    let rounded = (x + shift) - shift;
    if x.abs() < NO_FRACTION { rounded } else { x }
}

/// Progress on standard error for long runs, when it is a terminal.
struct Progress {
    total: u64,
    done: u64,
    shown: Option<Instant>,
}

impl Progress {
    fn new(total: u64) -> Self {
        let shown = std::io::stderr().is_terminal().then(Instant::now);
        Self {
            total,
            done: 0,
            shown,
        }
    }

    fn advance(&mut self, frames: u64) {
        self.done += frames;
        let Some(shown) = self.shown else { return };
        if shown.elapsed() >= Duration::from_millis(250) {
            let percent = self.done as f64 * 100.0 / self.total.max(1) as f64;
            eprint!(
                "\rapplyplugin: {percent:5.1}% ({} of {} frames)",
                self.done, self.total
            );
            let _ = std::io::stderr().flush();
            self.shown = Some(Instant::now());
        }
    }

    fn finish(&self) {
        if self.shown.is_some() {
            eprint!("\r\x1b[K");
        }
    }
}

/// The control inputs of a plugin and their ranges, as the SDK lists them.
fn control_list(d: &Descriptor) -> String {
    let mut text = format!("Plugin \"{}\" has the following control inputs:", d.name());
    let controls = d.ports().filter(|p| p.is_control() && p.is_input());
    let mut any = false;
    for port in controls {
        any = true;
        let hint = port.hint();
        let bound = |b: Option<f32>| match b {
            Some(b) if hint.is_sample_rate() && b != 0.0 => {
                format!("{} * sample rate", c_g(b.into()))
            }
            Some(b) => c_g(b.into()),
            None => "...".to_owned(),
        };
        text += &format!("\n\t{}", port.name());
        if hint.lower_bound().is_some() || hint.upper_bound().is_some() {
            text += &format!(
                " ({} to {})",
                bound(hint.lower_bound()),
                bound(hint.upper_bound())
            );
        }
    }
    if !any {
        text += "\n\tnone";
    }
    text
}

/// C's `strtod`, which the SDK parses numbers with: the value, and whether the whole text was
/// the number (the SDK takes leading blanks, hexadecimal, `inf`, `nan(...)`, and the empty
/// string as 0).
fn strtod(text: &str) -> (f64, bool) {
    unsafe extern "C" {
        fn strtod(text: *const c_char, end: *mut *mut c_char) -> f64;
    }
    let Ok(c_text) = CString::new(text) else {
        return (0.0, false);
    };
    let mut end = std::ptr::null_mut();
    // SAFETY: `c_text` is a NUL-terminated string that outlives the call, and `end` a valid
    // place for strtod to store a pointer into it.
    let value = unsafe { strtod(c_text.as_ptr(), &mut end) };
    // SAFETY: strtod sets `end` within `c_text` (at most at its NUL).
    let used = unsafe { end.offset_from(c_text.as_ptr()) };
    (value, used as usize == text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SDK's conversion, written as its C reads: clip to ±2³¹, `llrintf`, keep the low 32
    /// bits (an `int32_t`), then libsndfile's top 16.
    fn sdk_to_i16(value: f32) -> i16 {
        const FULL: f32 = 2_147_483_648.0;
        let scaled = value * FULL;
        // (`fValue >= fMaximum`, `fValue <= fMinimum`: the same as a clamp; NaN stays.)
        let clipped = scaled.clamp(-FULL, FULL);
        // llrintf of NaN is the 64-bit minimum: low 32 bits 0.
        let rounded = if clipped.is_nan() {
            i64::MIN
        } else {
            clipped.round_ties_even() as i64
        };
        ((rounded as i32) >> 16) as i16
    }

    /// Samples that probe every branch: specials, clipping, both rounding regimes, and values
    /// a hair each side of the points where rounding carries into the top 16 bits.
    fn probes() -> Vec<f32> {
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.999_999_94,
            -0.999_999_94,
            2.0,
            -2.0,
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::MAX,
            f32::MIN,
            f32::MIN_POSITIVE,
            1.0 / 256.0,
            -1.0 / 256.0,
        ];
        for k in -40_000..40_000 {
            let at = k as f32 / 32_768.0;
            for ulps in -3_i32..=3 {
                values.push(f32::from_bits((at.to_bits() as i32 + ulps) as u32));
            }
            // Half a unit of 2⁻³¹ below each step: a tie of the rounding.
            values.push(at - 0.5 / 2_147_483_648.0);
        }
        let mut state = 1_u64;
        for _ in 0..100_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            values.push(f32::from_bits((state >> 32) as u32));
        }
        values
    }

    #[test]
    fn samples_convert_as_the_sdk_converts_them() {
        for value in probes() {
            assert_eq!(
                to_i16(value),
                sdk_to_i16(value),
                "{value:e} ({:#x})",
                value.to_bits()
            );
        }
    }

    #[test]
    fn blocks_convert_and_keep_the_peak_as_the_sdk() {
        let values = probes();
        for channels in 1..=3 {
            let frames = (values.len() / channels).min(BLOCK);
            for start in (0..values.len() - frames * channels).step_by(7919) {
                let buffers: Vec<Vec<f32>> = (0..channels)
                    .map(|k| values[start + k * frames..][..frames].to_vec())
                    .collect();
                for frames in [frames, frames - 1, 5, 0] {
                    let mut bytes = vec![0; frames * 2 * channels];
                    let peak = convert_out(&buffers, frames, &mut bytes, 0.25);
                    // The baseline variant gives the same bytes and peak.
                    let mut baseline = vec![0; bytes.len()];
                    let baseline_peak = convert_out_with(&buffers, frames, &mut baseline, 0.25);
                    assert_eq!(
                        (&baseline, baseline_peak.to_bits()),
                        (&bytes, peak.to_bits())
                    );
                    let mut sdk_peak = 0.25_f32;
                    for frame in 0..frames {
                        for (k, buffer) in buffers.iter().enumerate() {
                            let value = buffer[frame];
                            if value.abs() > sdk_peak {
                                sdk_peak = value.abs();
                            }
                            let at = 2 * (frame * channels + k);
                            let sample = i16::from_le_bytes([bytes[at], bytes[at + 1]]);
                            assert_eq!(sample, sdk_to_i16(value), "{value:e}");
                        }
                    }
                    assert_eq!(peak.to_bits(), sdk_peak.to_bits(), "{channels} channels");
                }
            }
        }
    }

    #[test]
    fn samples_are_read_as_libsndfile_reads_them() {
        let frames: Vec<i16> = (i16::MIN..=i16::MAX).step_by(3).collect();
        let bytes: Vec<u8> = frames.iter().flat_map(|s| s.to_le_bytes()).collect();
        for channels in 1..=3 {
            let count = frames.len() / channels;
            let mut buffers = vec![vec![0.0_f32; count]; channels];
            deinterleave(&bytes[..count * channels * 2], &mut buffers);
            for (frame, samples) in frames.chunks_exact(channels).enumerate() {
                for (k, &sample) in samples.iter().enumerate() {
                    assert_eq!(buffers[k][frame], f32::from(sample) / 32_768.0);
                }
            }
        }
    }
}
