# Run: /usr/bin/python3 scripts/zoo_crosscheck.py OFFICIAL_DIR   (one-off; not part of `npm run fixtures`)
"""
Cross-checks scripts/zoo_restated.py against the official optimizers themselves: every case
of zoo_fixtures.OFFICIAL_CASES is run twice, through the restatement and through the
official class, with the same gradients, and the trajectories are compared step by step.

OFFICIAL_DIR (outside the repository; nothing of it is committed) must hold the official
sources as read at the commits named in zoo_restated.SOURCES, under these names:
  lion_pytorch.py  AdaBelief.py  adan.py  adopt_single.py (the `_single_tensor_adopt`
  function alone)  sgd_schedulefree_reference.py  adamw_schedulefree_reference.py  prodigy.py
torch 1.13 lacks a few 2.x helpers the ADOPT file imports (`_get_value`, `torch.compiler`)
and AdaBelief imports `tabulate` for its change-log table; small stand-ins are installed
before importing them (`print_change_log=False`, so the table is never printed).
`maximize` (not in most official files) is fed as the negated gradient; sfadamw's
`innerMomentum` has no official reference counterpart in the stored versions and is skipped.
"""

import importlib
import math
import os
import sys
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.optim.optimizer as _optimizer_module  # noqa: E402

import zoo_fixtures as ZF  # noqa: E402


def load_official(directory):
    sys.path.insert(0, directory)
    sys.modules.setdefault("tabulate", types.SimpleNamespace(tabulate=lambda *a, **k: ""))
    if not hasattr(_optimizer_module, "_get_value"):
        _optimizer_module._get_value = lambda x: x.item()
    if not hasattr(torch, "compiler"):
        torch.compiler = types.SimpleNamespace(is_compiling=lambda: False)
    return {name: importlib.import_module(name) for name in
            ("lion_pytorch", "AdaBelief", "adan", "adopt_single", "sgd_schedulefree_reference",
             "adamw_schedulefree_reference", "prodigy")}


class OfficialAdopt(torch.optim.Optimizer):
    """Drives the official `_single_tensor_adopt` with per-parameter state, as its `step` does."""

    def __init__(self, fn, params, lr=1e-3, betas=(0.9, 0.9999), eps=1e-6, clipExponent=0.25, weightDecay=0.0,
                 decoupledWeightDecay=False, maximize=False):
        super().__init__(params, dict(lr=lr))
        self.fn, self.o = fn, dict(betas=betas, eps=eps, c=clipExponent, wd=weightDecay, dec=decoupledWeightDecay,
                                   maximize=maximize)

    @torch.no_grad()
    def step(self):
        ps = self.param_groups[0]["params"]
        for p in ps:
            if not self.state[p]:
                self.state[p].update(step=torch.tensor(0.0), m=torch.zeros_like(p), v=torch.zeros_like(p))
        o = self.o
        c = o["c"]
        self.fn(ps, [p.grad for p in ps], [self.state[p]["m"] for p in ps], [self.state[p]["v"] for p in ps],
                [self.state[p]["step"] for p in ps], None, None, has_complex=False, beta1=o["betas"][0],
                beta2=o["betas"][1], lr=self.param_groups[0]["lr"],
                clip_lambda=None if c is None else (lambda s: s ** c), weight_decay=o["wd"], decouple=o["dec"],
                eps=o["eps"], maximize=o["maximize"], capturable=False, differentiable=False)


def official_builder(mods):
    def build(name, options, params):
        o = dict(options)
        negate = o.pop("maximize", False)
        if name == "lion":
            opt = mods["lion_pytorch"].Lion(params, lr=o.get("lr", 1e-4), betas=tuple(o.get("betas", (0.9, 0.99))),
                                            weight_decay=o.get("weightDecay", 0.0))
        elif name == "adabelief":
            opt = mods["AdaBelief"].AdaBelief(
                params, lr=o.get("lr", 1e-3), betas=tuple(o.get("betas", (0.9, 0.999))), eps=o.get("eps", 1e-16),
                weight_decay=o.get("weightDecay", 0), amsgrad=o.get("amsgrad", False),
                weight_decouple=o.get("decoupledWeightDecay", True), fixed_decay=o.get("fixedDecay", False),
                rectify=o.get("rectify", True), degenerated_to_sgd=o.get("degenerateToSgd", True), print_change_log=False)
        elif name == "adan":
            opt = mods["adan"].Adan(params, lr=o.get("lr", 1e-3), betas=tuple(o.get("betas", (0.98, 0.92, 0.99))),
                                    eps=o.get("eps", 1e-8), weight_decay=o.get("weightDecay", 0.0),
                                    max_grad_norm=o.get("maxGradNorm", 0.0), no_prox=o.get("noProx", False), foreach=False)
        elif name == "adopt":
            opt, negate = OfficialAdopt(mods["adopt_single"]._single_tensor_adopt, params, maximize=negate, **o), False
        elif name == "sfsgd":
            opt = mods["sgd_schedulefree_reference"].SGDScheduleFreeReference(
                params, lr=o.get("lr", 1.0), momentum=o.get("momentum", 0.9), weight_decay=o.get("weightDecay", 0),
                warmup_steps=o.get("warmupSteps", 0), r=o.get("r", 0.0), weight_lr_power=o.get("weightLrPower", 2))
        elif name == "sfadamw":
            opt = mods["adamw_schedulefree_reference"].AdamWScheduleFreeReference(
                params, lr=o.get("lr", 0.0025), betas=tuple(o.get("betas", (0.9, 0.999))), eps=o.get("eps", 1e-8),
                weight_decay=o.get("weightDecay", 0), warmup_steps=o.get("warmupSteps", 0), r=o.get("r", 0),
                weight_lr_power=o.get("weightLrPower", 2), decay_at_z=o.get("decayAtZ", False))
            if hasattr(opt, "train"):
                opt.train()
        elif name == "prodigy":
            g = o.get("growthRate")
            opt = mods["prodigy"].Prodigy(
                params, lr=o.get("lr", 1.0), betas=tuple(o.get("betas", (0.9, 0.999))), beta3=o.get("beta3"),
                eps=o.get("eps", 1e-8), weight_decay=o.get("weightDecay", 0), decouple=o.get("decouple", True),
                use_bias_correction=o.get("useBiasCorrection", False), safeguard_warmup=o.get("safeguardWarmup", False),
                d0=o.get("d0", 1e-6), d_coef=o.get("dCoef", 1.0), growth_rate=math.inf if g is None else g)
        else:
            raise ValueError(name)
        if negate:
            inner = opt.step

            def step(self):
                with torch.no_grad():
                    for group in self.param_groups:
                        for p in group["params"]:
                            p.grad.neg_()
                inner()
            opt.step = types.MethodType(step, opt)   # bound, so torch's schedulers can wrap it
        return opt, "official", False, False
    return build


def compare(a, b):
    worst, identical = 0.0, 0
    for pa, pb in zip(a["x"], b["x"]):
        if pa == pb:
            identical += 1
        for u, v in zip(pa, pb):
            worst = max(worst, abs(u - v) / max(abs(v), 1e-3))
    return worst, identical


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: zoo_crosscheck.py OFFICIAL_DIR")
    mods = load_official(os.path.abspath(sys.argv[1]))
    restated_build = ZF.build
    official_build = official_builder(mods)
    summary = {}
    for c in ZF.OFFICIAL_CASES:
        if c["options"].get("innerMomentum"):
            print(f"skipped (no official counterpart): {ZF.TF.case_id(c, 'f64')}")
            continue
        for dtype in ("f64", "f32"):
            ZF.build, ZF.record_scalars = restated_build, ZF.record_scalars
            mine = ZF.run(c, dtype, c["x0"])
            ZF.build = official_build
            saved = ZF.record_scalars
            ZF.record_scalars = lambda name, opt: None
            theirs = ZF.run(c, dtype, c["x0"])
            ZF.record_scalars = saved
            ZF.build = restated_build
            worst, identical = compare(mine, theirs)
            if c["optimizer"] in ("sfsgd", "sfadamw"):
                for k in ("x", "z"):
                    assert [s[k] for s in mine["state"]] == [s[k] for s in theirs["state"]], (c, dtype, k)
            s = summary.setdefault((c["optimizer"], dtype), [0, 0, 0, 0.0])
            s[0] += 1
            s[1] += identical
            s[2] += len(mine["x"])
            s[3] = max(s[3], worst)
            print(f"{ZF.TF.case_id(c, dtype)}: {identical}/{len(mine['x'])} points bit-identical, worst rel diff {worst:.3g}")
    print()
    for (name, dtype), (n, ident, total, worst) in sorted(summary.items()):
        print(f"{name:10s} {dtype}: {n} cases, {ident}/{total} points bit-identical, worst relative difference {worst:.3g}")


if __name__ == "__main__":
    main()
