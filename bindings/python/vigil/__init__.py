"""Vigil: the quality-rules engine for health-care commissioners, from Python.

A pure-Python package over libvigil.so (ctypes): no compiler, no protobuf.

Example::

    import vigil
    engine = vigil.Engine.from_file("examples/nhs_early_warning/rules.textproto")
    report = engine.evaluate("examples/nhs_early_warning/observations.csv",
                             providers="examples/nhs_early_warning/providers.csv",
                             indicators="examples/nhs_early_warning/indicators.csv",
                             as_of="2019-03")
    df = report.to_dataframe()              # with pandas
    red = df[df.rating == "red"]
    report.to_html("board.html")            # the board's page (chart_periods=36
                                            # in evaluate draws its charts)
    vigil.plot_spc(report.assessments[0])   # with matplotlib, for notebooks
    timeline = engine.backtest("examples/nhs_early_warning/observations.csv",
                               providers=..., indicators=...,
                               from_="2016-04", to="2019-03")
    timeline.ratings                        # every as-of month's ratings
    timeline.to_html("backtest.html")       # the escalation heat-map

    funnel = vigil.funnel(trusts, numerator="deaths", denominator="expected",
                          group="trust", type="ratio")   # funnel plot limits

The library is found through $VIGIL_LIBRARY, then the package's folder, then
the system loader.
"""
from ._native import lib as _lib
from .engine import Engine
from .errors import (Aborted, AlreadyExists, Cancelled, DataLoss, DataWarning,
                     DeadlineExceeded, RowsNotUsed,
                     FailedPrecondition, Internal, InvalidArgument, NotFound, OutOfRange,
                     PermissionDenied, ResourceExhausted, Unauthenticated, Unavailable,
                     Unimplemented, Unknown, VigilError)
from .funnel import funnel
from .plot import plot_funnel, plot_spc
from .report import (Assessment, Diagnostic, DomainSummary, Evidence, FunnelChart,
                     FunnelChartPoint, PeriodValue, ProviderSummary, RatingCounts, Report,
                     SpcChartPoint, SpcState, TrajectoryChartPoint, TrajectoryState,
                     CquinState, short_name)
from .spc import spc
from .backtest import BacktestSummary, compare
from .timeline import Timeline


def library_version() -> str:
    """The loaded libvigil's version ("MAJOR.MINOR.PATCH")."""
    return _lib.vigil_version().decode()


# The package is libvigil's binding: its version is the library's, which CMake
# writes from the one number in CMakeLists.txt (the wheel's metadata gets the
# same number from the VERSION file CMake writes, see pyproject.toml).
__version__ = library_version()


__all__ = [
    "Engine", "Report", "Timeline", "BacktestSummary", "compare", "Assessment", "ProviderSummary", "RatingCounts", "DomainSummary",
    "Diagnostic", "Evidence", "SpcState", "SpcChartPoint", "CquinState", "FunnelChart",
    "FunnelChartPoint", "PeriodValue", "TrajectoryState", "TrajectoryChartPoint", "spc",
    "funnel", "plot_spc", "plot_funnel", "short_name", "library_version", "VigilError", "Cancelled", "Unknown", "InvalidArgument",
    "DeadlineExceeded", "NotFound", "AlreadyExists", "PermissionDenied", "ResourceExhausted",
    "FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented", "Internal", "Unavailable",
    "DataLoss", "Unauthenticated", "DataWarning", "RowsNotUsed", "__version__",
]
