"""Screening files of parties: reading records (:mod:`screen.batch.input`), screening them on
worker processes (:mod:`screen.batch.run`), writing results (:mod:`screen.batch.output`) and
verifying stored results against a release (:mod:`screen.batch.verify`).
"""
