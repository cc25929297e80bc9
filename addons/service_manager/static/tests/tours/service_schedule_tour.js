import { registry } from "@web/core/registry";
import { watchForErrors } from "@service_base/../tests/tours/service_duty_tour_utils";
import { openMenu } from "@service_base/../tests/tours/service_tour_utils";

/**
 * The technicians' scheduled visits on a timeline, in Russian, on a desktop
 * and on a phone (service_manager/tests/test_schedule_tour.py): a row per
 * technician with their visits.
 */
registry.category("web_tour.tours").add("service_schedule_tour", {
    url: "/odoo",
    steps: () => [
        watchForErrors(),
        ...openMenu(
            "service_base.menu_service_root",
            "service_repair.menu_service_repair_root",
            "service_manager.menu_service_schedule"
        ),
        {
            content: "The schedule, in Russian",
            trigger: ".o_breadcrumb:contains('График техников')",
        },
        {
            content: "A row per technician",
            trigger: ".o_timeline_view .vis-label:contains('Тур Техник Три')",
        },
        {
            content: "The technician's visit, with its customer",
            trigger: ".o_timeline_view .vis-item:contains('ООО «Тур График»')",
        },
    ],
});
