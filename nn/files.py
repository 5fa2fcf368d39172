"""Writing a file all at once: the old file or the new one, never half of one, and no litter.

``nn.save`` and ``viz.save`` (every file graphgrad writes) go through
``write_atomic``. The bytes are written to a file with no name yet in the
target's folder; only when all of them are there does that file take the
target's name, in one step (a rename replaces the old file atomically).
So a crash, a full disk or a ``kill -9`` mid-write leaves the old file as
it was — and leaves nothing else behind:

- On Linux the new file is opened with ``O_TMPFILE``: it has no name at
  all until it is complete, so a killed process leaves nothing (the kernel
  frees the unnamed file). Replacing an existing file needs a name for the
  instant between linking and renaming; a process killed in that instant
  leaves ``.<name>.<pid>.<random>.graphgrad-tmp``, which the next save into
  that folder removes once its process is gone.
- Elsewhere (macOS, Windows, file systems without ``O_TMPFILE``) the new
  file has that temporary name while it is written, and is removed on any
  error; one left by a killed process is removed by the next save.

A file that exists keeps its permission bits (a private ``0600`` model
stays private); a new one gets the usual ``0666`` less the umask. Saving
to a symbolic link writes the file it points to, and the link stays a link.

>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> write_atomic(os.path.join(folder, "a.txt"), b"hello").name
'a.txt'
>>> os.listdir(folder)
['a.txt']
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

__all__ = ["TEMPORARY_SUFFIX", "write_atomic"]

TEMPORARY_SUFFIX = ".graphgrad-tmp"
_NEW_FILE_MODE = 0o666  # less the umask, which the system applies, as for any new file
# O_TMPFILE is not supported by this file system (or this kernel): write under a temporary name instead.
_NO_UNNAMED_FILES = {errno.EISDIR, errno.EOPNOTSUPP, errno.EINVAL, errno.ENOENT}


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` in one step; returns the file written (a symlink's target).

    >>> import os, tempfile
    >>> write_atomic(os.path.join(tempfile.mkdtemp(), "missing", "a.txt"), b"")
    Traceback (most recent call last):
    ...
    FileNotFoundError: cannot write '...a.txt': the folder '...missing' does not exist
    """
    target = Path(os.path.realpath(path))  # through symlinks: the link stays, its target is written
    if not target.parent.is_dir():
        raise FileNotFoundError(f"cannot write {os.fspath(path)!r}: the folder {str(target.parent)!r} does not exist")
    if target.is_dir():
        raise IsADirectoryError(f"cannot write {os.fspath(path)!r}: it is a folder")
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)  # keep the permissions of the file replaced
    except FileNotFoundError:
        mode = None
    _remove_leftovers(target.parent)
    if not _write_unnamed(target, data, mode):
        _write_named(target, data, mode)
    return target


def _write_unnamed(target: Path, data: bytes, mode: int | None) -> bool:
    """Write through an unnamed file (Linux ``O_TMPFILE``); False where the system cannot."""
    if not hasattr(os, "O_TMPFILE") or not os.path.isdir("/proc/self/fd"):
        return False
    try:
        fd = os.open(target.parent, os.O_TMPFILE | os.O_WRONLY, _NEW_FILE_MODE if mode is None else mode)
    except OSError as error:
        if error.errno in _NO_UNNAMED_FILES:
            return False
        raise
    folder = os.open(target.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        _write_all(fd, data, mode)
        # Linking the /proc path of an open unnamed file gives it a name. (A folder fd makes os.link
        # call linkat, which follows that magic link; plain link() would try to link the link itself.)
        unnamed = f"/proc/self/fd/{fd}"
        if mode is None:
            try:
                os.link(unnamed, target.name, dst_dir_fd=folder, follow_symlinks=True)
                return True  # a new file: named in one step, never under a temporary name
            except FileExistsError:  # another process made the file meanwhile: replace it as below
                pass
        temporary = _temporary_name(target)
        os.link(unnamed, temporary.name, dst_dir_fd=folder, follow_symlinks=True)
        try:
            os.replace(temporary, target)
        except BaseException:
            os.unlink(temporary)
            raise
    finally:
        os.close(folder)
        os.close(fd)
    return True


def _write_named(target: Path, data: bytes, mode: int | None) -> None:
    """Write under a temporary name beside the target, then rename it over the target."""
    temporary = _temporary_name(target)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), _NEW_FILE_MODE)
    try:
        try:
            _write_all(fd, data, mode)
        finally:
            os.close(fd)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _write_all(fd: int, data: bytes, mode: int | None) -> None:
    if mode is not None and hasattr(os, "fchmod"):
        os.fchmod(fd, mode)  # exactly the old file's bits, whatever the umask
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.fsync(fd)  # the bytes are on disk before the file takes the target's name


def _temporary_name(target: Path) -> Path:
    # The pid tells a later save whether the process that made it is gone; the name is cut so
    # that a target name near the system's 255-byte limit still leaves room for the rest.
    return target.with_name(f".{target.name[:120]}.{os.getpid()}.{secrets.token_hex(4)}{TEMPORARY_SUFFIX}")


def _remove_leftovers(folder: Path) -> None:
    """Remove the temporaries of saves in ``folder`` whose process was killed before it could."""
    with os.scandir(folder) as entries:
        names = [entry.name for entry in entries if entry.name.endswith(TEMPORARY_SUFFIX)]
    for name in names:
        pid = name.removesuffix(TEMPORARY_SUFFIX).split(".")[-2]
        if pid.isdigit() and not _running(int(pid)):
            with contextlib.suppress(OSError):
                os.unlink(folder / name)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True  # another thread of this process may be saving
    if os.name != "posix":
        return False  # Windows refuses to remove a file a running writer still has open
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True
