"""Choosing at random with weights, as every part of the generator does."""


def weighted(rng, pairs):
    """Choose from [(value, weight), ...]."""
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for value, w in pairs:
        x -= w
        if x < 0:
            return value
    return pairs[-1][0]
