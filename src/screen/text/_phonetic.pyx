# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
# distutils: language = c++
"""A generic engine of rewrite rules for ASCII text, compiled to C++ with Cython, and named
tuples made in C.

:class:`RewriteEngine` holds no rule, letter or replacement of its own: it is given a table
(``screen.text.phonetic`` gives it the phonetic key's, read from ``data/phonetic_rules.tsv``,
when that module is imported), turns each rule into a step of C++ data, and applies the steps
in order with the meaning :meth:`screen.text.phonetic.RewriteRule.pattern` states: ``re.sub``
of the rule's alternatives, leftmost and non-overlapping, at each position the first alternative
that matches there (and is not followed by a byte of ``not_before``); ``start`` only at the
beginning, ``end`` only a match that ends the text, ``collapse`` every run of one character
once (newlines excepted). ``screen.text.phonetic.RewriteEngine`` is the Python engine of the
same tables, and the reference: the tests hold both equal on every word of the shipped release
and on made-up strings, for the shipped table and for altered ones.

Why C++: a key is made for every new word and every pair or triple of adjacent words screened,
and in Python the string copies of the rules cost several thousand instructions a key; here
each rule that applies is one pass over a short buffer, and a rule is skipped without a search
when a letter each of its alternatives needs is absent from the text.
"""

from cpython.ref cimport Py_INCREF
from cpython.tuple cimport PyTuple_SET_ITEM
from cpython.unicode cimport PyUnicode_AsUTF8AndSize
from libc.stdint cimport uint32_t
from libc.string cimport memcmp, memset
from libcpp.string cimport npos, string
from libcpp.vector cimport vector


cdef extern from "Python.h":
    bint PyUnicode_IS_ASCII(object text)


# How a step runs, chosen from the shape of its rule when the table is given (each gives what
# the general scan would give, by a shorter way).
cdef enum Method:
    IN_PLACE  # every alternative one byte, the replacement one byte or none: in place, one pass
    FIND  # one alternative, nothing forbidden after it: std::string::find between copies
    SCAN  # anything else anywhere: at each position, the alternatives in order
    AT_START
    AT_END
    COLLAPSE


cdef struct Step:
    Method method
    vector[string] alternatives  # AT_END: longest first (the leftmost match ending the text)
    vector[uint32_t] needs  # the letters a-z each alternative needs (see _letters)
    string replacement
    uint32_t brings  # the letters a-z of the replacement
    bint conditional  # some bytes must not follow a match
    unsigned char blocks[256]  # 1: this byte must not follow a match
    unsigned char starts[256]  # 1: an alternative begins with this byte


cdef inline uint32_t _bit(unsigned char letter) noexcept:
    return (1u << (letter - 97)) if 97 <= letter <= 122 else 0  # 97, 122: b"a", b"z"


cdef uint32_t _letters(const string& text) noexcept:
    """The letters a-z that occur in ``text``, as a bit set. Only a superset is ever needed
    (a step adds the letters of its replacement and never takes any away), and a step whose
    alternatives each need a letter outside it cannot match: it is skipped without a search."""
    cdef uint32_t found = 0
    cdef size_t at
    for at in range(text.size()):
        found |= _bit(<unsigned char>text[at])
    return found


# --- the table, compiled -----------------------------------------------------------------------

cdef string _ascii_bytes(str text, str what) except *:
    if not PyUnicode_IS_ASCII(text):
        raise ValueError(f"a rewrite rule's {what} must be ASCII, not {text!r}")
    return text.encode("ascii")


cdef Step _step(object rule) except *:
    cdef Step step
    cdef str where = rule.where
    cdef string alternative
    cdef uint32_t needs
    cdef size_t at
    cdef object part
    memset(step.blocks, 0, sizeof(step.blocks))
    memset(step.starts, 0, sizeof(step.starts))
    step.replacement = _ascii_bytes(rule.replacement, "replacement")
    step.brings = _letters(step.replacement)
    cdef string blocked = _ascii_bytes(rule.not_before, "not_before")
    for at in range(blocked.size()):
        step.blocks[<unsigned char>blocked[at]] = 1
    step.conditional = not blocked.empty()
    parts = list(rule.alternatives)
    if where == "end":
        parts.sort(key=len, reverse=True)
    for part in parts:
        alternative = _ascii_bytes(part, "alternative")
        if alternative.empty():
            raise ValueError("a rewrite rule's alternative is empty")
        needs = 0
        for at in range(alternative.size()):
            needs |= _bit(<unsigned char>alternative[at])
        step.alternatives.push_back(alternative)
        step.needs.push_back(needs)
        step.starts[<unsigned char>alternative[0]] = 1
    if where == "collapse":
        step.method = COLLAPSE
    elif where == "start":
        step.method = AT_START
    elif where == "end":
        step.method = AT_END
    elif where != "anywhere":
        raise ValueError(f"a rewrite rule's where is anywhere, start, end or collapse, not {where!r}")
    elif step.replacement.size() <= 1 and all(len(part) == 1 for part in parts):
        step.method = IN_PLACE
    elif step.alternatives.size() == 1 and not step.conditional:
        step.method = FIND
    else:
        step.method = SCAN
    if step.method != COLLAPSE and step.alternatives.empty():
        raise ValueError("a rewrite rule has no alternative")
    return step


cdef vector[Step] _steps(object rules) except *:
    cdef vector[Step] steps
    for rule in rules:
        steps.push_back(_step(rule))
    return steps


# --- the steps, applied ------------------------------------------------------------------------

cdef inline bint _may_match(const Step* step, uint32_t letters) noexcept:
    """Whether every letter of some alternative may be in the text."""
    cdef size_t i
    for i in range(step.needs.size()):
        if step.needs[i] & ~letters == 0:
            return True
    return False


cdef bint _occurs(const Step* step, const string& text, uint32_t letters) noexcept:
    """Whether some alternative occurs in the text (those missing a letter are not searched)."""
    cdef size_t i
    for i in range(step.alternatives.size()):
        if step.needs[i] & ~letters == 0 and text.find(step.alternatives[i]) != npos:
            return True
    return False


cdef inline bint _free(const Step* step, const string& text, size_t end) noexcept:
    """Whether no forbidden byte follows a match that ends before ``end``."""
    return not step.conditional or end >= text.size() or not step.blocks[<unsigned char>text[end]]


cdef void _in_place(const Step* step, string& text) noexcept:
    """One-byte alternatives: each match replaced by the one-byte replacement, or removed. A
    match's next byte is read before it is written (in place, writing never runs ahead)."""
    cdef size_t at
    cdef size_t kept = 0
    cdef size_t size = text.size()
    cdef unsigned char letter
    cdef char replacement
    if step.replacement.empty():
        for at in range(size):
            letter = <unsigned char>text[at]
            if not (step.starts[letter] and _free(step, text, at + 1)):
                text[kept] = text[at]
                kept += 1
        text.resize(kept)
    else:
        replacement = step.replacement[0]
        for at in range(size):
            if step.starts[<unsigned char>text[at]] and _free(step, text, at + 1):
                text[at] = replacement


cdef void _find(const Step* step, string& text):
    """``text = text.replace(alternative, replacement)``; no copy when it does not occur."""
    cdef const string* old = &step.alternatives[0]
    cdef size_t old_size = old.size()
    cdef size_t at = text.find(old[0])
    if at == npos:
        return
    cdef string result
    cdef size_t start = 0
    result.reserve(text.size() + step.replacement.size())
    while at != npos:
        result.append(text, start, at - start)
        result.append(step.replacement)
        start = at + old_size
        at = text.find(old[0], start)
    result.append(text, start, npos)
    text.swap(result)


cdef void _scan(const Step* step, string& text):
    """At each position, the first alternative that matches there (and is not followed by a
    forbidden byte) is replaced; else the byte is kept."""
    cdef string result
    cdef size_t size = text.size()
    cdef size_t at = 0
    cdef size_t i
    cdef size_t length
    cdef bint matched
    cdef const char* data = text.c_str()
    cdef const string* alternative
    result.reserve(size + step.replacement.size())
    while at < size:
        matched = False
        if step.starts[<unsigned char>data[at]]:
            for i in range(step.alternatives.size()):
                alternative = &step.alternatives[i]
                length = alternative.size()
                if (
                    at + length <= size
                    and memcmp(data + at, alternative.data(), length) == 0
                    and _free(step, text, at + length)
                ):
                    result.append(step.replacement)
                    at += length
                    matched = True
                    break
        if not matched:
            result.push_back(data[at])
            at += 1
    text.swap(result)


cdef bint _at_start(const Step* step, string& text):
    cdef size_t i
    cdef size_t length
    for i in range(step.alternatives.size()):
        length = step.alternatives[i].size()
        if (
            length <= text.size()
            and memcmp(text.data(), step.alternatives[i].data(), length) == 0
            and _free(step, text, length)
        ):
            text.replace(0, length, step.replacement)
            return True
    return False


cdef bint _at_end(const Step* step, string& text):
    cdef size_t i
    cdef size_t length
    cdef size_t size = text.size()
    for i in range(step.alternatives.size()):  # longest first
        length = step.alternatives[i].size()
        if length <= size and memcmp(text.data() + size - length, step.alternatives[i].data(), length) == 0:
            text.replace(size - length, length, step.replacement)
            return True
    return False


cdef void _collapse_repeats(string& text) noexcept:
    """Every run of one character written once, newlines excepted (as
    :func:`screen.text.phonetic.collapse_repeats`)."""
    cdef size_t at
    cdef size_t kept = 0
    for at in range(text.size()):
        if at == 0 or text[at] != text[at - 1] or text[at] == b"\n":
            text[kept] = text[at]
            kept += 1
    text.resize(kept)


cdef uint32_t _apply(const vector[Step]& steps, string& text, uint32_t letters):
    """The steps applied to ``text`` in order; ``letters``: a superset of its letters a-z.
    Returns a superset of the letters of the result."""
    cdef size_t i
    cdef const Step* step
    cdef Method method
    for i in range(steps.size()):
        step = &steps[i]
        method = step.method
        if method == COLLAPSE:
            _collapse_repeats(text)
        elif method == IN_PLACE:
            if _may_match(step, letters):
                _in_place(step, text)
                letters |= step.brings
        elif method == FIND:
            if _may_match(step, letters):
                _find(step, text)
                letters |= step.brings
        elif method == SCAN:
            if _occurs(step, text, letters):
                _scan(step, text)
                letters |= step.brings
        elif method == AT_START:
            if _at_start(step, text):
                letters |= step.brings
        elif _at_end(step, text):
            letters |= step.brings
    return letters


cdef string _ascii(str text) except *:
    if not PyUnicode_IS_ASCII(text):
        raise ValueError(f"the compiled rewrite engine takes ASCII text only, not {text!r}")
    cdef Py_ssize_t size
    cdef const char* data = PyUnicode_AsUTF8AndSize(text, &size)
    return string(data, size)


cdef class RewriteEngine:
    """Applies a table of rewrite rules to ASCII text: the key rules to a word, then the
    skeleton rules to its key.

    ``table`` has ``key`` and ``skeleton``, each a sequence of rules with ``where``
    (``anywhere``, ``start``, ``end`` or ``collapse``), ``alternatives`` (strings, tried in
    order), ``replacement`` and ``not_before`` (bytes that must not follow a match), all ASCII
    (``screen.text.phonetic.PhoneticTable``). Raises ValueError for a rule it cannot apply.
    """

    cdef vector[Step] _key
    cdef vector[Step] _skeleton

    def __init__(self, table):
        self._key = _steps(table.key)
        self._skeleton = _steps(table.skeleton)

    def key(self, str text):
        """The key rules applied to an ASCII ``text``."""
        cdef string key = _ascii(text)
        _apply(self._key, key, _letters(key))
        return key.decode("ascii")

    def key_and_skeleton(self, str text):
        """An ASCII ``text``'s key and its key's skeleton."""
        cdef string key = _ascii(text)
        cdef uint32_t letters = _apply(self._key, key, _letters(key))
        cdef string skeleton = key
        _apply(self._skeleton, skeleton, letters)
        return key.decode("ascii"), skeleton.decode("ascii")

    def joined_comparable(self, type cls, str text, bint abjad):
        """``cls(text, (), key, skeleton, abjad, False)`` for an ASCII ``text`` (tokens joined;
        see ``screen.names.compare.comparable``), key and skeleton not interned: most are new,
        and interning them cost more than it saved; None for other text."""
        if not PyUnicode_IS_ASCII(text):
            return None
        cdef string key = _ascii(text)
        cdef uint32_t letters = _apply(self._key, key, _letters(key))
        cdef string skeleton = key
        _apply(self._skeleton, skeleton, letters)
        return _tuple_of(cls, text, (), key.decode("ascii"), skeleton.decode("ascii"), abjad, False)


# --- named tuples made in C -------------------------------------------------------------------

cdef extern from "Python.h":
    ctypedef struct PyTypeObject:
        pass
    object PyType_GenericAlloc(PyTypeObject* type, Py_ssize_t items)


cdef inline void _set(object made, Py_ssize_t at, object item):
    Py_INCREF(item)  # PyTuple_SET_ITEM takes over a reference
    PyTuple_SET_ITEM(made, at, item)


cdef object _tuple_of(type cls, object a, object b, object c, object d, object e, object f):
    # what tuple.__new__(cls, (a, b, c, d, e, f)) makes, without the tuple of fields and the
    # call through the interpreter (cls: a named tuple class, whose instances are plain tuples)
    cdef object made = PyType_GenericAlloc(<PyTypeObject*>cls, 6)
    _set(made, 0, a)
    _set(made, 1, b)
    _set(made, 2, c)
    _set(made, 3, d)
    _set(made, 4, e)
    _set(made, 5, f)
    return made


def new_named_tuple(type cls, a, b, c, d, e, f):
    """``tuple.__new__(cls, (a, b, c, d, e, f))`` for a named tuple class ``cls`` of six
    fields (``screen.names.compare.Comparable``)."""
    return _tuple_of(cls, a, b, c, d, e, f)
