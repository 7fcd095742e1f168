"""Tests of the duplicate-links stage (akhbar.links)."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from akhbar.links import (
    EMPTY_HASH, EXACT_DUPLICATE, NEAR_DUPLICATE, SAME_EVENT, Link, LinkConfig, SignatureStore, dedup_clusters,
    duplicate_pairs, evaluate_near_duplicates, evaluation_articles, exact_key, find_links, jaccard,
    lsh_candidate_probability, same_event_links, shingles, sign, signature,
)

CFG = LinkConfig()
SEEDS = Path(__file__).resolve().parents[1] / "seeds"

ARTICLE = evaluation_articles()[0]  # the coalition meeting
BODY = "\n\n".join(ARTICLE["paragraphs"])
OTHER_REPORT = "\n\n".join(ARTICLE["other_report"])


def run(docs: dict[str, str], cfg: LinkConfig = CFG) -> list[Link]:
    return find_links(((i, exact_key(t), signature(t, cfg)) for i, t in docs.items()), cfg)


def relations(links: list[Link]) -> set[tuple[str, str, str]]:
    return {(link.source, link.target, link.relation) for link in links}


# ---------------------------------------------------------------- per-document functions

def test_shingles_split_arabic_words_and_drop_punctuation():
    assert np.array_equal(shingles("قال الوزير: «نعم»، سنوقع الاتفاق اليوم.", 2),
                          shingles("قال الوزير نعم سنوقع الاتفاق اليوم", 2))
    assert shingles("قال الوزير نعم سنوقع الاتفاق اليوم", 2).size == 5


def test_shingles_of_short_and_empty_texts():
    assert shingles("ثلاث كلمات فقط", 5).size == 1
    assert shingles("", 5).size == 0
    assert shingles("… ، ؛ !", 5).size == 0


def test_arabic_indic_digits_shingle_like_ascii_digits():
    assert np.array_equal(shingles("بلغت نسبة النجاح ٦٨ في المئة", 5),
                          shingles("بلغت نسبة النجاح 68 في المئة", 5))


def test_signature_shape_and_empty_text():
    sig = signature(BODY, CFG)
    assert sig.dtype == np.uint32 and sig.shape == (CFG.num_perm,)
    assert (signature("", CFG) == EMPTY_HASH).all()


def test_signature_is_the_same_in_another_process():
    """No salted hash(): a fresh interpreter with another hash seed gives the same signature."""
    code = ("import sys; from akhbar.links import LinkConfig, signature; "
            "sys.stdout.write(signature(sys.stdin.read(), LinkConfig()).tobytes().hex())")
    out = subprocess.run([sys.executable, "-c", code], input=BODY, capture_output=True, text=True,
                         check=True, env={"PYTHONHASHSEED": "12345", "PATH": ""}).stdout
    assert out == signature(BODY, CFG).tobytes().hex()


def test_config_rejects_more_band_slots_than_permutations():
    with pytest.raises(ValueError, match="bands × rows"):
        LinkConfig(bands=32, rows=5)


def test_s_curve_of_the_default_banding():
    assert lsh_candidate_probability(CFG.threshold, CFG.bands, CFG.rows) > 0.9
    assert lsh_candidate_probability(0.3, CFG.bands, CFG.rows) < 0.02


# ---------------------------------------------------------------- find_links

def test_identical_texts_are_exact_duplicates():
    links = run({"a": BODY, "b": BODY})
    assert links == [Link("a", "b", EXACT_DUPLICATE, 1.0, "sha256(normalize_for_identity)")]


def test_whitespace_tatweel_and_diacritics_are_exact_duplicates():
    cosmetic = (BODY.replace("الاجتماع", "الاجتمـــاع").replace("الحكومة", "الحُكُومَةِ")
                .replace(" ", "  ").replace("\n\n", "\n \t\n"))
    assert cosmetic != BODY
    assert relations(run({"a": BODY, "b": cosmetic})) == {("a", "b", EXACT_DUPLICATE)}


def test_copy_with_one_sentence_in_ten_rewritten_is_near_duplicate():
    old = "واستمر الاجتماع أكثر من 5 ساعات بحضور رئيس الوزراء ووزير المالية وممثلين عن 4 أحزاب."
    new = "ودام اللقاء نحو ست ساعات وشارك فيه رئيس الحكومة ووزير الاقتصاد ومندوبون عن الأحزاب الأربعة."
    edited = BODY.replace(old, new)
    assert edited != BODY
    true_j = jaccard(shingles(BODY, 5), shingles(edited, 5))
    assert 0.7 <= true_j < 0.9
    [link] = run({"a": BODY, "b": edited})
    assert (link.relation, link.source, link.target) == (NEAR_DUPLICATE, "a", "b")
    assert abs(link.score - true_j) < 0.12
    assert link.method == "minhash-lsh(5-word shingles,128 perm,21x6,jaccard>=0.7)"


@pytest.mark.parametrize("article", evaluation_articles(), ids=lambda a: a["id"])
def test_other_report_of_the_same_event_is_not_linked(article):
    base, other = "\n\n".join(article["paragraphs"]), "\n\n".join(article["other_report"])
    assert jaccard(shingles(base, 5), shingles(other, 5)) < 0.05
    assert run({"a": base, "b": other}) == []


def test_real_page_body_and_its_chrome_stripped_copy():
    full, stripped = SEEDS / "000_fbc571900ffe66a1.txt", SEEDS / "004_ee8cea2746094a76.txt"
    if not (full.exists() and stripped.exists()):
        pytest.skip("seeds/ is not in this checkout")
    body = "\n".join(full.read_text(encoding="utf-8").split("\n")[16:37])  # lines 17–37
    copy = stripped.read_text(encoding="utf-8")
    assert 0.85 <= jaccard(shingles(body, 5), shingles(copy, 5)) <= 0.93
    assert relations(run({"full": body, "stripped": copy})) == {("full", "stripped", NEAR_DUPLICATE)}


def test_an_exact_pair_is_not_also_a_near_pair():
    edited = BODY + "\n\nوالله ولي التوفيق."
    links = run({"c": BODY, "a": BODY, "b": BODY, "d": edited})
    # a star from the smallest copy, and the near link from that representative only
    assert relations(links) == {("a", "b", EXACT_DUPLICATE), ("a", "c", EXACT_DUPLICATE),
                                ("a", "d", NEAR_DUPLICATE)}


def test_texts_without_words_are_never_near_duplicates():
    assert relations(run({"a": "…", "b": "!!", "c": ""})) == set()


def test_same_input_and_shuffled_input_give_the_same_links():
    rng = random.Random(7)
    docs = {f"doc{n:02d}": "\n\n".join(a["paragraphs"]) for n, a in enumerate(evaluation_articles())}
    docs |= {f"copy{k}": docs[k] for k in list(docs)[:2]}
    docs |= {f"edit{k}": docs[k] + " وأضاف المصدر أن الاجتماع المقبل سيعقد الأسبوع القادم." for k in list(docs)[:3]}
    items = [(i, exact_key(t), signature(t, CFG)) for i, t in docs.items()]
    first = find_links(items, CFG)
    shuffled = items[:]
    rng.shuffle(shuffled)
    assert find_links(items, CFG) == first == find_links(iter(shuffled), CFG)
    assert {l.relation for l in first} == {EXACT_DUPLICATE, NEAR_DUPLICATE}
    assert first == sorted(first, key=lambda l: (l.source, l.target, l.relation))
    assert all(l.source < l.target for l in first)


def test_find_links_rejects_duplicate_ids_and_foreign_signatures():
    sig = signature(BODY, CFG)
    with pytest.raises(ValueError, match="same document id twice"):
        find_links([("a", "k", sig), ("a", "k", sig)], CFG)
    with pytest.raises(ValueError, match="expected uint32\\[128\\]"):
        find_links([("a", "k", sig.astype(np.uint64))], CFG)


def test_sign_is_exact_key_and_signature():
    key, sig = sign(BODY, CFG)
    assert key == exact_key(BODY) and np.array_equal(sig, signature(BODY, CFG))


def _store(tmp_path: Path, texts: list[str | None]) -> SignatureStore:
    store = SignatureStore(tmp_path / "store", CFG)
    for text in texts:
        store.add(*(sign(text, CFG) if text is not None else (None, None)))
    store.close()
    return store


def test_store_rows_give_the_links_of_find_links(tmp_path):
    edited = BODY + "\n\nوالله ولي التوفيق."
    texts = [OTHER_REPORT, BODY, None, edited, BODY, None, "…", "…", BODY]
    ids = ["e", "c", "x", "d", "a", "y", "f", "g", "b"]
    pairs = duplicate_pairs(_store(tmp_path, texts), CFG)
    assert [g.tolist() for g in pairs.groups] == [[1, 4, 8], [6, 7]]  # pages without a body never group
    assert pairs.rows().tolist() == [1, 3, 4, 6, 7, 8]
    links = pairs.links({row: ids[row] for row in pairs.rows().tolist()}, CFG)
    items = [(i, *sign(t, CFG)) for i, t in zip(ids, texts) if t is not None]
    assert links == find_links(items, CFG)
    assert relations(links) == {("a", "b", EXACT_DUPLICATE), ("a", "c", EXACT_DUPLICATE),
                                ("f", "g", EXACT_DUPLICATE), ("a", "d", NEAR_DUPLICATE)}


def test_equal_key_prefixes_are_split_by_the_full_keys(tmp_path):
    store = _store(tmp_path, [BODY, OTHER_REPORT, BODY, OTHER_REPORT, "نص آخر مختلف تماما عن غيره"])
    np.zeros(store.rows, dtype=np.uint64).tofile(store.folder / "key-prefix.u64")  # every prefix collides
    assert [g.tolist() for g in duplicate_pairs(store, CFG).groups] == [[0, 2], [1, 3]]


def test_store_rejects_foreign_signatures(tmp_path):
    store = SignatureStore(tmp_path / "store", CFG)
    with pytest.raises(ValueError, match="expected uint32\\[128\\]"):
        store.add("k", signature(BODY, CFG)[:64])
    store.close()


# ---------------------------------------------------------------- clusters and events

def test_dedup_clusters_follow_exact_and_near_links_but_not_events():
    links = [Link("b", "c", NEAR_DUPLICATE, 0.8, "m"), Link("c", "d", EXACT_DUPLICATE, 1.0, "m"),
             Link("a", "e", SAME_EVENT, 1.0, "event_key")]
    assert dedup_clusters(["e", "d", "c", "b", "a"], links) == {"a": "a", "b": "b", "c": "b", "d": "b", "e": "e"}
    with pytest.raises(ValueError, match="not in ids"):
        dedup_clusters(["b"], links)


def test_same_event_links_bucket_by_key():
    links = same_event_links([("d3", ["evt:vote"]), ("d1", ["evt:vote", "evt:flood"]),
                              ("d2", ["evt:vote", "evt:flood"]), ("d4", [])])
    # a star per key: every member to the key's smallest id, so k reports cost k - 1 rows
    assert [(l.source, l.target) for l in links] == [("d1", "d2"), ("d1", "d3")]
    assert {(l.relation, l.score, l.method) for l in links} == {(SAME_EVENT, 1.0, "event_key")}


def test_same_event_links_grow_linearly_with_the_reports():
    links = same_event_links((f"doc{i:05d}", ["Contact.Meet|2019-02-06|واشنطن"]) for i in range(2000))
    assert len(links) == 1999 and all(link.source == "doc00000" for link in links)


def test_only_identifying_keys_link_documents():
    from akhbar.events import identifies_meeting
    assert identifies_meeting("Contact.Meet|2019-02-06|واشنطن")
    assert identifies_meeting("Contact.Meet|2021-03-30|virtual")
    assert not identifies_meeting("Contact.Meet|unknown-date|واشنطن")
    assert not identifies_meeting("Contact.Meet|2019-02-06|unknown-place")


# ---------------------------------------------------------------- synthetic evaluation

def test_near_duplicate_evaluation_on_synthetic_variants():
    result = evaluate_near_duplicates()
    rows = {r.kind: r for r in result.rows}
    # pinned floors, a little under the measured 0.881 / 0.833 (all misses are pairs within ±0.07
    # of the threshold, where the 128-slot estimate is as likely to fall either side)
    assert result.precision >= 0.85 and result.recall >= 0.80
    assert rows["other report, same event"].detected == 0.0
    assert rows["cosmetic (tatweel, harakat, spaces)"].detected == 1.0
    assert rows["typos in 2% of words"].detected == 1.0
    assert rows["typos in 10% of words"].detected == 0.0
    assert result == evaluate_near_duplicates()
