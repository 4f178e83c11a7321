# Used by scripts/zoo_fixtures.py (run that: /usr/bin/python3 scripts/zoo_fixtures.py); not run on its own.
"""
The new LR schedulers of issue 11 (constantLR, polynomialLR, cosineAnnealingWarmRestarts,
cyclicLR, chainedScheduler) built from optimlab specs on torch 1.13's lr_scheduler, and
the sequences written to test/fixtures/zoo-schedulers.json.

torch 1.13 against 2.x (torch/optim/lr_scheduler.py), read side by side:
 - ConstantLR, PolynomialLR, CosineAnnealingWarmRestarts, ChainedScheduler: the same
   numbers (2.x tests `_is_initial` where 1.13 tests `last_epoch == 0`, which differs only
   when resuming from a checkpoint; 2.x's ChainedScheduler takes an optional optimizer).
 - CyclicLR: (1) 2.x cycles `betas[0]` when the optimizer has betas and no `momentum`
   (`use_beta1`); 1.13 raises "optimizer must support momentum". Those sequences are made
   here by 1.13's CyclicLR on an SGD proxy (same lr, momentum option) and written as the
   betas[0] sequence: the lr and momentum formulas do not read the optimizer, so 2.x writes
   the same numbers (closed form in ZOO_SPEC.md). Marked "reference": "torch-proxy".
   (2) At construction 2.x writes max_momentum into the group, 1.13 base_momentum; both then
   take the initial step, which sets max_momentum − 0, so every recorded value agrees.
   (3) In both, a built-in mode forces scale_mode ('cycle' for triangular/triangular2,
   'iterations' for exp_range) and a user's scale_mode is read only with a custom scale_fn.
   optimlab's `scaleMode` (default: from the mode) is generated as torch's custom path:
   scale_fn = the mode's own function, scale_mode = the option (only when it is given).
"""

import math

import torch
from torch.optim import lr_scheduler as LRS

import torch_fixtures as TF


def _cyclic_scale_fn(mode, gamma):
    if mode == "triangular":
        return lambda x: 1.0
    if mode == "triangular2":
        return lambda x: 1 / (2.0 ** (x - 1))
    return lambda x: gamma ** x


def build(spec, opt):
    """optimlab scheduler spec -> torch 1.13 scheduler (old names fall through to torch_fixtures)."""
    s = dict(spec)
    name = s.pop("name")
    if name == "constantLR":
        return LRS.ConstantLR(opt, factor=s.get("factor", 1 / 3), total_iters=s.get("totalIters", 5))
    if name == "polynomialLR":
        return LRS.PolynomialLR(opt, total_iters=s.get("totalIters", 5), power=s.get("power", 1.0))
    if name == "cosineAnnealingWarmRestarts":
        return LRS.CosineAnnealingWarmRestarts(opt, T_0=s["tZero"], T_mult=s.get("tMult", 1), eta_min=s.get("etaMin", 0))
    if name == "cyclicLR":
        mode = {"triangular": "triangular", "triangular2": "triangular2", "expRange": "exp_range"}[s.get("mode", "triangular")]
        kw = dict(base_lr=s["baseLr"], max_lr=s["maxLr"], step_size_up=s.get("stepSizeUp", 2000),
                  step_size_down=s.get("stepSizeDown"), mode=mode, gamma=s.get("gamma", 1.0),
                  cycle_momentum=s.get("cycleMomentum", True), base_momentum=s.get("baseMomentum", 0.8),
                  max_momentum=s.get("maxMomentum", 0.9))
        if "scaleMode" in s:
            kw["scale_fn"] = _cyclic_scale_fn(mode, kw["gamma"])
            kw["scale_mode"] = s["scaleMode"]
        return LRS.CyclicLR(opt, **kw)
    if name == "chainedScheduler":
        return LRS.ChainedScheduler([build(c, opt) for c in s["schedulers"]])
    if name == "sequentialLR":
        return LRS.SequentialLR(opt, schedulers=[build(c, opt) for c in s["schedulers"]], milestones=s["milestones"])
    return TF.build_scheduler(spec, opt)


def describe(spec):
    rest = {k: v for k, v in spec.items() if k != "name"}
    return spec["name"] + TF.json.dumps(rest, separators=(",", ":"))


def cases():
    plain = {"name": "sgd", "lr": 0.1}
    mom = {"name": "sgd", "lr": 0.1, "momentum": 0.9}
    adam = {"name": "adam", "lr": 0.1}
    S = []

    def add(sched, optimizer=plain, steps=60):
        S.append({"scheduler": sched, "optimizer": optimizer, "steps": steps})

    add({"name": "constantLR"}, steps=20)
    add({"name": "constantLR", "factor": 0.5, "totalIters": 8}, steps=20)
    add({"name": "constantLR", "factor": 0.1, "totalIters": 0}, steps=5)
    add({"name": "polynomialLR"}, steps=20)
    add({"name": "polynomialLR", "totalIters": 30, "power": 2})
    add({"name": "polynomialLR", "totalIters": 10, "power": 0.5}, steps=20)
    add({"name": "cosineAnnealingWarmRestarts", "tZero": 10})
    add({"name": "cosineAnnealingWarmRestarts", "tZero": 5, "tMult": 2, "etaMin": 0.001}, steps=80)
    add({"name": "cyclicLR", "baseLr": 0.01, "maxLr": 0.1, "stepSizeUp": 10}, mom)
    add({"name": "cyclicLR", "baseLr": 0.001, "maxLr": 0.1, "stepSizeUp": 5, "stepSizeDown": 15, "mode": "triangular2"}, mom, 80)
    add({"name": "cyclicLR", "baseLr": 0.001, "maxLr": 0.1, "stepSizeUp": 8, "mode": "expRange", "gamma": 0.98,
         "baseMomentum": 0.7, "maxMomentum": 0.95}, mom)
    add({"name": "cyclicLR", "baseLr": 0.01, "maxLr": 0.05, "stepSizeUp": 4, "cycleMomentum": False})
    add({"name": "cyclicLR", "baseLr": 0.001, "maxLr": 0.1, "stepSizeUp": 6, "mode": "triangular2",
         "scaleMode": "iterations"}, mom)
    add({"name": "cyclicLR", "baseLr": 0.001, "maxLr": 0.1, "stepSizeUp": 6, "stepSizeDown": 3, "mode": "expRange",
         "gamma": 0.9, "scaleMode": "cycle"}, mom)
    add({"name": "cyclicLR", "baseLr": 0.01, "maxLr": 0.1, "stepSizeUp": 7, "mode": "triangular2"}, adam)
    add({"name": "cyclicLR", "baseLr": 0.001, "maxLr": 0.1, "stepSizeUp": 5, "mode": "expRange", "gamma": 0.97,
         "baseMomentum": 0.85, "maxMomentum": 0.95}, adam)
    add({"name": "chainedScheduler", "schedulers": [{"name": "constantLR", "factor": 0.1, "totalIters": 2},
                                                    {"name": "exponentialLR", "gamma": 0.9}]}, steps=20)
    add({"name": "chainedScheduler", "schedulers": [{"name": "stepLR", "stepSize": 7, "gamma": 0.5},
                                                    {"name": "polynomialLR", "totalIters": 25, "power": 1.5}]}, steps=40)
    add({"name": "chainedScheduler", "schedulers": [{"name": "cosineAnnealingWarmRestarts", "tZero": 10},
                                                    {"name": "constantLR", "factor": 0.5, "totalIters": 15}]}, steps=40)
    add({"name": "chainedScheduler", "schedulers": [{"name": "linearLR", "startFactor": 0.2, "totalIters": 10},
                                                    {"name": "cyclicLR", "baseLr": 0.01, "maxLr": 0.1, "stepSizeUp": 5}]},
        mom, 40)
    add({"name": "sequentialLR", "milestones": [5],
         "schedulers": [{"name": "constantLR", "factor": 0.25, "totalIters": 5},
                        {"name": "cosineAnnealingWarmRestarts", "tZero": 8, "tMult": 2}]}, steps=40)
    return S


def _momentum(opt, proxy_betas):
    g = opt.param_groups[0]
    return g.get("momentum") if proxy_betas or "betas" not in g else g["betas"][0]


def sequences():
    out = []
    for s in cases():
        o = dict(s["optimizer"])
        name = o.pop("name")
        spec = s["scheduler"]
        uses_cyclic = "cyclicLR" in TF.json.dumps(spec)
        cycles_momentum = uses_cyclic and all(c.get("cycleMomentum", True) for c in _cyclic_specs(spec))
        proxy = name == "adam" and cycles_momentum
        p = torch.zeros(1, dtype=torch.float64, requires_grad=True)
        if proxy:
            opt = torch.optim.SGD([p], lr=o["lr"], momentum=0.9)
            call = (f"torch.optim.SGD(lr={o['lr']}, momentum=0.9) as a proxy for Adam(lr={o['lr']}): torch 1.13's CyclicLR "
                    "refuses betas; 2.x writes the same momentum sequence into betas[0]")
        else:
            opt, _, call = TF.build_optimizer(name, o, [p])
        sched = build(spec, opt)
        lrs = [float(opt.param_groups[0]["lr"])]
        moms = [_momentum(opt, proxy)]
        for _ in range(s["steps"]):
            opt.step()
            sched.step()
            lrs.append(float(opt.param_groups[0]["lr"]))
            moms.append(_momentum(opt, proxy))
        rec = {"id": describe(spec) + f" on {name}", "reference": "torch-proxy" if proxy else "torch",
               "scheduler": spec, "optimizer": s["optimizer"], "steps": s["steps"], "torch": call, "lr": lrs}
        if cycles_momentum:
            rec["momentumOption"] = "betas" if name == "adam" else "momentum"
            rec["momentum"] = moms
        check_closed_form(rec)
        out.append(rec)
    return out


def _cyclic_specs(spec):
    if spec["name"] == "cyclicLR":
        return [spec]
    return [c for sub in spec.get("schedulers", []) for c in _cyclic_specs(sub)]


def cyclic_closed_form(o, t):
    """torch's CyclicLR at scheduler step t (the formula ZOO_SPEC.md gives), (lr, momentum)."""
    up = float(o.get("stepSizeUp", 2000))
    down = float(o["stepSizeDown"]) if o.get("stepSizeDown") is not None else up
    total, ratio = up + down, up / (up + down)
    cycle = math.floor(1 + t / total)
    x = 1.0 + t / total - cycle
    scale = x / ratio if x <= ratio else (x - 1) / (ratio - 1)
    mode, gamma = o.get("mode", "triangular"), o.get("gamma", 1.0)
    arg_mode = o.get("scaleMode", "iterations" if mode == "expRange" else "cycle")
    arg = cycle if arg_mode == "cycle" else t
    f = 1.0 if mode == "triangular" else (1 / (2.0 ** (arg - 1)) if mode == "triangular2" else gamma ** arg)
    lr = o["baseLr"] + (o["maxLr"] - o["baseLr"]) * scale * f
    bm, mm = o.get("baseMomentum", 0.8), o.get("maxMomentum", 0.9)
    return lr, mm - (mm - bm) * scale * f


def check_closed_form(rec):
    """The generated sequences against closed forms written independently of torch's code."""
    spec = rec["scheduler"]
    n = spec["name"]
    for t, lr in enumerate(rec["lr"]):
        want = None
        if n == "constantLR":
            f, T = spec.get("factor", 1 / 3), spec.get("totalIters", 5)
            # total_iters 0: the initial step multiplies by the factor and no later step divides (chainable form)
            want = 0.1 * (f if t < T or T == 0 else 1.0)
        elif n == "polynomialLR":
            T, pw = spec.get("totalIters", 5), spec.get("power", 1.0)
            want = 0.1 * (1 - min(T, t) / T) ** pw
        elif n == "cosineAnnealingWarmRestarts":
            T0, Tm, em = spec["tZero"], spec.get("tMult", 1), spec.get("etaMin", 0)
            Ti, tc = T0, t
            while tc >= Ti:
                tc, Ti = tc - Ti, Ti * Tm
            want = em + (0.1 - em) * (1 + math.cos(math.pi * tc / Ti)) / 2
        elif n == "cyclicLR":
            want, mom = cyclic_closed_form(spec, t)
            if "momentum" in rec:
                assert abs(rec["momentum"][t] - mom) <= 1e-12, (rec["id"], t, rec["momentum"][t], mom)
        if want is not None:
            assert abs(lr - want) <= 1e-12 * max(abs(want), 1e-3), (rec["id"], t, lr, want)
