"""Modules Great Expectations imports but the suites never use are loaded on first use: a run's
validation never loads them, and code that does use them gets the real module. Each case runs in
a new interpreter, since it changes sys.modules."""
import subprocess
import sys
import textwrap

from tests.test_validate import RUN_INFO


def run(code: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_a_run_validated_after_preload_never_loads_them(tmp_path):
    printed = run(f"""
        import sys
        from expectations import validate
        from expectations.deferred_modules import UNUSED_BY_THE_SUITES, DeferredModule
        from tests.test_validate import frames, good_rows
        validate.preload()
        from pathlib import Path
        report = validate.validate_tables(frames(good_rows()), Path({str(tmp_path)!r}), {RUN_INFO!r})
        print(report.success, *(type(sys.modules[name]).__name__ for name in UNUSED_BY_THE_SUITES))
        print("scipy.stats._stats_py" in sys.modules)
        """)
    assert printed == ["True", "DeferredModule", "DeferredModule", "False"]


def test_the_first_use_imports_the_real_module():
    printed = run("""
        import math, sys
        from expectations.deferred_modules import defer
        defer(["scipy.stats"])
        from scipy import stats
        print(type(stats).__name__, "scipy.stats._stats_py" in sys.modules)
        print(math.isclose(stats.entropy([0.5, 0.5]), math.log(2)), type(sys.modules["scipy.stats"]).__name__)
        from scipy import stats as again
        print(again is sys.modules["scipy.stats"], math.isclose(again.entropy([1, 1]), math.log(2)))
        defer(["altair"])
        import altair
        print("Chart" in dir(altair))
        """)
    assert printed == ["DeferredModule", "False", "True", "module", "True", "True", "True"]


def test_a_submodule_can_be_imported_before_any_use():
    printed = run("""
        from expectations.deferred_modules import defer
        defer(["scipy.stats"])
        import scipy.stats.distributions
        from scipy.stats.distributions import norm
        print(round(float(norm.cdf(0)), 3))
        """)
    assert printed == ["0.5"]


def test_a_missing_module_stays_missing_and_an_imported_one_is_left_alone():
    printed = run("""
        import json, sys
        from expectations.deferred_modules import defer
        defer(["json", "newspipe_no_such_module"])
        print(sys.modules["json"] is json, "newspipe_no_such_module" in sys.modules)
        try:
            import newspipe_no_such_module
        except ModuleNotFoundError:
            print("missing")
        """)
    assert printed == ["True", "False", "missing"]
