import { registry } from "@web/core/registry";
import { clickHeaderButton, goBack } from "@service_base/../tests/tours/service_tour_utils";

/**
 * From a repair order to the parts lookup and back: the lookup knows the
 * repair and its unit, shows only the parts that fit the unit when asked,
 * keeps the repair, the unit and that choice through a reload of the page,
 * and its breadcrumb leads back to the repair. Starts on the repair's form.
 * Runs on a desktop and on a phone.
 */
registry.category("web_tour.tours").add("service_parts_repair_lookup_tour", {
    steps: () => [
        {
            content: "The repair's form",
            trigger: ".o_form_view .o_field_widget[name=name]:contains('TOURFIT-1'), .o_form_view .o_field_widget[name=name] input:value('TOURFIT-1')",
        },
        ...clickHeaderButton("action_service_parts_lookup", "Find parts for the repair"),
        {
            content: "The lookup opens with the repair and its unit chosen",
            trigger: ".o_service_parts_repair input:value('TOURFIT-1')",
        },
        {
            trigger: ".o_service_parts_equipment input:value('Tour Fit Boiler')",
        },
        {
            content: "Type the beginning of the numbers",
            trigger: "input.o_service_parts_query",
            run: "edit tourfit",
        },
        {
            content: "The part that fits the unit says so",
            trigger: ".o_service_parts_result:contains('Tour Fit Nozzle'):contains('Fits')",
        },
        {
            content: "The part that does not fit is listed too",
            trigger: ".o_service_parts_result:contains('Tour Other Nozzle')",
        },
        {
            content: "Only the parts that fit this unit",
            trigger: "input.o_service_parts_only_compatible:not(:checked)",
            run: "click",
        },
        {
            content: "The other part is gone",
            trigger: ".o_service_parts_results:not(:contains('Tour Other Nozzle')):contains('Tour Fit Nozzle')",
        },
        {
            content: "The URL keeps the repair, the unit and the choice: reload the page",
            trigger: "input.o_service_parts_only_compatible:checked",
            run() {
                const query = new URL(window.location.href).searchParams;
                if (!query.get("repair_id") || !query.get("equipment_id") || !query.get("only_compatible")) {
                    throw new Error(`The URL does not keep the lookup's choices: ${window.location.href}`);
                }
                window.location.reload();
            },
        },
        {
            content: "After the reload: the repair",
            trigger: ".o_service_parts_repair input:value('TOURFIT-1')",
        },
        {
            content: "the unit",
            trigger: ".o_service_parts_equipment input:value('Tour Fit Boiler')",
        },
        {
            content: "and only the parts that fit it",
            trigger: "input.o_service_parts_only_compatible:checked",
        },
        {
            trigger: "input.o_service_parts_query",
            run: "edit tourfit",
        },
        {
            trigger: ".o_service_parts_results:not(:contains('Tour Other Nozzle')):contains('Tour Fit Nozzle')",
        },
        {
            content: "Add the part to the repair",
            trigger: ".o_service_parts_result:contains('Tour Fit Nozzle') .o_service_parts_add_repair:enabled",
            run: "click",
        },
        {
            content: "Confirmation",
            trigger: ".o_notification:contains('Tour Fit Nozzle'):contains('TOURFIT-1')",
        },
        {
            isActive: ["desktop"],
            content: "The breadcrumb names the repair",
            trigger: ".o_breadcrumb .o_back_button:contains('TOURFIT-1')",
        },
        ...goBack("Back to the repair"),
        {
            content: "The repair's form, with the part",
            trigger: ".o_form_view .o_field_widget[name=move_ids]:contains('Tour Fit Nozzle')",
        },
    ],
});
