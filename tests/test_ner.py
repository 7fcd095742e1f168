"""The ner config: sentences of body_text, tokens cut at entity edges, BIO tags as a ClassLabel."""

import datasets

from akhbar.ner_config import body_tokens, ner_features, ner_rows, tag_names
from akhbar.write import iter_rows


def record(body: str, entities: list[tuple[str, str]]) -> dict:
    """A minimal documents record whose entities are the first occurrence of each text."""
    out = []
    for n, (text, label) in enumerate(entities, 1):
        start = body.index(text)
        out.append({"id": f"T{n}", "start": start, "end": start + len(text), "text": text, "label": label})
    return {"id": "doc", "body_text": body, "entities": out}


def tagged(row: dict) -> list[tuple[str, str]]:
    return [(token, tag_names()[tag]) for token, tag in zip(row["tokens"], row["ner_tags"])]


def test_a_proclitic_is_cut_off_where_the_entity_starts():
    rows = list(ner_rows(record("اجتمع الوزراء بالرباط أمس.", [("الرباط", "GPE")])))
    assert tagged(rows[0]) == [("اجتمع", "O"), ("الوزراء", "O"), ("ب", "O"), ("الرباط", "B-GPE"), ("أمس", "O"), (".", "O")]


def test_multi_token_entity_is_b_then_i_and_adjacent_entities_each_start_with_b():
    rows = list(ner_rows(record("قال ناصر بوريطة المغرب اليوم", [("ناصر بوريطة", "PERS"), ("المغرب", "GPE")])))
    assert [tag for _, tag in tagged(rows[0])] == ["O", "B-PERS", "I-PERS", "B-GPE", "O"]


def test_sentences_end_at_marks_and_line_breaks_but_not_inside_an_entity():
    body = "وصل د. ناصر بوريطة. ثم غادر\nسطر جديد"
    rows = list(ner_rows(record(body, [("د. ناصر بوريطة", "PERS")])))
    assert [r["tokens"] for r in rows] == [["وصل", "د", ".", "ناصر", "بوريطة", "."], ["ثم", "غادر"], ["سطر", "جديد"]]
    assert [r["sentence"] for r in rows] == [0, 1, 2]
    assert [tag for _, tag in tagged(rows[0])] == ["O", "B-PERS", "I-PERS", "I-PERS", "I-PERS", "O"]


def test_offsets_point_into_body_text():
    body = "أكد التحالف العالمي، أمس في واشنطن"
    for row in ner_rows(record(body, [("واشنطن", "GPE")])):
        assert [body[s:e] for s, e in zip(row["token_starts"], row["token_ends"])] == row["tokens"]


def test_tag_names_follow_the_schema_labels():
    assert tag_names()[:3] == ("O", "B-PERS", "I-PERS")
    assert len(tag_names()) == 31


def test_every_entity_of_the_seeds_is_whole_tokens_and_comes_back_from_the_tags(built):
    """Decode the BIO tags of the built ner config back into spans: they are the entities."""
    rows_by_doc: dict[str, list[dict]] = {}
    for row in iter_rows(built, "ner"):
        rows_by_doc.setdefault(row["document_id"], []).append(row)
    for doc in iter_rows(built, "documents"):
        spans = []
        for row in rows_by_doc.get(doc["id"], []):
            for tag, start, end in zip(row["ner_tags"], row["token_starts"], row["token_ends"]):
                name = tag_names()[tag]
                if name.startswith("B-"):
                    spans.append([start, end, name[2:]])
                elif name.startswith("I-"):
                    assert spans and spans[-1][2] == name[2:]
                    spans[-1][1] = end
        assert [tuple(s) for s in spans] == [(e["start"], e["end"], e["label"]) for e in doc["entities"]], doc["id"]
        tokens = [t for sentence in body_tokens(doc["body_text"], doc["entities"]) for t in sentence]
        assert "".join(doc["body_text"][s:e] for s, e in tokens) == "".join(doc["body_text"].split())


def test_loads_with_load_dataset_as_a_classlabel_sequence(built, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    ner = datasets.load_dataset(str(built), "ner", split="train")
    assert ner.features == ner_features()
    feature = ner.features["ner_tags"].feature
    assert isinstance(feature, datasets.ClassLabel) and feature.names[0] == "O"
    assert ner.num_rows > 5 and any(any(tags) for tags in ner["ner_tags"])


def test_the_token_classification_recipe_finds_its_columns_and_labels(built, monkeypatch):
    """What transformers' run_ner.py does with a dataset, step by step: default columns ``tokens``
    and ``ner_tags``, the label list from the ClassLabel, one label per word."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    ner = datasets.load_dataset(str(built), "ner", split="train")
    column_names, features = ner.column_names, ner.features
    text_column_name = "tokens" if "tokens" in column_names else column_names[0]
    label_column_name = "ner_tags" if "ner_tags" in column_names else column_names[1]
    assert (text_column_name, label_column_name) == ("tokens", "ner_tags")
    assert isinstance(features[label_column_name].feature, datasets.ClassLabel)  # so no label mapping is built
    label_list = features[label_column_name].feature.names
    for example in ner:
        assert len(example[text_column_name]) == len(example[label_column_name])
        assert all(0 <= tag < len(label_list) for tag in example[label_column_name])
        # B-X opens every entity: an I-X never follows a tag of another entity type
        for before, tag in zip(["O"] + [label_list[t] for t in example[label_column_name]], [label_list[t] for t in example[label_column_name]]):
            assert not tag.startswith("I-") or before[2:] == tag[2:]


def test_validate_finds_a_ner_row_that_disagrees_with_the_documents(built, runner, tmp_path):
    import shutil

    import pyarrow as pa
    import pyarrow.parquet as pq

    from akhbar.cli import main

    dataset = tmp_path / "dataset"
    shutil.copytree(built, dataset)
    [path] = sorted((dataset / "data" / "ner").glob("*.parquet"))
    rows = pq.read_table(path).to_pylist()
    n = next(i for i, row in enumerate(rows) if any(row["ner_tags"]))
    k = next(i for i, tag in enumerate(rows[n]["ner_tags"]) if tag)
    rows[n]["ner_tags"][k] = 0  # an entity's token tagged O
    pq.write_table(pa.Table.from_pylist(rows, schema=ner_features().arrow_schema), path)
    result = runner.invoke(main, ["validate", str(dataset)])
    assert result.exit_code == 1
    doc, sentence = rows[n]["document_id"], rows[n]["sentence"]
    [line] = [line for line in result.output.splitlines() if line.startswith(f"{doc}: ner[{n}].ner_tags: ")]
    assert f"differs from ner_tags of sentence {sentence} of $.body_text with $.entities = " in line
