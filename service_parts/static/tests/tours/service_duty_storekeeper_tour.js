import { registry } from "@web/core/registry";
import { openMenu, statusIs } from "@service_base/../tests/tours/service_tour_utils";
import { watchForErrors } from "@service_base/../tests/tours/service_duty_tour_utils";

/** Open menu `menuXmlid` of section `sectionXmlid` of the Inventory app, already open. */
function inventoryMenu(sectionXmlid, menuXmlid, content) {
    return [
        {
            content: `Open the section of: ${content}`,
            trigger: `.o_main_navbar .o_menu_sections [data-menu-xmlid='${sectionXmlid}']`,
            run: "click",
        },
        {
            content,
            trigger: `.dropdown-item[data-menu-xmlid='${menuXmlid}']`,
            run: "click",
        },
    ];
}

const RECEIPTS = ["stock.menu_stock_warehouse_mgmt", "stock.in_picking"];
const DELIVERIES = ["stock.menu_stock_warehouse_mgmt", "stock.out_picking"];
const REQUIREMENTS = [
    "stock.menu_stock_warehouse_mgmt",
    "service_parts.menu_service_parts_requirement_stock",
];

/** Open the transfer of the list whose row contains `text`, validate it. */
function validateTransfer(text, content) {
    return [
        {
            content,
            trigger: `.o_list_view .o_data_row:contains('${text}'):not(:contains('Готово')) td[name=name]`,
            run: "click",
        },
        {
            content: "Validate it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=button_validate]:contains('Подтвердить')",
            run: "click",
        },
        {
            content: "The transfer is done",
            trigger: statusIs("Готово"),
            // a unit's transfer also moves its warranty and its unit: slow on a busy machine
            timeout: 30000,
        },
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {
            trigger: `.o_list_view .o_data_row:contains('${text}'):contains('Готово')`,
        },
    ];
}

/**
 * The storekeeper's whole job in Russian, from the Inventory app only: parts
 * looked up by their OEM number or name (stock per warehouse: free, incoming,
 * substitutes); the parts requirements of repairs (what to pick, what is
 * missing); the parts ordered received, after which nothing is missing; the
 * transfers the service creates: its own (the acceptance of a customer's
 * unit, the shipment to a service centre) done, a warranty claim's return and
 * replacement validated here; the customers' units in stock by owner.
 */
registry.category("web_tour.tours").add("service_duty_storekeeper_tour", {
    url: "/odoo",
    steps: () => [
        watchForErrors(),
        // --- Parts lookup ------------------------------------------------
        ...openMenu(
            "stock.menu_stock_root",
            "stock.menu_stock_inventory_control",
            "service_parts.menu_service_parts_lookup_stock"
        ),
        {
            content: "The parts lookup, in Russian",
            trigger: ".o_breadcrumb:contains('Подбор запчастей')",
        },
        {
            content: "Type the OEM number as printed on the old part",
            trigger: "input.o_service_parts_query",
            run: "edit DUTY OEM 7712",
        },
        {
            content: "The part is found by its OEM number",
            trigger: ".o_service_parts_result:contains('Крыльчатка IM-5'):contains('DUTY-OEM-7712')",
        },
        {
            content: "Free and incoming, in Russian",
            trigger: ".o_service_parts_results th:contains('Свободно') ~ th:contains('Ожидается')",
        },
        {
            content: "4 free of 5 (one is reserved for a repair), 3 on their way",
            trigger: ".o_service_parts_result:contains('DUTY-OEM-7712') td.text-success:contains('4')",
        },
        {
            content: "Per warehouse",
            trigger: ".o_service_parts_result:contains('DUTY-OEM-7712') td[title*='в наличии 5, свободно 4, ожидается 3']",
        },
        {
            content: "The substitute and its free stock",
            trigger: ".o_service_parts_result:contains('DUTY-OEM-7712'):contains('Крыльчатка IM-5S'):contains('свободно: 2')",
        },
        {
            content: "The supplier's lead time, in Russian",
            trigger: ".o_service_parts_result:contains('DUTY-OEM-7712') .o_service_parts_lead_time:contains('срок поставки: 4 дня')",
        },
        {
            content: "Look a part up by its name",
            trigger: "input.o_service_parts_query",
            run: "edit Уплотнение SL",
        },
        {
            content: "None is free: it is on its way",
            trigger: ".o_service_parts_result:contains('Уплотнение SL-2') td.text-danger:contains('0')",
        },
        {
            trigger: ".o_service_parts_result:contains('Уплотнение SL-2') td[title*='ожидается 3']",
        },

        // --- Parts requirements ------------------------------------------
        ...inventoryMenu(...REQUIREMENTS, "The parts the repairs need"),
        {
            content: "The worklist, in Russian",
            trigger: ".o_breadcrumb:contains('Потребность в запчастях')",
        },
        {
            trigger: ".o_list_view th:contains('Не хватает')",
        },
        {
            content: "Open the seal's lines",
            trigger: ".o_list_view .o_group_header:contains('Уплотнение SL-2')",
            run: "click",
        },
        {
            content: "Two seals are missing for the repair",
            trigger: ".o_list_view .o_data_row.text-danger:contains('Уплотнение SL-2') td[name=missing_qty]:contains('2,00')",
        },
        {
            content: "Open the impeller's lines",
            trigger: ".o_list_view .o_group_header:contains('Крыльчатка IM-5')",
            run: "click",
        },
        {
            content: "The impeller is reserved: to pick",
            trigger: ".o_list_view .o_data_row:not(.text-danger):contains('Крыльчатка IM-5') td[name=reserved_qty]:contains('1,00')",
        },

        // --- The parts ordered come in -----------------------------------
        ...inventoryMenu(...RECEIPTS, "Receipts"),
        ...validateTransfer("Запчасти насосов", "Open the supplier's receipt"),
        ...inventoryMenu(...REQUIREMENTS, "The parts the repairs need, again"),
        {
            content: "Open the seal's lines",
            trigger: ".o_list_view .o_group_header:contains('Уплотнение SL-2')",
            run: "click",
        },
        {
            content: "Nothing is missing any more",
            trigger: ".o_list_view .o_data_row:not(.text-danger):contains('Уплотнение SL-2') td[name=missing_qty]:contains('0,00')",
        },

        // --- The service's transfers -------------------------------------
        ...inventoryMenu(...RECEIPTS, "Receipts"),
        {
            content: "The acceptance of the customer's unit is done",
            trigger: ".o_list_view .o_data_row:contains('Насосы Тура'):contains('SR/'):contains('Готово')",
        },
        ...validateTransfer("WC/", "Open the return of the unit replaced under warranty"),
        ...inventoryMenu(...DELIVERIES, "Deliveries"),
        {
            content: "The shipment to the service centre is done",
            trigger: ".o_list_view .o_data_row:contains('Гидросервис'):contains('Готово')",
        },
        ...validateTransfer("WC/", "Open the replacement unit's delivery"),

        // --- Customers' units by owner -----------------------------------
        ...inventoryMenu(
            "stock.menu_stock_warehouse_mgmt",
            "stock.menu_action_inventory_tree",
            "Physical inventory"
        ),
        {
            content: "Show every count, not only mine",
            trigger: ".o_searchview_facet:contains('Мои') .o_facet_remove",
            run: "click",
        },
        {
            trigger: ".o_searchview:not(:has(.o_searchview_facet:contains('Мои')))",
        },
        {
            content: "Open the search options",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Group by owner",
            trigger: ".o_group_by_menu .o-dropdown-item:contains('Владелец')",
            run: "click",
        },
        {
            trigger: ".o_searchview_facet:contains('Владелец')",
        },
        {
            content: "Close the search options",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "The customer's units",
            trigger: ".o_list_view .o_group_header:contains('ООО «Насосы Тура»')",
            run: "click",
        },
        {
            // (the location's name is stored in one language: stock.location.name
            // is not translatable in Odoo; the test checks which location it is)
            content: "The unit in for repair, owned by the customer",
            trigger: ".o_list_view .o_data_row:contains('DUTY-PUMP-2'):contains('ООО «Насосы Тура»')",
        },
        {
            content: "The unit at the service centre, owned by the customer",
            trigger: ".o_list_view .o_data_row:contains('DUTY-PUMP-3'):contains('ООО «Насосы Тура»')",
        },
    ],
});
