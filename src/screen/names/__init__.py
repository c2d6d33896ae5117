"""Names as comparable tokens: the normaliser (:mod:`screen.names.normalize`), per-script
transliteration, legal forms, term tables (data files with a source on every row, in
``screen/names/data/``) and how two tokens compare (:mod:`screen.names.compare`).
"""
