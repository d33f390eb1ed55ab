#!/usr/bin/env python3
"""Regenerate the model-evaluation fixtures and their golden values.

    python3 tests/golden/generate_eval.py

Writes prediction CSVs into tests/data/eval/ and the expected values into
tests/data/golden/eval.json, and copies the Seattle case to the page's
evaluation sample, web/sample/predictions.csv and web/sample/training.csv. Needs numpy, pandas, scikit-learn and fairlearn
(`pip install numpy pandas scikit-learn fairlearn`). Deterministic: every model
is fitted with a fixed random_state, every split is seeded, and the file records
the library versions it was made with. The Rust side reads the files in
crates/modelgate-core/tests/it/eval.rs.

The data are real public data bundled inside scikit-learn (no download):
load_breast_cancer, load_wine, load_iris, load_diabetes, plus the Seattle
weather sample already committed in web/sample/ (vega_datasets, NOAA public
domain). What is *not* real, and says so in the CSV's column name or here:

* `site` in breast_cancer.csv is a deterministic grouping (id modulo 3), used
  only to exercise the slice code on a categorical column;
* the `timestamp` columns of breast_cancer.csv and diabetes_binary.csv are
  synthetic: test rows in file order get consecutive days from 2024-01-01.
  Seattle's `date` is the real observation date.

What the golden values come from (all computed here, none by modelgate):

* classification and regression metrics: sklearn.metrics, called exactly as
  documented in crates/modelgate-core/src/eval/metrics.rs;
* reliability curve: sklearn.calibration.calibration_curve(strategy="uniform",
  n_bins=10); the expected calibration error is the bin-size-weighted mean of
  |fraction of positives - mean predicted probability| over those same bins,
  computed here in numpy (scikit-learn has no ECE function). Multiclass uses the
  top-label confidence (the largest probability, correct = argmax equals label);
* majority-class baseline: DummyClassifier(strategy="prior") (predicts the most
  frequent training class, probabilities the training class shares);
* stratified and uniform random baselines: their *expected* metrics. Each test
  row is expanded into one row per class k with sample weight p_k (training
  class shares, or 1/K), and sklearn's metrics are called with those weights.
  That gives accuracy, balanced accuracy and recall as exact expectations, and
  precision and F1 of the expected confusion matrix (modelgate's stated
  definition). The uniform baseline's probability metrics use the constant
  probabilities 1/K (DummyClassifier(strategy="uniform").predict_proba);
* decision-stump baseline: DecisionTreeClassifier / DecisionTreeRegressor with
  max_depth=1, random_state=0, fitted on each numeric feature of the training
  CSV alone; the feature whose split has the best impurity proxy wins, the
  first in column order on an exact tie (see best_stump);
* linear baselines: make_pipeline(StandardScaler(), LogisticRegression(C=1.0)),
  the optimum scikit-learn's default lbfgs solver converges to, computed here
  with solver="newton-cholesky" and tol=1e-14 (the objective is the same and
  strictly convex, so the optimum is too; lbfgs with its default tol=1e-4 stops
  short of it, by the "default_lbfgs_max_coefficient_deviation" recorded per
  case), and plain LinearRegression() for regression;
* mean / median baselines: DummyRegressor(strategy="mean" / "median");
  last-value baseline: numpy (previous row's label in timestamp order, the
  training mean for the first row);
* gain: Deepchecks' get_gain (deepchecks/utils/metrics.py), restated below;
* bootstrap: modelgate's generator (xoshiro256** seeded by splitmix64,
  index = (next_u64 * n) >> 64) restated in Python below, percentiles by
  numpy's default linear method;
* fairness: fairlearn.metrics (demographic parity difference and ratio, equal
  opportunity difference, equalized odds difference) and MetricFrame per group;
* time: pandas grouping by calendar day, ISO week (Monday) or month, metrics by
  sklearn per period, trend by numpy.polyfit(deg=1).

Numbers in the CSVs are written with Python's repr (shortest round-trip), so
Rust parses the very same float64 bits.
"""

from __future__ import annotations

import csv
import json
import math
import sys
import warnings
from pathlib import Path

import fairlearn
import fairlearn.metrics as fm
import numpy as np
import pandas as pd
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler, label_binarize
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn import metrics as skm

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "tests" / "data" / "eval"
GOLDEN = ROOT / "tests" / "data" / "golden" / "eval.json"
GENERATOR = "tests/golden/generate_eval.py"

MAX_GAIN = 50.0
LINEAR_MAX_FEATURES = 10
BOOTSTRAP_SEED = 42
BOOTSTRAP_RESAMPLES = 200
CONFIDENCE = 0.95
MIN_PERIOD_ROWS = 20

HIGHER_IS_BETTER = {
    "accuracy", "balanced_accuracy", "precision", "recall", "f1",
    "precision_macro", "recall_macro", "f1_macro", "precision_weighted", "recall_weighted", "f1_weighted",
    "roc_auc", "pr_auc", "roc_auc_ovr_macro", "roc_auc_ovr_weighted", "roc_auc_ovo_macro", "pr_auc_macro", "r2",
}
PERFECT = {name: 1.0 for name in HIGHER_IS_BETTER}


def fnum(x) -> str:
    return repr(float(x))


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for row in rows:
            w.writerow(row)


def cell(v) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    v = float(v)
    # modelgate keys a number by its shortest round-trip spelling without a
    # trailing ".0" (Rust's Display), so 1.0 is "1".
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return fnum(v)


# ---------------------------------------------------------------------------
# Deepchecks' gain, restated (deepchecks/utils/metrics.py, get_gain)
# ---------------------------------------------------------------------------


def gain(metric: str, model: float | None, base: float | None) -> float | None:
    if model is None or base is None:
        return None
    if metric in HIGHER_IS_BETTER:
        score, base_score, perfect = model, base, PERFECT[metric]
    else:  # a loss: deepchecks scores it negated, perfect 0
        score, base_score, perfect = -model, -base, 0.0
    distance = perfect - base_score
    diff = score - base_score
    if distance == 0:
        return 0.0 if diff == 0 else -MAX_GAIN
    return float(min(max(diff / distance, -MAX_GAIN), MAX_GAIN))


# ---------------------------------------------------------------------------
# The seeded generator, restated (crates/modelgate-core/src/eval/rng.rs)
# ---------------------------------------------------------------------------

MASK = (1 << 64) - 1


class Xoshiro:
    def __init__(self, seed: int):
        x = seed & MASK
        self.s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & MASK
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            self.s.append(z ^ (z >> 31))

    @staticmethod
    def rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & MASK

    def next(self) -> int:
        s = self.s
        result = (self.rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = self.rotl(s[3], 45)
        return result

    def below(self, n: int) -> int:
        return (self.next() * n) >> 64


def bootstrap_indices(n: int, resamples: int, seed: int) -> list[np.ndarray]:
    rng = Xoshiro(seed)
    return [np.array([rng.below(n) for _ in range(n)]) for _ in range(resamples)]


# ---------------------------------------------------------------------------
# Metrics
# ---------------------------------------------------------------------------


def none_if_nan(x):
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def label_metrics(y, pred, positive=None, sample_weight=None) -> dict:
    """Metrics of hard predictions (labels), as modelgate reports them."""
    sw = sample_weight
    out = {
        "accuracy": skm.accuracy_score(y, pred, sample_weight=sw),
        "balanced_accuracy": skm.balanced_accuracy_score(y, pred, sample_weight=sw),
    }
    for avg in ("macro", "weighted"):
        p, r, f, _ = skm.precision_recall_fscore_support(y, pred, average=avg, zero_division=0, sample_weight=sw)
        out[f"precision_{avg}"], out[f"recall_{avg}"], out[f"f1_{avg}"] = p, r, f
    if positive is not None:
        p, r, f, _ = skm.precision_recall_fscore_support(
            y, pred, average="binary", pos_label=positive, zero_division=0, sample_weight=sw
        )
        out["precision"], out["recall"], out["f1"] = p, r, f
    return {k: float(v) for k, v in out.items()}


def calibration(y_correct, conf, n_bins=10) -> dict:
    prob_true, prob_pred = calibration_curve(y_correct, conf, n_bins=n_bins, strategy="uniform", pos_label=1)
    bins = np.linspace(0.0, 1.0, n_bins + 1)
    ids = np.searchsorted(bins[1:-1], conf)
    counts = np.bincount(ids, minlength=n_bins)
    nonzero = counts != 0
    ece = float(np.sum(counts[nonzero] / len(conf) * np.abs(prob_true - prob_pred)))
    return {
        "bins": [int(i) for i in np.nonzero(nonzero)[0]],
        "counts": [int(c) for c in counts[nonzero]],
        "fraction_positive": [float(v) for v in prob_true],
        "mean_predicted": [float(v) for v in prob_pred],
        "ece": ece,
    }


def proba_metrics_binary(y, score, positive) -> dict:
    yb = (np.asarray(y) == positive).astype(int)
    out = {
        "roc_auc": skm.roc_auc_score(yb, score) if len(set(yb)) == 2 else None,
        "pr_auc": skm.average_precision_score(yb, score),
        "log_loss": skm.log_loss(yb, score, labels=[0, 1]),
        "brier": skm.brier_score_loss(yb, score, pos_label=1),
    }
    cal = calibration(yb, np.asarray(score, dtype=float))
    out["ece"] = cal["ece"]
    return {k: none_if_nan(v) for k, v in out.items()}, cal


def proba_metrics_multi(y, proba, classes) -> tuple[dict, dict]:
    y = np.asarray(y)
    out = {
        "roc_auc_ovr_macro": skm.roc_auc_score(y, proba, multi_class="ovr", average="macro", labels=classes),
        "roc_auc_ovr_weighted": skm.roc_auc_score(y, proba, multi_class="ovr", average="weighted", labels=classes),
        "roc_auc_ovo_macro": skm.roc_auc_score(y, proba, multi_class="ovo", average="macro", labels=classes),
        "pr_auc_macro": skm.average_precision_score(label_binarize(y, classes=classes), proba, average="macro"),
        "log_loss": skm.log_loss(y, proba, labels=classes),
        "brier": skm.brier_score_loss(y, proba, labels=classes),
    }
    top = np.argmax(proba, axis=1)
    correct = (np.asarray(classes, dtype=object)[top] == y).astype(int)
    cal = calibration(correct, np.max(proba, axis=1))
    out["ece"] = cal["ece"]
    return {k: none_if_nan(v) for k, v in out.items()}, cal


def classification_metrics(y, pred, proba, classes, positive) -> tuple[dict, dict | None]:
    """proba: (n, K) in `classes` order, or None."""
    binary = len(classes) == 2
    m = label_metrics(y, pred, positive if binary else None)
    cal = None
    if proba is not None:
        if binary:
            pm, cal = proba_metrics_binary(y, proba[:, classes.index(positive)], positive)
        else:
            pm, cal = proba_metrics_multi(y, proba, classes)
        m.update(pm)
    return m, cal


def regression_metrics(y, pred) -> dict:
    y = np.asarray(y, dtype=float)
    pred = np.asarray(pred, dtype=float)
    return {
        "mae": float(skm.mean_absolute_error(y, pred)),
        "mse": float(skm.mean_squared_error(y, pred)),
        "rmse": float(skm.root_mean_squared_error(y, pred)),
        "r2": float(skm.r2_score(y, pred)),
        "mape": float(skm.mean_absolute_percentage_error(y, pred)),
        "median_ae": float(skm.median_absolute_error(y, pred)),
        "max_error": float(skm.max_error(y, pred)),
    }


def residuals(y, pred) -> dict:
    r = np.asarray(y, dtype=float) - np.asarray(pred, dtype=float)
    counts, edges = np.histogram(r, bins=10)
    return {
        "mean": float(np.mean(r)),
        "std": float(np.std(r)),
        "quantiles": {str(q): float(np.quantile(r, q)) for q in (0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0)},
        "histogram_edges": [float(e) for e in edges],
        "histogram_counts": [int(c) for c in counts],
    }


def expected_label_metrics(y, shares: dict, positive) -> dict:
    """Expected metrics of a random predictor drawing class k with probability shares[k]."""
    ys, ps, ws = [], [], []
    for yi in y:
        for k, p in shares.items():
            if p > 0:
                ys.append(yi)
                ps.append(k)
                ws.append(p)
    return label_metrics(np.array(ys), np.array(ps), positive, np.array(ws))


# ---------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------


def feature_frame(bunch) -> pd.DataFrame:
    names = [n.replace(" ", "_") for n in bunch.feature_names]
    return pd.DataFrame(bunch.data, columns=names)


def classification_case(
    name: str,
    X: pd.DataFrame,
    y: np.ndarray,
    model,
    *,
    csv_features: list[str],
    extra_train: dict | None = None,
    extra_test: dict | None = None,
    positive=None,
    slices: list[str] | None = None,
    sensitive: str | None = None,
    timestamp: bool = False,
    period: str | None = None,
    bootstrap: bool = False,
    test_size=0.3,
    split_seed=0,
    label_name="label",
    proba_prefix="proba_",
) -> dict:
    options = {"seed": BOOTSTRAP_SEED, "resamples": BOOTSTRAP_RESAMPLES if bootstrap else 0}
    if label_name != "label":
        options["label"] = label_name
    if slices:
        options["slices"] = slices
    if sensitive:
        options["sensitive"] = sensitive
    if period:
        options["period"] = period
    if timestamp:
        # 133 test rows on consecutive days: weeks of 7 rows.
        options["min_period_rows"] = 5
    idx = np.arange(len(y))
    tr, te = train_test_split(idx, test_size=test_size, random_state=split_seed, stratify=y)
    tr, te = np.sort(tr), np.sort(te)
    model.fit(X.iloc[tr], y[tr])
    classes = [c for c in model.classes_]
    classes_s = [str(c) for c in classes]
    proba = model.predict_proba(X.iloc[te])
    pred = model.predict(X.iloc[te])
    y_te = y[te]
    binary = len(classes) == 2
    if binary and positive is None:
        positive = classes[1]

    extra_train = extra_train or {}
    extra_test = extra_test or {}

    # The training CSV: id, the CSV features, extras, label.
    train_header = ["id", *csv_features, *extra_train.keys(), label_name]
    train_rows = []
    for j, i in enumerate(tr):
        train_rows.append(
            [str(i), *(cell(X.iloc[i][f]) for f in csv_features), *(cell(v[j]) for v in extra_train.values()), cell(y[i])]
        )
    write_csv(DATA_DIR / f"{name}_train.csv", train_header, train_rows)

    ts = None
    if timestamp:
        ts = pd.date_range("2024-01-01", periods=len(te), freq="D")
    header = ["id"]
    if ts is not None:
        header.append("timestamp")
    header += [*csv_features, *extra_test.keys(), label_name, "prediction"]
    if binary:
        header.append("score")
    else:
        header += [f"{proba_prefix}{c}" for c in classes_s]
    rows = []
    for j, i in enumerate(te):
        row = [str(i)]
        if ts is not None:
            row.append(ts[j].strftime("%Y-%m-%d"))
        row += [cell(X.iloc[i][f]) for f in csv_features]
        row += [cell(v[j]) for v in extra_test.values()]
        row += [cell(y[i]), cell(pred[j])]
        if binary:
            row.append(fnum(proba[j, classes.index(positive)]))
        else:
            row += [fnum(p) for p in proba[j]]
        rows.append(row)
    write_csv(DATA_DIR / f"{name}.csv", header, rows)

    metrics, cal = classification_metrics(y_te, pred, proba, classes, positive)
    cm = skm.confusion_matrix(y_te, pred, labels=sorted(set(y_te) | set(pred)))
    labels_present = sorted(set(y_te) | set(pred))
    p, r, f, s = skm.precision_recall_fscore_support(y_te, pred, labels=labels_present, zero_division=0)
    per_class = [
        {"class": str(c), "precision": float(p[k]), "recall": float(r[k]), "f1": float(f[k]), "support": int(s[k])}
        for k, c in enumerate(labels_present)
    ]

    # ---- baselines, fitted on the training CSV
    Xtr = X.iloc[tr][csv_features].to_numpy()
    Xte = X.iloc[te][csv_features].to_numpy()
    ytr = y[tr]
    baselines = {}

    dummy = DummyClassifier(strategy="prior").fit(Xtr, ytr)
    bm, _ = classification_metrics(y_te, dummy.predict(Xte), dummy.predict_proba(Xte), classes, positive)
    baselines["majority"] = {"metrics": bm, "predicts": str(dummy.predict(Xte[:1])[0])}

    prior = dict(zip(dummy.classes_, dummy.class_prior_))
    sm = expected_label_metrics(y_te, prior, positive if binary else None)
    baselines["stratified"] = {"metrics": sm}

    uni = {c: 1.0 / len(dummy.classes_) for c in dummy.classes_}
    um = expected_label_metrics(y_te, uni, positive if binary else None)
    uprob = DummyClassifier(strategy="uniform").fit(Xtr, ytr).predict_proba(Xte)
    if binary:
        upm, _ = proba_metrics_binary(y_te, uprob[:, 1], positive)
    else:
        upm, _ = proba_metrics_multi(y_te, uprob, classes)
    um.update(upm)
    baselines["uniform"] = {"metrics": um}

    tree, tj = best_stump(lambda: DecisionTreeClassifier(max_depth=1, random_state=0), Xtr, ytr)
    tree_pred = tree.predict(Xte[:, [tj]])
    tm, _ = classification_metrics(y_te, tree_pred, tree.predict_proba(Xte[:, [tj]]), classes, positive)
    baselines["stump"] = {
        "metrics": tm,
        "feature": csv_features[tj],
        "threshold": float(tree.tree_.threshold[0]),
    }

    lin_features = csv_features[:LINEAR_MAX_FEATURES]
    logit = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, solver="newton-cholesky", tol=1e-14, max_iter=1000))
    default = make_pipeline(StandardScaler(), LogisticRegression(C=1.0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logit.fit(X.iloc[tr][lin_features].to_numpy(), ytr)
        default.fit(X.iloc[tr][lin_features].to_numpy(), ytr)
    lproba = logit.predict_proba(X.iloc[te][lin_features].to_numpy())
    lm, _ = classification_metrics(y_te, logit.predict(X.iloc[te][lin_features].to_numpy()), lproba, classes, positive)
    lr = logit[-1]
    baselines["linear"] = {
        "metrics": lm,
        "features": lin_features,
        "coefficients": lr.coef_.tolist(),
        "intercept": lr.intercept_.tolist(),
        "probabilities": lproba.tolist(),
        "default_lbfgs_max_coefficient_deviation": float(np.max(np.abs(default[-1].coef_ - lr.coef_))),
    }
    for b in baselines.values():
        b["gain"] = {k: gain(k, metrics.get(k), v) for k, v in b["metrics"].items()}

    case = {
        "name": name,
        "task": "binary" if binary else "multiclass",
        "predictions": f"tests/data/eval/{name}.csv",
        "train": f"tests/data/eval/{name}_train.csv",
        "rows": int(len(te)),
        "classes": classes_s,
        "positive_class": str(positive) if binary else None,
        "metrics": metrics,
        "per_class": per_class,
        "confusion_labels": [str(c) for c in labels_present],
        "confusion_matrix": cm.tolist(),
        "calibration": cal,
        "baselines": baselines,
        "features": csv_features,
        "options": options,
    }

    if bootstrap:
        case["bootstrap"] = bootstrap_classification(y_te, pred, dummy, prior, uni, tree_pred, Xte, logit, X.iloc[te][lin_features].to_numpy())

    frame = pd.DataFrame({"y": y_te, "pred": pred})
    for k, v in extra_test.items():
        frame[k] = v
    for f in csv_features:
        frame[f] = X.iloc[te][f].to_numpy()
    if slices:
        case["slices"] = slice_goldens(frame, slices, lambda g: float(skm.accuracy_score(g["y"], g["pred"])))
    if sensitive:
        case["fairness"] = fairness_golden(frame, sensitive, positive)
    if ts is not None:
        frame["ts"] = ts
        case["time"] = time_golden(frame, period, lambda g: float(skm.accuracy_score(g["y"], g["pred"])), higher=True,
                                   min_rows=options["min_period_rows"])
    return case


def best_stump(make, Xtr: np.ndarray, ytr: np.ndarray):
    """The best single-feature depth-1 tree: sklearn's split on each feature alone,
    the feature with the largest proxy improvement -(n_left * impurity_left +
    n_right * impurity_right) wins, the first in column order on an exact tie.
    (A depth-1 tree on all features at once breaks exact ties by a random
    feature order instead; on iris, petal length and width tie exactly.)"""
    best, best_proxy, best_j = None, -np.inf, None
    for j in range(Xtr.shape[1]):
        tree = make().fit(Xtr[:, [j]], ytr)
        t = tree.tree_
        if t.node_count < 3:
            continue
        l, r = t.children_left[0], t.children_right[0]
        proxy = -t.weighted_n_node_samples[r] * t.impurity[r] - t.weighted_n_node_samples[l] * t.impurity[l]
        if proxy > best_proxy:
            best, best_proxy, best_j = tree, proxy, j
    return best, best_j


def bootstrap_classification(y, pred, dummy, prior, uni, tree_pred, Xte, logit, Xlin) -> dict:
    """Accuracy differences model - baseline over seeded resamples."""
    y = np.asarray(y)
    n = len(y)
    correct = (pred == y).astype(float)
    per_row = {
        "majority": (dummy.predict(Xte) == y).astype(float),
        "stratified": np.array([prior.get(v, 0.0) for v in y]),
        "uniform": np.array([uni.get(v, 0.0) for v in y]),
        "stump": (tree_pred == y).astype(float),
        "linear": (logit.predict(Xlin) == y).astype(float),
    }
    diffs = {k: [] for k in per_row}
    for idx in bootstrap_indices(n, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED):
        model_acc = float(np.sum(correct[idx])) / n
        for k, v in per_row.items():
            diffs[k].append(model_acc - float(np.sum(v[idx])) / n)
    alpha = (1.0 - CONFIDENCE) / 2.0
    return {
        "seed": BOOTSTRAP_SEED,
        "resamples": BOOTSTRAP_RESAMPLES,
        "confidence": CONFIDENCE,
        "metric": "accuracy",
        "first_indices": [int(i) for i in bootstrap_indices(n, 1, BOOTSTRAP_SEED)[0][:10]],
        "ci": {k: [float(np.quantile(d, alpha)), float(np.quantile(d, 1.0 - alpha))] for k, d in diffs.items()},
    }


# ---------------------------------------------------------------------------
# Slices, fairness, time
# ---------------------------------------------------------------------------


def group_values(frame: pd.DataFrame, column: str, bins: int = 4, max_categories: int = 10):
    """modelgate's grouping: categories for text and for numbers with few distinct values,
    otherwise quantile bins (-inf, e1), [e1, e2), ..., [ek, inf) on np.quantile edges."""
    v = frame[column]
    if v.dtype == object or v.nunique() <= max_categories:
        return None, v.map(lambda x: cell(x))
    qs = [k / bins for k in range(1, bins)]
    edges = list(dict.fromkeys(float(np.quantile(v.to_numpy(dtype=float), q)) for q in qs))
    ids = np.searchsorted(np.array(edges), v.to_numpy(dtype=float), side="right")
    return edges, pd.Series(ids, index=v.index).map(lambda k: f"bin{k}")


def slice_goldens(frame, columns, metric) -> dict:
    out = {}
    for c in columns:
        edges, keys = group_values(frame, c)
        groups = {}
        for key, g in frame.groupby(keys, sort=False):
            groups[key] = {"rows": int(len(g)), "value": metric(g)}
        out[c] = {"edges": edges, "groups": groups}
    return out


def fairness_golden(frame, sensitive, positive) -> dict:
    edges, keys = group_values(frame, sensitive)
    yb = (frame["y"] == positive).astype(int).to_numpy()
    pb = (frame["pred"] == positive).astype(int).to_numpy()
    sf = keys.to_numpy()
    mf = fm.MetricFrame(
        metrics={
            "selection_rate": fm.selection_rate,
            "true_positive_rate": fm.true_positive_rate,
            "false_positive_rate": fm.false_positive_rate,
            "accuracy": skm.accuracy_score,
        },
        y_true=yb,
        y_pred=pb,
        sensitive_features=sf,
    )
    by_group = mf.by_group
    return {
        "edges": edges,
        "demographic_parity_difference": float(fm.demographic_parity_difference(yb, pb, sensitive_features=sf)),
        "demographic_parity_ratio": float(fm.demographic_parity_ratio(yb, pb, sensitive_features=sf)),
        "equal_opportunity_difference": float(fm.equal_opportunity_difference(yb, pb, sensitive_features=sf)),
        "equalized_odds_difference": float(fm.equalized_odds_difference(yb, pb, sensitive_features=sf)),
        "groups": {
            str(g): {k: float(by_group.loc[g, k]) for k in by_group.columns} | {"rows": int(np.sum(sf == g))}
            for g in by_group.index
        },
    }


def period_keys(ts: pd.Series, period: str) -> pd.Series:
    if period == "day":
        return ts.dt.strftime("%Y-%m-%d")
    if period == "week":
        monday = ts - pd.to_timedelta(ts.dt.day_of_week, unit="D")
        return monday.dt.strftime("%Y-%m-%d")
    return ts.dt.strftime("%Y-%m")


def time_golden(frame, period, metric, higher: bool, min_rows: int, extra=(), drop: float = 0.05) -> dict:
    """Periods with fewer than min_rows rows are listed but not used for the trend
    or the drop; the trend's x is the period's position in the full list. The
    automatic period is the finest whose median period size reaches min_rows."""
    out = {}
    auto = "month"
    for p in ("day", "week"):
        if float(np.median(frame.groupby(period_keys(frame["ts"], p)).size().to_numpy())) >= min_rows:
            auto = p
            break
    for p in sorted({auto, period or auto, *extra}):
        keys = period_keys(frame["ts"], p)
        periods = []
        for key, g in frame.groupby(keys, sort=True):
            periods.append({"period": key, "rows": int(len(g)), "value": metric(g)})
        used = [(i, q) for i, q in enumerate(periods) if q["rows"] >= min_rows]
        x = np.array([i for i, _ in used], dtype=float)
        values = np.array([q["value"] for _, q in used])
        slope = float(np.polyfit(x, values, 1)[0]) if len(used) >= 2 else None
        degraded = None
        if used:
            first = values[0]
            limit = first * (1 - drop) if higher else first * (1 + drop)
            for (i, q), v in zip(used[1:], values[1:]):
                if (v < limit) if higher else (v > limit):
                    degraded = q["period"]
                    break
        out[p] = {
            "periods": periods,
            "slope": slope,
            "first_period": used[0][1]["period"] if used else None,
            "degraded_period": degraded,
        }
    return {"auto_period": auto, "by_period": out}


# ---------------------------------------------------------------------------
# Regression
# ---------------------------------------------------------------------------


def regression_case(name, Xtr, ytr, Xte, yte, model, *, ts_test=None, ts_train=None, slices=None, period=None,
                    extra_test=None, ids_train=None, ids_test=None, bootstrap=False) -> dict:
    features = list(Xtr.columns)
    options = {"seed": BOOTSTRAP_SEED, "resamples": BOOTSTRAP_RESAMPLES if bootstrap else 0}
    if slices:
        options["slices"] = slices
    if period:
        options["period"] = period
    model.fit(Xtr, ytr)
    pred = model.predict(Xte)
    extra_test = extra_test or {}

    train_header = ["id", *(["date"] if ts_train is not None else []), *features, "target"]
    rows = []
    for j in range(len(ytr)):
        rows.append([str(ids_train[j]), *([ts_train[j]] if ts_train is not None else []),
                     *(cell(Xtr.iloc[j][f]) for f in features), cell(ytr[j])])
    write_csv(DATA_DIR / f"{name}_train.csv", train_header, rows)

    header = ["id", *(["date"] if ts_test is not None else []), *features, *extra_test.keys(), "target", "prediction"]
    rows = []
    for j in range(len(yte)):
        rows.append([str(ids_test[j]), *([ts_test[j]] if ts_test is not None else []),
                     *(cell(Xte.iloc[j][f]) for f in features), *(cell(v[j]) for v in extra_test.values()),
                     cell(yte[j]), fnum(pred[j])])
    write_csv(DATA_DIR / f"{name}.csv", header, rows)

    metrics = regression_metrics(yte, pred)
    baselines = {}
    mean = DummyRegressor(strategy="mean").fit(Xtr, ytr)
    baselines["mean"] = {"metrics": regression_metrics(yte, mean.predict(Xte)), "value": float(mean.constant_[0][0])}
    med = DummyRegressor(strategy="median").fit(Xtr, ytr)
    baselines["median"] = {"metrics": regression_metrics(yte, med.predict(Xte)), "value": float(med.constant_[0][0])}
    if ts_test is not None:
        order = np.argsort(pd.to_datetime(pd.Series(ts_test).str.replace("/", "-")).to_numpy(), kind="stable")
        last = np.empty(len(yte))
        last[order[0]] = float(np.mean(ytr))
        for a, b in zip(order[:-1], order[1:]):
            last[b] = yte[a]
        baselines["last_value"] = {"metrics": regression_metrics(yte, last)}
    tree, tj = best_stump(lambda: DecisionTreeRegressor(max_depth=1, random_state=0), Xtr.to_numpy(), ytr)
    tree_pred = tree.predict(Xte.to_numpy()[:, [tj]])
    baselines["stump"] = {
        "metrics": regression_metrics(yte, tree_pred),
        "feature": features[tj],
        "threshold": float(tree.tree_.threshold[0]),
    }
    lin_features = features[:LINEAR_MAX_FEATURES]
    lin = LinearRegression().fit(Xtr[lin_features].to_numpy(), ytr)
    lpred = lin.predict(Xte[lin_features].to_numpy())
    baselines["linear"] = {
        "metrics": regression_metrics(yte, lpred),
        "features": lin_features,
        "coefficients": lin.coef_.tolist(),
        "intercept": float(lin.intercept_),
        "predictions": lpred.tolist(),
    }
    for b in baselines.values():
        b["gain"] = {k: gain(k, metrics[k], v) for k, v in b["metrics"].items()}

    case = {
        "name": name,
        "task": "regression",
        "predictions": f"tests/data/eval/{name}.csv",
        "train": f"tests/data/eval/{name}_train.csv",
        "rows": int(len(yte)),
        "metrics": metrics,
        "residuals": residuals(yte, pred),
        "baselines": baselines,
        "features": features,
        "options": options,
    }
    if bootstrap:
        abs_err = np.abs(yte - pred)
        per_row = {
            "mean": np.abs(yte - mean.predict(Xte)),
            "median": np.abs(yte - med.predict(Xte)),
            "stump": np.abs(yte - tree_pred),
            "linear": np.abs(yte - lpred),
        }
        if ts_test is not None:
            per_row["last_value"] = np.abs(yte - last)
        n = len(yte)
        diffs = {k: [] for k in per_row}
        for idx in bootstrap_indices(n, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED):
            model_mae = float(np.mean(abs_err[idx]))
            for k, v in per_row.items():
                diffs[k].append(float(np.mean(v[idx])) - model_mae)
        alpha = (1.0 - CONFIDENCE) / 2.0
        case["bootstrap"] = {
            "seed": BOOTSTRAP_SEED,
            "resamples": BOOTSTRAP_RESAMPLES,
            "confidence": CONFIDENCE,
            "metric": "mae",
            "ci": {k: [float(np.quantile(d, alpha)), float(np.quantile(d, 1.0 - alpha))] for k, d in diffs.items()},
        }
    frame = pd.DataFrame({"y": yte, "pred": pred})
    for f in features:
        frame[f] = Xte[f].to_numpy()
    for k, v in extra_test.items():
        frame[k] = v
    if slices:
        case["slices"] = slice_goldens(frame, slices, lambda g: float(skm.mean_absolute_error(g["y"], g["pred"])))
    if ts_test is not None:
        frame["ts"] = pd.to_datetime(pd.Series(ts_test).str.replace("/", "-"))
        case["time"] = time_golden(frame, period, lambda g: float(skm.mean_absolute_error(g["y"], g["pred"])), higher=False,
                                   min_rows=MIN_PERIOD_ROWS, extra=("week",))
    return case


def seattle_case() -> dict:
    """Tomorrow's maximum temperature from today's weather: fitted on 2012-2013, scored on 2015."""
    ref = pd.read_csv(ROOT / "web" / "sample" / "reference.csv", dtype=str)
    cur = pd.read_csv(ROOT / "web" / "sample" / "current.csv", dtype=str)

    def frame(df):
        out = pd.DataFrame({f: df[f].astype(float) for f in ("precipitation", "temp_max", "temp_min", "wind")})
        out["target"] = out["temp_max"].shift(-1)
        out["date"] = df["date"]
        return out.iloc[:-1].reset_index(drop=True)

    tr, te = frame(ref), frame(cur)
    feats = ["precipitation", "temp_max", "temp_min", "wind"]
    model = RandomForestRegressor(n_estimators=30, max_depth=5, random_state=0)
    return regression_case(
        "seattle_temp",
        tr[feats], tr["target"].to_numpy(), te[feats], te["target"].to_numpy(), model,
        ts_test=te["date"].tolist(), ts_train=tr["date"].tolist(),
        ids_train=list(range(len(tr))), ids_test=list(range(len(te))),
        period="month", bootstrap=True,
    )


def diabetes_regression_case() -> dict:
    d = load_diabetes(scaled=False)
    X = feature_frame(d)
    y = d.target.astype(float)
    tr, te = train_test_split(np.arange(len(y)), test_size=0.3, random_state=1)
    tr, te = np.sort(tr), np.sort(te)
    model = RandomForestRegressor(n_estimators=40, max_depth=4, random_state=0)
    return regression_case(
        "diabetes_regression", X.iloc[tr].reset_index(drop=True), y[tr], X.iloc[te].reset_index(drop=True), y[te],
        model, slices=["sex", "bmi"], ids_train=list(tr), ids_test=list(te),
    )


def main() -> int:
    cases = []

    d = load_diabetes(scaled=False)
    X = feature_frame(d)
    # Binary: disease progression above the median of the whole set (a real label, thresholded).
    y = (d.target > np.median(d.target)).astype(int)
    idx = np.arange(len(y))
    _, te = train_test_split(idx, test_size=0.3, random_state=0, stratify=y)
    cases.append(
        classification_case(
            "diabetes_binary", X, y,
            make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=1000)),
            csv_features=["age", "sex", "bmi", "bp", "s1", "s5"],
            slices=["sex", "age", "bmi"], sensitive="sex", timestamp=True, period="week", bootstrap=True,
        )
    )

    bc = load_breast_cancer()
    Xb = feature_frame(bc)
    yb = bc.target
    _, te_b = train_test_split(np.arange(len(yb)), test_size=0.3, random_state=0, stratify=yb)
    site_test = [f"site_{i % 3}" for i in np.sort(te_b)]
    cases.append(
        classification_case(
            "breast_cancer", Xb, yb, GaussianNB(),
            csv_features=["mean_radius", "mean_texture", "mean_smoothness", "mean_concave_points", "worst_area",
                          "worst_concavity"],
            extra_test={"site": site_test}, slices=["site", "mean_radius"],
        )
    )

    w = load_wine()
    cases.append(
        classification_case(
            "wine", feature_frame(w), w.target, RandomForestClassifier(n_estimators=25, max_depth=3, random_state=0),
            csv_features=["alcohol", "malic_acid", "flavanoids", "color_intensity", "proline"],
        )
    )

    ir = load_iris()
    names = np.array(ir.target_names)[ir.target].astype(object)
    Xi = pd.DataFrame(ir.data, columns=["sepal_length", "sepal_width", "petal_length", "petal_width"])
    cases.append(
        classification_case(
            "iris", Xi, names, KNeighborsClassifier(n_neighbors=5),
            csv_features=["sepal_length", "sepal_width", "petal_length", "petal_width"], label_name="species",
        )
    )

    cases.append(diabetes_regression_case())
    cases.append(seattle_case())

    payload = {
        "generator": GENERATOR,
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "fairlearn": fairlearn.__version__,
        "max_gain": MAX_GAIN,
        "log_loss_eps": float(np.finfo(np.float64).eps),
        "cases": cases,
    }
    # The page's evaluation sample is the Seattle case (web/sample/README.md).
    for src, dst in (("seattle_temp.csv", "predictions.csv"), ("seattle_temp_train.csv", "training.csv")):
        (ROOT / "web" / "sample" / dst).write_bytes((DATA_DIR / src).read_bytes())
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(json.dumps(payload, indent=1, allow_nan=False) + "\n")
    print(f"wrote {GOLDEN.relative_to(ROOT)} and {len(list(DATA_DIR.glob('*.csv')))} CSVs in {DATA_DIR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
