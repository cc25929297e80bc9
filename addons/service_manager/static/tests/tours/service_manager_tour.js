import { registry } from "@web/core/registry";
import {
    clickHeaderButton,
    clickViewHeaderButton,
    goBack,
    openMenu,
} from "@service_base/../tests/tours/service_tour_utils";

/**
 * The service manager's morning: dispatch the waiting requests from the
 * dispatch board, the workload forecast and its chart, then the KPI
 * dashboard and a click through one figure to its records; the tour ends on the dashboard (its screenshot). Runs on a
 * desktop and on a phone.
 */
registry.category("web_tour.tours").add("service_manager_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenu(
            "service_base.menu_service_root",
            "service_repair.menu_service_repair_root",
            "service_repair.menu_service_dispatch_board"
        ),
        {
            content: "The requests nobody is assigned to come first, open",
            trigger: ".o_kanban_view .o_kanban_group.o_service_dispatch_queue:not(.o_column_folded) .o_column_title:contains('Не назначены')",
        },
        {
            content: "The new request waits for a technician",
            trigger: ".o_kanban_view .o_kanban_record:contains('Тур: течёт котёл')",
        },
        ...clickViewHeaderButton("action_dispatch_queue", "Dispatch the waiting requests"),
        {
            content: "Nothing ticked: the whole queue, once asked",
            trigger: ".modal .modal-footer button.btn-primary:contains('Распределить все')",
            run: "click",
        },
        {
            content: "The requests are assigned: close the message",
            trigger: ".o_notification:contains('Назначено заявок') .o_notification_close",
            run: "click",
        },
        {
            content: "The request is now in the technician's column",
            trigger: ".o_kanban_group:contains('Тур Техник') .o_kanban_record:contains('Тур: течёт котёл')",
        },
        ...openMenu(
            "service_base.menu_service_root",
            "service_base.menu_service_reporting",
            "service_manager.menu_service_forecast"
        ),
        ...clickHeaderButton("action_compute", "Compute the forecast"),
        {
            content: "The forecast has its weeks",
            trigger: ".o_form_view .o_field_one2many .o_data_row",
        },
        ...clickHeaderButton("action_view_chart", "Open the forecast as a chart"),
        {
            content: "The chart is drawn",
            trigger: ".o_graph_view .o_graph_renderer canvas",
        },
        ...openMenu(
            "service_base.menu_service_root",
            "service_manager.menu_service_manager_root",
            "service_manager.menu_service_kpi_dashboard"
        ),
        {
            content: "The dashboard counts the open complaints",
            trigger: ".o_service_dashboard .o_service_kpi_complaints_open .o_service_kpi_value:not(:empty)",
        },
        {
            content: "Click through to them",
            trigger: ".o_service_dashboard .o_service_kpi_complaints_open",
            run: "click",
        },
        {
            content: "The complaint is among them",
            trigger: ".o_data_row:contains('Тур: течёт котёл'), .o_kanban_record:contains('Тур: течёт котёл')",
        },
        ...goBack("Back to the dashboard"),
        {
            content: "The dashboard again",
            trigger: ".o_service_dashboard .o_service_kpi_backlog_open .o_service_kpi_value",
        },
    ],
});
