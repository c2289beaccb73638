#!/usr/bin/env python3
"""tests/install/dockerfile.py: tools/docker/Dockerfile against the repository, without Docker.

There is no container runtime where the tests run, so this reads the Dockerfile the way
`docker build` would and checks what can drift:
- two stages from Debian 12 (bookworm): `build`, then the runtime image, whose entry point is
  `archsim` and which installs the package the build stage made and no hand-kept list of
  libraries (the package's Depends bring them);
- every COPY source of the build stage exists, and together they are all that configuring and
  building need: the build stage's RUN steps are run, in order, in a scratch folder holding only
  the copied files: `tools/install-deps.sh` as written (a no-op where the packages are
  installed), `cmake --preset` for real, `cmake --build` as a ninja dry run (`-n`: the targets
  exist and every source they need was copied), `cpack` checked against the generated
  CPackConfig.cmake (it needs the built binary);
- every preset, target and -D cache variable a step names exists, and any other command is an
  error, so a new kind of step gets a check here first;
- the README documents the build command.

Usage: dockerfile.py   (from the source root)
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

DOCKERFILE = "tools/docker/Dockerfile"
problems = []


def problem(message):
    problems.append(message)


def instructions(path):
    """(keyword, argument text, line) for each instruction, continuation lines joined."""
    out, pending, start = [], "", 0
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not pending and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if not pending:
                start = number
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            text = (pending + line).strip()
            pending = ""
            keyword, _, rest = text.partition(" ")
            out.append((keyword.upper(), rest.strip(), start))
    return out


def stages(steps):
    """[(image, name, [(keyword, argument, line)])]"""
    out = []
    for keyword, argument, line in steps:
        if keyword == "FROM":
            words = argument.split()
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else ""
            out.append((words[0], name, []))
        elif not out:
            if keyword != "ARG":
                problem(f"{DOCKERFILE}:{line}: {keyword} before the first FROM")
        else:
            out[-1][2].append((keyword, argument, line))
    return out


def cmake_cache_variables():
    """Every option() and CACHE variable the project's CMake files declare."""
    names = set()
    for root, dirs, files in os.walk("."):
        dirs[:] = [d for d in dirs if d not in ("build", ".git")]
        for name in files:
            if name == "CMakeLists.txt" or name.endswith(".cmake"):
                with open(os.path.join(root, name), encoding="utf-8") as f:
                    text = f.read()
                names.update(re.findall(r"\boption\(\s*(\w+)", text))
                names.update(re.findall(r"\bset\(\s*(\w+)\s+[^)]*\bCACHE\b", text))
    return names


def presets():
    with open("CMakePresets.json", encoding="utf-8") as f:
        data = json.load(f)
    return {p["name"] for p in data["configurePresets"]}, {p["name"]: p["configurePreset"] for p in data["buildPresets"]}


def substitute(text, args):
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: args.get(m.group(1) or m.group(2), m.group(0)), text)


def run(command, cwd, what):
    result = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        problem(f"{what}: `{shlex.join(command)}` failed in the scratch copy (exit {result.returncode}):\n{result.stdout[-3000:]}")
        return None
    return result.stdout


def check_build_stage(steps, scratch):
    configure_presets, build_presets = presets()
    cache_variables = cmake_cache_variables()
    args, workdir, package_dirs, configured = {}, "/", [], set()
    for keyword, argument, line in steps:
        where = f"{DOCKERFILE}:{line}"
        if keyword == "ARG":
            name, _, default = argument.partition("=")
            args[name] = default.strip('"')
        elif keyword == "WORKDIR":
            workdir = argument
        elif keyword == "COPY":
            words = shlex.split(argument)
            if any(w.startswith("--") for w in words):
                problem(f"{where}: the build stage copies from the context only")
                continue
            *sources, destination = words
            # Docker's rules: a folder's contents go into the destination; files go into it
            # when it ends with / (required for several sources), else become it.
            relative = os.path.relpath(os.path.normpath(os.path.join(workdir, destination)), workdir)
            if relative.startswith(".."):
                problem(f"{where}: COPY to {destination}, outside WORKDIR {workdir}")
                continue
            target = os.path.join(scratch, relative)
            for source in sources:
                if not os.path.exists(source):
                    problem(f"{where}: COPY source '{source}' is not in the repository")
                elif os.path.isdir(source):
                    shutil.copytree(source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("build"))
                else:
                    into = destination.endswith("/") or len(sources) > 1
                    os.makedirs(target if into else os.path.dirname(target), exist_ok=True)
                    shutil.copy2(source, os.path.join(target, os.path.basename(source)) if into else target)
        elif keyword == "RUN":
            cwd = scratch
            for command_text in substitute(argument, args).split("&&"):
                words = shlex.split(command_text)
                if not words:
                    continue
                if words[0] == "cd":
                    cwd = os.path.join(cwd, words[1])
                elif words[0].startswith("tools/") and words[0].endswith(".sh"):
                    script = os.path.join(cwd, words[0])
                    if not os.access(script, os.X_OK):
                        problem(f"{where}: {words[0]} is not an executable script of the copied tree")
                        continue
                    run(words, cwd, where)
                elif words[:2] == ["cmake", "--preset"]:
                    preset = words[2]
                    if preset not in configure_presets:
                        problem(f"{where}: no configure preset '{preset}' in CMakePresets.json")
                        continue
                    for word in words[3:]:
                        match = re.fullmatch(r"-D(\w+)(:\w+)?=.*", word)
                        if not match:
                            problem(f"{where}: unexpected configure argument '{word}'")
                        elif match.group(1) not in cache_variables:
                            problem(f"{where}: -D{match.group(1)} is not an option or cache variable of the project")
                    if run(words, cwd, where) is not None:
                        configured.add(preset)
                elif words[:3] == ["cmake", "--build", "--preset"]:
                    preset = words[3]
                    if preset not in build_presets:
                        problem(f"{where}: no build preset '{preset}' in CMakePresets.json")
                    elif build_presets[preset] not in configured:
                        problem(f"{where}: builds preset '{preset}' before configuring it")
                    elif (plan := run(words + ["--", "-n"], cwd, where)) is not None and "archsim" not in plan:
                        problem(f"{where}: the dry run plans no archsim step:\n{plan[-2000:]}")
                elif words[0] == "cpack":
                    config = os.path.join(cwd, "CPackConfig.cmake")
                    if not os.path.exists(config):
                        problem(f"{where}: cpack runs in {os.path.relpath(cwd, scratch)}, which holds no CPackConfig.cmake")
                        continue
                    with open(config, encoding="utf-8") as f:
                        cpack_config = f.read()
                    if words[1:3] != ["-G", "DEB"] or not re.search(r'set\(CPACK_GENERATOR "[^"]*\bDEB\b', cpack_config):
                        problem(f"{where}: expected `cpack -G DEB` with DEB configured (cmake/Packaging.cmake)")
                    if "-B" in words:
                        package_dirs.append(words[words.index("-B") + 1].rstrip("/"))
                else:
                    problem(f"{where}: a build step this test does not know: `{command_text.strip()}`")
        else:
            problem(f"{where}: unexpected {keyword} in the build stage")
    return package_dirs


def check_runtime_stage(image, steps, package_dirs):
    if not image.startswith("debian:12") and not image.startswith("debian:bookworm"):
        problem(f"{DOCKERFILE}: the runtime stage is from {image}, not Debian 12")
    copied = []
    entrypoint = None
    for keyword, argument, line in steps:
        where = f"{DOCKERFILE}:{line}"
        if keyword == "COPY":
            words = shlex.split(argument)
            if words[0] != "--from=build" or len(words) != 3:
                problem(f"{where}: the runtime stage copies only the package from the build stage")
                continue
            if os.path.dirname(words[1]) not in package_dirs or not words[1].endswith(".deb"):
                problem(f"{where}: copies {words[1]}, not the .deb cpack writes to {package_dirs}")
            copied.append(words[2])
        elif keyword == "RUN":
            for command_text in argument.split("&&"):
                words = shlex.split(command_text)
                if words[:2] == ["apt-get", "install"]:
                    names = [w for w in words[2:] if not w.startswith("-")]
                    if not names or any(not (n.endswith(".deb") and any(n.startswith(c) for c in copied)) for n in names):
                        problem(f"{where}: the runtime stage installs {names}; only the archsim package (its Depends bring the libraries)")
                    elif not all(re.fullmatch(r".*/archsim_\*\.deb", n) for n in names):
                        problem(f"{where}: {names} do not match cpack's archsim_<version>_<arch>.deb")
        elif keyword == "ENTRYPOINT":
            entrypoint = json.loads(argument)
    if entrypoint != ["archsim"]:
        problem(f"{DOCKERFILE}: ENTRYPOINT is {entrypoint}, expected [\"archsim\"]")


def main():
    all_stages = stages(instructions(DOCKERFILE))
    if len(all_stages) != 2:
        problem(f"{DOCKERFILE}: {len(all_stages)} stages, expected build and runtime")
    else:
        (build_image, build_name, build_steps), (runtime_image, _, runtime_steps) = all_stages
        if build_image != "debian:12" or build_name != "build":
            problem(f"{DOCKERFILE}: the first stage is {build_image} AS {build_name}, expected debian:12 AS build")
        with tempfile.TemporaryDirectory() as scratch:
            package_dirs = check_build_stage(build_steps, scratch)
        if not package_dirs:
            problem(f"{DOCKERFILE}: the build stage makes no package (cpack -G DEB -B DIR)")
        check_runtime_stage(runtime_image, runtime_steps, package_dirs)
    ignore = "tools/docker/Dockerfile.dockerignore"
    with open(ignore, encoding="utf-8") as f:
        ignored = {line.strip() for line in f if line.strip() and not line.startswith("#")}
    for needed in (".git", "build"):
        if needed not in ignored:
            problem(f"{ignore}: does not leave out {needed}")
    with open("README.md", encoding="utf-8") as f:
        if "docker build -f tools/docker/Dockerfile" not in f.read():
            problem("README.md: does not give the docker build command (docker build -f tools/docker/Dockerfile ...)")
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        return 1
    print(f"dockerfile: ok ({len(all_stages)} stages; build steps run in a scratch copy)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
