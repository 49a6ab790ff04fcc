"""The include graph points one way through the layers (scripts/check_layers.py)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "scripts"))

import check_layers  # noqa: E402


def write(root, path, text):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(text)


def test_the_repository_includes_point_one_way():
    assert check_layers.check(REPO) == []


def test_a_rule_including_the_engine_is_caught(tmp_path):
    write(tmp_path, "src/rules/r.cc", '#include "src/engine/evaluation.h"\n')
    assert check_layers.check(str(tmp_path)) == [
        "src/rules/r.cc:1: rules includes engine header src/engine/evaluation.h"]


def test_the_tool_and_c_api_may_not_include_private_headers(tmp_path):
    write(tmp_path, "tools/vigil/t.cc", '#include "src/io/csv_data.h"\n')
    write(tmp_path, "capi/c.cc", '#include "vigil/engine.h"\n#include "src/rules/format.h"\n')
    assert sorted(check_layers.check(str(tmp_path))) == [
        "capi/c.cc:2: capi/ includes the private header src/rules/format.h",
        "tools/vigil/t.cc:1: tools/ includes the private header src/io/csv_data.h"]


def test_core_tests_may_not_include_tool_headers(tmp_path):
    write(tmp_path, "tests/x_test.cc", '#include "tools/vigil/flags.h"\n')
    assert check_layers.check(str(tmp_path)) == [
        "tests/x_test.cc:1: a core test includes the tool's header tools/vigil/flags.h"]


def test_public_headers_follow_the_layers_too(tmp_path):
    write(tmp_path, "include/vigil/spc.h", '#include "vigil/engine.h"\n')
    assert check_layers.check(str(tmp_path)) == [
        "include/vigil/spc.h:1: kernels includes engine header vigil/engine.h"]
