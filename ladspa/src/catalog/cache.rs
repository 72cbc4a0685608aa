//! The catalog's file on disk: where it lives, its versioned format, and how it is replaced
//! without ever being seen half-written.
//!
//! # Format
//!
//! A fixed 16-byte magic, the format version (4 bytes, little-endian), then an index and the
//! records it points to. The index (its length in 4 bytes and its checksum in 8, then one
//! [postcard](https://docs.rs/postcard) value) holds the version of this crate that wrote the
//! file and, for each plugin file, its path, the length of its record and the record's
//! checksum; the records follow, one postcard value each, in the index's order. Checksums are
//! 64-bit FNV-1a over words (any one damaged byte changes them). postcard is a compact binary
//! `serde` format with a stable, documented wire format (1.0), maintained by the embedded Rust
//! working group's members and used well beyond them; JSON took several times longer to parse
//! for the same records, and bincode's maintenance has stopped. The crate's version is part of
//! the key, so a library that validates differently never trusts an older library's findings.
//!
//! The index lets a lookup read only what it needs: naming one or two plugin files
//! (`applyplugin amp …`) reads the first 64 KiB and their records, not the whole megabyte
//! Debian's plugins take, which saved 1.5 ms of each lookup's start-up. A scan of many files
//! reads the whole file at once.
//!
//! A file that is missing is an empty cache. A file that is empty, truncated, corrupt, of
//! another format version or of another version of this crate is discarded (the reason is in
//! the [scan report](super::ScanReport)) and rewritten after the scan: never a panic, never an
//! error for the caller. A record is checked when it is read: a lookup trusts the records it
//! reads, whose checksums match, and learns of damage elsewhere when it reads there.
//!
//! # Concurrent scans
//!
//! The new cache is written to a temporary file in the same directory and renamed over the old
//! one, which is atomic: a reader sees the old cache or the new one, never a mix. Two scans
//! that finish together each write a whole, valid cache; the last rename wins.

use std::collections::HashMap;
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::port_record::share_while;
use super::record::FileRecord;
use super::serial;

/// The first bytes of every cache file.
const MAGIC: &[u8; 16] = b"ladspa-rs cache\n";
/// The version of the layout after the magic. Raised when the records change shape.
const FORMAT: u32 = 2;
/// The bytes before the index: the magic, the format version, the index's length and checksum.
const HEADER: usize = 16 + 4 + 4 + 8;
/// Read when the cache is opened: the header and the index of a few hundred plugin files
/// (Debian's 206 take 12 KiB), and the whole cache when it is small.
const FIRST_READ: usize = 64 << 10;

/// What follows the header.
#[derive(Serialize, Deserialize)]
struct Index {
    /// The version of this crate that wrote the file.
    library: String,
    entries: Vec<Entry>,
}

/// Where the index finds one plugin file's record.
#[derive(Serialize, Deserialize)]
struct Entry {
    #[serde(with = "crate::serde_path")]
    path: PathBuf,
    len: u64,
    checksum: u64,
}

/// Where the catalog is kept by default: `$XDG_CACHE_HOME/ladspa-rs/catalog.bin`, with
/// `~/.cache` when `XDG_CACHE_HOME` is unset, empty or relative (as the XDG specification
/// says); `None` when neither can be found.
pub fn default_location() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .filter(|home| home.is_absolute())
                .map(|home| home.join(".cache"))
        })?;
    Some(base.join("ladspa-rs").join("catalog.bin"))
}

/// An open cache file, whose index is read and checked; its records are read on demand.
pub(crate) struct CacheFile {
    file: File,
    /// Where each plugin file's record is.
    slots: HashMap<PathBuf, Slot>,
    /// Where the records start, and the file's length.
    records: std::ops::Range<u64>,
}

/// Where a record is in the file, and its checksum.
struct Slot {
    offset: u64,
    len: usize,
    checksum: u64,
}

/// Opens the cache at `path` and reads its index: `Ok(None)` when there is no cache, `Err`
/// with why it cannot be trusted.
pub(crate) fn open(path: &Path) -> Result<Option<CacheFile>, String> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(format!("cannot read it: {error}")),
    };
    let unreadable = |error: io::Error| format!("cannot read it: {error}");
    let size = file.metadata().map_err(unreadable)?.len();
    if size > serial::MAX_MESSAGE as u64 {
        // (Read whole by a scan of many files: no allocation without bound.)
        return Err(format!("it is larger than any catalog ({size} bytes)"));
    }
    let mut start = vec![0; FIRST_READ.min(usize::try_from(size).unwrap_or(FIRST_READ))];
    file.read_exact_at(&mut start, 0).map_err(unreadable)?;
    let Some(rest) = start.strip_prefix(MAGIC.as_slice()) else {
        return Err("it is not a catalog of this library (wrong magic)".to_owned());
    };
    let Some((format, rest)) = rest.split_first_chunk::<4>() else {
        return Err("it is truncated before its format version".to_owned());
    };
    let format = u32::from_le_bytes(*format);
    if format != FORMAT {
        return Err(format!("its format is version {format}, not {FORMAT}"));
    }
    let (Some((index_len, rest)), true) = (rest.split_first_chunk::<4>(), rest.len() >= 12) else {
        return Err("it is truncated before its index".to_owned());
    };
    let index_len = u32::from_le_bytes(*index_len) as usize;
    let stored = u64::from_le_bytes(*rest.split_first_chunk::<8>().expect("12 bytes are there").0);
    let index_end = (HEADER + index_len) as u64;
    if index_len > serial::MAX_MESSAGE || index_end > size {
        return Err("it is truncated in its index".to_owned());
    }
    if index_end > start.len() as u64 {
        let read = start.len();
        start.resize(index_end as usize, 0);
        file.read_exact_at(&mut start[read..], read as u64)
            .map_err(unreadable)?;
    }
    let index = &start[HEADER..index_end as usize];
    if stored != checksum(index) {
        return Err("it is damaged (its index's checksum does not match)".to_owned());
    }
    let index: Index = serial::decode(index).map_err(|error| format!("it is corrupt: {error}"))?;
    if index.library != env!("CARGO_PKG_VERSION") {
        return Err(format!(
            "it was written by version {} of this library, not {}",
            index.library,
            env!("CARGO_PKG_VERSION")
        ));
    }
    let mut slots = HashMap::with_capacity(index.entries.len());
    let mut offset = index_end;
    for entry in index.entries {
        let slot = Slot {
            offset,
            len: usize::try_from(entry.len).map_err(|_| "it is corrupt: a record too large")?,
            checksum: entry.checksum,
        };
        offset = offset.saturating_add(entry.len);
        slots.insert(entry.path, slot);
    }
    if offset != size {
        return Err(format!(
            "it is truncated or damaged: its index accounts for {offset} bytes, and it has {size}"
        ));
    }
    Ok(Some(CacheFile {
        file,
        slots,
        records: index_end..size,
    }))
}

impl CacheFile {
    /// The plugin files it has records of.
    pub(crate) fn paths(&self) -> impl Iterator<Item = &Path> {
        self.slots.keys().map(PathBuf::as_path)
    }

    /// The records it has of `paths`, read and checked: a few one by one, many in one read of
    /// every record. `Err` says why the cache cannot be trusted.
    pub(crate) fn records<'a>(
        &self,
        paths: impl IntoIterator<Item = &'a Path>,
    ) -> Result<Vec<FileRecord>, String> {
        let wanted: Vec<&Slot> = paths
            .into_iter()
            .filter_map(|p| self.slots.get(p))
            .collect();
        let unreadable = |error: io::Error| format!("cannot read it: {error}");
        if wanted.len() <= self.slots.len() / 4 {
            return wanted
                .into_iter()
                .map(|slot| {
                    let mut bytes = vec![0; slot.len];
                    self.file
                        .read_exact_at(&mut bytes, slot.offset)
                        .map_err(unreadable)?;
                    record(&Arc::new(bytes), 0..slot.len, slot.checksum)
                })
                .collect();
        }
        let len = usize::try_from(self.records.end - self.records.start).unwrap_or(usize::MAX);
        let mut bytes = vec![0; len];
        self.file
            .read_exact_at(&mut bytes, self.records.start)
            .map_err(unreadable)?;
        let bytes = Arc::new(bytes);
        wanted
            .into_iter()
            .map(|slot| {
                let start = (slot.offset - self.records.start) as usize;
                record(&bytes, start..start + slot.len, slot.checksum)
            })
            .collect()
    }
}

/// The record at `range` of `bytes`, checked against `checksum`. Its plugins' ports stay
/// encoded, as ranges of `bytes`, until asked for.
fn record(
    bytes: &Arc<Vec<u8>>,
    range: std::ops::Range<usize>,
    expected: u64,
) -> Result<FileRecord, String> {
    share_while(bytes, |all| {
        let bytes = &all[range];
        if checksum(bytes) != expected {
            return Err("it is damaged (a record's checksum does not match)".to_owned());
        }
        let record: FileRecord =
            serial::decode(bytes).map_err(|error| format!("it is corrupt: {error}"))?;
        Ok(record.fill_in())
    })
}

/// Writes `files` as the cache at `path`, creating its directory: to a temporary file first,
/// then renamed into place.
pub(crate) fn write(path: &Path, files: Vec<FileRecord>) -> io::Result<()> {
    let mut entries = Vec::with_capacity(files.len());
    let mut records = Vec::new();
    for file in &files {
        let record = serial::encode(file)?;
        entries.push(Entry {
            path: file.path.clone(),
            len: record.len() as u64,
            checksum: checksum(&record),
        });
        records.extend_from_slice(&record);
    }
    let index = serial::encode(&Index {
        library: env!("CARGO_PKG_VERSION").to_owned(),
        entries,
    })?;
    let index_len = u32::try_from(index.len()).map_err(io::Error::other)?;
    let mut bytes = Vec::with_capacity(HEADER + index.len() + records.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT.to_le_bytes());
    bytes.extend_from_slice(&index_len.to_le_bytes());
    bytes.extend_from_slice(&checksum(&index).to_le_bytes());
    bytes.extend_from_slice(&index);
    bytes.extend_from_slice(&records);

    let dir = path
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temporary = dir.join(format!(
        ".{name}.{}.{:x}.tmp",
        std::process::id(),
        unique_suffix()
    ));
    // No fsync: after a power loss a torn cache is discarded and rebuilt, which costs less
    // than waiting for the disk on every scan.
    std::fs::write(&temporary, &bytes)
        .and_then(|()| std::fs::rename(&temporary, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })
}

/// FNV-1a over 64-bit words, in four interleaved lanes (so that the multiplications overlap),
/// with the length and the last, zero-padded word mixed in at the end. Each step,
/// `(hash ^ word) × prime`, is a bijection of its lane for a given word, so two inputs of the
/// same length that differ in any one word never hash alike.
fn checksum(bytes: &[u8]) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let step = |hash: u64, word: &[u8]| {
        let mut padded = [0u8; 8];
        padded[..word.len()].copy_from_slice(word);
        (hash ^ u64::from_le_bytes(padded)).wrapping_mul(PRIME)
    };
    let mut lanes = [0xcbf2_9ce4_8422_2325_u64; 4];
    let mut blocks = bytes.chunks_exact(32);
    for block in blocks.by_ref() {
        for (lane, word) in lanes.iter_mut().zip(block.chunks_exact(8)) {
            *lane = step(*lane, word);
        }
    }
    let mut hash = blocks.remainder().chunks(8).fold(lanes[0], step);
    for word in [lanes[1], lanes[2], lanes[3], bytes.len() as u64] {
        hash = step(hash, &word.to_le_bytes());
    }
    hash
}

/// A number that differs between the threads of one process writing at the same moment.
fn unique_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    COUNTER.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::record::FileOutcome;

    fn records(n: usize) -> Vec<FileRecord> {
        (0..n)
            .map(|k| {
                let outcome = FileOutcome::Loaded {
                    plugins: Vec::new(),
                    rejected: Vec::new(),
                };
                FileRecord::new(PathBuf::from(format!("/plugins/p{k}.so")), None, outcome)
            })
            .collect()
    }

    #[test]
    fn a_lookup_reads_the_records_it_names_and_a_scan_all_of_them() {
        let dir = std::env::temp_dir().join(format!("ladspa-cache-lookup-{}", std::process::id()));
        let path = dir.join("catalog.bin");
        let written = records(12);
        write(&path, written.clone()).unwrap();
        let cache = open(&path).unwrap().expect("a cache");
        let mut paths: Vec<&Path> = cache.paths().collect();
        paths.sort();
        let mut expected: Vec<&Path> = written.iter().map(|r| r.path()).collect();
        expected.sort();
        assert_eq!(paths, expected);
        // A few, one by one; one the cache does not have is left out.
        let few = [written[3].path(), Path::new("/plugins/none.so")];
        assert_eq!(cache.records(few).unwrap(), vec![written[3].clone()]);
        // All, at once.
        let mut all = cache.records(written.iter().map(FileRecord::path)).unwrap();
        all.sort_by(|a, b| a.path().cmp(b.path()));
        let mut sorted = written.clone();
        sorted.sort_by(|a, b| a.path().cmp(b.path()));
        assert_eq!(all, sorted);
        // No cache: no records, no error.
        assert!(open(&dir.join("missing.bin")).unwrap().is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn damage_anywhere_is_a_reason_never_a_panic() {
        let dir = std::env::temp_dir().join(format!("ladspa-cache-damage-{}", std::process::id()));
        let path = dir.join("catalog.bin");
        let written = records(3);
        write(&path, written.clone()).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        // Every record read (whether one at a time or all at once), or the open refused.
        let read = |damaged: &[u8]| -> Result<(), String> {
            std::fs::write(&path, damaged).unwrap();
            let cache = open(&path)?.ok_or("no cache")?;
            for one in &written {
                cache.records([one.path()])?;
            }
            cache.records(written.iter().map(FileRecord::path))?;
            Ok(())
        };
        assert_eq!(read(&bytes), Ok(()));
        for length in 0..bytes.len() {
            assert!(read(&bytes[..length]).is_err(), "{length} bytes");
        }
        for at in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x5a;
            assert!(read(&flipped).is_err(), "byte {at} flipped");
        }
        let mut other_format = bytes.clone();
        other_format[16] ^= 0xff;
        std::fs::write(&path, &other_format).unwrap();
        assert!(open(&path).err().unwrap().contains("format"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
