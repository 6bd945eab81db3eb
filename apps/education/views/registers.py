"""The form page the registers of boards and smoke-free places share (their writes go through
`apps.core.views_base.submit_form`, which puts a service's refusal on the form)."""

from django.template.response import TemplateResponse


def form_page(request, template, *, tab, name, form, obj, list_url, status=200):
    """A register's create/edit page (`name`: the record's name in the template), its cancel link
    back to the record when editing, else to the list."""
    cancel_url = obj.get_absolute_url() if obj else list_url
    context = {"tab": tab, "form": form, name: obj, "cancel_url": cancel_url}
    return TemplateResponse(request, template, context, status=status)
