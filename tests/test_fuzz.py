"""Generated bad inputs (hypothesis) for the reader and the validator: every one is refused with a
clear message and no traceback, and a failed build never changes the dataset it would replace.

Fixed example counts and derandomize=True: the same examples on every run, a few seconds in all.
"""

import copy
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from akhbar.cli import main
from akhbar.read import InputError, decode
from akhbar.validate import annotation_findings, record_findings
from akhbar.write import iter_rows
from conftest import FIXTURE_IDS, SEEDS

FUZZ = settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
#: One line of `akhbar validate`: `<file or id>: <JSON path or place>: <what is wrong>`.
PROBLEM_LINE = re.compile(r"^(warning: )?[^:\s]+: (\$\S*|line \d+|[a-z]+\[\d+\]\S*|[a-z]+ config): \S.*$")
DOC = FIXTURE_IDS[3]
PAGE = SEEDS / f"{DOC}.txt"
ANNOTATIONS = json.loads((SEEDS / f"{DOC}.ann.json").read_text(encoding="utf-8"))

#: JSON values of every type, small; not null, which some fields accept.
json_values = st.recursive(st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                           max_leaves=6)


def _paths(value, prefix=()):
    """Every path into a JSON value (keys and list indices), the value's own included."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _paths(item, prefix + (n,))


def _get(value, path):
    for part in path:
        value = value[part]
    return value


def _set(value, path, new):
    value = copy.deepcopy(value)
    if not path:
        return new
    _get(value, path[:-1])[path[-1]] = new
    return value


def _same_type(a, b) -> bool:
    number = (int, float)
    return type(a) is type(b) or (isinstance(a, number) and isinstance(b, number) and not isinstance(a, bool) and not isinstance(b, bool))


def wrong_types(document):
    """(path, mutated document) with one value replaced by a value of another JSON type."""
    paths = [path for path in _paths(document) if path]
    return st.tuples(st.sampled_from(paths), json_values).filter(
        lambda pv: not _same_type(_get(document, pv[0]), pv[1])).map(lambda pv: (pv[0], _set(document, pv[0], pv[1])))


# --- the reader ------------------------------------------------------------------------------------

_printable = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=20)  # no NUL: that is "binary"
bad_utf8 = st.tuples(_printable, st.sampled_from([b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xc0\xaf"]),
                     _printable).map(lambda t: t[0].encode("utf-8") + t[1] + t[2].encode("utf-8"))


@FUZZ
@given(data=st.one_of(st.binary(max_size=300), bad_utf8))
def test_the_reader_decodes_or_refuses_any_bytes(data):
    try:
        text, warnings = decode(data, "page.txt", max_bytes=200)
    except InputError as err:
        assert str(err).startswith("page.txt: ") and "\n" not in str(err)
        return
    assert isinstance(text, str) and text.strip() and "\r" not in text and all(isinstance(w, str) for w in warnings)


@FUZZ
@given(data=bad_utf8)
def test_bad_utf8_names_the_byte(data):
    with pytest.raises(InputError, match=r"^page\.txt: the file is not UTF-8: byte 0x[0-9a-f]{2} at offset \d+ is invalid$"):
        decode(data, "page.txt")


# --- the validator, seeds --------------------------------------------------------------------------

def check_annotations(data):
    raw = decode(PAGE.read_bytes())[0]
    return list(annotation_findings(data, DOC, hashlib.sha256(PAGE.read_bytes()).hexdigest(), raw))


@FUZZ
@given(mutation=wrong_types(ANNOTATIONS))
def test_an_annotation_value_of_a_wrong_type_is_refused(mutation):
    path, data = mutation
    findings = check_annotations(data)  # never raises
    assert findings, f"{path} changed type and nothing was found"
    assert all(f.json_path.startswith("$") and f.message for f in findings)


@FUZZ
@given(n=st.integers(0, len(ANNOTATIONS["entities"]) - 1), start=st.integers(-5, 20_000), length=st.integers(-3, 40))
def test_bad_entity_offsets_are_refused(n, start, length):
    data = copy.deepcopy(ANNOTATIONS)
    entity = data["entities"][n]
    entity["start"], entity["end"] = start, start + length
    raw = decode(PAGE.read_bytes())[0]
    findings = check_annotations(data)
    if not (0 <= start < start + length <= len(raw) and raw[start:start + length] == entity["text"]):
        assert any(f.json_path.startswith(f"$.entities[{n}]") for f in findings), findings


@FUZZ
@given(cut=st.integers(0, 400), junk=st.binary(min_size=1, max_size=6))
def test_a_broken_annotation_file_is_one_clear_line(tmp_path_factory, cut, junk):
    seeds = tmp_path_factory.mktemp("seeds")
    shutil.copy(PAGE, seeds / PAGE.name)
    text = (SEEDS / f"{DOC}.ann.json").read_bytes()
    (seeds / f"{DOC}.ann.json").write_bytes(text[:cut] + junk)
    result = CliRunner().invoke(main, ["validate", "--seeds", str(seeds)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{DOC}.ann.json: $") and re.fullmatch(rf"{re.escape(str(seeds))}: \d+ error\(s\)\.", lines[-1])
    assert all(PROBLEM_LINE.match(line) for line in lines[:-1]), lines


# --- the validator, built records ------------------------------------------------------------------

@pytest.fixture(scope="module")
def record(built):
    [found] = [r for r in iter_rows(built, "documents") if r["id"] == DOC]
    return found


@FUZZ
@given(data=st.data())
def test_a_record_value_of_a_wrong_type_is_refused(record, data):
    path, mutated = data.draw(wrong_types({k: v for k, v in record.items() if k != "raw_text"}))
    mutated["raw_text"] = record["raw_text"]
    findings = list(record_findings(mutated))  # never raises
    assert findings, f"{path} changed type and nothing was found"
    assert not any("please report" in f.message for f in findings), findings


@FUZZ
@given(data=st.data())
def test_bad_offsets_in_a_record_are_refused(record, data):
    field = data.draw(st.sampled_from(["entities", "body_spans"]))  # (a boilerplate span may move inside its gap)
    n = data.draw(st.integers(0, len(record[field]) - 1))
    item = copy.deepcopy(record[field][n])
    start, end = item["start"], item["end"]
    item["start"] = data.draw(st.integers(-5, len(record["raw_text"]) + 5).filter(lambda v: v != start))
    item["end"] = data.draw(st.integers(-5, len(record["raw_text"]) + 5))
    mutated = {**record, field: [*record[field][:n], item, *record[field][n + 1:]]}
    findings = list(record_findings(mutated))
    assert findings and not any("please report" in f.message for f in findings), (field, n, item)


# --- failed commands leave the dataset alone -------------------------------------------------------

def tree_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@settings(max_examples=6, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutation=wrong_types({k: v for k, v in ANNOTATIONS.items() if k in ("status", "entities", "events")}))
def test_a_failed_build_leaves_the_dataset_as_it_was(built, tmp_path_factory, mutation):
    path, part = mutation
    work = tmp_path_factory.mktemp("work")
    out = work / "dataset"
    shutil.copytree(built, out)
    before = tree_hashes(out)
    seeds = work / "seeds"
    seeds.mkdir()
    shutil.copy(PAGE, seeds / PAGE.name)
    annotations = {**ANNOTATIONS, **part, "status": "gold"} if path[:1] != ("status",) else {**ANNOTATIONS, **part}
    (seeds / f"{DOC}.ann.json").write_text(json.dumps(annotations, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--out", str(out), "--workers", "1", "--quiet",
                                       "--gold-body", str(work / "none"), "--agreement", str(work / "none")])
    assert result.exit_code == 1, (path, result.output)
    assert "Traceback" not in result.output
    assert result.stderr.startswith(f"Error: {seeds / DOC}.ann.json: ") and result.stderr.endswith(f"Nothing was written: {out} is unchanged.\n")
    assert tree_hashes(out) == before
    assert sorted(p.name for p in work.iterdir()) == ["dataset", "seeds"]
