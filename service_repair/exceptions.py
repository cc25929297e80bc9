from odoo.exceptions import UserError

# Only code running in this process can hold this object (see
# service_base.tools.guarded): with it in the context as
# ``service_assignment_checked``, an assignment the suite's own action has
# decided is not checked again against the dispatch's rules.
ASSIGNMENT_CHECKED = object()


class ServiceOverCapacityError(UserError):
    """A technician would get more open requests than their capacity.

    A ``UserError`` to every client; the dispatch board recognises it by name
    (``odoo.addons.service_repair.exceptions.ServiceOverCapacityError``), asks
    the dispatcher, and assigns again with ``service_over_capacity`` in the
    context when they confirm.
    """
