import { registry } from "@web/core/registry";
import {
    clickHeaderButton,
    clickStatButton,
    fieldShows,
    goBack,
    openMenu,
    statusIs,
} from "@service_base/../tests/tours/service_tour_utils";

/**
 * The accountant posts a contract's draft invoice and follows its link to the
 * service contract; the tour ends back on the posted invoice (its
 * screenshot). Runs on a desktop and on a phone.
 */
registry.category("web_tour.tours").add("service_accountant_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenu(
            "account.menu_finance",
            "account.menu_finance_receivables",
            "account.menu_action_move_out_invoice_type"
        ),
        {
            content: "Open the contract's invoice",
            trigger: ".o_data_row .o_data_cell:contains('Тур Клиент по договору'), .o_kanban_record:contains('Тур Клиент по договору')",
            run: "click",
        },
        {
            content: "The draft invoice of the contract's customer",
            trigger: fieldShows("partner_id", "Тур Клиент по договору"),
        },
        ...clickHeaderButton("action_post", "Confirm the invoice"),
        {
            trigger: statusIs("Проведено"),
        },
        ...clickStatButton("action_view_service_contract", "Open the contract"),
        {
            // date_start: a field of contracts that invoices do not have, so
            // the step waits for the contract, not the invoice still showing
            content: "The contract of the invoice",
            trigger: ".o_form_view:has(.o_field_widget[name=date_start]) .o_field_widget[name=partner_id]:contains('Тур Клиент по договору')",
        },
        ...goBack("Back to the invoice"),
        {
            content: "The posted invoice",
            trigger: statusIs("Проведено"),
        },
    ],
});
