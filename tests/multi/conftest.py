"""Several machines (issue 14): the case categories and calendar the case tests use."""

from apps.cases.tests.conftest import cats  # noqa: F401 (a fixture, shared with the case tests)
