#!/usr/bin/env python3
"""Scores model.py: how closely predict(x) follows a hidden curve. Standard library only.

The last line printed is the result Kaizen reads:
  {"score": ..., "correct": ..., "metrics": {...}, "feedback": "..."}
score is 1 / (1 + mean squared error): 1.0 is a perfect fit, 0.0 a model that fails to run.
"""
import importlib.util
import json
import math
import os
import sys
import traceback

sys.dont_write_bytecode = True  # keep candidates' directories free of __pycache__
HERE = os.path.dirname(os.path.abspath(__file__))


def hidden(x):
    return 0.8 * x * x - 1.3 * x + 2.0 + 0.25 * math.sin(2.0 * x)


POINTS = [round(-2.0 + 0.2 * i, 10) for i in range(26)]


def report(score, correct, metrics, feedback):
    print(json.dumps({"score": score, "correct": correct, "metrics": metrics, "feedback": feedback}))


def main():
    try:
        spec = importlib.util.spec_from_file_location("model", os.path.join(HERE, "model.py"))
        model = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(model)
        predictions = [float(model.predict(x)) for x in POINTS]
    except Exception:
        report(0.0, False, {}, "model.py failed:\n" + traceback.format_exc(limit=3))
        return
    for x, y in zip(POINTS, predictions):
        if not math.isfinite(y):
            report(0.0, False, {}, "predict(%g) returned %r; it must return a finite number" % (x, y))
            return
    errors = [(y - hidden(x)) ** 2 for x, y in zip(POINTS, predictions)]
    mse = sum(errors) / len(errors)
    if not math.isfinite(mse):
        report(0.0, False, {}, "the errors are too large to add up; predict() returns huge values")
        return
    worst = max(range(len(errors)), key=lambda i: errors[i])
    feedback = "mean squared error %.6g over %d points; the largest error, %.4g, is at x = %g (predicted %.4g, expected %.4g)" % (
        mse, len(POINTS), math.sqrt(errors[worst]), POINTS[worst], predictions[worst], hidden(POINTS[worst]))
    report(1.0 / (1.0 + mse), True, {"mse": mse, "max_abs_error": math.sqrt(errors[worst])}, feedback)


if __name__ == "__main__":
    sys.exit(main())
