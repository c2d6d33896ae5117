"""Text before it is a name: folding, writing systems, phonetic keys.

Nothing here knows about names or lists; :mod:`screen.names` builds on it.
"""
