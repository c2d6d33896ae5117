# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
# distutils: language = c++
"""The token pairs of one query against list names, compiled to C++ with Cython: generic
machinery only.

The same as ``matching.pairs.PairMemo`` (read that first: it is the reference, and what runs
wherever this module is not built): every pair of a query token and a name token is compared
once per query, with the comparison it is given (``screen.names.compare.compare``), and the
pairs similar enough are returned as sort keys. What changes is the bookkeeping: a comparison is
remembered under the two tokens' addresses in a C++ hash map, where the Python memo boxes each
``id()`` as an integer and looks it up in two dictionaries. No rule of matching is written here.
"""

from cpython.ref cimport PyObject
from cython.operator cimport dereference as deref
from libcpp.unordered_map cimport unordered_map


cdef class TokenPairs:
    """Token comparisons of one query, made at most once each: ``compare(query_token,
    name_token)`` gives ``(similarity, how)``; pairs at ``min_similarity`` or more are kept."""

    cdef object _compare
    cdef double _min_similarity
    # query token address -> name token address -> index into _results
    cdef unordered_map[size_t, unordered_map[size_t, Py_ssize_t]] _known
    cdef list _results
    # every token compared, so that no address in _known is reused while this object lives
    cdef list _held

    def __init__(self, compare, double min_similarity):
        self._compare = compare
        self._min_similarity = min_similarity
        self._results = []
        self._held = []

    def pairs(self, tuple query_items, tuple name_items, tuple name_weights):
        """Every pair similar enough, as ``(-similarity, -name weight, query position, name
        position, how)``, in query then name order (as ``matching.pairs.token_pairs``)."""
        cdef list candidates = []
        cdef Py_ssize_t i, j, at
        cdef Py_ssize_t query_count = len(query_items)
        cdef Py_ssize_t name_count = len(name_items)
        cdef size_t query_key, name_key
        cdef unordered_map[size_t, Py_ssize_t]* known
        cdef unordered_map[size_t, Py_ssize_t].iterator found
        cdef tuple result
        cdef double similarity
        for i in range(query_count):
            query_item = query_items[i]
            query_key = <size_t><PyObject*>query_item
            if self._known.count(query_key) == 0:
                self._held.append(query_item)
            known = &self._known[query_key]
            for j in range(name_count):
                name_item = name_items[j]
                name_key = <size_t><PyObject*>name_item
                found = known.find(name_key)
                if found == known.end():
                    result = <tuple>self._compare(query_item, name_item)
                    at = len(self._results)
                    self._results.append(result)
                    self._held.append(name_item)
                    known[0][name_key] = at
                else:
                    result = <tuple>self._results[deref(found).second]
                similarity = <double>result[0]
                if similarity >= self._min_similarity:
                    candidates.append(
                        (-similarity, -<double>name_weights[j], i, j, result[1])
                    )
        return candidates
