//! Output files that replace their target only when they are complete: written to a file of
//! their own in the target's directory, which takes the target's place in one `rename` at the
//! end. Until then the old file stays as it was; a failed or interrupted job leaves no file.

use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::error::{AudioError, reason};

/// A file's identity: its device and inode, the same through every path, symbolic link or hard
/// link that reaches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileId {
    /// The device.
    pub device: u64,
    /// The inode.
    pub inode: u64,
}

impl FileId {
    /// The identity of an open file.
    pub fn of_file(file: &File) -> io::Result<Self> {
        Ok(Self::of(&file.metadata()?))
    }

    /// The identity of what `path` names (symbolic links followed), if it exists.
    pub fn of_path(path: &Path) -> Option<Self> {
        std::fs::metadata(path).ok().map(|m| Self::of(&m))
    }

    fn of(metadata: &std::fs::Metadata) -> Self {
        Self {
            device: metadata.dev(),
            inode: metadata.ino(),
        }
    }
}

/// Where an output goes, and how.
#[derive(Debug)]
pub struct OutputFile {
    file: File,
    how: How,
    sync: bool,
}

#[derive(Debug)]
enum How {
    /// Written where it is: standard output, a device, a FIFO (nothing to rename over).
    Direct,
    /// A file without a name (`O_TMPFILE`) in the target's directory: a crash leaves nothing;
    /// it gets a name at the end.
    Unnamed { target: PathBuf },
    /// A named temporary file in the target's directory (where `O_TMPFILE` is not supported),
    /// removed when the job does not finish.
    Named { temp: PathBuf, target: PathBuf },
}

impl OutputFile {
    /// Standard output, written directly.
    pub fn stdout() -> io::Result<Self> {
        let file = dup_stdout()?;
        Ok(Self {
            file,
            how: How::Direct,
            sync: false,
        })
    }

    /// An output for `path`, which is replaced only by [`OutputFile::commit`]. A symbolic link
    /// is followed (its target is replaced, the link stays); an existing FIFO or device is
    /// written directly. `inputs` are the files the job reads: an output that is one of them
    /// (by device and inode, through any path or link) is refused before anything is opened
    /// for writing ([`AudioError::OutputIsInput`]). With `sync`, the data reaches the disk
    /// before the rename (as `fsync` promises), and the rename before `commit` returns.
    pub fn create(path: &Path, inputs: &[FileId], sync: bool) -> Result<Self, AudioError> {
        let error = |source: io::Error| AudioError::Create {
            file: path.to_owned(),
            reason: reason(&source),
        };
        let target = follow_links(path).map_err(error)?;
        let existing = match std::fs::metadata(&target) {
            Ok(metadata) => Some(metadata),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(error(e)),
        };
        if let Some(metadata) = &existing {
            if inputs.contains(&FileId::of(metadata)) {
                return Err(AudioError::OutputIsInput {
                    file: path.to_owned(),
                });
            }
            let kind = metadata.file_type();
            if kind.is_dir() {
                return Err(error(io::Error::from(io::ErrorKind::IsADirectory)));
            }
            if kind.is_fifo() || kind.is_char_device() || kind.is_block_device() || kind.is_socket()
            {
                let file = OpenOptions::new()
                    .write(true)
                    .open(&target)
                    .map_err(error)?;
                return Ok(Self {
                    file,
                    how: How::Direct,
                    sync,
                });
            }
        }
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
            _ => PathBuf::from("."),
        };
        // The new file takes the old one's permissions, or the usual ones (umask applied).
        let mode = existing.as_ref().map(|m| m.permissions().mode() & 0o7777);
        let (file, how) = match open_unnamed(&dir) {
            Ok(file) => (
                file,
                How::Unnamed {
                    target: target.clone(),
                },
            ),
            Err(_) => {
                let (file, temp) = open_named(&dir, &target).map_err(error)?;
                (file, How::Named { temp, target })
            }
        };
        let output = Self { file, how, sync };
        if let Some(mode) = mode {
            output
                .file
                .set_permissions(std::fs::Permissions::from_mode(mode))
                .map_err(error)?;
        }
        Ok(output)
    }

    /// The file to write (and, unless [`direct`](Self::is_direct), to seek in).
    pub fn file(&mut self) -> &mut File {
        &mut self.file
    }

    /// Whether the output is written where it is (standard output, a FIFO, a device): it cannot
    /// be seeked in and is not replaced at the end.
    pub fn is_direct(&self) -> bool {
        matches!(self.how, How::Direct)
    }

    /// Puts the finished file in the target's place (one `rename`, so a reader sees the old
    /// file or the new one, never a part).
    pub fn commit(mut self) -> Result<(), AudioError> {
        let how = std::mem::replace(&mut self.how, How::Direct);
        let target = match &how {
            How::Direct => None,
            How::Unnamed { target } | How::Named { target, .. } => Some(target.clone()),
        };
        let error = |source: io::Error| AudioError::Write {
            file: target.clone().unwrap_or_else(|| PathBuf::from("-")),
            reason: reason(&source),
        };
        if self.sync {
            self.file.sync_all().map_err(error)?;
        }
        match how {
            How::Direct => return Ok(()),
            How::Unnamed { target } => {
                let dir = target.parent().unwrap_or(Path::new("."));
                let temp = link_unnamed(&self.file, dir, &target).map_err(error)?;
                if let Err(e) = std::fs::rename(&temp, &target) {
                    let _ = std::fs::remove_file(&temp);
                    return Err(error(e));
                }
            }
            How::Named { temp, target } => {
                if let Err(e) = std::fs::rename(&temp, &target) {
                    let _ = std::fs::remove_file(&temp);
                    return Err(error(e));
                }
            }
        }
        if self.sync {
            let dir = target.as_deref().and_then(Path::parent);
            let dir = dir
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            File::open(dir).and_then(|d| d.sync_all()).map_err(error)?;
        }
        Ok(())
    }
}

impl Drop for OutputFile {
    /// An output that was not committed leaves nothing behind: an unnamed file vanishes with
    /// its descriptor, a named one is removed.
    fn drop(&mut self) {
        if let How::Named { temp, .. } = &self.how {
            let _ = std::fs::remove_file(temp);
        }
    }
}

/// `path` with its symbolic links followed to the file they end at (which may not exist yet):
/// writing through a link replaces the link's target, as `cp` and shells do.
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_owned();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&path)?;
                path = match path.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(path),
        }
    }
    Err(io::Error::from_raw_os_error(libc::ELOOP))
}

/// A file without a name in `dir` (`O_TMPFILE`), where the file system has them.
fn open_unnamed(dir: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .mode(0o666)
        .custom_flags(libc::O_TMPFILE)
        .open(dir)
}

/// A name for a temporary file next to `target`, unused so far (with high probability; the
/// creation is exclusive anyway).
fn temp_name(dir: &Path, target: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mut name = OsString::from(".");
    name.push(target.file_name().unwrap_or("output".as_ref()));
    name.push(format!(
        ".{}-{}-{nanos:x}.part",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    dir.join(name)
}

fn open_named(dir: &Path, target: &Path) -> io::Result<(File, PathBuf)> {
    loop {
        let temp = temp_name(dir, target);
        match OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .mode(0o666)
            .open(&temp)
        {
            Ok(file) => return Ok((file, temp)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Gives the unnamed file a temporary name in `dir`, to be renamed over the target (`linkat`
/// cannot replace a file). Through `/proc/self/fd` (any user may), else `AT_EMPTY_PATH`
/// (which needs a capability).
fn link_unnamed(file: &File, dir: &Path, target: &Path) -> io::Result<PathBuf> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    loop {
        let temp = temp_name(dir, target);
        let c_temp = std::ffi::CString::new(temp.as_os_str().as_bytes())?;
        let proc_path = std::ffi::CString::new(format!("/proc/self/fd/{fd}"))?;
        // SAFETY: both paths are NUL-terminated strings that outlive the call.
        let mut result = unsafe {
            libc::linkat(
                libc::AT_FDCWD,
                proc_path.as_ptr(),
                libc::AT_FDCWD,
                c_temp.as_ptr(),
                libc::AT_SYMLINK_FOLLOW,
            )
        };
        if result != 0 && io::Error::last_os_error().raw_os_error() == Some(libc::ENOENT) {
            // SAFETY: `fd` is open for the call; the paths are NUL-terminated.
            result = unsafe {
                libc::linkat(
                    fd,
                    c"".as_ptr(),
                    libc::AT_FDCWD,
                    c_temp.as_ptr(),
                    libc::AT_EMPTY_PATH,
                )
            };
        }
        if result == 0 {
            return Ok(temp);
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::AlreadyExists {
            return Err(error);
        }
    }
}

/// A descriptor of its own for standard output, so that closing the output does not close the
/// process's standard output.
fn dup_stdout() -> io::Result<File> {
    use std::os::fd::{AsFd, OwnedFd};
    let fd: OwnedFd = io::stdout().as_fd().try_clone_to_owned()?;
    Ok(File::from(fd))
}
