#!/usr/bin/env python3
"""`archsim explore` on the two seeds with an explore block, alone and under mpirun: the same
exit code and the same JSON, byte for byte (docs/explore.md, "Determinism").

Usage: mpi_cli_test.py MPIRUN ARCHSIM   (run from the source root)
A day each keeps it short; the outputs do not depend on the horizon's length for this check.

A third case is ADR-0005 with a space of one variant: a batch with fewer evaluations than
evaluators is cut into slices of replications (1 thread: 2 slices, 2 threads or 2 workers: 3),
so the slices travel between ranks and still give the same bytes.
"""
import os
import shutil
import subprocess
import sys
import tempfile

mpirun, archsim = sys.argv[1], sys.argv[2]
ONE_VARIANT = """explore:
  base: alb-private-tasks
  dimensions:
    components.api.architecture: [arm64]
  screening: {replications: 3}
  confirmation: {replications: 3}
"""
folder = tempfile.mkdtemp(prefix="archsim-mpi-cli-")
shutil.copytree("scenarios/topologies", os.path.join(folder, "topologies"))
with open("scenarios/adr0005.yaml", encoding="utf-8") as f:
    text = f.read()
one_variant = os.path.join(folder, "adr0005.yaml")
with open(one_variant, "w", encoding="utf-8") as f:
    f.write(text[:text.index("\nexplore:\n") + 1] + ONE_VARIANT)

SEEDS = ["scenarios/adr0005.yaml", "scenarios/free-tier-single-az.yaml", one_variant]
failed = 0
for seed in SEEDS:
    args = [archsim, "explore", seed, "--horizon", "1d", "--format", "json"]
    alone = subprocess.run(args + ["--threads", "2"], capture_output=True, text=True)
    if seed == one_variant:
        one_thread = subprocess.run(args + ["--threads", "1"], capture_output=True, text=True)
        same = one_thread.stdout == alone.stdout and alone.stdout
        print(("ok" if same else "FAILED"), seed, "--threads 1 vs 2")
        failed += 0 if same else 1
    for ranks in (2, 3):
        ran = subprocess.run([mpirun, "--allow-run-as-root", "--oversubscribe", "-np", str(ranks)] + args,
                             capture_output=True, text=True)
        same = ran.returncode == alone.returncode and ran.stdout == alone.stdout and ran.stdout
        print(("ok" if same else "FAILED"), seed, f"-np {ranks}", f"exit {ran.returncode} vs {alone.returncode}")
        if not same:
            failed += 1
            sys.stderr.write(ran.stderr[-2000:] + "\n")
shutil.rmtree(folder)
sys.exit(1 if failed else 0)
