import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("service_warranty_claim_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Service app",
            trigger: ".o_app[data-menu-xmlid='service_base.menu_service_root']",
            run: "click",
        },
        {
            content: "Open the Warranty menu",
            trigger: ".o_main_navbar button[data-menu-xmlid='service_contracts.menu_service_warranty_root'], .o_main_navbar a[data-menu-xmlid='service_contracts.menu_service_warranty_root']",
            run: "click",
        },
        {
            content: "Open the warranty claims",
            trigger: ".dropdown-item[data-menu-xmlid='service_contracts.menu_service_warranty_claims']",
            run: "click",
        },
        {
            content: "Open the customer's claim",
            trigger: ".o_list_view .o_data_cell:contains('TOUR-FAULTY-1')",
            run: "click",
        },
        {
            content: "Start the inspection",
            trigger: ".o_form_view button[name='action_start_inspection']",
            run: "click",
        },
        {
            content: "Go to the decision",
            trigger: ".o_notebook .nav-link:contains('Inspection and Decision')",
            run: "click",
        },
        {
            content: "Decide to replace the unit",
            trigger: ".o_field_widget[name='decision'] select",
            run: "selectByLabel Replace",
        },
        {
            content: "Pick the replacement serial",
            trigger: ".o_field_widget[name='replacement_lot_id'] input",
            run: "edit TOUR-SPARE",
        },
        {
            trigger: ".ui-autocomplete .dropdown-item:contains('TOUR-SPARE-1')",
            run: "click",
        },
        {
            content: "Confirm the decision",
            trigger: ".o_form_view button[name='action_decide']",
            run: "click",
        },
        {
            content: "The claim is decided",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Decided')",
        },
        {
            content: "Open the transfers of the claim",
            trigger: ".o_form_view button[name='action_view_pickings']",
            run: "click",
        },
        {
            content: "The return of the faulty unit is there",
            trigger: ".o_list_view .o_data_cell:contains('/IN/')",
        },
        {
            content: "So is the delivery of the replacement",
            trigger: ".o_list_view .o_data_cell:contains('/OUT/')",
        },
    ],
});
