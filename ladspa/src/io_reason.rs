//! I/O errors as people read them: the system's words, without Rust's ` (os error N)`.

use std::io;

/// What the reader of a closed pipe is told.
pub(crate) const BROKEN_PIPE: &str = "the reader closed the pipe";

/// What an I/O error says, without Rust's ` (os error N)`: `No such file or directory`.
pub(crate) fn reason(error: &io::Error) -> String {
    if error.kind() == io::ErrorKind::BrokenPipe {
        return BROKEN_PIPE.to_owned();
    }
    let text = error.to_string();
    match (error.raw_os_error(), text.rfind(" (os error ")) {
        (Some(_), Some(at)) => text[..at].to_owned(),
        _ => text,
    }
}
