"""What ``translate PATH...`` is asked to read: files, folders (recursively) and ``@list.txt`` manifests.

Both executors (local and Ray) draft the same list, in the same order: each PATH in the order given; a
folder gives every readable file below it in sorted path order (hidden files and folders skipped); a
manifest ``@list.txt`` gives one path per line (blank lines and ``#`` comments skipped; relative paths are
relative to the manifest's folder; a line may itself be a folder or another manifest). A file named twice
is drafted once.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from workbench.errors import InputError
from workbench.formats.sources import READERS
from workbench.safe_read import read_input_bytes

#: File names a folder contributes: every format ``workbench.formats.sources`` reads (text in any encoding
#: it detects, Markdown, Word, PDF). Named files are read whatever their suffix.
READABLE_SUFFIXES = frozenset(ext for reader in READERS.values() for ext in reader.extensions)
#: Manifests nested deeper than this are refused (a manifest that names itself).
MAX_MANIFEST_DEPTH = 8


def _walk(folder: Path, skip: frozenset[Path]) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (Path(root) / d).resolve() not in skip)
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in READABLE_SUFFIXES:
                yield Path(root) / name


def _manifest(path: Path, depth: int, skip: frozenset[Path]) -> Iterator[Path]:
    if depth > MAX_MANIFEST_DEPTH:
        raise InputError(
            f"@{path}: manifests nested more than {MAX_MANIFEST_DEPTH} deep (does one name itself?)"
        )
    if not path.exists():
        raise InputError(f"@{path}: no such manifest")
    try:
        lines = read_input_bytes(path, f"@{path}").decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise InputError(f"@{path}: cannot read the manifest (not UTF-8 at byte {exc.start})") from None
    for number, line in enumerate(lines, 1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        target = entry if entry.startswith("@") else str(path.parent / entry)
        if entry.startswith("@") and not Path(entry[1:]).is_absolute():
            target = "@" + str(path.parent / entry[1:])
        yield from _expand_one(target, depth + 1, skip, f"{path}:{number}: ")


def _expand_one(arg: str, depth: int, skip: frozenset[Path], where: str = "") -> Iterator[Path]:
    if arg.startswith("@") and len(arg) > 1:
        yield from _manifest(Path(arg[1:]), depth, skip)
        return
    path = Path(arg)
    if path.is_dir():
        found = False
        for f in _walk(path, skip):
            found = True
            yield f
        if not found:
            raise InputError(
                f"{where}{path}: no readable file in this folder ({', '.join(sorted(READABLE_SUFFIXES))})"
            )
    elif path.exists():
        yield path
    else:
        raise InputError(f"{where}{path}: no such file or folder")


def expand_inputs(paths: Sequence[str], skip: Sequence[Path] = ()) -> list[Path]:
    """The files named by ``paths`` (files, folders, ``@manifests``), in order, each once.

    Args:
        paths: What the user named.
        skip: Folders never walked into (the output folder, when it lies inside an input folder).

    Raises:
        InputError: a path that does not exist, an empty folder, an unreadable manifest, or nothing at all.
    """
    seen: set[Path] = set()
    files: list[Path] = []
    for arg in paths:
        for f in _expand_one(str(arg), 0, frozenset(Path(p).resolve() for p in skip)):
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                files.append(f)
    if not files:
        raise InputError("no input files given")
    return files
