import { registry } from "@web/core/registry";
import { formatDate, formatDateTime } from "@web/core/l10n/dates";
import {
    clickHeaderButton,
    clickStatButton,
    fieldShows,
    goBack,
    openMenu,
    statusIs,
} from "@service_base/../tests/tours/service_tour_utils";
import {
    clearSearch,
    searchFor,
    watchForErrors,
} from "@service_base/../tests/tours/service_duty_tour_utils";

const { DateTime } = luxon;

/** Tomorrow at `hour`, as a Russian user types it. */
function tomorrowAt(hour) {
    return formatDateTime(
        DateTime.now().plus({ days: 1 }).set({ hour, minute: 0, second: 0, millisecond: 0 })
    );
}

function editDate(name, hour) {
    return [
        {
            content: `Set ${name}`,
            trigger: `.o_form_view .o_field_widget[name=${name}] input`,
            run: `edit ${tomorrowAt(hour)} && press Enter`,
        },
        {
            trigger: `.o_form_view .o_field_widget[name=${name}] input:not(:value(''))`,
        },
    ];
}

/**
 * The service manager's deals, in Russian (tests/test_duty_tours_office.py):
 * a salesperson's opportunity, its demonstration booked on a demo-pool unit,
 * the unit out and back, the outcome (2.4); the confirmed order made a
 * service contract with its SLA policy, yearly cap and end, activated,
 * invoiced and renewed; the deal's documents from the opportunity; the SLA
 * policies (2.8); the deals lost to competitors.
 */
registry.category("web_tour.tours").add("service_duty_manager_deals_tour", {
    url: "/odoo",
    steps: () => [
        watchForErrors(),
        // 2.4 A demonstration for the salesperson's opportunity
        ...openMenu("crm.crm_menu_root", "crm.crm_menu_sales", "crm.menu_crm_opportunities"),
        ...clearSearch(),
        ...searchFor("Тур: котельная на два котла"),
        {
            trigger: ".o_kanban_record:contains('Тур: котельная на два котла')",
            run: "click",
        },
        ...clickStatButton("action_service_demo_bookings", "The opportunity's demonstrations"),
        {
            trigger: ".o_breadcrumb:contains('Демонстрации')",
        },
        {
            content: "As a list",
            trigger: ".o_control_panel .o_switch_view.o_list",
            run: "click",
        },
        {
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "The opportunity and its customer are filled in",
            trigger: fieldShows("partner_id", "Тур Котельная"),
        },
        {
            content: "A unit of the demo pool",
            trigger: ".o_form_view .o_field_widget[name=equipment_id] input",
            run: "edit ТУР-КТ-7",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('ТУР-КТ-7')",
            run: "click",
        },
        ...editDate("date_start", 10),
        ...editDate("date_stop", 12),
        {
            content: "Shown at the customer's",
            trigger: ".o_form_view .o_field_widget[name=off_site] input",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=location] input",
            run: "edit Котельная заказчика",
        },
        ...clickHeaderButton("action_confirm", "Book the unit"),
        {
            content: "Booked (spelt right)",
            trigger: statusIs("Забронировано"),
        },
        {
            content: "The meeting with the customer",
            trigger: ".o_form_view .o_field_widget[name=event_id]:contains('Демонстрация')",
        },
        ...clickHeaderButton("action_send_out", "The unit leaves for the customer"),
        {
            trigger: statusIs("Оборудование вывезено"),
        },
        {
            content: "Its delivery to the customer",
            trigger: ".o_form_view .o_field_widget[name=picking_out_id]:not(:empty)",
        },
        {
            content: "The outcome: ordered",
            trigger: ".o_form_view .o_field_widget[name=outcome] select",
            run: "selectByLabel Заказано",
        },
        ...clickHeaderButton("action_done", "The demonstration took place"),
        {
            trigger: statusIs("Проведено"),
        },
        {
            content: "The unit comes back",
            trigger: ".o_form_view .o_field_widget[name=picking_in_id]:not(:empty)",
        },

        // 2.8 The deal's documents, from the opportunity
        {
            content: "Back to the opportunity",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Тур: котельная на два котла')",
            run: "click",
        },
        {
            content: "The outcome is on the opportunity",
            trigger: ".o-mail-Chatter .o-mail-Message:contains('Заказано')",
        },
        ...clickStatButton("action_service_deal_timeline", "The deal's documents"),
        {
            trigger: ".o_breadcrumb:contains('Документы сделки')",
        },
        {
            content: "The deal as a flow: the opportunity's step, then the quotation's",
            trigger:
                ".o_kanban_group:has(.o_column_title:contains('Сделка')):has(.o_kanban_record)" +
                " + .o_kanban_group:has(.o_column_title:contains('Коммерческое предложение'))",
        },
        {
            content: "The steps not reached yet are shown, empty",
            trigger:
                ".o_kanban_group:has(.o_column_title:contains('Оплата')):not(:has(.o_kanban_record))",
        },
        {
            content: "Open the confirmed order from its step",
            trigger:
                ".o_kanban_group:has(.o_column_title:contains('Заказ на продажу')) .o_kanban_record",
            run: "click",
        },

        // 2.8 The order becomes a service contract
        {
            trigger: ".o_form_view .o_field_widget[name=order_line]",
        },
        ...clickHeaderButton("action_create_service_contract", "Create the contract"),
        {
            content: "The contract takes the order's service",
            trigger: ".o_form_view .o_field_widget[name=line_ids] .o_data_row:contains('Тур: ТО котла')",
        },
        {
            content: "Its SLA policy",
            trigger: ".o_form_view .o_field_widget[name=sla_policy_id] input",
            run: "edit Тур: Золотой",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Тур: Золотой')",
            run: "click",
        },
        {
            content: "A one-year term",
            trigger: ".o_form_view .o_field_widget[name=date_end] input",
            run: `edit ${formatDate(DateTime.now().plus({ years: 1, days: -1 }))} && press Enter`,
        },
        {
            content: "A yearly cap",
            trigger: ".o_form_view .o_field_widget[name=yearly_cap] input",
            run: "edit 5000",
        },
        {
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
        },
        ...clickHeaderButton("action_activate", "Activate it"),
        {
            trigger: statusIs("Действует"),
        },
        {
            content: "The cap and what is used of it this contract year",
            trigger: ".o_form_view label:contains('Использовано лимита')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=cap_remaining]:contains('5')",
        },
        {
            content: "The contract's cost and revenue",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Затраты и выручка')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=service_margin]",
        },
        ...clickHeaderButton("action_create_invoices", "Invoice the first period"),
        {
            content: "The invoice of the contract, for its first period",
            trigger: ".o_field_widget[name=invoice_line_ids] .o_data_row:contains('Тур: ТО котла')",
        },
        {
            trigger: "button[name=action_view_service_contract]:contains('Договор')",
        },
        ...goBack("Back to the contract"),
        {
            trigger: ".o_form_view button[name=action_view_invoices] .o_stat_value:contains('1')",
        },
        ...clickHeaderButton("action_renew", "Renew it for the next term"),
        {
            content: "The renewal, a draft, knows its previous term",
            trigger: ".o_form_view button[name=action_view_previous]",
        },
        {
            trigger: statusIs("Черновик"),
        },

        // 2.8 The SLA policies
        ...openMenu(
            "service_base.menu_service_root",
            "service_contracts.menu_service_contracts_root",
            "service_contracts.service_sla_policy_menu"
        ),
        {
            trigger: ".o_data_row .o_data_cell:contains('Тур: Золотой')",
            run: "click",
        },
        {
            content: "Its targets per priority",
            trigger: ".o_form_view .o_field_widget[name=line_ids] .o_data_row",
        },

        // Competitors: the deals lost to them
        ...openMenu(
            "service_base.menu_service_root",
            "service_base.menu_service_reporting",
            "service_manager.menu_service_report_competitors"
        ),
        {
            trigger: ".o_breadcrumb:contains('Сделки по конкурентам')",
        },
        {
            content: "As a list",
            trigger: ".o_control_panel .o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The lost deal, its competitor and reason",
            trigger: ".o_data_row:contains('Тур Конкурент'):contains('Проигрыш'):contains('Тур: дорого')",
        },
        {
            trigger: ".o_data_row:contains('Тур Конкурент') button[name=action_open_document]:contains('Открыть документ')",
            run: "click",
        },
        {
            content: "The lost opportunity",
            trigger: ".o_form_view .o_field_widget[name=name]:contains('Тур: котельная школы'), .o_form_view .o_field_widget[name=name] textarea",
        },
        ...openMenu(
            "service_base.menu_service_root",
            "service_base.menu_service_config",
            "service_manager.menu_service_config_competitors"
        ),
        {
            trigger: ".o_data_row:contains('Тур Конкурент'), .o_kanban_record:contains('Тур Конкурент')",
        },
    ],
});
