"""List releases: the data models, converters from the publishers' files, the on-disk store
with its checksums, and the diff between two releases.

This is the lowest layer of the package: it imports nothing of the matcher, and everything above
it (names, index, matching, screener, batch) reads releases through it.
"""
