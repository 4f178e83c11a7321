# Run: /usr/bin/python3 scripts/zoo_fixtures.py   (also `npm run fixtures`; needs PyTorch, not needed by the tests)
"""
Fixtures for the optimizer zoo (issue 11), in the case format of scripts/torch_fixtures.py
(whose functions, gradients, f32 handling, horizon logic and number format this script
imports and reuses unchanged):

  test/fixtures/zoo-torch.json       real torch.optim (Debian's torch 1.13) trajectories of
                                     rprop, asgd, lbfgs, emulating 2.x where 1.13 differs
  test/fixtures/zoo-official.json    lion, adabelief, adan, adopt, sfsgd, sfadamw, prodigy:
                                     scripts/zoo_restated.py, a step-for-step restatement of
                                     each official file (file + commit in each case's "source")
  test/fixtures/zoo-schedulers.json  constantLR, polynomialLR, cosineAnnealingWarmRestarts,
                                     cyclicLR, chainedScheduler (scripts/zoo_schedulers.py)

The exact operation order of every optimizer and scheduler, the reductions and the quirks
are written down in scripts/ZOO_SPEC.md. Deterministic: no randomness, one CPU thread, a
fixed case list; running it twice gives byte-identical files.

Consuming the fixtures (test/torch.test.ts's replay works unchanged for every case but lbfgs):
 - x[k] is the concatenated parameter vector after k run steps, loss[k] = f(x[k]) in float64,
   the gradient of every step is f's float64 gradient at x[k] rounded once to the dtype;
   compare x[1..horizon] (f64: 1e-10 relative, floor 1e-3; f32: 1e-5, floor 1).
 - lbfgs: one run step = one `step(closure)`; the closure re-evaluates f and ∇f at the
   current parameters (the same float64 evaluation) and returns f; `evals[k]` is the number
   of closure calls made by step k+1 (torch's own first evaluation included). With
   `maximize` the closure returns −f and fills −∇f (torch's LBFGS has no maximize).
 - "lr" (cases with a scheduler): the group lr used by step k+1; the scheduler is stepped
   once after every optimizer step, as in torch-optimizers.json.
 - "state" (asgd: "ax"; sfsgd/sfadamw: "x" the average, "z" the base iterate): the named
   buffer after k steps, concatenated like x; the trajectory itself is torch's `p` (ASGD's
   iterate; schedule-free's y, the point where gradients are taken in train mode).
 - "scalars": per-step scalars, index k = step k+1: adan "clip" (the global-norm factor the
   step used), prodigy "d", "dMax", "dNumerator", "dDenom" (after the step).

torch 1.13 vs 2.x (torch/optim/{rprop,asgd,lbfgs}.py of 2.x read with the search tools,
1.13 from /usr/lib/python3/dist-packages/torch/optim):
 (a) Rprop: `_single_tensor_rprop` computes the same numbers (2.x adds `capturable`, a
     tensor `step`, and `differentiable` clones); `maximize` exists in 1.13 already and
     negates the gradient first, like 2.x. Used natively.
 (b) ASGD: `_single_tensor_asgd` computes the same numbers (2.x: `_get_value`, `_to_scalar`,
     capturable branch, `eta`/`mu`/`step` as `_get_scalar_dtype()` tensors, i.e. float32
     unless the default dtype is float64 — 1.13's `torch.tensor(...)` gives the same
     dtypes). 1.13's foreach path used etas[0] for every tensor; the single-tensor path
     (the CPU default in both) is per tensor. Used natively.
 (c) LBFGS: 2.x (PR 135026, "Correctly count evaluations when using strong Wolfe") passes
     `max_ls=max_eval - current_evals` to `_strong_wolfe`; 1.13 uses the default
     max_ls=25, so one line search could exceed max_eval. `patch_lbfgs()` takes 1.13's
     own `LBFGS.step` source, adds exactly that argument, execs it in the module and
     installs it; it asserts the edit happens once and that a small-max_eval run keeps
     evaluations per step ≤ max_eval + 1 where the unpatched step does not. The rest of
     lbfgs.py (`_cubic_interpolate`, `_strong_wolfe`, the two-loop recursion, the stopping
     tests) is the same in 2.x.
 (d) Scalar dtypes: as in torch_fixtures.py, f64 cases run with torch's default dtype set
     to float64 (ASGD's η, μ; Adan's norm tensor; ADOPT's step are then float64, as in a
     float64 2.x run), f32 cases with the default float32.
"""

import inspect
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.optim.lbfgs as _lbfgs_module  # noqa: E402

import torch_fixtures as TF  # noqa: E402
import zoo_restated as ZR  # noqa: E402
import zoo_schedulers as ZS  # noqa: E402

LBFGS_OLD = "obj_func, x_init, t, d, loss, flat_grad, gtd)"
LBFGS_NEW = "obj_func, x_init, t, d, loss, flat_grad, gtd, max_ls=max_eval - current_evals)"


def patch_lbfgs():
    """(c): 2.x's line-search budget in 1.13's LBFGS.step."""
    original = _lbfgs_module.LBFGS.step
    src = inspect.getsource(original)
    assert src.count(LBFGS_OLD) == 1, "torch's LBFGS source is not the expected 1.13 one"
    lines = src.replace(LBFGS_OLD, LBFGS_NEW).splitlines()
    indent = len(lines[0]) - len(lines[0].lstrip())
    patched = "\n".join(line[indent:] for line in lines) + "\n"
    namespace = {}
    exec(compile(patched, "<torch 1.13 LBFGS.step, PR 135026 max_ls>", "exec"), _lbfgs_module.__dict__, namespace)

    def evals_of_one_step(step_fn):
        # f = −x₀ − x₁ is linear: the strong-Wolfe search extrapolates until it runs out of budget
        _lbfgs_module.LBFGS.step = step_fn
        p = torch.tensor([0.5, -0.25], dtype=torch.float64, requires_grad=True)
        opt = torch.optim.LBFGS([p], max_iter=6, max_eval=4, line_search_fn="strong_wolfe")
        n = [0]

        def closure():
            n[0] += 1
            opt.zero_grad()
            v = -p.sum()
            v.backward()
            return v
        opt.step(closure)
        return n[0]

    before = evals_of_one_step(original)
    after = evals_of_one_step(namespace["step"])
    assert (before, after) == (1 + 26, 4 + 1), (before, after)   # 1.13: max_ls 25; 2.x: 1 + (4 − 1) + 1
    _lbfgs_module.LBFGS.step = namespace["step"]


# ---------------------------------------------------------------------------
# optimlab name + camelCase options -> optimizer
# ---------------------------------------------------------------------------

def build(name, options, params):
    """Returns (optimizer, call description, uses_closure, closure_maximize)."""
    o = dict(options)
    if name == "rprop":
        kw = dict(lr=o.get("lr", 1e-2), etas=tuple(o.get("etas", (0.5, 1.2))), step_sizes=tuple(o.get("stepSizes", (1e-6, 50))),
                  maximize=o.get("maximize", False))
        return torch.optim.Rprop(params, **kw), _call("Rprop", kw), False, False
    if name == "asgd":
        kw = dict(lr=o.get("lr", 1e-2), lambd=o.get("lambd", 1e-4), alpha=o.get("alpha", 0.75), t0=o.get("t0", 1e6),
                  weight_decay=o.get("weightDecay", 0), maximize=o.get("maximize", False))
        return torch.optim.ASGD(params, **kw), _call("ASGD", kw), False, False
    if name == "lbfgs":
        max_iter = o.get("maxIter", 20)
        kw = dict(lr=o.get("lr", 1), max_iter=max_iter, max_eval=o.get("maxEval", max_iter * 5 // 4),
                  tolerance_grad=o.get("toleranceGrad", 1e-7), tolerance_change=o.get("toleranceChange", 1e-9),
                  history_size=o.get("historySize", 100),
                  line_search_fn={None: None, "strongWolfe": "strong_wolfe"}[o.get("lineSearchFn")])
        call = _call("LBFGS", kw) + "; step(closure) with 2.x's max_ls=max_eval - current_evals"
        if o.get("maximize"):
            call += "; maximize: the closure returns -f and fills -grad f"
        return torch.optim.LBFGS(params, **kw), call, True, o.get("maximize", False)
    opt = ZR.build(name, o, params)
    return opt, f"restated {name}: {ZR.SOURCES[name]}", False, False


def _call(cls, kw):
    return f"torch.optim.{cls}(" + ", ".join(f"{k}={v!r}" for k, v in kw.items()) + ")"


# ---------------------------------------------------------------------------
# One trajectory
# ---------------------------------------------------------------------------

def _flat(tensors):
    return [v for t in tensors for v in t.detach().to(torch.float64).flatten().tolist()]


def record_state(name, opt, params):
    if name == "asgd":
        return {"ax": _flat(opt.state[p]["ax"] if "ax" in opt.state[p] else torch.zeros_like(p) for p in params)}
    if name in ("sfsgd", "sfadamw"):
        return {k: _flat(opt.state[p][k] if k in opt.state[p] else p for p in params) for k in ("x", "z")}
    return None


def record_scalars(name, opt):
    if name == "adan":
        return {"clip": opt.clips[-1]}
    if name == "prodigy":
        d, d_max, num, den = opt.trace[-1]
        return {"d": d, "dMax": d_max, "dNumerator": num, "dDenom": den}
    return None


def run(case, dtype, x0, perturb=0.0):
    prev = torch.get_default_dtype()
    if dtype == "f64":
        torch.set_default_dtype(torch.float64)
    try:
        tdt = torch.float32 if dtype == "f32" else torch.float64
        x = torch.tensor(x0, dtype=torch.float64)
        if perturb:
            x = torch.where(x == 0, torch.full_like(x, perturb), x * (1 + perturb))
        x = x.to(tdt)
        split = case["split"]
        params = [t.clone().detach().requires_grad_(True) for t in torch.split(x, split)]
        f = TF.make_function(case["function"])
        name = case["optimizer"]
        opt, call, closure_based, negate = build(name, case["options"], params)
        sched = ZS.build(case["scheduler"], opt) if "scheduler" in case else None

        def evaluate(sign=1.0):
            with torch.enable_grad():
                xc = torch.cat([p.detach() for p in params]).to(torch.float64).requires_grad_(True)
                val = f(xc)
                (g,) = torch.autograd.grad(val, xc)
            for p, gi in zip(params, torch.split(g, split)):
                p.grad = (sign * gi).detach().to(p.dtype).clone()
            return val.item()

        xs, losses, lrs, evals, states, scalars = [_flat(params)], [evaluate()], [], [], [], []
        s0 = record_state(name, opt, params)
        if s0 is not None:
            states.append(s0)
        for _ in range(case["steps"]):
            lrs.append(float(opt.param_groups[0]["lr"]))
            if closure_based:
                count = [0]

                def closure():
                    count[0] += 1
                    return -evaluate(-1.0) if negate else evaluate()
                opt.step(closure)
                evals.append(count[0])
            else:
                opt.step()
            if sched is not None:
                sched.step()
            xs.append(_flat(params))
            losses.append(evaluate())
            st = record_state(name, opt, params)
            if st is not None:
                states.append(st)
            sc = record_scalars(name, opt)
            if sc is not None:
                scalars.append(sc)
        return {"x": xs, "loss": losses, "lr": lrs, "evals": evals, "state": states, "scalars": scalars, "call": call}
    finally:
        torch.set_default_dtype(prev)


def agree(a, b, tol, floor):
    """Last step k up to which trajectories a and b (and their evals, for lbfgs) agree."""
    h = TF.agree_upto(a["x"], b["x"], tol, floor)
    for k, (ea, eb) in enumerate(zip(a["evals"], b["evals"])):
        if ea != eb:
            return min(h, k)   # evals[k] belongs to step k+1: steps up to k still agree
    return h


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------

case = TF.case
Q, QNEG, Q4, CUBIC, R, BEALE, HIMMEL = TF.Q, TF.QNEG, TF.Q4, TF.CUBIC, TF.R, TF.BEALE, TF.HIMMEL
R5, Q4S = TF.R5, TF.Q4S
SW = {"lineSearchFn": "strongWolfe"}

TORCH_CASES = [
    # --- Rprop ---
    case("rprop", {}, Q, 60),
    case("rprop", {"lr": 0.05}, R, 100),
    case("rprop", {"lr": 0.02, "etas": [0.3, 1.5], "stepSizes": [1e-4, 0.5]}, BEALE, 60),
    case("rprop", {"lr": 0.05, "maximize": True}, QNEG, 50),
    case("rprop", {"lr": 0.01, "etas": [0.4, 1.1]}, R, 80, **R5),
    case("rprop", {"lr": 0.1, "stepSizes": [1e-3, 1]}, HIMMEL, 60),
    case("rprop", {"lr": 0.05}, Q4, 60, scheduler={"name": "stepLR", "stepSize": 10, "gamma": 0.5}, **Q4S),
    # --- ASGD ---
    case("asgd", {"lr": 0.1}, Q, 60),
    case("asgd", {"lr": 0.001, "lambd": 0.01, "alpha": 0.5}, R, 100),
    case("asgd", {"lr": 0.05, "t0": 10}, Q, 60),
    case("asgd", {"lr": 0.02, "weightDecay": 0.1, "lambd": 0.05, "t0": 5}, CUBIC, 60),
    case("asgd", {"lr": 0.1, "maximize": True, "t0": 20}, QNEG, 50),
    case("asgd", {"lr": 0.002, "t0": 20, "lambd": 1e-3, "alpha": 1.0}, R, 80, **R5),
    case("asgd", {"lr": 0.05, "t0": 15}, Q4, 60, scheduler={"name": "exponentialLR", "gamma": 0.95}, **Q4S),
    # --- L-BFGS (one run step = one step(closure)) ---
    case("lbfgs", {}, Q, 10),
    case("lbfgs", {"lr": 0.1, "maxIter": 4, "historySize": 3}, R, 40),
    case("lbfgs", {**SW, "maxIter": 4, "historySize": 3}, R, 30),
    case("lbfgs", {**SW, "maxIter": 3}, BEALE, 30),
    case("lbfgs", {**SW, "maxIter": 5, "historySize": 2}, HIMMEL, 30),
    case("lbfgs", {**SW, "maxIter": 2}, HIMMEL, 10),   # maxEval 2: 2.x's line search gets max_ls 1 and returns t = 0
    case("lbfgs", {**SW, "maxIter": 10, "maxEval": 12, "toleranceGrad": 1e-5, "toleranceChange": 1e-7, "historySize": 5},
         R, 20, **R5),
    case("lbfgs", {**SW, "maxIter": 6, "maxEval": 4, "historySize": 4}, R, 30),
    case("lbfgs", {"lr": 0.5, "maxIter": 3, "historySize": 2}, CUBIC, 30),
    case("lbfgs", {**SW, "maxIter": 3, "maximize": True}, QNEG, 15),
    case("lbfgs", {"lr": 0.2, "maxIter": 2, "maximize": True}, QNEG, 30),
    case("lbfgs", {**SW, "maxIter": 3, "historySize": 3}, Q4, 20, **Q4S),
    case("lbfgs", {"lr": 0.2, "maxIter": 3}, R, 40, scheduler={"name": "stepLR", "stepSize": 10, "gamma": 2.0}),
]

OFFICIAL_CASES = [
    # --- Lion ---
    case("lion", {"lr": 0.05}, Q, 60),
    case("lion", {"lr": 0.01}, R, 100),
    case("lion", {"lr": 0.02, "betas": [0.95, 0.98], "weightDecay": 0.1}, CUBIC, 60),
    case("lion", {"lr": 0.005}, R, 80, **R5),
    case("lion", {"lr": 0.05, "maximize": True}, QNEG, 50),
    case("lion", {"lr": 0.03, "weightDecay": 0.5}, HIMMEL, 60),
    case("lion", {"lr": 0.05}, Q4, 60, scheduler={"name": "cosineAnnealingLR", "tMax": 60, "etaMin": 0.001}, **Q4S),
    # --- AdaBelief ---
    case("adabelief", {"lr": 0.1}, Q, 60),
    case("adabelief", {"lr": 0.01, "rectify": False}, R, 100),
    case("adabelief", {"lr": 0.05, "amsgrad": True, "rectify": False, "eps": 1e-8}, CUBIC, 60),
    case("adabelief", {"lr": 0.05, "amsgrad": True}, Q, 60),
    case("adabelief", {"lr": 0.001, "weightDecay": 0.1, "decoupledWeightDecay": False}, R, 80, **R5),
    case("adabelief", {"lr": 0.05, "weightDecay": 0.05, "fixedDecay": True}, HIMMEL, 60),
    case("adabelief", {"lr": 0.05, "weightDecay": 0.1}, BEALE, 60),
    case("adabelief", {"lr": 0.05, "degenerateToSgd": False}, Q4, 60, **Q4S),
    case("adabelief", {"lr": 0.05, "maximize": True, "betas": [0.8, 0.99]}, QNEG, 50),
    # --- Adan ---
    case("adan", {"lr": 0.05}, Q, 60),
    case("adan", {"lr": 0.01}, R, 100),
    case("adan", {"lr": 0.02, "weightDecay": 0.1}, CUBIC, 60),
    case("adan", {"lr": 0.02, "weightDecay": 0.1, "noProx": True}, CUBIC, 60),
    case("adan", {"lr": 0.01, "maxGradNorm": 1.0}, R, 80, **R5),
    case("adan", {"lr": 0.05, "maxGradNorm": 5.0, "betas": [0.9, 0.9, 0.95], "eps": 1e-6}, Q4, 60, **Q4S),
    case("adan", {"lr": 0.05, "maximize": True}, QNEG, 50),
    case("adan", {"lr": 0.02}, BEALE, 60, scheduler={"name": "exponentialLR", "gamma": 0.97}),
    # --- ADOPT ---
    case("adopt", {"lr": 0.05}, Q, 60),
    case("adopt", {"lr": 0.01}, R, 100),
    case("adopt", {"lr": 0.02, "clipExponent": None}, CUBIC, 60),
    case("adopt", {"lr": 0.05, "clipExponent": 0.5, "betas": [0.8, 0.99]}, HIMMEL, 60),
    case("adopt", {"lr": 0.01, "weightDecay": 0.1}, R, 80, **R5),
    case("adopt", {"lr": 0.05, "weightDecay": 0.1, "decoupledWeightDecay": True}, CUBIC, 60),
    case("adopt", {"lr": 0.05, "maximize": True, "eps": 1e-3}, QNEG, 50),
    case("adopt", {"lr": 0.05}, Q4, 60, scheduler={"name": "stepLR", "stepSize": 15, "gamma": 0.5}, **Q4S),
    # --- Schedule-free SGD ---
    case("sfsgd", {"lr": 0.1}, Q, 60),
    case("sfsgd", {"lr": 0.001}, R, 100),
    case("sfsgd", {"lr": 0.05, "momentum": 0.5, "weightDecay": 0.1}, CUBIC, 60),
    case("sfsgd", {"lr": 0.1, "warmupSteps": 10}, Q4, 60, **Q4S),
    case("sfsgd", {"lr": 0.001, "r": 1, "weightLrPower": 0}, R, 80, **R5),
    case("sfsgd", {"lr": 0.05, "maximize": True}, QNEG, 50),
    case("sfsgd", {"lr": 0.02}, HIMMEL, 60, scheduler={"name": "linearLR", "startFactor": 0.2, "totalIters": 20}),
    # --- Schedule-free AdamW ---
    case("sfadamw", {"lr": 0.1}, Q, 60),
    case("sfadamw", {"lr": 0.02}, R, 100),
    case("sfadamw", {"lr": 0.05, "weightDecay": 0.1}, CUBIC, 60),
    case("sfadamw", {"lr": 0.05, "weightDecay": 0.1, "decayAtZ": True}, CUBIC, 60),
    case("sfadamw", {"lr": 0.02, "warmupSteps": 10, "r": 0.5, "weightLrPower": 1}, R, 80, **R5),
    case("sfadamw", {"lr": 0.05, "innerMomentum": 0.9}, Q4, 60, **Q4S),
    case("sfadamw", {"lr": 0.05, "maximize": True, "betas": [0.8, 0.99], "eps": 1e-6}, QNEG, 50),
    case("sfadamw", {"lr": 0.05}, HIMMEL, 60, scheduler={"name": "exponentialLR", "gamma": 0.97}),
    # --- Prodigy ---
    case("prodigy", {}, Q, 60),
    case("prodigy", {}, R, 100),
    case("prodigy", {"weightDecay": 0.1}, BEALE, 60),
    case("prodigy", {"weightDecay": 0.1, "decouple": False}, BEALE, 60),
    case("prodigy", {"useBiasCorrection": True, "safeguardWarmup": True}, R, 80, **R5),
    case("prodigy", {"growthRate": 1.05, "dCoef": 0.5, "d0": 1e-3}, Q4, 60, **Q4S),
    case("prodigy", {"betas": [0.0, 0.99], "beta3": 0.9}, HIMMEL, 60),
    case("prodigy", {"lr": 0.5, "maximize": True}, QNEG, 50),
    case("prodigy", {"d0": 0.05, "growthRate": 1.2}, R, 80, **R5),   # a large d0: f32 rounding of the first moves matters less
    case("prodigy", {}, R, 80, scheduler={"name": "cosineAnnealingLR", "tMax": 80}),
]


def generate(cases, reference):
    out = []
    for c in cases:
        ref64 = run(c, "f64", c["x0"])
        h64 = agree(run(c, "f64", c["x0"], TF.PERTURB), ref64, TF.AGREE64, TF.FLOOR64)
        for dtype in ("f64", "f32"):
            if dtype == "f64":
                r, detail, horizon = ref64, {"perturbed64": h64}, h64
            else:
                r = run(c, "f32", c["x0"])
                x0_32 = [float(TF.np.float32(v)) for v in c["x0"]]
                r64from32 = run(c, "f64", x0_32)
                h32 = agree(r, r64from32, TF.AGREE32, TF.FLOOR32)
                h64b = agree(run(c, "f64", x0_32, TF.PERTURB), r64from32, TF.AGREE64, TF.FLOOR64)
                detail, horizon = {"perturbed64": h64b, "f32VsF64": h32}, min(h64b, h32)
            for v in [u for p in r["x"] for u in p] + r["loss"]:
                assert math.isfinite(v), (TF.case_id(c, dtype), v)
            rec = {"id": TF.case_id(c, dtype), "reference": reference, "optimizer": c["optimizer"],
                   "options": c["options"], "function": c["function"], "dim": c["dim"], "split": c["split"],
                   "dtype": dtype, "x0": c["x0"], "steps": c["steps"]}
            if "scheduler" in c:
                rec["scheduler"] = c["scheduler"]
            rec["horizon"] = horizon
            rec["horizonDetail"] = detail
            if reference == "restated":
                rec["source"] = ZR.SOURCES[c["optimizer"]]
                rec["added"] = ZR.ADDED[c["optimizer"]]
            rec["torch"] = r["call"]
            if "scheduler" in c:
                rec["lr"] = r["lr"]
            if r["evals"]:
                rec["evals"] = r["evals"]
            short = (lambda v: TF.f32_short(v)) if dtype == "f32" else (lambda v: v)
            if r["state"]:
                rec["state"] = {k: [[short(v) for v in s[k]] for s in r["state"]] for k in r["state"][0]}
            if r["scalars"]:
                rec["scalars"] = {k: [s[k] for s in r["scalars"]] for k in r["scalars"][0]}
            rec["x"] = [[short(v) for v in p] for p in r["x"]]
            rec["loss"] = r["loss"]
            out.append(rec)
    return out


COMMON_NOTES = [
    "Case format of torch-optimizers.json (test/torch.test.ts replays it); x[k] = parameters after k run steps, "
    "loss[k] = f(x[k]) in float64; gradients: float64 at the (possibly float32) point, rounded once to the dtype.",
    "Compare x[1..horizon] only (f64 |a-e| <= 1e-10*max(|e|,1e-3), f32 <= 1e-5*max(|e|,1)); horizonDetail says why.",
    "lr[k] (scheduler cases): the group lr used by step k+1; the scheduler steps once after every optimizer step.",
    "state[name][k]: the named optimizer buffer after k steps, concatenated like x (asgd ax; sfsgd/sfadamw x = average, z).",
    "scalars[name][k]: per-step scalar of step k+1 (adan clip: the global-norm factor used; prodigy d, dMax, dNumerator, "
    "dDenom after the step).",
    "f32 numbers are the shortest decimals that round (Math.fround) to the recorded float32 values.",
    "Operation order, reductions and quirks: scripts/ZOO_SPEC.md.",
]


def main():
    patch_lbfgs()
    os.makedirs(TF.OUT_DIR, exist_ok=True)
    common = {"generator": "scripts/zoo_fixtures.py", "torch": torch.__version__}
    torch_cases = generate(TORCH_CASES, "torch")
    n1 = TF.dump(os.path.join(TF.OUT_DIR, "zoo-torch.json"), {
        **common,
        "target": "PyTorch 2.x semantics of torch.optim.Rprop/ASGD/LBFGS (see the script's docstring)",
        "notes": COMMON_NOTES + [
            "lbfgs: one run step = one step(closure); the closure re-evaluates f and grad f at the current parameters and "
            "returns f (maximize: -f and -grad f); evals[k] = closure calls made by step k+1, torch's first one included.",
        ],
    }, "cases", torch_cases)
    official = generate(OFFICIAL_CASES, "restated")
    n2 = TF.dump(os.path.join(TF.OUT_DIR, "zoo-official.json"), {
        **common,
        "target": "the official implementations named in each case's 'source', restated step for step in torch "
                  "operations by scripts/zoo_restated.py; 'added' lists options the official file lacks",
        "notes": COMMON_NOTES + [
            "sfsgd/sfadamw: x is the parameter as the reference holds it in train mode (y, where gradients are taken).",
        ],
    }, "cases", official)
    seqs = ZS.sequences()
    n3 = TF.dump(os.path.join(TF.OUT_DIR, "zoo-schedulers.json"), {
        **common,
        "target": "PyTorch 2.x semantics of torch.optim.lr_scheduler (see scripts/zoo_schedulers.py)",
        "notes": [
            "Format of torch-schedulers.json: lr[0] right after construction, lr[t] after the t-th scheduler step.",
            "cyclicLR sets the group lr to baseLr at construction (the optimizer's own lr is overwritten).",
            "momentum[t]: the optimizer's momentum, or betas[0] (momentumOption 'betas'), written by cyclicLR.",
            "reference 'torch-proxy': torch 1.13 refuses cyclicLR momentum cycling on Adam; the sequence comes from its "
            "CyclicLR on an SGD proxy and is what 2.x writes into betas[0] (closed form in ZOO_SPEC.md).",
        ],
    }, "sequences", seqs)
    from collections import Counter
    cnt = Counter((c["optimizer"], c["dtype"]) for c in torch_cases + official)
    for k in sorted(cnt):
        print(f"{k[0]:10s} {k[1]} {cnt[k]}")
    print(f"{len(torch_cases)} torch cases, {len(official)} restated cases, {len(seqs)} scheduler sequences; "
          f"{n1 + n2 + n3} bytes")
    for c in torch_cases + official:
        if c["horizon"] < c["steps"]:
            print(f"  {c['id']}: horizon {c['horizon']}/{c['steps']} {c['horizonDetail']}")


if __name__ == "__main__":
    sys.exit(main())
