import { registry } from "@web/core/registry";
import {
    clickHeaderButton,
    clickStatButton,
    fieldShows,
    goBack,
    openMenu,
    statusIs,
} from "@service_base/../tests/tours/service_tour_utils";

/**
 * A technician's day: the request kanban, the request assigned to them, its
 * repair order started, and back to the kanban (where the tour's screenshot
 * is taken). Runs on a desktop and on a phone.
 */
registry.category("web_tour.tours").add("service_technician_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenu(
            "service_base.menu_service_root",
            "service_repair.menu_service_repair_root",
            "service_repair.menu_service_request_all"
        ),
        {
            content: "The request kanban shows the request assigned to me",
            trigger: ".o_kanban_view .o_kanban_record:contains('Тур: шумит насос')",
            run: "click",
        },
        {
            content: "The request form names the unit and me",
            trigger: fieldShows("equipment_id", "TOUR-PUMP-1"),
        },
        {
            trigger: fieldShows("user_id", "Тур Техник"),
        },
        ...clickStatButton("action_view_repairs", "Open the repair order of the request"),
        {
            content: "The repair order is confirmed, for the unit's serial",
            trigger: statusIs("Подтвержден"),
        },
        {
            trigger: fieldShows("lot_id", "TOUR-PUMP-1"),
        },
        ...clickHeaderButton("action_repair_start", "Start the repair"),
        {
            content: "The repair is under way",
            trigger: statusIs("Под ремонтом"),
        },
        ...goBack("Back to the request"),
        {
            content: "The request again",
            trigger: ".o_breadcrumb .o_last_breadcrumb_item:contains('SR/')",
        },
        ...goBack("Back to the kanban"),
        {
            content: "The request is on the kanban",
            trigger: ".o_kanban_view .o_kanban_record:contains('Тур: шумит насос')",
        },
    ],
});
