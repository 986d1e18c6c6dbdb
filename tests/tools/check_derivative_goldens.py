#!/usr/bin/env python3
"""Checks the values of the golden specs under specs/derivatives/ against PyTorch (float64).

The .out files are written by `autograd-cli check --update`; this script is the independent check
of their numbers: it runs each spec with `--format json` and compares every output tensor with the
same derivative computed by torch.autograd, within float32 tolerance. Run by hand after changing
those specs (not part of CTest: PyTorch is not a build dependency):

    /usr/bin/python3 tests/tools/check_derivative_goldens.py [build/autograd-cli]
"""
import json
import math
import os
import subprocess
import sys

import torch
from torch.autograd.functional import hessian, jacobian, jvp

torch.set_default_dtype(torch.float64)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPECS = os.path.join(ROOT, "specs", "derivatives")


def t(values):
    return torch.tensor(values, dtype=torch.float64)


def grad(f, x, order=1):
    x = x.clone().requires_grad_()
    y = f(x)
    for _ in range(order):
        (y,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    return y.detach()


def jacobian_matmul():
    a = t([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    x = t([[0.5], [-1.0], [2.0]])
    dy_dx = jacobian(lambda v: a @ v, x)
    dy_da = jacobian(lambda m: m @ x, a)
    return [None, dy_dx, None, dy_da.reshape(2, 6)]


def batch_jacobian():
    x = t([[1.0, 2.0], [3.0, 4.0]])
    w = t([[1.0, -1.0, 0.5], [2.0, 0.0, -0.5]])
    def per_example(f):
        return torch.stack([jacobian(f, x[i]) for i in range(x.shape[0])])
    return [per_example(lambda r: r * r), per_example(lambda r: torch.tanh(r @ w))]


def hessian_quadratic():
    a = t([[2.0, 1.0, 0.0], [-1.0, 3.0, 4.0], [0.5, 0.0, 1.0]])
    x = t([0.3, -1.2, 2.0])
    f = lambda v: (v * (a @ v)).sum()
    return [grad(f, x), hessian(f, x)]


def hessian_tanh():
    a = t([[0.5, -0.25, 1.0, 0.0], [0.1, 0.2, -0.3, 0.4], [-1.0, 0.5, 0.25, 0.75], [0.3, 0.3, 0.3, -0.6]])
    x = t([0.2, -0.4, 0.6, 1.0])
    return [hessian(lambda v: torch.tanh(a @ v).sum(), x)]


def jvp_forward_accumulator():
    x = t(1.1)
    f = lambda p: p ** 3.5
    inner = jvp(f, x, t(1.0))[1]
    outer = jvp(lambda p: jvp(f, p, t(1.0), create_graph=True)[1], x, t(1.0))[1]
    v = t([1.0, 2.0])
    g = grad(lambda p: (p ** 3).sum(), v)
    hvp = torch.autograd.functional.hvp(lambda p: (p ** 3).sum(), v, t([1.0, 0.0]))[1]
    return [inner, outer, g, hvp]


def jvp_several_sources():
    x = t([0.5, -1.0, 2.0])
    s = t(3.0)
    both = jvp(lambda a, b: torch.sin(a) * b, (x, s), (t([1.0, 0.0, -1.0]), t(0.5)))[1]
    each = jvp(lambda a: (torch.sin(a) * s, (a * a).sum()), x, t([1.0, 1.0, 1.0]))[1]
    return [both, each[0], each[1]]


def high_order():
    x = t([-1.0, 0.0, 0.5, 2.0])
    f = lambda v: torch.sin(v) * torch.exp(v)
    return [grad(f, x, 5), grad(f, x, 8)]


def unconnected():
    return [None, torch.zeros(2, 1, 3), None, torch.zeros(2, 2)]


def nan_trap():
    x = t([-1.0, 0.0, 4.0])
    dy = grad(lambda v: torch.where(v > 0, torch.log(v), t(0.0)), x)
    dsafe = grad(lambda v: torch.where(v > 0, torch.log(torch.where(v > 0, v, t(1.0))), t(0.0)), x)
    return [dy, dsafe]


CASES = {
    "jacobian_matmul": jacobian_matmul,
    "batch_jacobian": batch_jacobian,
    "hessian_quadratic": hessian_quadratic,
    "hessian_tanh": hessian_tanh,
    "jvp_forward_accumulator": jvp_forward_accumulator,
    "jvp_several_sources": jvp_several_sources,
    "high_order": high_order,
    "unconnected": unconnected,
    "nan_trap": nan_trap,
}


def flat(value):
    if isinstance(value, list):
        return [v for item in value for v in flat(item)]
    if isinstance(value, str):
        return [float(value)]
    return [float(value)]


def close(a, b):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= 1e-5 * max(1.0, abs(b)) + 1e-6


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "autograd-cli")
    failures = 0
    for name, reference in CASES.items():
        spec = os.path.join(SPECS, name + ".yaml")
        run = subprocess.run([binary, "run", "--format", "json", spec], capture_output=True, text=True, check=True)
        objects = [json.loads(line) for line in run.stdout.splitlines()]
        expected = reference()
        if len(objects) != len(expected):
            print(f"{name}: {len(objects)} outputs, torch {len(expected)}")
            failures += 1
            continue
        for obj, ref in zip(objects, expected):
            if ref is None:
                continue
            ours = flat(obj["value"])
            theirs = [float(v) for v in ref.reshape(-1).tolist()]
            ok = len(ours) == len(theirs) and all(close(a, b) for a, b in zip(ours, theirs))
            print(f"{name}: {obj['name']}: {'ok' if ok else 'MISMATCH'}")
            if not ok:
                print(f"  ours  {ours}\n  torch {theirs}")
                failures += 1
    print(f"{failures} mismatches")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
