import { registry } from "@web/core/registry";
import { openMenu } from "@service_base/../tests/tours/service_tour_utils";

/**
 * The warehouse looks a part up by its OEM number from the Inventory app:
 * the part, its stock, its substitute and the best supplier offer. The tour
 * ends on the results (its screenshot). Runs on a desktop and on a phone.
 */
registry.category("web_tour.tours").add("service_parts_warehouse_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenu(
            "stock.menu_stock_root",
            "stock.menu_stock_inventory_control",
            "service_parts.menu_service_parts_lookup_stock"
        ),
        {
            content: "Type the OEM number as printed on the old part",
            trigger: "input.o_service_parts_query",
            run: "edit tour oem 77-12",
        },
        {
            content: "The part is found by its OEM number",
            trigger: ".o_service_parts_result:contains('Тур Крыльчатка IM-5'):contains('TOUR-OEM-7712')",
        },
        {
            content: "Five are free in stock",
            trigger: ".o_service_parts_result:contains('Тур Крыльчатка IM-5') .o_service_parts_free.text-success:contains('5')",
        },
        {
            content: "The substitute is offered",
            trigger: ".o_service_parts_result:contains('Тур Крыльчатка IM-5'):contains('Тур Крыльчатка IM-5S')",
        },
        {
            content: "So is the best supplier offer",
            trigger: ".o_service_parts_result:contains('Тур Крыльчатка IM-5'):contains('Тур Запчасти для насосов')",
        },
        {
            content: "Its price is written in Russian (a decimal comma)",
            trigger: ".o_service_parts_result:contains('Тур Крыльчатка IM-5'):contains('35,00')",
        },
        {
            content: "The storekeeper may add it to a repair order, not to a quotation or an RFQ",
            trigger:
                ".o_service_parts_result:contains('Тур Крыльчатка IM-5'):has(.o_service_parts_add_repair):not(:has(.o_service_parts_add_quotation)):not(:has(.o_service_parts_add_rfq))",
        },
        {
            content: "The add button is on the screen, not past its right edge (a phone is 375 pixels wide)",
            // The row: the button itself is disabled until a repair is chosen.
            trigger: ".o_service_parts_result:contains('Тур Крыльчатка IM-5'):has(.o_service_parts_add_repair)",
            run() {
                const box = this.anchor
                    .querySelector(".o_service_parts_add_repair")
                    .getBoundingClientRect();
                const page = document.documentElement;
                if (box.left < 0 || box.right > window.innerWidth) {
                    throw new Error(
                        `The add button spans ${box.left}-${box.right} px of a ${window.innerWidth} px window`
                    );
                }
                if (page.scrollWidth > window.innerWidth) {
                    throw new Error(
                        `The page is ${page.scrollWidth} px wide in a ${window.innerWidth} px window`
                    );
                }
            },
        },
    ],
});
