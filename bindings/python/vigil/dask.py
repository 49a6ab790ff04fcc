"""Evaluation on a Dask cluster, partitioned by provider (docs/scale-out.md).

:func:`evaluate` gives the report :meth:`vigil.Engine.evaluate` gives on the
whole data, byte for byte, diagnostics included, whatever the number of
partitions and workers. The observations are routed to ``npartitions``
parts by a hash of their provider id; each part is evaluated by the C
library in a worker (each worker process loads ``libvigil.so`` once and
compiles the pack once); per-indicator rules (peer comparison) run in two
steps: the workers gather each indicator's numerators and denominators over
their providers, the statistics are merged, then the workers judge their
providers against all of them. The client merges the partial reports.

Needs ``python3-dask`` and ``python3-distributed`` (Debian 12).
"""
from __future__ import annotations

import ctypes
import hashlib
import os
import threading
import uuid
from collections import OrderedDict
from ctypes import c_char_p, c_size_t, c_void_p
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from . import _native
from ._native import check, lib
from .engine import (_OBSERVATION_FIELDS, _PLAN_FIELDS, _Dataset, _as_of, _bytes, _columns_of,
                     _doubles, _is_dataframe, _is_path, _limit, _threads, _warn_or_raise)
from .errors import InvalidArgument
from .report import Report

__all__ = ["backtest", "evaluate", "owner_of"]

_ROW = "__vigil_row"  # The column of each row's 1-based number in the whole input.


def owner_of(provider_ids: Any, npartitions: int) -> Any:
    """The part (0..npartitions-1) owning each provider id: a stable hash
    of its text (the same in every process and run), as a numpy array."""
    import pandas as pd  # noqa: PLC0415

    ids = pd.Series(provider_ids, dtype="object").astype(str)
    hashes = pd.util.hash_pandas_object(ids, index=False).to_numpy()
    return (hashes % npartitions).astype("int64")


# ---- Worker side ------------------------------------------------------------

_ENGINES: Dict[str, Any] = {}
_ENGINES_LOCK = threading.Lock()
_DATASETS: "OrderedDict[Tuple[str, int], _Dataset]" = OrderedDict()
_DATASETS_LOCK = threading.Lock()
_MAX_CACHED_DATASETS = 64


def _engine(pack: bytes, fmt: int) -> Any:
    """This process's engine for the pack: compiled once per process."""
    from .engine import Engine  # noqa: PLC0415

    key = hashlib.sha256(pack + bytes([fmt])).hexdigest()
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = Engine._from_bytes(pack, fmt)
            _ENGINES[key] = engine
        return engine


def _add_numbered(dataset: _Dataset, rows: Any, fields: Sequence[str], what: str,
                  columns: Optional[Mapping[str, str]], function: Any) -> None:
    """Adds a DataFrame's rows with their numbers in the whole input."""
    import numpy as np  # noqa: PLC0415

    if rows is None or len(rows) == 0:
        return
    numbers = np.ascontiguousarray(rows[_ROW].to_numpy(dtype="int64"))
    renamed = {ours: theirs for ours, theirs in (columns or {}).items()}
    for field in ("provider_id", "indicator_id", "period"):
        column = renamed.get(field, field)
        if column in rows.columns:
            cells = rows[column]
            missing = (cells.isna() | (cells == "")).to_numpy()
            if missing.any():  # As one process says it, with the row's number.
                raise InvalidArgument(f"{what} {int(numbers[missing.argmax()])}: '{field}' "
                                      "is missing")
    cols = _columns_of(rows.drop(columns=[_ROW]), fields, what, columns)
    strings = [cols[f] for f in ("provider_id", "indicator_id", "period")]
    doubles = [_doubles(cols[f]) for f in fields[3:]]
    err = c_void_p()
    check(function(dataset._handle, cols["_n"],
                   numbers.ctypes.data_as(ctypes.POINTER(ctypes.c_int64)),
                   *strings, *doubles, ctypes.byref(err)), err)


def _part_dataset(spec: Dict[str, Any], part: Any, plans: Any) -> _Dataset:
    """A part's dataset: the whole tables, its rows with their numbers."""
    dataset = _Dataset()
    try:
        _add_table(dataset, spec["providers"], _native.KIND_PROVIDERS)
        _add_table(dataset, spec["indicators"], _native.KIND_INDICATORS)
        _add_numbered(dataset, part, _OBSERVATION_FIELDS, "observation", spec["columns"],
                      lib.vigil_dataset_add_observations_at)
        _add_numbered(dataset, plans, _PLAN_FIELDS, "plan", spec["plan_columns"],
                      lib.vigil_dataset_add_plans_at)
        err = c_void_p()
        check(lib.vigil_dataset_set_limits(dataset._handle, *spec["limits"],
                                           ctypes.byref(err)), err)
    except BaseException:
        dataset.close()
        raise
    return dataset


def _cached_dataset(spec: Dict[str, Any], k: int, part: Any, plans: Any, keep: bool) -> _Dataset:
    """Part k's dataset, indexed once per run in this process: the gather
    step keeps it for the evaluation step (which takes it, or rebuilds it
    when it runs in another process). The cache only holds references: a
    dataset evicted while a task uses it lives on until that task drops it
    (_Dataset frees itself when collected), and a run's leftovers are
    dropped by _forget at its end."""
    key = (spec["run"], k)
    with _DATASETS_LOCK:
        dataset = _DATASETS.get(key) if keep else _DATASETS.pop(key, None)
    if dataset is not None:
        return dataset
    dataset = _part_dataset(spec, part, plans)
    if keep:
        with _DATASETS_LOCK:
            _DATASETS[key] = dataset
            while len(_DATASETS) > _MAX_CACHED_DATASETS:
                _DATASETS.popitem(last=False)
    return dataset


def _forget(run: str) -> None:
    """Drops what this process still caches of run `run`."""
    with _DATASETS_LOCK:
        for key in [key for key in _DATASETS if key[0] == run]:
            del _DATASETS[key]


def _owned(spec: Dict[str, Any], k: int) -> Tuple[int, Any, Any]:
    ids = [i for i, owner in zip(spec["provider_ids"], spec["owners"]) if owner == k]
    array = (c_char_p * max(len(ids), 1))(*[_bytes(i, "provider id") for i in ids])
    return len(ids), array, ids


def report_bytes(report: c_void_p) -> bytes:
    """A vigil_report handle as protobuf binary (vigil.v1.Report)."""
    out, length, err = c_void_p(), c_size_t(), c_void_p()
    check(lib.vigil_report_serialize(report, _native.FORMAT_BINARY, ctypes.byref(out),
                                     ctypes.byref(length), ctypes.byref(err)), err)
    return _take_bytes(out, length)


def _take_bytes(out: c_void_p, length: c_size_t) -> bytes:
    try:
        return ctypes.string_at(out.value, length.value)
    finally:
        lib.vigil_free(out)


def _period_arguments(spec: Dict[str, Any]) -> Tuple[bytes, ...]:
    """as_of for a report; from and to for a back-test."""
    return (spec["as_of"],) if spec["backtest"] is None else spec["backtest"]


def _gather(spec: Dict[str, Any], k: int, part: Any, plans: Any) -> bytes:
    engine = _engine(spec["pack"], spec["format"])
    dataset = _cached_dataset(spec, k, part, plans, keep=True)
    count, owned, _ = _owned(spec, k)
    out, length, err = c_void_p(), c_size_t(), c_void_p()
    function = (lib.vigil_engine_gather if spec["backtest"] is None
                else lib.vigil_engine_gather_backtest)
    handle = engine._acquire()
    try:
        status = function(handle, dataset._handle, *_period_arguments(spec), k, count, owned,
                          ctypes.byref(out), ctypes.byref(length), ctypes.byref(err))
    finally:
        engine._release()
    check(status, err)
    return _take_bytes(out, length)


def _buffers(parts: Sequence[bytes]) -> Tuple[Any, Any, Any]:
    buffers = [ctypes.create_string_buffer(p, len(p)) for p in parts]
    pointers = (c_void_p * len(parts))(*[ctypes.addressof(b) for b in buffers])
    lengths = (c_size_t * len(parts))(*[len(p) for p in parts])
    return pointers, lengths, buffers


def _merge_statistics(spec: Dict[str, Any], parts: List[bytes]) -> bytes:
    engine = _engine(spec["pack"], spec["format"])
    pointers, lengths, _keep = _buffers(parts)
    out, length, err = c_void_p(), c_size_t(), c_void_p()
    check(lib.vigil_engine_merge_statistics(engine._handle, len(parts), pointers, lengths,
                                            ctypes.byref(out), ctypes.byref(length),
                                            ctypes.byref(err)), err)
    return _take_bytes(out, length)


def _options(spec: Dict[str, Any]) -> c_void_p:
    options = lib.vigil_evaluate_options_create()
    if not options:
        raise MemoryError("out of memory")
    err = c_void_p()
    try:
        check(lib.vigil_evaluate_options_set_threads(options, spec["threads"],
                                                     ctypes.byref(err)), err)
        check(lib.vigil_evaluate_options_set_max_assessments(options, spec["max_assessments"],
                                                             ctypes.byref(err)), err)
        check(lib.vigil_evaluate_options_set_chart_periods(options, spec["chart_periods"],
                                                           ctypes.byref(err)), err)
    except BaseException:
        lib.vigil_evaluate_options_destroy(options)
        raise
    return options


def _evaluate_part(spec: Dict[str, Any], k: int, part: Any, plans: Any,
                   statistics: bytes) -> bytes:
    engine = _engine(spec["pack"], spec["format"])
    dataset = _cached_dataset(spec, k, part, plans, keep=False)
    count, owned, _ = _owned(spec, k)
    options = _options(spec)
    out, length, err = c_void_p(), c_size_t(), c_void_p()
    function = (lib.vigil_engine_evaluate_partition if spec["backtest"] is None
                else lib.vigil_engine_backtest_partition)
    try:
        handle = engine._acquire()
        try:
            status = function(handle, dataset._handle, *_period_arguments(spec), k, count,
                              owned, statistics, len(statistics), options, ctypes.byref(out),
                              ctypes.byref(length), ctypes.byref(err))
        finally:
            engine._release()
    finally:
        lib.vigil_evaluate_options_destroy(options)
        dataset.close()
    check(status, err)
    return _take_bytes(out, length)


# ---- Routing ----------------------------------------------------------------

def _numbered(frame: Any, lengths: Sequence[int], index: int) -> Any:
    """`frame`, input partition `index`, with each row's 1-based number in
    the whole input (`lengths`: every input partition's rows)."""
    import numpy as np  # noqa: PLC0415

    first_row = 1 + sum(lengths[:index])
    frame = frame.copy()
    frame[_ROW] = np.arange(first_row, first_row + len(frame), dtype="int64")
    return frame


def _split(frame: Any, npartitions: int, provider_column: str) -> List[Any]:
    """`frame`'s rows by owning part (a list of npartitions frames)."""
    import numpy as np  # noqa: PLC0415

    owners = (owner_of(frame[provider_column], npartitions) if len(frame)
              else np.zeros(0, dtype="int64"))
    return [frame[owners == k] for k in range(npartitions)]


def _concat(*pieces: Any) -> Any:
    import pandas as pd  # noqa: PLC0415

    return pd.concat(pieces, ignore_index=True)


def _routed(rows: Any, npartitions: int, provider_column: str) -> List[Any]:
    """Delayed frames, one per part: the rows of the providers it owns, with
    their numbers in the input's order (partition by partition)."""
    import dask  # noqa: PLC0415
    import dask.dataframe as dd  # noqa: PLC0415

    if not isinstance(rows, dd.DataFrame):
        rows = dd.from_pandas(rows, npartitions=max(1, min(npartitions, len(rows) or 1)),
                              sort=False)
    pieces = rows.to_delayed()
    # The row numbers need every partition's length: in the same graph, so
    # each input partition is read once.
    lengths = dask.delayed(list)([dask.delayed(len)(p) for p in pieces])
    splits = []
    for index, piece in enumerate(pieces):
        numbered = dask.delayed(_numbered)(piece, lengths, index)
        splits.append(dask.delayed(_split, nout=npartitions)(numbered, npartitions,
                                                              provider_column))
    return [dask.delayed(_concat)(*[s[k] for s in splits]) for k in range(npartitions)]


def _table(rows: Any, what: str) -> Tuple[str, Any]:
    """A providers or indicators table every worker adds the same way: a
    file's bytes and name (read here; added as the file would be, so
    diagnostics name it alike), or a DataFrame or iterable of dicts as a
    list of dicts."""
    if rows is None:
        raise InvalidArgument(f"{what}: required (every part needs the whole table)")
    if _is_path(rows):
        path = os.fspath(rows)
        with open(path, "rb") as f:
            return "file", (f.read(), os.path.basename(path), _format_of(path))
    if _is_dataframe(rows):
        return "rows", rows.to_dict("records")
    return "rows", [dict(r) for r in rows]


def _add_table(dataset: _Dataset, table: Tuple[str, Any], kind: int) -> None:
    how, content = table
    if how == "rows":
        (dataset.add_providers if kind == _native.KIND_PROVIDERS
         else dataset.add_indicators)(content)
        return
    data, name, fmt = content
    err = c_void_p()
    check(lib.vigil_dataset_add_bytes(dataset._handle, data, len(data), fmt, kind,
                                      _bytes(name, "name"), ctypes.byref(err)), err)


def _provider_ids(table: Tuple[str, Any]) -> List[str]:
    """The ids of a providers table, in its order."""
    import io  # noqa: PLC0415

    import pandas as pd  # noqa: PLC0415

    how, content = table
    if how == "rows":
        return [str(r.get("id", "")) for r in content]
    data, name, fmt = content
    if fmt != _native.FORMAT_CSV:
        raise InvalidArgument(f"providers: {name}: a distributed evaluation reads a providers "
                              "table from CSV, a DataFrame or dicts")
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    # As the library's CSV reader: headers matched case-insensitively after
    # trimming, cells trimmed of ASCII whitespace.
    ids = [c for c in frame.columns if c.strip(_ASCII_SPACE).lower() == "id"]
    if not ids:
        raise InvalidArgument(f"providers: {name}: no 'id' column")
    return frame[ids[0]].str.strip(_ASCII_SPACE).tolist()


_ASCII_SPACE = " \t\n\r\f\v"


def _format_of(path: str) -> int:
    """The format of a file, by its extension as the library reads them."""
    lower = path.lower()
    if lower.endswith(".csv"):
        return _native.FORMAT_CSV
    if lower.endswith(".json"):
        return _native.FORMAT_JSON
    if lower.endswith(".pb"):
        return _native.FORMAT_BINARY
    if lower.endswith((".textproto", ".txtpb", ".pbtxt")):
        return _native.FORMAT_TEXT
    raise InvalidArgument(f"{path}: must end in .csv, .json, .textproto (.txtpb, .pbtxt) "
                          "or .pb")


def _pack(rules: Any) -> Tuple[bytes, int]:
    """The pack's bytes and format, read once on the client."""
    path = os.fspath(rules)
    with open(path, "rb") as f:
        return f.read(), _format_of(path)


def evaluate(observations: Any, rules: Any, providers: Any, indicators: Any, as_of: Any,
             client: Any = None, *, plans: Any = None, npartitions: Optional[int] = None,
             threads: int = 1, max_periods_per_series: Optional[int] = None,
             max_stored_periods: Optional[int] = None, max_assessments: Optional[int] = None,
             chart_periods: int = 0, columns: Optional[Mapping[str, str]] = None,
             plan_columns: Optional[Mapping[str, str]] = None, strict: bool = False,
             scheduler: Any = None, output: str = "report") -> Any:
    """Rates every provider as of ``as_of`` on a Dask cluster: the report
    :meth:`vigil.Engine.evaluate` gives on the same data, byte for byte.

    ``observations`` (and ``plans``): a dask or pandas DataFrame with
    provider_id, indicator_id, period, value, numerator, denominator
    (``columns`` names yours); rows are numbered in the input's order, as
    diagnostics name them. ``rules``: the pack's file (.textproto, .json,
    .pb), read here and sent to the workers. ``providers`` and
    ``indicators``: the whole tables (file paths, DataFrames or iterables
    of dicts), sent to every worker; every indicator needs its frequency
    declared. ``as_of`` is required ("2019-03"). ``client``: a
    ``distributed.Client`` (None: dask's default scheduler, e.g. the
    current client, or ``scheduler``: "threads", "processes", "sync").
    ``npartitions``: the parts the providers are split into (default: the
    input's partitions). Other arguments as :meth:`vigil.Engine.evaluate`;
    ``threads`` is per part. ``output``: "report" (a :class:`vigil.Report`)
    or "protobuf" (the ``vigil.v1.Report`` as protobuf binary bytes: for
    reports too large to hold as Python objects).
    """
    if output not in ("report", "protobuf"):
        raise InvalidArgument(f"output: 'report' or 'protobuf', got {output!r}")
    if as_of is None or as_of == "":
        raise InvalidArgument("as_of: required in a distributed evaluation (the latest "
                              "period is the whole data's, which no part sees)")
    if not 0 <= chart_periods <= _native.MAX_CHART_PERIODS:
        raise InvalidArgument(f"chart_periods: must be 0..{_native.MAX_CHART_PERIODS}, "
                              f"got {chart_periods}")
    spec = _spec(rules, providers, indicators, observations, npartitions, threads,
                 max_periods_per_series, max_stored_periods, max_assessments, columns,
                 plan_columns)
    spec["as_of"] = _bytes(_as_of(as_of), "as_of")
    spec["chart_periods"] = chart_periods
    partials = _run(spec, observations, plans, client, scheduler)
    return _merge_reports(spec, partials, strict, output)


def backtest(observations: Any, rules: Any, providers: Any, indicators: Any, from_: Any,
             to: Any, client: Any = None, *, plans: Any = None,
             npartitions: Optional[int] = None, threads: int = 1,
             max_periods_per_series: Optional[int] = None,
             max_stored_periods: Optional[int] = None, max_assessments: Optional[int] = None,
             columns: Optional[Mapping[str, str]] = None,
             plan_columns: Optional[Mapping[str, str]] = None, scheduler: Any = None) -> Any:
    """Back-tests every as-of period from ``from_`` to ``to`` on a Dask
    cluster, partitioned by provider (each part evaluates every period of
    its providers): the :class:`vigil.Timeline` :meth:`vigil.Engine.backtest`
    gives, byte for byte. Arguments as :func:`evaluate`."""
    from .engine import _range_end  # noqa: PLC0415

    spec = _spec(rules, providers, indicators, observations, npartitions, threads,
                 max_periods_per_series, max_stored_periods, max_assessments, columns,
                 plan_columns)
    spec["backtest"] = (_bytes(_range_end(from_, "from_"), "from_"),
                        _bytes(_range_end(to, "to"), "to"))
    partials = _run(spec, observations, plans, client, scheduler)
    return _merge_timelines(spec, partials)


def _spec(rules: Any, providers: Any, indicators: Any, observations: Any,
          npartitions: Optional[int], threads: int, max_periods_per_series: Optional[int],
          max_stored_periods: Optional[int], max_assessments: Optional[int],
          columns: Optional[Mapping[str, str]],
          plan_columns: Optional[Mapping[str, str]]) -> Dict[str, Any]:
    """What every task of one distributed run needs (sent once)."""
    if npartitions is None:
        npartitions = getattr(observations, "npartitions", 1)
    if isinstance(npartitions, bool) or not isinstance(npartitions, int) or npartitions < 1:
        raise InvalidArgument(f"npartitions: must be a positive int, got {npartitions!r}")
    provider_table = _table(providers, "providers")
    indicator_table = _table(indicators, "indicators")
    provider_ids = _provider_ids(provider_table)
    pack, fmt = _pack(rules)
    return {
        "run": uuid.uuid4().hex, "pack": pack, "format": fmt, "npartitions": npartitions,
        "providers": provider_table, "indicators": indicator_table,
        "provider_ids": provider_ids,
        "owners": owner_of(provider_ids, npartitions).tolist() if provider_ids else [],
        "columns": dict(columns) if columns else None,
        "plan_columns": dict(plan_columns) if plan_columns else None,
        "limits": (_limit(max_periods_per_series, "max_periods_per_series"),
                   _limit(max_stored_periods, "max_stored_periods")),
        "threads": _threads(threads),
        "max_assessments": _limit(max_assessments, "max_assessments"),
        "chart_periods": 0, "as_of": b"", "backtest": None,
    }


def _run(spec: Dict[str, Any], observations: Any, plans: Any, client: Any,
         scheduler: Any) -> List[bytes]:
    """The gather, merge and evaluate steps: every part's partial bytes."""
    import dask  # noqa: PLC0415

    n = spec["npartitions"]
    provider_column = (spec["columns"] or {}).get("provider_id", "provider_id")
    parts = _routed(observations, n, provider_column)
    plan_parts = ([None] * n if plans is None else
                  _routed(plans, n, (spec["plan_columns"] or {}).get("provider_id",
                                                                     "provider_id")))
    spec_ref = dask.delayed(spec, traverse=False)
    gathered = [dask.delayed(_gather)(spec_ref, k, parts[k], plan_parts[k]) for k in range(n)]
    statistics = dask.delayed(_merge_statistics)(spec_ref, gathered)
    partials = [dask.delayed(_evaluate_part)(spec_ref, k, parts[k], plan_parts[k], statistics)
                for k in range(n)]
    try:
        if client is not None:
            return client.gather(client.compute(partials))
        return list(dask.compute(*partials, scheduler=scheduler))
    finally:
        # A part whose evaluation ran in another process than its gather
        # left its indexed dataset cached there.
        _forget(spec["run"])
        if client is not None:
            try:
                client.run(_forget, spec["run"])
            except Exception:  # noqa: BLE001 - best effort: a cache, not the answer
                pass


def _tables(spec: Dict[str, Any]) -> _Dataset:
    tables = _Dataset()
    try:
        _add_table(tables, spec["providers"], _native.KIND_PROVIDERS)
        _add_table(tables, spec["indicators"], _native.KIND_INDICATORS)
    except BaseException:
        tables.close()
        raise
    return tables


def _merge_reports(spec: Dict[str, Any], partials: List[bytes], strict: bool,
                   output: str = "report") -> Any:
    """The whole report from every part's, merged here (the client)."""
    engine = _engine(spec["pack"], spec["format"])
    tables = _tables(spec)
    try:
        pointers, lengths, _keep = _buffers(partials)
        options = _options(spec)
        report, err = c_void_p(), c_void_p()
        try:
            check(lib.vigil_engine_merge_partials(engine._handle, tables._handle, len(partials),
                                                  pointers, lengths, options,
                                                  ctypes.byref(report), ctypes.byref(err)), err)
        finally:
            lib.vigil_evaluate_options_destroy(options)
        try:
            if output == "protobuf":
                return report_bytes(report)
            text = _native.serialize(report, _native.FORMAT_JSON)
        finally:
            lib.vigil_report_destroy(report)
    finally:
        tables.close()
    result = Report(text, proto_field_names=True)
    _warn_or_raise(result, strict)
    return result


def _merge_timelines(spec: Dict[str, Any], partials: List[bytes]) -> Any:
    """The whole back-test's timeline from every part's (the client)."""
    from .timeline import Timeline  # noqa: PLC0415

    engine = _engine(spec["pack"], spec["format"])
    tables = _tables(spec)
    try:
        pointers, lengths, _keep = _buffers(partials)
        timeline, err = c_void_p(), c_void_p()
        options = _options(spec)
        try:
            check(lib.vigil_engine_merge_backtest_partials(engine._handle, tables._handle,
                                                           len(partials), pointers, lengths,
                                                           options, ctypes.byref(timeline),
                                                           ctypes.byref(err)), err)
        finally:
            lib.vigil_evaluate_options_destroy(options)
    finally:
        tables.close()
    return Timeline(timeline)
