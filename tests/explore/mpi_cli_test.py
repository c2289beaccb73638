#!/usr/bin/env python3
"""`archsim explore` on the two seeds with an explore block, alone and under mpirun: the same
exit code and the same JSON, byte for byte (docs/explore.md, "Determinism").

Usage: mpi_cli_test.py MPIRUN ARCHSIM   (run from the source root)
A day each keeps it short; the outputs do not depend on the horizon's length for this check.
"""
import subprocess
import sys

mpirun, archsim = sys.argv[1], sys.argv[2]
SEEDS = ["scenarios/adr0005.yaml", "scenarios/free-tier-single-az.yaml"]
failed = 0
for seed in SEEDS:
    args = [archsim, "explore", seed, "--horizon", "1d", "--format", "json"]
    alone = subprocess.run(args + ["--threads", "2"], capture_output=True, text=True)
    for ranks in (2, 3):
        ran = subprocess.run([mpirun, "--allow-run-as-root", "--oversubscribe", "-np", str(ranks)] + args,
                             capture_output=True, text=True)
        same = ran.returncode == alone.returncode and ran.stdout == alone.stdout and ran.stdout
        print(("ok" if same else "FAILED"), seed, f"-np {ranks}", f"exit {ran.returncode} vs {alone.returncode}")
        if not same:
            failed += 1
            sys.stderr.write(ran.stderr[-2000:] + "\n")
sys.exit(1 if failed else 0)
