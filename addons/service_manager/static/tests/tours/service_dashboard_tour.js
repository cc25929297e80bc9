import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { goBack } from "@service_base/../tests/tours/service_tour_utils";

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
        ...goBack("Back to the dashboard"),
        {
            content: "First-time fix of 100 % meets its target: green, with the target named",
            trigger:
                ".o_service_kpi_first_time_fix.o_service_kpi_success .o_service_kpi_target:contains('85')",
        },
        {
            content: "The forecast card draws the weeks and the capacity",
            trigger: ".o_service_kpi_forecast_load svg.o_service_kpi_chart:has(rect + rect)",
        },
        {
            content: "The repairs of the last 90 days: today's request counts",
            trigger: ".o_service_kpi_first_time_fix .o_service_kpi_value:contains('100')",
            run: "click",
        },
        {
            content: "Today's repair request is behind the figure",
            trigger: ".o_list_view .o_data_cell:contains('Dashboard Tour Customer')",
        },
        ...goBack("Back to the dashboard"),
        {
            content: "Show last year's figures",
            trigger: "select.o_service_dashboard_period",
            run: "select last_year",
        },
        {
            // From January 1st to December 31st (in the admin's US format):
            // no window of the last 90 days up to today spans both.
            content: "The dates of last year are shown",
            trigger: ".o_service_dashboard_dates:contains('01/01/'):contains('12/31/')",
        },
        {
            content: "Click through last year's repairs",
            trigger: ".o_service_kpi_first_time_fix",
            run: "click",
        },
        {
            content: "Last year's repair requests are listed",
            trigger: ".o_list_view, .o_view_nocontent",
        },
        {
            content: "Today's request is not among them",
            trigger:
                ".o_action_manager:not(:has(.o_service_dashboard)):not(:has(.o_data_cell:contains('Dashboard Tour Customer')))",
        },
    ],
});
