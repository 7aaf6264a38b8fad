"""The program Kaizen evolves: a model of y as a function of x.

Only the lines between the EVOLVE-BLOCK markers change; evaluate.py scores predict() against data
points of a curve it does not show. Try editing the block by hand, then run `python3 evaluate.py`.
"""
import math


def predict(x):
    """The model's estimate of y at x."""
    # EVOLVE-BLOCK-START
    a = 1.0
    b = 0.5
    c = 0.0
    d = 0.0
    return a * x * x + b * x + c + d * math.sin(2.0 * x)
    # EVOLVE-BLOCK-END
