"""The bench: the synthetic corpus (deterministic, with the requested duplicates), the stage-by-stage
copy of process_page, the peers' line mapping, the fit, and the report's structure. No timing checks."""

import json
import math
import sys
from pathlib import Path

import pytest

from akhbar import bench, links
from akhbar.bench import BenchConfig, SyntheticCorpus, load_source, peer_kept_spans, write_corpus
from akhbar.cli import main
from akhbar.peer_html import as_html
from akhbar.read import read_page, seed_paths
from conftest import explain

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "gold_body"
QUALITY_ARGS = ["--seeds", str(SEEDS), "--gold-body", str(GOLD),
                "--heldout", str(ROOT / "tests/heldout"), "--heldout", str(ROOT / "tests/heldout_final")]


@pytest.fixture(scope="module")
def source(fixture_seeds):
    return load_source(fixture_seeds, GOLD)


def test_source_has_templates_and_sentences(source):
    assert len(source.templates) == 5
    assert len(source.sentences) >= 20
    assert all(s.endswith(bench._SENTENCE_FINAL) for s in source.sentences)


def test_corpus_is_deterministic_and_prefix_stable(source):
    a = list(SyntheticCorpus(source, seed=3).pages(60))
    b = list(SyntheticCorpus(source, seed=3).pages(60))
    assert a == b
    assert list(SyntheticCorpus(source, seed=3).pages(25)) == a[:25]  # page i does not depend on N
    assert [p.text for p in SyntheticCorpus(source, seed=4).pages(60)] != [p.text for p in a]
    assert [p.id for p in a] == sorted(p.id for p in a)
    assert len({p.text for p in a if p.kind == "original"}) == sum(p.kind == "original" for p in a)


def test_corpus_has_the_requested_duplicate_shares(source):
    n, exact_share, near_share = 400, 0.1, 0.15
    corpus = SyntheticCorpus(source, seed=0, exact_share=exact_share, near_share=near_share)
    pages = list(corpus.pages(n))
    by_id = {p.id: p for p in pages}
    duplicates = math.floor(n * (exact_share + near_share))
    exact = math.floor(duplicates * exact_share / (exact_share + near_share))
    assert sum(p.kind == "exact" for p in pages) == exact == 40
    assert sum(p.kind == "near" for p in pages) == duplicates - exact == 60
    assert pages[0].kind == "original"
    cfg = links.LinkConfig()
    for page in pages:
        if page.kind == "original":
            assert page.source is None
            continue
        original = by_id[page.source]
        assert original.kind == "original" and original.id < page.id
        if page.kind == "exact":
            assert page.body == original.body
        else:
            assert page.body != original.body
            similarity = links.jaccard(links.shingles(page.body, cfg.shingle_size), links.shingles(original.body, cfg.shingle_size))
            assert similarity >= cfg.threshold, (page.id, similarity)


def test_no_duplicates_when_the_shares_are_zero(source):
    assert {p.kind for p in SyntheticCorpus(source, exact_share=0, near_share=0).pages(50)} == {"original"}


def test_pages_hold_their_body_lines_in_seed_chrome(source):
    for page in SyntheticCorpus(source).pages(40):
        lines = page.text.split("\n")
        for paragraph in page.body.split("\n"):
            assert paragraph in lines  # each paragraph is one line of the page
        assert "\ue000" not in page.text and "\ue001" not in page.text and "\ue002" not in page.text


def test_write_corpus_streams_files(tmp_path, source):
    stats = write_corpus(tmp_path / "corpus", SyntheticCorpus(source).pages(30))
    paths = seed_paths(tmp_path / "corpus")
    assert stats.pages == len(paths) == 30
    assert stats.original + stats.exact + stats.near == 30
    assert stats.bytes == sum(p.stat().st_size for p in paths)
    assert read_page(paths[0]).id == bench.page_id(0)


def test_staged_page_is_process_page(tmp_path, source):
    from akhbar.pipeline import BuildConfig, count_lines, process_page

    write_corpus(tmp_path / "corpus", SyntheticCorpus(source).pages(12))
    paths = seed_paths(tmp_path / "corpus")
    cfg = BuildConfig(seeds=tmp_path / "corpus", out=tmp_path / "out", progress=False)
    counts = count_lines(paths, cfg)
    clock = bench.Stopwatch()
    for path in paths:
        ours, theirs = bench.staged_page(path, counts, cfg, clock), process_page(path, counts, cfg)
        assert ours.record == theirs.record
        assert ours.exact_key == theirs.exact_key
        assert (ours.signature == theirs.signature).all()
    assert set(clock.seconds) == {"read", "boilerplate", "metadata", "entities", "events", "validate", "links"}


def test_peer_kept_spans_maps_output_back_to_lines():
    raw = "الرئيسية | أخبار\n\nأكد  الوزير أن الاجتماع   انعقد في الرباط.\nتعليقات\n"
    output = "أكد الوزير أن الاجتماع انعقد\nفي الرباط."
    assert peer_kept_spans(raw, output) == [(18, 18 + len("أكد  الوزير أن الاجتماع   انعقد في الرباط."))]
    assert peer_kept_spans(raw, "") == []


def test_peers_read_block_html_rebuilt_from_the_lines():
    page = ("وزارة الخارجية\nالرئيسية\nأخبار\nرياضة\n\nالعنوان القصير\n"
            "أكد الوزير أن الاجتماع انعقد في الرباط بحضور وزراء خارجية دول التحالف الدولي.\n\nتعليق <واحد>\n")
    html = as_html(page)
    assert "<title>وزارة الخارجية</title>" in html
    assert "<div><ul><li>وزارة الخارجية</li><li>الرئيسية</li><li>أخبار</li><li>رياضة</li></ul></div>" in html
    assert "<div><h2>العنوان القصير</h2>\n<p>أكد الوزير" in html
    assert "<div><div>تعليق &lt;واحد&gt;</div></div>" in html  # a short line alone, escaped


def test_linear_fit():
    fit = bench.linear_fit([(1000, 12.0), (2000, 22.0), (4000, 42.0)])
    assert fit["slope"] == pytest.approx(0.01)
    assert fit["intercept"] == pytest.approx(2.0)
    assert fit["r2"] == pytest.approx(1.0)
    assert fit["at_10M"] == pytest.approx(100_002.0)
    assert bench.linear_fit([(1000, 12.0)]) is None


def test_config_rejects_shares_over_one():
    with pytest.raises(ValueError, match="add up to at most 1"):
        BenchConfig(exact_share=0.6, near_share=0.5)


def test_cli_rejects_shares_over_one(runner):
    result = runner.invoke(main, ["bench", "--exact-share", "0.6", "--near-share", "0.6"])
    assert result.exit_code == 2
    assert "--exact-share plus --near-share must be at most 1." in result.output


def test_cli_names_the_extra_when_a_peer_is_missing(runner, monkeypatch):
    pytest.importorskip("trafilatura")  # the message names the first peer missing
    monkeypatch.setitem(sys.modules, "justext", None)  # import justext now raises ImportError
    result = runner.invoke(main, ["bench", "--quality", *QUALITY_ARGS])
    assert result.exit_code == 1
    assert "jusText is not installed" in result.output
    assert "pip install -e '.[bench]'" in result.output and "--no-peers" in result.output


def test_cli_quality_report(runner, tmp_path):
    pytest.importorskip("trafilatura")
    pytest.importorskip("justext")
    out = tmp_path / "quality.json"
    result = runner.invoke(main, ["bench", "--quality", *QUALITY_ARGS, "--json-out", str(out)])
    assert result.exit_code == 0, explain(result)
    assert "body extraction, heldout (" in result.output
    assert "(peers read each page as HTML rebuilt from its lines (akhbar.peer_html): blocks between blank lines as <div>" in result.stdout
    report = json.loads(out.read_text(encoding="utf-8"))
    assert "runs" not in report  # --quality alone skips the speed run
    assert set(report["quality"]) == {"seeds", "heldout", "heldout_final"}
    for part in report["quality"].values():
        assert set(part["systems"]) == {"akhbar", "keep_every_line", "trafilatura", "justext"}
        for scores in part["systems"].values():
            assert 0 <= scores["precision"] <= 1 and 0 <= scores["recall"] <= 1 and 0 <= scores["f1"] <= 1
            assert len(scores["per_document"]) == part["documents"]
        assert part["systems"]["keep_every_line"]["recall"] == 1.0


def test_cli_speed_report_structure(runner, tmp_path):
    pytest.importorskip("trafilatura")
    pytest.importorskip("justext")
    out = tmp_path / "bench.json"
    result = runner.invoke(main, ["bench", "--docs", "20", "--docs", "40", "--stage-docs", "10", "--seeds", str(SEEDS),
                                  "--gold-body", str(GOLD), "--workdir", str(tmp_path / "work"), "--json-out", str(out)])
    assert result.exit_code == 0, explain(result)
    for text in ("pages/s", "MB/s", "peak RSS", "least squares", "10M pages", "trafilatura", "justext", "dedup"):
        assert text in result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [run["docs"] for run in report["runs"]] == [20, 40]
    for run in report["runs"]:
        assert run["corpus"]["pages"] == run["docs"]
        assert run["corpus"]["exact"] == run["docs"] // 10 and run["corpus"]["near"] == run["docs"] // 10
        build = run["build"]
        assert build["rows"]["documents"] == run["docs"]
        assert build["rows"]["link_relations"].get("exact_duplicate", 0) >= 1
        for key in ("seconds", "pages_per_s", "mb_per_s", "peak_rss_mb", "main_maxrss_mb", "worker_maxrss_mb"):
            assert build[key] > 0, key
        assert set(run["peers"]) == {"trafilatura", "justext", "dedup"}
        assert run["peers"]["trafilatura"]["ratio"] > 0 and run["peers"]["dedup"]["ratio"] > 0
    assert list(report["stages"]["stages"]) == list(bench.STAGES)
    assert report["stages"]["pages"] == 10
    assert set(report["stages"]["peers_one_core"]) == {"trafilatura", "justext"}
    assert set(report["fit"]) == {"slope_s_per_1k_pages", "intercept_s", "r2", "estimate_10M_hours", "per_page_growth"}
    assert "memory_fit" in report
    assert not list((tmp_path / "work").iterdir())  # each size's corpus and build are removed


def test_cli_speed_report_without_peers(runner, tmp_path):
    result = runner.invoke(main, ["bench", "--docs", "15", "--stage-docs", "5", "--no-peers", "--seeds", str(SEEDS),
                                  "--gold-body", str(GOLD), "--workdir", str(tmp_path), "--json"])
    assert result.exit_code == 0, explain(result)
    report = json.loads(result.stdout)
    assert report["fit"] is None  # one size: no fit
    assert "peers" not in report["runs"][0] and "peers_one_core" not in report["stages"]
