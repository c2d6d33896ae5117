"""screen.index: the candidates never lose a name the matcher would score at or above the
threshold, and the on-disk cache only ever saves time.

Recall is checked against an exhaustive oracle. Scoring all ~50,000 names with the matcher takes
seconds per query, so the oracle first keeps every name that has at least one token pair the
matcher could align (the only names that can score above 0), found with the comparison functions
the matcher itself uses, and then scores those with ``Matcher.score``. Names left out provably
score 0 (and a sample of them is checked to).
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import random
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import process
from rapidfuzz.distance import OSA

from screen.diskcache import CACHE_MAGIC as _CACHE_MAGIC
from screen.diskcache import KEEP_OTHER_BUILDS
from screen.diskcache import read_cache as _read_cache
from screen.diskcache import write_cache as _write_cache
from screen.index.build import _Built
from screen.index.prepared import prepare
from screen.index.search import NameIndex
from screen.index.vocabulary import _deletions, _DeletionTable
from screen.index.weights import LEGAL_FORM_WEIGHT, MAX_JOINED_TOKENS
from screen.matching.score import DEFAULT_THRESHOLD, Matcher
from screen.names.compare import (
    MIN_TOKEN_SIMILARITY,
    Comparable,
    assimilated_skeletons,
    comparable,
    compare,
    compare_joined,
    neighbour_swaps,
    unassimilated_skeletons,
)
from screen.names.normalize import normalize_name
from screen.names.tokens import NormalizedName, TokenKind
from screen.release.models import ListRelease
from screen.release.store import default_release
from screen.screener import Screener

# --------------------------------------------------------------------------------------------
# The exhaustive oracle


def _runs(length: int) -> Iterator[tuple[int, ...]]:
    """Positions of every run of 2 to MAX_JOINED_TOKENS adjacent tokens (as the matcher joins)."""
    for start in range(length):
        for size in range(2, MAX_JOINED_TOKENS + 1):
            if start + size > length:
                break
            yield tuple(range(start, start + size))


def _skeletons_met(skeleton: str) -> list[str]:
    """A skeleton, and with the Arabic article's l assimilated on either side."""
    return [skeleton, *assimilated_skeletons(skeleton), *unassimilated_skeletons(skeleton)]


class Oracle:
    """Which names of an index could share an aligned token pair with a query."""

    def __init__(self, index: NameIndex) -> None:
        self.index = index
        items: dict[int, Comparable] = {}
        names_of: dict[int, set[int]] = defaultdict(set)
        # runs of list tokens joined, one per distinct run of (shared) comparable items
        runs: dict[tuple[int, ...], Comparable] = {}
        run_names: dict[tuple[int, ...], set[int]] = defaultdict(set)
        for name_id, indexed in enumerate(index.names):
            for variant, tokenized in zip(
                indexed.variants, index.tokenized_variants(indexed), strict=True
            ):
                ids = [id(item) for item in variant.items]
                for item_id, item in zip(ids, variant.items, strict=True):
                    items[item_id] = item
                    names_of[item_id].add(name_id)
                for positions in _runs(len(ids)):
                    run_id = tuple(ids[p] for p in positions)
                    if run_id not in runs:
                        runs[run_id] = comparable(tuple(tokenized.tokens[p] for p in positions))
                    run_names[run_id].add(name_id)
        self.joined: dict[str, list[tuple[Comparable, set[int]]]] = defaultdict(list)
        for run_id, run in runs.items():
            for key in {run.text, run.key, run.skeleton}:
                self.joined[key].append((run, run_names[run_id]))
        self.items = list(items.values())
        self.names_of = [names_of[id(item)] for item in self.items]
        self.texts = [item.text for item in self.items]
        self.keys = [item.key for item in self.items]
        self.by: dict[str, list[int]] = defaultdict(list)
        for position, item in enumerate(self.items):
            for key in {item.text, item.key, item.skeleton, *(form for form, _ in item.forms)}:
                self.by[key].append(position)
        self.legal = [p for p, item in enumerate(self.items) if item.legal_form]
        self._scores: dict[tuple[str, float], dict[int, float]] = {}

    def related(self, query: NormalizedName) -> tuple[set[int], set[int]]:
        """Names with a pair the matcher could align: (through a word, only through legal
        forms)."""
        words: set[int] = set()
        legal: set[int] = set()
        for variant in query.variants:
            prepared = prepare(variant, self.index.weights)
            for item in prepared.items:
                # a superset of what compare() accepts: same text, key, skeleton or form, up
                # to two edits in letters (a swap and one more), one in key; compare() then
                # decides
                near = set(self.by.get(item.text, ()))
                near.update(self.by.get(item.key, ()))
                for skeleton in _skeletons_met(item.skeleton):
                    near.update(self.by.get(skeleton, ()))
                for form, _how in item.forms:
                    near.update(self.by.get(form, ()))
                for choices, text, edits in ((self.texts, item.text, 2), (self.keys, item.key, 1)):
                    found = process.extract(
                        text, choices, scorer=OSA.distance, score_cutoff=edits, limit=None
                    )
                    near.update(position for _, _, position in found)
                if item.legal_form:
                    near.update(self.legal)
                for position in near:
                    other = self.items[position]
                    if compare(item, other)[0] >= MIN_TOKEN_SIMILARITY:
                        target = legal if item.legal_form and other.legal_form else words
                        target |= self.names_of[position]
                # the list name's adjacent tokens joined, against this query token
                for key in {item.text, item.key, *_skeletons_met(item.skeleton)}:
                    for run, run_names in self.joined.get(key, ()):
                        if compare_joined(item, run)[0] >= MIN_TOKEN_SIMILARITY:
                            words |= run_names
            # the query's adjacent tokens joined, against a list token
            for positions in _runs(len(prepared.tokens)):
                run = comparable(tuple(prepared.tokens[p] for p in positions))
                for key in {run.text, run.key, *_skeletons_met(run.skeleton)}:
                    for position in self.by.get(key, ()):
                        if compare_joined(run, self.items[position])[0] >= MIN_TOKEN_SIMILARITY:
                            words |= self.names_of[position]
                # against the list name's adjacent tokens joined, the same letters (respaced)
                for joined_run, run_names in self.joined.get(run.text, ()):
                    if joined_run.text == run.text:
                        words |= run_names
        return words, legal - words

    def legal_only_bound(self, query: NormalizedName) -> float:
        """Highest score (0-1) a name aligned with the query only through legal forms can get:
        every query word is then unmatched, and each legal-form pair brings at most the list
        side's legal-form weight."""
        best = 0.0
        for variant in query.variants:
            prepared = prepare(variant, self.index.weights)
            kinds = [t.kind for t in prepared.tokens]
            matched = 2 * LEGAL_FORM_WEIGHT * kinds.count(TokenKind.LEGAL_FORM)
            words = sum(
                w for kind, w in zip(kinds, prepared.weights, strict=True)
                if kind is not TokenKind.LEGAL_FORM
            )
            if matched:
                best = max(best, matched / (matched + words))
        return best

    def scores(self, query: NormalizedName, threshold: float) -> dict[int, float]:
        """Matcher score of every name that could reach ``threshold`` (0-100): the exhaustive
        answer."""
        remembered = self._scores.get((query.original, threshold))
        if remembered is not None:
            return remembered
        matcher = Matcher(self.index)
        words, legal_only = self.related(query)
        pool = set(words)
        if 100.0 * self.legal_only_bound(query) >= threshold - 0.01:
            pool |= legal_only
        found = {
            name_id: score
            for name_id in pool
            if (score := matcher.score(query, self.index.names[name_id]).score) >= threshold
        }
        self._scores[(query.original, threshold)] = found
        return found


@pytest.fixture(scope="module")
def index(default_screener: Screener) -> NameIndex:
    return default_screener.index


@pytest.fixture(scope="module")
def oracle(index: NameIndex) -> Oracle:
    return Oracle(index)


# --------------------------------------------------------------------------------------------
# The sample of queries


def _typo(words: list[str], rng: random.Random) -> list[str]:
    """Swap two neighbouring letters of the longest word."""
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) > 3:
        at = rng.randrange(1, len(word) - 2)
        words[longest] = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return words


def _drop_letter(words: list[str], rng: random.Random) -> list[str]:
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) > 3:
        at = rng.randrange(1, len(word) - 1)
        words[longest] = word[:at] + word[at + 1 :]
    return words


def _swap_and_substitute(words: list[str], rng: random.Random) -> list[str]:
    """Swap two neighbouring letters of the longest word and change a letter away from them."""
    words = _typo(words, rng)
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) > 5:
        at = len(word) - 1 if rng.random() < 0.5 else 0
        words[longest] = word[:at] + ("x" if word[at] != "x" else "z") + word[at + 1 :]
    return words


def _reorder(words: list[str], rng: random.Random) -> list[str]:
    return words[::-1]


def _split(words: list[str], rng: random.Random) -> list[str]:
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    at = len(word) // 2
    return [*words[:longest], word[:at], word[at:], *words[longest + 1 :]]


def _merge(words: list[str], rng: random.Random) -> list[str]:
    """Write two neighbouring words as one."""
    if len(words) < 2:
        return words
    at = rng.randrange(len(words) - 1)
    return [*words[:at], words[at] + words[at + 1], *words[at + 2 :]]


PERTURBATIONS = (_typo, _drop_letter, _reorder, _split, _merge, _swap_and_substitute)


def _sampled_queries() -> list[str]:
    """Perturbed names of the shipped release, picked by a seeded generator."""
    rng = random.Random(20250304)
    names = sorted({name for e in default_release().entries for name in e.names})
    queries = []
    for perturb in (*PERTURBATIONS, *PERTURBATIONS)[:8]:
        words = rng.choice(names).split()
        queries.append(" ".join(perturb(words, rng)))
    return queries


ISSUE_QUERIES = [
    "北京智谱华章科技有限公司",
    "Beijing Zhipu Huazhang Tech Co Ltd",
    "Zhipu Huazhang Technology (Beijing)",
    "Chih-p'u Hua-chang",
    "Bejing Zhipu Huazang",
    "Comrade Olga",
    "知乎",
    "Beijing Technology Co., Ltd.",
    # the bound counts no more than a name's own weight: a query repeating a word, and one
    # whose words left out of the lookups outweigh the short listed name it meets (HERCULES)
    "Feihai Science and Technology Science and Technology Lanjin Science and Technology Co",
    "HERCULES INTERNATIONAL SHIP Limited",
    # nothing but initials and a legal form: the initials are looked up as letters
    "LIMITED LIABILITY COMPANY I T C",
    "I. T. C. LLC",
]
QUERIES = ISSUE_QUERIES + _sampled_queries()


# --------------------------------------------------------------------------------------------
# Recall


@pytest.mark.parametrize("query", QUERIES)
def test_candidates_hold_every_name_at_the_threshold(
    default_screener: Screener, index: NameIndex, oracle: Oracle, query: str
) -> None:
    normalized = normalize_name(query)
    expected = oracle.scores(normalized, DEFAULT_THRESHOLD)
    candidates = set(index.candidates(normalized, DEFAULT_THRESHOLD / 100.0))
    missed = {index.names[i].name: s for i, s in expected.items() if i not in candidates}
    assert missed == {}
    # and the screener reports exactly those entries, each with its best name's score
    best: dict[str, float] = {}
    for name_id, score in expected.items():
        entry = default_screener.release.entries[index.names[name_id].entry_index]
        best[entry.id] = max(best.get(entry.id, 0.0), score)
    result = default_screener.screen(query)
    assert result.hit_count == len(best)
    assert {hit.entry.id: hit.score for hit in result.hits} == {
        entry_id: score for entry_id, score in best.items() if entry_id in _ids(result)
    }


def _ids(result: object) -> set[str]:
    return {hit.entry.id for hit in result.hits}  # type: ignore[attr-defined]


def test_issue_examples_are_not_trivial(oracle: Oracle) -> None:
    # the recall sample means something only if its queries have hits to lose
    with_hits = [q for q in QUERIES if oracle.scores(normalize_name(q), DEFAULT_THRESHOLD)]
    assert len(with_hits) >= 8


@pytest.mark.parametrize("query", ["Beijing Zhipu Huazhang Tech Co Ltd", "Mahan Air"])
def test_names_the_oracle_leaves_out_score_0(index: NameIndex, oracle: Oracle, query: str) -> None:
    normalized = normalize_name(query)
    words, legal_only = oracle.related(normalized)
    outside = sorted(set(range(len(index.names))) - words - legal_only)
    matcher = Matcher(index)
    for name_id in random.Random(7).sample(outside, 400):
        assert matcher.score(normalized, index.names[name_id]).score == 0.0


def test_joined_name_is_a_candidate_at_a_high_threshold(
    default_screener: Screener, index: NameIndex
) -> None:
    # the bound of a query token matching list tokens joined must count the list tokens'
    # summed weight, as the matcher does, or the name is lost at high thresholds
    query = normalize_name("GwenDouglas")
    ids = [i for i, n in enumerate(index.names) if n.name == "Gwen Douglas"]
    assert ids
    matcher = Matcher(index)
    assert all(matcher.score(query, index.names[i]).score == 100.0 for i in ids)
    assert set(ids) <= set(index.candidates(query, 0.95))
    assert default_screener.screen("GwenDouglas", threshold=95).status == "hit"


def test_a_word_met_only_as_listed_tokens_joined_is_compared_as_joined(index: NameIndex) -> None:
    """The lookup gives a query token what the scorer can: ``izabayodeo`` is no single word of
    any listed name, only ``IZABAYO DEO`` written together, and the scorer meets such a run by
    the same letters or sound alone (``compare_joined``), so Arabic ``زبيد`` (consonants
    ``zbd``, as the run's) must not find it as it would a single word of those consonants."""
    vocabulary = index._vocabulary
    joined = vocabulary.by_key[comparable(tuple(normalize_name("IZABAYO DEO").tokens)).key]
    assert joined in vocabulary.joined_only
    (item,) = index.query_variants(normalize_name("زبيد"))[0].items
    assert item.skeleton == "zbd" and item.abjad
    assert joined not in index.lookup(item)
    # the same letters still meet the run (as GwenDouglas above)
    (written,) = index.query_variants(normalize_name("Izabayodeo"))[0].items
    assert index.lookup(written).get(joined) == 1.0


def test_name_joined_with_its_legal_form_is_a_candidate(
    default_screener: Screener, index: NameIndex
) -> None:
    query = normalize_name("DEXIASLLC")
    ids = [i for i, n in enumerate(index.names) if n.name == "DEXIAS LLC"]
    assert ids
    scores = {Matcher(index).score(query, index.names[i]).score for i in ids}
    candidates = set(index.candidates(query, DEFAULT_THRESHOLD / 100.0))
    # scorer and index must agree one way or the other
    if max(scores) >= DEFAULT_THRESHOLD:
        assert set(ids) <= candidates


# --------------------------------------------------------------------------------------------
# The on-disk cache


@pytest.fixture(scope="module")
def small_release() -> ListRelease:
    """The first 300 entries of the shipped release as a release of their own."""
    shipped = default_release()
    return ListRelease(
        version="small-test",
        created=shipped.created,
        sources=shipped.sources,
        counts={},
        checksum="1" * 64,
        entries=shipped.entries[:300],
    )


def _same_index(a: NameIndex, b: NameIndex, queries: list[str]) -> None:
    assert a.stats() == b.stats()
    assert a.weights == b.weights
    assert [n.name for n in a.names] == [n.name for n in b.names]
    assert [n.normalized for n in a.names] == [n.normalized for n in b.names]
    for query in queries:
        normalized = normalize_name(query)
        assert a.candidates(normalized, 0.5) == b.candidates(normalized, 0.5)


def _queries(release: ListRelease) -> list[str]:
    return [release.entries[i].name for i in (0, 50, 100, 299)] + ["Mahan Air", "Zhipu"]


def test_cache_is_written_and_loaded(small_release: ListRelease, tmp_path: Path) -> None:
    built = NameIndex.cached(small_release, tmp_path)
    files = list(tmp_path.glob("index-*.pickle"))
    assert len(files) == 1 and files[0].stat().st_size > 0
    assert not list(tmp_path.glob("*.tmp"))
    loaded = NameIndex.cached(small_release, tmp_path)
    assert loaded is not built
    assert loaded.release is small_release
    _same_index(built, loaded, _queries(small_release))
    _same_as_fresh(loaded, small_release)


def test_new_cache_replaces_those_older_code_built_for_the_release(
    small_release: ListRelease, tmp_path: Path
) -> None:
    """Beside the new file stay the KEEP_OTHER_BUILDS files of other builds for the release used
    most recently, and other releases' files; older ones of the release are removed."""
    stale = tmp_path / f"index-{small_release.checksum[:20]}-0123456789abcdef.pickle"
    other_release = tmp_path / f"index-{'3' * 20}-0123456789abcdef.pickle"
    recent = [
        tmp_path / f"index-{small_release.checksum[:20]}-{number:016x}.pickle"
        for number in range(1, KEEP_OTHER_BUILDS + 1)
    ]
    stale.write_bytes(b"built by older code")
    os.utime(stale, (1, 1))  # used longest ago
    other_release.write_bytes(b"another release's index")
    for path in recent:
        path.write_bytes(b"built by another build")
    NameIndex.cached(small_release, tmp_path)
    remaining = sorted(path.name for path in tmp_path.glob("index-*.pickle"))
    assert not stale.exists()
    assert other_release.exists() and all(path.exists() for path in recent)
    assert len(remaining) == 1 + KEEP_OTHER_BUILDS + 1


def _same_as_fresh(index: NameIndex, release: ListRelease) -> None:
    _same_index(NameIndex(release), index, _queries(release))


def _other_release(release: ListRelease) -> ListRelease:
    return release.model_copy(update={"checksum": "2" * 64, "entries": release.entries[:40]})


@pytest.mark.parametrize(
    "corruption",
    ["garbage", "empty", "truncated", "other object", "other release", "wrong class"],
)
def test_corrupt_cache_is_rebuilt(
    small_release: ListRelease, tmp_path: Path, corruption: str
) -> None:
    NameIndex.cached(small_release, tmp_path)
    (path,) = tmp_path.glob("index-*.pickle")
    good = path.read_bytes()
    if corruption == "garbage":
        path.write_bytes(b"this is not a pickle\n" * 10)
    elif corruption == "empty":
        path.write_bytes(b"")
    elif corruption == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif corruption == "other object":
        _write_cache(path, {"names": []})
    elif corruption == "other release":
        _write_cache(path, NameIndex(_other_release(small_release))._built)
    else:
        _write_cache(path, normalize_name("Mahan Air"))
    rebuilt = NameIndex.cached(small_release, tmp_path)
    assert rebuilt.release is small_release
    _same_as_fresh(rebuilt, small_release)
    # the rebuilt index replaced the bad file: the next call loads it without writing
    rewritten = path.stat().st_ino
    assert isinstance(_read_cache(path), _Built)
    again = NameIndex.cached(small_release, tmp_path)
    assert path.stat().st_ino == rewritten
    _same_index(rebuilt, again, _queries(small_release))


@pytest.mark.parametrize(
    "payload",
    [b"cscreen.no_such_module\nIndex\n.", b"\x80\x05\x8e" + (2**62).to_bytes(8, "little")],
    ids=["import error", "memory error"],
)
def test_cache_with_unloadable_bytes_is_rebuilt(
    small_release: ListRelease, tmp_path: Path, payload: bytes
) -> None:
    NameIndex.cached(small_release, tmp_path)
    (path,) = tmp_path.glob("index-*.pickle")
    # a well-formed envelope (right digest) around bytes that fail to unpickle
    path.write_bytes(_CACHE_MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
    rebuilt = NameIndex.cached(small_release, tmp_path)
    assert rebuilt.stats() == NameIndex(small_release).stats()


def test_cached_names_are_unpickled_when_first_read(
    small_release: ListRelease, tmp_path: Path
) -> None:
    fresh = NameIndex.cached(small_release, tmp_path)
    loaded = NameIndex.cached(small_release, tmp_path)
    assert loaded.names.loaded == 0
    assert loaded.names.min_weights == fresh.names.min_weights
    last = len(loaded.names) - 1
    assert loaded.names[last] == fresh.names[last]
    assert loaded.names[last] is loaded.names[last]  # unpickled once, then kept
    assert loaded.names.loaded == 1
    # pickled again (as the cache is), names not yet read travel as they came
    again = pickle.loads(pickle.dumps(loaded.names))
    assert again.loaded == 0
    assert list(again) == list(fresh.names) == list(loaded.names)
    assert loaded.names.loaded == len(loaded.names)
    # equal comparable forms are one object across names, as in a built index (the matcher
    # remembers comparisons by identity)
    objects: dict[Comparable, set[int]] = defaultdict(set)
    for indexed in again:
        for variant in indexed.variants:
            for item in (*variant.items, *(run for run in variant.runs if run is not None)):
                objects[item].add(id(item))
    assert max(len(ids) for ids in objects.values()) == 1
    assert len(objects) < sum(len(v.items) for n in again for v in n.variants)
    # the vocabulary's spellings too are unpickled when first read, and read the same
    spellings = loaded._vocabulary.spellings
    assert spellings._loaded.count(None) == len(spellings)
    assert spellings[len(spellings) - 1] == fresh._vocabulary.spellings[len(spellings) - 1]
    assert spellings._loaded.count(None) == len(spellings) - 1
    assert list(spellings) == list(fresh._vocabulary.spellings)


def test_silently_damaged_cache_is_not_used(small_release: ListRelease, tmp_path: Path) -> None:
    fresh = NameIndex.cached(small_release, tmp_path)
    (path,) = tmp_path.glob("index-*.pickle")
    word = fresh.tokenized_variants(fresh.names[0])[0].tokens[0].text.encode()
    damaged = path.read_bytes().replace(word, bytes(reversed(word)))
    assert damaged != path.read_bytes()
    path.write_bytes(damaged)
    loaded = NameIndex.cached(small_release, tmp_path)
    assert [n.normalized for n in loaded.names] == [n.normalized for n in fresh.names]


def test_unwritable_cache_dir_still_gives_an_index(
    small_release: ListRelease, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    index = NameIndex.cached(small_release, blocker / "cache")
    assert index.release is small_release
    _same_as_fresh(index, small_release)
    assert blocker.read_text() == "not a directory"


class _ReachCache:
    """The remembered lookups of one index, in Python or in the compiled search."""

    def __init__(self, index: NameIndex, compiled: bool) -> None:
        self.index = index
        self.search = index._search if compiled else None
        if compiled and self.search is None:
            pytest.skip("the compiled candidate search is not built")

    def reach(self, item: Comparable) -> object:
        if self.search is not None:
            return self.search.reach(item, False)
        return self.index._reach(item, False)

    def set_budget(self, budget: int) -> None:
        if self.search is not None:
            self.search.cache_budget = budget
        else:
            self.index._reach_cache_budget = budget

    @property
    def entries(self) -> dict[tuple[Comparable, bool], object]:
        return dict(self.search.cache if self.search is not None else self.index._reach_cache)

    @property
    def size(self) -> int:
        if self.search is not None:
            return self.search.cache_size
        return self.index._reach_cache_size

    @staticmethod
    def counted(reach: object) -> int:
        values = getattr(reach, "values", None)
        return 1 + (len(values) if isinstance(values, dict) else len(reach))  # type: ignore[arg-type]


@pytest.mark.parametrize("compiled", [False, True], ids=["python", "compiled"])
def test_reach_cache_drops_the_lookups_used_longest_ago(
    default_screener: Screener, compiled: bool
) -> None:
    """The remembered lookups stay within their budget, the ones in steady use are kept, and
    what is forgotten only costs time: candidates are the same as with nothing forgotten."""
    built = default_screener.index._built
    small_index = NameIndex(default_screener.release, _built=built)
    roomy_index = NameIndex(default_screener.release, _built=built)
    if not compiled:
        small_index._search = roomy_index._search = None
    small, roomy = _ReachCache(small_index, compiled), _ReachCache(roomy_index, compiled)
    small.set_budget(30_000)
    names = [built.names[name_id].name for name_id in range(0, len(built.names), 97)][:400]
    steady = comparable((normalize_name("Zhipu").tokens[0],))
    first = comparable((normalize_name(names[0]).tokens[0],))
    steady_reach = small.reach(steady)
    assert steady_reach is not None
    for name in names:
        query = normalize_name(name)
        assert small_index.candidates(query, 0.8) == roomy_index.candidates(query, 0.8), name
        small.reach(steady)  # in steady use: never the longest unused
    entries = small.entries
    assert small.size == sum(_ReachCache.counted(r) for r in entries.values()) <= 30_000
    assert entries[(steady, False)] is steady_reach  # never dropped and made again
    assert (first, False) not in entries
    assert (first, False) in roomy.entries
    assert roomy.size > 3 * 30_000


def _varied_names(index: NameIndex, every: int, seed: int) -> list[str]:
    """Names of the index, each as written, reordered, short of its first word and with two
    neighbouring letters swapped: what the candidate search meets in screening."""
    rng = random.Random(seed)
    varied: list[str] = []
    for indexed in (index.names[i] for i in range(0, len(index.names), every)):
        words = indexed.name.split()
        varied.append(indexed.name)
        if len(words) > 1:
            varied += [" ".join(reversed(words)), " ".join(words[1:])]
        at = rng.randrange(len(words))
        word = words[at]
        if len(word) > 3:
            i = rng.randrange(len(word) - 1)
            words[at] = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            varied.append(" ".join(words))
    return varied


def _python_search_index(index: NameIndex) -> NameIndex:
    """The same index searched in Python alone, deletions looked up without C++ too."""
    python_index = NameIndex(index.release, _built=index._built)
    python_index._search = None
    return python_index


def test_compiled_search_finds_what_the_python_search_finds(default_screener: Screener) -> None:
    """The C++ candidate search (``screen.index._candidates``) gives the same candidates, in the
    same order, as the Python search it was written from, at a low, the default and a high
    threshold, and finds the same words by single deletions."""
    index = default_screener.index
    if index._search is None:
        pytest.skip("the compiled candidate search is not built")
    python_index = _python_search_index(index)
    names = _varied_names(index, 53, 20261130)
    assert len(names) > 2_500
    found_by_deletion = 0
    for name in names:
        variants = [prepare(v, index.weights) for v in normalize_name(name).variants]
        for threshold in (0.5, 0.8, 0.95):
            assert index._search.candidates(variants, threshold) == (
                python_index._candidates_in_python(variants, threshold)
            ), (name, threshold)
        for variant in variants:
            for item in variant.items:
                texts = {item.key, item.text, *neighbour_swaps(item.text)}
                expected: set[int] = set()
                for deleted in {d for text in texts for d in _deletions(text)}:
                    index._vocabulary.by_deletion.find(deleted, expected)
                found: set[int] = set()
                index._search.add_deletion_matches(texts, found)
                assert found == expected, item
                found_by_deletion += len(found)
    assert found_by_deletion > 10_000


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_compiled_search_agrees_on_made_up_names(
    default_screener: Screener, data: st.DataObject
) -> None:
    """Names made of list words, typed with slips, in any order: both searches agree."""
    index = default_screener.index
    if index._search is None:
        pytest.skip("the compiled candidate search is not built")
    words = data.draw(
        st.lists(
            st.sampled_from(
                [index.names[i].name for i in range(0, len(index.names), 211)]
            ).map(lambda n: n.split()[0]),
            min_size=1,
            max_size=5,
        )
    )
    slips = data.draw(st.lists(st.integers(0, 40), max_size=3))
    text = " ".join(words)
    for slip in slips:
        at = slip % max(1, len(text) - 1)
        text = text[:at] + text[at + 1 :]
    variants = [prepare(v, index.weights) for v in normalize_name(text).variants]
    threshold = data.draw(st.sampled_from([0.5, 0.7, 0.8, 0.9]))
    assert index._search.candidates(variants, threshold) == (
        _python_search_index(index)._candidates_in_python(variants, threshold)
    )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 50_000)), max_size=300),
    st.lists(st.integers(0, 2**32 - 1), max_size=20),
)
def test_deletion_table_finds_exactly_the_entries_of_a_hash(
    pairs: list[tuple[int, int]], probes: list[int]
) -> None:
    # hashes crowded into a few buckets and at both ends of the range, as well as anywhere
    crowded = [((h % 7) << 14 | h % 5, i) for h, i in pairs]
    crowded += [(2**32 - 1 - h % 3, 1) for h, _ in pairs]
    table = _DeletionTable.of(pairs + crowded)
    for wanted in probes + [h for h, _ in pairs + crowded][:50] + [0, 2**32 - 1]:
        found: set[int] = set()
        table.find_hash(wanted, found)
        assert found == {i for h, i in pairs + crowded if h == wanted}


def test_names_with_key_holds_every_name_with_a_token_of_the_key(index: NameIndex) -> None:
    from screen.index.weights import scoring_tokens

    rng = random.Random(7)
    for name_id in rng.sample(range(len(index.names)), 300):
        indexed = index.names[name_id]
        for variant in normalize_name(indexed.name).variants:
            for token in scoring_tokens(variant):
                if token.kind is not TokenKind.LEGAL_FORM:
                    assert name_id in index.names_with_key(token.key), (indexed.name, token)
    assert index.names_with_key("no such key at all") == ()
    found = index.names_with_key(normalize_name("Sophgo").variants[0][0].key)
    assert any(index.names[name_id].name.upper().startswith("SOPHGO") for name_id in found)


def _weight_in_name(index: NameIndex, name_id: int, key: str) -> float:
    """The most a token, an alternative form or a run of joined tokens with ``key`` weighs in
    one list name, worked out from its tokens as the vocabulary is built."""
    from screen.index.build import _plain
    from screen.index.prepared import joined_runs

    best = 0.0
    for variant in index.tokenized_variants(index.names[name_id]):
        for token in variant.tokens:
            if token.kind is TokenKind.LEGAL_FORM:
                continue
            keys = [token.key] + [
                comparable((_plain(form),)).key for form, how in token.alternatives
                if how != "plural"
            ]
            if key in keys:
                best = max(best, index.weights.key_weight(token.key))
        for positions, run in joined_runs(variant):
            if run.key == key:
                weight = 0.0
                for p in positions:
                    weight += index.weights.key_weight(variant.tokens[p].key)
                best = max(best, weight)
    return best


def test_a_match_counts_at_the_entrys_weight_in_each_name(index: NameIndex) -> None:
    """A vocabulary entry weighs, in each name, what the name's own tokens with its key weigh:
    a common word that one name also writes as rare tokens joined (its key weight summed)
    does not lift the bounds of every other name that holds the word."""
    vocabulary = index._vocabulary
    inflated = [
        vocabulary_id for vocabulary_id, heavier in vocabulary.heavier.items()
        if len(vocabulary.postings[vocabulary_id]) > 3 * len(heavier)
    ]
    assert len(inflated) > 50
    rng = random.Random(11)
    not_lifted = 0
    keys = {vocabulary_id: key for key, vocabulary_id in vocabulary.by_key.items()}
    for vocabulary_id in rng.sample(inflated, 25):
        key = keys[vocabulary_id]
        heavier = dict(vocabulary.heavier[vocabulary_id])
        base = vocabulary.base_weights[vocabulary_id]
        assert base < max(heavier.values()) == vocabulary.weights[vocabulary_id]
        postings = vocabulary.postings[vocabulary_id]
        for name_id in [*heavier][:3] + rng.sample(postings, 3):
            assert _weight_in_name(index, name_id, key) == pytest.approx(
                heavier.get(name_id, base)
            ), (key, index.names[name_id].name)
        # what a lookup reaching the entry brings each name: the similarity at its weight there
        item = vocabulary.spellings[vocabulary_id][0]
        similarities = index.lookup(item)
        reach = index._reach(item, False)
        assert reach is not None
        for name_id in postings[:20]:
            brought = reach.values[name_id]
            assert brought >= similarities[vocabulary_id] * heavier.get(name_id, base)
            assert brought <= reach.most
            not_lifted += brought < reach.most
    assert not_lifted > 100


def test_the_bound_counts_no_more_than_a_names_own_weight(
    default_screener: Screener, oracle: Oracle
) -> None:
    """A query that repeats a word brings a listed name's one such word again at each repeat;
    a matched pair counts the listed word once, so the bound counts at most the name's weight
    (``IndexedNames.max_weights``). Without that cap the query below has more than twice the
    candidates; with it, every name at the threshold is still one (the oracle scores them
    all), and a short name the query's unlooked words outweigh stays one at a low threshold
    (the cap applies to the bound, not to the sums it is made from)."""
    index = _python_search_index(default_screener.index)
    query = normalize_name(
        "Feihai Science and Technology Science and Technology Lanjin Science and Technology Co"
    )
    capped = set(index.candidates(query, DEFAULT_THRESHOLD / 100.0))
    uncapped_index = _python_search_index(default_screener.index)
    uncapped_index._max_weights = [math.inf] * len(uncapped_index._max_weights)
    uncapped = set(uncapped_index.candidates(query, DEFAULT_THRESHOLD / 100.0))
    assert capped <= uncapped
    assert 2 * len(capped) < len(uncapped), (len(capped), len(uncapped))
    assert set(oracle.scores(query, DEFAULT_THRESHOLD)) <= capped
    short = default_screener.screen("HERCULES INTERNATIONAL SHIP Limited", threshold=60)
    assert "HERCULES" in {hit.matched_name for hit in short.hits}
    assert default_screener.index.candidates(
        normalize_name("HERCULES INTERNATIONAL SHIP Limited"), 0.6
    ) == index.candidates(normalize_name("HERCULES INTERNATIONAL SHIP Limited"), 0.6)


@pytest.mark.parametrize("query", ["LIMITED LIABILITY COMPANY I T C", "I.T.C. LLC", "I. T. C."])
def test_a_name_of_initials_alone_finds_the_names_written_with_those_letters(
    default_screener: Screener, query: str
) -> None:
    """Initials are not looked up (they are taken to match, as legal forms are), so a name of
    nothing else had no candidates, not even the listed name it equals (found by
    ``benchmarks/candidate_recall.py`` when a last letter became an initial, matcher 2.2.0):
    such a name looks its letters up as they are."""
    result = default_screener.screen(query)
    assert "LIMITED LIABILITY COMPANY I T C" in {hit.matched_name for hit in result.hits}
