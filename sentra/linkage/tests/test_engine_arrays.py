import numpy as np
import pytest

from sentra.linkage.engine import arrays


@pytest.mark.parametrize("size", [0, 1, 7, 5000])
def test_the_sort_based_unique_equals_numpys(size):
    values = np.random.default_rng(size).integers(-5, 40, size=size).astype(np.int64)
    assert np.array_equal(arrays.unique(values), np.unique(values))
    got, inverse = arrays.unique_inverse(values)
    want, want_inverse = np.unique(values, return_inverse=True)
    assert np.array_equal(got, want) and np.array_equal(inverse, want_inverse)
    got, counts = arrays.unique_counts(values)
    want, want_counts = np.unique(values, return_counts=True)
    assert np.array_equal(got, want) and np.array_equal(counts, want_counts)
