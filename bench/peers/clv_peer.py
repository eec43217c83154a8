#!/usr/bin/env python3
"""lifetimes' BG/NBD on the same synthetic customers as `clv_speed`, for
bench/peers/clv_compare.sh.

Reads `x,t_x,T` (the CSV that `clv_speed --csv` writes), then times
BetaGeoFitter().fit(frequency, recency, T) and the per-customer predictions
conditional_expected_number_of_purchases_up_to_time(39, ...) and
conditional_probability_alive(...), and prints one JSON line:
{"tool":"lifetimes","version":..,"customers":N,"fit_ms":F,"predict_ms":P,
 "total_ms":F+P,"params":{..},"log_likelihood":L,"sum_expected_39":E,"sum_p_alive":A}
Reading the CSV is not timed.
"""

import importlib.metadata
import json
import sys
import time

import pandas as pd
from lifetimes import BetaGeoFitter


def main(path: str) -> None:
    data = pd.read_csv(path)
    x, t_x, t = data["x"], data["t_x"], data["T"]
    started = time.perf_counter()
    fitter = BetaGeoFitter().fit(x, t_x, t)
    fit_ms = (time.perf_counter() - started) * 1e3
    started = time.perf_counter()
    expected = fitter.conditional_expected_number_of_purchases_up_to_time(39.0, x, t_x, t)
    alive = fitter.conditional_probability_alive(x, t_x, t)
    predict_ms = (time.perf_counter() - started) * 1e3
    params = {k: float(v) for k, v in fitter.params_.items()}
    print(json.dumps({
        "tool": "lifetimes",
        "version": importlib.metadata.version("lifetimes"),
        "customers": len(data),
        "fit_ms": fit_ms,
        "predict_ms": predict_ms,
        "total_ms": fit_ms + predict_ms,
        "params": params,
        "log_likelihood": float(-fitter._negative_log_likelihood_ * len(data)),
        "sum_expected_39": float(expected.sum()),
        "sum_p_alive": float(alive.sum()),
    }))


if __name__ == "__main__":
    main(sys.argv[1])
