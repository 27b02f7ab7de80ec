"""Runs Optuna's samplers on the search benchmark's test functions, for comparison in the same run.

The functions, domains and optima are those of bench/search/test-functions.ts (keep the two in
step; `--probe` prints each function at fixed points so the TS side can check that they agree).
Each run is one study of `budget` trials with the sampler seeded by the benchmark seed; simple
regret (best - optimum) is recorded at 10, 30 and 100 evaluations, as bench/search/search-loop.ts
does. Output: one JSON document on stdout, {"optuna": version, "results": [RunResult, ...]}.

    python3 bench/search/optuna_driver.py --samplers tpe --functions schwefel4,eggholder2 \
        --seeds 30 --first-seed 0 --budgets 100

Samplers: `tpe` (TPESampler(seed=seed), Optuna's defaults: univariate), `tpe-mv`
(multivariate=True, group=True, constant_liar=True: the configuration the `tpe` sampler of this
repository follows), `cmaes` (CmaEsSampler(seed=seed), continuous spaces only), `random`.
"""

import argparse
import json
import math
import sys
import time

import optuna

CHECKPOINTS = [10, 30, 100]


def box(d, low, high):
    return [(f"x{i}", ("float", low, high)) for i in range(d)]


def branin(p):
    x, y = p["x0"], p["x1"]
    b = 5.1 / (4 * math.pi * math.pi)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - t) * math.cos(x) + 10


H6_A = [
    [10, 3, 17, 3.5, 1.7, 8],
    [0.05, 10, 17, 0.1, 8, 14],
    [3, 3.5, 1.7, 10, 17, 8],
    [17, 8, 0.05, 10, 0.1, 14],
]
H6_P = [
    [v * 1e-4 for v in row]
    for row in [
        [1312, 1696, 5569, 124, 8283, 5886],
        [2329, 4135, 8307, 3736, 1004, 9991],
        [2348, 1451, 3522, 2883, 3047, 6650],
        [4047, 8828, 8732, 5743, 1091, 381],
    ]
]
H6_ALPHA = [1, 1.2, 3, 3.2]


def vec(p, d):
    return [p[f"x{i}"] for i in range(d)]


def hartmann6(p):
    x = vec(p, 6)
    s = 0.0
    for i in range(4):
        inner = sum(H6_A[i][j] * (x[j] - H6_P[i][j]) ** 2 for j in range(6))
        s -= H6_ALPHA[i] * math.exp(-inner)
    return s


def rosenbrock4(p):
    x = vec(p, 4)
    return sum(100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2 for i in range(3))


def ackley5(p):
    x = vec(p, 5)
    d = len(x)
    sq = sum(v * v for v in x) / d
    cs = sum(math.cos(2 * math.pi * v) for v in x) / d
    return -20 * math.exp(-0.2 * math.sqrt(sq)) - math.exp(cs) + 20 + math.e


def levy4(p):
    w = [1 + (v - 1) / 4 for v in vec(p, 4)]
    d = len(w)
    s = math.sin(math.pi * w[0]) ** 2
    for i in range(d - 1):
        s += (w[i] - 1) ** 2 * (1 + 10 * math.sin(math.pi * w[i] + 1) ** 2)
    s += (w[d - 1] - 1) ** 2 * (1 + math.sin(2 * math.pi * w[d - 1]) ** 2)
    return s


def styblinski_tang8(p):
    return sum((v**4 - 16 * v * v + 5 * v) / 2 for v in vec(p, 8))


MIXED_OFFSET = {"A": 0.0, "B": 0.5, "C": 1.0}


def mixed(p):
    return MIXED_OFFSET[p["c"]] + (p["x"] - 1) ** 2 + (math.log10(p["lr"]) + 3) ** 2 / 4 + ((p["n"] - 20) / 10) ** 2


def schwefel4(p):
    x = vec(p, 4)
    return 418.9828872724338 * len(x) - sum(v * math.sin(math.sqrt(abs(v))) for v in x)


def eggholder2(p):
    x, y = p["x0"], p["x1"]
    return -(y + 47) * math.sin(math.sqrt(abs(y + x / 2 + 47))) - x * math.sin(math.sqrt(abs(x - (y + 47))))


# name -> (space, optimum, function); a space is a list of (name, spec) in declaration order.
FUNCTIONS = {
    "branin": ([("x0", ("float", -5, 10)), ("x1", ("float", 0, 15))], 0.397887357729738, branin),
    "hartmann6": (box(6, 0, 1), -3.32236801141551, hartmann6),
    "rosenbrock4": (box(4, -5, 10), 0.0, rosenbrock4),
    "ackley5": (box(5, -32.768, 32.768), 0.0, ackley5),
    "levy4": (box(4, -10, 10), 0.0, levy4),
    "styblinski-tang8": (box(8, -5, 5), -39.16616570377142 * 8, styblinski_tang8),
    "mixed": (
        [
            ("c", ("categorical", ["A", "B", "C"])),
            ("x", ("float", -5, 5)),
            ("lr", ("logfloat", 1e-5, 1)),
            ("n", ("int", 1, 32)),
        ],
        0.0,
        mixed,
    ),
    "schwefel4": (box(4, -500, 500), 0.0, schwefel4),
    "eggholder2": (box(2, -512, 512), -959.6406627208509, eggholder2),
}

# Fixed points at which --probe evaluates every function (unit-cube fractions of each range).
PROBE_FRACTIONS = [0.1, 0.37, 0.5, 0.82]


def suggest(trial, space):
    params = {}
    for name, spec in space:
        kind = spec[0]
        if kind == "float":
            params[name] = trial.suggest_float(name, spec[1], spec[2])
        elif kind == "logfloat":
            params[name] = trial.suggest_float(name, spec[1], spec[2], log=True)
        elif kind == "int":
            params[name] = trial.suggest_int(name, spec[1], spec[2])
        else:
            params[name] = trial.suggest_categorical(name, spec[1])
    return params


def make_sampler(kind, seed):
    if kind == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if kind == "tpe-mv":
        return optuna.samplers.TPESampler(seed=seed, multivariate=True, group=True, constant_liar=True)
    if kind == "cmaes":
        return optuna.samplers.CmaEsSampler(seed=seed)
    if kind == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise SystemExit(f"unknown sampler {kind}")


def run(kind, fn_name, seed, budget):
    space, optimum, f = FUNCTIONS[fn_name]
    study = optuna.create_study(direction="minimize", sampler=make_sampler(kind, seed))
    best = math.inf
    regret = {}
    spent = 0.0
    for t in range(1, budget + 1):
        started = time.perf_counter()
        trial = study.ask()
        params = suggest(trial, space)
        spent += time.perf_counter() - started
        value = f(params)
        study.tell(trial, value)
        best = min(best, value)
        if t in CHECKPOINTS:
            regret[str(t)] = max(best - optimum, 0.0)
    return {"algorithm": f"optuna-{kind}", "fn": fn_name, "seed": seed, "budget": budget, "regret": regret, "suggestSeconds": spent}


def probe():
    out = {}
    for name, (space, _optimum, f) in FUNCTIONS.items():
        values = []
        for frac in PROBE_FRACTIONS:
            params = {}
            for pname, spec in space:
                kind = spec[0]
                if kind == "float":
                    params[pname] = spec[1] + frac * (spec[2] - spec[1])
                elif kind == "logfloat":
                    params[pname] = math.exp(math.log(spec[1]) + frac * (math.log(spec[2]) - math.log(spec[1])))
                elif kind == "int":
                    # floor(v + 0.5), as JavaScript rounds (Python rounds halves to even).
                    params[pname] = math.floor(spec[1] + frac * (spec[2] - spec[1]) + 0.5)
                else:
                    params[pname] = spec[1][min(int(frac * len(spec[1])), len(spec[1]) - 1)]
            values.append(f(params))
        out[name] = values
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samplers", default="tpe")
    ap.add_argument("--functions", default=",".join(FUNCTIONS))
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--budgets", default="100")
    ap.add_argument("--probe", action="store_true")
    args = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    if args.probe:
        json.dump({"optuna": optuna.__version__, "probe": probe(), "fractions": PROBE_FRACTIONS}, sys.stdout)
        return
    results = []
    for fn_name in args.functions.split(","):
        if fn_name not in FUNCTIONS:
            raise SystemExit(f"unknown function {fn_name}")
        for budget in [int(b) for b in args.budgets.split(",")]:
            for kind in args.samplers.split(","):
                for seed in range(args.first_seed, args.first_seed + args.seeds):
                    results.append(run(kind, fn_name, seed, budget))
                    print(f"{kind} {fn_name} seed {seed} budget {budget} done", file=sys.stderr)
    json.dump({"optuna": optuna.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
