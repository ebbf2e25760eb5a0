"""An LMS's download archive, read without trusting it: a file that is not a zip, an
entry whose path climbs out (`../`, an absolute path), a link, and a zip bomb (more
than the limits below once unpacked, or compressed far more than a notebook can be)
are refused, each with one line, before anything is written."""
from __future__ import annotations

import datetime
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import UsageError

MAX_ENTRY_BYTES = 100 * 1024 * 1024        # one notebook, outputs and all
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024   # a large class's download
MAX_ENTRIES = 20_000
MAX_RATIO = 200                            # notebooks compress about 5 to 20 times


@dataclass(frozen=True)
class Entry:
    name: str                        # the entry's name in the archive, as stored
    path: str                        # the same, "/"-separated
    time: datetime.datetime          # the entry's own time (the zip keeps no zone)
    size: int


def open_archive(path: Path) -> tuple[zipfile.ZipFile, list[Entry], list[str]]:
    """The archive, its files that may be read, and one line for each entry refused."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise UsageError(f"{path}: not a zip archive ({type(exc).__name__}); download it again") from None
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        archive.close()
        raise UsageError(f"{path}: refused: {len(infos)} entries, more than {MAX_ENTRIES} (a zip bomb?)")
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if total > MAX_TOTAL_BYTES or (total > 10 * 1024 * 1024 and total / packed > MAX_RATIO):
        archive.close()
        raise UsageError(f"{path}: refused: {total} bytes once unpacked from {packed} (a zip bomb?)")
    entries, refused = [], []
    for info in infos:
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if info.is_dir():
            continue
        if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            refused.append(f"{path}: {name}: refused: its path leads out of the archive")
        elif stat.S_ISLNK(info.external_attr >> 16):
            refused.append(f"{path}: {name}: refused: a link, not a file")
        elif info.file_size > MAX_ENTRY_BYTES or (info.file_size > 1024 * 1024
                                                  and info.file_size / max(1, info.compress_size) > MAX_RATIO):
            refused.append(f"{path}: {name}: refused: {info.file_size} bytes once unpacked (a zip bomb?)")
        else:
            entries.append(Entry(name, "/".join(parts), datetime.datetime(*info.date_time), info.file_size))
    return archive, entries, refused


def read_entry(archive: zipfile.ZipFile, entry: Entry) -> bytes:
    """The entry's bytes, never more than it declared (a lying header is cut short and refused)."""
    with archive.open(entry.name) as handle:
        data = handle.read(entry.size + 1)
    if len(data) != entry.size:
        raise UsageError(f"{entry.name}: refused: holds more or less than its header says")
    return data
