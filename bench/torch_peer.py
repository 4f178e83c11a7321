# PyTorch's CPU optimizers as a peer of the step benchmark (called by `npm run bench`; run alone:
#   /usr/bin/python3 bench/torch_peer.py '{"sizes": {"f32": [1e5, 1e6, 1e7], "f64": [1e5]}, "names": ["sgd", "adam"]}'
# ). Prints JSON rows on stdout, each the median seconds of one optimizer.step() over params of n
# elements, at the optimizer's default hyperparameters (optimlab's defaults are PyTorch 2.x's; torch
# 1.13's SGD has no default lr, so it gets optimlab's 1e-3), with torch.set_num_threads(1) and with the
# machine's thread count. Names torch does not have (or that need a closure, lbfgs) are skipped.
import json
import os
import sys
import time

import torch

# optimlab name -> (torch class, keyword arguments beyond the defaults)
TORCH = {
    "sgd": ("SGD", {"lr": 1e-3}),
    "momentum": ("SGD", {"lr": 1e-3, "momentum": 0.9}),
    "nesterov": ("SGD", {"lr": 1e-3, "momentum": 0.9, "nesterov": True}),
    "adagrad": ("Adagrad", {}),
    "rmsprop": ("RMSprop", {}),
    "adadelta": ("Adadelta", {}),
    "adam": ("Adam", {}),
    "adamw": ("AdamW", {}),
    "adamax": ("Adamax", {}),
    "nadam": ("NAdam", {}),
    "radam": ("RAdam", {}),
    "rprop": ("Rprop", {}),
    "asgd": ("ASGD", {}),
}


def median_step(opt, seconds):
    for _ in range(3):
        opt.step()
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < 5:
        t = time.perf_counter()
        opt.step()
        times.append(time.perf_counter() - t)
    times.sort()
    return times[len(times) // 2], len(times)


def main():
    req = json.loads(sys.argv[1])
    rows = []
    threads = os.cpu_count() or 1
    for name in req["names"]:
        if name not in TORCH:
            continue
        cls, kw = TORCH[name]
        # foreach=False: the single-tensor loop (one tensor here either way), as in 1.13's default for CPU.
        for dtype, sizes in req["sizes"].items():
            for n in sizes:
                n = int(n)
                for t in sorted({1, threads}):
                    torch.set_num_threads(t)
                    i = torch.arange(n, dtype=torch.float64)
                    p = torch.nn.Parameter((torch.sin(i) * 0.5).to(getattr(torch, "float32" if dtype == "f32" else "float64")))
                    p.grad = (torch.cos(0.7 * i) * 0.1).to(p.dtype)
                    opt = getattr(torch.optim, cls)([p], **kw)
                    budget = 1.5 if n >= 1e7 else 0.6 if n >= 1e6 else 0.3
                    s, samples = median_step(opt, budget)
                    rows.append({"section": "step", "case": name, "impl": f"torch-{t}t", "n": n, "dtype": dtype,
                                 "seconds": s, "perSecond": n / s, "samples": samples})
    print(json.dumps({"torch": torch.__version__, "threads": threads, "rows": rows}))


main()
