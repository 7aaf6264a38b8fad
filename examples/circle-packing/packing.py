"""Circle packing: 26 circles in the unit square, maximise the sum of their radii.

Kaizen evolves only the code between the EVOLVE-BLOCK markers. The block decides
where the 26 centres go (construct_packing) and, optionally, how large the
circles are (choose_radii). The fixed code turns centres into the largest radii
that a simple sound method can guarantee. evaluate.py checks the result on its
own, so nothing in this file is trusted.

Standard library only.
"""
import math

N_CIRCLES = 26


def add_row(centers, y, x0, dx, count):
    """Appends `count` centres at height y, from x0 rightwards, dx apart."""
    for k in range(count):
        centers.append([x0 + dx * k, y])


def nudge(centers, i, dx, dy):
    """Moves centre i (modulo the number of centres) by (dx, dy)."""
    c = centers[i % len(centers)]
    c[0] += dx
    c[1] += dy


# EVOLVE-BLOCK-START
def construct_packing():
    # Five staggered rows of 5, 5, 6, 5 and 5 centres, huddled in the middle of
    # the square (there is room to spread), then local nudges.
    centers = []
    add_row(centers, 0.3, 0.32, 0.09, 5)
    add_row(centers, 0.4, 0.36, 0.09, 5)
    add_row(centers, 0.5, 0.27, 0.09, 6)
    add_row(centers, 0.6, 0.36, 0.09, 5)
    add_row(centers, 0.7, 0.32, 0.09, 5)
    nudge(centers, 0, -0.02, -0.02)
    nudge(centers, 4, 0.02, -0.02)
    nudge(centers, 21, -0.02, 0.02)
    nudge(centers, 25, 0.02, 0.02)
    nudge(centers, 10, -0.01, 0.0)
    nudge(centers, 15, 0.01, 0.0)
    nudge(centers, 2, 0.0, -0.01)
    nudge(centers, 23, 0.0, 0.01)
    nudge(centers, 7, 0.01, 0.01)
    nudge(centers, 18, -0.01, -0.01)
    return centers[:26]


def choose_radii(centers):
    # The default is the sound greedy below. A smarter method may return its
    # own radii; the evaluator checks them just as strictly.
    return compute_max_radii(centers)
# EVOLVE-BLOCK-END


def compute_max_radii(centers):
    """Largest radii the greedy can guarantee for fixed centres.

    1. Each radius starts at the distance from its centre to the nearest side
       (zero for a centre outside the square).
    2. Every overlapping pair is shrunk proportionally until it just touches.
       One sweep suffices: radii only ever shrink, so a pair fixed earlier
       stays fixed.
    3. A few growth sweeps let each circle expand into the room its
       neighbours left, up to the nearest side or neighbour. Each step keeps
       the packing valid.
    Finally every radius is shrunk by a relative 1e-12 against rounding.
    """
    pts = [(float(c[0]), float(c[1])) for c in centers]
    n = len(pts)
    border = [max(0.0, min(x, y, 1.0 - x, 1.0 - y)) for x, y in pts]
    dist = [[math.hypot(xi - xj, yi - yj) for (xj, yj) in pts] for (xi, yi) in pts]
    radii = list(border)
    for i in range(n):
        for j in range(i + 1, n):
            total = radii[i] + radii[j]
            if total > dist[i][j]:
                scale = dist[i][j] / total
                radii[i] *= scale
                radii[j] *= scale
    for _ in range(3):
        for i in range(n):
            room = border[i]
            row = dist[i]
            for j in range(n):
                if j != i:
                    gap = row[j] - radii[j]
                    if gap < room:
                        room = gap
            radii[i] = max(radii[i], max(0.0, room))
    return [r * (1.0 - 1e-12) for r in radii]


def _clamp(v):
    # NaN, bools and non-numbers pass through unchanged for the evaluator to reject.
    return min(max(v, 0.0), 1.0)


def run_packing():
    """Entry point used by evaluate.py: (centers, radii, reported sum of radii).

    Centres that construct_packing() puts outside the square are pulled back
    onto its border (where their circles get radius 0).
    """
    centers = [[_clamp(x), _clamp(y)] for x, y in construct_packing()]
    radii = choose_radii(centers)
    return centers, radii, sum(radii)


if __name__ == "__main__":
    c, r, s = run_packing()
    for (x, y), rad in zip(c, r):
        print(f"{x:.6f} {y:.6f} {rad:.6f}")
    print(f"sum of radii: {s:.6f}")
