"""The shipped entity tagger: a linear-chain CRF (CRFsuite) over :mod:`akhbar.ner.features`.

The model file ``akhbar/data/ner/tagger.crfsuite`` is built offline by ``akhbar train-ner`` (see
``akhbar/data/ner/MODEL_CARD.md``) and loaded once per process; tagging is a pure function of
the features.
"""

from __future__ import annotations

from contextlib import ExitStack
from functools import cache
from importlib import resources
from pathlib import Path

import pycrfsuite

#: Labels the tagger predicts; the closed classes come from the rules.
OPEN_LABELS = ("PERS", "ORG", "GPE", "LOC", "FAC", "NORP", "OCC", "EVENT")
MODEL_RESOURCE = ("data", "ner", "tagger.crfsuite")

_files = ExitStack()
_chosen: list[str] = []


def use(path: str | Path) -> None:
    """Tag with the model file at ``path`` from now on in this process (``evaluate --model``)."""
    _chosen[:] = [str(path)]


def tagger() -> pycrfsuite.Tagger:
    """The CRF tagger: the packaged model, or the one :func:`use` chose; opened once per process."""
    return _open(_chosen[0] if _chosen else None)


@cache
def _open(path: str | None) -> pycrfsuite.Tagger:
    if path is None:
        path = str(_files.enter_context(resources.as_file(resources.files("akhbar").joinpath(*MODEL_RESOURCE))))
    if not Path(path).is_file():
        raise FileNotFoundError(f"entity tagger model not found at {path}: rebuild it with `akhbar train-ner`")
    t = pycrfsuite.Tagger()
    t.open(path)
    return t
