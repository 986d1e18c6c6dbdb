#!/usr/bin/env python3
"""Benchmarks autograd-cli against PyTorch, side by side, on the workloads W1-W6.

Run by hand (not part of CTest), from the repository root after building:
    /usr/bin/python3 tests/bench/bench.py [--runs 7] [--only W3,W4] [--binary build/autograd-cli]

Each workload runs alternately in both tools, after one warm-up run of each. W1 is timed as a
whole process; the others by their in-process phases (autograd-cli's --profile, the phases the
PyTorch script reports), so start-up does not hide the work. Peak memory is each process's
maximum resident set. The machine's physical limits (OpenBLAS SGEMM rate, memory bandwidth) are
measured first so every figure can be read against them.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PEERS = os.path.join(HERE, "peers.py")
PYTHON = "/usr/bin/python3"
W1_SPECS = [os.path.join(ROOT, "specs", "notebook", name + ".yaml")
            for name in ("first_derivative", "nested_tapes", "persistent_tape")]


def run_with_rss(argv, env=None):
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out = process.stdout.read()
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"{' '.join(argv)} failed: {err.decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024.0, out.decode(), err.decode()


PROFILE = re.compile(r"profile: (.*)")


def ours(binary, workload, specs):
    seconds, rss, out, err = run_with_rss([binary, "run", "--profile"] + specs)
    phases = {"total": seconds}
    for match in PROFILE.finditer(err):
        for item in match.group(1).split(","):
            key, value = item.strip().split(" ", 1)
            phases[key] = phases.get(key, 0.0) + float(value.replace("ms", "").strip()) / 1000.0
    return phases, rss


def theirs(workload, env):
    # "W2@100000": the workload and its size argument.
    argv = [PYTHON, PEERS] + workload.lower().split("@")
    seconds, rss, out, err = run_with_rss(argv, env)
    phases = json.loads(out.strip().splitlines()[-1])
    phases["total"] = seconds
    return phases, rss


def machine_limits():
    code = (
        "import numpy as np, time\n"
        "a = np.ones((1024, 1024), np.float32); b = np.ones((1024, 1024), np.float32)\n"
        "a @ b\n"
        "best = min((lambda t: (a @ b, time.perf_counter() - t)[1])(time.perf_counter()) for _ in range(10))\n"
        "x = np.ones(50_000_000, np.float32); y = np.empty_like(x)\n"
        "np.copyto(y, x)\n"
        "copy = min((lambda t: (np.copyto(y, x), time.perf_counter() - t)[1])(time.perf_counter()) for _ in range(5))\n"
        "print(2 * 1024**3 / best / 1e9, 2 * x.nbytes / copy / 1e9)\n")
    try:
        out = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True).stdout.split()
        return float(out[0]), float(out[1])
    except (subprocess.CalledProcessError, OSError, ValueError, IndexError):
        return None, None


def make_w2(length, directory):
    path = os.path.join(directory, f"w2_chain_{length}.yaml")
    with open(path, "w") as spec:
        spec.write(f"description: 'W2: a chain of {length} lines y = sin(y) * 1.0001 + 0.5 and its gradient'\n")
        # A non-persistent tape, as TF's default GradientTape and torch.autograd.grad.
        spec.write("tape: {persistent: false}\ninputs:\n  x: 0.5\noperations:\n  - y = x\n")
        for _ in range(length):
            spec.write("  - y = sin(y) * 1.0001 + 0.5\n")
        spec.write("derivatives:\n  - g = gradient(y, x)\noutput:\n  - g\n")
    return path


def make_w5(orders, directory):
    """W5 with derivatives of orders 1 to `orders` (the spec beside this file has 8)."""
    path = os.path.join(directory, f"w5_orders_{orders}.yaml")
    with open(path, "w") as spec:
        spec.write(f"description: 'W5: derivatives of orders 1 to {orders} of reduce_sum(sin(x) * exp(x))'\n")
        spec.write("inputs:\n  x: {value: \"linspace(-1.0, 1.0, 1000)\"}\n")
        spec.write("operations:\n  - y = reduce_sum(sin(x) * exp(x))\nderivatives:\n  - d1 = gradient(y, x)\n")
        for order in range(2, orders + 1):
            spec.write(f"  - d{order} = gradient(d{order - 1}, x)\n")
        spec.write(f"output:\n  - reduce_sum(d{orders})\n")
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", default="W1,W2,W2@100000,W3,W4,W5,W5@4,W6")
    parser.add_argument("--binary", default=os.path.join(ROOT, "build", "autograd-cli"))
    args = parser.parse_args()
    wanted = args.only.split(",")
    gflops, bandwidth = machine_limits()
    print(f"machine: {os.cpu_count()} cores; OpenBLAS SGEMM (numpy, 1024^3) "
          f"{gflops:.1f} GFLOP/s; memory copy {bandwidth:.1f} GB/s" if gflops else "machine: numpy unavailable")

    env_torch = dict(os.environ, OMP_WAIT_POLICY="PASSIVE")
    scratch = tempfile.mkdtemp(prefix="autograd-bench-")
    workloads = {
        "W1": (W1_SPECS, "total", "whole process, 3 notebook cells"),
        "W2": ([make_w2(10000, scratch)], "record+backward", "10,000-op chain, per op (line)"),
        "W2@100000": ([make_w2(100000, scratch)], "record+backward", "100,000-op chain, per op (line)"),
        "W3": ([os.path.join(HERE, "w3_mlp.yaml")], "record+backward", "MLP 256x1024x1024, grads of W1, W2"),
        "W4": ([os.path.join(HERE, "w4_elementwise.yaml")], "record+backward", "exp(sin(x))*x, 1e7 elements"),
        "W5": ([os.path.join(HERE, "w5_higher_order.yaml")], "record+backward", "orders 1-8 on 1,000 elements"),
        "W5@4": ([make_w5(4, scratch)], "record+backward", "orders 1-4 on 1,000 elements"),
        "W6": ([os.path.join(HERE, "w6_hessian.yaml")], "record+backward", "hessian, 200 elements"),
    }
    medians = {}
    print(f"{'':9} {'what':40} {'autograd-cli median (min-max)':>32} {'PyTorch median (min-max)':>30} "
          f"{'ratio':>7} {'peak MiB ours/torch':>20}")
    for name in wanted:
        specs, phase, what = workloads[name]
        if not all(os.path.exists(s) for s in specs):
            print(f"{name:9} {what:40} (spec missing: skipped)")
            continue
        mine, peer, rss_mine, rss_peer = [], [], [], []

        def pick(phases):
            if phase == "total":
                return phases["total"]
            return sum(phases.get(key, 0.0) for key in phase.split("+"))

        try:
            ours(args.binary, name, specs)
            theirs(name, env_torch)
            for _ in range(args.runs):
                phases, rss = ours(args.binary, name, specs)
                mine.append(pick(phases))
                rss_mine.append(rss)
                phases, rss = theirs(name, env_torch)
                peer.append(pick(phases))
                rss_peer.append(rss)
        except RuntimeError as error:
            print(f"{name:9} {what:40} failed: {error}")
            continue
        chain = name.startswith("W2")
        # The "op" is one line of the chain, y = sin(y) * 1.0001 + 0.5 (three primitives).
        scale = 1.0 / (int(name.split("@")[1]) if "@" in name else 10000) if chain else 1.0
        unit = "us/op" if chain else "ms"
        factor = 1e6 if chain else 1e3

        def show(values):
            return (f"{statistics.median(values) * scale * factor:9.2f} "
                    f"({min(values) * scale * factor:.2f}-{max(values) * scale * factor:.2f}) {unit}")

        medians[name] = (statistics.median(mine), statistics.median(peer))
        ratio = statistics.median(mine) / statistics.median(peer)
        print(f"{name:9} {what:40} {show(mine):>32} {show(peer):>30} {ratio:7.3f} "
              f"{max(rss_mine):8.0f} / {max(rss_peer):<8.0f}")
    if "W5" in medians and "W5@4" in medians:
        # Orders 5-8 against orders 1-4: a cost that grows r-fold per order makes this about r^4.
        growth = [(medians["W5"][k] / medians["W5@4"][k]) ** 0.25 for k in (0, 1)]
        print(f"{'W5 growth':9} {'per order, (time 1-8 / time 1-4)^(1/4)':40} {growth[0]:32.2f}x {growth[1]:29.2f}x "
              f"{growth[0] / growth[1]:7.3f}")


if __name__ == "__main__":
    sys.exit(main())
