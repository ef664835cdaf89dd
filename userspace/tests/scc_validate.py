#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
# scc_validate.py - check JSON lines as SCC v2 findings: the JSON Schema, then a strict proto3 parse.
#
# Usage: scc_validate.py [--only schema|proto] [--schema SCHEMA] [--protos DIR] FILE
#
# Every non-empty line of FILE is one {"finding": ..., "resource": ...} document. It must be
# valid against SCHEMA (default docs/scc-finding.schema.json, with Debian's python3-jsonschema)
# and parse as google.cloud.securitycenter.v2.NotificationMessage with python3-protobuf's
# json_format.Parse, unknown fields refused, from the .proto files in DIR (default
# userspace/tests/scc) compiled by protoc into a temporary directory.
# Exit 0 if all are valid; 1, with each line's errors on stderr, if any is not; 2 on misuse or
# when a tool is missing. The last line on stdout is "scc_validate.py: N documents, M invalid".
# Debian's python3 (/usr/bin/python3) has both modules; another python3 without protobuf hands
# over to it.
import argparse
import glob
import importlib
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCHEMA = os.path.join(HERE, "..", "..", "docs", "scc-finding.schema.json")
DEFAULT_PROTOS = os.path.join(HERE, "scc")
WELL_KNOWN = "/usr/include"  # libprotobuf-dev: google/protobuf/{struct,timestamp}.proto


def schema_checker(path):
    import jsonschema

    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=jsonschema.FormatChecker())

    def check(doc):
        return ["schema: %s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(top)",
                                    e.message)
                for e in validator.iter_errors(doc)]
    return check


def proto_checker(proto_dir, out_dir):
    from google.protobuf import json_format

    protos = sorted(glob.glob(os.path.join(proto_dir, "*.proto")))
    if not protos:
        raise RuntimeError("no .proto files in %s" % proto_dir)
    subprocess.run(["protoc", "-I", proto_dir, "-I", WELL_KNOWN, "--python_out", out_dir]
                   + protos, check=True)
    sys.path.insert(0, out_dir)
    message = importlib.import_module("notification_message_pb2").NotificationMessage

    def check(line):
        try:
            json_format.Parse(line, message(), ignore_unknown_fields=False)
        except json_format.ParseError as e:
            return ["proto3: %s" % e]
        return []
    return check


def use_debian_python():
    """Run again under Debian's python3 when this one lacks python3-protobuf (e.g. a pyenv)."""
    try:
        import google.protobuf  # noqa: F401
    except ImportError:
        debian = "/usr/bin/python3"
        if os.path.realpath(sys.executable) != os.path.realpath(debian) and os.access(debian, os.X_OK):
            os.execv(debian, [debian, os.path.abspath(__file__)] + sys.argv[1:])


def main():
    use_debian_python()
    ap = argparse.ArgumentParser(description="validate SCC v2 finding JSON lines")
    ap.add_argument("--only", choices=("schema", "proto"))
    ap.add_argument("--schema", default=DEFAULT_SCHEMA)
    ap.add_argument("--protos", default=DEFAULT_PROTOS)
    ap.add_argument("file")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="whorl-scc-") as tmp:
        try:
            by_schema = schema_checker(args.schema) if args.only != "proto" else None
            by_proto = proto_checker(args.protos, tmp) if args.only != "schema" else None
        except (ImportError, OSError, RuntimeError, subprocess.CalledProcessError) as e:
            print("scc_validate.py: cannot set up the validators: %s" % e, file=sys.stderr)
            return 2
        n = bad = 0
        with open(args.file, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                n += 1
                try:
                    doc = json.loads(line)
                except ValueError as e:
                    errors = ["not JSON: %s" % e]
                else:
                    errors = by_schema(doc) if by_schema else []
                    errors += by_proto(line) if by_proto else []
                for e in errors:
                    print("line %d: %s" % (lineno, e), file=sys.stderr)
                bad += 1 if errors else 0
    if n == 0:
        print("scc_validate.py: no documents in %s" % args.file, file=sys.stderr)
        return 1
    print("scc_validate.py: %d documents, %d invalid" % (n, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
