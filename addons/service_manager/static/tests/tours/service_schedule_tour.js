import * as hoot from "@odoo/hoot-dom";
import { registry } from "@web/core/registry";
import { watchForErrors } from "@service_base/../tests/tours/service_duty_tour_utils";
import { openMenu } from "@service_base/../tests/tours/service_tour_utils";

/** The timeline's row of a technician (its index follows the labels'). */
function technicianRow(name) {
    const labels = [...hoot.queryAll(".o_timeline_view .vis-left .vis-label")];
    const index = labels.findIndex((label) => label.textContent.includes(name));
    return `.o_timeline_view .vis-foreground > .vis-group:nth-child(${index + 1})`;
}

/**
 * The technicians' scheduled visits on a timeline, in Russian, on a desktop
 * and on a phone (service_manager/tests/test_schedule_tour.py): a row per
 * technician with their visits, the visits of nobody in the row of the
 * unassigned; on a desktop, a visit dragged to a technician at full capacity
 * asks, and is assigned anyway when the dispatcher confirms.
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
            trigger: ".o_breadcrumb:contains('График инженеров')",
        },
        {
            content: "A row per technician",
            trigger: ".o_timeline_view .vis-label:contains('Тур Техник Три')",
        },
        {
            content: "The technician's visit, with its customer",
            trigger: ".o_timeline_view .vis-item:contains('ООО «Тур График»')",
        },
        {
            content: "Its reference in bold, not its markup as text",
            trigger:
                ".o_timeline_view .vis-item:contains('ООО «Тур График»') .vis-item-content b:not(:contains('<'))",
        },
        {
            content: "The visits of nobody have their row, named as on the board",
            trigger: ".o_timeline_view .vis-label:contains('Не назначены')",
        },
        {
            isActive: ["desktop"],
            content: "Select the visit",
            trigger: ".o_timeline_view .vis-item:contains('ООО «Тур График»')",
            run: "click",
        },
        {
            isActive: ["desktop"],
            content: "Drag it to the technician at full capacity, at the same hour",
            trigger: ".o_timeline_view .vis-item.vis-selected:contains('ООО «Тур График»')",
            async run(helpers) {
                const item = this.anchor.getBoundingClientRect();
                const row = hoot.queryFirst(technicianRow("Тур Техник Четыре"));
                const box = row.getBoundingClientRect();
                await helpers.drag_and_drop(technicianRow("Тур Техник Четыре"), {
                    position: { left: item.left - box.left + 20, top: box.height / 2 },
                    relative: true,
                });
            },
        },
        {
            isActive: ["desktop"],
            content: "The schedule asks, as the board does: over capacity",
            trigger: ".modal:contains('Сверх нормы') .modal-body:contains('Тур Техник Четыре')",
        },
        {
            isActive: ["desktop"],
            trigger: ".modal .modal-footer button.btn-primary:contains('Назначить всё равно')",
            run: "click",
        },
        {
            isActive: ["desktop"],
            content: "The visit is in the technician's row now",
            trigger: ".o_timeline_view .vis-label:contains('Тур Техник Четыре')",
            run() {
                const row = hoot.queryFirst(technicianRow("Тур Техник Четыре"));
                // beside the visit the technician had
                if (row.querySelectorAll(".vis-item").length < 2) {
                    throw new Error("the visit was not moved to the technician's row");
                }
            },
        },
    ],
});
