# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
# distutils: language = c++
"""The candidate search of :class:`screen.index.NameIndex` and the token comparison of
``screen.names.compare``, compiled to C++ with Cython.

The same algorithm as ``NameIndex._candidates_in_python`` and ``NameIndex._lookup_single``
(read those first: they are the reference, and the search wherever this module is not built),
step for step and with every sum added in the same order, so both give the same candidates with
the same bounds to the last bit (``tests/test_index.py`` compares them on thousands of names).

What changes is where the work happens. What each token reaches is a vector of (name id, value)
pairs sorted by name id, so merging, intersecting and reading them needs no allocation per name
and no hashing; the bound of every name found is added up in C; a word not seen before is looked
up in the deletion table in C (its deletions hashed with CRC-32, as ``zlib.crc32`` does).

Token comparison (:func:`compare`, used by this search and by the matcher) is
``screen.names.compare.compare`` rule for rule for plain ASCII words, which nearly every comparison
meets, and that function itself for every other pair (legal forms, alternative forms that match,
other scripts, long words): one definition of a match for the index and the scorer, which
``tests/test_compare_compiled.py`` holds the two to. Phonetic keys stay the Python function.
"""

from cython.operator cimport dereference as deref
from cpython.unicode cimport PyUnicode_AsUTF8AndSize
from cpython.long cimport PyLong_FromVoidPtr
from cpython.tuple cimport PyTuple_GET_ITEM
from libc.stdint cimport uint32_t, uint64_t
from libcpp.algorithm cimport lower_bound, sort, stable_sort, unique
from libcpp.unordered_map cimport unordered_map
from libcpp.utility cimport pair
from libcpp.vector cimport vector

from screen.names.compare import KEY_EDIT_PENALTY, MIN_TOKEN_SIMILARITY, allowed_edits
from screen.names.compare import Comparable as _Comparable
from screen.names.compare import compare as _compare_in_python
from screen.names.compare import neighbour_swaps
from screen.text.phonetic import phonetic_key

ctypedef pair[int, double] Entry
ctypedef vector[Entry] Values
"""Name id -> the most a match can bring to it, sorted by name id."""
ctypedef Values* ValuesPtr
ctypedef vector[ValuesPtr] MapList

cdef double _MIN_SIMILARITY = MIN_TOKEN_SIMILARITY


# --- CRC-32 (the polynomial of zlib.crc32, which made the table's hashes) ------------------

cdef uint32_t _CRC_TABLE[256]


cdef void _fill_crc_table() noexcept:
    cdef uint32_t value
    cdef int byte, bit
    for byte in range(256):
        value = byte
        for bit in range(8):
            value = (value >> 1) ^ 0xEDB88320u if value & 1 else value >> 1
        _CRC_TABLE[byte] = value


_fill_crc_table()


cdef inline uint32_t _crc_update(uint32_t crc, const char* data, Py_ssize_t size) noexcept:
    """Continue a CRC-32 (started at 0) over ``size`` more bytes."""
    cdef Py_ssize_t i
    crc = ~crc
    for i in range(size):
        crc = _CRC_TABLE[(crc ^ <unsigned char>data[i]) & 0xFF] ^ (crc >> 8)
    return ~crc


cdef void _deletion_hashes(str text, vector[uint32_t]& hashes) except *:
    """Add the CRC-32 of ``text`` (UTF-8) and of every string one character shorter."""
    cdef Py_ssize_t size
    cdef const char* data = PyUnicode_AsUTF8AndSize(text, &size)
    cdef vector[Py_ssize_t] starts
    cdef Py_ssize_t at, end
    cdef uint32_t head = 0
    for at in range(size):
        if (<unsigned char>data[at] & 0xC0) != 0x80:  # the first byte of a character
            starts.push_back(at)
    starts.push_back(size)
    hashes.push_back(_crc_update(0, data, size))
    for at in range(<Py_ssize_t>starts.size() - 1):
        # the text without its character at position ``at``: head, then the rest
        end = starts[at + 1]
        hashes.push_back(_crc_update(head, data + end, size - end))
        head = _crc_update(head, data + starts[at], end - starts[at])


# --- token comparison ------------------------------------------------------------------------
#
# ``screen.names.compare.compare`` for the tokens nearly every comparison meets: plain ASCII words of at
# most _MAX_COMPARED letters, not legal forms, without an alternative form equal to the other
# token. Every other pair goes to the Python function itself. Each rule is the Python one, in the
# same order, with the same float arithmetic (tests/test_compare_compiled.py compares the two).

cdef extern from "Python.h":
    bint PyUnicode_IS_ASCII(str text)
    void* PyUnicode_DATA(str text)

DEF _MAX_COMPARED = 64

cdef double _KEY_PENALTY = KEY_EDIT_PENALTY
cdef tuple _EXACT = (1.0, "exact")
cdef tuple _NO_MATCH = (0.0, "edit distance")
cdef tuple _SAME_KEY_LONG = (0.95, "transliteration")
cdef tuple _SAME_KEY_SHORT = (0.8, "transliteration")
cdef tuple _SAME_CONSONANTS = (0.9, "consonants")
cdef tuple _SAME_CONSONANTS_SHORT = (0.8, "consonants")
cdef tuple _FEMININE_ENDING = (0.85, "consonants")
cdef str _EDIT_DISTANCE = "edit distance"


cdef int _osa(const char* a, Py_ssize_t n, const char* b, Py_ssize_t m, int cutoff) noexcept:
    """Optimal string alignment distance of two ASCII strings of at most _MAX_COMPARED
    letters, ``cutoff + 1`` when it is more than ``cutoff`` (as rapidfuzz's ``OSA.distance``):
    Hyyrö's bit-parallel algorithm (2003), one machine word for the letters of ``a``."""
    cdef uint64_t positions[128]
    cdef uint64_t vp, vn, d0, hp, hn, tr, here, before = 0, last
    cdef Py_ssize_t i
    cdef int distance
    if n - m > cutoff or m - n > cutoff:
        return cutoff + 1
    if n == 0 or m == 0:
        distance = <int>(n + m)
        return distance if distance <= cutoff else cutoff + 1
    for i in range(m):
        positions[<unsigned char>b[i] & 127] = 0
    for i in range(n):
        positions[<unsigned char>a[i] & 127] = 0
    for i in range(n):
        positions[<unsigned char>a[i] & 127] |= (<uint64_t>1) << i
    vp = ~(<uint64_t>0)
    vn = 0
    d0 = 0
    last = (<uint64_t>1) << (n - 1)
    distance = <int>n
    for i in range(m):
        here = positions[<unsigned char>b[i] & 127]
        tr = (((~d0) & here) << 1) & before
        d0 = (((here & vp) + vp) ^ vp) | here | vn
        d0 = d0 | tr
        hp = vn | ~(d0 | vp)
        hn = d0 & vp
        if hp & last:
            distance += 1
        if hn & last:
            distance -= 1
        hp = (hp << 1) | 1
        hn = hn << 1
        vp = hn | ~(d0 | hp)
        vn = hp & d0
        before = here
    return distance if distance <= cutoff else cutoff + 1


cdef bint _has_digit(const char* text, Py_ssize_t size) noexcept:
    cdef Py_ssize_t i
    for i in range(size):
        if b"0"[0] <= text[i] <= b"9"[0]:
            return True
    return False


cdef bint _spelled_out(const char* text, Py_ssize_t size, bint abjad) noexcept:
    cdef Py_ssize_t i
    cdef char letter
    if abjad:
        return False
    for i in range(size):
        letter = text[i]
        if letter in b"aeiouy":
            return False
    return True


cdef bint _same_collapsed(const char* a, Py_ssize_t n, const char* b, Py_ssize_t m) noexcept:
    """Whether ``a`` and ``b`` are equal with every run of one letter written once."""
    cdef Py_ssize_t i = 0, j = 0
    while i < n and j < m:
        if a[i] != b[j]:
            return False
        i += 1
        while i < n and a[i] == a[i - 1]:
            i += 1
        j += 1
        while j < m and b[j] == b[j - 1]:
            j += 1
    return i == n and j == m


cdef bint _swap_and_an_edit(const char* a, Py_ssize_t n, const char* b, Py_ssize_t m) noexcept:
    """Whether swapping some two neighbouring, different letters of ``a`` leaves it within one
    edit of ``b`` (``compare._swap_is_one_of_two_edits``)."""
    cdef char swapped[_MAX_COMPARED]
    cdef Py_ssize_t i
    for i in range(n):
        swapped[i] = a[i]
    for i in range(n - 1):
        if a[i] != a[i + 1]:
            swapped[i] = a[i + 1]
            swapped[i + 1] = a[i]
            if _osa(swapped, n, b, m, 1) <= 1:
                return True
            swapped[i] = a[i]
            swapped[i + 1] = a[i + 1]
    return False


cdef inline bint _plain(str text) noexcept:
    return PyUnicode_IS_ASCII(text) and len(text) <= _MAX_COMPARED


cdef bint _a_form_is(tuple forms, str text) except -1:
    for form in forms:
        if (<tuple>form)[0] == text:
            return True
    return False


cdef tuple _compare(object a, object b):
    # a and b are Comparable named tuples (callers check): their fields read by position
    cdef str a_text = <str>PyTuple_GET_ITEM(a, 0)
    cdef str b_text = <str>PyTuple_GET_ITEM(b, 0)
    cdef tuple a_forms = <tuple>PyTuple_GET_ITEM(a, 1)
    cdef tuple b_forms = <tuple>PyTuple_GET_ITEM(b, 1)
    cdef str a_key = <str>PyTuple_GET_ITEM(a, 2)
    cdef str b_key = <str>PyTuple_GET_ITEM(b, 2)
    cdef str a_skeleton = <str>PyTuple_GET_ITEM(a, 3)
    cdef str b_skeleton = <str>PyTuple_GET_ITEM(b, 3)
    cdef bint a_abjad = <object>PyTuple_GET_ITEM(a, 4)
    cdef bint b_abjad = <object>PyTuple_GET_ITEM(b, 4)
    if (
        <object>PyTuple_GET_ITEM(a, 5)
        or <object>PyTuple_GET_ITEM(b, 5)
        or not (_plain(a_text) and _plain(b_text) and _plain(a_key) and _plain(b_key)
                and _plain(a_skeleton) and _plain(b_skeleton))
    ):
        return _compare_in_python(a, b)  # legal forms, other scripts, long words
    if a_text == b_text:
        return _EXACT
    if (a_forms and _a_form_is(a_forms, b_text)) or (b_forms and _a_form_is(b_forms, a_text)):
        return _compare_in_python(a, b)  # an alternative form: how it was made says how
    cdef Py_ssize_t n = len(a_text), m = len(b_text)
    cdef const char* at = <const char*>PyUnicode_DATA(a_text)
    cdef const char* bt = <const char*>PyUnicode_DATA(b_text)
    if _has_digit(at, n) or _has_digit(bt, m):
        return _NO_MATCH
    cdef Py_ssize_t key_size = len(a_key)
    if a_key == b_key and (
        not (_spelled_out(at, n, a_abjad) or _spelled_out(bt, m, b_abjad))
        or _same_collapsed(at, n, bt, m)
    ):
        return _SAME_KEY_LONG if key_size > 4 else _SAME_KEY_SHORT
    cdef Py_ssize_t shortest
    if a_abjad or b_abjad:
        shortest = min(len(a_skeleton), len(b_skeleton))
        if shortest >= 2 and a_skeleton == b_skeleton:
            return _SAME_CONSONANTS if shortest >= 3 else _SAME_CONSONANTS_SHORT
        if shortest >= 3 and _feminine_ending(
            a_abjad, b_abjad, a_text, a_skeleton, b_text, b_skeleton
        ):
            return _FEMININE_ENDING
    cdef Py_ssize_t shorter = min(n, m), longest = max(n, m)
    cdef int edits = 0 if shorter < 4 else 1 if shorter < 6 else 2
    cdef int distance
    if edits:
        distance = _osa(at, n, bt, m, 2)
        if distance <= 1:
            return (0.95 - 0.95 * 1 / <double>longest, _EDIT_DISTANCE)
        if _osa(
            <const char*>PyUnicode_DATA(a_key), key_size,
            <const char*>PyUnicode_DATA(b_key), len(b_key), 2,
        ) <= 1:
            return (0.95 - 0.95 * 1 / <double>longest - _KEY_PENALTY, _EDIT_DISTANCE)
        if edits > 1 and distance == 2 and _swap_and_an_edit(at, n, bt, m):
            return (0.95 - 0.95 * 2 / <double>longest, _EDIT_DISTANCE)
    return _NO_MATCH


cdef bint _feminine_ending(
    bint a_abjad, bint b_abjad, str a_text, str a_skeleton, str b_text, str b_skeleton
) except -1:
    # compare._feminine_ending, for a pair of which one at least is abjad
    if a_abjad:
        return (
            not b_abjad
            and b_text.endswith("at")
            and a_text.endswith("a")
            and b_skeleton[:-1] == a_skeleton
        )
    return a_text.endswith("at") and b_text.endswith("a") and a_skeleton[:-1] == b_skeleton


cdef double _compare_joined(object a, object b) except? -1.0:
    """The similarity of ``screen.names.compare.compare_joined`` (a and b Comparable named tuples)."""
    cdef str a_key, a_skeleton
    if <object>PyTuple_GET_ITEM(a, 5) or <object>PyTuple_GET_ITEM(b, 5):
        return 0.0
    if <str>PyTuple_GET_ITEM(a, 0) == <str>PyTuple_GET_ITEM(b, 0):
        return 1.0
    a_key = <str>PyTuple_GET_ITEM(a, 2)
    if a_key == <str>PyTuple_GET_ITEM(b, 2) and len(a_key) > 4:
        return 0.95
    a_skeleton = <str>PyTuple_GET_ITEM(a, 3)
    if (
        (<object>PyTuple_GET_ITEM(a, 4) or <object>PyTuple_GET_ITEM(b, 4))
        and len(a_skeleton) >= 4
        and a_skeleton == <str>PyTuple_GET_ITEM(b, 3)
    ):
        return 0.9
    return 0.0


def compare(a, b):
    """``screen.names.compare.compare`` (the same result for every pair), compiled for plain
    words."""
    if type(a) is not _Comparable or type(b) is not _Comparable:
        return _compare_in_python(a, b)
    return _compare(a, b)


def token_pairs(tuple query_items, tuple name_items, tuple name_weights, dict memo):
    """``screen.matching.pairs.token_pairs`` with a memo (the same list): the pairs of a query token
    and a name token that compare at the token minimum or more, as sort keys, each comparison
    remembered in ``memo`` by the tokens' identity."""
    cdef list candidates = []
    cdef Py_ssize_t i, j
    cdef double similarity
    for i in range(len(query_items)):
        query_item = query_items[i]
        query_id = PyLong_FromVoidPtr(<void*>query_item)  # id(), without calling the builtin
        known = memo.get(query_id)
        if known is None:
            known = {}
            memo[query_id] = known
        for j in range(len(name_items)):
            name_item = name_items[j]
            name_id = PyLong_FromVoidPtr(<void*>name_item)
            found = (<dict>known).get(name_id)
            if found is None:
                if type(query_item) is _Comparable and type(name_item) is _Comparable:
                    found = _compare(query_item, name_item)
                else:
                    found = _compare_in_python(query_item, name_item)
                (<dict>known)[name_id] = found
            similarity = (<tuple>found)[0]
            if similarity >= _MIN_SIMILARITY:
                candidates.append(
                    (-similarity, -<double>name_weights[j], i, j, (<tuple>found)[1])
                )
    return candidates


# --- what a token reaches --------------------------------------------------------------------


cdef class Reach:
    """The names one token (or run of tokens) matches, each with the most a match can bring to
    it (similarity x list weight), and the largest of those."""

    cdef Values values
    cdef readonly double most

    def __len__(self):
        return self.values.size()

    def to_dict(self):
        """The values as a dictionary (for tests and debugging)."""
        return {entry.first: entry.second for entry in self.values}


cdef Reach _NO_REACH = Reach()


cdef inline bint _entry_before(const Entry& a, const Entry& b) noexcept nogil:
    return a.first < b.first


cdef inline bint _heavier(const pair[double, int]& a, const pair[double, int]& b) noexcept nogil:
    return a.first > b.first


cdef inline const Entry* _find(const Values* values, int name_id) noexcept:
    """The entry of ``name_id`` in ``values``, or NULL."""
    cdef Entry wanted = Entry(name_id, 0.0)
    cdef vector[Entry].const_iterator at = lower_bound(
        values.const_begin(), values.const_end(), wanted, _entry_before
    )
    if at == values.const_end() or deref(at).first != name_id:
        return NULL
    return &deref(at)


cdef Values _best_of(MapList& maps):
    """The most any of ``maps`` gives each name (maps sorted by id; so is the result)."""
    cdef Values merged = maps[0][0]
    cdef Values next_merged
    cdef Py_ssize_t i, a, b
    cdef Values* other
    for i in range(1, <Py_ssize_t>maps.size()):
        other = maps[i]
        next_merged.clear()
        next_merged.reserve(merged.size() + other.size())
        a = 0
        b = 0
        while a < <Py_ssize_t>merged.size() and b < <Py_ssize_t>other.size():
            if merged[a].first < other[0][b].first:
                next_merged.push_back(merged[a])
                a += 1
            elif other[0][b].first < merged[a].first:
                if other[0][b].second > 0.0:
                    next_merged.push_back(other[0][b])
                b += 1
            else:
                if other[0][b].second > merged[a].second:
                    next_merged.push_back(other[0][b])
                else:
                    next_merged.push_back(merged[a])
                a += 1
                b += 1
        while a < <Py_ssize_t>merged.size():
            next_merged.push_back(merged[a])
            a += 1
        while b < <Py_ssize_t>other.size():
            if other[0][b].second > 0.0:
                next_merged.push_back(other[0][b])
            b += 1
        merged.swap(next_merged)
    return merged


cdef void _add_ids(vector[int]& ids, const Values* values) noexcept:
    cdef Py_ssize_t i
    for i in range(<Py_ssize_t>values.size()):
        ids.push_back(values[0][i].first)


cdef void _add_intersection(vector[int]& ids, MapList& found_by, vector[int]& members) noexcept:
    """Add the names found through every position of ``members``."""
    cdef Py_ssize_t smallest = 0
    cdef Py_ssize_t i, k
    cdef bint everywhere
    cdef int name_id
    for i in range(1, <Py_ssize_t>members.size()):
        if found_by[members[i]].size() < found_by[members[smallest]].size():
            smallest = i
    cdef Values* base = found_by[members[smallest]]
    for k in range(<Py_ssize_t>base.size()):
        name_id = base[0][k].first
        everywhere = True
        for i in range(<Py_ssize_t>members.size()):
            if i != smallest and _find(found_by[members[i]], name_id) == NULL:
                everywhere = False
                break
        if everywhere:
            ids.push_back(name_id)


cdef list _combinations(int n, int size):
    """Bit masks of the ``size``-element subsets of ``range(n)``, in the order of
    ``itertools.combinations`` (lexicographic in positions)."""
    cdef list masks = []
    cdef vector[int] chosen = vector[int](size)
    cdef int i, j
    cdef unsigned int mask
    for i in range(size):
        chosen[i] = i
    while True:
        mask = 0
        for i in range(size):
            mask |= 1u << chosen[i]
        masks.append(mask)
        i = size - 1
        while i >= 0 and chosen[i] == i + n - size:
            i -= 1
        if i < 0:
            return masks
        chosen[i] += 1
        for j in range(i + 1, size):
            chosen[j] = chosen[j - 1] + 1


cdef class CandidateSearch:
    """Candidates and their bounds over one index; remembers token lookups within a budget,
    the lookups used longest ago dropped first (the same policy as the Python search)."""

    cdef list _vocabulary_weights
    cdef list _postings
    cdef object _spellings
    cdef dict _by_key
    cdef dict _by_skeleton
    cdef dict _by_abjad_skeleton
    cdef const uint32_t[:] _deletion_hashes
    cdef const int[:] _deletion_ids
    cdef const uint32_t[:] _deletion_starts
    cdef int _bucket_shift
    cdef vector[double] _min_weights
    cdef int _run_lengths
    cdef double _bound_margin
    cdef double _common_weight
    cdef int _max_subset_anchors
    cdef int _small_reach
    cdef dict _cache
    cdef public long cache_size
    cdef public long cache_budget

    def __init__(
        self,
        vocabulary,
        int bucket_shift,
        list min_weights,
        int run_lengths,
        double bound_margin,
        double common_weight,
        int max_subset_anchors,
        int small_reach,
        long cache_budget,
    ):
        self._vocabulary_weights = vocabulary.weights
        self._postings = vocabulary.postings
        self._spellings = vocabulary.spellings
        self._by_key = vocabulary.by_key
        self._by_skeleton = vocabulary.by_skeleton
        self._by_abjad_skeleton = vocabulary.by_abjad_skeleton
        table = vocabulary.by_deletion
        self._deletion_hashes = table.hashes
        self._deletion_ids = table.ids
        self._deletion_starts = table.starts
        self._bucket_shift = bucket_shift
        self._min_weights.reserve(len(min_weights))
        for weight in min_weights:
            self._min_weights.push_back(weight)
        self._run_lengths = run_lengths
        self._bound_margin = bound_margin
        self._common_weight = common_weight
        self._max_subset_anchors = max_subset_anchors
        self._small_reach = small_reach
        self._cache = {}
        self.cache_size = 0
        self.cache_budget = cache_budget

    @property
    def cache(self):
        """The remembered lookups, least recently used first: (item, joined) -> Reach (a copy,
        for tests; lookups of one text are used and dropped together)."""
        return {
            ((<tuple>remembered)[0], (<tuple>remembered)[1]): (<tuple>remembered)[2]
            for group in self._cache.values()
            for remembered in <list>group
        }

    def reach(self, item, bint joined):
        """The names ``item`` matches (a :class:`Reach`), or None when it matches nothing."""
        return self._reach(item, joined)

    def lookup_joined(self, item):
        """Vocabulary ids several tokens joined match, with their similarity (as the index's
        ``_lookup_joined``)."""
        return self._lookup_joined(item)

    cdef dict _lookup_joined(self, object item):
        # NameIndex._lookup_joined does the same: change both together
        cdef dict matches = {}
        cdef set found = set()
        cdef double similarity, best
        cdef str skeleton = item.skeleton
        vocabulary_id = self._by_key.get(item.key)
        if vocabulary_id is not None:
            found.add(vocabulary_id)
        if item.abjad and len(skeleton) >= 4:
            found.update(self._by_skeleton.get(skeleton, ()))
        for vocabulary_id in found:
            best = -1.0
            for spelling in self._spellings[vocabulary_id]:
                similarity = _compare_joined(item, spelling)
                if similarity > best:
                    best = similarity
            if best >= _MIN_SIMILARITY:
                matches[vocabulary_id] = best
        return matches

    def lookup_single(self, item):
        """Vocabulary ids a single token matches, with their similarity (as the index's
        ``_lookup_single``)."""
        return self._lookup_single(item)

    cdef Reach _reach(self, object item, bint joined):
        cdef Reach reach, known
        cdef double value
        cdef int name_id
        cdef Py_ssize_t i
        cdef unordered_map[int, double] by_name
        # Keyed by the text alone, whose hash a string keeps: hashing the whole Comparable
        # cost more than the rest of a remembered lookup. Lookups of one text are kept
        # together, in a short list matched by value (the same object, nearly always). A
        # plain dictionary keeps them in order of use: taken out and put back, a text goes to
        # the end (an OrderedDict costs several times as much for each step).
        text = <object>PyTuple_GET_ITEM(item, 0)
        joined_flag = True if joined else False
        cache = self._cache
        group = cache.pop(text, None)
        if group is not None:
            cache[text] = group
            for remembered in <list>group:
                known_item = (<tuple>remembered)[0]
                if (<tuple>remembered)[1] is joined_flag and (
                    known_item is item or known_item == item
                ):
                    known = <Reach>(<tuple>remembered)[2]
                    return None if known is _NO_REACH else known
        reach = None
        if not item.legal_form:
            weights = self._vocabulary_weights
            similarities = self._lookup_joined(item) if joined else self._lookup_single(item)
            matches = sorted(
                [
                    (similarity * weights[vocabulary_id], vocabulary_id)
                    for vocabulary_id, similarity in similarities.items()
                ]
            )
            if matches:
                reach = Reach()
                for value, vocabulary_id in matches:  # ascending: the best value is kept
                    for name_id in self._postings[vocabulary_id]:
                        by_name[name_id] = value
                reach.values.reserve(by_name.size())
                for entry in by_name:
                    reach.values.push_back(Entry(entry.first, entry.second))
                sort(reach.values.begin(), reach.values.end(), _entry_before)
                reach.most = matches[len(matches) - 1][0]
        remembered = _NO_REACH if reach is None else reach
        if group is None:
            cache[text] = [(item, joined_flag, remembered)]
        else:
            (<list>group).append((item, joined_flag, remembered))
        self.cache_size += 1 + (<Reach>remembered).values.size()
        if self.cache_size > self.cache_budget:
            self._drop_oldest(self.cache_budget - self.cache_budget // 10)
        return reach

    cdef void _drop_oldest(self, long target):
        """Drop the lookups used longest ago until the rest count ``target`` or less (the
        newest text always stays). A tenth of the budget at a time: finding the oldest means
        walking the dictionary from its start, over the places of texts moved to the end."""
        cdef dict cache = self._cache
        cdef list dropped_texts = []
        cdef long size = self.cache_size
        cdef Py_ssize_t left = len(cache)
        for text, group in cache.items():
            if size <= target or left <= 1:
                break
            for dropped in <list>group:
                size -= 1 + (<Reach>(<tuple>dropped)[2]).values.size()
            dropped_texts.append(text)
            left -= 1
        for text in dropped_texts:
            del cache[text]
        self.cache_size = size

    cdef dict _lookup_single(self, object item):
        cdef dict matches = {}
        cdef vector[uint32_t] hashes
        cdef vector[int] found
        cdef uint32_t wanted
        cdef Py_ssize_t at, end, i
        cdef double best, similarity
        keys = [item.key]
        for form, _how in item.forms:
            keys.append(phonetic_key(form))
        for key in keys:
            vocabulary_id = self._by_key.get(key)
            if vocabulary_id is not None:
                matches[vocabulary_id] = 1.0
        text = item.text
        edits = allowed_edits(len(text))
        if edits:
            _deletion_hashes(item.key, hashes)
            _deletion_hashes(text, hashes)
            if edits > 1:
                for swapped in neighbour_swaps(text):
                    _deletion_hashes(swapped, hashes)
        sort(hashes.begin(), hashes.end())
        hashes.erase(unique(hashes.begin(), hashes.end()), hashes.end())
        for i in range(<Py_ssize_t>hashes.size()):
            wanted = hashes[i]
            at = self._deletion_starts[wanted >> self._bucket_shift]
            end = self._deletion_starts[(wanted >> self._bucket_shift) + 1]
            while at < end:
                if self._deletion_hashes[at] == wanted:
                    found.push_back(self._deletion_ids[at])
                elif self._deletion_hashes[at] > wanted:
                    break
                at += 1
        # consonants compare when either side is abjad: all names for an abjad query, only
        # the abjad names for any other
        skeleton = item.skeleton
        skeleton_index = self._by_skeleton if item.abjad else self._by_abjad_skeleton
        if len(skeleton) >= 2:
            for vocabulary_id in skeleton_index.get(skeleton, ()):
                found.push_back(vocabulary_id)
        # an Arabic ta marbuta written -at on the Latin side (see compare._feminine_ending)
        if item.abjad and text.endswith("a") and len(skeleton) >= 3:
            for vocabulary_id in skeleton_index.get(skeleton + "t", ()):
                found.push_back(vocabulary_id)
        elif not item.abjad and text.endswith("at") and len(skeleton) >= 4:
            for vocabulary_id in skeleton_index.get(skeleton[: len(skeleton) - 1], ()):
                found.push_back(vocabulary_id)
        sort(found.begin(), found.end())
        found.erase(unique(found.begin(), found.end()), found.end())
        for i in range(<Py_ssize_t>found.size()):
            if found[i] in matches:
                continue
            best = -1.0
            for spelling in self._spellings[found[i]]:
                similarity = _compare(item, spelling)[0]
                if similarity > best:
                    best = similarity
            if best >= _MIN_SIMILARITY:
                matches[found[i]] = best
        return matches

    def candidates(self, variants, double threshold):
        """Ids of every name that could score ``threshold`` (0-1) or more against any of the
        prepared query ``variants``, best upper bound first (ties by id)."""
        cdef unordered_map[int, double] bounds
        cdef vector[pair[double, int]] ranked
        cdef pair[int, double] bound
        for variant in variants:
            self._variant_candidates(variant, threshold, bounds)
        ranked.reserve(bounds.size())
        for bound in bounds:
            ranked.push_back(pair[double, int](-bound.second, bound.first))
        # (-bound, id) ascending: best bound first, ties by id, as the Python search sorts
        sort(ranked.begin(), ranked.end())
        return [entry.second for entry in ranked]

    cdef void _variant_candidates(
        self, object prepared, double threshold, unordered_map[int, double]& bounds
    ) except *:
        cdef object items = prepared.items
        cdef Py_ssize_t count = len(items)
        if count == 0:
            return
        cdef vector[double] token_weights
        for weight in prepared.weights:
            token_weights.push_back(weight)
        cdef double total = prepared.total
        cdef vector[pair[double, int]] order
        cdef int position, p, i, size
        for position in range(count):
            order.push_back(pair[double, int](token_weights[position], position))
        # heaviest first, ties in position order (as sorted(..., reverse=True) keeps them)
        stable_sort(order.begin(), order.end(), _heavier)
        cdef double target = threshold - self._bound_margin
        if target < 0.0:
            target = 0.0
        # anchors: every token that is not common, then common ones rarest first until a
        # name matching none of the anchors could not reach the threshold through the rest
        cdef vector[int] anchors
        cdef vector[char] is_anchor = vector[char](count, 0)
        cdef double rest = total
        cdef bint common
        for i in range(count):
            position = order[i].second
            common = token_weights[position] < self._common_weight
            if common and (rest <= 0 or 2 * rest / (rest + total) < target):
                break
            anchors.push_back(position)
            is_anchor[position] = 1
            rest -= token_weights[position]

        # what each anchor position reaches, through itself and the joined runs it is part of;
        # ``held`` keeps the Reach objects alive while their vectors are read (the cache may
        # drop them meanwhile)
        cdef vector[MapList] reaches = vector[MapList](count)
        cdef vector[double] most = vector[double](count, 0.0)
        cdef Reach reach
        cdef list held = []
        for i in range(<int>anchors.size()):
            position = anchors[i]
            reach = self._reach(items[position], False)
            if reach is not None:
                held.append(reach)
                _add_reach(reaches, most, position, reach)
        cdef int run_lengths = self._run_lengths
        cdef int slot = 0
        cdef int start, length
        cdef bint touched
        for run in prepared.runs:
            if run is not None:
                start = slot // run_lengths
                length = slot % run_lengths + 2
                touched = False
                for p in range(start, start + length):
                    if is_anchor[p]:
                        touched = True
                        break
                if touched:
                    reach = self._reach(run, True)
                    if reach is not None:
                        held.append(reach)
                        for p in range(start, start + length):
                            if is_anchor[p]:
                                _add_reach(reaches, most, p, reach)
            slot += 1

        # found_by: one vector a position; several reaches of one position merged
        cdef MapList found_by = MapList(count, NULL)
        cdef vector[Values] merged_maps
        merged_maps.reserve(count)  # never reallocated: found_by points into it
        cdef vector[int] useful
        for i in range(<int>anchors.size()):
            position = anchors[i]
            if reaches[position].empty():
                continue
            useful.push_back(position)
            if reaches[position].size() == 1:
                found_by[position] = reaches[position][0]
            else:
                merged_maps.push_back(_best_of(reaches[position]))
                found_by[position] = &merged_maps.back()
        cdef double anchor_weight = total - rest

        cdef vector[int] ids
        cdef long reached = 0
        cdef int useful_count = <int>useful.size()
        for i in range(useful_count):
            reached += found_by[useful[i]].size()
        cdef vector[unsigned int] sufficient
        cdef unsigned int chosen
        cdef double most_brought, found_weight, covered, not_found, denominator, bound
        cdef bint holds
        cdef vector[int] members
        if reached > self._small_reach and useful_count <= self._max_subset_anchors:
            # names found through too few positions cannot reach the target: only the
            # intersections for the smallest sufficient sets of positions need be looked at
            for size in range(1, useful_count + 1):
                for chosen in _combinations(useful_count, size):
                    holds = False
                    for i in range(<int>sufficient.size()):
                        if (sufficient[i] & ~chosen) == 0:
                            holds = True
                            break
                    if holds:
                        continue
                    most_brought = 0.0
                    found_weight = 0.0
                    members.clear()
                    for i in range(useful_count):
                        if chosen & (1u << i):
                            p = useful[i]
                            members.push_back(p)
                            most_brought += most[p]
                            found_weight += token_weights[p]
                    covered = rest + most_brought
                    not_found = anchor_weight - found_weight
                    denominator = 2 * covered + (not_found if not_found > 0.0 else 0.0)
                    bound = 2 * covered / denominator if denominator else 0.0
                    if not bound >= target:
                        continue
                    sufficient.push_back(chosen)
                    if size == 1:
                        _add_ids(ids, found_by[members[0]])
                    else:
                        _add_intersection(ids, found_by, members)
        else:
            for i in range(useful_count):
                _add_ids(ids, found_by[useful[i]])
        sort(ids.begin(), ids.end())
        ids.erase(unique(ids.begin(), ids.end()), ids.end())

        # the bound of each name found; the tokens that are not anchors are looked up at the
        # first name that needs them
        cdef bint have_rest = False
        cdef vector[MapList] rest_maps
        cdef vector[double] rest_weights
        cdef vector[char] rest_legal
        cdef double min_weight, unmatched_name, brought, name_bound
        cdef bint has_value
        cdef int name_id
        cdef Py_ssize_t k
        cdef const Entry* hit
        cdef Values* values
        for k in range(<Py_ssize_t>ids.size()):
            name_id = ids[k]
            covered = rest
            not_found = anchor_weight
            for i in range(useful_count):
                p = useful[i]
                hit = _find(found_by[p], name_id)
                if hit != NULL:
                    covered += hit.second
                    not_found -= token_weights[p]
            min_weight = self._min_weights[name_id]
            unmatched_name = 0.5 * (min_weight - covered) if min_weight > covered else 0.0
            denominator = 2 * covered + (not_found if not_found > 0.0 else 0.0) + unmatched_name
            if (2 * covered / denominator if denominator else 0.0) < target:
                continue
            if not have_rest:
                self._rest_values(prepared, is_anchor, rest_maps, rest_weights, rest_legal, held)
                have_rest = True
            covered -= rest
            not_found += rest
            for i in range(<int>rest_weights.size()):
                if rest_legal[i]:
                    covered += rest_weights[i]
                    not_found -= rest_weights[i]
                    continue
                has_value = False
                brought = 0.0
                for values in rest_maps[i]:
                    hit = _find(values, name_id)
                    if hit != NULL and (not has_value or hit.second > brought):
                        brought = hit.second
                        has_value = True
                if has_value:
                    covered += brought
                    not_found -= rest_weights[i]
            unmatched_name = 0.5 * (min_weight - covered) if min_weight > covered else 0.0
            denominator = 2 * covered + (not_found if not_found > 0.0 else 0.0) + unmatched_name
            name_bound = 2 * covered / denominator if denominator else 0.0
            if name_bound >= target:
                if bounds.count(name_id) == 0 or name_bound > bounds[name_id]:
                    bounds[name_id] = name_bound

    cdef void _rest_values(
        self,
        object prepared,
        vector[char]& is_anchor,
        vector[MapList]& rest_maps,
        vector[double]& rest_weights,
        vector[char]& rest_legal,
        list held,
    ) except *:
        """For each token that is not an anchor: the vectors of what it can bring to each name
        (through itself or any joined run it is part of), its weight, and whether it is a
        legal form (which the index does not hold and which is taken to match)."""
        cdef int position = 0
        cdef int slot, start, length
        cdef int run_lengths = self._run_lengths
        cdef Reach reach
        cdef MapList maps
        weights = prepared.weights
        runs = prepared.runs
        for item in prepared.items:
            if is_anchor[position]:
                position += 1
                continue
            rest_weights.push_back(weights[position])
            maps.clear()
            if item.legal_form:
                rest_legal.push_back(1)
                rest_maps.push_back(maps)
                position += 1
                continue
            rest_legal.push_back(0)
            reach = self._reach(item, False)
            if reach is not None:
                held.append(reach)
                maps.push_back(&reach.values)
            slot = 0
            for run in runs:
                if run is not None:
                    start = slot // run_lengths
                    length = slot % run_lengths + 2
                    if start <= position < start + length:
                        reach = self._reach(run, True)
                        if reach is not None:
                            held.append(reach)
                            maps.push_back(&reach.values)
                slot += 1
            rest_maps.push_back(maps)
            position += 1


cdef void _add_reach(vector[MapList]& reaches, vector[double]& most, int position, Reach reach):
    if reaches[position].empty() or reach.most > most[position]:
        most[position] = reach.most
    reaches[position].push_back(&reach.values)
