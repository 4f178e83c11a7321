# Run: /usr/bin/python3 scripts/nn_fixtures.py   (needs Debian's python3-torch 1.13; writes test/fixtures/nn-torch.json)
"""
PyTorch trainings of small dense networks that test/nn-torch.test.ts replays through
optimlab's network engine (src/models/, both backends).

Each case is an optimlab training spec (explicit data and explicit initial parameters, no
shuffling) and what torch 1.13 (Debian python3-torch, torch.nn and torch.optim, one CPU
thread) computes for it:

  loss[t]       the mini-batch loss of step t, before its update (loss.item())
  epochLoss[e]  the loss over the whole training set after epoch e (torch.no_grad())
  params        every parameter after the last epoch, model.parameters() order
                (Linear1.weight (out × in, row-major), Linear1.bias, Linear2.weight, …)

The model is nn.Sequential(nn.Linear, activation, …, nn.Linear) with nn.Tanh, nn.ReLU,
nn.Sigmoid or nn.GELU() (approximate='none', the exact erf form); the losses are
nn.MSELoss(), nn.BCEWithLogitsLoss() and nn.CrossEntropyLoss(), default reduction 'mean'.
Mini-batches are consecutive slices of batchSize rows, the last one partial
(DataLoader's drop_last=False without shuffling). One step: zero_grad, forward, loss,
backward, optimizer.step(), then scheduler.step() for per-step schedulers;
ReduceLROnPlateau steps once per epoch with epochLoss[e].

f32 cases build everything in float32 (data and parameters rounded from the same doubles as
the spec, which optimlab also rounds to f32 when it stores them); f64 cases call
model.double() and use float64 tensors. Data and initial parameters come from
numpy.random.RandomState(14) (fixed), written into the spec as JSON numbers (exact doubles).

Optimizers used here behave in torch 1.13 as in 2.x except for the Adam family's first
moment, which 1.13 updates as m·β1 + (1 − β1)·g and 2.x with lerp (last-bit differences per
step, covered by the test tolerances). NAdam is not used (1.13 has the μ-product bug that
scripts/torch_fixtures.py documents).

Deterministic: running it twice gives byte-identical output.
"""
import json
import os

import numpy as np
import torch

torch.set_num_threads(1)
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
rs = np.random.RandomState(14)

ACTS = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid, "gelu": lambda: torch.nn.GELU()}
OPTIMIZERS = {
    "sgd": lambda p, o: torch.optim.SGD(p, lr=o["lr"]),
    "momentum": lambda p, o: torch.optim.SGD(p, lr=o["lr"], momentum=0.9),
    "nesterov": lambda p, o: torch.optim.SGD(p, lr=o["lr"], momentum=0.9, nesterov=True),
    "adagrad": lambda p, o: torch.optim.Adagrad(p, lr=o["lr"]),
    "rmsprop": lambda p, o: torch.optim.RMSprop(p, lr=o["lr"]),
    "adam": lambda p, o: torch.optim.Adam(p, lr=o["lr"]),
    "adamw": lambda p, o: torch.optim.AdamW(p, lr=o["lr"]),
}


def classification(n, features, classes):
    x = rs.randn(n, features)
    w = rs.randn(features, classes)
    y = np.argmax(x @ w + 0.3 * rs.randn(n, classes), axis=1) if classes > 2 else (x @ w[:, 0] + 0.3 * rs.randn(n) > 0).astype(int)
    return x.tolist(), [int(v) for v in y]


def regression(n, features, outputs):
    x = rs.randn(n, features)
    w = rs.randn(features, outputs)
    y = np.sin(x @ w) + 0.1 * rs.randn(n, outputs)
    return x.tolist(), (y[:, 0].tolist() if outputs == 1 else y.tolist())


def init_params(layers):
    out = []
    for a, b in zip(layers[:-1], layers[1:]):
        bound = 1 / np.sqrt(a)
        out.append(rs.uniform(-bound, bound, size=(b, a)).reshape(-1).tolist())
        out.append(rs.uniform(-bound, bound, size=b).tolist())
    return out


def build(spec, dtype):
    layers = spec["model"]["layers"]
    mods = []
    for i, (a, b) in enumerate(zip(layers[:-1], layers[1:])):
        mods.append(torch.nn.Linear(a, b))
        if i < len(layers) - 2:
            mods.append(ACTS[spec["model"]["activation"]]())
    model = torch.nn.Sequential(*mods).to(dtype)
    with torch.no_grad():
        for p, v in zip(model.parameters(), spec["init"]["params"]):
            p.copy_(torch.tensor(v, dtype=torch.float64).reshape(p.shape).to(dtype))
    return model


def targets(spec, y, dtype):
    if spec["loss"] == "ce":
        return torch.tensor(y, dtype=torch.long)
    t = torch.tensor(y, dtype=torch.float64).to(dtype)
    return t.reshape(len(y), -1)


def run(spec):
    dtype = torch.float32 if spec["dtype"] == "f32" else torch.float64
    model = build(spec, dtype)
    x = torch.tensor(spec["data"]["x"], dtype=torch.float64).to(dtype)
    y = targets(spec, spec["data"]["y"], dtype)
    loss_fn = {"mse": torch.nn.MSELoss(), "bce": torch.nn.BCEWithLogitsLoss(), "ce": torch.nn.CrossEntropyLoss()}[spec["loss"]]
    o = spec["optimizer"]
    opt = OPTIMIZERS[o["name"]](model.parameters(), o)
    sched = None
    plateau = False
    if "scheduler" in spec:
        s = spec["scheduler"]
        if s["name"] == "stepLR":
            sched = torch.optim.lr_scheduler.StepLR(opt, step_size=s["stepSize"], gamma=s["gamma"])
        elif s["name"] == "reduceLROnPlateau":
            sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=s["factor"], patience=s["patience"])
            plateau = True
        else:
            raise ValueError(s["name"])
    n, bs = x.shape[0], spec["batchSize"]
    losses, epoch_losses = [], []
    for _ in range(spec["epochs"]):
        for start in range(0, n, bs):
            xb, yb = x[start:start + bs], y[start:start + bs]
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            losses.append(loss.item())
            opt.step()
            if sched is not None and not plateau:
                sched.step()
        with torch.no_grad():
            el = loss_fn(model(x), y).item()
        epoch_losses.append(el)
        if plateau:
            sched.step(el)
    return {
        "loss": losses,
        "epochLoss": epoch_losses,
        "params": [p.detach().to(torch.float64).reshape(-1).tolist() for p in model.parameters()],
    }


def cases():
    binary = classification(11, 2, 2)
    multi = classification(13, 3, 3)
    reg1 = regression(10, 2, 1)
    reg2 = regression(9, 2, 2)
    x_ml, _ = classification(10, 2, 2)
    y_ml = [[int(a > 0), int(a * b > 0)] for a, b in x_ml]
    plans = [
        ("tanh-bce-sgd", [2, 5, 1], "tanh", "bce", binary, {"name": "sgd", "lr": 0.5}, None),
        ("relu-bce-momentum", [2, 6, 4, 1], "relu", "bce", binary, {"name": "momentum", "lr": 0.1, "momentum": 0.9}, None),
        ("sigmoid-ce-adam", [3, 5, 3], "sigmoid", "ce", multi, {"name": "adam", "lr": 0.05}, None),
        ("gelu-ce-adamw", [3, 4, 4, 3], "gelu", "ce", multi, {"name": "adamw", "lr": 0.02}, None),
        ("tanh-mse2-rmsprop", [2, 5, 2], "tanh", "mse", reg2, {"name": "rmsprop", "lr": 0.01}, None),
        ("gelu-mse-adam-steplr", [2, 4, 1], "gelu", "mse", reg1, {"name": "adam", "lr": 0.05}, {"name": "stepLR", "stepSize": 4, "gamma": 0.5}),
        ("relu-ce-nesterov", [3, 6, 3], "relu", "ce", multi, {"name": "nesterov", "lr": 0.05, "momentum": 0.9, "nesterov": True}, None),
        ("sigmoid-bce-adam-plateau", [2, 4, 1], "sigmoid", "bce", binary, {"name": "adam", "lr": 0.1}, {"name": "reduceLROnPlateau", "factor": 0.5, "patience": 0}),
        ("linear-mse-sgd", [2, 1], "tanh", "mse", reg1, {"name": "sgd", "lr": 0.1}, None),
        ("tanh-bce2-adagrad", [2, 3, 2], "tanh", "bce", (x_ml, y_ml), {"name": "adagrad", "lr": 0.1}, None),
    ]
    out = []
    for cid, layers, act, loss, (x, y), opt, sched in plans:
        params = init_params(layers)
        for dtype in ("f64", "f32"):
            spec = {
                "model": {"layers": layers, "activation": act},
                "loss": loss,
                "data": {"x": x, "y": y},
                "init": {"params": params},
                "optimizer": opt,
                "batchSize": 4,
                "epochs": 4,
                "shuffle": False,
                "dtype": dtype,
            }
            if sched is not None:
                spec["scheduler"] = sched
            out.append({"id": f"{cid}-{dtype}", "spec": spec, **run(spec)})
    return out


def main():
    doc = {
        "source": f"torch {torch.__version__} (Debian python3-torch), scripts/nn_fixtures.py",
        "cases": cases(),
    }
    with open(os.path.join(ROOT, "test", "fixtures", "nn-torch.json"), "w") as fh:
        json.dump(doc, fh, separators=(",", ":"))
        fh.write("\n")
    print(f"{len(doc['cases'])} cases")


if __name__ == "__main__":
    main()
