import { registry } from "@web/core/registry";
import {
    clickHeaderButton,
    openMenu,
    statusIs,
} from "@service_base/../tests/tours/service_tour_utils";

/**
 * A warranty claim from the list to the decision: inspected, decided as a
 * warranty repair; the tour ends on the decided claim's form (its
 * screenshot). Runs on a desktop and on a phone.
 */
registry.category("web_tour.tours").add("service_claim_form_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenu(
            "service_base.menu_service_root",
            "service_contracts.menu_service_warranty_root",
            "service_contracts.menu_service_warranty_claims"
        ),
        {
            content: "Open the customer's claim",
            trigger: ".o_data_row .o_data_cell:contains('TOUR-CLAIM-1')",
            run: "click",
        },
        {
            content: "The claim knows the unit is in warranty",
            trigger: ".o_form_view .o_field_widget[name=in_warranty] input:checked",
        },
        ...clickHeaderButton("action_start_inspection", "Start the inspection"),
        {
            trigger: statusIs("Осмотр"),
        },
        {
            content: "Go to the decision",
            trigger: ".o_notebook .nav-link:contains('Осмотр и решение')",
            run: "click",
        },
        {
            content: "Write down the findings",
            trigger: ".o_field_widget[name=inspection_note] textarea",
            run: "edit Износ подшипника: заводской брак.",
        },
        {
            content: "Decide a warranty repair",
            trigger: ".o_field_widget[name=decision] select",
            run: "selectByLabel Ремонт",
        },
        ...clickHeaderButton("action_decide", "Confirm the decision"),
        {
            content: "The claim is decided",
            trigger: statusIs("Решение принято"),
        },
        {
            content: "Its repair order is linked",
            trigger: ".o_form_view .o_field_widget[name=repair_id] .o_form_uri",
        },
    ],
});
