import { registry } from "@web/core/registry";
import { formatDate } from "@web/core/l10n/dates";
import {
    clickHeaderButton,
    clickStatButton,
    fieldShows,
    goBack,
    openMenu,
    statusIs,
} from "@service_base/../tests/tours/service_tour_utils";
import { clearSearch, watchForErrors } from "@service_base/../tests/tours/service_duty_tour_utils";

const { DateTime } = luxon;
const CUSTOMERS = ["account.menu_finance", "account.menu_finance_receivables"];
const VENDORS = ["account.menu_finance", "account.menu_finance_payables"];

/** Open the draft document of `partner` (for `amount`) in the current list. */
function openDraftOf(partner, amount = "") {
    return [
        ...clearSearch(),
        {
            content: `The draft of ${partner} ${amount}`,
            trigger: `.o_data_row:contains('${partner}'):contains('Черновик')${
                amount ? `:contains('${amount}')` : ""
            } .o_data_cell:contains('${partner}')`,
            run: "click",
        },
        {
            trigger: fieldShows("partner_id", partner),
        },
        {
            trigger: statusIs("Черновик"),
        },
    ];
}

/** Date the bill today, post it. */
function dateAndPost() {
    return [
        {
            content: "Date the bill",
            trigger: ".o_form_view .o_field_widget[name=invoice_date] input",
            run: `edit ${formatDate(DateTime.now())} && press Enter`,
        },
        ...clickHeaderButton("action_post", "Post it"),
        {
            trigger: statusIs("Проведено"),
        },
    ];
}

/** The service document a link of the entry names opens, for the accountant too. */
function followLink(field, content, check) {
    return [
        {
            content,
            trigger: `.o_form_view .o_field_widget[name=${field}] a`,
            run: "click",
        },
        {
            content: "The document opens",
            trigger: check,
        },
        ...goBack("Back to the entry"),
        {
            trigger: statusIs("Проведено"),
        },
    ];
}

/**
 * The accountant's part of the service, in Russian (tests/test_duty_tours_office.py):
 * a contract's invoice posted, its period on the lines, its contract one
 * click away; the service centre's bill; the warranty claim's credit note
 * and the supplier's credit note, each opening its claim; the analytic
 * report per service analytic account; the cost and revenue per contract.
 */
registry.category("web_tour.tours").add("service_duty_accountant_tour", {
    url: "/odoo",
    steps: () => [
        watchForErrors(),
        // The contract's invoice
        ...openMenu(...CUSTOMERS, "account.menu_action_move_out_invoice_type"),
        ...openDraftOf("Тур Котельная", "100,00"),
        ...clickHeaderButton("action_post", "Post the invoice"),
        {
            trigger: statusIs("Проведено"),
        },
        {
            content: "Each line names the period it bills",
            trigger: ".o_field_widget[name=invoice_line_ids] .o_data_row:contains('Тур: ТО котла')",
            run() {
                // the label is a text area of the line's product cell
                const label = [...this.anchor.querySelectorAll("textarea, span")]
                    .map((el) => el.value || el.textContent)
                    .join(" ");
                if (!label.includes("— период")) {
                    console.error(`The invoice line does not name its period: ${label}`);
                }
            },
        },
        {
            content: "The contract and its period on the invoice",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Дополнительная информация')",
            run: "click",
        },
        {
            trigger: ".o_form_view label:contains('Период договора')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=service_period_start]:not(:empty)",
        },
        ...clickStatButton("action_view_service_contract", "Open its contract"),
        {
            content: "The contract, for the accountant to read",
            trigger: ".o_form_view:has(.o_field_widget[name=date_start]) .o_field_widget[name=partner_id]:contains('Тур Котельная')",
        },
        {
            trigger: statusIs("Действует"),
        },
        ...goBack("Back to the invoice"),
        {
            trigger: statusIs("Проведено"),
        },

        // A paid repair's invoice
        ...openMenu(...CUSTOMERS, "account.menu_action_move_out_invoice_type"),
        ...openDraftOf("Тур Котельная", "45,00"),
        ...clickHeaderButton("action_post", "Post the invoice"),
        {
            trigger: statusIs("Проведено"),
        },
        {
            content: "The repair it bills, by its reference: not a link to a form the accountant may not read",
            trigger: ".o_form_view .o_field_widget[name=service_repair_id]:not(:has(a)):contains('RO/')",
        },

        // The service centre's bill
        ...openMenu(...VENDORS, "account.menu_action_move_in_invoice_type"),
        ...openDraftOf("Тур Сервисный центр"),
        ...dateAndPost(),

        // The warranty claim's credit note
        ...openMenu(...CUSTOMERS, "account.menu_action_move_out_refund_type"),
        ...openDraftOf("Тур Котельная"),
        {
            content: "It refunds a warranty claim",
            trigger: ".o_form_view .o_field_widget[name=service_warranty_claim_id]:contains('WC/')",
        },
        ...clickHeaderButton("action_post", "Post it"),
        {
            trigger: statusIs("Проведено"),
        },
        ...followLink(
            "service_warranty_claim_id",
            "Open the claim it refunds",
            ".o_form_view .o_field_widget[name=defect_description]:contains('Тур: трещина теплообменника')"
        ),

        // The supplier's credit note
        ...openMenu(...VENDORS, "account.menu_action_move_in_refund_type"),
        ...openDraftOf("Тур Завод Котлов"),
        {
            content: "It settles a claim to the supplier",
            trigger: ".o_form_view .o_field_widget[name=service_supplier_claim_id]:not(:empty)",
        },
        ...dateAndPost(),
        ...followLink(
            "service_supplier_claim_id",
            "Open the supplier claim",
            ".o_form_view .o_field_widget[name=supplier_id]:contains('Тур Завод Котлов')"
        ),

        // The analytic report per service analytic account
        ...openMenu(
            "account.menu_finance",
            "account.menu_finance_reports",
            "account.menu_action_analytic_reporting"
        ),
        ...clearSearch(),
        {
            content: "The contract's analytic account received its invoice",
            trigger: ".o_data_row:contains('Тур Котельная'):contains('100')",
        },

        // The cockpit's cost and revenue, beside the analytic report
        ...openMenu(
            "account.menu_finance",
            "account.menu_finance_reports",
            "service_manager.menu_account_service_profitability"
        ),
        {
            trigger: ".o_breadcrumb:contains('Затраты и выручка по договорам')",
        },
        {
            content: "The contract's revenue, now that its invoice is posted",
            trigger: ".o_data_row:contains('Тур Котельная'):contains('100,00')",
        },
        ...openMenu(
            "account.menu_finance",
            "account.menu_finance_reports",
            "service_manager.menu_account_service_claim_cost"
        ),
        {
            trigger: ".o_breadcrumb:contains('Затраты по рекламациям')",
        },
        {
            content: "The refunded claim's cost",
            trigger: ".o_pivot_view .o_pivot:contains('Тур Котёл КТ-24')",
        },
    ],
});
