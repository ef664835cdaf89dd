#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# sigma_expect.py - derive, from each Sigma rule's YAML, exec events it must and must not match.
#
# Reads the rules with python3-yaml and judges events with its own small Sigma evaluator (written
# from the specification, sharing nothing with the C engine), then writes one JSON line per
# expectation: {"rule": FILE, "match": true|false, "why": ..., "event": {...}}.
#
#   sigma_expect.py RULES_DIR OUT          write the expectations
#   sigma_expect.py --check RULES_DIR OUT [MANUAL]
#                                          fail if OUT is not what RULES_DIR gives (stale), or
#                                          if this evaluator disagrees with a hand-written
#                                          expectation of MANUAL
#
# For each rule it finds which search identifiers to satisfy (trying the combinations until
# the condition holds), builds the fields from the values of those searches and then:
#   - the base event (first value of each list), which must match;
#   - one event per other value of each list the base event used (each value is exercised);
#   - the base event in upper case (Sigma compares case-insensitively, |re aside);
#   - the base event without each field of a satisfied map (a map is an AND);
#   - the base event without each satisfied search, and with each filter (a search under
#     `not`) satisfied too: the near misses;
#   - for |all lists, the event with one of the values left out.
# Each event is recorded with the verdict of this evaluator; the generator fails unless every
# rule gets at least one event that matches and one that does not, or is listed in NEEDS_MANUAL
# (rules whose every way to match needs a regular expression, written by hand in
# expect-manual.jsonl).
import itertools
import json
import os
import re
import sys

import yaml

NEEDS_MANUAL = {
    "proc_creation_lnx_auditctl_clear_rules.yml",
    "proc_creation_lnx_pnscan_binary_cli_pattern.yml",
    "proc_creation_lnx_susp_inod_listing.yml",
}


# --- the evaluator ------------------------------------------------------------------------------

def split_key(key):
    parts = key.split("|")
    return parts[0], parts[1:]


def plain_to_regex(value):
    """A plain value with Sigma's wildcards and escapes as an anchored Python regex."""
    out, i = [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value) and value[i + 1] in "*?\\":
            out.append(re.escape(value[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
        i += 1
    return "".join(out)


def lower(s):
    return "".join(c.lower() if "A" <= c <= "Z" else c for c in s)


def value_matches(field_value, value, mods):
    if value is None:
        return field_value is None
    if field_value is None:
        return False
    value = str(value)
    if "re" in mods:
        flags = (re.I if "i" in mods else 0) | (re.M if "m" in mods else 0) | (re.S if "s" in mods else 0)
        return re.search(value, field_value, flags) is not None
    pat = plain_to_regex(lower(value))
    if "contains" in mods:
        pat = ".*" + pat + ".*"
    elif "startswith" in mods:
        pat = pat + ".*"
    elif "endswith" in mods:
        pat = ".*" + pat
    return re.fullmatch(pat, lower(field_value), re.S) is not None


def item_matches(event, key, values):
    field, mods = split_key(key)
    unknown = set(mods) - {"contains", "startswith", "endswith", "all", "re", "i", "m", "s"}
    if unknown:
        raise ValueError("generator does not know modifiers %s" % unknown)
    vals = values if isinstance(values, list) else [values]
    results = [value_matches(event.get(field), v, mods) for v in vals]
    return all(results) if "all" in mods else any(results)


def search_matches(event, search):
    maps = search if isinstance(search, list) else [search]
    for m in maps:
        if not isinstance(m, dict):
            raise ValueError("generator does not handle keyword lists")
        if all(item_matches(event, k, v) for k, v in m.items()):
            return True
    return False


def tokenize(cond):
    return re.findall(r"\(|\)|[^\s()]+", cond)


def parse_condition(tokens, names):
    """The condition as a nested tuple; raises on what it does not know."""
    pos = [0]

    def peek():
        return tokens[pos[0]] if pos[0] < len(tokens) else None

    def take():
        pos[0] += 1
        return tokens[pos[0] - 1]

    def expand(pattern):
        if pattern == "them":
            return [n for n in names if not n.startswith("_")]
        rx = "^" + ".*".join(re.escape(p) for p in pattern.split("*")) + "$"
        return [n for n in names if re.match(rx, n)]

    def prim():
        t = take()
        if t == "(":
            e = orx()
            assert take() == ")"
            return e
        if t == "all" or t.isdigit():
            assert take() == "of"
            refs = expand(take())
            assert refs
            return ("of", len(refs) if t == "all" else int(t), refs)
        assert t in names, t
        return ("ref", t)

    def notx():
        if peek() == "not":
            take()
            return ("not", notx())
        return prim()

    def andx():
        e = notx()
        while peek() == "and":
            take()
            e = ("and", e, notx())
        return e

    def orx():
        e = andx()
        while peek() == "or":
            take()
            e = ("or", e, andx())
        return e

    e = orx()
    assert pos[0] == len(tokens)
    return e


def cond_eval(c, truth):
    op = c[0]
    if op == "ref":
        return truth[c[1]]
    if op == "not":
        return not cond_eval(c[1], truth)
    if op == "and":
        return cond_eval(c[1], truth) and cond_eval(c[2], truth)
    if op == "or":
        return cond_eval(c[1], truth) or cond_eval(c[2], truth)
    return sum(truth[r] for r in c[2]) >= c[1]


def negated(c, under=False):
    """Search identifiers that appear under a `not`."""
    if c[0] == "ref":
        return {c[1]} if under else set()
    if c[0] == "not":
        return negated(c[1], not under)
    if c[0] == "of":
        return set(c[2]) if under else set()
    return negated(c[1], under) | negated(c[2], under)


class Rule:
    def __init__(self, path):
        with open(path) as f:
            doc = yaml.safe_load(f)
        det = doc["detection"]
        self.searches = {k: v for k, v in det.items() if k != "condition"}
        conds = det["condition"] if isinstance(det["condition"], list) else [det["condition"]]
        self.conds = [parse_condition(tokenize(c), list(self.searches)) for c in conds]

    def matches(self, event):
        truth = {n: search_matches(event, s) for n, s in self.searches.items()}
        return any(cond_eval(c, truth) for c in self.conds)


# --- building events ----------------------------------------------------------------------------

def example(value, mods):
    """A string the plain value matches: wildcards filled, escapes resolved."""
    if value is None:
        return None
    value, out, i = str(value), [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value) and value[i + 1] in "*?\\":
            out.append(value[i + 1])
            i += 2
            continue
        out.append("" if ch == "*" else "x" if ch == "?" else ch)
        i += 1
    return "".join(out)


def pick_map(search):
    """The first map of a search that needs no regular expression, or None."""
    maps = search if isinstance(search, list) else [search]
    for m in maps:
        if all("re" not in split_key(k)[1] for k in m):
            return m
    return None


def parts_for(m, choice):
    """(field, kind, text) parts that satisfy map m; choice: {key: index of the value used}."""
    parts = []
    for key, values in m.items():
        field, mods = split_key(key)
        vals = values if isinstance(values, list) else [values]
        kind = next((k for k in ("contains", "startswith", "endswith") if k in mods), "exact")
        used = vals if "all" in mods else [vals[choice.get(key, 0)]]
        for v in used:
            parts.append((field, kind, example(v, mods)))
    return parts


def compose(parts):
    fields = {}
    for field, kind, text in parts:
        fields.setdefault(field, []).append((kind, text))
    event = {}
    for field, ps in fields.items():
        exact = [t for k, t in ps if k == "exact"]
        if exact:
            event[field] = exact[0]
            continue
        order = {"startswith": 0, "contains": 1, "endswith": 2}
        texts = [t for k, t in sorted(ps, key=lambda p: order[p[0]])]
        value = " ".join(texts)
        if field.endswith("Image") and not any(k == "startswith" for k, _ in ps) \
                and not value.startswith("/"):
            value = "/usr/bin/" + value
        elif field.endswith("Image") and not any(k == "startswith" for k, _ in ps):
            value = "/usr/bin" + value
        event[field] = value
    return event


def build(rule, true_set, choices):
    parts = []
    for name in true_set:
        m = pick_map(rule.searches[name])
        parts += parts_for(m, choices.get(name, {}))
    return compose(parts)


def upper(event):
    return {k: (v.upper() if isinstance(v, str) else v) for k, v in event.items()}


def expectations(name, rule):
    usable = [n for n, s in rule.searches.items() if pick_map(s) is not None]
    base_set = None
    for size in range(1, len(usable) + 1):
        for combo in itertools.combinations(usable, size):
            if rule.matches(build(rule, combo, {})):
                base_set = combo
                break
        if base_set:
            break
    out = []

    def record(event, why):
        if event and all(e["event"] != event for e in out):
            out.append({"rule": name, "match": rule.matches(event), "why": why, "event": event})

    if base_set is None:
        return out
    base = build(rule, base_set, {})
    record(base, "satisfies %s with the first value of each list" % ", ".join(base_set))
    for sname in base_set:
        m = pick_map(rule.searches[sname])
        for key, values in m.items():
            vals = values if isinstance(values, list) else [values]
            if "all" in split_key(key)[1]:
                for i in range(len(vals)):
                    m2 = dict(m)
                    m2[key] = vals[:i] + vals[i + 1:]
                    if not m2[key]:
                        continue
                    parts = []
                    for other in base_set:
                        parts += parts_for(m2 if other == sname else pick_map(rule.searches[other]), {})
                    record(compose(parts), "%s: %s without %r" % (sname, key, vals[i]))
                continue
            for i in range(1, len(vals)):
                record(build(rule, base_set, {sname: {key: i}}),
                       "%s: %s value %r" % (sname, key, vals[i]))
    record(upper(base), "the base event in upper case")
    for sname in base_set:
        m = pick_map(rule.searches[sname])
        if len(m) < 2:
            continue
        for key in m:
            m2 = {k: v for k, v in m.items() if k != key}
            parts = []
            for other in base_set:
                parts += parts_for(m2 if other == sname else pick_map(rule.searches[other]), {})
            record(compose(parts), "%s without its %s" % (sname, key))
    for sname in base_set:
        rest = tuple(n for n in base_set if n != sname)
        record(build(rule, rest, {}) or {"Image": "/usr/bin/true", "CommandLine": "true"},
               "the base event without %s" % sname)
    filters = set()
    for c in rule.conds:
        filters |= negated(c)
    for f in sorted(filters):
        if f in usable and f not in base_set:
            record(build(rule, base_set + (f,), {}), "the base event with %s too" % f)
    record({"Image": "/usr/bin/true", "CommandLine": "true"}, "an unrelated command")
    return out


def generate(rules_dir):
    lines, problems = [], []
    if not os.path.isdir(rules_dir):
        sys.exit("sigma_expect.py: no rules at %s: put shared/ beside the repository or set "
                 "WHORL_SIGMA_DIR" % rules_dir)
    for fn in sorted(os.listdir(rules_dir)):
        if not fn.endswith((".yml", ".yaml")):
            continue
        exp = expectations(fn, Rule(os.path.join(rules_dir, fn)))
        has_match = any(e["match"] for e in exp)
        has_miss = any(not e["match"] for e in exp)
        if fn in NEEDS_MANUAL:
            if has_match:
                problems.append("%s: listed in NEEDS_MANUAL but derivable" % fn)
            exp = [e for e in exp if not e["match"]]
        elif not (has_match and has_miss):
            problems.append("%s: no %s event derived" % (fn, "matching" if not has_match else "non-matching"))
        lines += [json.dumps(e, sort_keys=True) for e in exp]
    return lines, problems


def check_manual(rules_dir, path):
    """The hand-written expectations, judged by this evaluator too."""
    rules, bad, n = {}, [], 0
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            e = json.loads(line)
            rule = rules.setdefault(e["rule"], Rule(os.path.join(rules_dir, e["rule"])))
            n += 1
            if rule.matches(e["event"]) != e["match"]:
                bad.append("%s:%d: %s: %s" % (path, lineno, e["rule"], e["why"]))
    if bad:
        sys.exit("sigma_expect.py: the evaluator disagrees:\n" + "\n".join(bad))
    print("sigma_expect.py: %s agrees (%d expectations)" % (path, n))


def main(argv):
    check = argv[1:2] == ["--check"]
    args = argv[2:] if check else argv[1:]
    if len(args) != 2 and not (check and len(args) == 3):
        sys.exit("usage: sigma_expect.py [--check] RULES_DIR OUT [MANUAL]")
    lines, problems = generate(args[0])
    if problems:
        sys.exit("sigma_expect.py: " + "; ".join(problems))
    text = "".join(line + "\n" for line in lines)
    if check:
        with open(args[1]) as f:
            if f.read() != text:
                sys.exit("sigma_expect.py: %s is stale: regenerate it with "
                         "'python3 tests/sigma_expect.py RULES_DIR %s'" % (args[1], args[1]))
        print("sigma_expect.py: %s is current (%d expectations)" % (args[1], len(lines)))
        if len(args) == 3:
            check_manual(args[0], args[2])
        return
    with open(args[1], "w") as f:
        f.write(text)
    print("sigma_expect.py: %d expectations written to %s" % (len(lines), args[1]))


if __name__ == "__main__":
    main(sys.argv)
