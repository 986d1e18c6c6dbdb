"""The PyTorch side of each workload (float32, 2 threads), run as its own process by bench.py.

Usage: python3 peers.py WORKLOAD    prints one line: JSON with the timed phases in seconds.
The work mirrors the spec of the same name beside this file.
"""
import json
import sys
import time

T0 = time.perf_counter()
import torch  # noqa: E402  (the import is part of the whole-process cost being measured)

torch.set_num_threads(2)
IMPORTED = time.perf_counter()


def w1():
    # The notebook's three cells.
    x = torch.arange(4, dtype=torch.float32).reshape(4, 1).requires_grad_()
    y = 2 * torch.matmul(x.t(), x)
    (dy,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    (d2,) = torch.autograd.grad(dy.sum(), x)
    print(dy, d2)
    y = 2 * torch.matmul(x.t(), x)
    z = 2 * y
    dz = torch.autograd.grad(z.sum(), x, retain_graph=True)[0]
    dy = torch.autograd.grad(y.sum(), x)[0]
    print(dy, dz)
    return {}


def w2(length=10000):
    x = torch.tensor(0.5, requires_grad=True)
    t = time.perf_counter()
    y = x
    for _ in range(length):
        y = torch.sin(y) * 1.0001 + 0.5
    recorded = time.perf_counter()
    (g,) = torch.autograd.grad(y, x)
    done = time.perf_counter()
    return {"record": recorded - t, "backward": done - recorded, "ops": 3 * length}


def w3():
    x = (torch.sin(torch.arange(262144, dtype=torch.float32)) * 0.05).reshape(256, 1024)
    w1_ = (torch.cos(torch.arange(1048576, dtype=torch.float32)) * 0.03).reshape(1024, 1024).requires_grad_()
    w2_ = (torch.sin(torch.arange(1048576, dtype=torch.float32) * 0.5) * 0.03).reshape(1024, 1024).requires_grad_()
    t = time.perf_counter()
    loss = ((torch.tanh(x @ w1_) @ w2_) ** 2).sum()
    recorded = time.perf_counter()
    g1, g2 = torch.autograd.grad(loss, [w1_, w2_])
    done = time.perf_counter()
    return {"record": recorded - t, "backward": done - recorded}


def w4():
    x = torch.linspace(-3.0, 3.0, 10000000, dtype=torch.float32).requires_grad_()
    t = time.perf_counter()
    y = (torch.exp(torch.sin(x)) * x).sum()
    recorded = time.perf_counter()
    (g,) = torch.autograd.grad(y, x)
    done = time.perf_counter()
    return {"record": recorded - t, "backward": done - recorded}


def w5(orders=8):
    x = torch.linspace(-1.0, 1.0, 1000, dtype=torch.float32).requires_grad_()
    t = time.perf_counter()
    y = (torch.sin(x) * torch.exp(x)).sum()
    recorded = time.perf_counter()
    d = y
    for _ in range(orders):
        (d,) = torch.autograd.grad(d.sum(), x, create_graph=True)
    done = time.perf_counter()
    return {"record": recorded - t, "backward": done - recorded}


def w6(vectorize=True):
    a = (torch.sin(torch.arange(40000, dtype=torch.float32)) * 0.1).reshape(200, 200)
    x = torch.linspace(-1.0, 1.0, 200, dtype=torch.float32)
    t = time.perf_counter()
    h = torch.autograd.functional.hessian(lambda v: torch.tanh(a @ v).sum(), x, vectorize=vectorize)
    done = time.perf_counter()
    return {"backward": done - t}


if __name__ == "__main__":
    name = sys.argv[1]
    phases = globals()[name](*[int(arg) for arg in sys.argv[2:]])
    phases["import"] = IMPORTED - T0
    phases["total"] = time.perf_counter() - T0
    print(json.dumps(phases))
