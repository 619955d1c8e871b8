"""Keys and bits: the cipher's known answers, the key layout, eager == compiled bit for
bit, independence of split and folded keys, and JAX's stream for the same seed."""
import numpy as np
import pytest

import tracegrad as tg
import tracegrad.random as tr
from tracegrad import lax

# Random123's known-answer vectors for Threefry-2x32 with 20 rounds:
# (key words, block words) -> encrypted block words.
KNOWN_ANSWERS = [
    ((0x00000000, 0x00000000), (0x00000000, 0x00000000), (0x6B200159, 0x99BA4EFE)),
    ((0xFFFFFFFF, 0xFFFFFFFF), (0xFFFFFFFF, 0xFFFFFFFF), (0x1CB996FC, 0xBB002BE7)),
    ((0x13198A2E, 0x03707344), (0x243F6A88, 0x85A308D3), (0xC4923A9C, 0x483DF7A0)),
]


def _threefry(k0, k1, x0, x1):
    return lax.threefry2x32(k0, k1, x0, x1)


def _words(expected):
    return np.uint64(expected[0] << 32 | expected[1])


@pytest.mark.parametrize("key_words, block, expected", KNOWN_ANSWERS)
def test_threefry_known_answers_eager_and_compiled(key_words, block, expected):
    args = [np.uint32(w) for w in key_words + block]
    assert _threefry(*args) == _words(expected)
    assert tg.compile(_threefry)(*args) == _words(expected)


def test_threefry_broadcasts_its_words_in_compiled_loops():
    keys = np.array([k for k, _, _ in KNOWN_ANSWERS], np.uint32)
    blocks = np.array([b for _, b, _ in KNOWN_ANSWERS], np.uint32)
    want = np.array([_words(e) for _, _, e in KNOWN_ANSWERS], np.uint64)
    # keys along one axis, blocks along the other: the diagonal holds the known answers
    got = tg.compile(_threefry)(keys[:, :1], keys[:, 1:], blocks[:, 0], blocks[:, 1])
    assert got.shape == (3, 3) and np.array_equal(np.diag(got), want)
    assert np.array_equal(got, _threefry(keys[:, :1], keys[:, 1:], blocks[:, 0], blocks[:, 1]))


@pytest.mark.parametrize("seed, words", [
    (0, [0, 0]), (42, [0, 42]), (2 ** 40 + 5, [256, 5]), (-1, [2 ** 32 - 1, 2 ** 32 - 1]),
    (np.int32(-1), [0, 2 ** 32 - 1]), (np.uint64(2 ** 64 - 1), [2 ** 32 - 1, 2 ** 32 - 1]),
])
def test_key_from_seed(seed, words):
    key = tr.key(seed)
    assert key.dtype == np.uint32 and key.tolist() == words
    assert tg.compile(tr.key)(seed).tolist() == words
    assert tr.PRNGKey is tr.key


def test_key_rejects_what_is_not_an_integer_seed():
    for seed in (1.5, np.zeros(2, np.int64), True):
        with pytest.raises(tg.DTypeError, match="integer scalar"):
            tr.key(seed)


def _raw(key):
    return dict(b8=tr.bits(key, (3, 7), np.uint8), b16=tr.bits(key, (5,), np.uint16),
                b32=tr.bits(key, (4, 5)), b64=tr.bits(key, (6,), np.uint64),
                split=tr.split(key, 4), grid=tr.split(key, (2, 3)),
                folded=tr.fold_in(key, 7), folded_big=tr.fold_in(key, 2 ** 32 + 7))


def test_bits_split_and_fold_in_are_the_same_eager_and_compiled():
    key = tr.key(1234)
    eager, compiled = _raw(key), tg.compile(_raw)(key)
    for name in eager:
        assert eager[name].dtype == compiled[name].dtype, name
        assert np.array_equal(eager[name], compiled[name]), name
    assert eager["grid"].shape == (2, 3, 2) and eager["split"].shape == (4, 2)
    assert np.array_equal(eager["folded"], eager["folded_big"])     # data wraps to uint32


def test_fold_in_with_traced_data_matches_concrete():
    key = tr.key(5)
    folded = tg.compile(tr.fold_in)
    for step in (0, 1, 99, 2 ** 31 + 3):
        assert np.array_equal(folded(key, np.int64(step)), tr.fold_in(key, step))


def test_new_keys_give_different_uncorrelated_streams():
    n = 100_000
    key = tr.key(0)
    first, second = tr.split(key)
    keys = [key, first, second, tr.fold_in(key, 2), tr.fold_in(first, 0)]
    draws = [tr.normal(k, (n,)) for k in keys]
    for i in range(len(draws)):
        for j in range(i + 1, len(draws)):
            assert not np.array_equal(draws[i], draws[j])
            assert abs(np.corrcoef(draws[i], draws[j])[0, 1]) < 5 / np.sqrt(n)


def test_fold_in_is_the_split_at_that_index():
    # As in JAX: both encrypt the index under the key (so split(key, n)[i] and
    # fold_in(key, i) are the same key, not two independent ones).
    key = tr.key(3)
    assert np.array_equal(tr.split(key, 5)[3], tr.fold_in(key, 3))


def test_the_same_key_gives_the_same_numbers():
    key = tr.key(9)
    assert np.array_equal(tr.normal(key, (100,)), tr.normal(key, (100,)))
    assert np.array_equal(tr.normal(key, (10, 10)).ravel(), tr.normal(key, (100,)))


def test_what_is_not_a_key_is_refused_with_the_fix():
    with pytest.raises(tg.DTypeError, match=r"tg\.random\.key\(seed\)"):
        tr.normal(0, (3,))
    with pytest.raises(tg.DTypeError, match="uint32 array of shape"):
        tr.uniform(np.zeros(2, np.int64), (3,))
    with pytest.raises(tg.DTypeError, match="uint8, uint16, uint32 or uint64"):
        tr.bits(tr.key(0), (3,), np.int32)
    with pytest.raises(tg.ShapeError, match="concrete"):
        tg.compile(lambda key, n: tr.normal(key, n))(tr.key(0), np.int64(3))


class TestJaxStream:
    """JAX's Threefry stream for the same seed (with 64-bit types, JAX's dtypes match
    tracegrad's NumPy defaults): bits exactly, floats to rounding."""

    @pytest.fixture(autouse=True)
    def jax(self):
        jax = pytest.importorskip("jax")
        with jax.enable_x64(True):
            yield jax

    def test_keys_and_bits(self, jax):
        jr = jax.random
        for seed in (0, 42, -1, 2 ** 40 + 5):
            assert np.array_equal(tr.key(seed), jr.key_data(jr.key(seed)))
        key, jkey = tr.key(42), jr.PRNGKey(42)
        assert np.array_equal(tr.split(key, (2, 3)), jr.split(jkey, (2, 3)))
        assert np.array_equal(tr.fold_in(key, 7), jr.fold_in(jkey, 7))
        for dtype in (np.uint8, np.uint16, np.uint32, np.uint64):
            assert np.array_equal(tr.bits(key, (3, 5), dtype), jr.bits(jkey, (3, 5), dtype))

    def test_distributions(self, jax):
        jr, jnp = jax.random, jax.numpy
        key, jkey = tr.key(7), jr.PRNGKey(7)
        logits = np.log(np.array([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]]))
        exact = {
            "bernoulli": (tr.bernoulli(key, 0.3, (500,)), jr.bernoulli(jkey, 0.3, (500,))),
            "categorical": (tr.categorical(key, logits, shape=(4, 2)),
                            jr.categorical(jkey, logits, shape=(4, 2))),
            "randint": (tr.randint(key, (500,), -3, 1000), jr.randint(jkey, (500,), -3, 1000)),
            "randint_uint8": (tr.randint(key, (50,), 0, 256, np.uint8),
                              jr.randint(jkey, (50,), 0, 256, jnp.uint8)),
            "permutation": (tr.permutation(key, 3000), jr.permutation(jkey, 3000)),
        }
        for name, (ours, theirs) in exact.items():
            assert np.array_equal(ours, theirs), name
        for dtype, rtol in ((np.float32, 1e-5), (np.float64, 1e-12)):
            close = {
                "uniform": (tr.uniform(key, (500,), dtype, -2.0, 3.0),
                            jr.uniform(jkey, (500,), dtype, -2.0, 3.0)),
                "normal": (tr.normal(key, (10_000,), dtype), jr.normal(jkey, (10_000,), dtype)),
                "gumbel": (tr.gumbel(key, (500,), dtype), jr.gumbel(jkey, (500,), dtype)),
                "truncated_normal": (tr.truncated_normal(key, -1.0, 2.0, (500,), dtype),
                                     jr.truncated_normal(jkey, -1.0, 2.0, (500,), dtype)),
            }
            for name, (ours, theirs) in close.items():
                theirs = np.asarray(theirs)
                assert ours.dtype == theirs.dtype, name
                np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=rtol * 4, err_msg=name)
