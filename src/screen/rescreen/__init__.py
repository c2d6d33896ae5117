"""``screen rescreen``: a stored batch result screened again on a newer list release, doing only
the work the difference between the two releases requires."""
