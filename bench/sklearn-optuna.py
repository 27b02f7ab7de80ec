"""scikit-learn MLPClassifier tuned by Optuna TPE: the reference side of bench/automl-speed.

Reads the CSV and the train/validation row indices the Node side wrote (the same split), standardises
the features on the training rows, and runs N TPE trials; prints one JSON line with the wall time
and the best validation accuracy. Usage: python3 sklearn-optuna.py SPLIT.json TRIALS SEED
"""
import json
import sys
import time
import warnings

import numpy as np
import optuna
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore", category=ConvergenceWarning)
optuna.logging.set_verbosity(optuna.logging.WARNING)


def main():
    split_file, trials, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with open(split_file) as f:
        split = json.load(f)
    data = np.genfromtxt(split["csv"], delimiter=",", skip_header=1, dtype=str)
    x = data[:, :-1].astype(np.float64)
    y = data[:, -1]
    train, val = np.array(split["train"]), np.array(split["validation"])
    scaler = StandardScaler().fit(x[train])
    xt, xv = scaler.transform(x[train]), scaler.transform(x[val])
    yt, yv = y[train], y[val]

    def objective(trial):
        layers = trial.suggest_int("hidden_layers", 1, 3)
        units = trial.suggest_int("hidden_units", 16, 128, step=16)
        model = MLPClassifier(
            hidden_layer_sizes=(units,) * layers,
            activation=trial.suggest_categorical("activation", ["relu", "tanh"]),
            alpha=trial.suggest_float("alpha", 1e-6, 1e-2, log=True),
            learning_rate_init=trial.suggest_float("learning_rate", 1e-3, 5e-2, log=True),
            random_state=trial.number,
        )
        model.fit(xt, yt)
        return float((model.predict(xv) == yv).mean())

    started = time.perf_counter()
    cpu_started = time.process_time()
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed))
    study.optimize(objective, n_trials=trials)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(json.dumps({"wallSeconds": wall, "cpuSeconds": cpu, "best": study.best_value, "trials": len(study.trials), "sklearn": __import__("sklearn").__version__, "optuna": optuna.__version__}))


if __name__ == "__main__":
    main()
