"""Modules imported by Great Expectations at start that newspipe's suites never use, loaded on
their first use instead.

GX imports `scipy.stats` and `altair` at module level for a few expectations (the KL-divergence
and KS-test ones, and their charts); newspipe's suites have none of them. Importing the two
costs 1.4 s of CPU of the 3.8 s GX takes to import (AMD EPYC, 2 cores, 3 alternating pairs:
3.76 / 3.73 / 4.03 s against 2.37 / 2.49 / 2.36 s), paid while the run starts and both
cores are busy. A `DeferredModule` stands in `sys.modules` for each; the first attribute read
(a function, `__path__` for a submodule, anything) imports the real module and reads it
there, so code that does use them works as before, a little later.

(`importlib.util.LazyLoader` does not serve: on Python 3.11 the import system's own check of
`module.__spec__` in `from scipy import stats` already loads the module.)
"""
import importlib
import importlib.util
import sys
import threading
import types

UNUSED_BY_THE_SUITES = ("scipy.stats", "altair")
_LOCK = threading.RLock()


class DeferredModule(types.ModuleType):
    """Stands for a module not imported yet; the first attribute read imports it."""

    def __getattr__(self, attr: str):
        return getattr(self._load_deferred(), attr)

    def __dir__(self):   # a notebook's completion lists the real module's names
        return dir(self._load_deferred())

    def _load_deferred(self) -> types.ModuleType:   # named so that it shadows none of the real module's names
        with _LOCK:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            return importlib.import_module(self.__name__)


def defer(names=UNUSED_BY_THE_SUITES) -> None:
    """Stand a DeferredModule in for each module of `names` not imported yet (and installed:
    one that is missing stays missing, and fails where it is imported, as it would have)."""
    with _LOCK:
        for name in names:
            if name in sys.modules:
                continue
            try:
                installed = importlib.util.find_spec(name) is not None
            except ImportError:
                installed = False
            if installed:
                sys.modules[name] = DeferredModule(name)
