#!/usr/bin/env python3
"""Checks docs/scenario.schema.json and validates scenario files against it.

Usage: check_schema.py SCHEMA SCENARIO.yaml...

The schema itself is checked against the draft-07 meta-schema. Each scenario is validated
against the schema; each topology file an alternative names (relative to the scenario) is
validated against #/definitions/topology; an alternative's overrides are applied as a JSON
Merge Patch (RFC 7396) and the patched topology is validated too. Each file gets one line,
`ok FILE`, or one line per problem:

    FILE:LINE:COL: dotted.path: error: message

then a final line `N passed, M failed`. Exits 1 when a file failed or no file was given.

YAML is read the way archsim's decoder (yaml-cpp) reads it, not with PyYAML's YAML 1.1
defaults: only `true`/`false` are booleans (`yes`, `on`, `True` stay strings), integers are
plain decimal (`0x10`, `1_000`, `010` octal are not numbers), dates stay strings, and a
float written where an integer is expected (`80.0`) is not an integer. Duplicate keys are
errors. Needs only python3-jsonschema (4.10+) and python3-yaml.
"""

import datetime
import difflib
import json
import os
import re
import sys

import jsonschema
import yaml

# ---------------------------------------------------------------- YAML as archsim reads it

_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class ScenarioLoader(yaml.SafeLoader):
    """SafeLoader with archsim's scalar rules; keys are kept as written; problems collected."""

    def __init__(self, stream):
        super().__init__(stream)
        self.problems = []  # (mark, message)

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep=deep)
        self.flatten_mapping(node)
        mapping = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append((key_node.start_mark, "map keys must be plain strings"))
                continue
            key = key_node.value
            if key in mapping:
                self.problems.append(
                    (key_node.start_mark, "duplicate key '%s' (YAML keeps only one; merge them)" % key))
                continue
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_int(self, node):
        text = self.construct_scalar(node)
        try:
            return int(text, 10)
        except ValueError:
            return super().construct_yaml_int(node)


ScenarioLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_BOOL, _INT, _FLOAT, _TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
ScenarioLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|false)$"), list("tf"))
ScenarioLoader.add_implicit_resolver(_INT, re.compile(r"^-?[0-9]+$"), list("-0123456789"))
ScenarioLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(r"^-?(?:(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+)$"),
    list("-.0123456789"))
ScenarioLoader.add_constructor(_INT, ScenarioLoader.construct_yaml_int)


def _plain(value):
    """Dates (from explicit tags) back to text; everything else unchanged."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


class Document:
    """A parsed YAML file: data, node tree (for line:col) and reading problems."""

    def __init__(self, path):
        self.path = path
        self.data = None
        self.root = None
        self.problems = []  # (line, col, dotted path, message)
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            self.problems.append((0, 0, "", "cannot read file: %s" % e.strerror))
            return
        loader = ScenarioLoader(text)
        try:
            self.root = loader.get_single_node()
            self.data = _plain(loader.construct_document(self.root)) if self.root is not None else None
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
            self.problems.append((line, col, "", "YAML syntax error: %s" % getattr(e, "problem", e)))
            self.root = None
        finally:
            loader.dispose()
        for mark, message in loader.problems:
            self.problems.append((mark.line + 1, mark.column + 1, "", message))

    def node_at(self, path, key_of_last=False):
        """The node at a JSON path (keys and indices), or the deepest one that exists."""
        node = self.root
        for i, step in enumerate(path):
            last = i == len(path) - 1
            if isinstance(node, yaml.MappingNode):
                match = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == step]
                if not match:
                    break
                node = match[-1][0] if (last and key_of_last) else match[-1][1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
            else:
                break
        return node

    def position(self, path, key_of_last=False):
        node = self.node_at(list(path), key_of_last)
        if node is None:
            return (1, 1)
        return (node.start_mark.line + 1, node.start_mark.column + 1)


# ---------------------------------------------------------------- validation

def _strict_integer(checker, instance):
    return isinstance(instance, int) and not isinstance(instance, bool)


Validator = jsonschema.validators.extend(
    jsonschema.Draft7Validator,
    type_checker=jsonschema.Draft7Validator.TYPE_CHECKER.redefine("integer", _strict_integer))

_TYPE_NAMES = {dict: "a map", list: "a list", str: "a string", int: "a whole number", float: "a number",
               bool: "a boolean", type(None): "nothing (null)"}


def dotted(path):
    out = ""
    for step in path:
        if isinstance(step, int):
            out += "[%d]" % step
        else:
            out += ("." if out else "") + str(step)
    return out


def _kind(value):
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _text(value):
    """A scalar as it was written (booleans and null in YAML spelling)."""
    return value if isinstance(value, str) else json.dumps(value)


def _describe(error):
    """(relative path, message, points at key) for one validation error."""
    schema, value, v = error.schema, error.instance, error.validator
    path = list(error.absolute_path)
    if v == "required":
        missing = re.match(r"'(.*)' is a required property", error.message)
        return path, "missing required key '%s'" % (missing.group(1) if missing else error.message), False
    if v == "type" and "title" in schema and not isinstance(value, (dict, list)):
        return path, "expected %s, found %s '%s'" % (schema["title"], _kind(value), _text(value)), False
    if v == "type":
        wanted = error.validator_value
        wanted = wanted if isinstance(wanted, list) else [wanted]
        names = {"object": "a map", "array": "a list", "string": "a string", "integer": "a whole number",
                 "number": "a number", "boolean": "true or false", "null": "null"}
        expected = " or ".join(names.get(w, w) for w in wanted)
        shown = "" if isinstance(value, (dict, list)) else " '%s'" % _text(value)
        return path, "expected %s, found %s%s" % (expected, _kind(value), shown), False
    if v in ("enum", "const"):
        words = error.validator_value if v == "enum" else [error.validator_value]
        text = ", ".join(str(w) for w in words)
        hint = ""
        if isinstance(value, str):
            close = difflib.get_close_matches(value, [str(w) for w in words], n=1)
            hint = " (did you mean '%s'?)" % close[0] if close else ""
        return path, "expected one of %s, found '%s'%s" % (text, _text(value), hint), False
    if v == "pattern" and "title" in schema:
        return path, "expected %s, found '%s'" % (schema["title"], value), False
    if v in ("oneOf", "anyOf") and "description" in schema:
        return path, schema["description"], False
    if v in ("minimum", "maximum"):
        return path, "%s is outside %s..%s" % (value, schema.get("minimum", "-inf"), schema.get("maximum", "inf")), False
    return path, error.message, False


def _unknown_keys(error):
    """One (path, message) per key an `additionalProperties: false` object does not allow."""
    allowed = list(error.schema.get("properties", {}))
    patterns = list(error.schema.get("patternProperties", {}))
    out = []
    for key in error.instance:
        if key in allowed or any(re.search(p, key) for p in patterns):
            continue
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = " (did you mean '%s'?)" % close[0] if close else ""
        out.append((list(error.absolute_path) + [key], "unknown key '%s'%s" % (key, hint)))
    return out


def problems_of(validator, instance):
    """Sorted, de-duplicated (path tuple, message, at_key) problems."""
    found = []
    for error in validator.iter_errors(instance):
        if error.validator == "additionalProperties" and error.validator_value is False \
                and isinstance(error.instance, dict):
            found.extend((tuple(p), m, True) for p, m in _unknown_keys(error))
        else:
            p, m, at_key = _describe(error)
            found.append((tuple(p), m, at_key))
    unique = sorted(set(found), key=lambda t: ([str(s) for s in t[0]], t[1]))
    return unique


def merge_patch(target, patch):
    """RFC 7396: maps merge key by key, null deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def file(self, name, lines):
        if lines:
            self.failed += 1
            for _, _, text in sorted(lines, key=lambda t: (t[0], t[1])):
                print(text)
        else:
            self.passed += 1
            print("ok %s" % name)


def line_for(name, position, path, message):
    """(line, col, text) of one problem, in archsim's `file:line:col: path: severity: message` form."""
    line, col = position
    where = "%s:%d:%d" % (name, line, col) if line else name
    text = "%s: %s: error: %s" % (where, path, message) if path else "%s: error: %s" % (where, message)
    return (line, col, text)


def main(argv):
    if len(argv) < 2:
        print("usage: check_schema.py SCHEMA SCENARIO.yaml...", file=sys.stderr)
        print("0 passed, 0 failed")
        return 1
    schema_path, scenarios = argv[0], argv[1:]
    report = Report()
    try:
        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft7Validator.check_schema(schema)
    except (OSError, ValueError, jsonschema.SchemaError) as e:
        report.file(schema_path, [line_for(schema_path, (0, 0), "", "invalid schema: %s" % getattr(e, "message", e))])
        print("%d passed, %d failed" % (report.passed, report.failed))
        return 1

    scenario_validator = Validator(schema)
    topology_validator = Validator({"$ref": "#/definitions/topology", "definitions": schema["definitions"]})
    topology_results = {}  # real path -> (display name, base problems, lines) of files checked

    def check_topology_file(display, real):
        if real not in topology_results:
            doc = Document(real)
            lines = [line_for(display, (l, c), p, m) for l, c, p, m in doc.problems]
            base = []
            if doc.root is not None or not doc.problems:
                base = problems_of(topology_validator, doc.data)
                lines += [line_for(display, doc.position(p, k), dotted(p), m) for p, m, k in base]
            topology_results[real] = (display, doc, base, lines)
        return topology_results[real]

    pending_topologies = []
    for name in scenarios:
        doc = Document(name)
        lines = [line_for(name, (l, c), p, m) for l, c, p, m in doc.problems]
        if doc.root is not None or not doc.problems:
            lines += [line_for(name, doc.position(p, k), dotted(p), m)
                      for p, m, k in problems_of(scenario_validator, doc.data)]
        alternatives = doc.data.get("alternatives") if isinstance(doc.data, dict) else None
        for alt_id, alt in (alternatives.items() if isinstance(alternatives, dict) else []):
            if not isinstance(alt, dict) or "topology" not in alt:
                continue
            topo_path = ("alternatives", alt_id, "topology")
            topology, base, base_doc = alt["topology"], None, None
            if isinstance(topology, str):
                real = os.path.join(os.path.dirname(name), topology)
                display = os.path.normpath(real)
                if not os.path.isfile(real):
                    lines.append(line_for(name, doc.position(topo_path), dotted(topo_path),
                                          "topology file '%s' not found (looked in %s)" % (topology, display)))
                    continue
                if os.path.realpath(real) not in topology_results:
                    pending_topologies.append(os.path.realpath(real))
                _, base_doc, base, _ = check_topology_file(display, os.path.realpath(real))
                topology = base_doc.data
            elif isinstance(topology, dict):
                base = problems_of(topology_validator, topology)
            else:
                continue
            overrides = alt.get("overrides")
            if not isinstance(overrides, dict):
                continue
            merged = merge_patch(topology, overrides)
            known = {(p, m) for p, m, _ in base}
            for p, m, k in problems_of(topology_validator, merged):
                if (p, m) in known:
                    continue
                # Points at the deepest part of the overrides on the problem's path.
                position = doc.position(("alternatives", alt_id, "overrides") + p, k)
                lines.append(line_for(name, position, dotted(topo_path + p), m + " (after overrides)"))
        report.file(name, lines)
        for real in pending_topologies:
            display, _, _, topo_lines = topology_results[real]
            report.file(display, topo_lines)
        pending_topologies = []

    print("%d passed, %d failed" % (report.passed, report.failed))
    return 1 if report.failed or not scenarios else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
