"""The form page the registers of boards and smoke-free places share (their writes go through
`apps.core.views_base.submit_form`, which puts a service's refusal on the form)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from apps.core.views_base import submit_form


def form_page(request, template, *, tab, name, form, obj, list_url, status=200):
    """A register's create/edit page (`name`: the record's name in the template), its cancel link
    back to the record when editing, else to the list."""
    cancel_url = obj.get_absolute_url() if obj else list_url
    context = {"tab": tab, "form": form, name: obj, "cancel_url": cancel_url}
    return TemplateResponse(request, template, context, status=status)


def edit_page(request, obj, *, form_class, record, fields, skip, edit, respond):
    """A register's edit page: GET shows the record's values and version (all `fields` but
    `skip`, which is not edited here); POST writes the changed fields through
    `edit(changes, version)`, a refusal shown on the form. `record`: the form's keyword for the
    record; `respond(request, form, obj, status=…)`: the register's form page."""
    if request.method != "POST":
        initial = {name: getattr(obj, name) for name in fields if name != skip}
        initial["version"] = obj.version
        return respond(request, form_class(user=request.user, initial=initial, **{record: obj}), obj)
    form = form_class(request.POST, user=request.user, **{record: obj})
    if submit_form(form, lambda data: edit(form.changes(), data.get("version"))) is not None:
        messages.success(request, _("修改已保存。"))
        return redirect(obj.get_absolute_url())
    return respond(request, form, obj, status=400)
