import * as hoot from "@odoo/hoot-dom";
import { registry } from "@web/core/registry";
import { watchForErrors } from "@service_base/../tests/tours/service_duty_tour_utils";
import { clickViewHeaderButton, openMenu } from "@service_base/../tests/tours/service_tour_utils";

const column = (name) => `.o_kanban_group:has(.o_column_title:contains('${name}'))`;
const QUEUE = ".o_kanban_group.o_service_dispatch_queue";

/**
 * The dispatcher's board, in Russian, on a desktop and on a phone
 * (service_repair/tests/test_dispatch_board_tour.py): the queue first and
 * open with its cards, each technician's load against capacity and skills;
 * a ticked request dispatched, then the rest of the queue after the
 * question; on a desktop, a request dragged to a technician at full
 * capacity, assigned once the dispatcher confirms.
 */
registry.category("web_tour.tours").add("service_dispatch_board_tour", {
    url: "/odoo",
    steps: () => [
        watchForErrors(),
        ...openMenu(
            "service_base.menu_service_root",
            "service_repair.menu_service_repair_root",
            "service_repair.menu_service_dispatch_board"
        ),
        {
            content: "The queue is the first column, open, in Russian",
            trigger: `.o_kanban_renderer > ${QUEUE}:first-child:not(.o_column_folded) .o_column_title:contains('Не назначены')`,
        },
        {
            content: "Its requests are on the screen",
            trigger: `${QUEUE} .o_kanban_record:contains('Тур: насос шумит')`,
        },
        {
            trigger: `${QUEUE} .o_kanban_record:contains('Тур: насос течёт')`,
        },
        {
            content: "A technician at full capacity: load against capacity, skills",
            trigger: `${column("Тур Техник Один")} .o_service_dispatch_load.text-bg-danger:contains('1 / 1')`,
        },
        {
            trigger: `${column("Тур Техник Один")} .o_service_dispatch_skill:contains('Тур: насосы')`,
        },
        {
            content: "A technician without requests has a column too",
            trigger: `${column("Тур Техник Два")} .o_service_dispatch_load:contains('0 / 5')`,
        },
        {
            isActive: ["desktop"],
            content: "The quick-assign button of a queue card (shown on hover) opens its picker: the card knows its company",
            trigger: `${QUEUE} .o_kanban_record:contains('Тур: насос шумит') .o_quick_assign:not(:visible)`,
            run: "click",
        },
        {
            isActive: ["mobile"],
            content: "The quick-assign button of a queue card opens its picker: the card knows its company",
            trigger: `${QUEUE} .o_kanban_record:contains('Тур: насос шумит') .o_quick_assign`,
            run: "click",
        },
        {
            trigger: ".o_popover .o-autocomplete--input",
        },
        {
            content: "Close the picker",
            trigger: ".o_popover .o-autocomplete--input",
            run: "press Escape",
        },
        {
            content: "The tick box is on top where it is drawn: no button of the card covers it",
            trigger: `${QUEUE} .o_kanban_record:contains('Тур: насос шумит') .o_service_dispatch_select input`,
            run() {
                const box = this.anchor.getBoundingClientRect();
                const hit = document.elementFromPoint(
                    box.left + box.width / 2,
                    box.top + box.height / 2
                );
                if (!hit || !hit.closest(".o_service_dispatch_select")) {
                    throw new Error(`The tick box is covered by ${hit && hit.outerHTML.slice(0, 120)}`);
                }
            },
        },
        {
            content: "Tick one request of the queue",
            trigger: `${QUEUE} .o_kanban_record:contains('Тур: насос шумит') .o_service_dispatch_select input`,
            run: "click",
        },
        {
            isActive: ["desktop"],
            content: "The dispatch button counts it",
            trigger: ".o_control_panel .o_service_dispatch_selected:contains('1')",
        },
        ...clickViewHeaderButton("action_dispatch_queue", "Dispatch the ticked request"),
        {
            content: "Assigned: close the message",
            trigger: ".o_notification:contains('Назначено заявок: 1 из 1') .o_notification_close",
            run: "click",
        },
        {
            content: "The skilled technician under capacity has it",
            trigger: `${column("Тур Техник Два")} .o_kanban_record:contains('Тур: насос шумит')`,
        },
        {
            trigger: `${column("Тур Техник Два")} .o_service_dispatch_load:contains('1 / 5')`,
        },
        {
            content: "The other request still waits",
            trigger: `${QUEUE} .o_kanban_record:contains('Тур: насос течёт')`,
        },
        ...clickViewHeaderButton("action_dispatch_queue", "Dispatch with nothing ticked"),
        {
            content: "The board asks before dispatching the whole queue",
            trigger: ".modal .modal-body:contains('Распределить все неназначенные заявки (1 заявка)?')",
        },
        {
            trigger: ".modal .modal-footer button.btn-primary:contains('Распределить все')",
            run: "click",
        },
        {
            trigger: ".o_notification:contains('Назначено заявок: 1 из 1') .o_notification_close",
            run: "click",
        },
        {
            trigger: `${column("Тур Техник Два")} .o_kanban_record:contains('Тур: насос течёт')`,
        },
        {
            trigger: `${column("Тур Техник Два")} .o_service_dispatch_load:contains('2 / 5')`,
        },
        {
            content: "The queue is empty and still open",
            trigger: `${QUEUE}:not(.o_column_folded):not(:has(.o_kanban_record))`,
        },
        {
            isActive: ["desktop"],
            content: "Scroll the board to the two technicians",
            trigger: column("Тур Техник Один"),
            run() {
                hoot.queryFirst(column("Тур Техник Один")).scrollIntoView({ inline: "end" });
            },
        },
        {
            isActive: ["desktop"],
            content: "Drag a request to the technician at full capacity",
            trigger: `${column("Тур Техник Два")} .o_kanban_record:contains('Тур: насос течёт')`,
            async run(helpers) {
                await helpers.drag_and_drop(column("Тур Техник Один"));
            },
        },
        {
            isActive: ["desktop"],
            content: "The board asks: over capacity",
            trigger: ".modal:contains('Сверх нормы') .modal-body:contains('Инженер Тур Техник Один: будет 2 открытые заявки при норме 1.')",
        },
        {
            isActive: ["desktop"],
            trigger: ".modal .modal-footer button.btn-primary:contains('Назначить всё равно')",
            run: "click",
        },
        {
            isActive: ["desktop"],
            content: "Assigned anyway: the load is over capacity",
            trigger: `${column("Тур Техник Один")} .o_service_dispatch_load:contains('2 / 1')`,
        },
        {
            isActive: ["desktop"],
            trigger: `${column("Тур Техник Один")} .o_kanban_record:contains('Тур: насос течёт')`,
        },
    ],
});
