# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
# distutils: language = c++
"""The candidate search of :class:`screen.index.NameIndex`, compiled to C++ with Cython: generic
machinery only.

The same algorithm as ``NameIndex._candidates_in_python`` (read that first: it is the reference,
and the search wherever this module is not built), step for step and with every sum added in the
same order, so both give the same candidates with the same bounds to the last bit
(``tests/test_index.py`` compares them on thousands of names). What changes is where the work
happens: what each token reaches is a vector of (name id, value) pairs sorted by name id, so
merging, intersecting and reading them needs no allocation per name and no hashing, and the bound
of every name found is added up in C.

No rule of matching is written here. Which names a token matches, and how closely, is asked of
the index (``NameIndex._lookup``, Python compiled by mypyc, which compares tokens with
``screen.names.compare``) the first time a token is met, and remembered; the one part of that
lookup done here is generic: hashing a word's single deletions with CRC-32 (as ``zlib.crc32``
does) and reading the ids stored under those hashes in the table the index gives.
"""

from cython.operator cimport dereference as deref
from cpython.unicode cimport PyUnicode_AsUTF8AndSize
from cpython.tuple cimport PyTuple_GET_ITEM
from libc.stdint cimport uint32_t, uint64_t
from libcpp.algorithm cimport lower_bound, sort, stable_sort, unique
from libcpp.unordered_map cimport unordered_map
from libcpp.utility cimport pair
from libcpp.vector cimport vector


ctypedef pair[int, double] Entry
ctypedef vector[Entry] Values
"""Name id -> the most a match can bring to it, sorted by name id."""
ctypedef Values* ValuesPtr
ctypedef vector[ValuesPtr] MapList


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
    cdef list _base_weights
    cdef dict _heavier
    cdef list _postings
    cdef object _lookup
    cdef const uint32_t[:] _deletion_hashes
    cdef const int[:] _deletion_ids
    cdef const uint32_t[:] _deletion_starts
    cdef int _bucket_shift
    cdef vector[double] _min_weights
    cdef vector[double] _max_weights
    cdef vector[double] _discountable
    cdef vector[double] _light
    cdef double _least_missing_factor
    cdef int _run_lengths
    cdef double _bound_margin
    cdef double _common_weight
    cdef int _max_subset_anchors
    cdef int _small_reach
    cdef double _unmatched_name_factor
    cdef str _unlooked_parts
    cdef dict _cache
    cdef public long cache_size
    cdef public long cache_budget

    def __init__(
        self,
        vocabulary,
        lookup,
        int bucket_shift,
        list min_weights,
        list max_weights,
        list discountable,
        list light,
        int run_lengths,
        double bound_margin,
        double common_weight,
        int max_subset_anchors,
        int small_reach,
        double unmatched_name_factor,
        double least_missing_factor,
        long cache_budget,
        str unlooked_parts,
    ):
        self._vocabulary_weights = vocabulary.weights
        self._base_weights = vocabulary.base_weights
        self._heavier = vocabulary.heavier
        self._postings = vocabulary.postings
        self._lookup = lookup
        table = vocabulary.by_deletion
        self._deletion_hashes = table.hashes
        self._deletion_ids = table.ids
        self._deletion_starts = table.starts
        self._bucket_shift = bucket_shift
        self._min_weights.reserve(len(min_weights))
        for weight in min_weights:
            self._min_weights.push_back(weight)
        self._max_weights.reserve(len(max_weights))
        for weight in max_weights:
            self._max_weights.push_back(weight)
        self._discountable.reserve(len(discountable))
        for weight in discountable:
            self._discountable.push_back(weight)
        self._light.reserve(len(light))
        for weight in light:
            self._light.push_back(weight)
        self._least_missing_factor = least_missing_factor
        self._run_lengths = run_lengths
        self._bound_margin = bound_margin
        self._common_weight = common_weight
        self._max_subset_anchors = max_subset_anchors
        self._small_reach = small_reach
        self._unmatched_name_factor = unmatched_name_factor
        self._unlooked_parts = unlooked_parts
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

    def add_deletion_matches(self, texts, set found):
        """Add to ``found`` the vocabulary ids stored under the hash of any of ``texts`` or of
        any string one character shorter than one of them (``_DeletionTable.find`` for each
        of those strings, in one pass and without making them): which texts to look up is the
        index's to say."""
        cdef vector[uint32_t] hashes
        cdef vector[int] ids
        cdef uint32_t wanted
        cdef Py_ssize_t at, end, i
        for text in texts:
            _deletion_hashes(<str?>text, hashes)
        sort(hashes.begin(), hashes.end())
        hashes.erase(unique(hashes.begin(), hashes.end()), hashes.end())
        for i in range(<Py_ssize_t>hashes.size()):
            wanted = hashes[i]
            at = self._deletion_starts[wanted >> self._bucket_shift]
            end = self._deletion_starts[(wanted >> self._bucket_shift) + 1]
            while at < end:
                if self._deletion_hashes[at] == wanted:
                    ids.push_back(self._deletion_ids[at])
                elif self._deletion_hashes[at] > wanted:
                    break
                at += 1
        for i in range(<Py_ssize_t>ids.size()):
            found.add(ids[i])

    cdef Reach _reach(self, object item, bint joined):
        cdef Reach reach, known
        cdef double value, similarity
        cdef unordered_map[int, double].iterator found
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
            similarities = self._lookup(item, joined_flag)
            if similarities:
                # as NameIndex._reach: each name gets the most any matched entry brings it, at
                # the entry's weight in that name
                reach = Reach()
                reach.most = 0.0
                for vocabulary_id, similarity_object in (<dict?>similarities).items():
                    similarity = similarity_object
                    value = similarity * <double>self._base_weights[vocabulary_id]
                    for name_id in self._postings[vocabulary_id]:
                        found = by_name.find(name_id)
                        if found == by_name.end():
                            by_name[name_id] = value
                        elif value > deref(found).second:
                            deref(found).second = value
                    for name_id, weight in self._heavier.get(vocabulary_id, ()):
                        value = similarity * <double>weight
                        if value > by_name[name_id]:
                            by_name[name_id] = value
                    value = similarity * <double>self._vocabulary_weights[vocabulary_id]
                    if value > reach.most:
                        reach.most = value
                reach.values.reserve(by_name.size())
                for entry in by_name:
                    reach.values.push_back(Entry(entry.first, entry.second))
                sort(reach.values.begin(), reach.values.end(), _entry_before)
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
        # what each token costs at least left unmatched (a query's place, generic word, legal
        # form or initial may cost less than its weight): the unmatched sums below add costs
        cdef vector[double] costs
        cdef object given_costs = prepared.costs
        if given_costs:
            for cost in given_costs:
                costs.push_back(cost)
        else:
            costs = token_weights
        cdef double anchor_cost = 0.0
        # tokens of the kinds the index does not look up (initials) are never anchors: they
        # are taken to match, as legal forms are
        cdef str parts = prepared.parts
        cdef vector[char] unlooked = vector[char](count, 0)
        cdef bint all_unlooked = True
        for position in range(min(count, len(parts))):
            if parts[position] in self._unlooked_parts:
                unlooked[position] = 1
        for position in range(count):
            if not unlooked[position] and not items[position].legal_form:
                all_unlooked = False
                break
        if all_unlooked:
            # nothing but initials (and legal forms, ``I.T.C. LLC``): the initials are looked
            # up as the letters they are, or nothing would be found
            for position in range(count):
                unlooked[position] = 0
        for i in range(count):
            position = order[i].second
            if unlooked[position]:
                continue
            common = token_weights[position] < self._common_weight
            if common and (rest <= 0 or 2 * rest / (2 * rest + anchor_cost) < target):
                break
            anchors.push_back(position)
            is_anchor[position] = 1
            rest -= token_weights[position]
            anchor_cost += costs[position]

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

        cdef vector[int] ids
        cdef long reached = 0
        cdef int useful_count = <int>useful.size()
        for i in range(useful_count):
            reached += found_by[useful[i]].size()
        cdef vector[unsigned int] sufficient
        cdef unsigned int chosen
        cdef double most_brought, found_cost, covered, not_found, denominator, bound
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
                    found_cost = 0.0
                    members.clear()
                    for i in range(useful_count):
                        if chosen & (1u << i):
                            p = useful[i]
                            members.push_back(p)
                            most_brought += most[p]
                            found_cost += costs[p]
                    covered = rest + most_brought
                    not_found = anchor_cost - found_cost
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
        cdef vector[double] rest_costs
        cdef double rest_cost = 0.0
        cdef vector[char] rest_legal
        cdef double min_weight, max_weight, capped, cheap, unmatched_name, brought, name_bound
        cdef bint has_value
        cdef int name_id
        cdef Py_ssize_t k
        cdef const Entry* hit
        cdef Values* values
        for k in range(<Py_ssize_t>ids.size()):
            name_id = ids[k]
            covered = rest
            not_found = anchor_cost
            for i in range(useful_count):
                p = useful[i]
                hit = _find(found_by[p], name_id)
                if hit != NULL:
                    covered += hit.second
                    not_found -= costs[p]
            min_weight = self._min_weights[name_id]
            # at most the name's own weight matches (see screen.index.names.max_weights)
            max_weight = self._max_weights[name_id]
            capped = covered if covered < max_weight else max_weight
            cheap = self._discountable[name_id]
            unmatched_name = 0.0
            if min_weight > capped:
                unmatched_name = self._unmatched_name_cost(
                    min_weight - capped, cheap, self._light[name_id]
                )
            denominator = 2 * capped + (not_found if not_found > 0.0 else 0.0) + unmatched_name
            if (2 * capped / denominator if denominator else 0.0) < target:
                continue
            if not have_rest:
                self._rest_values(
                    prepared, is_anchor, unlooked, costs, rest_maps, rest_weights, rest_costs,
                    rest_legal, held,
                )
                rest_cost = 0.0
                for i in range(<int>rest_costs.size()):
                    rest_cost += rest_costs[i]
                have_rest = True
            covered -= rest
            not_found += rest_cost
            for i in range(<int>rest_weights.size()):
                if rest_legal[i]:
                    covered += rest_weights[i]
                    not_found -= rest_costs[i]
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
                    not_found -= rest_costs[i]
            capped = covered if covered < max_weight else max_weight
            unmatched_name = 0.0
            if min_weight > capped:
                unmatched_name = self._unmatched_name_cost(
                    min_weight - capped, cheap, self._light[name_id]
                )
            denominator = 2 * capped + (not_found if not_found > 0.0 else 0.0) + unmatched_name
            name_bound = 2 * capped / denominator if denominator else 0.0
            if name_bound >= target:
                if bounds.count(name_id) == 0 or name_bound > bounds[name_id]:
                    bounds[name_id] = name_bound

    cdef inline double _unmatched_name_cost(
        self, double missing, double discountable, double light
    ) noexcept:
        """The least a name's unmatched words can cost: its discountable words first, at the
        least factor, then its light words, then the rest in full (as
        ``screen.index.names.least_unmatched_cost``)."""
        cdef double cheap = missing if missing < discountable else discountable
        cdef double left = missing - cheap
        cdef double lighter = left if left < light else light
        return (self._least_missing_factor * cheap + self._unmatched_name_factor * lighter
                + (left - lighter))

    cdef void _rest_values(
        self,
        object prepared,
        vector[char]& is_anchor,
        vector[char]& unlooked,
        vector[double]& costs,
        vector[MapList]& rest_maps,
        vector[double]& rest_weights,
        vector[double]& rest_costs,
        vector[char]& rest_legal,
        list held,
    ) except *:
        """For each token that is not an anchor: the vectors of what it can bring to each name
        (through itself or any joined run it is part of), its weight, its least cost unmatched,
        and whether it is a legal form or an initial (which the index does not look up and
        which is taken to match)."""
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
            rest_costs.push_back(costs[position])
            maps.clear()
            if item.legal_form or unlooked[position]:
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
