"""What the entity tagger sees of each token: its word, its neighbours, the lexicons and the rules.

Two steps, the same at training and at tagging time, so the model meets at run time exactly the
token pieces it was trained on:

1. :func:`split_proclitics` cuts an attached proclitic (و ف ب ك ل and their chains) off a word
   when what follows is a name we can recognise as such (it starts with the article, or a
   gazetteer holds it alone), so the tagger labels ``واشنطن`` in ``بواشنطن`` and the span it
   yields leaves the proclitic outside, as the guidelines want (rule 2). The contraction لل keeps
   its second ل in the name (``للتحالف`` → ``ل`` + ``لتحالف``).
2. :func:`token_features` lists, for every token, string features: the normalised word and its
   affixes, the words around it, the gazetteer labels the word has alone, whether it is a given
   name, a title head or a frequent word, and the BIO label the rule annotator
   (:mod:`akhbar.ner.rules`) gives it and its neighbours.
"""

from __future__ import annotations

from functools import lru_cache

from akhbar.lexicon import rows
from akhbar.ner.rules import Lexicon, lexicon
from akhbar.normalize import normalize
from akhbar.tokens import sentences, tokenize

_CHAINS = ("وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ك", "ل")
_CONTRACTIONS = ("ولل", "فلل", "لل")


def _lexical_labels(word: str, lex: Lexicon) -> tuple[str, ...]:
    found = lex.automaton.get(word, None)
    if found is None:
        return ()
    return tuple(sorted({entry.label for entry, contracted in found[1] if not contracted}))


def split_proclitics(text: str, tokens: list[tuple[int, int]], lex: Lexicon) -> list[tuple[int, int, bool]]:
    """``tokens`` with attached proclitics cut off; each piece is ``(start, end, is_proclitic)``."""
    out: list[tuple[int, int, bool]] = []
    for start, end in tokens:
        cut = _proclitic_cut(normalize(text[start:end]))
        if cut:
            # the cut is counted in view characters; map it through the raw word's characters
            raw_cut = _raw_offset(text, start, end, cut)
            if start < raw_cut < end:
                out.append((start, raw_cut, True))
                out.append((raw_cut, end, False))
                continue
        out.append((start, end, False))
    return out


@lru_cache(maxsize=1 << 16)
def _proclitic_cut(word: str) -> int:
    """:func:`_proclitic_length` with the packaged lexicon, memoised (news repeats its words)."""
    return _proclitic_length(word, lexicon())


def _proclitic_length(word: str, lex: Lexicon) -> int:
    """How many view characters of ``word`` are a proclitic to cut off (0: none).

    Cut before the article (``بالرباط``), before a word that is a gazetteer name alone
    (``وسوريا``), and after the conjunction و before a clearly more frequent word than the whole
    (``ووزير``، ``وغرب``); a word that is itself a listed name or given name stays whole (``وجدة``،
    ``فيصل``), and so does a frequent word whose tail is rarer (``وزير`` is not و + زير). The other
    proclitics are cut before listed names only: before an unknown word, ك ف ب ل are more often
    its first letter (``كوفي``، ``فايد``).
    """
    if len(word) < 4 or not word.isalpha() or _lexical_labels(word, lex) or word in lex.first_names:
        return 0
    for chain in _CONTRACTIONS:
        if word.startswith(chain) and len(word) - len(chain) >= 3:
            return len(chain) - 1  # ل + لتحالف: the second ل is the article's
    for chain in _CHAINS:
        if not word.startswith(chain):
            continue
        rest = word[len(chain):]
        if rest.startswith("ال") and len(rest) >= 4:
            return len(chain)
        if len(rest) >= 3 and (_lexical_labels(rest, lex)
                               or chain == "و" and _zipf(rest) > _zipf(word) + _MORE_FREQUENT):
            return len(chain)
    return 0


#: How much more frequent (in Zipf units) a word's tail must be than the word to be cut off.
_MORE_FREQUENT = 0.5


@lru_cache(maxsize=None)
def _zipf_table() -> dict[str, float]:
    table: dict[str, float] = {}
    for word, freq in rows("gazetteer/common_words.tsv"):
        key = normalize(word)
        table[key] = max(table.get(key, 0.0), float(freq))
    return table


def _zipf(word: str) -> float:
    """The word's Zipf frequency from common_words.tsv (0 below its 3.5 floor)."""
    return _zipf_table().get(word, 0.0)


def _raw_offset(text: str, start: int, end: int, view_chars: int) -> int:
    """The raw offset after the first ``view_chars`` characters of the view of ``text[start:end]``."""
    seen = 0
    for pos in range(start, end):
        if normalize(text[pos]):
            if seen == view_chars:
                return pos
            seen += 1
    return end


def _shape(word: str) -> str:
    if word.isdigit():
        return "digit"
    if word.isalpha():
        return "latin" if word.isascii() else "arabic"
    if any(c.isdigit() for c in word):
        return "mixed"
    return "punct"


def token_features(words: list[str], proclitic: list[bool], rule_tags: list[str], lex: Lexicon) -> list[list[str]]:
    """One list of string features per token (``words`` already normalised)."""
    n = len(words)
    features: list[list[str]] = []
    for k, word in enumerate(words):
        f = [f"r={rule_tags[k]}", *_word_features(word)]
        if proclitic[k]:
            f.append("proclitic")
        if k and proclitic[k - 1]:
            f.append("after_proclitic")
        for d in (-2, -1, 1, 2):
            j = k + d
            if 0 <= j < n:
                f.append(f"w[{d}]={words[j]}")
                f.append(f"r[{d}]={rule_tags[j]}")
            else:
                f.append(f"edge[{d}]")
        if k:
            f.append(f"w[-1:0]={words[k - 1]}|{word}")
            f += _neighbour_features(words[k - 1], -1)
        if k + 1 < n:
            f.append(f"w[0:1]={word}|{words[k + 1]}")
            f += _neighbour_features(words[k + 1], 1)
        features.append(f)
    return features


@lru_cache(maxsize=1 << 16)
def _word_features(word: str) -> tuple[str, ...]:
    """What a word says of itself, whatever its context (memoised: news repeats its words)."""
    lex = lexicon()
    f = [f"w={word}", f"shape={_shape(word)}"]
    if len(word) > 2:
        f += [f"p1={word[:1]}", f"p2={word[:2]}", f"p3={word[:3]}", f"p4={word[:4]}",
              f"s1={word[-1:]}", f"s2={word[-2:]}", f"s3={word[-3:]}", f"s4={word[-4:]}"]
    else:
        f.append("short")
    stem = word[2:] if word.startswith("ال") and len(word) > 4 else word
    if stem is not word:
        f += ["article", f"stem={stem}", f"stem_s2={stem[-2:]}"]
    f += [f"gaz={label}" for label in _lexical_labels(word, lex) or _lexical_labels(stem, lex)]
    f += _class_features(word, lex)
    if word in lex.name_parts:
        f.append("name_part")
    return tuple(f)


def _class_features(word: str, lex: Lexicon) -> list[str]:
    f = []
    if word in lex.first_names:
        f.append(f"given={lex.first_names[word]}")
    if word in lex.very_common:
        f.append("very_common")
    elif word in lex.common:
        f.append("common")
    elif word.isalpha() and not word.isascii():
        f.append("rare")
    return f


@lru_cache(maxsize=1 << 16)
def _neighbour_features(word: str, offset: int) -> tuple[str, ...]:
    """What a word tells its neighbour: its affixes, gazetteer labels and how common it is."""
    lex = lexicon()
    f = [f"[{offset}]{x}" for x in _class_features(word, lex)]
    f += [f"[{offset}]gaz={label}" for label in _lexical_labels(word, lex)]
    if len(word) > 2:
        f += [f"p2[{offset}]={word[:2]}", f"s2[{offset}]={word[-2:]}"]
    return tuple(f)


def page_features(text: str, rule_spans: list[tuple[int, int, str]], lex: Lexicon):
    """Everything the tagger sees of a page, the same at training and at tagging time.

    Returns the pieces (:func:`split_proclitics` over :func:`akhbar.tokens.tokenize`), their
    normalised words, and one ``(first, last, features)`` per sentence, where the sentence is
    ``pieces[first:last]`` and ``rule_spans`` give the ``r=`` features.
    """
    pieces = split_proclitics(text, tokenize(text), lex)
    words = [normalize(text[s:e]) for s, e, _ in pieces]
    rtags = rule_tags(pieces, rule_spans)
    runs = []
    first = 0
    for sentence in sentences(text, [(s, e) for s, e, _ in pieces]):
        last = first + len(sentence)  # sentences are consecutive runs of the pieces
        runs.append((first, last, token_features(words[first:last], [p[2] for p in pieces[first:last]],
                                                  rtags[first:last], lex)))
        first = last
    return pieces, words, runs


def in_domain(features: list[list[str]], domain: str) -> list[list[str]]:
    """Each token's features with a copy of each prefixed by ``domain`` (none when it is "")."""
    if not domain:
        return features
    return [f + [f"{domain}|{x}" for x in f] for f in features]


def rule_tags(pieces: list[tuple[int, int, bool]], spans: list[tuple[int, int, str]]) -> list[str]:
    """The BIO tag each piece gets from character spans (a piece inside a span, the first one B)."""
    tags = ["O"] * len(pieces)
    k = 0
    for start, end, label in sorted(spans):
        while k < len(pieces) and pieces[k][1] <= start:
            k += 1
        j = k
        first = True
        while j < len(pieces) and pieces[j][0] < end:
            if pieces[j][1] > start:
                tags[j] = ("B-" if first else "I-") + label
                first = False
            j += 1
    return tags
