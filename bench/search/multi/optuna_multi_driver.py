"""Runs Optuna's NSGA-II on the multi-objective problems of bench/search/multi/multi-functions.ts.

Keep the problems in step with the TS side. Each run is one study of `budget` trials with
NSGAIISampler(seed=seed) and its defaults (population 50); the objective values of every trial,
in trial order, go back as JSON so the hypervolume is computed by the same code for both sides.

    /usr/bin/python3 bench/search/multi/optuna_multi_driver.py --functions zdt1,zdt2,dtlz2 --seeds 10 --budget 500
"""

import argparse
import json
import math

import optuna


def zdt_g(x):
    return 1 + 9 * sum(x[1:]) / (len(x) - 1)


def zdt1(x):
    g = zdt_g(x)
    return [x[0], g * (1 - math.sqrt(x[0] / g))]


def zdt2(x):
    g = zdt_g(x)
    return [x[0], g * (1 - (x[0] / g) ** 2)]


def dtlz2(x):
    g = sum((v - 0.5) ** 2 for v in x[2:])
    a, b = x[0] * math.pi / 2, x[1] * math.pi / 2
    return [(1 + g) * math.cos(a) * math.cos(b), (1 + g) * math.cos(a) * math.sin(b), (1 + g) * math.sin(a)]


PROBLEMS = {"zdt1": (30, 2, zdt1), "zdt2": (30, 2, zdt2), "dtlz2": (12, 3, dtlz2)}


def run(name, seed, budget):
    d, m, fn = PROBLEMS[name]
    sampler = optuna.samplers.NSGAIISampler(seed=seed)
    study = optuna.create_study(directions=["minimize"] * m, sampler=sampler)
    study.optimize(lambda t: fn([t.suggest_float(f"x{i}", 0.0, 1.0) for i in range(d)]), n_trials=budget)
    return [list(t.values) for t in study.trials]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--functions", default="zdt1,zdt2,dtlz2")
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--budget", type=int, default=500)
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    runs = []
    for name in args.functions.split(","):
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            runs.append({"fn": name, "seed": seed, "values": run(name, seed, args.budget)})
    print(json.dumps({"optuna": optuna.__version__, "runs": runs}))


if __name__ == "__main__":
    main()
