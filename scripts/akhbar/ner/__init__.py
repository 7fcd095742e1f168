"""The entity annotator's parts: the rule annotator (:mod:`.rules`), the tagger's features
(:mod:`.features`), the tagger (:mod:`.model`), its training (:mod:`.train`) and CoNLL files
(:mod:`.conll`). :func:`akhbar.entities.annotate_entities` puts them together."""

#: The studied held-out sets whose entity gold trains the tagger, with the seeds' gold. A set
#: whose figure is reported as blind is never listed here.
TRAINING_SETS = ("tests/heldout_final", "tests/heldout_unseen", "tests/heldout_set4", "tests/heldout_set5",
                 *(f"tests/tagger_training/pages_{x}" for x in "abcdefghij"))
