"""The key with which the suite's actions set the fields they guard."""

# Only code running in this process can hold this object: no RPC client, form
# or import can put it in a context, as they can put any JSON value there.
ACTION = object()


def action_records(records):
    """``records`` in the context of their own action: a write through them
    may set the fields the model guards (see ``service.guarded.mixin``)."""
    return records.with_context(service_guarded_action=ACTION)
