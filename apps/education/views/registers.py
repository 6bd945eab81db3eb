"""What the register pages of boards and smoke-free places share: the form page, and a service
write whose refusal lands on the form instead of a 500."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse

from apps.core.exceptions import DomainError, PermissionDeniedForRole


def add_errors(form, error) -> None:
    """A service's refusal on the form: its DomainError message, or a model validation's."""
    if isinstance(error, ValidationError):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, str(error.message))


def attempt(form, write) -> tuple[bool, object]:
    """Run `write()` (a service call) for a valid form: (True, its result), or (False, None)
    with the refusal on the form. A role refusal stays a 403."""
    try:
        return True, write()
    except PermissionDeniedForRole:
        raise PermissionDenied from None
    except (DomainError, ValidationError) as error:
        add_errors(form, error)
        return False, None


def form_page(request, template, *, tab, name, form, obj, list_url, status=200):
    """A register's create/edit page (`name`: the record's name in the template), its cancel link
    back to the record when editing, else to the list."""
    cancel_url = obj.get_absolute_url() if obj else list_url
    context = {"tab": tab, "form": form, name: obj, "cancel_url": cancel_url}
    return TemplateResponse(request, template, context, status=status)
