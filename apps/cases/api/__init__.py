"""JSON API for cases: the scoped REST endpoints under /api/v1/cases/ and Open311 GeoReport v2."""
