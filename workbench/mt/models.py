"""Where the MT model comes from: ``--model ID|DIR``, ``WORKBENCH_MODEL``, the Hugging Face cache.

The cache is always consulted first without touching the network. A network attempt is bounded
(a metadata probe of a few seconds) so that a user on a train or behind a firewall gets a clear
answer at once instead of minutes of retries, and every failure is one ``WorkbenchError`` line
that says what to do.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from pathlib import Path

from workbench.errors import WorkbenchError

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-zh-en"
ENV_VAR = "WORKBENCH_MODEL"
#: The three files MarianTokenizer needs together; any one missing fails obscurely inside it.
TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json")
WEIGHT_FILES = (
    "model.safetensors",
    "pytorch_model.bin",
    "model.safetensors.index.json",
    "pytorch_model.bin.index.json",
)
#: Files fetched by ``workbench model download`` (the hub repo also holds TF/Flax weights we skip).
DOWNLOAD_PATTERNS = [
    "config.json",
    "generation_config.json",
    "tokenizer_config.json",
    *TOKENIZER_FILES,
    "*.safetensors",
    "*.safetensors.index.json",
    "pytorch_model.bin",
    "pytorch_model.bin.index.json",
]
PROBE_TIMEOUT_S = 6.0

_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


def model_spec(spec: str | None = None) -> str:
    """The model the user asked for: ``spec``, else ``$WORKBENCH_MODEL``, else the default."""
    return spec or os.environ.get(ENV_VAR) or DEFAULT_MODEL


def is_hub_id(spec: str) -> bool:
    """True when ``spec`` names a hub repository (``owner/name``) rather than an existing directory."""
    path = Path(spec).expanduser()
    if path.exists():
        return False
    if path.parent != Path(".") and path.parent.is_dir():
        return False  # e.g. models/typo: a missing directory inside an existing one, not a hub id
    return bool(_HUB_ID.match(spec)) and not spec.startswith((".", "~"))


def check_model_dir(path: Path) -> Path:
    """Check that ``path`` holds a loadable Marian model and name the first missing file.

    Raises:
        WorkbenchError: when the directory or one of its required files is missing.
        DamagedModel: when a file is there but damaged (``model at X is damaged: ...``).
    """
    if not path.is_dir():
        raise WorkbenchError(
            f"model directory {path} does not exist (--model / {ENV_VAR} must name a directory or a hub id)"
        )
    if not (path / "config.json").is_file():
        raise WorkbenchError(f"model directory {path} has no config.json; is it a saved transformers model?")
    if not any((path / name).is_file() for name in WEIGHT_FILES):
        raise WorkbenchError(
            f"model directory {path} has no weights (model.safetensors or pytorch_model.bin)"
        )
    for name in TOKENIZER_FILES:
        if not (path / name).is_file():
            raise WorkbenchError(
                f"model directory {path} lacks {name} (MarianTokenizer needs source.spm, target.spm and vocab.json)"
            )
    _check_readable(path)
    _check_contents(path)
    return path


def _check_readable(path: Path) -> None:
    """Open every model file the loaders read, so one that this user may not read (mode 0600 of another
    user) is named in one line instead of failing deep inside a loader.

    Raises:
        WorkbenchError: a file cannot be opened for reading.
    """
    for name in (
        "config.json",
        *TOKENIZER_FILES,
        *WEIGHT_FILES,
        "tokenizer_config.json",
        "generation_config.json",
    ):
        file = path / name
        if not file.is_file():
            continue
        try:
            with file.open("rb"):
                pass
        except OSError as exc:
            raise WorkbenchError(
                f"model at {path}: cannot read {name} ({exc.strerror or exc}); make it readable for this user "
                "(chmod a+r) or use a copy of the model"
            ) from None


class DamagedModel(WorkbenchError):
    """A model file is there but cannot be what it claims (invalid JSON, truncated weights, bad tokenizer)."""

    def __init__(self, path: Path, what: str) -> None:
        super().__init__(f"model at {path} is damaged: {what}")


#: (directory, sizes and times of its files) -> checked; a model is checked once per process.
_CHECKED: set[tuple[Path, tuple[tuple[str, int, int], ...]]] = set()


def _check_contents(path: Path) -> None:
    """Check every file the loaders need for damage, cheaply (headers, not the weights themselves).

    Raises:
        DamagedModel: one line naming the file and what is wrong with it.
    """
    names = ("config.json", *TOKENIZER_FILES, *WEIGHT_FILES)
    try:
        key = (
            path,
            tuple((n, st.st_size, st.st_mtime_ns) for n in names if (st := _stat(path / n)) is not None),
        )
    except OSError as exc:
        raise DamagedModel(path, f"cannot read it ({exc.strerror or exc})") from exc
    if key in _CHECKED:
        return
    for name in ("config.json", "vocab.json"):
        if not isinstance(_read_json(path, name), dict):
            raise DamagedModel(path, f"{name} does not hold a JSON object")
    for name in ("source.spm", "target.spm"):
        _check_sentencepiece(path, name)
    for index in ("model.safetensors.index.json", "pytorch_model.bin.index.json"):
        if (path / index).is_file():
            data = _read_json(path, index)
            weight_map = data.get("weight_map") if isinstance(data, dict) else None
            if not isinstance(weight_map, dict):
                raise DamagedModel(path, f"{index} has no weight_map")
            for shard in sorted(set(map(str, weight_map.values()))):
                if not (path / shard).is_file():
                    raise DamagedModel(path, f"{index} names {shard}, which is missing")
                _check_weights(path, shard)
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (path / name).is_file():
            _check_weights(path, name)
    _CHECKED.add(key)


def _stat(file: Path) -> os.stat_result | None:
    try:
        return file.stat()
    except FileNotFoundError:
        return None


def _read_json(path: Path, name: str) -> object:
    try:
        return json.loads((path / name).read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise DamagedModel(path, f"{name} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise DamagedModel(
            path, f"{name} is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from None
    except RecursionError:
        raise DamagedModel(path, f"{name} is nested too deeply to be a model's configuration") from None
    except OSError as exc:
        raise DamagedModel(path, f"cannot read {name} ({exc.strerror or exc})") from None


def _check_sentencepiece(path: Path, name: str) -> None:
    import sentencepiece as spm

    try:
        processor = spm.SentencePieceProcessor(model_file=str(path / name))
    except (RuntimeError, OSError) as exc:
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise DamagedModel(path, f"{name} is not a sentencepiece model ({reason})") from None
    if processor.get_piece_size() < 1:
        raise DamagedModel(path, f"{name} has no pieces")


def _check_weights(path: Path, name: str) -> None:
    """A safetensors file's header must parse and its tensors fit in the file; a .bin must be a torch archive."""
    file = path / name
    size = file.stat().st_size
    if size == 0:
        raise DamagedModel(path, f"{name} is empty")
    with file.open("rb") as fh:
        head = fh.read(8)
        if name.endswith(".safetensors"):
            n = int.from_bytes(head, "little") if len(head) == 8 else -1
            if n < 2 or n > size - 8:
                raise DamagedModel(path, f"{name} is truncated or not safetensors ({size} bytes)")
            try:
                header = json.loads(fh.read(n))
                end = max(
                    (int(t["data_offsets"][1]) for k, t in header.items() if k != "__metadata__"), default=0
                )
            except (ValueError, TypeError, KeyError, IndexError, AttributeError):
                raise DamagedModel(path, f"{name} has a damaged header") from None
            if 8 + n + end > size:
                raise DamagedModel(
                    path, f"{name} is truncated ({size} bytes, its header needs {8 + n + end})"
                )
            return
    import zipfile

    if zipfile.is_zipfile(file):
        try:
            with zipfile.ZipFile(file) as archive:
                archive.infolist()
        except (zipfile.BadZipFile, OSError) as exc:
            raise DamagedModel(path, f"{name} is a damaged archive ({exc})") from None
    elif not head.startswith(b"\x80"):  # neither a zip archive nor a legacy pickle
        raise DamagedModel(path, f"{name} is not a PyTorch weights file")


def _offline() -> bool:
    return any(
        os.environ.get(v, "").strip().lower() in ("1", "true", "yes", "on")
        for v in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    )


def cached_model_dir(repo_id: str) -> Path | None:
    """The snapshot directory of ``repo_id`` in the Hugging Face cache, or None (never uses the network)."""
    from huggingface_hub import snapshot_download

    try:
        path = Path(snapshot_download(repo_id, local_files_only=True, allow_patterns=DOWNLOAD_PATTERNS))
    except Exception:  # LocalEntryNotFoundError and friends: simply not cached
        return None
    if (path / "config.json").is_file() and all((path / f).is_file() for f in TOKENIZER_FILES):
        return path
    return None


def _endpoint() -> str:
    from huggingface_hub import constants

    return os.environ.get("HF_ENDPOINT") or constants.ENDPOINT


def probe_hub(repo_id: str, timeout: float = PROBE_TIMEOUT_S) -> str | None:
    """Ask the hub for ``repo_id``'s config.json metadata within ``timeout`` seconds.

    Returns:
        None when the hub answered, else a short reason.
    """
    from huggingface_hub import get_hf_file_metadata, hf_hub_url

    result: list[str | None] = []

    def attempt() -> None:
        try:
            get_hf_file_metadata(hf_hub_url(repo_id, "config.json", endpoint=_endpoint()), timeout=timeout)
            result.append(None)
        except Exception as exc:
            text = str(exc).splitlines()[0] if str(exc) else ""
            result.append(f"{type(exc).__name__}{': ' + text[:120] if text else ''}")

    # A daemon thread, so that a hung connection cannot hold the user beyond the deadline.
    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(timeout + 1.0)
    if not result:
        return f"no answer within {timeout:.0f} s"
    return result[0]


def _not_available(repo_id: str, why: str) -> WorkbenchError:
    from huggingface_hub import constants

    return WorkbenchError(
        f"model {repo_id} is not in the Hugging Face cache ({constants.HF_HUB_CACHE}) and cannot be downloaded ({why}); "
        f"run `workbench model download {repo_id}` on a connected machine (and copy the cache here), "
        f"or pass --model DIR / set {ENV_VAR}=DIR to a local copy; to try the workbench without it, build the "
        f"stand-in model (`python bench/proxy_model.py --size tiny DIR`, see the README) and pass --model DIR"
    )


def download_model(repo_id: str) -> Path:
    """Download ``repo_id``'s model and tokenizer files into the Hugging Face cache.

    Raises:
        WorkbenchError: when offline or the hub cannot be reached (after a bounded probe).
    """
    if _offline():
        raise _not_available(repo_id, "HF_HUB_OFFLINE/TRANSFORMERS_OFFLINE is set")
    why = probe_hub(repo_id)
    if why is not None:
        raise _not_available(repo_id, f"{_endpoint()} unreachable: {why}")
    from huggingface_hub import snapshot_download

    try:
        path = Path(snapshot_download(repo_id, allow_patterns=DOWNLOAD_PATTERNS, endpoint=_endpoint()))
    except Exception as exc:
        raise WorkbenchError(
            f"downloading {repo_id} failed: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        ) from exc
    return check_model_dir(path)


def resolve_model(spec: str | None = None, *, download: bool = True) -> Path:
    """Turn ``--model ID|DIR`` (or ``$WORKBENCH_MODEL``, or the default) into a local model directory.

    A directory is checked and returned. A hub id is looked up in the cache first (no network);
    when absent and ``download`` is true, a bounded network attempt fetches it.

    Raises:
        WorkbenchError: one line saying exactly what to do (exit code 2).
    """
    spec = model_spec(spec)
    if not is_hub_id(spec):
        return check_model_dir(Path(spec).expanduser().resolve())
    cached = cached_model_dir(spec)
    if cached is not None:
        return check_model_dir(cached)
    if not download:
        raise _not_available(spec, "not downloading")
    return download_model(spec)


_FINGERPRINTS: dict[Path, str] = {}


def model_fingerprint(path: Path) -> str:
    """A short, cheap content hash of a model directory (config, tokenizer files, weight edges and sizes).

    Hub snapshots are named by their commit, which is part of the path; local directories are
    hashed by content so that a copied model keeps its fingerprint.
    """
    path = Path(path).resolve()
    if path in _FINGERPRINTS:
        return _FINGERPRINTS[path]
    digest = hashlib.sha256()
    for name in ("config.json", *TOKENIZER_FILES, *WEIGHT_FILES):
        file = path / name
        if not file.is_file():
            continue
        size = file.stat().st_size
        digest.update(f"{name}:{size}:".encode())
        with file.open("rb") as fh:
            if size <= 4 << 20:
                digest.update(fh.read())
            else:  # the first and last MiB and the size identify a weights file well enough
                digest.update(fh.read(1 << 20))
                fh.seek(-(1 << 20), os.SEEK_END)
                digest.update(fh.read())
    _FINGERPRINTS[path] = digest.hexdigest()[:12]
    return _FINGERPRINTS[path]


def model_name(path: Path, spec: str | None = None) -> str:
    """A human name for the model: the hub id when it came from the hub, else the directory name."""
    spec = model_spec(spec)
    return spec if is_hub_id(spec) else Path(path).name


def model_info(path: Path) -> dict[str, object]:
    """Architecture facts read from ``config.json`` and ``generation_config.json`` (no torch needed)."""
    config = _read_json(path, "config.json")
    gen = _read_json(path, "generation_config.json") if (path / "generation_config.json").is_file() else {}
    if not isinstance(config, dict) or not isinstance(gen, dict):
        raise DamagedModel(path, "config.json or generation_config.json does not hold a JSON object")
    keys = (
        "model_type",
        "d_model",
        "encoder_layers",
        "decoder_layers",
        "encoder_attention_heads",
        "encoder_ffn_dim",
        "vocab_size",
        "max_position_embeddings",
        "activation_function",
    )
    info: dict[str, object] = {k: config.get(k) for k in keys}
    info["num_beams"] = gen.get("num_beams", 1)
    info["weights_bytes"] = sum((path / n).stat().st_size for n in WEIGHT_FILES if (path / n).is_file())
    return info


def cache_home() -> Path:
    """``$XDG_CACHE_HOME/workbench`` (default ``~/.cache/workbench``): converted models live here."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "workbench"
