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
    return path


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
        f"or pass --model DIR / set {ENV_VAR}=DIR to a local copy"
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
    config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    gen_file = path / "generation_config.json"
    gen = json.loads(gen_file.read_text(encoding="utf-8")) if gen_file.is_file() else {}
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
