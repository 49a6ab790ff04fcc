"""The binding cannot fall behind the schema or the C header.

The field lists come from the schema itself: CMake writes vigil/v1/report.proto's
descriptors (protoc --descriptor_set_out --include_imports) and ctest passes
their path in $VIGIL_REPORT_DESCRIPTORS; python3-protobuf reads them. A field
added to vigil.v1.Report or to a message it holds, and not to the dataclasses
(or not read from the JSON), fails here.
"""
import json
import os
import re
import typing

import pytest

import vigil
from vigil import _native

ROOT = os.environ.get("VIGIL_SOURCE_DIR",
                      os.path.join(os.path.dirname(__file__), "..", "..", ".."))
DESCRIPTORS = os.environ.get("VIGIL_REPORT_DESCRIPTORS")


@pytest.fixture(scope="module")
def schema():
    """Full name (".vigil.v1.Report") -> DescriptorProto or EnumDescriptorProto."""
    if not DESCRIPTORS:
        pytest.skip("run by ctest, which sets VIGIL_REPORT_DESCRIPTORS")
    from google.protobuf import descriptor_pb2  # python3-protobuf (scripts/install_deps.sh)

    assert os.path.exists(DESCRIPTORS), (
        f"{DESCRIPTORS} is missing: build the vigil_report_descriptors target")
    with open(DESCRIPTORS, "rb") as f:
        files = descriptor_pb2.FileDescriptorSet.FromString(f.read()).file
    types = {}

    def add(scope, message):
        name = f"{scope}.{message.name}"
        types[name] = message
        for e in message.enum_type:
            types[f"{name}.{e.name}"] = e
        for nested in message.nested_type:
            add(name, nested)

    for file in files:
        for e in file.enum_type:
            types[f".{file.package}.{e.name}"] = e
        for message in file.message_type:
            add(f".{file.package}", message)
    assert ".vigil.v1.Report" in types
    return types


def _is_message(field) -> bool:
    return field.type == field.TYPE_MESSAGE


def _is_repeated(field) -> bool:
    return field.label == field.LABEL_REPEATED


def _element_class(hint):
    """List[X] / Optional[X] / X -> X."""
    while typing.get_origin(hint) in (list, typing.Union):
        hint = next(a for a in typing.get_args(hint) if a is not type(None))
    return hint


def test_every_report_field_is_in_the_python_classes(schema):
    missing = []

    def walk(message_name, cls):
        hints = typing.get_type_hints(cls)
        for f in schema[message_name].field:
            if f.name not in hints:
                missing.append(f"{message_name[1:]}.{f.name} (vigil.{cls.__name__})")
            elif _is_message(f):
                walk(f.type_name, _element_class(hints[f.name]))

    walk(".vigil.v1.Report", vigil.Report)
    assert not missing, ("fields of the schema missing from bindings/python/vigil/report.py: "
                         + ", ".join(missing))


def _sample(schema, message_name):
    """JSON (proto field names) with every field set to a value that is not its default."""
    out = {}
    for f in schema[message_name].field:
        if _is_message(f):
            value = _sample(schema, f.type_name)
        elif f.type == f.TYPE_ENUM:
            value = schema[f.type_name].value[-1].name  # The last value: never the zero.
        elif f.type == f.TYPE_STRING:
            value = f"{f.name}-text"
        elif f.type == f.TYPE_BOOL:
            value = True
        elif f.type in (f.TYPE_DOUBLE, f.TYPE_FLOAT):
            value = 2.5
        elif f.type in (f.TYPE_INT64, f.TYPE_UINT64, f.TYPE_SINT64):
            value = "7"  # Protobuf JSON writes 64-bit integers as strings.
        else:
            value = 7
        out[f.name] = [value] if _is_repeated(f) else value
    return out


def _check(schema, message_name, data, obj, path, wrong):
    for f in schema[message_name].field:
        where = f"{path}.{f.name}"
        if not hasattr(obj, f.name):
            wrong.append(f"{where}: missing")
            continue
        got, sent = getattr(obj, f.name), data[f.name]
        if _is_repeated(f):
            if not isinstance(got, list) or len(got) != 1:
                wrong.append(f"{where}: {got!r} is not a list of the one value sent")
                continue
            got, sent = got[0], sent[0]
        if _is_message(f):
            if got is None:
                wrong.append(f"{where}: not read")
            else:
                _check(schema, f.type_name, sent, got, where, wrong)
            continue
        if f.type == f.TYPE_ENUM:
            enum_type = f.type_name.rsplit(".", 1)[1]
            expected = vigil.short_name(sent, enum_type)
        elif f.type in (f.TYPE_INT64, f.TYPE_UINT64, f.TYPE_SINT64):
            expected = int(sent)
        else:
            expected = sent
        if got != expected:
            wrong.append(f"{where}: {got!r}, expected {expected!r}")


def test_every_report_field_is_read_from_the_json(schema):
    data = _sample(schema, ".vigil.v1.Report")
    report = vigil.Report(json.dumps(data))
    wrong = []
    _check(schema, ".vigil.v1.Report", data, report, "Report", wrong)
    assert not wrong, "vigil.Report does not carry these fields of the JSON: " + "; ".join(wrong)


def test_short_names_follow_the_schema_rule(schema):
    assert vigil.short_name("RATING_NO_DATA", "Rating") == "no_data"
    assert vigil.short_name("ESCALATION_LEVEL_ENHANCED_SURVEILLANCE",
                            "EscalationLevel") == "enhanced_surveillance"
    for name, t in schema.items():
        if hasattr(t, "value"):  # An enum: every value carries its prefix.
            prefix = vigil.report.enum_prefix(t.name)
            for v in t.value:
                assert v.name.startswith(prefix), f"{name[1:]}.{v.name} lacks {prefix}"


def _header_constants(prefix):
    with open(os.path.join(ROOT, "include", "vigil", "vigil.h")) as f:
        return {m.group(1): int(m.group(2)) for m in re.finditer(
            rf"^#define {prefix}(\w+) (-?\d+)", f.read(), re.M)}


def test_native_constants_equal_the_c_header():
    for prefix, ours in (("VIGIL_FORMAT_", "FORMAT_"), ("VIGIL_KIND_", "KIND_")):
        header = _header_constants(prefix)
        assert header
        assert {k: getattr(_native, ours + k, None) for k in header} == header
    directions = _header_constants("VIGIL_SPC_")
    assert vigil.spc.__globals__["_DIRECTIONS"] == {"increase": directions["INCREASE"],
                               "neutral": directions["NEUTRAL"],
                               "decrease": directions["DECREASE"]}
