# SPDX-License-Identifier: GPL-2.0
# json.awk - flatten one JSON document per input line into "RECORD<TAB>key<TAB>value" lines, so the
# guest (busybox, no jq) can assert exact fields: processes.0.binary.path, processes.0.args.# (length).
# Strings are unescaped (\/ \" \\), \n \t \uXXXX are kept as written; numbers and literals verbatim.

function skip_ws() {
	while (pos <= len && index(" \t\r\n", substr(s, pos, 1)))
		pos++
}

function emit(path, value) {
	printf "%d\t%s\t%s\n", NR, path, value
}

function join(path, key) {
	return path == "" ? key : path "." key
}

function parse_string(out, c, e) {
	pos++
	out = ""
	while (pos <= len) {
		if (match(substr(s, pos), /^[^"\\]+/)) {
			out = out substr(s, pos, RLENGTH)
			pos += RLENGTH
		}
		c = substr(s, pos, 1)
		if (c == "\"") {
			pos++
			return out
		}
		if (c == "\\") {
			e = substr(s, pos + 1, 1)
			pos += 2
			if (e == "u") {
				out = out "\\u" substr(s, pos, 4)
				pos += 4
			} else if (e == "n" || e == "t" || e == "r" || e == "b" || e == "f") {
				out = out "\\" e
			} else {
				out = out e
			}
		}
	}
	bad = "unterminated string"
	return out
}

function parse_value(path, c) {
	skip_ws()
	c = substr(s, pos, 1)
	if (c == "{")
		parse_object(path)
	else if (c == "[")
		parse_array(path)
	else if (c == "\"")
		emit(path, parse_string())
	else if (match(substr(s, pos), /^[-+0-9.eEtruefalsn]+/)) {
		emit(path, substr(s, pos, RLENGTH))
		pos += RLENGTH
	} else {
		bad = "unexpected '" c "' at " pos
		pos = len + 1
	}
}

function parse_object(path, key, c) {
	pos++
	skip_ws()
	if (substr(s, pos, 1) == "}") {
		pos++
		emit(path, "{}")
		return
	}
	while (pos <= len) {
		skip_ws()
		key = parse_string()
		skip_ws()
		pos++			# ':'
		parse_value(join(path, key))
		skip_ws()
		c = substr(s, pos++, 1)
		if (c == "}")
			return
	}
}

function parse_array(path, i, c) {
	pos++
	skip_ws()
	if (substr(s, pos, 1) == "]") {
		pos++
		emit(join(path, "#"), 0)
		return
	}
	for (i = 0; pos <= len; i++) {
		parse_value(join(path, i))
		skip_ws()
		c = substr(s, pos++, 1)
		if (c == "]")
			break
	}
	emit(join(path, "#"), i + 1)
}

{
	s = $0
	len = length(s)
	pos = 1
	bad = ""
	skip_ws()
	if (pos > len)
		next
	parse_value("")
	if (bad != "")
		emit("!error", bad)
}
