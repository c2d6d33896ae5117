# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
# distutils: language = c++
"""The phonetic key and consonant skeleton of an ASCII word, compiled to C++ with Cython.

The rules of :func:`screen.text.phonetic.phonetic_key` and :func:`screen.text.phonetic.consonant_skeleton`
(read those first: they are the reference, and run wherever this module is not built or the text
is not ASCII), applied in the same order with the same semantics: ``str.replace`` replaces
leftmost, non-overlapping occurrences, and ``re.sub`` of an alternation takes, at each position,
the first alternative that matches there. A key is made for every new word and every pair or
triple of adjacent words screened, and in Python the string copies of the fifteen rules cost
several thousand instructions a key; here each rule is one pass over a short buffer.
``tests/test_normalize.py`` compares both on every word of the shipped release and on made-up
strings.
"""

from cpython.ref cimport Py_INCREF
from cpython.tuple cimport PyTuple_SET_ITEM
from cpython.unicode cimport PyUnicode_AsUTF8AndSize
from libc.string cimport strchr, strlen, strncmp
from libcpp.string cimport npos, string


cdef inline bint _contains(const string& text, const char* part) noexcept:
    return text.find(part) != npos


cdef void _sub(string& text, const char** alternatives, int count, const char* replacement):
    """``text = re.sub("a|b|...", replacement, text)`` for literal alternatives, tried in order
    at each position."""
    cdef string result
    cdef size_t at = 0
    cdef size_t size = text.size()
    cdef size_t length
    cdef int i
    cdef bint matched
    cdef const char* data = text.c_str()
    result.reserve(size)
    while at < size:
        matched = False
        for i in range(count):
            length = strlen(alternatives[i])
            if at + length <= size and strncmp(data + at, alternatives[i], length) == 0:
                result.append(replacement)
                at += length
                matched = True
                break
        if not matched:
            result.push_back(data[at])
            at += 1
    text.swap(result)


cdef void _replace(string& text, const char* old, const char* new):
    """``text = text.replace(old, new)``; no copy when ``old`` does not occur."""
    cdef size_t old_size = strlen(old)
    cdef size_t at = text.find(old, 0, old_size)
    if at == npos:
        return
    cdef string result
    cdef size_t start = 0
    result.reserve(text.size())
    while at != npos:
        result.append(text, start, at - start)
        result.append(new)
        start = at + old_size
        at = text.find(old, start, old_size)
    result.append(text, start, npos)
    text.swap(result)


cdef void _c_not_before_h(string& text) noexcept:
    """``text = re.sub("c(?!h)", "k", text)``."""
    cdef size_t at
    for at in range(text.size()):
        if text[at] == b"c" and (at + 1 == text.size() or text[at + 1] != b"h"):
            text[at] = b"k"


cdef void _collapse_repeats(string& text):
    """Every run of one character written once, newlines excepted (as
    :func:`screen.text.phonetic.collapse_repeats`)."""
    cdef size_t at
    cdef size_t kept = 0
    for at in range(text.size()):
        if at == 0 or text[at] != text[at - 1] or text[at] == b"\n":
            text[kept] = text[at]
            kept += 1
    text.resize(kept)


cdef const char* _SCH[2]
_SCH[:] = [b"shch", b"sch"]
cdef const char* _TSCH[2]
_TSCH[:] = [b"tch", b"tsch"]
cdef const char* _DZH[3]
_DZH[:] = [b"dzh", b"dj", b"zh"]
cdef const char* _CK_Q[3]
_CK_Q[:] = [b"ck", b"qu", b"q"]
cdef const char* _OU[2]
_OU[:] = [b"ou", b"oo"]


cdef inline unsigned int _bit(char letter) noexcept:
    return 1u << (letter - 97)  # 97: b"a"


cdef unsigned int _letters(const string& text) noexcept:
    """The letters a-z that occur in ``text``, as a bit set."""
    cdef unsigned int found = 0
    cdef char letter
    cdef size_t at
    for at in range(text.size()):
        letter = text[at]
        if b"a" <= letter <= b"z":
            found |= _bit(letter)
    return found


cdef inline bint _has(unsigned int letters, const char* needed) noexcept:
    cdef unsigned int wanted = 0
    while needed[0]:
        wanted |= _bit(needed[0])
        needed += 1
    return letters & wanted == wanted


cdef void _key(string& text):
    # ``letters`` holds every letter the text may contain (rules only ever add the letters of
    # their replacement to it): a rule whose pattern needs a letter that is not there is
    # skipped without a search, which leaves out most of the searches of a key.
    cdef unsigned int letters = _letters(text)
    if _has(letters, "sch") and (_contains(text, "shch") or _contains(text, "sch")):
        _sub(text, _SCH, 2, "sh")
    if _has(letters, "tch") and (_contains(text, "tch") or _contains(text, "tsch")):
        _sub(text, _TSCH, 2, "ch")
    if _has(letters, "dzh") and _contains(text, "dzh"):
        _sub(text, _DZH, 3, "j")
        letters |= _bit(b"j")
    elif (_has(letters, "zh") and _contains(text, "zh")) or (
        _has(letters, "dj") and _contains(text, "dj")
    ):
        _replace(text, "dj", "j")
        _replace(text, "zh", "j")
        letters |= _bit(b"j")
    if _has(letters, "h"):
        if _has(letters, "k"):
            _replace(text, "kh", "h")
        if _has(letters, "g"):
            _replace(text, "gh", "g")
        if _has(letters, "p"):
            _replace(text, "ph", "f")
            letters |= _bit(b"f")
        if _has(letters, "t"):
            _replace(text, "th", "t")
        if _has(letters, "d"):
            _replace(text, "dh", "d")
    if (_has(letters, "q") and _contains(text, "q")) or (
        _has(letters, "ck") and _contains(text, "ck")
    ):
        _sub(text, _CK_Q, 3, "k")
        letters |= _bit(b"k")
    if _has(letters, "c"):
        _c_not_before_h(text)
        letters |= _bit(b"k")
    if _has(letters, "x"):
        _replace(text, "x", "ks")
        letters |= _bit(b"k") | _bit(b"s")
    if _has(letters, "w"):
        _replace(text, "w", "v")
        letters |= _bit(b"v")
    if _has(letters, "y"):
        _replace(text, "y", "i")
        letters |= _bit(b"i")
    if text.compare(0, 2, b"ie") == 0:
        text.replace(0, 2, b"e")
    if _has(letters, "o") and (_contains(text, "oo") or _contains(text, "ou")):
        _sub(text, _OU, 2, "u")
        letters |= _bit(b"u")
    if _has(letters, "e"):
        _replace(text, "ee", "i")
    _collapse_repeats(text)
    cdef size_t size = text.size()
    if size >= 2 and text[size - 2] == b"i" and (text[size - 1] == b"i" or text[size - 1] == b"j"):
        text.resize(size - 1)


cdef string _ascii(str text) except *:
    cdef Py_ssize_t size
    cdef const char* data = PyUnicode_AsUTF8AndSize(text, &size)
    return string(data, size)


def ascii_phonetic_key(str text):
    """The phonetic key of an ASCII ``text`` (see :func:`screen.text.phonetic.phonetic_key`)."""
    cdef string key = _ascii(text)
    _key(key)
    return key.decode("ascii")


cdef string _skeleton(const string& key):
    """The consonants of a phonetic key, doubled letters collapsed."""
    cdef size_t size = key.size()
    if size and key[size - 1] == b"h":  # a final h only lengthens a vowel
        size -= 1
    cdef string kept
    cdef char letter
    cdef size_t at
    for at in range(size):
        letter = key[at]
        if letter == 0 or strchr(b"aeiouyvw'@`", letter) == NULL:
            kept.push_back(letter)
    _collapse_repeats(kept)
    return kept


def ascii_consonant_skeleton(str text):
    """The consonant skeleton of an ASCII ``text`` (see
    :func:`screen.text.phonetic.consonant_skeleton`)."""
    cdef string key = _ascii(text)
    _key(key)
    return _skeleton(key).decode("ascii")


def ascii_key_and_skeleton(str text):
    """The phonetic key and consonant skeleton of an ASCII ``text`` at once."""
    cdef string key = _ascii(text)
    _key(key)
    return key.decode("ascii"), _skeleton(key).decode("ascii")


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


def joined_comparable(type cls, str text, bint abjad):
    """``cls(text, (), phonetic_key(text), consonant_skeleton(text), abjad, False)`` for an
    ASCII ``text`` (tokens joined; see ``screen.names.compare.comparable``), key and skeleton
    not interned: most are new, and interning them cost more than it saved; None for other
    text."""
    if not text.isascii():
        return None
    cdef string key = _ascii(text)
    _key(key)
    cdef str key_text = key.decode("ascii")
    cdef str skeleton_text = _skeleton(key).decode("ascii")
    return _tuple_of(cls, text, (), key_text, skeleton_text, abjad, False)
