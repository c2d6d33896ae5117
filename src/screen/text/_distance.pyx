# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
# distutils: language = c++
"""Optimal string alignment distance with a cutoff, compiled: a generic algorithm and nothing
else (no rule of what makes a match lives here; those are ``screen.names.compare``'s).

``osa_distance(a, b, cutoff)`` gives what ``rapidfuzz.distance.OSA.distance(a, b,
score_cutoff=cutoff)`` gives (the reference, used wherever this module is not built, and which
``tests/test_distance.py`` holds this one to): the distance when it is at most ``cutoff``, else
``cutoff + 1``. It exists for the price of a call: the token comparison asks for one or two
distances of short words per pair, and rapidfuzz's general entry point (keyword arguments,
processors, any sequence type) costs several times the distance itself. Plain ASCII words of at
most 64 letters, nearly every word compared, take Hyyrö's bit-parallel algorithm (2003) here;
every other pair goes to rapidfuzz.
"""

from libc.stdint cimport uint64_t

from rapidfuzz.distance.OSA import distance as _reference_distance

cdef extern from "Python.h":
    bint PyUnicode_IS_ASCII(str text)
    void* PyUnicode_DATA(str text)

DEF _MAX_LETTERS = 64


cdef int _osa(const char* a, Py_ssize_t n, const char* b, Py_ssize_t m, int cutoff) noexcept:
    """The distance of two ASCII strings, ``a`` of 1 to 64 letters and ``b`` of at least one,
    or ``cutoff + 1`` when it is more than ``cutoff``; one machine word for the letters of
    ``a``."""
    cdef uint64_t positions[128]
    cdef uint64_t vp, vn, d0, hp, hn, tr, here, before = 0, last
    cdef Py_ssize_t i
    cdef int distance
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


def osa_distance(str a, str b, int cutoff):
    """The optimal string alignment distance of ``a`` and ``b`` (insertions, deletions,
    substitutions and swaps of neighbours, each swapped pair never edited again), or
    ``cutoff + 1`` when it is more than ``cutoff`` (``cutoff`` >= 0)."""
    cdef Py_ssize_t n = len(a), m = len(b)
    if n - m > cutoff or m - n > cutoff:
        return cutoff + 1  # every letter one has more than the other is an edit
    if n == 0 or m == 0:
        return n + m  # at most cutoff, from the line above
    if (
        n <= _MAX_LETTERS and PyUnicode_IS_ASCII(a) and PyUnicode_IS_ASCII(b)
    ):
        return _osa(<const char*>PyUnicode_DATA(a), n, <const char*>PyUnicode_DATA(b), m, cutoff)
    return _reference_distance(a, b, score_cutoff=cutoff)
