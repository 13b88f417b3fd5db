"""`hotline models list|fetch`."""

from __future__ import annotations

import argparse

from hotline.core.settings import load_settings
from transcription.engine import ModelUnavailable, VoskEngine
from transcription.registry import ModelFetchError, fetch_model, list_models


def register(commands: argparse._SubParsersAction) -> None:
    """Add the `models` command group."""
    parser = commands.add_parser("models", help="list or fetch Vosk models")
    verbs = parser.add_subparsers(dest="verb", required=True)
    listing = verbs.add_parser("list", help="configured and installed models")
    listing.add_argument("--no-load", action="store_true", help="skip the load check")
    listing.set_defaults(handler=_list)
    fetch = verbs.add_parser("fetch", help="download an official Vosk model by name")
    fetch.add_argument("name", help="for example vosk-model-small-cn-0.22")
    fetch.add_argument("--sha256", help="expected checksum of the zip")
    fetch.set_defaults(handler=_fetch)


def _list(args: argparse.Namespace) -> int:
    settings = load_settings()
    assert settings.models_dir is not None
    entries = list_models(settings.vosk_models, settings.models_dir)
    print(f"{'language':<9} {'size MB':>8}  {'loads':<5}  path")
    for entry in entries:
        loads = "-"
        if not args.no_load and entry.language and entry.installed:
            try:
                VoskEngine({entry.language: entry.path}).model(entry.language)
                loads = "yes"
            except ModelUnavailable:
                loads = "no"
        elif not entry.installed:
            loads = "no"
        size = entry.size_bytes / 1_000_000
        print(f"{entry.language or '-':<9} {size:>8.1f}  {loads:<5}  {entry.path}")
    return 0


def _fetch(args: argparse.Namespace) -> int:
    settings = load_settings()
    assert settings.models_dir is not None
    try:
        path = fetch_model(
            args.name,
            base_url=settings.vosk_model_base_url,
            models_dir=settings.models_dir,
            sha256=args.sha256,
        )
    except ModelFetchError as error:
        print(f"error: {error}")
        return 1
    print(f"installed {path}")
    print(f"use it with HOTLINE_VOSK_MODELS=LANGUAGE={path}")
    return 0
