"""The public answer form: one field per question of the version (radios for single choice,
demographic and scale items, checkboxes for multiple choice), plus the form stamp and the
honeypot against scripts. A required item left out gets its message in the page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.public import HONEYPOT

from ..choices import QuestionKind
from ..models import Question


def field_name(question: Question) -> str:
    return f"q{question.pk}"


class AnswerForm(forms.Form):
    stamp = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields[HONEYPOT] = forms.CharField(required=False, label=_("网址"))
        for number, question in enumerate(questions, start=1):
            choices = [(str(o.pk), o.text) for o in question.options.all()]
            messages = {
                "required": _("请回答第{number}题。").format(number=number),
                "invalid_choice": _("第{number}题的选项无效，请重新选择。").format(number=number),
                "invalid_list": _("第{number}题的选项无效，请重新选择。").format(number=number),
            }
            if question.kind == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=choices,
                    required=question.required,
                    widget=forms.CheckboxSelectMultiple,
                    error_messages=messages,
                )
            else:
                field = forms.ChoiceField(
                    choices=choices, required=question.required, widget=forms.RadioSelect, error_messages=messages
                )
            field.question = question
            field.number = number
            self.fields[field_name(question)] = field

    def clean(self):
        cleaned = super().clean()
        getlist = getattr(self.data, "getlist", None)
        for question in self.questions:
            name = field_name(question)
            if question.kind != QuestionKind.MULTIPLE and getlist and len(getlist(name)) > 1:
                number = self.fields[name].number
                self.add_error(name, _("第{number}题只能选一项。").format(number=number))
        return cleaned

    def items(self):
        """(number, question, bound field, chosen option ids as strings) per question, in order,
        for the template (which draws the radios, checkboxes and scale buttons itself)."""
        rows = []
        for q in self.questions:
            bound = self[field_name(q)]
            value = bound.value() if self.is_bound else None
            chosen = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)} if value else set()
            rows.append((self.fields[field_name(q)].number, q, bound, chosen))
        return rows

    def chosen(self) -> dict[int, list[int]]:
        """The cleaned answers as response_submit takes them."""
        picked = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if not value:
                continue
            values = value if isinstance(value, list) else [value]
            picked[question.pk] = [int(v) for v in values]
        return picked
