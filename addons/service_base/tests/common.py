import threading
from functools import partial

from odoo import SUPERUSER_ID, api, http
from odoo.service.model import retrying
from odoo.tests import HttpCase, TransactionCase, new_test_user


class ServiceBaseCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.category = cls.env["product.category"].create({"name": "Test Boilers"})
        cls.model = cls.env["product.product"].create(
            {
                "name": "Test Boiler TB-1",
                "categ_id": cls.category.id,
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "is_equipment": True,
            }
        )
        cls.customer = cls.env["res.partner"].create({"name": "Customer A", "is_company": True})
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "Contact of A", "parent_id": cls.customer.id}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Customer B", "is_company": True}
        )
        cls.service_user = new_test_user(
            cls.env, login="sb_user", groups="service_base.group_service_user"
        )
        cls.service_manager = new_test_user(
            cls.env, login="sb_manager", groups="service_base.group_service_manager"
        )

    @classmethod
    def _lot(cls, name, product=None, company=None):
        return cls.env["stock.lot"].create(
            {
                "name": name,
                "product_id": (product or cls.model).id,
                "company_id": (company or cls.company).id,
            }
        )


class CommittedCase(TransactionCase):
    """Helpers to commit data and to run competing transactions."""

    @classmethod
    def _committed(cls, func):
        """Run ``func(env)`` in a transaction of its own and commit it."""
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return func(env)

    def _race(self, funcs, retry=True):
        """Run each ``func(env)`` in its own thread and transaction, all at once.

        Each transaction takes its snapshot, waits for the others, then runs
        its function under ``retrying`` (as the server does for RPC), or once
        and committed when not ``retry`` (as a scheduled action runs). Returns
        ``(results, errors, attempts)`` lists in the order of ``funcs``.
        """
        count = len(funcs)
        barrier = threading.Barrier(count, timeout=30)
        results, errors, attempts = [None] * count, [None] * count, [0] * count

        def attempt(index, env):
            attempts[index] += 1
            if attempts[index] == 1:
                # take the snapshot before the others commit anything
                env.cr.execute("SELECT 1")
                barrier.wait()
            return funcs[index](env)

        def run(index):
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    if retry:
                        results[index] = retrying(partial(attempt, index, env), env)
                    else:
                        results[index] = attempt(index, env)
            except Exception as error:
                errors[index] = error

        threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertFalse(any(t.is_alive() for t in threads), "a transaction hangs")
        return results, errors, attempts


class TourDataCase(HttpCase):
    """A browser tour whose data the class sets up once, in
    ``_setup_tour_data``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The server's map of static folders, read once per process: read here,
        # not by the browser's first parallel requests (ast.parse in threads of
        # Python 3.11.7 fails now and then: "AST constructor recursion depth
        # mismatch", an HTML 500 instead of a file).
        assert http.root.statics
        # Requests that reach the server meanwhile (queue_job's runner asking
        # for the demo catalog import) wait: they share this test's cursor.
        with cls.registry.test_lock:
            cls._setup_tour_data()

    @classmethod
    def _setup_tour_data(cls):
        """The tour's records, created once for the class."""
