"""Circle packing: 26 circles in the unit square, maximise the sum of their radii.

Kaizen evolves only the code between the EVOLVE-BLOCK markers. The block decides
where the 26 centres go (construct_packing) and, optionally, how large the
circles are (choose_radii); the fixed code below turns centres into the largest
radii a simple sound method can guarantee. evaluate.py checks the result on its
own, so nothing in this file is trusted.

Standard library only.
"""
import math

N_CIRCLES = 26


# EVOLVE-BLOCK-START
def construct_packing():
    # Rows of centres, (height, left-most x, spacing, count): 5 + 5 + 6 + 5 + 5 = 26.
    # The seed huddles them in the middle of the square; there is room to spread.
    rows = (
        (0.3, 0.32, 0.09, 5),
        (0.4, 0.36, 0.09, 5),
        (0.5, 0.27, 0.09, 6),
        (0.6, 0.36, 0.09, 5),
        (0.7, 0.32, 0.09, 5),
    )
    centers = []
    for y, x0, dx, count in rows:
        for k in range(count):
            centers.append([x0 + dx * k, y])

    def nudge(i, dx, dy):
        centers[i][0] += dx
        centers[i][1] += dy

    # Local adjustments: move circle i by (dx, dy).
    nudge(0, -0.02, -0.02)
    nudge(4, 0.02, -0.02)
    nudge(21, -0.02, 0.02)
    nudge(25, 0.02, 0.02)
    nudge(10, -0.01, 0.0)
    nudge(15, 0.01, 0.0)
    nudge(2, 0.0, -0.01)
    nudge(23, 0.0, 0.01)
    nudge(7, 0.01, 0.01)
    nudge(18, -0.01, -0.01)
    return centers


def choose_radii(centers):
    # The default delegates to the sound greedy below; a smarter method may
    # return its own radii, which the evaluator checks just as strictly.
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


def run_packing():
    """Entry point used by evaluate.py: (centers, radii, reported sum of radii)."""
    centers = construct_packing()
    radii = choose_radii(centers)
    return centers, radii, sum(radii)


if __name__ == "__main__":
    c, r, s = run_packing()
    for (x, y), rad in zip(c, r):
        print(f"{x:.6f} {y:.6f} {rad:.6f}")
    print(f"sum of radii: {s:.6f}")
