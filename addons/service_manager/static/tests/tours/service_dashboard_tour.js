import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("service_dashboard_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Service app",
            trigger: ".o_app[data-menu-xmlid='service_base.menu_service_root']",
            run: "click",
        },
        {
            content: "Open the cockpit menu",
            trigger: ".o_main_navbar [data-menu-xmlid='service_manager.menu_service_manager_root']",
            run: "click",
        },
        {
            content: "Open the dashboard",
            trigger: ".dropdown-item[data-menu-xmlid='service_manager.menu_service_kpi_dashboard']",
            run: "click",
        },
        {
            content: "The demonstrations figure counts the held demo",
            trigger: ".o_service_kpi_demos_done .o_service_kpi_value:contains('1')",
        },
        {
            content: "Click through to the records behind it",
            trigger: ".o_service_kpi_demos_done",
            run: "click",
        },
        {
            content: "The held demonstration is listed",
            trigger: ".o_list_view .o_data_cell:contains('Dashboard Tour Customer')",
        },
    ],
});
