"""``screen lists update``: fetch the official lists, build a release from them, prove the change
and adopt it only when everything checks out.

* :mod:`.fetch`: downloads with timeouts, bounded retries, a size limit and format checks;
* :mod:`.official`: the official sources, their URLs and the quick check of each file's format;
* :mod:`.assemble`: which source supplies which list, and the entries built from the files;
* :mod:`.gates`: the conditions a new release must meet against the one in service;
* :mod:`.expect`: the maintainer's assertions (``screen lists check RELEASE --expect FILE``);
* :mod:`.run`: the whole update, from download to the atomic switch.

Nothing here runs while screening; only ``screen lists update`` and ``screen lists check`` import
it.
"""
