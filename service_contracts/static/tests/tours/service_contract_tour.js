import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("service_contract_tour", {
    steps: () => [
        {
            content: "Create a service contract from the opportunity",
            trigger: ".o_form_view button[name=action_service_contract_new]",
            run: "click",
        },
        {
            content: "The contract is for the opportunity's customer",
            trigger: ".o_field_widget[name=partner_id] input:value('Tour Contract Customer')",
        },
        {
            content: "Add a covered service",
            trigger: ".o_field_widget[name=line_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=line_ids] .o_data_row .o_field_widget[name=product_id] input",
            run: "edit Tour Maintenance",
        },
        {
            trigger: ".ui-autocomplete .dropdown-item:contains('Tour Maintenance Plan')",
            run: "click",
        },
        {
            content: "Save the contract",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "Activate it",
            trigger: ".o_statusbar_buttons button[name=action_activate]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=active]",
        },
        {
            content: "Create the first invoice",
            trigger: ".o_statusbar_buttons button[name=action_create_invoices]",
            run: "click",
        },
        {
            content: "The invoice opens, linked to the contract",
            trigger: ".o_form_view button[name=action_view_service_contract]",
            run: "click",
        },
        {
            content: "Back on the contract, one invoice",
            trigger: ".o_form_view button[name=action_view_invoices] .o_stat_value:contains('1')",
        },
        {
            content: "Open the documents of the deal",
            trigger: ".o_form_view button[name=action_service_deal_timeline]",
            run: "click",
        },
        {
            content: "The deal as a flow: the opportunity, the contract and its invoice in their steps",
            trigger: ".o_kanban_view .o_kanban_group:contains('Tour service deal') .o_kanban_record",
        },
        {
            trigger: ".o_kanban_view .o_kanban_group:has(.o_column_title:contains('Invoice')) .o_kanban_record",
        },
        {
            content: "Open the contract from the deal",
            trigger: ".o_kanban_view .o_kanban_record:contains('SC/')",
            run: "click",
        },
        {
            content: "The active contract shows its customer, read-only",
            trigger: ".o_form_view .o_field_widget[name=partner_id]:contains('Tour Contract Customer')",
        },
    ],
});

registry.category("web_tour.tours").add("service_contract_menu_tour", {
    steps: () => [
        {
            content: "The contract list shows the active contract",
            trigger: ".o_list_view .o_data_row:contains('Tour Contract Customer')",
        },
        {
            content: "Switch to the kanban view",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "The card sits in the Active column",
            trigger: ".o_kanban_group:contains('Active') .o_kanban_record:contains('Tour Contract Customer')",
        },
        {
            content: "Open it",
            trigger: ".o_kanban_record:contains('Tour Contract Customer')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=active]",
        },
    ],
});
