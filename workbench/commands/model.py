"""``workbench model download|info|convert``: fetch, describe and convert the MT model."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from workbench.mt.registry import DEVICES


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``model`` sub-command and its actions."""
    p = subparsers.add_parser(
        "model",
        help="download, describe or convert the MT model",
        description="Manage the MarianMT model. The model is --model ID|DIR, else $WORKBENCH_MODEL, else "
        "Helsinki-NLP/opus-mt-zh-en from the Hugging Face cache.",
    )
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    d = sub.add_parser("download", help="download the model into the Hugging Face cache (needs network)")
    d.add_argument(
        "model", nargs="?", metavar="ID", help="hub id (default $WORKBENCH_MODEL or opus-mt-zh-en)"
    )
    d.set_defaults(func=run_download)

    i = sub.add_parser("info", help="where the model is and what it is (never downloads)")
    i.add_argument("--model", metavar="ID|DIR")
    i.add_argument("--json", action="store_true", help="print one JSON object")
    i.set_defaults(func=run_info)

    c = sub.add_parser("convert", help="convert the model for the ctranslate2 engine (int8 on CPU)")
    c.add_argument("--model", metavar="ID|DIR")
    c.add_argument("--device", choices=DEVICES, default="auto", help="picks the default quantization")
    c.add_argument(
        "--quantization", metavar="Q", help="int8 (CPU default), int8_float16 (GPU default), float32, ..."
    )
    c.add_argument("--out", metavar="DIR", help="write here instead of $XDG_CACHE_HOME/workbench/ct2/")
    c.add_argument("--force", action="store_true", help="convert again even if a conversion exists")
    c.set_defaults(func=run_convert)


def run_download(args: argparse.Namespace) -> int:
    """Download (or find in the cache) the model; prints its directory."""
    from workbench.errors import WorkbenchError
    from workbench.mt.models import cached_model_dir, check_model_dir, download_model, is_hub_id, model_spec

    spec = model_spec(args.model)
    if not is_hub_id(spec):
        print(check_model_dir(Path(spec).expanduser().resolve()))
        return 0
    cached = cached_model_dir(spec)
    if cached is not None:
        print(cached)
        return 0
    try:
        path = download_model(spec)
    except WorkbenchError:
        raise
    print(path)
    return 0


def run_info(args: argparse.Namespace) -> int:
    """Print the resolved model directory, its fingerprint and architecture (cache only)."""
    from workbench.mt.ct2 import converted_dir
    from workbench.mt.models import model_fingerprint, model_info, model_name, resolve_model

    path = resolve_model(args.model, download=False)
    info: dict[str, object] = {
        "model": model_name(path, args.model),
        "path": str(path),
        "hash": model_fingerprint(path),
    }
    info.update(model_info(path))
    conversions = {}
    for q in ("int8", "int8_float16", "float32"):
        target = converted_dir(path, q)
        if (target / "model.bin").is_file():
            conversions[q] = str(target)
    info["ctranslate2"] = conversions
    if args.json:
        print(json.dumps(info, ensure_ascii=False))
    else:
        for key, value in info.items():
            if key == "ctranslate2":
                value = (
                    ", ".join(f"{q}: {p}" for q, p in conversions.items())
                    or "not converted (workbench model convert)"
                )
            print(f"{key}: {value}")
    return 0


def run_convert(args: argparse.Namespace) -> int:
    """Convert the model to CTranslate2; prints the converted directory."""
    import sys

    from workbench.mt.ct2 import convert_model, default_quantization, pick_ct2_device
    from workbench.mt.models import resolve_model

    path = resolve_model(args.model)
    quantization = args.quantization or default_quantization(pick_ct2_device(args.device))
    started = time.monotonic()
    out = convert_model(path, quantization, force=args.force, out_dir=Path(args.out) if args.out else None)
    print(f"workbench: {quantization} model ready in {time.monotonic() - started:.1f} s", file=sys.stderr)
    print(out)
    return 0
