//! The catalog's file on disk: where it lives, its versioned format, and how it is replaced
//! without ever being seen half-written.
//!
//! # Format
//!
//! A fixed 16-byte magic, the format version (4 bytes, little-endian), a checksum of the rest
//! (64-bit FNV-1a over words, little-endian: any one damaged byte changes it), then one
//! [postcard](https://docs.rs/postcard) value: the version of this crate that wrote it and the
//! file records. postcard is a compact binary `serde` format with a stable, documented wire
//! format (1.0), maintained by the embedded Rust working group's members and used well beyond
//! them; reading a few hundred kilobytes of it takes a fraction of a millisecond, which a warm
//! scan needs (JSON took several times longer to parse for the same records, and bincode's
//! maintenance has stopped). The crate's version is part of the key, so a library that
//! validates differently never trusts an older library's findings.
//!
//! A file that is missing is an empty cache. A file that is empty, truncated, corrupt, of
//! another format version or of another version of this crate is discarded (the reason is in
//! the [scan report](super::ScanReport)) and rewritten after the scan: never a panic, never an
//! error for the caller.
//!
//! # Concurrent scans
//!
//! The new cache is written to a temporary file in the same directory and renamed over the old
//! one, which is atomic: a reader sees the old cache or the new one, never a mix. Two scans
//! that finish together each write a whole, valid cache; the last rename wins.

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::port_record::share_while;
use super::record::FileRecord;
use super::serial;

/// The first bytes of every cache file.
const MAGIC: &[u8; 16] = b"ladspa-rs cache\n";
/// The version of the layout after the magic. Raised when the records change shape.
const FORMAT: u32 = 1;

/// What follows the header.
#[derive(Serialize, Deserialize)]
struct Contents {
    /// The version of this crate that wrote the file.
    library: String,
    files: Vec<FileRecord>,
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

/// Reads the cache at `path`: its records, or why they cannot be trusted. A missing file holds
/// no records.
pub(crate) fn read(path: &Path) -> Result<Vec<FileRecord>, String> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(format!("cannot read it: {error}")),
    };
    // The plugins' ports stay encoded, as ranges of this buffer, until asked for.
    share_while(&std::sync::Arc::new(bytes), decode)
}

fn decode(bytes: &[u8]) -> Result<Vec<FileRecord>, String> {
    let Some(rest) = bytes.strip_prefix(MAGIC.as_slice()) else {
        return Err("it is not a catalog of this library (wrong magic)".to_owned());
    };
    let Some((format, contents)) = rest.split_first_chunk::<4>() else {
        return Err("it is truncated before its format version".to_owned());
    };
    let format = u32::from_le_bytes(*format);
    if format != FORMAT {
        return Err(format!("its format is version {format}, not {FORMAT}"));
    }
    let Some((stored, contents)) = contents.split_first_chunk::<8>() else {
        return Err("it is truncated before its checksum".to_owned());
    };
    if u64::from_le_bytes(*stored) != checksum(contents) {
        return Err("it is damaged (its checksum does not match)".to_owned());
    }
    let contents: Contents =
        serial::decode(contents).map_err(|error| format!("it is corrupt: {error}"))?;
    if contents.library != env!("CARGO_PKG_VERSION") {
        return Err(format!(
            "it was written by version {} of this library, not {}",
            contents.library,
            env!("CARGO_PKG_VERSION")
        ));
    }
    Ok(contents
        .files
        .into_iter()
        .map(FileRecord::fill_in)
        .collect())
}

/// Writes `files` as the cache at `path`, creating its directory: to a temporary file first,
/// then renamed into place.
pub(crate) fn write(path: &Path, files: Vec<FileRecord>) -> io::Result<()> {
    let contents = Contents {
        library: env!("CARGO_PKG_VERSION").to_owned(),
        files,
    };
    let contents = serial::encode(&contents)?;
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&FORMAT.to_le_bytes());
    bytes.extend_from_slice(&checksum(&contents).to_le_bytes());
    bytes.extend_from_slice(&contents);

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

    #[test]
    fn a_written_cache_reads_back_and_damage_is_a_reason_never_a_panic() {
        let dir = std::env::temp_dir().join(format!("ladspa-cache-unit-{}", std::process::id()));
        let path = dir.join("catalog.bin");
        write(&path, Vec::new()).unwrap();
        assert_eq!(read(&path).unwrap(), Vec::new());
        let bytes = std::fs::read(&path).unwrap();
        for length in 0..bytes.len() {
            assert!(decode(&bytes[..length]).is_err(), "{length} bytes");
        }
        let mut other_format = bytes.clone();
        other_format[16] ^= 0xff;
        assert!(decode(&other_format).unwrap_err().contains("format"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
