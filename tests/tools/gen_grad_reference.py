#!/usr/bin/env python3
"""Reference derivatives for the golden gradient specs (specs/ops/**, specs/tape/**).

Each spec's derivatives are recomputed independently with PyTorch (float32/float64 as in the
spec), with TF's conventions written out by hand where PyTorch's differ (ties of maximum go to x,
pow's exponent gradient is 0 where the base is <= 0, None for unconnected or constant-built
derivatives). Not run by CI; the goldens are regenerated with `autograd-cli check --update` only
after this script agrees with the tool.

    /usr/bin/python3 tests/tools/gen_grad_reference.py                 # print the references
    /usr/bin/python3 tests/tools/gen_grad_reference.py --check BINARY  # compare with BINARY run --format json

Needs numpy and torch (Debian: python3-numpy, python3-torch).
"""
import argparse
import json
import math
import subprocess
import sys

import numpy as np
import torch

F32 = torch.float32
F64 = torch.float64


def t(value, dtype=F32, grad=True):
    return torch.tensor(value, dtype=dtype, requires_grad=grad)


def grad(target, source, output_gradients=None, create_graph=False):
    """d sum(target) / d source (TF's rule for a non-scalar target); None if unconnected."""
    if output_gradients is None:
        output_gradients = torch.ones_like(target)
    (g,) = torch.autograd.grad(target, source, output_gradients, retain_graph=True,
                               create_graph=create_graph, allow_unused=True)
    return g


def nth(fn, x, n):
    """The n-th derivative of an element-wise fn, by repeated gradients of the sum."""
    y = fn(x)
    for _ in range(n):
        y = grad(y, x, create_graph=True)
    return y


def ref_broadcast_gradients():
    x = t([[1.0], [2.0], [3.0]])
    y = t([1.0, 2.0, 4.0, 8.0])
    z = x * y + x / y - y
    return {"dz_dx": grad(z, x), "dz_dy": grad(z, y)}


def ref_scalar_broadcast():
    x = t(np.arange(6.0).reshape(2, 3))
    s = t(1.5)
    y = s * x ** 2 - s
    return {"dy_ds": grad(y, s), "dy_dx": grad(y, x)}


def ref_divide_subtract():
    x = t([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], F64)
    y = t([[2.0], [-4.0]], F64)
    q = x / y - (y - x)
    return {"dq[0]": grad(q, x), "dq[1]": grad(q, y)}


def ref_pow_exponent():
    x = t([-2.0, 0.0, 2.0, 3.0])
    p = t([2.0, 3.0, 0.5, -1.0])
    z = x ** p
    # TF: gy = g * z * log(x) with log(x) replaced by 0 where x <= 0.
    log_x = torch.where(x > 0, torch.log(torch.where(x > 0, x, torch.ones_like(x))), torch.zeros_like(x))
    dz_dp = (z * log_x).detach()
    return {"dz_dp": dz_dp, "dz_dx": grad(z, x)}


def ref_pow_higher_order():
    x = t(1.1)
    return {"dy_dx": nth(lambda v: v ** 3.5, x, 1), "d2y_dx2": nth(lambda v: v ** 3.5, x, 2)}


def ref_first_derivatives():
    fns = {"ds": torch.sin, "dc": torch.cos, "dt": torch.tanh, "dg": torch.sigmoid, "de": torch.exp,
           "dl": torch.log, "dr": torch.sqrt, "dq": torch.reciprocal, "dn": lambda v: -(v * v)}
    out = {}
    for name, fn in fns.items():
        x = t([0.25, 0.5, 1.0, 2.0])
        out[name] = grad(fn(x), x)
    return out


def ref_abs_sign_kinks():
    x = t([-1.5, 0.0, 2.0])
    return {"da": nth(torch.abs, x, 1), "d2a": torch.zeros(3),  # Sign's gradient is zeros (TF)
            "ds": torch.zeros(3), "d2sq": nth(torch.square, x, 2),
            "d3sq": None}  # the second derivative 2 is built from constants only


def ref_fifth_derivative():
    x = t([0.0, 0.5, 1.0], F64)
    return {"d5y": nth(torch.sin, x, 5), "d5z": nth(lambda v: torch.exp(2.0 * v), x, 5),
            "d3t": nth(torch.tanh, x, 3)}


def ref_axis_keepdims():
    x = t(np.arange(6.0).reshape(2, 3))
    row_sums = torch.sum(x * x, dim=1, keepdim=True)
    col_means = torch.mean(x, dim=0)
    total = torch.mean(x)
    return {"d_row_sums": grad(row_sums, x), "d_col_means": grad(col_means, x), "d_total": grad(total, x),
            "d_weighted": grad(col_means, x, torch.tensor([1.0, 10.0, 100.0]))}


def ref_max_min_ties():
    x = t([[1.0, 3.0, 3.0], [2.0, 0.0, 2.0]])
    # amax/amin share ties equally, as TF's _MinOrMaxGrad does.
    return {"d_row_max": grad(torch.amax(x, dim=1), x), "d_smallest": grad(torch.amin(x), x),
            "d_col_max": grad(torch.amax(x, dim=0, keepdim=True), x)}


def ref_matmul_transpose():
    a = t(np.arange(6.0).reshape(3, 2))
    b = t([[1.0, -1.0, 2.0], [0.5, 0.0, -2.0]])
    plain = a @ b
    both = a.T @ b.T
    only_b = b @ b.T
    return {"d_plain[0]": grad(plain, a), "d_plain[1]": grad(plain, b),
            "d_both[0]": grad(both, a), "d_both[1]": grad(both, b), "d_only_b": grad(only_b, b)}


def ref_batched_matmul():
    a = t(np.arange(12.0).reshape(2, 2, 3))
    b = t([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    c = a @ b
    return {"dc_da": grad(c, a), "dc_db": grad(c, b)}


def ref_slicing():
    x = t(np.arange(12.0).reshape(3, 4))
    row = x[1]
    return {"d_middle": grad(x[:, 1:3] * 2.0, x), "d_last": grad(x[..., -1], x),
            "d_reversed": grad(torch.flip(x, [0])[:, 0] * torch.tensor([1.0, 2.0, 3.0]), x),
            "d_strided": grad(torch.flip(x[::2], [1])[:, ::2], x), "d_row": grad(row * row, x)}


def ref_reshape_transpose():
    x = t(np.arange(6.0).reshape(2, 3))
    w = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    r = x.reshape(3, 2) * w
    tr = x.T * w
    p = x.reshape(1, 2, 3).permute(2, 0, 1) * w.reshape(3, 1, 2)
    return {"dr": grad(r, x), "dt": grad(tr, x), "dp": grad(p, x)}


def ref_broadcast_fill():
    x = t([[1.0], [2.0], [3.0]])
    s = t(2.0)
    b = x.expand(2, 3, 4)
    f = s.expand(2, 3) * torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    i = x * x
    return {"db": grad(b, x), "df": grad(f, s), "dz": None, "di": grad(i, x)}


def ref_cast_gradients():
    x = t([1.5, -2.75, 3.0])
    wide = x.double() ** 2
    through_int = torch.trunc(x).detach() * x
    mask = (x > 0).float() * x
    return {"d_wide": grad(wide, x), "d_through_int": grad(through_int, x), "d_mask": grad(mask, x),
            "d_as_int": None}


def ref_where_maximum_ties():
    x = t([1.0, 2.0, 3.0])
    y = t([3.0, 2.0, 1.0])
    hi = torch.where(x >= y, x, y)   # TF: ties go to x (torch.maximum would split them)
    lo = torch.where(x <= y, x, y)
    w = torch.where(x > 1.5, x * x, y)
    r = torch.where(x - 2.0 >= 0.0, x - 2.0, torch.zeros(3))
    return {"d_hi[0]": grad(hi, x), "d_hi[1]": grad(hi, y), "d_lo[0]": grad(lo, x), "d_lo[1]": grad(lo, y),
            "d_w[0]": grad(w, x), "d_w[1]": grad(w, y), "d_r": grad(r, x)}


def ref_unwatched_constant():
    x = t(3.0)
    c = torch.tensor(2.0)
    return {"grads[0]": grad(x * c, x), "grads[1]": None}


def ref_watch_accessed_variables():
    x = t(2.0)
    return {"dy_dx": grad(x ** 2, x), "dz_dw": None}


def ref_non_trainable_variable():
    w = t([1.0, 2.0])
    named = t(0.5)
    frozen = torch.tensor([3.0, 4.0])
    y = torch.sum(w * frozen) * named
    return {"grads[0]": grad(y, w), "grads[1]": None, "grads[2]": grad(y, named)}


def ref_unconnected_zero():
    x = t([1.0, 2.0], F64)
    y = torch.sum(x * x)
    return {"default": None, "zero[0]": grad(y, x), "zero[1]": torch.zeros(1, 3, dtype=F64)}


def ref_output_gradients():
    x = t([1.0, 2.0, 3.0])
    y = x * x
    return {"plain": grad(y, x), "vjp": grad(y, x, torch.tensor([1.0, 0.0, -1.0]))}


def ref_integer_source():
    f = t(3.0)
    return {"dy_dx": None, "dz_df": grad(f * f, f)}


def ref_stop_gradient():
    x = t(3.0)
    return {"dy_dx": grad(x.detach() * x, x), "dz_dx": None, "dz_dx_zero": torch.tensor(0.0)}


def ref_higher_order_none():
    x = t([-1.0, 0.5, 2.0])
    return {"d2_linear": None, "d2_shifted": None, "d2_product": nth(lambda v: v * v, x, 2),
            "d2_magnitude": torch.zeros(3), "d2_clipped": None, "d2_clipped_zero": torch.zeros(3)}


def ref_multiple_targets():
    x = t(2.0)
    return {"both": grad(x * x + torch.sin(x) + x, x)}


def ref_watch_operation_result():
    h = t(6.0)
    return {"grads[0]": grad(h ** 2, h), "grads[1]": None}


REFERENCES = {
    "specs/ops/arithmetic/broadcast_gradients.yaml": ref_broadcast_gradients,
    "specs/ops/arithmetic/scalar_broadcast.yaml": ref_scalar_broadcast,
    "specs/ops/arithmetic/divide_subtract.yaml": ref_divide_subtract,
    "specs/ops/arithmetic/pow_exponent.yaml": ref_pow_exponent,
    "specs/ops/arithmetic/pow_higher_order.yaml": ref_pow_higher_order,
    "specs/ops/unary/first_derivatives.yaml": ref_first_derivatives,
    "specs/ops/unary/abs_sign_kinks.yaml": ref_abs_sign_kinks,
    "specs/ops/unary/fifth_derivative.yaml": ref_fifth_derivative,
    "specs/ops/reduction/axis_keepdims.yaml": ref_axis_keepdims,
    "specs/ops/reduction/max_min_ties.yaml": ref_max_min_ties,
    "specs/ops/linalg/matmul_transpose.yaml": ref_matmul_transpose,
    "specs/ops/linalg/batched_matmul.yaml": ref_batched_matmul,
    "specs/ops/array/slicing.yaml": ref_slicing,
    "specs/ops/array/reshape_transpose.yaml": ref_reshape_transpose,
    "specs/ops/array/broadcast_fill.yaml": ref_broadcast_fill,
    "specs/ops/cast/cast_gradients.yaml": ref_cast_gradients,
    "specs/ops/select/where_maximum_ties.yaml": ref_where_maximum_ties,
    "specs/tape/unwatched_constant.yaml": ref_unwatched_constant,
    "specs/tape/watch_accessed_variables.yaml": ref_watch_accessed_variables,
    "specs/tape/non_trainable_variable.yaml": ref_non_trainable_variable,
    "specs/tape/unconnected_zero.yaml": ref_unconnected_zero,
    "specs/tape/output_gradients.yaml": ref_output_gradients,
    "specs/tape/integer_source.yaml": ref_integer_source,
    "specs/tape/stop_gradient.yaml": ref_stop_gradient,
    "specs/tape/higher_order_none.yaml": ref_higher_order_none,
    "specs/tape/multiple_targets.yaml": ref_multiple_targets,
    "specs/tape/watch_operation_result.yaml": ref_watch_operation_result,
}

DTYPE_NAMES = {F32: "float32", F64: "float64"}


def as_numpy(value):
    return None if value is None else value.detach().numpy()


def compare(spec, expected, actual):
    problems = []
    if list(expected) != list(actual):
        problems.append(f"names differ: expected {list(expected)}, got {list(actual)}")
    for name, value in expected.items():
        got = actual.get(name)
        if got is None:
            continue
        if value is None:
            if got["value"] is not None:
                problems.append(f"{name}: expected None, got {got['value']}")
            continue
        if got["value"] is None:
            problems.append(f"{name}: expected {value.tolist()}, got None")
            continue
        dtype = DTYPE_NAMES[value.dtype]
        if got["dtype"] != dtype or list(got["shape"]) != list(value.shape):
            problems.append(f"{name}: expected {dtype} {list(value.shape)}, got {got['dtype']} {got['shape']}")
            continue
        rtol = 2e-6 if value.dtype == F32 else 1e-12
        got_values = np.array(got["value"], dtype=np.float64)
        if not np.allclose(got_values, value.detach().double().numpy(), rtol=rtol, atol=rtol):
            problems.append(f"{name}: expected {value.tolist()}, got {got['value']}")
    return [f"{spec}: {p}" for p in problems]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", metavar="BINARY", help="compare with `BINARY run --format json SPEC`")
    args = parser.parse_args()
    failures = []
    for spec, reference in REFERENCES.items():
        expected = reference()
        if not args.check:
            print(f"== {spec}")
            for name, value in expected.items():
                print(f"{name} = {None if value is None else as_numpy(value).tolist()}")
            continue
        run = subprocess.run([args.check, "run", "--format", "json", spec], capture_output=True, text=True)
        if run.returncode != 0:
            failures.append(f"{spec}: exit {run.returncode}: {run.stderr.strip()}")
            continue
        actual = {}
        for line in run.stdout.splitlines():
            item = json.loads(line)
            actual[item["name"]] = item
        failures += compare(spec, expected, actual)
    if args.check:
        for failure in failures:
            print(failure)
        print(f"{len(REFERENCES) - len({f.split(':')[0] for f in failures})} of {len(REFERENCES)} specs agree")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
