"""Answers of the suite's public methods, in the shape RPC clients can read.

Odoo's XML-RPC (``/xmlrpc/2/object``) marshals an answer without
``allow_none``, after the server has committed what the method did: a
``None`` anywhere in the answer makes the client see a fault for something
that happened. Public methods answer ``True``/``False``, ids, or dicts and
lists of plain values; a method that builds a nested answer from SQL rows or
optional figures passes it through ``rpc_answer`` on its way out.
"""


def rpc_answer(value):
    """``value`` with every ``None`` in it (itself, dict values, list and
    tuple items, at any depth) replaced by ``False``; tuples become lists."""
    if value is None:
        return False
    if isinstance(value, dict):
        return {key: rpc_answer(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [rpc_answer(item) for item in value]
    return value
