import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("service_request_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Service app",
            trigger: ".o_app[data-menu-xmlid='service_base.menu_service_root']",
            run: "click",
        },
        {
            content: "Open the Requests menu",
            trigger: ".o_main_navbar [data-menu-xmlid='service_repair.menu_service_repair_root']",
            run: "click",
        },
        {
            content: "Open the requests",
            trigger: ".dropdown-item[data-menu-xmlid='service_repair.menu_service_request_all']",
            run: "click",
        },
        {
            content: "Intake: quick-create a request in the kanban",
            trigger: ".o_kanban_view .o-kanban-button-new",
            run: "click",
        },
        {
            content: "What the customer says",
            trigger: ".o_kanban_quick_create .o_field_widget[name=subject] input",
            run: "edit Tour: boiler leaks",
        },
        {
            content: "Who calls",
            trigger: ".o_kanban_quick_create .o_field_widget[name=partner_id] input",
            run: "edit Tour Boiler Customer",
        },
        {
            trigger: ".ui-autocomplete .dropdown-item:contains('Tour Boiler Customer')",
            run: "click",
        },
        {
            content: "Which unit",
            trigger: ".o_kanban_quick_create .o_field_widget[name=equipment_id] input",
            run: "edit TOUR-RQ",
        },
        {
            trigger: ".ui-autocomplete .dropdown-item:contains('TOUR-RQ-0001')",
            run: "click",
        },
        {
            content: "Add the request",
            trigger: ".o_kanban_quick_create .o_kanban_add",
            run: "click",
        },
        {
            content: "Open the new request",
            trigger: ".o_kanban_record:contains('Tour: boiler leaks')",
            run: "click",
        },
        {
            content: "Dispatch it",
            trigger: ".o_form_view button[name=action_dispatch_queue]",
            run: "click",
        },
        {
            content: "A technician is assigned",
            trigger: ".o_form_view .o_field_widget[name=user_id] input:value('Mitchell Admin')",
        },
        {
            content: "Fill in a repair order from the request",
            trigger: ".o_form_view button[name=action_create_repair]",
            run: "click",
        },
        {
            content: "The repair order knows the request",
            trigger: ".o_form_view .o_field_widget[name=request_id] input:value(/SR\\//)",
        },
        {
            content: "Confirm the repair",
            trigger: ".o_form_view button[name=action_validate]",
            run: "click",
        },
        {
            content: "The customer's unit is not in our stock: confirm the repair anyway",
            trigger: ".modal button[name=action_done]",
            run: "click",
        },
        {
            content: "Start the repair",
            trigger: ".o_form_view button[name=action_repair_start]",
            run: "click",
        },
        {
            content: "End the repair",
            trigger: ".o_form_view button[name=action_repair_end]",
            run: "click",
        },
        {
            content: "The repair is done",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Repaired')",
        },
    ],
});
