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

``write_all`` writes several files all or none: each is complete beside
its target before any takes its name, so a failure while writing them (a
full disk, no permission, a folder in the way) changes none of them.
``check_writable`` finds such a problem before a long computation.

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
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

__all__ = ["TEMPORARY_SUFFIX", "check_writable", "write_all", "write_atomic"]

PathLike = str | os.PathLike[str]
TEMPORARY_SUFFIX = ".graphgrad-tmp"
_NEW_FILE_MODE = 0o666  # less the umask, which the system applies, as for any new file
_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
# O_TMPFILE is not supported by this file system (or this kernel): write under a temporary name instead.
_NO_UNNAMED_FILES = {errno.EISDIR, errno.EOPNOTSUPP, errno.EINVAL, errno.ENOENT}


def write_atomic(path: PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` in one step; returns the file written (a symlink's target).

    >>> import os, tempfile
    >>> write_atomic(os.path.join(tempfile.mkdtemp(), "missing", "a.txt"), b"")
    Traceback (most recent call last):
    ...
    FileNotFoundError: cannot write '...a.txt': the folder '...missing' does not exist
    """
    return write_all({path: data})[0]


def write_all(files: Mapping[PathLike, bytes]) -> list[Path]:
    """Write each ``path: data``, all or none; returns the files written.

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> [p.name for p in write_all({os.path.join(folder, "a"): b"1", os.path.join(folder, "b"): b"2"})]
    ['a', 'b']
    """
    staged: list[_Staged] = []
    try:
        for path, data in files.items():
            with _naming(path):
                staged.append(_Staged(_target(path), data))
        for file in staged:  # every file is complete: only renames are left, which need no space or new rights
            file.commit()
    finally:
        for file in staged:
            file.close()
    return [file.target for file in staged]


def check_writable(paths: Iterable[PathLike]) -> None:
    """Raise the ``OSError`` that writing each of ``paths`` would raise now; write nothing.

    >>> import tempfile
    >>> check_writable([tempfile.gettempdir()])
    Traceback (most recent call last):
    ...
    IsADirectoryError: cannot write '...': it is a folder
    """
    for path in paths:
        with _naming(path):
            _Staged(_target(path), b"").close()


@contextlib.contextmanager
def _naming(path: PathLike) -> Iterator[None]:
    """Report a system error as being about ``path`` (not the folder or temporary file it happened on)."""
    try:
        yield
    except OSError as error:
        if error.errno is None:  # ours: says what it is about already
            raise
        raise type(error)(error.errno, error.strerror, os.fspath(path)) from None


def _target(path: PathLike) -> Path:
    """The file to write for ``path``: through symlinks (the link stays), checked as far as a look can tell."""
    target = Path(os.path.realpath(path))
    if not target.parent.is_dir():
        folder = target.parent if os.path.islink(path) else os.path.dirname(os.fspath(path))
        problem = "is not a folder" if target.parent.exists() else "does not exist"
        raise FileNotFoundError(f"cannot write {os.fspath(path)!r}: the folder {str(folder)!r} {problem}")
    try:
        if stat.S_ISDIR(os.stat(target).st_mode):
            raise IsADirectoryError(f"cannot write {os.fspath(path)!r}: it is a folder")
    except FileNotFoundError:
        pass  # a new file (a name too long, by contrast, raises here)
    return target


class _Staged:
    """A complete new file beside its target, not under the target's name yet.

    On Linux it has no name at all (``O_TMPFILE``); elsewhere a temporary
    one. ``commit()`` gives it the target's name; ``close()`` drops it if
    it was not committed.
    """

    def __init__(self, target: Path, data: bytes) -> None:
        self.target = target
        self.temporary: Path | None = None
        self.fd: int | None = None
        try:
            self.mode: int | None = stat.S_IMODE(os.stat(target).st_mode)  # keep the permissions of the file replaced
        except FileNotFoundError:
            self.mode = None
        _remove_leftovers(target.parent)
        self.fd = self._open_unnamed()
        if self.fd is None:
            self.temporary = _temporary_name(target)
            fd = os.open(
                self.temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), _NEW_FILE_MODE
            )
            try:
                _write_all(fd, data, self.mode)
            except BaseException:
                self.close()
                raise
            finally:
                os.close(fd)  # closed before the rename: Windows cannot rename an open file
        else:
            try:
                _write_all(self.fd, data, self.mode)
            except BaseException:
                self.close()
                raise

    def _open_unnamed(self) -> int | None:
        if not hasattr(os, "O_TMPFILE") or not os.path.isdir("/proc/self/fd"):
            return None
        try:
            mode = _NEW_FILE_MODE if self.mode is None else self.mode
            return os.open(self.target.parent, os.O_TMPFILE | os.O_WRONLY, mode)
        except OSError as error:
            if error.errno in _NO_UNNAMED_FILES:
                return None
            raise

    def commit(self) -> None:
        if self.fd is not None:
            self._link_unnamed(self.fd)
        elif self.temporary is not None:
            os.replace(self.temporary, self.target)
            self.temporary = None

    def _link_unnamed(self, fd: int) -> None:
        # Linking the /proc path of an open unnamed file gives it a name. (A folder fd makes os.link
        # call linkat, which follows that magic link; plain link() would try to link the link itself.)
        unnamed = f"/proc/self/fd/{fd}"
        folder = os.open(self.target.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            if self.mode is None:
                try:
                    os.link(unnamed, self.target.name, dst_dir_fd=folder, follow_symlinks=True)
                    return  # a new file: named in one step, never under a temporary name
                except FileExistsError:  # another process made the file meanwhile: replace it as below
                    pass
            self.temporary = _temporary_name(self.target)
            os.link(unnamed, self.temporary.name, dst_dir_fd=folder, follow_symlinks=True)
            os.replace(self.temporary, self.target)
            self.temporary = None
        finally:
            os.close(folder)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # an unnamed file not linked is gone with its last descriptor
            self.fd = None
        if self.temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.temporary)
            self.temporary = None


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
