import { registry } from "@web/core/registry";
import { openMenu } from "@service_base/../tests/tours/service_tour_utils";

/**
 * The dispatch board as the service manager opens it in the morning, on a
 * desktop and on a phone (tests/test_tours.py keeps its screenshot for the
 * README): the queue first and open, each technician's column headed with
 * their load against their capacity and their skills.
 */
registry.category("web_tour.tours").add("service_dispatch_board_screen_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenu(
            "service_base.menu_service_root",
            "service_repair.menu_service_repair_root",
            "service_repair.menu_service_dispatch_board"
        ),
        {
            content: "The queue comes first, open, with the waiting request",
            trigger:
                ".o_kanban_group.o_service_dispatch_queue:not(.o_column_folded) .o_kanban_record:contains('Тур: течёт котёл')",
        },
        {
            content: "The technician's column shows the load against the capacity, and the skills",
            trigger:
                ".o_kanban_group:contains('Тур Техник') .o_service_dispatch_column:has(.o_service_dispatch_load):has(.o_service_dispatch_skill)",
        },
        {
            content: "The deadline counts its days in Russian's plural, not Odoo's single form",
            trigger:
                ".o_kanban_record:contains('Тур: течёт котёл') .o_field_remaining_days:contains('Через 3 дня')",
        },
    ],
});
