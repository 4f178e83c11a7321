# Used by scripts/zoo_fixtures.py (run that: /usr/bin/python3 scripts/zoo_fixtures.py); not run on its own.
"""
Independent restatements, in plain torch tensor operations, of the official updates of
seven optimizers, each step for step in the order of the official file (read with the
search tools; no official code is copied here):

  lion       google/automl                lion/lion_pytorch.py                                   87461ee9
  adabelief  juntang-zhuang/Adabelief-Optimizer
             pypi_packages/adabelief_pytorch0.2.1/adabelief_pytorch/AdaBelief.py                 1059ccab
  adan       sail-sg/Adan                 adan.py, `_single_tensor_adan` + the global-norm block  d00ff625 / 062d4cd5 (*)
  adopt      iShohei220/adopt             src/adopt/adopt.py, `_single_tensor_adopt`              (**)
  sfsgd      facebookresearch/schedule_free  schedulefree/sgd_schedulefree_reference.py           b3be06f3 / 59ed9b66 (***)
  sfadamw    facebookresearch/schedule_free  schedulefree/adamw_schedulefree_reference.py         76e631b8 / 1fb6be51 (***)
  prodigy    konstmish/prodigy            prodigyopt/prodigy.py                                  a1b4f0ef

 (*)   the index does not hold adan.py at f0b1b81 (the issue's commit); the two stored versions
       read (d00ff62, 062d4cd) have identical `_single_tensor_adan` and global-norm code.
 (**)  the index does not hold iShohei220/adopt's src/adopt/adopt.py (only the older root
       adopt.py, 44900fa, a different algorithm); read instead the fork irmo322/adopt
       src/adopt/adopt.py (dee4695) and an independent copy of the same file: their
       `_single_tensor_adopt` agree line for line (the fork's only change is in `_init_group`).
 (***) the index does not hold 43e5c2d. The step of sgd_schedulefree_reference.py is identical
       in every stored version. adamw_schedulefree_reference.py has no inner momentum in any
       stored version; 43e5c2d's adamw_schedulefree.py (known through a third-party copy that
       names the commit) adds `inner_momentum` μ as m ← μ·m + (1−μ)·g, normalised gradient
       (m/(1−μ^(k+1)))/denom. `innerMomentum` here puts that same m/(1−μ^(k+1)) in the
       reference's z step in place of g (an assumption, marked in ZOO_SPEC.md).

Every class is a torch.optim.Optimizer (so torch's LR schedulers drive `group["lr"]`),
takes optimlab's camelCase options with the issue's defaults, and adds `maximize`
(the gradient is negated before anything else) where the official file lacks it.
Scalar tensors the official code creates with the default dtype (Adan's norm) follow the
default dtype, which the fixture script sets to float64 for f64 cases.
"""

import math

import torch
from torch.optim import Optimizer


def _grad(p, maximize):
    return -p.grad if maximize else p.grad.clone()


class Lion(Optimizer):
    """google/automl lion/lion_pytorch.py @ 87461ee."""

    def __init__(self, params, lr=1e-4, betas=(0.9, 0.99), weightDecay=0.0, maximize=False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), weightDecay=weightDecay, maximize=maximize))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            lr, wd = group["lr"], group["weightDecay"]
            b1, b2 = group["betas"]
            for p in group["params"]:
                g = _grad(p, group["maximize"])
                p.mul_(1 - lr * wd)                      # decoupled decay, before anything reads p
                st = self.state[p]
                if "m" not in st:
                    st["m"] = torch.zeros_like(p)
                m = st["m"]
                c = m * b1 + g * (1 - b1)               # interpolation used for the sign
                p.add_(torch.sign(c), alpha=-lr)          # sign(0) = 0: no move
                m.mul_(b2).add_(g, alpha=1 - b2)          # the moment uses β2, after the move


class AdaBelief(Optimizer):
    """adabelief-pytorch 0.2.1 AdaBelief.py @ 1059cca (with its in-place ε on s and the RAdam-style branch)."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-16, weightDecay=0.0, amsgrad=False,
                 decoupledWeightDecay=True, fixedDecay=False, rectify=True, degenerateToSgd=True, maximize=False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weightDecay=weightDecay, amsgrad=amsgrad,
                                      decoupledWeightDecay=decoupledWeightDecay, fixedDecay=fixedDecay,
                                      rectify=rectify, degenerateToSgd=degenerateToSgd, maximize=maximize))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            lr, wd, eps = group["lr"], group["weightDecay"], group["eps"]
            b1, b2 = group["betas"]
            for p in group["params"]:
                g = _grad(p, group["maximize"])
                st = self.state[p]
                if "t" not in st:
                    st["t"], st["m"], st["s"] = 0, torch.zeros_like(p), torch.zeros_like(p)
                    if group["amsgrad"]:
                        st["smax"] = torch.zeros_like(p)
                if group["decoupledWeightDecay"]:
                    p.mul_(1.0 - wd if group["fixedDecay"] else 1.0 - lr * wd)
                elif wd != 0:
                    g.add_(p, alpha=wd)
                st["t"] += 1
                t = st["t"]
                bc1, bc2 = 1 - b1 ** t, 1 - b2 ** t
                m, s = st["m"], st["s"]
                m.mul_(b1).add_(g, alpha=1 - b1)
                r = g - m                                   # residual against the *updated* m
                s.mul_(b2).addcmul_(r, r, value=1 - b2)
                s.add_(eps)                                 # in place: ε accumulates in the state
                if group["amsgrad"]:
                    torch.maximum(st["smax"], s, out=st["smax"])
                    denom = (st["smax"].sqrt() / math.sqrt(bc2)).add_(eps)
                else:
                    denom = (s.sqrt() / math.sqrt(bc2)).add_(eps)
                if not group["rectify"]:
                    p.addcdiv_(m, denom, value=-(lr / bc1))
                    continue
                b2t = b2 ** t
                rho_inf = 2 / (1 - b2) - 1
                rho = rho_inf - 2 * t * b2t / (1 - b2t)
                if rho >= 5:
                    step = math.sqrt((1 - b2t) * (rho - 4) / (rho_inf - 4) * (rho - 2) / rho * rho_inf / (rho_inf - 2)) / (1 - b1 ** t)
                    # s already holds +ε; no bias correction of s here (it is in `step`), no AMSGrad max
                    p.addcdiv_(m, s.sqrt().add_(eps), value=-step * lr)
                elif group["degenerateToSgd"]:
                    p.add_(m, alpha=-(1.0 / (1 - b1 ** t)) * lr)


class Adan(Optimizer):
    """sail-sg/Adan adan.py (`_single_tensor_adan` and the global-norm clip in `step`)."""

    def __init__(self, params, lr=1e-3, betas=(0.98, 0.92, 0.99), eps=1e-8, weightDecay=0.0, noProx=False,
                 maxGradNorm=0.0, maximize=False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weightDecay=weightDecay, noProx=noProx,
                                      maxGradNorm=maxGradNorm, maximize=maximize))
        self.clips = []   # the clip factor of every step (fixture "scalars")

    @torch.no_grad()
    def step(self):
        grads = {p: _grad(p, g["maximize"]) for g in self.param_groups for p in g["params"]}
        if self.defaults["maxGradNorm"] > 0:
            total = torch.zeros(1)                          # default dtype, as the official torch.zeros(1)
            for g in grads.values():
                total.add_(g.pow(2).sum())                  # per tensor, in parameter order
            total = torch.sqrt(total)
            limit = torch.tensor(self.defaults["maxGradNorm"])
            clip = torch.clamp(limit / (total + self.param_groups[-1]["eps"]), max=1.0).item()
        else:
            clip = 1.0
        self.clips.append(clip)
        for group in self.param_groups:
            b1, b2, b3 = group["betas"]
            group["k"] = group.get("k", 0) + 1
            k = group["k"]
            bc1, bc2, bc3s = 1.0 - b1 ** k, 1.0 - b2 ** k, math.sqrt(1.0 - b3 ** k)
            lr, wd, eps = group["lr"], group["weightDecay"], group["eps"]
            for p in group["params"]:
                g = grads[p]
                st = self.state[p]
                if "m" not in st:
                    st["m"], st["v"], st["n"] = torch.zeros_like(p), torch.zeros_like(p), torch.zeros_like(p)
                if "negPrev" not in st or k == 1:
                    st["negPrev"] = g.clone().mul_(-clip)    # first step: the difference is exactly 0
                m, v, n, w = st["m"], st["v"], st["n"], st["negPrev"]
                g.mul_(clip)
                w.add_(g)                                   # w = g − g_prev
                m.mul_(b1).add_(g, alpha=1 - b1)
                v.mul_(b2).add_(w, alpha=1 - b2)
                w.mul_(b2).add_(g)                          # w = g + β2·(g − g_prev)
                n.mul_(b3).addcmul_(w, w, value=1 - b3)
                denom = (n.sqrt() / bc3s).add_(eps)
                if group["noProx"]:
                    p.mul_(1 - lr * wd)
                    p.addcdiv_(m, denom, value=-(lr / bc1))
                    p.addcdiv_(v, denom, value=-(lr * b2 / bc2))
                else:
                    p.addcdiv_(m, denom, value=-(lr / bc1))
                    p.addcdiv_(v, denom, value=-(lr * b2 / bc2))
                    p.div_(1 + lr * wd)
                w.zero_().add_(g, alpha=-1.0)


class Adopt(Optimizer):
    """iShohei220/adopt src/adopt/adopt.py `_single_tensor_adopt` (clip_lambda = step**clipExponent)."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.9999), eps=1e-6, clipExponent=0.25, weightDecay=0.0,
                 decoupledWeightDecay=False, maximize=False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, clipExponent=clipExponent,
                                      weightDecay=weightDecay, decoupledWeightDecay=decoupledWeightDecay,
                                      maximize=maximize))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            lr, wd, eps = group["lr"], group["weightDecay"], group["eps"]
            b1, b2 = group["betas"]
            for p in group["params"]:
                g = _grad(p, group["maximize"])
                st = self.state[p]
                if "count" not in st:
                    st["count"] = torch.tensor(0.0)           # the official step tensor (default dtype)
                    st["m"], st["v"] = torch.zeros_like(p), torch.zeros_like(p)
                count = st["count"].item()                  # read BEFORE it is incremented
                if wd != 0 and not group["decoupledWeightDecay"]:
                    g = g.add(p, alpha=wd)                  # also on the first call: it enters v's initial value
                if count == 0:
                    st["v"].addcmul_(g, g)                  # first call: v = g², no move, no decay
                    st["count"] += 1
                    continue
                if wd != 0 and group["decoupledWeightDecay"]:
                    p.add_(p, alpha=-lr * wd)
                denom = torch.clamp(st["v"].sqrt(), eps)    # ε is a floor, not added
                u = g.div(denom)
                if group["clipExponent"] is not None:
                    c = count ** group["clipExponent"]      # (t−1)^c at run step t
                    u.clamp_(-c, c)
                st["m"].lerp_(u, 1 - b1)
                p.add_(st["m"], alpha=-lr)
                st["v"].mul_(b2).addcmul_(g, g, value=1 - b2)   # v_t after the move: the step used v_{t-1}
                st["count"] += 1


def _sf_weight(group, lr):
    """Schedule-free averaging weight c_{k+1} = w_k / Σ w (k = previous steps), as both references compute it."""
    k = group["k"]
    lr_max = group["lrMax"] = max(lr, group["lrMax"])
    weight = ((k + 1) ** group["r"]) * (lr_max ** group["weightLrPower"])
    group["weightSum"] = group["weightSum"] + weight
    try:
        return weight / group["weightSum"]
    except ZeroDivisionError:
        return 0


class SfSgd(Optimizer):
    """facebookresearch/schedule_free sgd_schedulefree_reference.py, train mode (p = y)."""

    def __init__(self, params, lr=1.0, momentum=0.9, weightDecay=0.0, warmupSteps=0, r=0.0, weightLrPower=2.0,
                 maximize=False):
        super().__init__(params, dict(lr=lr, momentum=momentum, weightDecay=weightDecay, warmupSteps=warmupSteps,
                                      r=r, weightLrPower=weightLrPower, maximize=maximize,
                                      k=0, weightSum=0.0, lrMax=-1.0))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            k, mom, wd = group["k"], group["momentum"], group["weightDecay"]
            sched = (k + 1) / group["warmupSteps"] if k < group["warmupSteps"] else 1.0
            lr = group["lr"] * sched
            ckp1 = _sf_weight(group, lr)
            for p in group["params"]:
                g = _grad(p, group["maximize"])
                st = self.state[p]
                if "z" not in st:
                    st["z"], st["x"], st["y"] = p.clone(), p.clone(), p.clone()
                z, x, y = st["z"], st["x"], st["y"]
                if wd != 0:
                    g.add_(y, alpha=wd)
                z.sub_(g, alpha=lr)
                x.mul_(1 - ckp1).add_(z, alpha=ckp1)
                y.copy_(x.mul(mom).add_(z, alpha=1 - mom))
                p.copy_(y)
            group["k"] = k + 1


class SfAdamW(Optimizer):
    """facebookresearch/schedule_free adamw_schedulefree_reference.py, train mode (p = y); innerMomentum: see the module docstring."""

    def __init__(self, params, lr=0.0025, betas=(0.9, 0.999), eps=1e-8, weightDecay=0.0, warmupSteps=0, r=0.0,
                 weightLrPower=2.0, decayAtZ=False, innerMomentum=0.0, maximize=False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weightDecay=weightDecay,
                                      warmupSteps=warmupSteps, r=r, weightLrPower=weightLrPower, decayAtZ=decayAtZ,
                                      innerMomentum=innerMomentum, maximize=maximize,
                                      k=0, weightSum=0.0, lrMax=-1.0))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            k, eps, decay, mu = group["k"], group["eps"], group["weightDecay"], group["innerMomentum"]
            b1, b2 = group["betas"]
            sched = (k + 1) / group["warmupSteps"] if k < group["warmupSteps"] else 1.0
            lr = group["lr"] * sched * math.sqrt(1 - b2 ** (k + 1))   # (the official's max(lr, eps) is overwritten: dead)
            ckp1 = _sf_weight(group, lr)
            for p in group["params"]:
                g = _grad(p, group["maximize"])
                st = self.state[p]
                if "z" not in st:
                    st["z"], st["v"], st["x"], st["y"] = p.clone(), torch.zeros_like(p), p.clone(), p.clone()
                    if mu != 0:
                        st["m"] = torch.zeros_like(p)
                z, v, x, y = st["z"], st["v"], st["x"], st["y"]
                if decay != 0:
                    z.sub_(z if group["decayAtZ"] else y, alpha=lr * decay)
                v.mul_(b2).addcmul_(g, g, value=1 - b2)
                denom = v.sqrt().add_(eps)
                if mu != 0:
                    st["m"].mul_(mu).add_(g, alpha=1 - mu)
                    z.addcdiv_(st["m"].div(1 - mu ** (k + 1)), denom, value=-lr)
                else:
                    z.addcdiv_(g, denom, value=-lr)
                x.mul_(1 - ckp1).add_(z, alpha=ckp1)
                y.copy_(x.mul(b1).add_(z, alpha=1 - b1))
                p.copy_(y)
            group["k"] = k + 1


class Prodigy(Optimizer):
    """konstmish/prodigy prodigyopt/prodigy.py @ a1b4f0e (slice_p = 1, no FSDP)."""

    def __init__(self, params, lr=1.0, betas=(0.9, 0.999), beta3=None, eps=1e-8, weightDecay=0.0, decouple=True,
                 useBiasCorrection=False, safeguardWarmup=False, d0=1e-6, dCoef=1.0, growthRate=None, maximize=False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), beta3=beta3, eps=eps, weightDecay=weightDecay,
                                      decouple=decouple, useBiasCorrection=useBiasCorrection,
                                      safeguardWarmup=safeguardWarmup, d0=d0, dCoef=dCoef,
                                      growthRate=math.inf if growthRate is None else growthRate, maximize=maximize,
                                      d=d0, dMax=d0, dNumerator=0.0, k=0))
        self.trace = []   # (d, dMax, dNumerator, dDenom) after every step (fixture "scalars")

    @torch.no_grad()
    def step(self):
        group = self.param_groups[0]
        b1, b2 = group["betas"]
        b3 = math.sqrt(b2) if group["beta3"] is None else group["beta3"]
        k, d, d_max, d0 = group["k"], group["d"], group["dMax"], group["d0"]
        lr = max(gr["lr"] for gr in self.param_groups)
        bc = ((1 - b2 ** (k + 1)) ** 0.5) / (1 - b1 ** (k + 1)) if group["useBiasCorrection"] else 1
        dlr = d * lr * bc
        num = group["dNumerator"] * b3
        delta, den = 0.0, 0.0
        grads = {}
        for p in group["params"]:
            g = _grad(p, group["maximize"])
            grads[p] = g
            if group["weightDecay"] != 0 and not group["decouple"]:
                g.add_(p, alpha=group["weightDecay"])
            st = self.state[p]
            if "p0" not in st:
                st["s"], st["p0"] = torch.zeros_like(p).flatten(), p.flatten().clone()
                if b1 > 0:
                    st["m"] = torch.zeros_like(p)
                st["v"] = torch.zeros_like(p)
            if group["lr"] > 0.0:
                gf = g.flatten()
                delta += (d / d0) * dlr * torch.dot(gf, st["p0"] - p.flatten()).item()
                if b1 > 0:
                    st["m"].mul_(b1).add_(g, alpha=d * (1 - b1))
                st["v"].mul_(b2).addcmul_(g, g, value=d * d * (1 - b2))
                st["s"].mul_(b3).add_(gf, alpha=(d / d0) * (d if group["safeguardWarmup"] else dlr))
                den += st["s"].abs().sum().item()
        if den == 0:
            self.trace.append((d, d_max, group["dNumerator"], 0.0))
            return                                           # no move, k and the stored numerator unchanged
        if lr > 0.0:
            num = num + delta
            d_hat = group["dCoef"] * num / den
            if d == d0:
                d = max(d, d_hat)
            d_max = max(d_max, d_hat)
            d = min(d_max, d * group["growthRate"])
        group.update(dNumerator=num, d=d, dMax=d_max)
        for p in group["params"]:
            st = self.state[p]
            denom = st["v"].sqrt().add_(d * group["eps"])     # the new d
            if group["weightDecay"] != 0 and group["decouple"]:
                p.add_(p, alpha=-group["weightDecay"] * dlr)  # the old d·lr
            if b1 > 0:
                p.addcdiv_(st["m"], denom, value=-dlr)
            else:
                p.addcdiv_(grads[p], denom, value=-dlr * d)
        group["k"] = k + 1
        self.trace.append((d, d_max, num, den))


CLASSES = {"lion": Lion, "adabelief": AdaBelief, "adan": Adan, "adopt": Adopt, "sfsgd": SfSgd, "sfadamw": SfAdamW,
           "prodigy": Prodigy}

SOURCES = {
    "lion": "google/automl lion/lion_pytorch.py @ 87461ee96d8bbfcaf1edd4fbd8659d31d3760a50",
    "adabelief": "juntang-zhuang/Adabelief-Optimizer pypi_packages/adabelief_pytorch0.2.1/adabelief_pytorch/AdaBelief.py"
                 " @ 1059ccab1bdf0d18bfd44028579e4909bb866cee",
    "adan": "sail-sg/Adan adan.py _single_tensor_adan @ d00ff6258e33ecec3a3e283e15e1e69034ed46b3"
            " (= 062d4cd5de08c79fc89bec6ad814e1087ec34092; f0b1b81 not in the index)",
    "adopt": "iShohei220/adopt src/adopt/adopt.py _single_tensor_adopt, read as irmo322/adopt"
             " src/adopt/adopt.py @ dee469560f42cb7e8563ea609df03077430ddd33 (c621db2 not in the index)",
    "sfsgd": "facebookresearch/schedule_free schedulefree/sgd_schedulefree_reference.py"
             " @ b3be06f3df5670edfa9af00b8d52413b1f00b7ec (step identical in 59ed9b66; 43e5c2d not in the index)",
    "sfadamw": "facebookresearch/schedule_free schedulefree/adamw_schedulefree_reference.py"
               " @ 76e631b86c6134519e0dac69245c82a85a6d4d56 (43e5c2d not in the index; innerMomentum assumed, see ZOO_SPEC.md)",
    "prodigy": "konstmish/prodigy prodigyopt/prodigy.py @ a1b4f0eff7ef988ac10d6f11f26b0da15d254588",
}

# Options the official file lacks and the restatement adds.
ADDED = {"lion": ["maximize"], "adabelief": ["maximize"], "adan": ["maximize"], "adopt": [],
         "sfsgd": ["maximize"], "sfadamw": ["maximize", "innerMomentum (assumed form)"], "prodigy": ["maximize"]}


def build(name, options, params):
    o = dict(options)
    return CLASSES[name](params, **o)
