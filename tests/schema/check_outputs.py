#!/usr/bin/env python3
"""Validates archsim's JSON outputs against their published schemas in docs/schemas/.

Usage: check_outputs.py SCHEMA_DIR FILE.json...

Which schema a file answers to follows its name, as the golden files are named:
validate*.json -> review.schema.json (archsim.review/1), run*.json -> run.schema.json
(archsim.run/1), price*.json -> price.schema.json (archsim.price/1), diff*.json ->
diff.schema.json (archsim.diff/1), explore*.json -> explore.schema.json (archsim.explore/1). Every schema is first checked against the draft 2020-12
meta-schema, and must be used by at least one file.

So that the check can fail, each schema must also reject mutations of the first file that
uses it: an unknown key at the top, a required key removed, and a value outside its enum
or of the wrong type deeper down. A schema that accepts them is reported as too loose.

Prints `ok FILE` or one line per problem (`FILE: /json/pointer: message`), then
`N passed, M failed`. Exits 1 when anything failed. Needs only python3-jsonschema (4.10+).
"""

import argparse
import copy
import json
import os
import sys

import jsonschema

KINDS = (("validate", "review"), ("run", "run"), ("price", "price"), ("diff", "diff"), ("explore", "explore"))


def kind_of(path):
    name = os.path.basename(path)
    for prefix, schema in KINDS:
        if name.startswith(prefix) and name.endswith(".json"):
            return schema
    return None


def pointer(path):
    return "/" + "/".join(str(p) for p in path)


def first(doc, key):
    """The first object reached through `key` lists/objects, depth first, or None."""
    if isinstance(doc, dict):
        if key in doc:
            return doc
        children = doc.values()
    elif isinstance(doc, list):
        children = doc
    else:
        return None
    for child in children:
        found = first(child, key)
        if found is not None:
            return found
    return None


def mutations(doc):
    """(what, mutated document) pairs that a precise schema must reject."""
    out = []
    extra = copy.deepcopy(doc)
    extra["unexpected_key"] = 1
    out.append(("an unknown top-level key", extra))
    missing = copy.deepcopy(doc)
    del missing["schema"]
    out.append(("no 'schema' key", missing))
    wrong = copy.deepcopy(doc)
    wrong["schema"] = wrong["schema"][:-1] + "9"
    out.append(("another schema version", wrong))
    for key, bad in (("status", "approved"), ("verdict", "maybe"), ("severity", "fatal")):
        nested = copy.deepcopy(doc)
        holder = first(nested, key)
        if holder is not None:
            holder[key] = bad
            out.append(("'%s' outside its enum" % key, nested))
            break
    typed = copy.deepcopy(doc)
    holder = first(typed, "id")
    if holder is not None:
        holder["id"] = 7
        out.append(("a number where an id string goes", typed))
    return out


def main(argv):
    parser = argparse.ArgumentParser(description="Validates archsim's JSON outputs against docs/schemas/.")
    parser.add_argument("schema_dir")
    parser.add_argument("files", nargs="+", metavar="FILE.json")
    args = parser.parse_args(argv)
    schema_dir, files = args.schema_dir, args.files
    passed = failed = 0
    validators = {}
    for _, kind in KINDS:
        path = os.path.join(schema_dir, kind + ".schema.json")
        try:
            with open(path, encoding="utf-8") as f:
                schema = json.load(f)
            jsonschema.Draft202012Validator.check_schema(schema)
            validators[kind] = jsonschema.Draft202012Validator(schema)
        except (OSError, ValueError, jsonschema.SchemaError) as e:
            print("%s: invalid schema: %s" % (path, getattr(e, "message", e)))
            failed += 1
    used = {}
    for path in files:
        kind = kind_of(path)
        if kind not in validators:
            print("%s: no schema for this file name (expected validate*, run*, price* or diff*.json)" % path)
            failed += 1
            continue
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        errors = sorted(validators[kind].iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
        for e in errors:
            print("%s: %s: %s" % (path, pointer(e.absolute_path), e.message))
        if errors:
            failed += 1
        else:
            passed += 1
            print("ok %s" % path)
            used.setdefault(kind, (path, doc))
    for _, kind in KINDS:
        if kind not in validators:
            continue
        if kind not in used:
            print("%s.schema.json: no valid file was checked against it" % kind)
            failed += 1
            continue
        path, doc = used[kind]
        loose = [what for what, mutated in mutations(doc) if validators[kind].is_valid(mutated)]
        for what in loose:
            print("%s.schema.json: too loose: accepts %s with %s" % (kind, path, what))
        if loose:
            failed += 1
        else:
            passed += 1
            print("ok %s.schema.json rejects every mutation of %s" % (kind, path))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
