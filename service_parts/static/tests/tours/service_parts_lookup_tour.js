import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("service_parts_lookup_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Service app",
            trigger: ".o_app[data-menu-xmlid='service_base.menu_service_root']",
            run: "click",
        },
        {
            content: "Open the Parts menu",
            trigger: ".o_main_navbar [data-menu-xmlid='service_parts.menu_service_parts_root']",
            run: "click",
        },
        {
            content: "Open the parts lookup",
            trigger: ".dropdown-item[data-menu-xmlid='service_parts.menu_service_parts_lookup']",
            run: "click",
        },
        {
            content: "Type a cross-reference number, spaced and in lower case",
            trigger: "input.o_service_parts_query",
            run: "edit tour xr 4455",
        },
        {
            content: "The part is found by its supplier number",
            trigger: ".o_service_parts_result:contains('Tour Pump Seal'):contains('TOUR-XR-4455')",
        },
        {
            content: "Choose the repair order",
            trigger: ".o_service_parts_repair input",
            run: "edit TOURREP",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('TOURREP')",
            run: "click",
        },
        {
            trigger: ".o_service_parts_repair input:value('TOURREP')",
        },
        {
            content: "Add the part to the repair order",
            trigger: ".o_service_parts_result:contains('Tour Pump Seal') .o_service_parts_add_repair:enabled",
            run: "click",
        },
        {
            content: "Confirmation",
            trigger: ".o_notification:contains('Tour Pump Seal'):contains('TOURREP')",
        },
    ],
});
