from contextlib import contextmanager

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .test_visit_day import VisitDayCase

PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


class VisitSecurityCase(VisitDayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company2 = cls.env["res.company"].create({"name": "SF Security Company 2"})
        cls.tech_company2 = new_test_user(
            cls.env,
            login="sf_sec_tech_c2",
            name="Tech Company 2",
            groups="service_base.group_service_user",
            company_id=cls.company2.id,
            company_ids=[Command.set(cls.company2.ids)],
        )

    @contextmanager
    def invalid(self, text):
        """A ValidationError naming ``text``, rolled back."""
        with self.assertRaises(ValidationError) as caught:
            yield
        self.assertIn(text, str(caught.exception))

    def photo(self, user, **vals):
        return (
            self.env["ir.attachment"]
            .with_user(user)
            .create({"name": "photo.png", "datas": PNG, "mimetype": "image/png", **vals})
        )


@tagged("post_install", "-at_install", "service_suite")
class TestVisitOwnTechnician(VisitSecurityCase):
    """Only the visit's technician or a service manager writes a visit, any field."""

    def test_a_colleague_cannot_forge_the_signature_notes_or_photos(self):
        visit = self.on_site()
        colleague = visit.with_user(self.tech_boilers2)
        attachment = self.photo(self.tech_boilers, res_model="service.visit", res_id=visit.id)
        for vals in (
            {"signature": PNG, "signed_by": "Forged"},
            {"note": "<p>Forged</p>"},
            {"photo_ids": [Command.link(attachment.id)]},
        ):
            with self.subTest(vals=list(vals)):
                with self.refused("Tech Boilers (the visit's technician) or a service manager"):
                    colleague.write(vals)
        self.assertFalse(visit.signature)
        self.assertFalse(visit.note)
        self.assertFalse(visit.photo_ids)
        # the record rules say the same as the check in write
        with self.assertRaises(AccessError):
            colleague.check_access("write")
        visit.check_access("write")

    def test_the_technician_and_a_manager_write_it(self):
        visit = self.on_site()
        visit.write({"note": "<p>Flue cleaned</p>", "signature": PNG, "signed_by": "I. Petrov"})
        self.assertEqual(visit.signed_by, "I. Petrov")
        visit.with_user(self.manager).write({"note": "<p>Checked by the manager</p>"})
        self.assertIn("manager", visit.note)
        visit.with_user(self.manager).check_access("unlink")


@tagged("post_install", "-at_install", "service_suite")
class TestVisitChatter(VisitSecurityCase):
    """Who reads a visit writes in its chatter; changing it stays its technician's."""

    def _thread(self, visit, user):
        """The visit as the chatter's controller gives it to ``user`` to post
        on (mail/controllers/thread.py), or nothing."""
        Visit = self.env["service.visit"].with_user(user)
        return Visit._get_thread_with_access(visit.id, mode=Visit._mail_post_access)

    def test_colleagues_and_the_manager_post_on_a_visit(self):
        visit = self.on_site()
        for user in (self.tech_boilers2, self.tech_climate, self.manager, self.tech_boilers):
            with self.subTest(user=user.login):
                thread = self._thread(visit, user)
                self.assertEqual(thread, visit)
                message = thread.message_post(
                    body=f"Note from {user.login}",
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
                self.assertEqual(message.author_id, user.partner_id)
                self.assertEqual((message.model, message.res_id), ("service.visit", visit.id))
        # posting is no write: the colleague still changes nothing of the visit
        with self.assertRaises(AccessError):
            visit.with_user(self.tech_boilers2).check_access("write")

    def test_no_post_from_outside_the_service(self):
        visit = self.on_site()
        contact = self.env["res.partner"].create(
            {"name": "SF Sec Contact", "parent_id": self.customer.id}
        )
        portal = new_test_user(
            self.env, login="sf_sec_portal", groups="base.group_portal", partner_id=contact.id
        )
        employee = new_test_user(self.env, login="sf_sec_employee", groups="base.group_user")
        for user in (portal, employee, self.tech_company2):
            with self.subTest(user=user.login):
                self.assertFalse(self._thread(visit, user))
                with self.assertRaises(AccessError):
                    visit.with_user(user).message_post(body="Intruder")
        self.assertFalse(visit.message_ids.filtered(lambda m: "Intruder" in (m.body or "")))


@tagged("post_install", "-at_install", "service_suite")
class TestVisitOverIsFrozen(VisitSecurityCase):
    """A done or cancelled visit's notes and photos stay as they were."""

    def test_done_visit(self):
        visit = self.on_site()
        visit.note = "<p>As reported</p>"
        self.tick(visit)
        visit.action_finish()
        attachment = self.photo(self.tech_boilers, res_model="service.visit", res_id=visit.id)
        for user in (self.tech_boilers, self.manager):
            for vals in (
                {"note": "<p>Rewritten</p>"},
                {"photo_ids": [Command.link(attachment.id)]},
            ):
                with self.subTest(user=user.login, vals=list(vals)):
                    with self.refused("is over: its notes and photos stay"):
                        visit.with_user(user).write(vals)
        self.assertEqual(visit.note, "<p>As reported</p>")
        self.assertFalse(visit.photo_ids)
        # the same note again is no change
        visit.write({"note": "<p>As reported</p>"})

    def test_done_or_signed_visit_is_not_deleted(self):
        done = self.on_site()
        self.tick(done)
        done.action_finish()
        signed = self.visit(start=13, end=14).with_user(self.tech_boilers)
        signed.action_arrive()
        signed.write({"signature": PNG, "signed_by": "I. Petrov"})
        for visit in (done, signed):
            with self.subTest(visit=visit.name), self.refused("stays in the history"):
                visit.with_user(self.manager).unlink()
            self.assertTrue(visit.exists())
        # a visit not needed: cancelled, or deleted while nothing was done
        planned = self.visit(start=15, end=16)
        planned.with_user(self.manager).unlink()
        self.assertFalse(planned.exists())
        # the superuser (data fixes, uninstall) may
        done.sudo().unlink()
        self.assertFalse(done.exists())

    def test_cancelled_visit(self):
        visit = self.visit(start=9, end=11).with_user(self.tech_boilers)
        visit.action_cancel()
        with self.refused("is over: its notes and photos stay"):
            visit.note = "<p>Later</p>"


@tagged("post_install", "-at_install", "service_suite")
class TestVisitPhotos(VisitSecurityCase):
    """A photo is uploaded on the visit, not borrowed from another document."""

    def test_foreign_or_unreadable_attachments_are_refused(self):
        visit = self.on_site()
        partner2 = self.env["res.partner"].create(
            {"name": "SF partner of company 2", "company_id": self.company2.id}
        )
        other_company = self.photo(self.env.user, res_model="res.partner", res_id=partner2.id)
        other_visit = self.visit(start=13, end=14)
        of_other_visit = self.photo(
            self.tech_boilers, res_model="service.visit", res_id=other_visit.id
        )
        on_a_partner = self.photo(self.env.user, res_model="res.partner", res_id=self.customer.id)
        someone_elses = self.photo(self.tech_boilers2)
        for attachment in (other_company, of_other_visit, on_a_partner, someone_elses):
            with self.subTest(attachment=attachment.res_model):
                with self.refused(f"Attachment {attachment.id} cannot be a photo"):
                    visit.write({"photo_ids": [Command.link(attachment.id)]})
                with self.refused(f"Attachment {attachment.id} cannot be a photo"):
                    visit.write({"photo_ids": [Command.set(attachment.ids)]})
        self.assertFalse(visit.photo_ids)
        mine = self.photo(self.tech_boilers, res_model="service.visit", res_id=visit.id)
        unattached = self.photo(self.tech_boilers)
        visit.write({"photo_ids": [Command.link(mine.id), Command.link(unattached.id)]})
        self.assertEqual(visit.photo_ids, mine | unattached)
        # a new visit takes the photos uploaded before it had an id, not others'
        new_photo = self.photo(self.tech_boilers, res_model="service.visit", res_id=0)
        vals = {
            "request_id": self.request.id,
            "user_id": self.tech_boilers.id,
            "date_start": self.at(15),
            "date_end": self.at(16),
        }
        created = self.Visit.with_user(self.tech_boilers).create(
            {**vals, "photo_ids": [Command.link(new_photo.id)]}
        )
        self.assertEqual(created.photo_ids, new_photo)
        with self.refused("cannot be a photo"):
            self.Visit.with_user(self.tech_boilers).create(
                {
                    **vals,
                    "date_start": self.at(16),
                    "date_end": self.at(17),
                    "photo_ids": [Command.link(on_a_partner.id)],
                }
            )


@tagged("post_install", "-at_install", "service_suite")
class TestVanLocation(VisitSecurityCase):
    def test_a_van_only_for_a_technician_of_the_managers_companies(self):
        portal = new_test_user(self.env, login="sf_sec_portal", groups="base.group_portal")
        internal = new_test_user(self.env, login="sf_sec_internal", groups="base.group_user")
        manager = self.env["res.users"].with_user(self.manager)
        for user, text in (
            (self.tech_company2, "works for SF Security Company 2"),
            (portal, "is not a service technician"),
            (internal, "is not a service technician"),
            (self.env.ref("base.user_root"), "is not a service technician"),
        ):
            with self.subTest(user=user.login):
                with self.refused(text):
                    manager.browse(user.id).action_service_create_van_location()
                self.assertFalse(user.sudo().service_van_location_id)
        self.assertFalse(
            self.env["stock.location"].search(
                [("company_id", "=", self.company2.id), ("name", "like", "Tech Company 2")]
            )
        )

    def test_the_van_is_of_a_company_of_the_technician(self):
        warehouse2 = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company2.id)], limit=1
        )
        van2 = self.env["stock.location"].create(
            {
                "name": "SF van of company 2",
                "usage": "internal",
                "location_id": warehouse2.view_location_id.id,
                "company_id": self.company2.id,
            }
        )
        with self.invalid("belongs to SF Security Company 2"):
            self.tech_boilers.service_van_location_id = van2
        self.tech_company2.service_van_location_id = van2
        # and the technician cannot leave the van's company behind
        with self.invalid("belongs to SF Security Company 2"):
            self.tech_company2.write(
                {"company_ids": [Command.set(self.company.ids)], "company_id": self.company.id}
            )

    def test_only_service_staff_read_the_van(self):
        internal = new_test_user(self.env, login="sf_sec_internal2", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.tech_boilers.with_user(internal).read(["service_van_location_id"])
        [values] = self.tech_boilers.with_user(self.tech_boilers2).read(["service_van_location_id"])
        self.assertEqual(values["service_van_location_id"][0], self.van.id)


@tagged("post_install", "-at_install", "service_suite")
class TestVisitPartValues(VisitSecurityCase):
    def test_quantities_that_are_no_number(self):
        visit = self.on_site()
        Part = self.env["service.visit.part"].with_user(self.tech_boilers)
        line = Part.create({"visit_id": visit.id, "product_id": self.part.id, "quantity": 1})
        for value in (float("nan"), float("inf"), float("-inf"), 1e300, "NaN", "many"):
            with self.subTest(value=value):
                with self.invalid("must be a number up to"):
                    Part.create(
                        {"visit_id": visit.id, "product_id": self.part.id, "quantity": value}
                    )
                with self.invalid("must be a number up to"):
                    line.write({"quantity": value})
        line.invalidate_recordset()
        self.assertEqual(line.quantity, 1)

    def test_a_lot_of_another_product(self):
        tracked = self.env["product.product"].create(
            {"name": "SF valve", "type": "consu", "is_storable": True, "tracking": "lot"}
        )
        lot = self.env["stock.lot"].create({"name": "SF-GASKET-LOT", "product_id": self.part.id})
        own_lot = self.env["stock.lot"].create({"name": "SF-VALVE-LOT", "product_id": tracked.id})
        visit = self.on_site()
        Part = self.env["service.visit.part"].with_user(self.tech_boilers)
        with self.invalid("SF-GASKET-LOT is of SF gasket, not of SF valve"):
            Part.create({"visit_id": visit.id, "product_id": tracked.id, "lot_id": lot.id})
        line = Part.create({"visit_id": visit.id, "product_id": tracked.id, "lot_id": own_lot.id})
        with self.invalid("is of SF gasket, not of SF valve"):
            line.lot_id = lot
        line.invalidate_recordset()
        self.assertEqual(line.lot_id, own_lot)

    def test_a_part_stays_on_its_visit(self):
        own = self.on_site()
        colleagues = self.visit(user=self.tech_boilers2, start=13, end=15)
        line = (
            self.env["service.visit.part"]
            .with_user(self.tech_boilers)
            .create({"visit_id": own.id, "product_id": self.part.id, "quantity": 1})
        )
        for user in (self.tech_boilers, self.manager):
            with self.subTest(user=user.login), self.refused("can only be set by its actions"):
                line.with_user(user).write({"visit_id": colleagues.id})
        line.invalidate_recordset()
        self.assertEqual(line.visit_id, own)
        self.assertFalse(colleagues.part_ids)
        # the same visit again is no change
        line.write({"visit_id": own.id, "quantity": 2})
        self.assertEqual(line.quantity, 2)

    def test_a_missing_visit(self):
        missing = self.Visit.search([], order="id desc", limit=1).id + 1000
        with self.refused(f"record {missing} does not exist"):
            self.env["service.visit.part"].with_user(self.tech_boilers).create(
                {"visit_id": missing, "product_id": self.part.id}
            )


@tagged("post_install", "-at_install", "service_suite")
class TestVisitSlotLinesAndActions(VisitSecurityCase):
    def test_free_slots_are_the_searchs_only(self):
        wizard = (
            self.env["service.slot.wizard"]
            .with_user(self.manager)
            .create({"request_id": self.request.id, "duration": 1, "date_from": self.at(8)})
        )
        wizard.action_search()
        self.assertTrue(wizard.line_ids)
        self.assertEqual(wizard.line_ids.create_uid, self.manager)
        Line = self.env["service.slot.wizard.line"].with_user(self.manager)
        with self.assertRaises(AccessError):
            Line.create(
                {
                    "wizard_id": wizard.id,
                    "user_id": self.tech_company2.id,
                    "date_start": self.at(9),
                    "date_end": self.at(10),
                }
            )
        with self.assertRaises(AccessError):
            wizard.line_ids[0].user_id = self.tech_company2
        # the search again replaces its lines
        wizard.action_search()
        self.assertTrue(wizard.line_ids)
        self.assertTrue(wizard.line_ids[0].action_book())

    def test_one_request_at_a_time(self):
        other = self.Request.create({"subject": "SF second", "partner_id": self.customer.id})
        with self.refused("one service request at a time, not for 2"):
            (self.request | other).with_user(self.manager).service_find_slots(1)

    def test_a_visit_without_transfer(self):
        visit = self.visit(start=9, end=11)
        with self.refused("has no parts transfer"):
            visit.with_user(self.tech_boilers).action_view_picking()
