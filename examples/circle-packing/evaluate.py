#!/usr/bin/env python3
"""Strict evaluator for the circle-packing example.

Usage: python3 evaluate.py [candidate.py]      (default: packing.py in the working
directory, which is the copy Kaizen made for the candidate)

Loads the candidate as a module in this process, calls its run_packing() under a time limit,
and checks what it returned, trusting none of the candidate's own code:

  * run_packing() returns (centers, radii) or (centers, radii, reported_sum);
  * exactly 26 centres, each an (x, y) pair, and exactly 26 radii;
  * every value is a finite real number: NaN, infinities, bools, strings, None are rejected;
  * every radius is >= 0;
  * every circle lies inside the unit square [0, 1] x [0, 1] (tolerance 1e-9);
  * no two circles overlap by more than 1e-9;
  * a reported sum equals the recomputed sum of the radii (within 1e-9).

The result is one JSON object, written to the file named by $KAIZEN_RESULT when that is set
and always printed as the last line of stdout:

  {"score": <sum of radii, 0 when invalid>, "correct": <bool>,
   "metrics": {"sum_radii": ..., "min_radius": ..., "validity": 1.0 | 0.0},
   "feedback": "<what was wrong, or a summary>"}

An invalid candidate, one that raises, and one that runs out of time all give
"correct": false with the reason in "feedback"; the evaluator itself still exits 0.
"""
import json
import math
import os
import signal
import sys
import types

N_CIRCLES = 26
TOLERANCE = 1e-9
TIME_LIMIT_S = 10.0
BEST_KNOWN = 2.635
MAX_LISTED = 5

# Bound before any candidate code runs, so a candidate that rebinds math.* cannot fool us.
_isfinite = math.isfinite
_isnan = math.isnan
_hypot = math.hypot
_fsum = math.fsum


class Invalid(Exception):
    """The candidate's output breaks a rule; the message says which."""


class _OutOfTime(BaseException):
    """Raised by the alarm; a BaseException so that `except Exception` in a candidate cannot swallow it."""


def _on_alarm(signum, frame):
    raise _OutOfTime()


def run_candidate(path):
    """Runs the candidate file as a fresh module (like an import) and returns run_packing()'s result."""
    with open(path, "rb") as f:
        source = f.read()
    module = types.ModuleType("kaizen_candidate")
    module.__file__ = os.path.abspath(path)
    sys.modules[module.__name__] = module  # so that dataclasses, pickle and friends can find it
    exec(compile(source, path, "exec"), module.__dict__)
    entry = module.__dict__.get("run_packing")
    if not callable(entry):
        raise AttributeError("%s defines no run_packing() function" % os.path.basename(path))
    return entry()


def _describe(value):
    return type(value).__name__


def _number(value, what):
    """A finite real number as a float, or Invalid naming `what`."""
    if isinstance(value, bool):
        raise Invalid("%s is a bool (%r), not a number" % (what, value))
    if not isinstance(value, (int, float)):
        raise Invalid("%s is not a number (got %s: %.60r)" % (what, _describe(value), value))
    x = float(value)
    if _isnan(x):
        raise Invalid("%s is NaN" % what)
    if not _isfinite(x):
        raise Invalid("%s is infinite (%r)" % (what, x))
    return x


def _sequence(value, what):
    if isinstance(value, (str, bytes, bytearray, dict, set, frozenset)) or not hasattr(value, "__len__"):
        raise Invalid("%s must be a list or tuple (got %s)" % (what, _describe(value)))
    try:
        return list(value)
    except Exception as e:  # a strange object with __len__ but no iteration
        raise Invalid("%s cannot be read as a list (%s)" % (what, e))


def _fmt(x):
    return "%.6g" % x


def _listed(problems):
    head = "; ".join(problems[:MAX_LISTED])
    if len(problems) > MAX_LISTED:
        head += "; and %d more" % (len(problems) - MAX_LISTED)
    return head


def validate(output):
    """Checks run_packing()'s output. Returns (xs, ys, rs, sum) or raises Invalid."""
    items = _sequence(output, "run_packing()'s result")
    if len(items) not in (2, 3):
        raise Invalid("run_packing() must return (centers, radii) or (centers, radii, sum_radii); "
                      "got %d values" % len(items))
    centers = _sequence(items[0], "centers")
    radii = _sequence(items[1], "radii")
    if len(centers) != N_CIRCLES:
        raise Invalid("expected %d circles, got %d centres" % (N_CIRCLES, len(centers)))
    if len(radii) != N_CIRCLES:
        raise Invalid("expected %d circles, got %d radii for %d centres" % (N_CIRCLES, len(radii), len(centers)))

    xs, ys, rs = [], [], []
    for i, c in enumerate(centers):
        pair = _sequence(c, "centre %d" % i)
        if len(pair) != 2:
            raise Invalid("centre %d must be an (x, y) pair, got %d values" % (i, len(pair)))
        xs.append(_number(pair[0], "centre %d x" % i))
        ys.append(_number(pair[1], "centre %d y" % i))
        rs.append(_number(radii[i], "radius %d" % i))

    problems = []
    negative = ["circle %d has negative radius %s" % (i, _fmt(r)) for i, r in enumerate(rs) if r < 0]
    if negative:
        problems.append("negative radius: " + _listed(negative))

    outside = []
    for i in range(N_CIRCLES):
        x, y, r = xs[i], ys[i], max(rs[i], 0.0)
        sides = []
        if x - r < -TOLERANCE:
            sides.append("x - r = %s < 0" % _fmt(x - r))
        if x + r > 1.0 + TOLERANCE:
            sides.append("x + r = %s > 1" % _fmt(x + r))
        if y - r < -TOLERANCE:
            sides.append("y - r = %s < 0" % _fmt(y - r))
        if y + r > 1.0 + TOLERANCE:
            sides.append("y + r = %s > 1" % _fmt(y + r))
        if sides:
            outside.append("circle %d (x=%s, y=%s, r=%s): %s"
                           % (i, _fmt(x), _fmt(y), _fmt(r), ", ".join(sides)))
    if outside:
        problems.append("outside the unit square: " + _listed(outside))

    overlaps = []
    for i in range(N_CIRCLES):
        for j in range(i + 1, N_CIRCLES):
            d = _hypot(xs[i] - xs[j], ys[i] - ys[j])
            excess = rs[i] + rs[j] - d
            if excess > TOLERANCE:
                overlaps.append("circles %d and %d overlap by %s (distance %s, r%d + r%d = %s)"
                                % (i, j, _fmt(excess), _fmt(d), i, j, _fmt(rs[i] + rs[j])))
    if overlaps:
        problems.append("overlap: " + _listed(overlaps))

    total = _fsum(rs)
    if len(items) == 3:
        try:
            reported = _number(items[2], "reported sum of radii")
        except Invalid as e:
            problems.append(str(e))
        else:
            if abs(reported - total) > TOLERANCE:
                problems.append("reported sum of radii %r does not match the recomputed sum %r"
                                % (reported, total))
    if problems:
        raise Invalid(" | ".join(problems))
    return xs, ys, rs, total


def result(score, correct, metrics, feedback):
    return {"score": score, "correct": correct, "metrics": metrics, "feedback": feedback}


def invalid(feedback):
    return result(0.0, False, {"sum_radii": 0.0, "min_radius": 0.0, "validity": 0.0}, feedback)


def _where(tb):
    """The innermost frame of the candidate file in a traceback, as ' (at packing.py line N in f)'."""
    import traceback  # only needed on failure; keeps the common path fast

    frames = [f for f in traceback.extract_tb(tb) if os.path.abspath(f.filename) != os.path.abspath(__file__)]
    if not frames:
        return ""
    f = frames[-1]
    return " (at %s line %s in %s)" % (os.path.basename(f.filename), f.lineno, f.name)


def evaluate(path, time_limit=TIME_LIMIT_S):
    """Runs and checks one candidate file; returns the result dict. Never raises."""
    use_alarm = time_limit and hasattr(signal, "setitimer") and hasattr(signal, "SIGALRM")
    previous = None
    saved_stdout = sys.stdout
    try:
        if use_alarm:
            previous = signal.signal(signal.SIGALRM, _on_alarm)
            signal.setitimer(signal.ITIMER_REAL, time_limit)
        # The candidate's own prints go to stderr so that our JSON stays the last stdout line.
        sys.stdout = sys.stderr
        try:
            output = run_candidate(path)
        finally:
            sys.stdout = saved_stdout
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
    except _OutOfTime:
        return invalid("candidate timed out after %g s" % time_limit)
    except BaseException as e:  # noqa: BLE001 - any failure of the candidate is a verdict, not a crash
        message = str(e).strip().splitlines()[0] if str(e).strip() else ""
        return invalid("candidate raised %s%s%s" % (type(e).__name__, ": " + message if message else "",
                                                  _where(e.__traceback__)))
    try:
        xs, ys, rs, total = validate(output)
    except Invalid as e:
        return invalid("invalid packing: %s" % e)
    except Exception as e:  # noqa: BLE001 - e.g. a candidate object whose __len__ raises
        return invalid("invalid packing: cannot read the result (%s: %s)" % (type(e).__name__, e))
    smallest = min(rs)
    zero = sum(1 for r in rs if r <= TOLERANCE)
    feedback = ("valid packing of %d circles: sum of radii %.6f (best known about %.3f, %.1f%% of it); "
                "smallest radius %.6f; largest radius %.6f"
                % (N_CIRCLES, total, BEST_KNOWN, 100.0 * total / BEST_KNOWN, smallest, max(rs)))
    if zero:
        feedback += "; %d circle%s with zero radius" % (zero, "" if zero == 1 else "s")
    return result(total, True, {"sum_radii": total, "min_radius": smallest, "validity": 1.0}, feedback)


def main(argv):
    path = argv[1] if len(argv) > 1 else "packing.py"
    try:
        res = evaluate(path)
        line = json.dumps(res, allow_nan=False)
    except Exception as e:  # noqa: BLE001 - last resort: still answer in the protocol
        line = json.dumps(invalid("evaluator error: %s: %s" % (type(e).__name__, e)))
    target = os.environ.get("KAIZEN_RESULT")
    if target:
        with open(target, "w", encoding="utf-8") as f:
            f.write(line + "\n")
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
