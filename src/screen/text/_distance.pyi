"""Types of the compiled edit distance (``_distance.pyx``)."""

def osa_distance(a: str, b: str, cutoff: int) -> int:
    """``rapidfuzz.distance.OSA.distance(a, b, score_cutoff=cutoff)``, compiled for short ASCII
    words."""
