# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
"""Compile the official OCA JSON schemas of OCPP 1.6J and 2.0.1 into Swift `PayloadSchema` tables.

Run through scripts/generate-ocpp-schemas.sh, which installs the pinned Python `ocpp` package
(the schemas ship inside it), calls this script and formats the output with `swift format`.
Standard library only.

For each version it writes, into the given output folder (every .swift file already there is
replaced; the folder belongs to this generator):
  <Prefix>Schemas.swift          public enum <Prefix>Schemas: request(_:), response(_:), actions
  <Prefix>Definitions*.swift     one `static let` per `definitions` entry (shared by every message
                                 that refers to it; the OCA files repeat them per file)
  <Prefix>Schemas+<L>.swift      one builder function and one `static let` per message, grouped by
                                 the action's first letter so that adding an action touches one file

The schemas are read strictly: a keyword this generator does not know, a `$ref` that is not
`#/definitions/<name>`, a recursive definition or a file name that is neither a request nor a
response stops the generation, so that a new schema release cannot be compiled half-understood.
"""

import argparse
import json
import os
import re
import sys

LICENCE = "// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0."

# Keywords that carry no constraint on a payload (annotations, identifiers) or none for the shapes
# the OCA files use: `additionalItems` only matters when `items` is an array of schemas, and these
# schemas always give a single schema.
IGNORED_KEYWORDS = {"$schema", "$id", "id", "title", "description", "comment", "javaType", "default"}
KNOWN_KEYWORDS = IGNORED_KEYWORDS | {
    "type", "properties", "required", "additionalProperties", "additionalItems", "enum", "maxLength",
    "minLength", "minimum", "maximum", "multipleOf", "items", "minItems", "maxItems", "format", "$ref",
    "definitions",
}
# The keywords each type may carry. `additionalProperties` on a string is a quirk of the 1.6 files
# (they put it on every enumeration) and has no effect there.
KEYWORDS_BY_TYPE = {
    "object": {"properties", "required", "additionalProperties"},
    "array": {"items", "minItems", "maxItems", "additionalItems"},
    "string": {"maxLength", "minLength", "format", "enum", "additionalProperties"},
    "integer": {"minimum", "maximum"},
    "number": {"minimum", "maximum", "multipleOf"},
    "boolean": set(),
}
KNOWN_TYPES = set(KEYWORDS_BY_TYPE)
KNOWN_FORMATS = {"date-time": ".dateTime", "uri": ".uri"}


class SchemaError(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Reading: JSON schema -> a small intermediate tree
#
# Node shapes (tuples, so that they compare and hash structurally):
#   ("ref", definition_key)
#   ("object", ((name, node), ...), required_tuple, additional_allowed)
#   ("array", item_node, min_items, max_items)
#   ("string", min_length, max_length, format)
#   ("enum", values_tuple)
#   ("integer", minimum, maximum)
#   ("number", minimum, maximum, multiple_of)
#   ("boolean",)
#   ("any",)
# ---------------------------------------------------------------------------------------------


def number_or_none(node, key, where):
    value = node.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SchemaError(f"{where}: {key} must be a number, got {value!r}")
    return value


def int_or_none(node, key, where):
    value = number_or_none(node, key, where)
    if value is None:
        return None
    if int(value) != value or value < 0:
        raise SchemaError(f"{where}: {key} must be a non-negative integer, got {value!r}")
    return int(value)


def read_node(node, where, resolve_ref):
    if not isinstance(node, dict):
        raise SchemaError(f"{where}: a schema must be an object")
    unknown = set(node) - KNOWN_KEYWORDS
    if unknown:
        raise SchemaError(f"{where}: unknown keyword(s) {sorted(unknown)}")
    if "$ref" in node:
        others = set(node) - IGNORED_KEYWORDS - {"$ref"}
        if others:
            # draft-04/06: siblings of $ref are ignored by validators; refuse rather than guess.
            raise SchemaError(f"{where}: $ref with sibling keywords {sorted(others)}")
        return resolve_ref(node["$ref"], where)

    kind = node.get("type")
    if isinstance(kind, list):
        raise SchemaError(f"{where}: type arrays are not used by the OCA schemas; extend the generator")
    if kind is not None and kind not in KNOWN_TYPES:
        raise SchemaError(f"{where}: unknown type {kind!r}")
    if kind is not None:
        misplaced = set(node) - IGNORED_KEYWORDS - {"type"} - KEYWORDS_BY_TYPE[kind]
        if misplaced:
            raise SchemaError(f"{where}: keyword(s) {sorted(misplaced)} on type {kind}")
    if "items" in node and not isinstance(node["items"], dict):
        raise SchemaError(f"{where}: tuple-form items are not supported")
    if "additionalItems" in node and node["additionalItems"] is not False:
        raise SchemaError(f"{where}: additionalItems other than false")

    if "enum" in node:
        values = node["enum"]
        if kind != "string" or not all(isinstance(v, str) for v in values):
            raise SchemaError(f"{where}: only string enumerations are supported")
        if {"maxLength", "minLength", "format"} & set(node):
            raise SchemaError(f"{where}: an enumeration with length or format constraints")
        if len(set(values)) != len(values):
            raise SchemaError(f"{where}: duplicate enumeration values")
        return ("enum", tuple(values))

    if kind == "object":
        properties = []
        for name, child in node.get("properties", {}).items():
            properties.append((name, read_node(child, f"{where}/{name}", resolve_ref)))
        required = tuple(node.get("required", []))
        declared = {name for name, _ in properties}
        for name in required:
            if name not in declared:
                raise SchemaError(f"{where}: required {name!r} is not a declared property")
        additional = node.get("additionalProperties", True)
        if not isinstance(additional, bool):
            raise SchemaError(f"{where}: additionalProperties must be a boolean")
        return ("object", tuple(properties), required, additional)
    if "properties" in node or "required" in node:
        raise SchemaError(f"{where}: properties/required on a non-object")
    if kind == "array":
        if "items" not in node:
            raise SchemaError(f"{where}: array without items")
        item = read_node(node["items"], f"{where}[]", resolve_ref)
        return ("array", item, int_or_none(node, "minItems", where), int_or_none(node, "maxItems", where))
    if kind == "string":
        fmt = node.get("format")
        if fmt is not None and fmt not in KNOWN_FORMATS:
            raise SchemaError(f"{where}: unknown format {fmt!r}")
        return ("string", int_or_none(node, "minLength", where), int_or_none(node, "maxLength", where), fmt)
    if kind == "integer":
        return ("integer", number_or_none(node, "minimum", where), number_or_none(node, "maximum", where))
    if kind == "number":
        return (
            "number",
            number_or_none(node, "minimum", where),
            number_or_none(node, "maximum", where),
            number_or_none(node, "multipleOf", where),
        )
    if kind == "boolean":
        return ("boolean",)
    if kind is None:
        constraining = set(node) - IGNORED_KEYWORDS
        if constraining:
            raise SchemaError(f"{where}: constraints {sorted(constraining)} without a type")
        return ("any",)
    raise SchemaError(f"{where}: unhandled type {kind!r}")


def lower_camel(name):
    """`EVSEType` -> `evseType`, `IdTokenInfoType` -> `idTokenInfoType`, `idTag` -> `idTag`."""
    match = re.match(r"^([A-Z]+)(?=[A-Z][a-z]|$)", name)
    if match and len(match.group(1)) > 1:
        head = match.group(1)
        return head.lower() + name[len(head):]
    return name[:1].lower() + name[1:]


def upper_camel(name):
    return name[:1].upper() + name[1:]


class Version:
    """Everything read from one version's schema folder."""

    def __init__(self, prefix, request_suffix):
        self.prefix = prefix
        self.request_suffix = request_suffix  # "" for 1.6 (BootNotification.json), "Request" for 2.0.1
        self.definitions = {}  # key -> node (refs inside are ("ref", key))
        self.definition_names = {}  # key -> Swift identifier
        self.messages = {}  # (action, "request"/"response") -> (node, file name)

    def read_folder(self, folder):
        files = sorted(f for f in os.listdir(folder) if f.endswith(".json"))
        if not files:
            raise SchemaError(f"{folder}: no schema files")
        for file_name in files:
            stem = file_name[: -len(".json")]
            if stem.endswith("Response"):
                action, direction = stem[: -len("Response")], "response"
            elif self.request_suffix and stem.endswith(self.request_suffix):
                action, direction = stem[: -len(self.request_suffix)], "request"
            elif not self.request_suffix:
                action, direction = stem, "request"
            else:
                raise SchemaError(f"{file_name}: neither a request nor a response schema")
            with open(os.path.join(folder, file_name), encoding="utf-8") as handle:
                document = json.load(handle)
            self.messages[(action, direction)] = (self.read_document(document, file_name), file_name)
        actions = {action for action, _ in self.messages}
        for action in sorted(actions):
            for direction in ("request", "response"):
                if (action, direction) not in self.messages:
                    raise SchemaError(f"{self.prefix}: {action} has no {direction} schema")
        self.assign_definition_names()

    def read_document(self, document, file_name):
        raw_definitions = document.get("definitions", {})
        local = {}  # definition name -> key, filled while resolving
        resolving = []

        def resolve_ref(ref, where):
            match = re.fullmatch(r"#/definitions/([A-Za-z0-9_]+)", ref)
            if not match:
                raise SchemaError(f"{where}: unsupported $ref {ref!r}")
            name = match.group(1)
            if name in local:
                return ("ref", local[name])
            if name not in raw_definitions:
                raise SchemaError(f"{where}: $ref to missing definition {name!r}")
            if name in resolving:
                raise SchemaError(f"{file_name}: recursive definition {' -> '.join(resolving + [name])}")
            resolving.append(name)
            node = read_node(raw_definitions[name], f"{file_name}#/definitions/{name}", resolve_ref)
            resolving.pop()
            # The OCA files repeat shared types (CustomDataType, EVSEType ...) in every file; one
            # Swift node per distinct (name, content) serves them all.
            key = (name, node)
            self.definitions[key] = node
            local[name] = key
            return ("ref", key)

        root = {k: v for k, v in document.items() if k != "definitions"}
        node = read_node(root, f"{file_name}#", resolve_ref)
        if node[0] != "object":
            raise SchemaError(f"{file_name}: the payload schema is not an object")
        return node

    def assign_definition_names(self):
        by_name = {}
        for key in self.definitions:
            by_name.setdefault(key[0], []).append(key)
        for name, keys in by_name.items():
            keys.sort(key=repr)
            for index, key in enumerate(keys):
                suffix = "" if len(keys) == 1 else str(index + 1)
                self.definition_names[key] = lower_camel(name) + suffix

    @property
    def actions(self):
        return sorted({action for action, _ in self.messages})


# ---------------------------------------------------------------------------------------------
# Writing: intermediate tree -> Swift
# ---------------------------------------------------------------------------------------------


def swift_string(text):
    escaped = []
    for char in text:
        if char in "\\\"":
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or char == "\x7f":
            escaped.append(f"\\u{{{ord(char):x}}}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def swift_double(value):
    return repr(float(value))  # Python's shortest round-trip form is a valid Swift Double literal


def optional_args(pairs):
    return ", ".join(f"{label}: {value}" for label, value in pairs if value is not None)


class FunctionWriter:
    """Emits one builder function: inline objects and arrays become explicitly typed locals in
    post-order, leaves are written in place, definitions are referenced by their static let."""

    def __init__(self, version):
        self.version = version
        self.lines = []
        self.used_names = set()

    def local_name(self, hint):
        base = lower_camel(re.sub(r"[^A-Za-z0-9]", "", hint)) or "node"
        name = base + "Schema"
        counter = 2
        while name in self.used_names:
            name = f"{base}{counter}Schema"
            counter += 1
        self.used_names.add(name)
        return name

    def expression(self, node, hint):
        """A Swift expression for `node`; may append local declarations to self.lines."""
        kind = node[0]
        if kind == "ref":
            return f"{self.version.prefix}Definitions.{self.version.definition_names[node[1]]}"
        if kind == "object":
            return self.declare(hint, self.object_expression(node, hint))
        if kind == "array":
            item = self.expression(node[1], hint + "Item")
            args = optional_args([("minItems", node[2]), ("maxItems", node[3])])
            return f"PayloadSchema.array(of: {item}{', ' + args if args else ''})"
        return leaf_expression(node)

    def object_expression(self, node, hint):
        _, properties, required, additional = node
        entries = []
        for name, child in properties:
            child_hint = name if not hint else hint + upper_camel(name)
            entries.append(f"PayloadSchema.Property({swift_string(name)}, {self.expression(child, child_hint)})")
        if entries:
            body = "\n".join(f"        {entry}," for entry in entries)
            listing = f"[\n{body}\n    ]"
        else:
            listing = "[]"
        required_list = "[" + ", ".join(swift_string(name) for name in required) + "]"
        return (
            f"PayloadSchema.object(\n    {listing},\n    required: {required_list}, "
            f"additionalProperties: {'true' if additional else 'false'})"
        )

    def declare(self, hint, expression):
        name = self.local_name(hint)
        self.lines.append(f"let {name}: PayloadSchema = {expression}")
        return name

    def function(self, signature, node):
        """The whole function: locals, then `return <root>`."""
        if node[0] == "object":
            root = self.object_expression(node, "")
        else:
            root = self.expression(node, "root")
        body = self.lines + [f"return {root}"]
        indented = []
        for statement in body:
            for line in statement.split("\n"):
                indented.append(("        " + line) if line else "")
        return f"    {signature} {{\n" + "\n".join(indented) + "\n    }"


def leaf_expression(node):
    kind = node[0]
    if kind == "enum":
        values = ", ".join(swift_string(v) for v in node[1])
        return f"PayloadSchema.enumeration([{values}])"
    if kind == "string":
        fmt = KNOWN_FORMATS.get(node[3]) if node[3] else None
        args = optional_args([("minLength", node[1]), ("maxLength", node[2]), ("format", fmt)])
        return f"PayloadSchema.string({args})"
    if kind == "integer":
        args = optional_args([
            ("minimum", None if node[1] is None else swift_double(node[1])),
            ("maximum", None if node[2] is None else swift_double(node[2])),
        ])
        return f"PayloadSchema.integer({args})"
    if kind == "number":
        args = optional_args([
            ("minimum", None if node[1] is None else swift_double(node[1])),
            ("maximum", None if node[2] is None else swift_double(node[2])),
            ("multipleOf", None if node[3] is None else swift_double(node[3])),
        ])
        return f"PayloadSchema.number({args})"
    if kind == "boolean":
        return "PayloadSchema.boolean()"
    if kind == "any":
        return "PayloadSchema.anyValue()"
    raise SchemaError(f"no leaf expression for {kind}")


def header(command, package_version, source):
    return (
        f"{LICENCE}\n"
        f"//\n"
        f"// GENERATED FILE, do not edit. Regenerate with: {command}\n"
        f"// Source: the OCA JSON schemas in the Python `ocpp` package {package_version} ({source}).\n"
    )


def message_member_name(action, direction):
    return lower_camel(action) + ("Request" if direction == "request" else "Response")


def write_version(version, out_dir, command, package_version, source, version_label, definitions_per_file):
    files = {}
    head = header(command, package_version, source)
    enum_name = f"{version.prefix}Schemas"
    definitions_enum = f"{version.prefix}Definitions"
    actions = version.actions

    # 1. The public table.
    action_lines = "\n".join(f"        {swift_string(a)}," for a in actions)

    def switch(direction):
        cases = "\n".join(
            f"        case {swift_string(a)}: return {message_member_name(a, direction)}" for a in actions
        )
        return f"        switch action {{\n{cases}\n        default: return nil\n        }}"

    files[f"{enum_name}.swift"] = (
        f"{head}\n"
        f"public import OCPPRPC\n\n"
        f"/// The payload schemas of every {version_label} action, compiled from the official OCA JSON schemas.\n"
        f"///\n"
        f"/// Each message's schema is built on first use and kept for the life of the process.\n"
        f"public enum {enum_name} {{\n"
        f"    /// Every action name as it appears on the wire, sorted.\n"
        f"    public static let actions: [String] = [\n{action_lines}\n    ]\n\n"
        f"    /// The schema of the CALL payload of `action` (the wire name, e.g. `BootNotification`), or nil\n"
        f"    /// for an action {version_label} does not define.\n"
        f"    public static func request(_ action: String) -> PayloadSchema? {{\n{switch('request')}\n    }}\n\n"
        f"    /// The schema of the CALLRESULT payload of `action`, or nil for an unknown action.\n"
        f"    public static func response(_ action: String) -> PayloadSchema? {{\n{switch('response')}\n    }}\n"
        f"}}\n"
    )

    # 2. Definitions, in chunks so that no single file dominates the build.
    definition_keys = sorted(version.definitions, key=lambda k: version.definition_names[k])
    chunks = [
        definition_keys[i : i + definitions_per_file] for i in range(0, len(definition_keys), definitions_per_file)
    ]
    for number, chunk in enumerate(chunks, start=1):
        members = []
        for key in chunk:
            swift_name = version.definition_names[key]
            maker = "make" + upper_camel(swift_name)
            node = version.definitions[key]
            members.append(f"    /// `{key[0]}`.\n    static let {swift_name}: PayloadSchema = {maker}()")
            writer = FunctionWriter(version)
            members.append(writer.function(f"private static func {maker}() -> PayloadSchema", node))
        suffix = "" if len(chunks) == 1 else str(number)
        preamble = f"/// Types shared by several {version_label} messages (`definitions` in the OCA schemas).\n"
        declaration = f"enum {definitions_enum}" if number == 1 else f"extension {definitions_enum}"
        files[f"{definitions_enum}{suffix}.swift"] = (
            f"{head}\nimport OCPPRPC\n\n{preamble if number == 1 else ''}{declaration} {{\n"
            + "\n\n".join(members)
            + "\n}\n"
        )
    if not chunks:
        files[f"{definitions_enum}.swift"] = (
            f"{head}\n/// Types shared by several {version_label} messages (none in this version).\n"
            f"enum {definitions_enum} {{}}\n"
        )

    # 3. Messages, grouped by first letter.
    groups = {}
    for action in actions:
        groups.setdefault(action[0].upper(), []).append(action)
    for letter, group in sorted(groups.items()):
        members = []
        for action in group:
            for direction in ("request", "response"):
                node, file_name = version.messages[(action, direction)]
                member = message_member_name(action, direction)
                maker = "make" + upper_camel(member)
                members.append(f"    /// `{file_name}`.\n    static let {member}: PayloadSchema = {maker}()")
                writer = FunctionWriter(version)
                members.append(writer.function(f"private static func {maker}() -> PayloadSchema", node))
        files[f"{enum_name}+{letter}.swift"] = (
            f"{head}\nimport OCPPRPC\n\nextension {enum_name} {{\n" + "\n\n".join(members) + "\n}\n"
        )

    os.makedirs(out_dir, exist_ok=True)
    for existing in os.listdir(out_dir):
        if existing.endswith(".swift") and existing not in files:
            os.remove(os.path.join(out_dir, existing))
    for name, text in sorted(files.items()):
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as handle:
            handle.write(text)
    return len(files)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--package-dir", required=True, help="the installed `ocpp` package folder")
    parser.add_argument("--package-version", required=True, help="its version, for the file headers")
    parser.add_argument("--out16", required=True, help="output folder for OCPP 1.6J (Shared/OCPP16/Generated)")
    parser.add_argument("--out201", required=True, help="output folder for OCPP 2.0.1 (Shared/OCPP201/Generated)")
    parser.add_argument("--command", default="scripts/generate-ocpp-schemas.sh", help="named in the headers")
    parser.add_argument("--definitions-per-file", type=int, default=40)
    args = parser.parse_args()

    try:
        for prefix, request_suffix, sub, out, label in (
            ("OCPP16", "", "v16", args.out16, "OCPP 1.6J"),
            ("OCPP201", "Request", "v201", args.out201, "OCPP 2.0.1"),
        ):
            version = Version(prefix, request_suffix)
            version.read_folder(os.path.join(args.package_dir, sub, "schemas"))
            count = write_version(
                version, out, args.command, args.package_version, f"ocpp/{sub}/schemas", label,
                args.definitions_per_file,
            )
            print(
                f"{label}: {len(version.actions)} actions, {len(version.definitions)} definitions, "
                f"{count} files in {out}",
                file=sys.stderr,
            )
    except SchemaError as error:
        print(f"generate_ocpp_schemas: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
