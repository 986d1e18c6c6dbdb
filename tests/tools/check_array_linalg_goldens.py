#!/usr/bin/env python3
"""Checks the values of the golden specs of the array and linalg families (issue 4) against PyTorch.

Each spec under specs/ops/array/ and specs/ops/linalg/ named below is run with `--format json`
and every output is compared with the same value or derivative computed by torch.autograd in
float64, within float32 tolerance. Where TF's gradient convention is not PyTorch's, the reference
is built to TF's definition from PyTorch's derivative: eigh reads (and is differentiated with
respect to) the lower triangle of its input; gather's IndexedSlices are densified. Run by hand
after changing those specs (not part of CTest: PyTorch is not a build dependency):

    /usr/bin/python3 tests/tools/check_array_linalg_goldens.py [build/autograd-cli]
"""
import json
import math
import os
import subprocess
import sys

import torch
import torch.nn.functional as F
from torch.autograd.functional import hessian, jacobian

torch.set_default_dtype(torch.float64)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def t(values):
    return torch.tensor(values, dtype=torch.float64)


def grad(f, *xs):
    """d sum(f(*xs)) / d each x."""
    xs = [x.clone().requires_grad_() for x in xs]
    y = f(*xs)
    gs = torch.autograd.grad(y.sum(), xs, allow_unused=True)
    return [torch.zeros_like(x) if g is None else g for x, g in zip(xs, gs)]


def from_lower(p):
    """The symmetric matrix whose lower triangle is p's (what eigh and cholesky read)."""
    return torch.tril(p) + torch.tril(p, -1).T


def lower_grad(f, a):
    """The derivative of f(symmetric matrix from a's lower triangle) with respect to that triangle."""
    return torch.tril(grad(lambda p: f(from_lower(p)), a)[0])


def gather_duplicates():
    x = t([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
    rows = lambda m: m[[2, 0, 2]]
    columns = lambda m: m[:, [[1, 1], [0, 2]]]
    picked = lambda m: m[[1, 1, 2], [0, 0, 2]]
    mask = torch.tensor([[True, False, True], [False, True, False], [True, True, False]])
    masked = lambda m: m[mask]
    return [
        rows(x), columns(x),
        grad(lambda m: rows(m) * t([[1.0], [10.0], [100.0]]), x)[0],
        grad(lambda m: columns(m) ** 2, x)[0],
        picked(x), grad(lambda m: picked(m) * t([1.0, 2.0, 3.0]), x)[0],
        masked(x), grad(lambda m: masked(m) ** 2, x)[0],
        jacobian(lambda m: rows(m)[:, 0], x),
    ]


def concat_split_roundtrip():
    x = torch.arange(12.0).reshape(3, 4)
    w = t([[1.0, -1.0, 2.0, 0.5]])
    joined = lambda m: torch.cat([m[:, 1:], m[:, :1]], dim=1)
    stacked = lambda m: torch.stack([m[2], m[0]], dim=1)
    tiled = lambda m: m[:1].repeat(2, 2)
    padded = lambda m, v: F.pad(m * v, (0, 2, 1, 0), value=-1.0)
    mirrored = lambda m: F.pad(m[:2, :3][None], (2, 0, 1, 1), mode="reflect")[0]
    return [
        joined(x), grad(lambda m: joined(m) ** 2, x)[0],
        grad(lambda m: m[:, 1:] * w[:, 1:], x)[0],
        stacked(x), grad(lambda m: stacked(m) * t([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]), x)[0],
        tiled(x), grad(lambda m: tiled(m) ** 2, x)[0],
        padded(x, w), *grad(padded, x, w),
        mirrored(x), grad(lambda m: mirrored(m) ** 2, x)[0],
    ]


def einsum_gradients():
    a = t([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    b = t([[0.5, -1.0], [2.0, 0.0], [1.0, 3.0]])
    m = t([[2.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 4.0]])
    v = t([1.0, -2.0, 0.5])
    product = lambda x, y: torch.einsum("ij,jk->ik", x, y)
    batched = lambda x, y: torch.einsum("bij,bjk->bik", torch.stack([x, 2 * x]), torch.stack([y, y * y]))
    trace = lambda x: torch.einsum("ii", x @ x)
    outer = lambda p, q: torch.einsum("i,j->ij", p, q[0])
    quadratic = lambda p, q: torch.einsum("i,ij,j->", p, q, p)
    dotted = lambda q: torch.tensordot(a, q, dims=([1], [0]))
    return [
        product(a, b), *grad(lambda x, y: product(x, y) ** 2, a, b),
        batched(a, b), *grad(batched, a, b),
        trace(m), grad(trace, m)[0],
        outer(v, a), *grad(outer, v, a),
        quadratic(v, m), *grad(quadratic, v, m), hessian(lambda p: quadratic(p, m), v),
        grad(lambda x: x.T * t([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), a)[0],
        dotted(m), grad(lambda q: dotted(q) ** 2, m)[0],
    ]


def log_det_gradients():
    a = t([[4.0, 1.0, 0.0], [2.0, 3.0, 1.0], [0.0, 1.0, 2.0]])
    n = t([[0.0, 2.0], [1.0, 1.0]])
    s = t([[4.0, 2.0], [2.0, 3.0]])
    sign, log_abs = torch.linalg.slogdet(a)
    sign_n, log_abs_n = torch.linalg.slogdet(n)
    # tf.linalg.logdet reads the lower triangle (through Cholesky): its gradient is TF's symmetric one.
    logdet = lambda m: 2 * torch.log(torch.diagonal(torch.linalg.cholesky(m))).sum()
    inverse_trace = lambda m: torch.trace(torch.linalg.inv(m))
    return [
        torch.linalg.det(a), sign, log_abs,
        grad(torch.linalg.det, a)[0], grad(lambda m: torch.linalg.slogdet(m)[1], a)[0],
        sign_n, log_abs_n, grad(lambda m: torch.linalg.slogdet(m)[1], n)[0],
        logdet(s), grad(lambda m: logdet((m + m.T) / 2), s)[0],
        inverse_trace(a), grad(inverse_trace, a)[0],
        hessian(lambda m: torch.linalg.slogdet(m)[1], n),
    ]


def decompositions():
    a = t([[4.0, 2.0, 0.5], [2.0, 5.0, 1.0], [0.5, 1.0, 3.0]])
    b = t([[1.0, 2.0], [3.0, 4.0], [0.0, 1.0]])
    weights = t([[1.0, 0.0, 0.0], [2.0, 1.0, 0.0], [-1.0, 3.0, 1.0]])
    # TF's Cholesky gradient is the symmetric one: that of the symmetrised input.
    cholesky = lambda m: (torch.linalg.cholesky((m + m.T) / 2) * weights).sum()
    qr_loss = lambda m: ((torch.linalg.qr(m)[1] ** 2) * t([[1.0, 2.0], [0.0, 3.0]])).sum() + (
        torch.linalg.qr(m)[0][:, 0] ** 2 * t([1.0, 2.0, 3.0])).sum()
    eigenvalues = lambda m: torch.linalg.eigh(m)[0]
    eigenvector = lambda m: (torch.linalg.eigh(m)[1][:, 2] ** 2 * t([1.0, 0.0, 0.0])).sum()
    singular = lambda m: torch.linalg.svd(m, full_matrices=False)

    def singular_vectors(m):
        u, _, vh = singular(m)
        return (u[:, 0] ** 2 * t([1.0, 2.0, 3.0])).sum() + (vh.T[:, 0] ** 2 * t([1.0, -1.0])).sum()

    q, r = torch.linalg.qr(b)
    return [
        torch.linalg.cholesky(a), grad(cholesky, a)[0],
        r * r, grad(qr_loss, b)[0],
        eigenvalues(a), lower_grad(lambda m: eigenvalues(m)[2], a),
        lower_grad(lambda m: (eigenvalues(m) * t([1.0, 2.0, 3.0])).sum(), a), lower_grad(eigenvector, a),
        singular(b)[1], grad(lambda m: singular(m)[1], b)[0], grad(singular_vectors, b)[0],
    ]


def norm_trace_diag():
    x = t([[3.0, -4.0], [1.0, 2.0]])
    d = t([1.0, -2.0, 3.0])
    rows = lambda m: torch.linalg.vector_norm(m, dim=1)
    one = lambda m: torch.linalg.matrix_norm(m, ord=1)
    spectral = lambda m: torch.linalg.matrix_norm(m, ord=2)
    cubed = lambda v: torch.linalg.vector_norm(v, ord=3)
    trace = lambda m: torch.trace(m @ m)
    matvec = lambda m: torch.mv(m, t([1.0, -1.0]))
    return [
        torch.linalg.norm(x), rows(x), grad(torch.linalg.norm, x)[0], grad(lambda m: rows(m) * t([1.0, 10.0]), x)[0],
        one(x), grad(one, x)[0], spectral(x), grad(spectral, x)[0], cubed(d), grad(cubed, d)[0],
        trace(x), grad(trace, x)[0], torch.diag(d), grad(lambda v: torch.diag(v) ** 2, d)[0],
        torch.diagonal(x), grad(lambda m: torch.diagonal(m) * t([2.0, 3.0]), x)[0],
        matvec(x), grad(lambda m: matvec(m) ** 2, x)[0],
    ]


CASES = {
    "array/gather_duplicates": gather_duplicates,
    "array/concat_split_roundtrip": concat_split_roundtrip,
    "array/einsum_gradients": einsum_gradients,
    "linalg/log_det_gradients": log_det_gradients,
    "linalg/decompositions": decompositions,
    "linalg/norm_trace_diag": norm_trace_diag,
}


def flat(value):
    if isinstance(value, list):
        return [v for item in value for v in flat(item)]
    return [float(value)]


def close(a, b, tolerance):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= tolerance * max(1.0, abs(b))


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "autograd-cli")
    failures = 0
    for name, reference in CASES.items():
        spec = os.path.join(ROOT, "specs", "ops", name + ".yaml")
        run = subprocess.run([binary, "run", "--format", "json", spec], capture_output=True, text=True, check=True)
        objects = [json.loads(line) for line in run.stdout.splitlines()]
        expected = reference()
        if len(objects) != len(expected):
            print(f"{name}: {len(objects)} outputs, torch {len(expected)}")
            failures += 1
            continue
        for obj, ref in zip(objects, expected):
            tolerance = 1e-5 if obj["dtype"] == "float32" else 1e-9
            ours = flat(obj["value"])
            theirs = [float(v) for v in ref.detach().reshape(-1).tolist()]
            ok = len(ours) == len(theirs) and all(close(x, y, tolerance) for x, y in zip(ours, theirs))
            print(f"{name}: {obj['name']}: {'ok' if ok else 'MISMATCH'}")
            if not ok:
                print(f"  ours  {ours}\n  torch {theirs}")
                failures += 1
    print(f"{failures} mismatches")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
