import * as hoot from "@odoo/hoot-dom";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import {
    fieldShows,
    openMenu,
    statusIs,
} from "@service_base/../tests/tours/service_tour_utils";
import { searchFor, watchForErrors } from "@service_base/../tests/tours/service_duty_tour_utils";

const BOOKED = ".vis-item:contains('ООО «Тур Котельная»')";
const OTHER = ".vis-item:contains('ООО «Тур Соседи»')";

function nextFrame() {
    return new Promise((resolve) => requestAnimationFrame(resolve));
}

/** Wait until `selector`'s box stays put for a few frames (the timeline animates its window). */
async function settled(selector) {
    let last = "";
    let still = 0;
    for (let frame = 0; frame < 300 && still < 5; frame++) {
        await nextFrame();
        const el = hoot.queryFirst(selector);
        const rect = el && el.getBoundingClientRect();
        const now = rect ? `${rect.x},${rect.y},${rect.width}` : "";
        still = now && now === last ? still + 1 : 0;
        last = now;
    }
    return hoot.queryFirst(selector);
}

/**
 * Drag the timeline's item `selector` by the mouse along its row so that its
 * centre ends at `toX` (a client x), in small moves as a hand would: the
 * timeline's gestures (hammer.js) start a drag after some pixels.
 */
async function dragItemTo(selector, toX) {
    const item = await settled(selector);
    const rect = item.getBoundingClientRect();
    const fromX = rect.x + rect.width / 2;
    const y = rect.y + rect.height / 2;
    const { moveTo, drop } = await hoot.drag(item, { position: { x: fromX, y } });
    const steps = 10;
    for (let step = 1; step <= steps; step++) {
        await moveTo({ position: { x: fromX + ((toX - fromX) * step) / steps, y } });
        await nextFrame();
    }
    await drop();
}

/** Stop failing on error dialogs: the next one is expected. */
function expectAnError() {
    return {
        content: "The next error dialog is the expected refusal",
        trigger: "body",
        run() {
            window.__serviceDutyObserver?.disconnect();
            window.__serviceDutyObserver = null;
        },
    };
}

/**
 * The service manager's planning on a desktop: a request's free slot found
 * and booked; the planning timeline (a row a technician), the visit dragged
 * onto the technician's other visit (refused, the message naming it) and then
 * to a free time; the customer's annual maintenance schedule (график ППР)
 * shown and printed (the PDF downloaded).
 */
registry.category("web_tour.tours").add("service_manager_planning_tour", {
    url: "/odoo",
    steps: () => [
        watchForErrors(),
        ...openMenu(
            "service_base.menu_service_root",
            "service_repair.menu_service_repair_root",
            "service_repair.menu_service_request_all"
        ),
        ...searchFor("Тур: котёл не держит температуру"),
        {
            content: "Open the request",
            trigger: ".o_kanban_view .o_kanban_record:contains('Тур: котёл не держит температуру')",
            run: "click",
        },
        {
            content: "Find a slot for it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_find_slot]:contains('Найти время')",
            run: "click",
        },
        {
            content: "The free slots of the team's technician",
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:first:contains('Тур Инженер Планов')",
        },
        {
            content: "Book the first one",
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:first button[name=action_book]:contains('Назначить')",
            run: "click",
        },
        {
            content: "The visit is booked: its form, planned for the technician",
            trigger: fieldShows("user_id", "Тур Инженер Планов"),
        },
        { trigger: statusIs("Запланирован") },
        // The planning timeline
        ...openMenu(
            "service_base.menu_service_root",
            "service_repair.menu_service_repair_root",
            "service_field.menu_service_visits"
        ),
        {
            content: "Switch to the timeline",
            trigger: ".o_control_panel .o_switch_view.o_timeline",
            run: "click",
        },
        {
            content: "A row per technician",
            trigger: ".oe_timeline_view .vis-label:contains('Тур Инженер Планов')",
        },
        {
            content: "The next 24 hours",
            trigger: ".oe_timeline_view .oe_timeline_button_today",
            run: "click",
        },
        {
            content: "Both visits of the technician are on the time axis",
            trigger: `.oe_timeline_view ${BOOKED}:visible`,
        },
        {
            trigger: `.oe_timeline_view ${OTHER}:visible`,
            async run() {
                const other = await settled(OTHER);
                window.__serviceOtherVisit = other.querySelector("b").textContent.trim();
            },
        },
        {
            content: "Select the booked visit",
            trigger: `.oe_timeline_view ${BOOKED}`,
            async run() {
                await hoot.click(await settled(BOOKED));
            },
        },
        {
            content: "It is selected",
            trigger: `.oe_timeline_view ${BOOKED}.vis-selected`,
        },
        expectAnError(),
        {
            content: "Drag it onto the technician's other visit",
            trigger: `.oe_timeline_view ${OTHER}`,
            async run() {
                window.__serviceBookedX = (await settled(BOOKED)).getBoundingClientRect().x;
                const other = (await settled(OTHER)).getBoundingClientRect();
                await dragItemTo(BOOKED, other.x + other.width / 2);
            },
        },
        {
            content: "Refused: the message names the other visit",
            trigger: ".modal .o_error_dialog",
            run() {
                const text = hoot.queryFirst(".modal").innerText;
                const other = window.__serviceOtherVisit;
                if (!other || !text.includes(other) || !text.includes("Тур Инженер Планов")) {
                    console.error(`The refusal does not name visit ${other}: ${text}`);
                }
            },
        },
        {
            content: "Close the refusal",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The refusal is closed",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The refused visit is back where it was, not where it was dropped",
            trigger: `.oe_timeline_view ${BOOKED}`,
            async run() {
                for (let attempt = 0; attempt < 50; attempt++) {
                    const x = hoot.queryFirst(BOOKED).getBoundingClientRect().x;
                    if (Math.abs(x - window.__serviceBookedX) < 3) {
                        return;
                    }
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
                console.error("The refused visit stayed where it was dropped");
            },
        },
        watchForErrors(),
        {
            content: "Drag the visit to a free time after the other one",
            trigger: `.oe_timeline_view ${BOOKED}`,
            async run() {
                await hoot.click(await settled(BOOKED));
                const other = (await settled(OTHER)).getBoundingClientRect();
                await dragItemTo(BOOKED, other.right + 200);
            },
        },
        {
            content: "The move is saved: the visit starts after the other one ends",
            trigger: `.oe_timeline_view ${BOOKED}`,
            async run() {
                const read = (name) =>
                    rpc("/web/dataset/call_kw/service.visit/search_read", {
                        model: "service.visit",
                        method: "search_read",
                        args: [[["partner_id.name", "=", name]], ["date_start", "date_end"]],
                        kwargs: {},
                    });
                for (let attempt = 0; attempt < 50; attempt++) {
                    const [booked] = await read("ООО «Тур Котельная»");
                    const [other] = await read("ООО «Тур Соседи»");
                    if (booked && other && booked.date_start >= other.date_end) {
                        return;
                    }
                    await new Promise((resolve) => setTimeout(resolve, 200));
                }
                console.error("The visit was not moved after the other one");
            },
        },
        // The annual maintenance schedule
        ...openMenu(
            "service_base.menu_service_root",
            "service_contracts.menu_service_contracts_root",
            "service_maintenance.service_maintenance_schedule_menu"
        ),
        {
            content: "The customer",
            trigger: ".o_form_view .o_field_widget[name=partner_id] input",
            run: "edit Тур Котельная",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('ООО «Тур Котельная»')",
            run: "click",
        },
        {
            content: "The customer's schedule, by month, in Russian",
            trigger: ".o_field_widget[name=schedule_html]:contains('Тур котёл КВ-2'):contains('дек.')",
        },
        {
            content: "The customer's monthly maintenance on its row",
            trigger: ".o_field_widget[name=schedule_html]:contains('Тур ежемесячное ТО котла')",
        },
        {
            content: "Print: the PDF is downloaded",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_print]:contains('Печать')",
            run() {
                const send = XMLHttpRequest.prototype.send;
                XMLHttpRequest.prototype.send = function (...args) {
                    this.addEventListener("load", () => {
                        const disposition = this.getResponseHeader("Content-Disposition") || "";
                        const type = this.getResponseHeader("Content-Type") || "";
                        if (this.status === 200 && type.includes("pdf") && disposition) {
                            document.body.dataset.serviceReportDownloaded = disposition;
                        }
                    });
                    return send.apply(this, args);
                };
                return hoot.click(this.anchor);
            },
        },
        {
            content: "The report's download answered",
            trigger: "body[data-service-report-downloaded]",
            // the first report of a database compiles the report's styles
            timeout: 60000,
        },
    ],
});
