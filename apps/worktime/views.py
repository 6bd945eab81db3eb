"""The working-calendar page: administrators and the office edit holidays and 调休 days."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.filters import parse_strict_int
from apps.core.views_base import require_permission

from . import services
from .forms import CalendarDayForm
from .models import CalendarDay


@login_required
def calendar_days(request):
    require_permission(request.user, "worktime.calendarday", "view")
    filter_errors = []
    year = timezone.localdate().year
    if request.GET.get("year"):
        try:
            year = parse_strict_int(request.GET["year"], label=_("年份"), min_value=2000, max_value=2099)
        except ValidationError as error:
            filter_errors = error.messages
    can_edit = request.user.can("worktime.calendarday", "change")
    form = CalendarDayForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if request.POST.get("delete"):
            try:
                pk = parse_strict_int(request.POST["delete"], label=_("日期"))
            except ValidationError:
                raise Http404 from None  # not an id of any entry: the same answer as a missing one
            day = get_object_or_404(CalendarDay, pk=pk)
            services.calendar_day_delete(actor=request.user, day=day)
            messages.success(request, _("已删除。"))
            return redirect(f"{request.path}?year={year}")
        try:  # edit the existing entry of that date, if any (the date is unique)
            day_value = forms.DateField().clean(request.POST.get("date"))
        except ValidationError:
            day_value = None
        existing = CalendarDay.objects.filter(date=day_value).first() if day_value else None
        form = CalendarDayForm(request.POST, instance=existing)
        if form.is_valid():
            services.calendar_day_save(
                actor=request.user,
                day=form.cleaned_data["date"],
                is_workday=form.cleaned_data["is_workday"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("工作日历已保存。"))
            return redirect(f"{request.path}?year={form.cleaned_data['date'].year}")
    days = CalendarDay.objects.filter(date__year=year)
    return TemplateResponse(
        request,
        "worktime/calendar.html",
        {"days": days, "year": year, "form": form, "can_edit": can_edit, "filter_errors": filter_errors},
        status=400 if filter_errors or (form is not None and form.errors) else 200,
    )
