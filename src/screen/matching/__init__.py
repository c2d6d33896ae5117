"""Scoring a query against list names: token pairs, alignment, the score and its explanation.

:class:`screen.matching.score.Matcher` scores the candidates that
:class:`screen.index.search.NameIndex` finds; :func:`screen.matching.score.score_pair` scores two
names alone.
"""
