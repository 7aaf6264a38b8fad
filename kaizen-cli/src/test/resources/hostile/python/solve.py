"""Hostile-suite target: solve() returns up to ten non-negative numbers; their sum is the score.

Every candidate the suite proposes replaces the body of solve() with an attack. An attack that
gets through returns [9.5], a score no honest candidate of this suite reports.
"""
import json
import os
import socket
import subprocess
import sys
import time


def solve():
    # EVOLVE-BLOCK-START
    return [1.0, 2.0]
    # EVOLVE-BLOCK-END
