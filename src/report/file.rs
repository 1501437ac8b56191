//! Output files written whole or not at all (`-o FILE` of `check` and `snapshot`). The text goes to a temporary file in the target's
//! directory, is flushed to disk, and is then renamed over the target (an atomic replacement on
//! POSIX file systems). An interrupted run (Ctrl-C, a kill, a full disk, a failed render) so
//! leaves an earlier file as it was, never truncated or half written. A run killed mid-write may
//! leave its temporary file (`.NAME.XXXXXX.tmp`) behind.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Writes `path` atomically with what `write` produces (through a buffered writer).
///
/// A symbolic link at `path` is followed (the file it names is replaced, as `std::fs::write`
/// would write it); an existing file keeps its permissions, a new one gets those `File::create`
/// gives (`rw-rw-rw-` less the umask).
///
/// Anything else that already exists at `path` (a character device such as `/dev/null` or
/// `/dev/stdout`, a named pipe, a process substitution's `/dev/fd/N`) is written in place: it
/// cannot be replaced by a rename, and must not be.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    if fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        let mut out = BufWriter::new(fs::OpenOptions::new().write(true).open(path)?);
        write(&mut out)?;
        return out.flush();
    }
    let target = resolve(path)?;
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir)?;
    {
        let mut out = BufWriter::new(temp.as_file_mut());
        write(&mut out)?;
        out.flush()?;
    }
    if let Ok(existing) = fs::metadata(&target) {
        temp.as_file().set_permissions(existing.permissions())?;
    }
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// `path`, or the file a symbolic link there names.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            let link = fs::read_link(path)?;
            Ok(match path.parent() {
                Some(dir) if link.is_relative() => dir.join(link),
                _ => link,
            })
        }
        _ => Ok(path.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::write_atomically;

    #[test]
    fn a_failed_write_leaves_the_earlier_file_and_no_temporary() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("report.json");
        std::fs::write(&path, "earlier\n").expect("earlier file");
        let err = write_atomically(&path, |out| {
            out.write_all(b"half of a ")?;
            Err(std::io::Error::other("render failed"))
        })
        .expect_err("the write fails");
        assert_eq!(err.to_string(), "render failed");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "earlier\n");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["report.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_written_in_place_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let fifo = dir.path().join("report.fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("run mkfifo");
        assert!(made.success(), "mkfifo failed");
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo))
        };
        write_atomically(&fifo, |out| out.write_all(b"through the pipe")).expect("write");
        let read = reader.join().expect("reader").expect("read the pipe");
        assert_eq!(read, "through the pipe");
        assert!(std::fs::symlink_metadata(&fifo)
            .expect("lstat")
            .file_type()
            .is_fifo());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["report.fifo"], "no temporary file is left");
    }

    #[test]
    fn a_write_replaces_the_file_keeping_its_permissions() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("snap.json");
        std::fs::write(&path, "old").expect("earlier file");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        }
        write_atomically(&path, |out| out.write_all(b"new")).expect("write");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        // Through a symbolic link, the file it names is replaced and the link stays.
        #[cfg(unix)]
        {
            let link = dir.path().join("latest.json");
            std::os::unix::fs::symlink("snap.json", &link).expect("symlink");
            write_atomically(&link, |out| out.write_all(b"newer")).expect("write");
            assert!(std::fs::symlink_metadata(&link)
                .expect("lstat")
                .file_type()
                .is_symlink());
            assert_eq!(std::fs::read_to_string(&path).expect("read"), "newer");
        }
    }
}
