"""A typical in-process evaluator, a little sloppy on purpose: it checks that values are
non-negative but not that they are finite, and reports no score for an empty answer. Kaizen's
metric checks must catch what it lets through."""
import json
import os
import sys

sys.path.insert(0, os.getcwd())
with open("data.json") as f:
    limit = json.load(f)["max_values"]

import solve  # noqa: E402

values = solve.solve()
if not isinstance(values, list) or len(values) > limit or any(v < 0 for v in values):
    result = {"correct": False, "feedback": ("solve() must return at most %d non-negative numbers, got %r" % (limit, values))[:300]}
elif not values:
    result = {"correct": True}
else:
    result = {"score": float(sum(values)), "correct": True}
with open(os.environ["KAIZEN_RESULT"], "w") as f:
    json.dump(result, f)
