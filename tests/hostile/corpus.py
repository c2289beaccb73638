#!/usr/bin/env python3
"""The malformed-input corpus: hostile scenarios made from the five seeds, each with the exit
code and message fragment archsim must answer with (tests/README.md, `hostile/corpus.py`).

Every case copies `scenarios/` into a scratch folder, applies one mutation to one seed (its
scenario file or its topology), runs the verbs it names, and checks:
  - the exit code is the expected one (2: refused, with a located error), never 3;
  - the output holds the expected fragment;
  - no sanitizer report, no hang (a time limit), no memory blow-up (peak RSS);
  - a failed run left `-o` as it was;
  - no raw control byte (ESC, NUL, ...) reaches the terminal, whatever the input held.

The corpus is this file: add a mutation to MUTATIONS and it applies to every seed it fits.
Usage: corpus.py ARCHSIM [--list] [--only SUBSTRING] [--jobs N]
"""
import argparse
import concurrent.futures
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

SEEDS = {
    "adr0005": "topologies/adr0005-alb-private-tasks.yaml",
    "secondary-cidr-vpc-link": "topologies/secondary-cidr-vpc-link.yaml",
    "free-tier-single-az": "topologies/free-tier-single-az.yaml",
    "cloudfront-rds": "topologies/cloudfront-rds.yaml",
    "krakend-blue-green": "topologies/krakend-blue-green.yaml",
}

# Peak resident memory a case may reach: the 1 GB, held even by the sanitizer build,
# whose shadow memory and quarantine inflate what a release build uses (37 MiB at most).
MAX_RSS_BYTES = 1 << 30
TIME_LIMIT_S = 120

# Fast settings for verbs that simulate: the hostile part is the input, not the horizon.
RUN_ARGS = ["--horizon", "1h", "--threads", "1"]


@dataclass
class Mutation:
    name: str
    why: str                 # the class of defect (issue 19's headings)
    target: str              # "scenario" or "topology"
    pattern: str             # regular expression, first match replaced (re.M)
    replacement: str         # re.sub replacement; may use \\1
    verbs: list              # e.g. [["validate"], ["run", *RUN_ARGS]]
    exit: int = 2
    fragment: str = ""       # must appear in stdout or stderr
    append: str = ""         # text appended to the target instead of (or after) the substitution
    seeds: list = field(default_factory=lambda: list(SEEDS))


V = [["validate"]]
VP = [["validate"], ["price"]]
VR = [["validate"], ["run", *RUN_ARGS]]
VPR = [["validate"], ["price"], ["run", *RUN_ARGS]]

MUTATIONS = [
    # ---- crashes: counts and packed fields
    Mutation("route-entry-only", "crash", "topology", r"hops: \[([\w-]+),[^\]]*\]", r"hops: [\1]", VR, fragment="hops"),
    Mutation("desired-count-million", "crash", "topology", r"desired_count: \d+", "desired_count: 1000000", VR,
             fragment="desired_count"),
    Mutation("max-count-70000", "crash", "topology", r"max_count: \d+", "max_count: 70000", VR, fragment="max_count"),
    Mutation("desired-count-negative", "nonsense", "topology", r"desired_count: \d+", "desired_count: -1", VP,
             fragment="desired_count"),
    Mutation("min-above-max", "nonsense", "topology", r"min_count: \d+", "min_count: 9", V, fragment="min_count"),
    Mutation("capacity-provider-weight-1e12", "overflow", "topology", r"^(\s+)desired_count: (\d+)",
             r"\1desired_count: \2\n\1capacity_provider_strategy: [{capacity_provider: FARGATE_SPOT, weight: 1e12}]", VR,
             fragment="weight"),
    Mutation("capacity-provider-ec2", "nonsense", "topology", r"^(\s+)desired_count: (\d+)",
             r"\1desired_count: \2\n\1capacity_provider_strategy: [{capacity_provider: my-asg, base: 1}]", VP,
             fragment="FARGATE_SPOT"),
    Mutation("capacity-providers-unweighted", "silent default", "topology", r"^(\s+)desired_count: (\d+)",
             r"\1desired_count: \2\n\1capacity_provider_strategy: [{capacity_provider: FARGATE, base: 1}, {capacity_provider: FARGATE_SPOT}]",
             VR, fragment="weight 0"),
    # ---- arithmetic overflow
    Mutation("vcpu-1e9", "overflow", "topology", r"vcpu: [\d.]+", "vcpu: 1e9", VP, fragment="vcpu"),
    Mutation("memory-zero", "nonsense", "topology", r"memory: \d+MiB", "memory: 0MiB", V, fragment="memory"),
    # ---- silent defaults
    Mutation("healthy-threshold-zero", "nonsense", "topology", r"healthy_threshold: \d+", "healthy_threshold: 0", V,
             fragment="healthy_threshold"),
    Mutation("interval-zero", "nonsense", "topology", r"interval: \d+s", "interval: 0s", V, fragment="interval"),
    # ---- invalid addresses are load errors
    Mutation("cidr-out-of-range", "nonsense", "topology", r"cidr: 10\.0\.0\.0/16", "cidr: 300.1.1.1/33", V, fragment="cidr"),
    Mutation("cidr-ipv6", "nonsense", "topology", r"cidr: 10\.0\.0\.0/16", "cidr: 2001:db8::/32", V, fragment="cidr"),
    # ---- shares
    Mutation("share-sum-1.5", "nonsense", "topology", r"share: [\d.]+", "share: 1.5", VR, fragment="share"),
    Mutation("share-negative", "nonsense", "topology", r"share: [\d.]+", "share: -0.5", V, fragment="share"),
    # ---- scenario-level nonsense and false passes
    Mutation("region-mars", "false pass", "scenario", r"^region: [\w-]+", "region: mars-east-1", VP, fragment="mars-east-1"),
    Mutation("criterion-unknown-rule", "false pass", "scenario", r"rules: \[", "rules: [no-such-rule, ", V,
             fragment="no-such-rule"),
    Mutation("budget-negative", "nonsense", "scenario", r"monthly_limit_usd: \d+", "monthly_limit_usd: -10", VP,
             fragment="monthly_limit_usd", seeds=["adr0005", "free-tier-single-az"]),
    Mutation("read-capacity-negative", "nonsense", "scenario", r"read_capacity: \d+", "read_capacity: -5", V,
             fragment="read_capacity", seeds=["free-tier-single-az"]),
    # ---- hangs: rates that overflow
    Mutation("profile-1e300", "hang", "scenario", r"daily_profile: \[[\d.]+", "daily_profile: [1e300", VR,
             fragment="peak rate"),
    Mutation("burst-1e12", "hang", "scenario", r"^(    rate: \S+)", r"\1\n    bursts: [{start: 10m, duration: 30m, multiplier: 1e12}]",
             VR, fragment="peak rate", seeds=[s for s in SEEDS if s != "adr0005"]),
    Mutation("burst-multiplier-1e12", "hang", "scenario", r"multiplier: [\d.]+", "multiplier: 1e12", VR, fragment="peak rate",
             seeds=["adr0005"]),
    Mutation("bursts-overflow-together", "hang", "scenario", r"^(    rate: \S+)",
             r"\1\n    bursts: [{start: 10m, duration: 30m, multiplier: 1e200}, {start: 20m, duration: 30m, multiplier: 1e200}]",
             VR, fragment="peak rate", seeds=[s for s in SEEDS if s != "adr0005"]),
    # ---- work beyond the budget is refused before it starts
    Mutation("work-1e5-per-s-30d", "exhaustion", "scenario", r"^(    rate: )\S+", r"\g<1>100000/s",
             [["run", "--horizon", "30d", "--threads", "1"]], fragment="--max-work"),
    Mutation("work-400d-1000-replications", "exhaustion", "scenario", r"^(  replications: )\d+", r"\g<1>1000",
             [["run", "--horizon", "400d", "--threads", "1"]], fragment="--max-work", seeds=["free-tier-single-az"]),
    Mutation("work-past-a-lowered-limit", "exhaustion", "scenario", r"^(    rate: )\S+", r"\g<1>100000/s",
             [["run", "--horizon", "30d", "--threads", "1", "--max-work", "1e3"]], fragment="--max-work"),
    # ---- encoding
    # (surrogate escapes: written as the raw bytes 0xff 0xfe, which are not UTF-8)
    Mutation("name-not-utf8", "encoding", "scenario", r"^name: (.*)$", "name: bad\udcff\udcfename", VP, fragment="UTF-8"),
    Mutation("name-escape-sequence", "encoding", "scenario", r"^name: ", "name: a\x1b[31mred ", VP, fragment="U+001B"),
    Mutation("description-bell", "encoding", "scenario", r"^description: ", "description: ring\x07 ", V, fragment="U+0007"),
    Mutation("nul-byte", "encoding", "scenario", r"^description: ", "description: a\x00b ", V, fragment="NUL"),
    Mutation("second-document", "nonsense", "scenario", r"\Z", "", V, append="---\nname: second\n", fragment="document"),
    # ---- resource exhaustion in the reader
    Mutation("alias-billion-laughs", "exhaustion", "scenario", r"\Z", "", V, fragment="alias",
             append="".join(f"l{i}: &l{i} [{', '.join(['*l%d' % (i - 1)] * 9) if i else ', '.join(['x'] * 9)}]\n"
                            for i in range(10))),
    Mutation("name-2mb", "exhaustion", "scenario", r"^name: (.*)$", "name: " + "n" * (2 << 20), V, fragment="byte limit"),
    Mutation("name-300-bytes", "exhaustion", "scenario", r"^name: (.*)$", "name: " + "n" * 300, V, fragment="name"),
    Mutation("unknown-key-500", "exhaustion", "scenario", r"\Z", "", V, append="k" * 500 + ": 1\n", fragment="key"),
    # yaml-cpp itself refuses a key over 1024 characters, located, in its own words.
    Mutation("unknown-key-100k", "exhaustion", "scenario", r"\Z", "", V, append="k" * 100000 + ": 1\n",
             fragment="illegal map value"),
    # ---- path confinement
    Mutation("topology-outside", "confinement", "scenario", r"topology: topologies/[\w.-]+", "topology: /etc/passwd", V,
             fragment="outside"),
    Mutation("topology-climbs-out", "confinement", "scenario", r"topology: topologies/[\w.-]+",
             "topology: " + "../" * 4 + "etc/hostname", V, fragment="outside"),
    Mutation("trace-dev-zero", "exhaustion", "scenario", r"^(  arrivals:\n)", r"\1    trace: {file: /dev/zero, format: csv}\n",
             V, fragment="trace"),
    Mutation("price-book-outside", "confinement", "scenario", r"^pricing:\n", "pricing:\n  price_book: /etc/passwd\n", VP,
             fragment="outside"),
    # ---- imported topologies (docs/import.md): the importers read what the scenario names
    Mutation("import-terraform-yaml", "nonsense", "scenario", r"topology: (topologies/[\w.-]+)", r"topology: {terraform: \1}", V,
             fragment="not valid JSON"),
    Mutation("import-cloudformation-topology", "nonsense", "scenario", r"topology: (topologies/[\w.-]+)",
             r"topology: {cloudformation: \1}", V, fragment="not a CloudFormation template"),
    Mutation("import-terraform-outside", "confinement", "scenario", r"topology: topologies/[\w.-]+", "topology: {terraform: /etc/passwd}",
             V, fragment="outside"),
    Mutation("import-terraform-dev-zero", "exhaustion", "scenario", r"topology: topologies/[\w.-]+",
             "topology: {terraform: /dev/zero}", [["validate", "--allow-outside-paths"]], fragment="not a regular file"),
    Mutation("import-terraform-parameters", "nonsense", "scenario", r"topology: (topologies/[\w.-]+)",
             r"topology: {terraform: \1, parameters: {a: b}}", V, fragment="nothing else"),
    # ---- a CloudFormation template named where a scenario is expected (`archsim validate template.yaml`)
    Mutation("template-direct-no-region", "nonsense", "scenario", r"\A[\s\S]*",
             "Resources:\n  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n"
             "  Subnet:\n    Type: AWS::EC2::Subnet\n"
             "    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24, AvailabilityZone: !Select [0, !GetAZs '']}\n",
             V, fragment="pass --parameter AWS::Region=<region>", seeds=["adr0005"]),
    Mutation("template-direct-import-value", "nonsense", "scenario", r"\A[\s\S]*",
             "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: !ImportValue shared-cidr}\n",
             [["validate", "--parameter", "AWS::Region=us-east-1"]], fragment="Fn::ImportValue", seeds=["adr0005"]),
    Mutation("template-direct-dangling-ref", "nonsense", "scenario", r"\A[\s\S]*",
             "Resources:\n  Subnet:\n    Type: AWS::EC2::Subnet\n    Properties: {VpcId: !Ref NoSuchVpc, CidrBlock: 10.0.0.0/24}\n",
             V, fragment="no parameter or resource of that name", seeds=["adr0005"]),
    Mutation("template-direct-condition-cycle", "nonsense", "scenario", r"\A[\s\S]*",
             '{"Conditions": {"A": {"Condition": "A"}},\n "Resources": {"Vpc": {"Type": "AWS::EC2::VPC", "Condition": "A",'
             ' "Properties": {"CidrBlock": "10.0.0.0/16"}}}}\n',
             V, fragment="refers to itself", seeds=["adr0005"]),
    Mutation("template-direct-deep", "exhaustion", "scenario", r"\A[\s\S]*",
             "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: " + "[" * 200 + "]" * 200 + "\n",
             V, fragment="nesting", seeds=["adr0005"]),
    Mutation("template-direct-bad-parameter", "nonsense", "scenario", r"\A", "", [["validate", "--parameter", "Env"]],
             fragment="expects Key=Value", seeds=["adr0005"]),
    Mutation("template-parameter-on-scenario", "nonsense", "scenario", r"\A", "", [["validate", "--parameter", "Env=prod"]],
             fragment="--parameter is for a CloudFormation template", seeds=["adr0005"]),
    # ---- the command line
    Mutation("seed-negative", "nonsense", "scenario", r"\A", "", [["run", "--seed", "-1", *RUN_ARGS]], fragment="-1"),
    Mutation("max-work-nan", "false pass", "scenario", r"\A", "", [["run", "--max-work", "nan", *RUN_ARGS]],
             fragment="--max-work"),
    Mutation("threads-zero", "nonsense", "scenario", r"\A", "", [["run", "--threads", "0", "--horizon", "1h"]],
             fragment="threads"),
    # ---- ports and deployment configurations
    Mutation("port-70000", "nonsense", "topology", r"ports: \d+", "ports: 70000", V, fragment="ports"),
    Mutation("codedeploy-config-unknown", "nonsense", "topology", r"config: CodeDeployDefault\.\w+", "config: NoSuchConfig",
             VR, fragment="NoSuchConfig", seeds=["krakend-blue-green"]),
    Mutation("timeout-zero", "nonsense", "scenario", r"^(    \w[\w-]*:\n      service_time: )", r"    zz:\n      timeout: 0s\n\1",
             V, fragment="timeout", seeds=[]),
    # ---- file names of outputs
    Mutation("alternative-id-slash", "outputs", "scenario", r"^alternatives:\n  ([\w-]+):", "alternatives:\n  a/../b:", V,
             fragment="alternatives"),
]


def apply(text, m):
    new, n = re.subn(m.pattern, m.replacement, text, count=1, flags=re.M)
    if n == 0:
        return None
    return new + m.append if m.append else new


def cases():
    for m in MUTATIONS:
        for seed in m.seeds:
            rel = f"{seed}.yaml" if m.target == "scenario" else SEEDS[seed]
            with open(os.path.join(ROOT, "scenarios", rel), encoding="utf-8") as f:
                mutated = apply(f.read(), m)
            if mutated is not None:
                yield f"{m.name}@{seed}", m, seed, rel, mutated


def no_core_dumps():
    # A crash is reported by its exit status; a core file of a sanitizer build is gigabytes.
    # (Memory is not limited here: the sanitizer build reserves terabytes of address space, so
    # the peak RSS is checked afterwards instead.)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_case(archsim, case):
    name, m, seed, rel, mutated = case
    problems = []
    with tempfile.TemporaryDirectory(prefix="archsim-hostile-") as tmp:
        shutil.copytree(os.path.join(ROOT, "scenarios"), os.path.join(tmp, "scenarios"))
        with open(os.path.join(tmp, "scenarios", rel), "w", encoding="utf-8", errors="surrogateescape", newline="") as f:
            f.write(mutated)
        scenario = os.path.join(tmp, "scenarios", f"{seed}.yaml")
        for verb in m.verbs:
            out_file = os.path.join(tmp, "previous-output")
            with open(out_file, "w") as f:
                f.write("previous\n")
            args = [archsim, verb[0], scenario, *verb[1:]]
            if verb[0] in ("run", "price", "validate"):
                args += ["-o", out_file]
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            try:
                p = subprocess.run(args, capture_output=True, timeout=TIME_LIMIT_S, preexec_fn=no_core_dumps)
            except subprocess.TimeoutExpired:
                problems.append(f"{verb[0]}: no answer within {TIME_LIMIT_S} s")
                continue
            rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
            output = p.stdout + p.stderr
            text = output.decode("utf-8", errors="replace")
            if p.returncode != m.exit:
                problems.append(f"{verb[0]}: exit {p.returncode}, expected {m.exit}: {text[-600:]}")
            elif m.fragment and m.fragment not in text:
                problems.append(f"{verb[0]}: exit {p.returncode} but no '{m.fragment}' in: {text[-600:]}")
            if "Sanitizer" in text or "runtime error:" in text:
                problems.append(f"{verb[0]}: sanitizer report: {text[-1200:]}")
            if rss > MAX_RSS_BYTES and rss > before * 1024:
                problems.append(f"{verb[0]}: peak RSS {rss >> 20} MiB over {MAX_RSS_BYTES >> 20} MiB")
            # Exit 1 is a verdict (gates fail) with its outputs; anything else is a failed run.
            if p.returncode not in (0, 1):
                with open(out_file) as f:
                    if f.read() != "previous\n":
                        problems.append(f"{verb[0]}: exit {p.returncode} but -o was overwritten")
            # Whatever the input held, nothing reaches the terminal raw but newlines and tabs.
            if re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", output):
                problems.append(f"{verb[0]}: raw control bytes in the output")
    return name, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("archsim")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--only", default="")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    all_cases = [c for c in cases() if a.only in c[0]]
    if a.list:
        for c in all_cases:
            print(c[0], "-", c[1].why)
        print(len(all_cases), "cases")
        return 0
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        for name, problems in pool.map(lambda c: run_case(a.archsim, c), all_cases):
            if problems:
                failed += 1
                print(f"FAIL {name}")
                for pr in problems:
                    print("    " + pr.replace("\n", "\n    "))
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss >> 10
    print(f"{len(all_cases) - failed} of {len(all_cases)} hostile cases answered as expected; "
          f"the largest peak RSS of any verb: {peak} MiB")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
