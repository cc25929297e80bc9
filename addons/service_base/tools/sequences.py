"""Names of a batch of new records from one sequence, in a fixed number of queries."""

from odoo.tools import SQL


def next_names(env, code, count, company=None):
    """``count`` names drawn from the sequence ``code`` as ``next_by_code``
    draws them one by one (the company's sequence, else the shared one; its
    prefix and padding; no gap for a no-gap sequence), in a fixed number of
    queries: a batch create of a thousand records takes one draw, not a
    thousand. Returns a list of ``count`` names (False each when no sequence
    has the code, as ``next_by_code`` answers)."""
    if count <= 0:
        return []
    company = company or env.company
    sequence = (
        env["ir.sequence"]
        .sudo()
        .search(
            [("code", "=", code), ("company_id", "in", [company.id, False])],
            order="company_id",
            limit=1,
        )
    )
    if not sequence:
        return [False] * count
    if sequence.use_date_range:
        # a sequence per date range: drawn as Odoo draws it
        return [sequence._next() for __ in range(count)]
    step = sequence.number_increment
    if sequence.implementation == "standard":
        env.cr.execute(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                f"ir_sequence_{sequence.id:03d}",
                count,
            )
        )
        numbers = sorted(row[0] for row in env.cr.fetchall())
    else:
        # the row lock of the update keeps a concurrent draw after this one
        sequence.flush_recordset(["number_next"])
        env.cr.execute(
            SQL(
                "UPDATE ir_sequence SET number_next = number_next + %s WHERE id = %s "
                "RETURNING number_next - %s",
                step * count,
                sequence.id,
                step * count,
            )
        )
        first = env.cr.fetchone()[0]
        sequence.invalidate_recordset(["number_next"])
        numbers = [first + index * step for index in range(count)]
    return [sequence.get_next_char(number) for number in numbers]
