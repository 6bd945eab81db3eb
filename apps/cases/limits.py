"""The length of each piece of text a case takes, one constant per field, used by the page forms,
the API serializers, Open311 and the model alike (a description is 1,000 characters everywhere).

The CharFields' database lengths are these constants; the TextFields (description, notes) are
bounded here because the database would take any length.
"""

DESCRIPTION = 1000
ADDRESS = 255
REPORTER_NAME = 50
REPORTER_PHONE = 30
HOTLINE_TICKET = 40
# A note of a step: register, dispatch, handle, verify, reasons, the suspension plan, answers.
NOTE = 2000

# The limits by Case field name, for checks that walk the fields (services.case_report).
CASE_FIELDS = {
    "description": DESCRIPTION,
    "address": ADDRESS,
    "reporter_name": REPORTER_NAME,
    "reporter_phone": REPORTER_PHONE,
    "hotline_ticket": HOTLINE_TICKET,
}
