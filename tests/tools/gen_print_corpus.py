#!/usr/bin/python3
"""Generates the printing corpus: tensors and the exact text TF 2 + numpy 1.24 print for them.

Run from anywhere with the system Python (numpy 1.24 is the oracle; nothing else is needed):

    /usr/bin/python3 tests/tools/gen_print_corpus.py

Output is deterministic (fixed seed) and written below tests/corpus/printing/ of the repository:

* cases.txt -- every case, read by tests/unit/format/print_corpus_test.cpp.
* specs/NNNN.yaml + specs/NNNN.out -- the same cases except complex ones, as specs for
  `autograd-cli check` (repr of x, then print(x)). Existing NNNN.yaml/.out files are removed first,
  so the directory always matches cases.txt (NNNN is the case number).

Expected texts apply TF's templates (reference/tf-semantics.md A.1) to numpy's own repr()/str():
    repr: <tf.Tensor: shape=SHAPE, dtype=NAME, numpy=TEXT>      TEXT = repr(v)
    str:  tf.Tensor(TEXT, shape=SHAPE, dtype=NAME)               TEXT = str(v)
with a single "\\n" put before TEXT when TEXT contains a newline. For a 0-d tensor v is the numpy
scalar v[()] (numpy 1.24: scalar repr == str for floats, ints and bools).

Format of cases.txt (line oriented, ASCII; lines starting with '#' before the first case are comments):

    case N DTYPE SHAPE        N: case number; DTYPE: TF dtype name; SHAPE: "[2,3]", "[]" for 0-d
    data TOKEN TOKEN ...      one token per element, row-major (the line is "data" alone if empty)
    repr LENGTH               LENGTH bytes of expected tensor_repr text follow, then a "\\n"
    <text>
    str LENGTH                LENGTH bytes of expected tensor_str text follow, then a "\\n"
    <text>
    end

A TOKEN is the element's storage bit pattern as lowercase hex of the unsigned integer of the
storage width (bool: 0/1; int8: 2 hex digits two's complement; float16: the 16-bit pattern; float32:
32-bit; float64: 64-bit). Complex elements are "RE:IM" (two patterns of the component width).
"TOKEN*COUNT" stands for COUNT repetitions of TOKEN (used for the hidden fill of summarised cases).

Summarised cases (more than 1000 elements) set every element outside the shown corner (3 edge items
per axis) to a poison value that would change the output if the formatter looked at it.
"""

import math
import os
import sys

import numpy as np

SEED = 20240611
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(ROOT, "tests", "corpus", "printing")

FLOATS = ["float16", "float32", "float64"]
INTS = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
COMPLEX = ["complex64", "complex128"]
STORAGE_BITS = {"bool": 8, "int8": 8, "int16": 16, "int32": 32, "int64": 64, "uint8": 8, "uint16": 16,
                "uint32": 32, "uint64": 64, "float16": 16, "float32": 32, "float64": 64,
                "complex64": 32, "complex128": 64}


# ----------------------------------------------------------------------------------------------
# Values


def float_values(rng, n, kind):
    """n float64 values of a named flavour (cast to the target dtype later)."""
    sign = np.where(rng.random(n) < 0.3, -1.0, 1.0)
    if kind == "loguniform":
        return sign * 10.0 ** rng.uniform(-12, 12, n)
    if kind == "decade":
        e = rng.integers(-6, 10)
        return sign * 10.0 ** (e + rng.uniform(0, 1, n))
    if kind == "two_decades":
        e = rng.integers(-5, 8)
        return sign * 10.0 ** (e + rng.uniform(0, 2, n))
    if kind == "four_decades":
        e = rng.integers(-5, 6)
        return sign * 10.0 ** (e + rng.uniform(0, 4, n))
    if kind == "narrow":
        a = 10.0 ** rng.integers(-3, 6)
        return rng.uniform(-a, a, n)
    if kind == "ints":
        return rng.integers(-100, 101, n).astype(np.float64)
    if kind == "big_ints":
        return rng.integers(-10 ** 7, 10 ** 7, n).astype(np.float64) * (10 ** rng.integers(0, 3))
    if kind == "quarters":
        return rng.integers(-64, 65, n) / float(2 ** rng.integers(1, 5))
    if kind == "rounded":
        digits = int(rng.integers(0, 7))
        return np.round(rng.uniform(-1, 1, n) * 10.0 ** rng.integers(0, 5), digits)
    if kind == "unit":
        return rng.random(n)
    if kind == "normal":
        return rng.standard_normal(n) * 10.0 ** rng.integers(-2, 3)
    if kind == "const":
        return np.full(n, float_values(rng, 1, "loguniform")[0])
    if kind == "zeros":
        return np.where(rng.random(n) < 0.5, 0.0, -0.0)
    if kind == "extreme":
        pool = [1.7976931348623157e308, 2.2250738585072014e-308, 5e-324, 3.4028234663852886e38,
                1.1754943508222875e-38, 1.401298464324817e-45, 65504.0, 6.103515625e-05,
                5.960464477539063e-08, 2.220446049250313e-16, 1.1920928955078125e-07, 1e-100,
                1e100, 1e16, 9999999999999998.0, 1e-4, 1e8, 99999999.0, 0.0001, 1000.0, 1001.0]
        v = np.array([pool[i] for i in rng.integers(0, len(pool), n)])
        return sign * v
    raise ValueError(kind)


FLOAT_KINDS = ["loguniform", "decade", "two_decades", "four_decades", "narrow", "ints", "big_ints",
               "quarters", "rounded", "unit", "normal", "const", "zeros", "extreme"]
FLOAT_WEIGHTS = [6, 6, 5, 4, 5, 5, 2, 4, 4, 3, 4, 1, 1, 2]


def sprinkle_specials(rng, v, rate):
    """Replaces some values with nan, inf, -inf, 0 or -0."""
    v = v.copy()
    specials = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0])
    mask = rng.random(v.size) < rate
    v[mask] = specials[rng.integers(0, len(specials), int(mask.sum()))]
    return v


def pick_float_kind(rng):
    p = np.array(FLOAT_WEIGHTS, dtype=float)
    return FLOAT_KINDS[rng.choice(len(FLOAT_KINDS), p=p / p.sum())]


def random_floats(rng, n):
    """Float64 values: one flavour, sometimes mixed with a second, sometimes with specials."""
    kind = pick_float_kind(rng)
    v = float_values(rng, n, kind)
    label = kind
    r = rng.random()
    if r < 0.2 and n > 1:
        other = pick_float_kind(rng)
        w = float_values(rng, n, other)
        mix = rng.random(n) < 0.5
        v = np.where(mix, v, w)
        label += "+" + other
    r = rng.random()
    if r < 0.15:
        v = sprinkle_specials(rng, v, rng.uniform(0.05, 0.5))
        label += "+specials"
    elif r < 0.18:
        v = np.full(n, [np.nan, np.inf, -np.inf][rng.integers(0, 3)])
        label = "all_nonfinite"
    elif r < 0.20:
        v = sprinkle_specials(rng, v, 1.0)
        label = "only_specials"
    return v, label


def random_ints(rng, dtype, n):
    info = np.iinfo(dtype)
    kind = ["full", "small", "extremes", "powers", "positive"][rng.choice(5, p=[0.3, 0.3, 0.15, 0.1, 0.15])]
    if kind == "full":
        v = rng.integers(int(info.min), int(info.max), n, dtype=dtype, endpoint=True)
    elif kind == "small":
        v = np.clip(rng.integers(-20, 21, n), int(info.min), int(info.max)).astype(dtype)
    elif kind == "extremes":
        pool = [int(info.min), int(info.max), 0, 1, int(info.max) - 1]
        if info.min < 0:
            pool += [-1, int(info.min) + 1]
        v = np.array([pool[i] for i in rng.integers(0, len(pool), n)], dtype=dtype)
    elif kind == "powers":
        top = len(str(int(info.max))) - 1
        e = rng.integers(0, top + 1, n)
        v = np.array([10 ** int(k) for k in e], dtype=object)
        if info.min < 0:
            v = np.where(rng.random(n) < 0.4, -v, v)
        v = v.astype(dtype)
    else:
        v = rng.integers(0, min(int(info.max), 10 ** int(rng.integers(1, 7))), n, dtype=dtype, endpoint=True)
    return v, kind


def random_array(rng, dtype, shape):
    n = int(np.prod(shape, dtype=np.int64)) if len(shape) else 1
    if dtype in FLOATS:
        v, label = random_floats(rng, n)
        with np.errstate(over="ignore"):
            return v.astype(dtype).reshape(shape), label
    if dtype in COMPLEX:
        re, l1 = random_floats(rng, n)
        if rng.random() < 0.3:
            with np.errstate(over="ignore", invalid="ignore"):
                im, l2 = re * rng.uniform(-2, 2), "scaled"
        else:
            im, l2 = random_floats(rng, n)
        with np.errstate(over="ignore", invalid="ignore"):
            v = (re.astype(np.float64) + 1j * 0).astype(dtype)
            v.imag = im
        return v.reshape(shape), l1 + "|" + l2
    if dtype == "bool":
        p = rng.choice([0.0, 0.5, 1.0, rng.random()])
        return (rng.random(n) < p).reshape(shape), "bool"
    v, label = random_ints(rng, dtype, n)
    return v.reshape(shape), label


# ----------------------------------------------------------------------------------------------
# Shapes


def random_shape(rng, max_size=None):
    """Rank 0-6 with small dims; some long last axes for wrapping. Mostly small sizes, a few up to 1000."""
    if max_size is None:
        max_size = [24, 100, 400, 1000][rng.choice(4, p=[0.55, 0.3, 0.11, 0.04])]
    rank = int(rng.choice(7, p=[0.10, 0.28, 0.30, 0.15, 0.10, 0.04, 0.03]))
    while True:
        shape = []
        for axis in range(rank):
            r = rng.random()
            if rank <= 2 and r < 0.35:
                d = int(rng.integers(6, 41))
            elif rank > 4:
                d = int(rng.integers(1, 4))
            else:
                d = int(rng.integers(1, 7))
            shape.append(d)
        if int(np.prod(shape, dtype=np.int64)) <= max_size:
            return tuple(shape)


def zero_size_shape(rng):
    rank = int(rng.integers(1, 6))
    shape = [int(rng.integers(0, 5)) for _ in range(rank)]
    shape[int(rng.integers(0, rank))] = 0
    return tuple(shape)


def summarised_shape(rng):
    """A shape with more than 1000 elements (at most 1600)."""
    while True:
        rank = int(rng.choice([1, 2, 3, 4, 5], p=[0.3, 0.35, 0.2, 0.1, 0.05]))
        if rank == 1:
            return (int(rng.integers(1001, 1601)),)
        shape = [int(rng.integers(1, 60)) if rng.random() < 0.6 else int(rng.integers(1, 8)) for _ in range(rank)]
        size = int(np.prod(shape, dtype=np.int64))
        if 1000 < size <= 1600:
            return tuple(shape)


def corner_mask(shape):
    """True where numpy shows the element when summarising (3 edge items on axes longer than 6)."""
    mask = np.zeros(shape, dtype=bool)
    keep = [list(range(d)) if d <= 6 else [0, 1, 2, d - 3, d - 2, d - 1] for d in shape]
    mask[np.ix_(*keep)] = True
    return mask


def poison(dtype):
    """A hidden-element value that would change any formatter that looked at it."""
    if dtype == "bool":
        return True
    if dtype in INTS:
        info = np.iinfo(dtype)
        return info.min if info.min < 0 else info.max
    if dtype == "float16":
        return np.float16(60000.0)
    if dtype in COMPLEX:
        return np.array(-1e30 - 1e30j, dtype=dtype)[()]
    return np.array(-1e30, dtype=dtype)[()]


# ----------------------------------------------------------------------------------------------
# Expected text


def tf_text(text):
    return "\n" + text if "\n" in text else text


def expected_texts(a):
    name = a.dtype.name
    shape = repr(tuple(int(d) for d in a.shape))
    v = a[()] if a.ndim == 0 else a
    r = "<tf.Tensor: shape=%s, dtype=%s, numpy=%s>" % (shape, name, tf_text(repr(v)))
    s = "tf.Tensor(%s, shape=%s, dtype=%s)" % (tf_text(str(v)), shape, name)
    return r, s


# ----------------------------------------------------------------------------------------------
# Encoding


def element_tokens(a):
    dtype = a.dtype.name
    flat = a.reshape(-1)
    if dtype == "bool":
        return ["1" if x else "0" for x in flat]
    if dtype in COMPLEX:
        bits = STORAGE_BITS[dtype]
        ut = np.dtype("u%d" % (bits // 8))
        re = np.ascontiguousarray(flat.real).view(ut)
        im = np.ascontiguousarray(flat.imag).view(ut)
        return ["%x:%x" % (int(x), int(y)) for x, y in zip(re, im)]
    bits = STORAGE_BITS[dtype]
    ut = np.dtype("u%d" % (bits // 8))
    return ["%x" % int(x) for x in np.ascontiguousarray(flat).view(ut)]


def run_length(tokens):
    out = []
    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and tokens[j] == tokens[i]:
            j += 1
        count = j - i
        out.append(tokens[i] if count < 4 else "%s*%d" % (tokens[i], count))
        if count < 4:
            out.extend(tokens[i + 1:j])
        i = j
    return out


def yaml_scalar(x, dtype):
    if dtype == "bool":
        return "true" if x else "false"
    if dtype in INTS:
        return str(int(x))
    f = float(x)
    if math.isnan(f):
        return ".nan"
    if math.isinf(f):
        return ".inf" if f > 0 else "-.inf"
    return repr(f)


def spec_text(a, number, label):
    dtype = a.dtype.name
    flat = a.reshape(-1)
    if a.ndim == 0:
        value = yaml_scalar(flat[0], dtype)
    else:
        value = "[" + ", ".join(yaml_scalar(x, dtype) for x in flat) + "]"
    shape = "[" + ", ".join(str(int(d)) for d in a.shape) + "]"
    return ("description: printing corpus case %d (%s, %s)\n"
            "inputs:\n"
            "  x: {value: %s, dtype: %s, shape: %s}\n"
            "output:\n"
            "  - x\n"
            "  - print(x)\n") % (number, dtype, label, value, dtype, shape)


# ----------------------------------------------------------------------------------------------
# Cases


def fixed_cases():
    """Hand-picked arrays: the numpy-repr.md examples and edges that random draws rarely hit."""
    f16, f32 = np.float16, np.float32
    out = [
        (np.array([[0.], [4.], [8.], [12.]], f32), "E1"),
        (np.array([0.1, 0.2, 0.3], f32), "E2"),
        (np.array([1 / 3, 2 / 3], f32), "E3"),
        (np.array([0.1, 1 / 3], f16), "E5"),
        (np.array([1.0, 1.5, 1.25]), "E6"),
        (np.array([65504], f16), "E17"),
        (np.array([50331648.0], f32), "E18"),
        (np.array([0.0001], f32), "E23"),
        (np.array([0.3, 1.23456789e-5], f32), "E26"),
        (np.array([1e-100, 1.0]), "E28"),
        (np.array([65504, 0.5], f16), "E32"),
        (np.array([np.nan, 1.0, -np.inf]), "E33"),
        (np.array([0, 2 ** 64 - 1], np.uint64), "E41"),
        (np.array([1 + 2j, 3.5 - 1j], np.complex64), "E43"),
        (np.array(28.0, f32), "E45"),
        (np.array(65504, f16), "E47"),
        (np.arange(11, dtype=f32), "E52"),
        (np.arange(30, dtype=f32).reshape(1, 30), "E53"),
        (np.arange(24).reshape(2, 3, 4), "E57"),
        (np.arange(16, dtype=f32).reshape(2, 2, 2, 2), "E58"),
        (np.arange(2000, dtype=f32), "E59"),
        (np.arange(2500).reshape(50, 50), "E61"),
        (np.arange(1001).reshape(1001, 1, 1), "E64"),
        (np.arange(1200, dtype=f32).reshape(2, 2, 300) / 4, "E65"),
        (np.arange(1000, dtype=f32), "size 1000 is not summarised"),
        (np.arange(1001, dtype=np.int32), "size 1001 is summarised"),
        (np.array([0.015625], f16), "float16 power of two with a narrow lower gap"),
        (np.array([134217104.0, 1.0], f32), "float32 shortest digits at an even interval end"),
        (np.array(np.float16(0.0001)), "float16 0.0001 scalar"),
        (np.array([np.float16(0.0001), np.float16(1.0)]), "float16 0.0001 vs 1e-4"),
        (np.array([1e16, 1.0]), "1e16"),
        (np.array(1e16), "scalar 1e16"),
        (np.array(9999999999999998.0), "scalar below 1e16"),
        (np.array(123456789.0, f32), "float32 scalar zero fill"),
        (np.array(-0.0, f32), "scalar -0"),
        (np.array(np.nan), "scalar nan"),
        (np.array(-np.inf, f32), "scalar -inf"),
        (np.array(3.4028235e38, f32), "float32 max scalar"),
        (np.array(1e-45, f32), "float32 min subnormal scalar"),
        (np.array([np.nan, np.nan], f32), "all nan"),
        (np.array([np.inf, -np.inf], f16), "only infinities"),
        (np.array([-0.0, 0.0]), "negative zero"),
        (np.array(2 ** 63 + 5, np.uint64), "uint64 scalar above 2^63"),
        (np.array([True] * 30), "bool wraps"),
        (np.array(False), "bool scalar"),
        (np.array(complex(0, -0.0), np.complex128), "complex -0j"),
        (np.array(complex(-0.0, 1), np.complex64), "complex (-0+1j)"),
        (np.array(complex(np.nan, np.inf), np.complex128), "complex nan/inf scalar"),
        (np.array([complex(np.nan, np.inf), complex(1, -np.inf), complex(np.inf, np.nan)], np.complex64), "complex specials"),
        (np.array([complex(0, np.nan)] * 3, np.complex128), "complex all-nan imaginary"),
        (np.array([1e-5 + 1e20j, 1 + 1j]), "complex mixed notation"),
        (np.ones((1,) * 10, np.int32), "10-D of one element"),
        (np.zeros((2, 1, 1, 1, 1, 1, 3), f32), "7-D"),
        (np.zeros((0,), f32), "E48"),
        (np.zeros((0,), np.int64), "E49"),
        (np.zeros((0, 3), f32), "E50"),
        (np.zeros((2, 0), np.int64), "E51"),
        (np.zeros((3, 0, 2), np.float64), "empty float64 shows dtype"),
        (np.zeros((1, 1, 1, 1, 1, 1, 1, 1, 0, 1), np.complex64), "10-D empty"),
    ]
    for dtype in FLOATS:
        info = np.finfo(dtype)
        out.append((np.array([info.max, info.tiny, info.smallest_subnormal, -info.max], dtype), dtype + " extremes"))
        out.append((np.array([info.max, 1.0], dtype), dtype + " max and one"))
        out.append((np.array(info.smallest_subnormal, dtype), dtype + " smallest subnormal scalar"))
        out.append((np.array(info.max, dtype), dtype + " max scalar"))
    for dtype in INTS:
        info = np.iinfo(dtype)
        out.append((np.array([info.min, info.max, 0], dtype), dtype + " extremes"))
        out.append((np.array(info.max, dtype), dtype + " max scalar"))
        out.append((np.array(info.min, dtype), dtype + " min scalar"))
    return out


def main():
    rng = np.random.default_rng(SEED)
    arrays = fixed_cases()
    all_dtypes = ["bool"] + INTS + FLOATS + COMPLEX
    weights = np.array([3] + [2] * len(INTS) + [8, 10, 8] + [4, 4], dtype=float)

    # Random arrays of every size class.
    for _ in range(2000):
        dtype = all_dtypes[rng.choice(len(all_dtypes), p=weights / weights.sum())]
        a, label = random_array(rng, dtype, random_shape(rng))
        arrays.append((a, label))
    # Extra complex cases, so a few hundred exist.
    for _ in range(200):
        dtype = COMPLEX[int(rng.integers(0, 2))]
        a, label = random_array(rng, dtype, random_shape(rng, 200))
        arrays.append((a, label))
    # Long 1-D and 2-D rows to exercise wrapping.
    for _ in range(120):
        dtype = all_dtypes[rng.choice(len(all_dtypes), p=weights / weights.sum())]
        shape = (int(rng.integers(20, 120)),) if rng.random() < 0.6 else (int(rng.integers(1, 4)), int(rng.integers(20, 60)))
        a, label = random_array(rng, dtype, shape)
        arrays.append((a, "wrap " + label))
    # Zero-size arrays.
    for _ in range(60):
        dtype = all_dtypes[int(rng.integers(0, len(all_dtypes)))]
        arrays.append((np.zeros(zero_size_shape(rng), dtype), "zero-size"))
    # Summarised arrays with poisoned hidden elements.
    for _ in range(100):
        dtype = all_dtypes[rng.choice(len(all_dtypes), p=weights / weights.sum())]
        shape = summarised_shape(rng)
        a, label = random_array(rng, dtype, shape)
        a = a.copy()
        a[~corner_mask(shape)] = poison(dtype)
        arrays.append((a, "summarised " + label))

    os.makedirs(os.path.join(OUT_DIR, "specs"), exist_ok=True)
    for name in os.listdir(os.path.join(OUT_DIR, "specs")):
        if name.endswith(".yaml") or name.endswith(".out"):
            os.remove(os.path.join(OUT_DIR, "specs", name))

    lines = ["# autograd-cli printing corpus: generated by tests/tools/gen_print_corpus.py (numpy %s); do not edit.\n"
             % np.__version__,
             "# Format: see the generator's docstring.\n"]
    specs = 0
    for number, (a, label) in enumerate(arrays, start=1):
        a = np.array(a, order="C", copy=True)  # keeps 0-d (ascontiguousarray would make it 1-d)
        dtype = a.dtype.name
        r, s = expected_texts(a)
        shape = "[" + ",".join(str(int(d)) for d in a.shape) + "]"
        tokens = run_length(element_tokens(a))
        lines.append("case %d %s %s\n" % (number, dtype, shape))
        lines.append(("data " + " ".join(tokens)).rstrip() + "\n")
        lines.append("repr %d\n%s\n" % (len(r.encode()), r))
        lines.append("str %d\n%s\n" % (len(s.encode()), s))
        lines.append("end\n")
        if dtype not in COMPLEX:
            base = os.path.join(OUT_DIR, "specs", "%04d" % number)
            with open(base + ".yaml", "w") as f:
                f.write(spec_text(a, number, label))
            with open(base + ".out", "w") as f:
                f.write(r + "\n" + s + "\n")
            specs += 1
    with open(os.path.join(OUT_DIR, "cases.txt"), "w") as f:
        f.write("".join(lines))
    print("wrote %d cases (%d specs) to %s" % (len(arrays), specs, OUT_DIR), file=sys.stderr)


if __name__ == "__main__":
    main()
