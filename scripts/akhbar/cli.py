"""The ``akhbar`` command line: thin click commands over the library functions.

Every command checks its arguments, calls one importable function, and turns the errors users can
fix (bad input pages, bad annotation files) into one message and exit code 1, never a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from akhbar import __version__


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="akhbar")
def main() -> None:
    """Build, check and release Akhbar, an annotated dataset of Arabic news pages.

    \b
    Example:
        akhbar build                      # seeds/ → dataset/
        akhbar build --seeds my_pages --out /tmp/my_dataset
    """


@main.command()
@click.option("--seeds", type=click.Path(path_type=Path), default=Path("seeds"), show_default=True,
              help="Folder of raw pages (*.txt), with optional <id>.ann.json annotation files beside them.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("dataset"), show_default=True,
              help="Output folder: Parquet files under data/ and the Hugging Face card README.md. Replaced only when the build succeeds.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes for the per-page steps.  [default: number of cores]")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None,
              help="Refuse a page larger than this many bytes.  [default: 5 MiB]")
@click.option("--card", type=click.Path(path_type=Path), default=None,
              help="Also write the human dataset card (the README without its YAML header) here.  [default: DATASET_CARD.md when --out is the default]")
@click.option("--gold-body", type=click.Path(path_type=Path), default=Path("tests/gold_body"), show_default=True,
              help="Gold body lines of seed pages, for the figures in the card (skipped when missing).")
@click.option("--heldout", type=click.Path(path_type=Path), default=Path("tests/heldout"), show_default=True,
              help="Held-out pages with gold, for the figures in the card (skipped when missing).")
@click.option("--agreement", type=click.Path(path_type=Path), default=Path("tests/agreement"), show_default=True,
              help="Two independent annotation passes (pass_a/, pass_b/), for the agreement figures in the card.")
@click.option("--quiet", is_flag=True, help="No progress bars.")
def build(seeds: Path, out: Path, workers: int | None, max_bytes: int | None, card: Path | None,
          gold_body: Path, heldout: Path, agreement: Path, quiet: bool) -> None:
    """Build the dataset from a folder of scraped pages.

    Every *.txt page in SEEDS becomes one record of the `documents` config: its clean body, labelled
    boilerplate, headline, byline, metadata, entities and events. Links between documents go to the
    `links` config. The card's figures are computed from the data.

    \b
    Example:
        akhbar build --seeds seeds --out dataset
        python -c 'import datasets; print(datasets.load_dataset("dataset", "documents", split="train"))'
    """
    from akhbar.pipeline import BuildConfig, InputError, RecordError, build_dataset
    from akhbar.read import DEFAULT_MAX_BYTES

    if card is None and out == Path("dataset"):
        card = Path("DATASET_CARD.md")
    cfg = BuildConfig(seeds=seeds, out=out, workers=workers or os.cpu_count() or 1,
                      max_bytes=max_bytes or DEFAULT_MAX_BYTES, progress=not quiet)
    try:
        report = build_dataset(cfg, card=card, gold_body=gold_body, heldout=heldout, agreement=agreement)
    except (InputError, RecordError) as err:
        _fail(f"{err}\nNothing was written: {out} is unchanged.")
    click.echo(report)


if __name__ == "__main__":  # pragma: no cover
    main()
