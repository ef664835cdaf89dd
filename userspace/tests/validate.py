#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# validate.py - validate JSON lines against a JSON Schema with Debian's python3-jsonschema.
#
# Usage: validate.py SCHEMA FILE    (every non-empty line of FILE is one JSON document)
# Exit 0 if all are valid; 1, with each line's errors on stderr, if any is not; 2 on misuse.
# The last line on stdout is "validate.py: N documents, M invalid".
import json
import sys

import jsonschema


def main():
    if len(sys.argv) != 3:
        print("usage: validate.py SCHEMA FILE", file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=jsonschema.FormatChecker())
    bad = 0
    bad_docs = 0
    n = 0
    with open(sys.argv[2], encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            n += 1
            try:
                doc = json.loads(line)
            except ValueError as e:
                print("line %d: not JSON: %s" % (lineno, e), file=sys.stderr)
                bad += 1
                bad_docs += 1
                continue
            errors = 0
            for err in validator.iter_errors(doc):
                where = "/".join(str(p) for p in err.absolute_path) or "(top)"
                print("line %d: %s: %s" % (lineno, where, err.message), file=sys.stderr)
                errors += 1
            bad += errors
            bad_docs += 1 if errors else 0
    if n == 0:
        print("validate.py: no documents in %s" % sys.argv[2], file=sys.stderr)
        return 1
    print("validate.py: %d documents, %d invalid" % (n, bad_docs))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
