"""Serializer fields built once per class.

A ModelSerializer introspects its model to build its fields for every instance, and a detail
shape nests one serializer per related list: on the case API's 201 answer this was ~40 % of
the request's CPU. The built fields are kept on the class and deep-copied for each instance
(as DRF itself copies declared fields), which costs a fraction of building them.
"""

import copy


class FieldsBuiltOnceMixin:
    """For read-only shapes whose fields do not depend on the instance or the request."""

    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_fields_built_once")
        if built is None:
            built = super().get_fields()
            cls._fields_built_once = built
        return copy.deepcopy(built)
