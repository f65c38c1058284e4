# The import pipeline, for tests of exports that must re-import unchanged.
from sentra.imports.tests.conftest import run_import  # noqa: F401
