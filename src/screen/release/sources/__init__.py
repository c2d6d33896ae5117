"""Converters from public source files (CSL, OFAC, UN, Entity List notes) to list releases.

One module per source format; :mod:`screen.release.sources.build` combines them into a release.
These modules run only when a release is built (``screen lists build``), never while screening.
"""
