import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("service_equipment_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Service app",
            trigger: ".o_app[data-menu-xmlid='service_base.menu_service_root']",
            run: "click",
        },
        {
            content: "Open Equipment",
            trigger: ".o_main_navbar a[data-menu-xmlid='service_base.menu_service_equipment'], .o_main_navbar button[data-menu-xmlid='service_base.menu_service_equipment']",
            run: "click",
        },
        {
            content: "Create a unit",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Pick the equipment model",
            trigger: ".o_field_widget[name=product_id] input",
            run: "edit Tour Chiller",
        },
        {
            trigger: ".ui-autocomplete .dropdown-item:contains('Tour Chiller TC-1')",
            run: "click",
        },
        {
            content: "Type a new serial number",
            trigger: ".o_field_widget[name=lot_id] input",
            run: "edit TOUR-SN-0001",
        },
        {
            content: "Create the serial on the fly",
            trigger: ".ui-autocomplete .o_m2o_dropdown_option_create a, .ui-autocomplete .o_m2o_dropdown_option_create",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=lot_id] input:value('TOUR-SN-0001')",
        },
        {
            content: "Pick the owner",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Tour Customer",
        },
        {
            trigger: ".ui-autocomplete .dropdown-item:contains('Tour Customer LLC')",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li.breadcrumb-item a",
            run: "click",
        },
        {
            content: "The new unit is in the list",
            trigger: ".o_list_view .o_data_cell:contains('Tour Chiller TC-1 / TOUR-SN-0001')",
        },
    ],
});
