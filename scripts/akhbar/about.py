"""Who makes Akhbar, under which terms, where it lives and how to cite it: stated once here.

The card's ``License and citation`` section and its YAML ``license``, ``croissant.json``
(``license``, ``url``, ``citeAs``, ``usageInfo``) and the tests that compare them with
``pyproject.toml`` all read these names, so the licence story cannot read two ways.
"""

from __future__ import annotations

#: Where the dataset is published on the Hugging Face Hub (``huggingface-cli upload`` in README.md).
HUB_ID = "akhbar/akhbar"
URL = f"https://huggingface.co/datasets/{HUB_ID}"
AUTHORS = ("Akhbar contributors",)
TITLE = "Akhbar: Arabic news pages, cleaned and annotated"

#: The annotations' licence: a Hub licence id and its URL.
LICENSE = "cc-by-sa-4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"
#: The toolkit's licence (``pyproject.toml``).
CODE_LICENSE = "Apache-2.0"

LICENSE_NOTE = (
    "Annotations (segmentation, metadata, entities, events, links, the ner config) and the card: CC BY-SA 4.0. "
    "Code (the akhbar toolkit): Apache-2.0. The article texts remain the property of their publishers; they are "
    "redistributed for non-commercial research on Arabic language technology and are not covered by CC BY-SA. "
    f"Removal requests: open an issue titled 'takedown: <document id>' at {URL}/discussions."
)

LICENSE_SECTION = f"""\
- **Annotations and this card**: everything Akhbar adds to the pages (body and boilerplate spans,
  metadata, entities, events, links, the `ner` config) is released under
  [CC BY-SA 4.0]({LICENSE_URL}) (the card's YAML `license: {LICENSE}`). ShareAlike because the
  statistical entity tagger that will annotate pages without curated files is trained on ANERcorp
  (CC BY-SA 4.0) and its weights are released under CC BY-SA 4.0: one licence then covers every
  mention, whichever annotator made it (`source` says which).
- **Code**: the `akhbar` toolkit that builds, checks and exports the dataset is {CODE_LICENSE}
  (`pyproject.toml`).
- **Article texts**: `raw_text`, `body_text` and the text inside every span remain the property
  of their publishers, named on each record where the page names them. They are redistributed for
  non-commercial research on Arabic language technology; CC BY-SA does not apply to them.
- **Takedown**: a publisher, or a person named in a page, who wants a page removed opens a
  discussion titled `takedown: <document id>` at {URL}/discussions (or an issue on the
  project's repository); the page leaves `seeds/` and every following release, and `CHANGELOG.md`
  lists it as removed."""


def bibtex(version: str | None = None, year: str | None = None) -> str:
    """The BibTeX entry of the dataset (of one release when ``version`` is given)."""
    key = "akhbar" + (f"_{version.replace('.', '_')}" if version else "")
    fields = [f"title = {{{TITLE}}}", f"author = {{{' and '.join(AUTHORS)}}}"]
    if year:
        fields.append(f"year = {{{year}}}")
    if version:
        fields.append(f"version = {{{version}}}")
    fields += [f"url = {{{URL}}}", "note = {Dataset; annotations CC BY-SA 4.0, code Apache-2.0}"]
    return "@misc{" + key + ",\n  " + ",\n  ".join(fields) + "\n}"
