#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz harnesses (tests/fuzz/corpus/<name>/)
from the examples: small slices of the real CSVs and rule packs, the same
packs and data as protobuf JSON and binary, and hand-made kernel inputs.
Each seed starts with the harness's selector bytes (see each *_fuzzer.cc).

Run with Debian's python3 (python3-protobuf) and protoc on PATH:
    /usr/bin/python3 tests/fuzz/make_seeds.py
"""
import csv
import io
import os
import pathlib
import random
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "fuzz" / "corpus"
EX = ROOT / "examples"


def head(path, lines):
    with open(path, encoding="utf-8") as f:
        return "".join(f.readlines()[:lines])


def write(harness, name, data):
    d = OUT / harness
    d.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    (d / name).write_bytes(data)


def fnv1a(data):
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def capi_seed(data, pad, evaluate=True, whole=False, serialize=False,
              two_threads=False):
    """`data` with padding its format ignores (`pad` maps a bit list to it:
    "whitespace") chosen so that the capi harness's hash of the input makes
    these costly choices (see capi_fuzzer.cc)."""
    for k in range(1 << 12):
        bits = [(k >> i) & 1 for i in range(12)]
        out = data + pad(bits)
        h = fnv1a(out)
        if ((h % 4 == 0) == evaluate and ((h >> 2) % 8 == 0) == whole and
                ((h >> 5) % 32 == 0) == serialize and
                ((h >> 10) % 64 == 0) == two_threads):
            return out
    raise AssertionError("no padding gives these choices")


def blank_lines(bits):
    """Blank lines (CSV skips them; whitespace in text format)."""
    return b"".join(b"\r\n" if b else b"\n" for b in bits)


def unknown_field(bits):
    """A field no vigil.v1 message has (number 15, a varint)."""
    k = sum(b << i for i, b in enumerate(bits))
    return bytes([0x78, 0x80 | (k & 0x7F), k >> 7])


def proto_modules():
    tmp = tempfile.mkdtemp()
    subprocess.run(["protoc", f"-I{ROOT / 'proto'}", f"--python_out={tmp}",
                    "vigil/v1/model.proto", "vigil/v1/rules.proto"],
                   check=True)
    sys.path.insert(0, tmp)
    from vigil.v1 import model_pb2, rules_pb2  # noqa: E402
    return model_pb2, rules_pb2


def dataset_from_csv(model_pb2, providers, indicators, observations, plans):
    d = model_pb2.Dataset()
    for r in csv.DictReader(io.StringIO(providers)):
        p = d.providers.add(id=r["id"], name=r["name"])
        if r["type"]:
            p.type = model_pb2.ProviderType.Value(
                "PROVIDER_TYPE_" + r["type"].upper())
        p.tags.extend(t for t in r["tags"].split(";") if t)
    for r in csv.DictReader(io.StringIO(indicators)):
        i = d.indicators.add(id=r["id"], name=r["name"])
        i.domain = model_pb2.Domain.Value("DOMAIN_" + r["domain"].upper())
        i.unit = model_pb2.Unit.Value("UNIT_" + r["unit"].upper())
        i.polarity = model_pb2.Polarity.Value(
            "POLARITY_" + r["polarity"].upper())
        i.frequency = model_pb2.Frequency.Value(
            "FREQUENCY_" + r["frequency"].upper())
    for r in csv.DictReader(io.StringIO(observations)):
        o = d.observations.add(provider_id=r["provider_id"],
                               indicator_id=r["indicator_id"],
                               period=r["period"])
        for f in ("value", "numerator", "denominator"):
            if r.get(f):
                setattr(o, f, float(r[f]))
    for r in csv.DictReader(io.StringIO(plans)):
        d.plans.add(provider_id=r["provider_id"],
                    indicator_id=r["indicator_id"], period=r["period"],
                    value=float(r["value"]))
    return d


def main():
    from google.protobuf import json_format, text_format
    model_pb2, rules_pb2 = proto_modules()
    if OUT.exists():
        shutil.rmtree(OUT)
    hcai, nhs = EX / "hcai", EX / "nhs_early_warning"
    obs = head(hcai / "observations.csv", 40)
    plans = head(hcai / "plans.csv", 30)
    providers = head(hcai / "providers.csv", 8)
    indicators = (hcai / "indicators.csv").read_text()
    nhs_obs = head(nhs / "observations.csv", 40)

    # csv: byte 0 = kind of the first file | 4 (no fixture definitions);
    # a NUL separates the second file.
    write("csv", "observations_and_plans", b"\x00" + obs.encode() + b"\x00" +
          plans.encode())
    write("csv", "nhs_observations", b"\x04" + nhs_obs.encode())
    write("csv", "providers", b"\x01" + providers.encode())
    write("csv", "indicators", b"\x02" + indicators.encode() + b"\x00" +
          obs.encode())
    write("csv", "plans", b"\x03" + plans.encode())
    write("csv", "quotes", b"\x00provider_id,indicator_id,period,value\n"
          b"\"R0A\",\"AE\",\"2019-03\",\"9\"\"5\"\nRRK,\"AE\n2\",2019-02,1e3\n")

    # rule_pack: byte 0 = format (0 text, 1 JSON, 2 binary), byte 1 as-of.
    for name, path in (("hcai", hcai / "rules.textproto"),
                       ("nhs", nhs / "rules.textproto")):
        text = path.read_text()
        pack = text_format.Parse(text, rules_pb2.RuleSet())
        write("rule_pack", name + "_text", b"\x00\x01" + text.encode())
        write("rule_pack", name + "_json", b"\x01\x01" +
              json_format.MessageToJson(pack, indent=None).encode())
        write("rule_pack", name + "_binary", b"\x02\x00" +
              pack.SerializeToString())

    # dataset: byte 0 = format (0 binary, 1 JSON, 2 text) | kind << 2 |
    # 16 (fixture definitions first); byte 1 as-of.
    d = dataset_from_csv(model_pb2, providers, indicators, obs, plans)
    write("dataset", "hcai_binary", b"\x00\x00" + d.SerializeToString())
    write("dataset", "hcai_json", b"\x01\x01" +
          json_format.MessageToJson(d, indent=None).encode())
    write("dataset", "hcai_text", b"\x02\x00" +
          text_format.MessageToString(d).encode())
    write("dataset", "bare_array", b"\x11\x00" + b'[{"provider_id":"R0A",'
          b'"indicator_id":"AE","period":"2019-03","numerator":90,'
          b'"denominator":100},{"provider_id":"RRK","indicator_id":"CDI",'
          b'"period":"2019-02","value":4}]')
    write("dataset", "plans_array", b"\x1d\x00" + b'[{"provider_id":"R0A",'
          b'"indicator_id":"CDI","period":"2019-03","value":7}]')

    # capi: byte 0 = entry (0 engine_create, 1-2 dataset_add_bytes,
    # 3 evaluate_bytes, 4 arrays, 5 spc, 6 spc chart, 7 funnel), then its
    # choices (format, kind, ...; as-of, threads) and bytes; padded so that
    # the input's hash picks the costly choices named (capi_seed).
    pack = (hcai / "rules.textproto").read_bytes()
    write("capi", "engine_create_text",
          capi_seed(b"\x00\x02\x01\x00" + pack, blank_lines))
    write("capi", "engine_create_whole",
          capi_seed(b"\x00\x02\x01\x00" + pack, blank_lines, whole=True))
    write("capi", "add_bytes_csv",
          capi_seed(b"\x01\x03\x00\x01\x00\x01\x00" + obs.encode(),
                    blank_lines, serialize=True))
    write("capi", "add_bytes_plans",
          capi_seed(b"\x02\x03\x03\x01\x00\x01\x00" + plans.encode(),
                    blank_lines))
    write("capi", "add_bytes_plans_two_threads",
          capi_seed(b"\x02\x03\x03\x01\x00\x01\x00" + plans.encode(),
                    blank_lines, two_threads=True))
    write("capi", "evaluate_bytes",
          capi_seed(b"\x03\x00\x00\x00" + d.SerializeToString(),
                    unknown_field, whole=True, serialize=True))
    rng = random.Random(14)
    for entry in (4, 5, 6, 7):
        for k in range(3):
            write("capi", f"entry{entry}_{k}", bytes([entry]) +
                  bytes(rng.randrange(256) for _ in range(300)))

    # kernels: byte 0 = kernel (0 XmR, 1 funnel, 2 attribute). Numbers as
    # FuzzInput::Double's tag 13 (hi * 1000 + lo); the XmR values are the
    # A&E example's 4-hour percentages.
    rows = list(csv.DictReader(open(EX / "spc" / "ae_type1_4hr.csv")))

    def dbl(x):
        x = max(0, min(int(round(x)), 255 * 1000 + 255))
        return bytes([13, x // 1000, min(x % 1000, 255)])

    series = rows[:36]
    # Breaches and attendances of about the example's size.
    dens = [rng.randrange(5000, 20000) for _ in series]
    nums = [round(d * (100 - float(r["value"])) / 100)
            for d, r in zip(dens, series)]
    n = len(nums)
    values = b"".join(dbl(float(r["value"])) for r in series)
    write("kernels", "xmr", bytes([0, 2, 1, 7, n, 0, 13, 0, 0]) + values)
    write("kernels", "funnel", bytes([1, 0, 2, 0, 1, 1, 0, 0, 10, n]) +
          b"".join(dbl(a) for a in nums) + b"".join(dbl(b) for b in dens))
    for chart in range(1, 8):
        write("kernels", f"attribute_{chart}",
              bytes([2, chart, 0, 1, 0, 2, 7, n, 0, 0, 0, 0]) +
              b"".join(dbl(b) for b in dens) + b"".join(dbl(a) for a in nums))
    for k in range(3):
        write("kernels", f"random_{k}", bytes([k]) +
              bytes(rng.randrange(256) for _ in range(400)))


if __name__ == "__main__":
    main()
