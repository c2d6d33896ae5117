"""The candidate index of a release: token weights, prepared name variants, the vocabulary and
its near-spelling tables, the candidate search (:class:`screen.index.search.NameIndex`) and its
on-disk cache.
"""
