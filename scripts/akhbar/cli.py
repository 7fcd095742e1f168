"""The ``akhbar`` command line: thin click commands over the library functions.

Every command checks its arguments, calls one importable function, and turns the errors users can
fix (bad input pages, bad annotation files) into one message and exit code 1, never a traceback.
"""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterator

import click

from akhbar import __version__
from akhbar.evaluation import HELDOUT_SETS
from akhbar.read import InputError



def _fail(message: str) -> None:
    _note(f"Error: {message}")
    sys.exit(1)


def _note(message: str) -> None:
    """A line on stderr, on a line of its own even after a progress bar left unfinished."""
    click.echo(("\n" if sys.stderr.isatty() else "") + message, err=True)


def _progress(quiet: bool) -> bool:
    """Progress bars only for a person watching: not with --quiet, not into a file or a pipe."""
    return not quiet and sys.stderr.isatty()


class Interrupted(KeyboardInterrupt):
    """SIGTERM, raised in the main thread like Ctrl-C's KeyboardInterrupt, so that every ``finally``
    (staging folder, lock, worker pool) runs before the process ends."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _raise_interrupted(signum: int, frame) -> None:
    raise Interrupted(signum)


class _Commands(click.Group):
    """The command group: a command stopped by SIGINT or SIGTERM cleans up, says so on one line and
    exits with 128 + the signal number."""

    def invoke(self, ctx: click.Context):
        import signal
        import threading

        in_main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _raise_interrupted) if in_main_thread else None
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as err:
            signum = err.signum if isinstance(err, Interrupted) else signal.SIGINT
            _note(f"Interrupted by {signal.Signals(signum).name}: stopped; what it was writing was removed, "
                  "what was there before is unchanged.")
            sys.exit(128 + signum)
        finally:
            if in_main_thread:
                signal.signal(signal.SIGTERM, previous)


def _gold_options(command):
    """--gold-body, --heldout, --agreement: the gold data the card's figures are computed from."""
    options = [
        click.option("--gold-body", type=click.Path(path_type=Path), default=Path("tests/gold_body"), show_default=True,
                     help="Gold body lines of seed pages (skipped when missing)."),
        click.option("--heldout", type=click.Path(path_type=Path), multiple=True, default=HELDOUT_SETS, show_default=True,
                     help="Folders of held-out pages with gold (<id>.txt, <id>.gold.json, optional <id>.entities.json); "
                          "missing ones are skipped; repeat it for several."),
        click.option("--agreement", type=click.Path(path_type=Path), default=Path("tests/agreement"), show_default=True,
                     help="Two independent annotation passes (pass_a/, pass_b/), for the agreement figure."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _run_options(command):
    """--workers, --max-bytes: how pages are processed and which are refused."""
    command = click.option("--max-bytes", type=click.IntRange(min=1), default=None,
                           help="Refuse a page larger than this many bytes.  [default: 2 MiB]")(command)
    return click.option("--workers", type=click.IntRange(min=1), default=None,
                        help="Worker processes for the per-page steps.  [default: the CPUs this process may use]")(command)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="akhbar")
def main() -> None:
    """Build, check and release Akhbar, an annotated dataset of Arabic news pages.

    \b
    Example:
        akhbar build                      # seeds/ → dataset/
        akhbar build --seeds my_pages --out /tmp/my_dataset
    """


class _Location(click.ParamType):
    """A local folder, or with ``--engine ray`` a URL every node can reach (:mod:`akhbar.storage`)."""

    name = "FOLDER|URL"

    def convert(self, value, param, ctx):
        from akhbar.storage import location
        try:
            return location(value)
        except ValueError as err:
            self.fail(str(err), param, ctx)


@main.command()
@click.option("--seeds", type=_Location(), default=Path("seeds"), show_default=True,
              help="Folder of raw pages (*.txt), with optional <id>.ann.json annotation files beside them; with --engine ray also a URL (s3://bucket/pages).")
@click.option("--out", type=_Location(), default=Path("dataset"), show_default=True,
              help="Output folder: Parquet files under data/ and the Hugging Face card README.md. Replaced only when the build succeeds. With --engine ray also a URL (s3://bucket/akhbar).")
@_run_options
@click.option("--card", type=click.Path(path_type=Path), default=None,
              help="Also write the human dataset card (the README without its YAML header) here.  [default: DATASET_CARD.md when --out is the default]")
@_gold_options
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: worker processes on this machine. ray: a Ray cluster (pip install -e \".[ray]\"); same bytes.")
@click.option("--ray-address", default=None, metavar="ADDR",
              help="With --engine ray: the cluster to join (its head's address, head:6379).  [default: a Ray started on this machine for the build]")
@click.option("--quiet", is_flag=True, help="No progress bars.")
def build(seeds: Path, out: Path, workers: int | None, max_bytes: int | None, card: Path | None,
          gold_body: Path, heldout: tuple[Path, ...], agreement: Path, engine: str, ray_address: str | None,
          quiet: bool) -> None:
    """Build the dataset from a folder of scraped pages.

    Every *.txt page in SEEDS becomes one record of the `documents` config: its clean body, labelled
    boilerplate, headline, byline, metadata, entities and events. Links between documents go to the
    `links` config. The card's figures are computed from the data.

    \b
    Example:
        akhbar build --seeds seeds --out dataset
        akhbar build --engine ray --ray-address head-node:6379 --out /shared/akhbar
        akhbar build --engine ray --ray-address head-node:6379 --seeds s3://news/pages --out s3://news/akhbar
        python -c 'import datasets; print(datasets.load_dataset("dataset", "documents", split="train"))'
    """
    from akhbar.pipeline import BuildConfig, InputError, RecordError, WorkerError, available_cpus, build_dataset
    from akhbar.read import DEFAULT_MAX_BYTES

    if card is None and out == Path("dataset"):
        card = Path("DATASET_CARD.md")
    if card is not None and not card.resolve().parent.is_dir():
        _fail(f"{card}: the folder for the card does not exist")
    cfg = BuildConfig(seeds=seeds, out=out, workers=workers or available_cpus(),
                      max_bytes=max_bytes or DEFAULT_MAX_BYTES, progress=_progress(quiet))
    if ray_address is not None and engine != "ray":
        raise click.BadParameter("--ray-address needs --engine ray.", param_hint="--ray-address")
    from akhbar.storage import is_remote
    for option, value in (("--seeds", seeds), ("--out", out)):
        if is_remote(value) and engine != "ray":
            raise click.BadParameter(f"a URL ({value}) needs --engine ray (a local Ray is started when there is "
                                     "no --ray-address); the local engine reads and writes local folders.", param_hint=option)
    run = build_dataset if engine == "local" else _ray_build(ray_address)
    # an object store has no lock files: the lock guards local folders only
    with _locked(*([] if is_remote(out) else [out])):
        try:
            report = run(cfg, card=card, gold_body=gold_body, heldout=list(heldout), agreement=agreement)
        except (InputError, RecordError, WorkerError) as err:
            _fail(f"{err}\nNothing was written: {out} is unchanged.")
        except (OSError, ValueError) as err:  # e.g. an unreadable gold file of the card's figures
            _fail(f"{err}\nThe build stopped; {out} is unchanged.")
    click.echo(report)



def _ray_build(address: str | None):
    """``build_dataset`` on Ray at ``address``, or a one-line error when Ray is not installed."""
    try:
        import ray  # noqa: F401
    except ImportError:
        _fail('--engine ray needs Ray: pip install -e ".[ray]"')
    from akhbar.ray_build import RayBuildError, RayConfig, build_dataset_ray

    def run(cfg, **kwargs):
        try:
            return build_dataset_ray(cfg, RayConfig(address=address), **kwargs)
        except RayBuildError as err:
            _fail(f"{err}\n{cfg.out} is unchanged." if err.out_unchanged else str(err))
    return run


@main.command()
@click.option("--docs", type=click.IntRange(min=1), multiple=True,
              help="Synthetic pages to build; repeat it (--docs 1000 --docs 10000) to time several sizes and fit time against N.  [default: 1000, or none with --quality]")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Worker processes for the build and for the peers' extraction.")
@click.option("--seeds", type=click.Path(path_type=Path), default=Path("seeds"), show_default=True,
              help="Seed pages the synthetic corpus is made from (their body sentences and page chrome); also the pages of --gold-body.")
@click.option("--gold-body", type=click.Path(path_type=Path), default=Path("tests/gold_body"), show_default=True,
              help="Gold body lines of the seeds: where each seed's article is (for the corpus) and the seed pages of --quality.")
@click.option("--heldout", type=click.Path(path_type=Path), multiple=True,
              default=HELDOUT_SETS, show_default=True,
              help="Folders of held-out pages (<id>.txt beside <id>.gold.json) scored by --quality (missing ones are skipped); repeat it for several.")
@click.option("--exact-share", type=click.FloatRange(0, 1), default=0.1, show_default=True,
              help="Share of synthetic pages that repeat an earlier page's body exactly, in other page chrome.")
@click.option("--near-share", type=click.FloatRange(0, 1), default=0.1, show_default=True,
              help="Share of synthetic pages that repeat an earlier page's body with typos in 2% of its words.")
@click.option("--stage-docs", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Pages timed stage by stage in one process (the first pages of the smallest corpus).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Random seed of the synthetic corpus: the same seed gives the same pages.")
@click.option("--workdir", type=click.Path(path_type=Path), default=None,
              help="Folder for the synthetic corpus and its build (about 10 KB per page; each size is removed after its run).  [default: a temporary folder]")
@click.option("--no-peers", is_flag=True, help="Do not run trafilatura, jusText and datasketch (no ratios).")
@click.option("--ray", "on_ray", is_flag=True,
              help="Also build each corpus on a local Ray (build --engine ray): its time, the time of each of its steps, and whether its bytes equal the local build's.")
@click.option("--quality", is_flag=True,
              help="Score body extraction (character P/R/F1) of our segmenter and the peers on the gold pages. Alone it skips the speed run; with --docs it adds a section.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as one JSON object instead of the text report.")
@click.option("--json-out", "json_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Also write the results as JSON to this file, to compare across commits.")
def bench(docs: tuple[int, ...], workers: int, seeds: Path, gold_body: Path, heldout: tuple[Path, ...], exact_share: float,
          near_share: float, stage_docs: int, seed: int, workdir: Path | None, no_peers: bool, on_ray: bool,
          quality: bool, as_json: bool, json_path: Path | None) -> None:
    """Time the build on a synthetic corpus, next to trafilatura, jusText and datasketch.

    Makes N synthetic pages from SEEDS (body sentences recombined, the seeds' page chrome, a share
    of exact and near duplicates), runs the whole build on them with W workers and prints pages/s,
    MB/s, peak memory and the time of each stage, and our speed as a ratio to each peer on the same
    pages. With several --docs, fits build time against N and estimates 10M pages.

    \b
    Example:
        akhbar bench --docs 1000 --docs 10000 --workers 2 --json-out bench.json
        akhbar bench --quality            # body P/R/F1 of ours, trafilatura, jusText on the gold pages
        akhbar bench --docs 5000 --no-peers --ray   # the local build against the Ray build
    """
    import json

    from akhbar.bench import BenchConfig, BenchError, format_report, run_bench, write_json

    if exact_share + near_share > 1:
        raise click.BadParameter("--exact-share plus --near-share must be at most 1.", param_hint="--exact-share")
    speed = bool(docs) or not quality
    cfg = BenchConfig(seeds=seeds, docs=docs or (1000,), workers=workers, seed=seed, exact_share=exact_share,
                      near_share=near_share, stage_docs=stage_docs, peers=not no_peers, gold_body=gold_body,
                      heldout=heldout, quality=quality, speed=speed, workdir=workdir, ray=on_ray)
    try:
        report = run_bench(cfg, log=lambda message: click.echo(message, err=True))
    except BenchError as err:
        _fail(str(err))
    if json_path is not None:
        write_json(report, json_path)
    click.echo(json.dumps(report, ensure_ascii=False, indent=1) if as_json else format_report(report))


# --- contributions and releases -----------------------------------------------------------------

#: Seconds a command waits for another one writing the same folder; AKHBAR_LOCK_TIMEOUT overrides.
LOCK_TIMEOUT = 60.0


@contextmanager
def _locked(*folders: Path) -> Iterator[None]:
    """Hold the lock of each folder (:mod:`akhbar.lock`: ``.akhbar-<name>.lock`` beside it, removed
    afterwards) while a command writes into it.

    A second command on the same folder waits up to ``AKHBAR_LOCK_TIMEOUT`` seconds (default
    :data:`LOCK_TIMEOUT`), then fails with exit code 1 and leaves everything as it was.
    """
    from akhbar.lock import LockTimeout, folder_lock

    timeout = float(os.environ.get("AKHBAR_LOCK_TIMEOUT", LOCK_TIMEOUT))
    with ExitStack() as stack:
        for folder in folders:
            try:
                stack.enter_context(folder_lock(folder, timeout))
            except LockTimeout as err:
                _fail(f"another akhbar command is writing {folder.resolve()} (it holds {err.lock_file}); "
                      f"waited {timeout:g} s. Run this again when it has finished.")
        yield


def _echo_problem(problem) -> None:
    prefix = "warning: " if problem.level == "warning" else ""
    click.echo(f"{prefix}{problem}")


@main.command()
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option("--seeds", type=click.Path(path_type=Path), default=None, is_flag=False, flag_value=Path("seeds"),
              help="Check this folder of input pages and annotation files instead (with DIRECTORY too: both); "
                   "alone, --seeds checks seeds/.")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object {valid, errors, warnings, problems: [{doc_id, json_path, message, level}], "
                   "release: {released, version, date}} instead of lines.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None,
              help="With --seeds: refuse a page larger than this many bytes, as the build does.  [default: 2 MiB]")
def validate(directory: Path | None, seeds: Path | None, as_json: bool, max_bytes: int | None) -> None:
    """Check a built dataset (default dataset/), or the input pages with --seeds.

    Beyond the JSON Schema: unique safe ids, sha256 against the text, spans inside their text,
    sorted and not overlapping, every stored text equal to its slice, body_text equal to its spans,
    entity and event references, the flat configs, links (existing documents, no self links, each
    pair once), the card's YAML against schema/card.schema.json and the data, and in a release its
    checksums and Croissant file. With --seeds: pages the build would refuse, id clashes, and
    annotation files that do not fit their page.

    Prints one line per problem, `<document id>: <field path>: <what is wrong>`, then a summary
    that says whether the dataset is a release (its version and date) or unreleased; exits with 1
    if any problem is an error; lines starting "warning:" (drafts, invisible characters) do not fail.

    \b
    Example:
        akhbar validate                      # the built dataset/
        akhbar validate --seeds              # seeds/, before opening a pull request
        akhbar validate dataset --json
    """
    import json

    from akhbar.read import DEFAULT_MAX_BYTES
    from akhbar.release_state import release_status
    from akhbar.validate import ERROR, validate_dataset, validate_seeds

    dataset = (directory or Path("dataset")) if directory is not None or seeds is None else None
    targets = []
    if seeds is not None:
        targets.append(validate_seeds(seeds, max_bytes or DEFAULT_MAX_BYTES))
    if dataset is not None:
        targets.append(validate_dataset(dataset))
    problems, n_errors, n_warnings = [], 0, 0
    for target in targets:
        for problem in target:
            n_errors += problem.level == ERROR
            n_warnings += problem.level != ERROR
            if as_json:
                problems.append(problem.to_dict())
            else:
                _echo_problem(problem)
    status = release_status(dataset) if dataset is not None and dataset.is_dir() else None
    if as_json:
        result = {"valid": n_errors == 0, "errors": n_errors, "warnings": n_warnings, "problems": problems}
        if status is not None:
            result["release"] = status.to_dict()
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        names = " and ".join(str(p) for p in (seeds, dataset) if p is not None)
        warned = f", {n_warnings} warning(s)" if n_warnings else ""
        released = "" if status is None else f"; {dataset} is {status}" if seeds is not None else f", {status}"
        click.echo(f"{names}: {f'{n_errors} error(s)' if n_errors else 'valid'}{warned}{released}.")
    if n_errors:
        sys.exit(1)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--id", "page_id", default=None,
              help="Id for the page (letters, digits, _ . -; the file becomes <ID>.txt), instead of the next <NNN>_<sha256 prefix>. Only with one FILE.")
@click.option("--seeds", type=click.Path(path_type=Path), default=Path("seeds"), show_default=True,
              help="The seeds folder the pages are copied into.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None,
              help="Refuse a page larger than this many bytes.  [default: 2 MiB]")
def add(files: tuple[Path, ...], page_id: str | None, seeds: Path, max_bytes: int | None) -> None:
    """Add new pages to the seeds folder, each with a draft annotation file to review.

    Each FILE (plain UTF-8 text of one news page) is copied byte for byte to SEEDS/<id>.txt, and
    the automatic annotators write SEEDS/<id>.ann.json with status "draft". A file that is empty,
    binary, not UTF-8 or too large, an id already in use, or a page whose bytes or article body
    equal a seed's is refused (nothing is written, exit 1); a near duplicate is added with a
    warning. Then review the draft, set "status": "gold", and run `akhbar validate --seeds`.

    \b
    Example:
        akhbar add ~/Downloads/article.txt
        akhbar add page.txt --id 012_hespress_rabat_meeting
    """
    from akhbar.add import AddConfig, AddError, add_pages
    from akhbar.read import DEFAULT_MAX_BYTES

    cfg = AddConfig(seeds=seeds, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
    with _locked(seeds):
        try:
            report = add_pages(list(files), cfg, page_id)
        except (AddError, InputError) as err:
            _fail(f"{err}\nNothing was added: {seeds} is unchanged.")
    for warning in report.warnings:
        click.echo(f"warning: {warning}")
    for item in report.added:
        click.echo(f"Added {item.source} as {item.page}; draft {item.annotations}: "
                   f"{item.entities} entities, {item.events} events to review.")
    click.echo(f"Next: review each draft, set \"status\": \"gold\", then `akhbar validate --seeds {seeds}` (CONTRIBUTING.md).",
               err=True)


@main.command()
@click.argument("version")
@click.option("--date", "date_", default=None, help="Release date, YYYY-MM-DD.  [default: today]")
@click.option("--seeds", type=click.Path(path_type=Path), default=Path("seeds"), show_default=True,
              help="Folder of raw pages and their annotation files.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("dataset"), show_default=True,
              help="The dataset folder the release replaces; its release.json is the previous release.")
@click.option("--card", type=click.Path(path_type=Path), default=None,
              help="Also write the human dataset card here.  [default: DATASET_CARD.md when --out is the default]")
@click.option("--changelog", type=click.Path(path_type=Path), default=Path("CHANGELOG.md"), show_default=True,
              help="The changelog the release entry is added to (its Unreleased notes move into the entry).")
@_run_options
@_gold_options
@click.option("--quiet", is_flag=True, help="No progress bars.")
def release(version: str, date_: str | None, seeds: Path, out: Path, card: Path | None, changelog: Path,
            workers: int | None, max_bytes: int | None, gold_body: Path, heldout: tuple[Path, ...], agreement: Path,
            quiet: bool) -> None:
    """Cut release VERSION: validate, build, stamp the card, write checksums, Croissant and the changelog.

    Refuses unless VERSION is a semantic version (MAJOR.MINOR.PATCH) greater than the last release
    and the seeds and the built dataset validate. Writes the version and date into the card's YAML
    and DATASET_CARD.md, OUT/checksums.sha256 (check with `sha256sum -c`), OUT/croissant.json
    (Croissant 1.1 with RAI fields), OUT/release.json, and a CHANGELOG.md entry: documents added,
    removed and changed, and annotation counts per label before and after. Prints the git commands
    that commit and tag it. On any error nothing is changed.

    \b
    Example:
        akhbar release 1.0.0 --date 2025-03-01
        akhbar release 1.1.0                   # then run the git commands it prints
    """
    import datetime as dt

    from akhbar.pipeline import BuildConfig, InputError, RecordError, WorkerError, available_cpus
    from akhbar.read import DEFAULT_MAX_BYTES
    from akhbar.release import ReleaseConfig, ReleaseError
    from akhbar.release import release as cut_release

    if card is None and out == Path("dataset"):
        card = Path("DATASET_CARD.md")
    build_cfg = BuildConfig(seeds=seeds, out=out, workers=workers or available_cpus(),
                            max_bytes=max_bytes or DEFAULT_MAX_BYTES, progress=_progress(quiet))
    cfg = ReleaseConfig(version=version, date=date_ or dt.date.today().isoformat(), build=build_cfg, card=card,
                        changelog=changelog, gold_body=gold_body, heldout=heldout, agreement=agreement)
    with _locked(out, seeds):
        try:
            report = cut_release(cfg)
        except (ReleaseError, InputError, RecordError, WorkerError) as err:
            _fail(f"{err}\nNo release was made: {out} is unchanged.")
    click.echo(report)


@main.command()
@click.option("--seeds", type=click.Path(path_type=Path), default=Path("seeds"), show_default=True,
              help="Seed pages and their gold annotation files (<id>.ann.json).")
@_gold_options
@click.option("--json", "as_json", is_flag=True, help="Print every figure as one JSON object.")
@click.option("--conll", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Score the entity annotator on this CoNLL BIO file (token<TAB>tag) instead, token-exact.")
@click.option("--conll-labels", type=click.Choice(["anercorp"]), default="anercorp", show_default=True,
              help="How the file's labels map to ours (see akhbar.ner.conll.LABEL_MAPS).")
@click.option("--conll-tail", type=click.FloatRange(0, 1, min_open=True), default=1.0, show_default=True,
              help="Score only the last FRACTION of the file's sentences (the dev slice `train-ner --dev-fraction` held out).")
@click.option("--model", "model_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Tag with this entity model file instead of the packaged one (e.g. a `train-ner --dev-fraction` model).")
def evaluate(seeds: Path, gold_body: Path, heldout: tuple[Path, ...], agreement: Path, as_json: bool,
             conll: Path | None, conll_labels: str, conll_tail: float, model_file: Path | None) -> None:
    """Score the segmenter and the automatic annotators against gold data.

    Body extraction (character P/R/F1), metadata, automatic entities (micro and per label) and
    meetings, on the seed pages and on every held-out set; the agreement of the two gold passes;
    near-duplicate detection on synthetic variants. The same figures go into the dataset card.

    With --conll, only the entity annotator is scored, on an outside benchmark: each sentence's
    tokens are joined by spaces, annotated, and a predicted span counts when it covers exactly the
    tokens of a gold span with the same label (labels mapped by --conll-labels; for ANERcorp our
    GPE, LOC and FAC count as its LOC, and its MISC is not scored).

    \b
    Example:
        akhbar evaluate
        akhbar evaluate --heldout tests/heldout_set4 --json > figures.json
        akhbar evaluate --conll ../shared/corpora/anercorp/train.conll --conll-tail 0.1667 --model dev.crfsuite
    """
    import json

    from akhbar import evaluation
    from akhbar.segment import SegmentConfig

    if model_file is not None:
        from akhbar.ner import model

        model.use(model_file)
    if conll is not None:
        _evaluate_conll(conll, conll_labels, conll_tail, as_json)
        return
    try:
        figures = evaluation.run(seeds, gold_body, list(heldout), SegmentConfig(), agreement)
    except InputError as err:
        _fail(str(err))
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=1))
        return
    for line in evaluation.summary_lines(figures):
        click.echo(line)


def _evaluate_conll(path: Path, labels: str, tail: float, as_json: bool) -> None:
    import json

    from akhbar.entities import SOURCE, annotate_entities
    from akhbar.ner.conll import ConllError, read_conll, score

    try:
        sentences = read_conll(path)
    except (ConllError, UnicodeDecodeError) as err:
        _fail(f"{path}: {err}")
    scored = sentences[len(sentences) - int(len(sentences) * tail):]  # as train-ner cuts its dev slice
    figures = score(scored, annotate_entities, labels)
    figures.update(file=str(path), sentences=len(scored), annotator=SOURCE, labels=labels)
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=1))
        return
    micro = figures["micro"]
    click.echo(f"{path} ({len(scored)} sentences, {SOURCE}, labels {labels}): token-exact micro "
               f"P {micro['precision']:.3f} R {micro['recall']:.3f} F1 {micro['f1']:.3f}")
    for label, p in figures["per_label"].items():
        click.echo(f"  {label:<5} P {p['precision']:.3f} R {p['recall']:.3f} F1 {p['f1']:.3f} ({p['tp'] + p['fn']} gold)")


@main.command("train-ner")
@click.option("--anercorp", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=Path("../shared/corpora/anercorp/train.conll"), show_default=True,
              help="ANERcorp's training portion (CoNLL, CC BY-SA 4.0).")
@click.option("--root", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="The repository: seeds/, tests/gold_body/ and the studied held-out sets.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("scripts/akhbar/data/ner/tagger.crfsuite"), show_default=True,
              help="Where to write the model file.")
@click.option("--dev-fraction", type=click.FloatRange(0, 1, max_open=True), default=0.0, show_default=True,
              help="Leave out the last FRACTION of ANERcorp's sentences (score them with `evaluate --conll-tail`).")
def train_ner(anercorp: Path, root: Path, out: Path, dev_fraction: float) -> None:
    """Train the entity tagger (a CRF) offline and write its model file.

    The same inputs give the same model bytes; the shipped model is this command's output with
    the defaults (a test checks it). Training reads ANERcorp and the project's studied gold, never
    a set reported as blind; it takes a few minutes on one core.

    \b
    Example:
        akhbar train-ner
        akhbar train-ner --dev-fraction 0.1667 --out /tmp/dev.crfsuite
    """
    from akhbar.ner.conll import ConllError
    from akhbar.ner.train import train

    click.echo(f"training the entity tagger on {anercorp} and the gold under {root} ...", err=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    try:
        counts = train(anercorp, root, tmp, dev_fraction)
        os.replace(tmp, out)
    except ConllError as err:
        _fail(str(err))
    finally:
        tmp.unlink(missing_ok=True)
    click.echo(f"wrote {out} ({out.stat().st_size:,} bytes): {counts['anercorp_sentences']} ANERcorp sentences, "
               f"{counts['gold_sentences']} gold sentences")


# --- annotators' and researchers' tools --------------------------------------------------------

@main.command()
@click.argument("pages", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print each record as one JSON line (the documents config's record).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None,
              help="Refuse a page larger than this many bytes.  [default: 5 MiB]")
def annotate(pages: tuple[Path, ...], as_json: bool, max_bytes: int | None) -> None:
    """Show the record the build would make for each PAGE; nothing is written.

    Runs the build's per-page steps (segment, metadata, entities, events, schema check) on each
    page, using a gold <id>.ann.json beside it as the build does. Lines repeated across pages are
    counted over the PAGEs given; there is no link step, so dedup_cluster is the page's own id.

    \b
    Example:
        akhbar annotate ~/Downloads/article.txt
        akhbar annotate seeds/*.txt --json > records.jsonl
    """
    import json

    from akhbar.annotate import annotate_pages, summary_lines
    from akhbar.pipeline import RecordError
    from akhbar.read import DEFAULT_MAX_BYTES

    try:
        for record in annotate_pages(list(pages), max_bytes or DEFAULT_MAX_BYTES):
            if as_json:
                click.echo(json.dumps(record, ensure_ascii=False))
            else:
                click.echo("\n".join(summary_lines(record)))
    except (InputError, RecordError) as err:
        _fail(str(err))


@main.command()
@click.option("--format", "fmt", type=click.Choice(["conll", "brat", "labelstudio", "spacy"]), required=True,
              help="conll: ner.conll (token TAB BIO tag); brat: <id>.txt/.ann/.akhbar.json + annotation.conf; "
                   "labelstudio: tasks.json + labeling_config.xml; spacy: ner.spacy, a DocBin (needs akhbar[spacy]).")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Folder the files are written into (made if missing).")
@click.option("--dataset", type=click.Path(path_type=Path), default=Path("dataset"), show_default=True,
              help="The built dataset whose documents are exported.")
@click.option("--seeds", type=click.Path(path_type=Path), default=None,
              help="Export the records the build's per-page steps make from this seeds folder instead of --dataset.")
def export(fmt: str, out: Path, dataset: Path, seeds: Path | None) -> None:
    """Write the entities of every document in a format annotation tools or NER trainers read.

    Tools are shown each document's body_text. brat and Label Studio files also carry what
    `akhbar import` needs to bring corrections back into seeds/<id>.ann.json (the page's sha256 and
    body spans, canonical names, the events, which travel unchanged).

    \b
    Example:
        akhbar export --format labelstudio --out /tmp/ls     # import tasks.json into Label Studio
        akhbar export --format conll --out /tmp/conll
        akhbar export --format brat --seeds seeds --out /tmp/brat
    """
    from akhbar.export import ExportError, dataset_records, export_records, seed_records
    from akhbar.pipeline import RecordError

    from tqdm import tqdm

    records = seed_records(seeds) if seeds is not None else dataset_records(dataset)
    try:
        written = export_records(tqdm(records, desc="export", unit="doc", disable=not sys.stderr.isatty()), fmt, out)
    except (ExportError, InputError, RecordError) as err:
        _fail(str(err))
    click.echo(f"Wrote {len(written)} file(s) into {out}.")


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["labelstudio", "brat"]), required=True,
              help="labelstudio: a JSON export of tasks made by `akhbar export`; brat: <id>.ann files (with <id>.txt and <id>.akhbar.json beside them).")
@click.option("--seeds", type=click.Path(path_type=Path), default=Path("seeds"), show_default=True,
              help="The seeds folder whose <id>.ann.json files are written.")
@click.option("--status", type=click.Choice(["gold", "draft"]), default=None,
              help="Status of the written files.  [default: the one chosen in Label Studio, else the exported one]")
def import_(files: tuple[Path, ...], fmt: str, seeds: Path, status: str | None) -> None:
    """Write corrected annotations from brat or Label Studio back into seeds/<id>.ann.json.

    Entity spans, labels and canonical names come from the tool; offsets are mapped from the body
    text back to raw_text. A span outside the text, differing from its slice, across a paragraph
    break or with an unknown label refuses the import, naming the file, the document and the span;
    then nothing is written.

    \b
    Example:
        akhbar import --format labelstudio ~/Downloads/project-1-export.json --status gold
        akhbar import --format brat /tmp/brat/*.ann
        akhbar validate --seeds seeds && akhbar build
    """
    from akhbar.importer import ImportFailed, import_files

    with _locked(seeds):
        try:
            written = import_files(list(files), fmt, seeds, status)
        except ImportFailed as err:
            for problem in err.problems:
                click.echo(f"Error: {problem}", err=True)
            _fail(f"nothing was imported: {seeds} is unchanged.")
    for path in written:
        click.echo(f"Wrote {path}")
    click.echo(f"Imported {len(written)} document(s). Next: `akhbar validate --seeds {seeds}` and `akhbar build`.")


@main.command()
@click.option("--dataset", type=click.Path(path_type=Path), default=Path("dataset"), show_default=True,
              help="The built dataset to show.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("site"), show_default=True,
              help="Folder of the site: index.html and doc/<id>.html (made if missing).")
def view(dataset: Path, out: Path) -> None:
    """Write a static HTML site to look at every document with its layers (no network needed).

    index.html lists the documents (title, publisher, date, duplicate cluster); each document's page,
    right to left, shows the body with entities highlighted by label and a legend, the events with
    their arguments linked to their spans, links to duplicates and same-event reports, and the raw
    page with its boilerplate greyed and labelled.

    \b
    Example:
        akhbar view --out /tmp/akhbar-site && xdg-open /tmp/akhbar-site/index.html
    """
    from akhbar.site import build_site

    if not (dataset / "data" / "documents").is_dir():
        _fail(f"{dataset}: not a built dataset (no data/documents/); run `akhbar build` first")
    if out.exists() and not out.is_dir():
        _fail(f"{out}: the output path is a file, not a folder")
    written = build_site(dataset, out, progress=sys.stderr.isatty())
    click.echo(f"Wrote {len(written)} pages; open {out / 'index.html'}")


if __name__ == "__main__":  # pragma: no cover
    main()
