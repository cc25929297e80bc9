import * as hoot from "@odoo/hoot-dom";
import { registry } from "@web/core/registry";
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

const SERVICE = "service_base.menu_service_root";

/** Choose the option labelled exactly `label` (":contains" would also match "Не пройдена"). */
function selectOption(label) {
    return async function () {
        const option = [...this.anchor.options].find((o) => o.textContent.trim() === label);
        if (!option) {
            console.error(`No option "${label}" in ${this.anchor.outerHTML}`);
            return;
        }
        await hoot.click(this.anchor);
        await hoot.select(option.value, { target: this.anchor });
    };
}
const REPORTING = [SERVICE, "service_base.menu_service_reporting"];

/**
 * The service manager's control duties, in Russian (tests/test_duty_tours_office.py):
 * a part found by its OEM number with its stock, put on a quotation and an
 * RFQ (2.6, stock availability); the cost and revenue of a request and the
 * reports (2.7); warranty claims, one claimed back from the manufacturer
 * (claims, suppliers); ratings and complaints; a quality check passed, the
 * checklists; the workload forecast; teams, technicians and their
 * performance; the installed base; the KPI dashboard for another period
 * and a click through one figure.
 */
registry.category("web_tour.tours").add("service_duty_manager_control_tour", {
    url: "/odoo",
    steps: () => [
        watchForErrors(),
        // 2.6 The parts lookup: stock, a quotation and an RFQ
        ...openMenu(SERVICE, "service_parts.menu_service_parts_root", "service_parts.menu_service_parts_lookup"),
        {
            content: "The OEM number as printed on the old part",
            trigger: "input.o_service_parts_query",
            run: "edit tur oem 4512",
        },
        {
            trigger: ".o_service_parts_result:contains('Тур Электрод розжига'):contains('TUR-OEM-4512')",
        },
        {
            content: "Free and incoming stock, in the glossary's words",
            trigger: ".o_service_parts_results thead:contains('Свободно'):contains('Ожидается'):contains('В наличии')",
        },
        {
            content: "Five free in stock",
            trigger: ".o_service_parts_result:contains('Тур Электрод розжига') td.text-success:contains('5')",
        },
        {
            content: "The supplier's offer and lead time",
            trigger: ".o_service_parts_result:contains('Тур Электрод розжига'):contains('Тур Запчасти')",
        },
        {
            content: "The customer of the quotation",
            trigger: ".o_service_parts_partner input",
            run: "edit Тур Котельная",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Тур Котельная')",
            run: "click",
        },
        {
            trigger: ".o_service_parts_partner input:value('ООО «Тур Котельная»')",
        },
        {
            content: "Put the part on a quotation",
            trigger: ".o_service_parts_result:contains('Тур Электрод розжига') .o_service_parts_add_quotation:contains('Добавить в предложение')",
            run: "click",
        },
        {
            trigger: ".o_notification:contains('добавлена в') .o_notification_close",
            run: "click",
        },
        {
            trigger: "body:not(:has(.o_notification))",
        },
        {
            content: "And on an RFQ to its supplier",
            trigger: ".o_service_parts_result:contains('Тур Электрод розжига') .o_service_parts_add_rfq:enabled",
            run: "click",
        },
        {
            trigger: ".o_notification:contains('добавлена в') .o_notification_close",
            run: "click",
        },

        // 2.7 Cost and revenue of a request; the reports
        ...openMenu(SERVICE, "service_repair.menu_service_repair_root", "service_repair.menu_service_request_all"),
        {
            trigger: ".o_control_panel .o_switch_view.o_list",
            run: "click",
        },
        ...clearSearch(),
        ...searchFor("Тур: теплообменник в сервисном центре"),
        {
            trigger: ".o_data_row .o_data_cell:contains('Тур: теплообменник в сервисном центре')",
            run: "click",
        },
        {
            content: "The Cost and Revenue tab",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Затраты и выручка')",
            run: "click",
        },
        {
            content: "The service centre's posted bill is a cost",
            trigger: ".o_form_view .o_field_widget[name=service_center_cost]:contains('150')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=service_margin]:contains('150')",
        },
        ...openMenu(...REPORTING, "service_manager.menu_service_report_profitability"),
        {
            trigger: ".o_breadcrumb:contains('Затраты и выручка по договорам')",
        },
        {
            trigger: ".o_data_row:contains('Тур Котельная')",
        },
        ...openMenu(...REPORTING, "service_contracts.menu_service_warranty_cost_report"),
        {
            trigger: ".o_breadcrumb:contains('Затраты по рекламациям')",
        },
        {
            trigger: ".o_pivot_view .o_pivot",
        },
        ...openMenu(...REPORTING, "service_manager.menu_service_report_analytic"),
        {
            trigger: ".o_breadcrumb:contains('Аналитические проводки сервиса')",
        },
        {
            trigger: ".o_pivot_view .o_pivot, .o_view_nocontent",
        },

        // Warranty claims; one claimed back from the manufacturer
        ...openMenu(SERVICE, "service_contracts.menu_service_warranty_root", "service_contracts.menu_service_warranty_claims"),
        ...clearSearch(),
        {
            trigger: ".o_data_row .o_data_cell:contains('ТУР-КТ-6')",
            run: "click",
        },
        {
            content: "Repaired under warranty",
            trigger: statusIs("Решение принято"),
        },
        ...clickHeaderButton("action_claim_supplier", "Claim it back from the manufacturer"),
        {
            content: "The supplier claim, to the manufacturer",
            trigger: fieldShows("supplier_id", "Тур Завод Котлов"),
        },
        ...clickHeaderButton("action_send", "Sent to the supplier"),
        {
            trigger: statusIs("Отправлена поставщику"),
        },
        {
            content: "Who sent it, in the chatter",
            trigger: ".o-mail-Chatter .o-mail-Message:contains('Мария Руководитель')",
        },
        ...openMenu(SERVICE, "service_contracts.menu_service_warranty_root", "service_contracts.menu_service_supplier_claims"),
        {
            content: "Both claims to the manufacturer",
            trigger: ".o_data_row:contains('ТУР-КТ-5') ~ .o_data_row:contains('ТУР-КТ-6'), .o_data_row:contains('ТУР-КТ-6') ~ .o_data_row:contains('ТУР-КТ-5')",
        },

        // Satisfaction: ratings and complaints
        ...openMenu(...REPORTING, "service_manager.menu_service_report_ratings"),
        {
            content: "The technician's rating",
            trigger: ".o_pivot_view .o_pivot:contains('Пётр Инженер')",
        },
        ...openMenu(SERVICE, "service_repair.menu_service_repair_root", "service_manager.menu_service_complaints"),
        {
            trigger: ".o_data_row:contains('Тур: никто не приехал')",
        },

        // Quality: the technician's repair checked by the manager
        ...openMenu(SERVICE, "service_manager.menu_service_manager_root", "service_manager.menu_service_qc_check"),
        {
            trigger: ".o_data_row .o_data_cell:contains('Тур: чек-лист котла')",
            run: "click",
        },
        {
            trigger: statusIs("На проверке"),
        },
        ...["Тур: герметичность газового тракта", "Тур: анализ дымовых газов"].flatMap((item) => [
            {
                content: `Check: ${item}`,
                trigger: `.o_field_widget[name=line_ids] .o_data_row:contains('${item}') .o_data_cell[name=result]`,
                run: "click",
            },
            {
                trigger: `.o_field_widget[name=line_ids] .o_data_row:contains('${item}') .o_field_widget[name=result] select`,
                run: selectOption("Пройден"),
            },
        ]),
        ...clickHeaderButton("action_pass", "The check is passed"),
        {
            trigger: statusIs("Пройдена"),
        },
        {
            trigger: fieldShows("checked_by_id", "Мария Руководитель"),
        },
        ...openMenu(SERVICE, "service_base.menu_service_config", "service_manager.menu_service_config_qc_templates"),
        {
            trigger: ".o_data_row:contains('Тур: чек-лист котла')",
        },

        // The workload forecast
        ...openMenu(...REPORTING, "service_manager.menu_service_forecast"),
        ...clickHeaderButton("action_compute", "Compute the forecast"),
        {
            content: "The forecast has its weeks",
            trigger: ".o_form_view .o_field_one2many .o_data_row",
        },
        ...clickHeaderButton("action_view_chart", "As a chart"),
        {
            trigger: ".o_graph_view .o_graph_renderer canvas",
        },

        // Teams, technicians, their performance
        ...openMenu(SERVICE, "service_base.menu_service_teams", "service_base.menu_service_teams_teams"),
        {
            trigger: ".o_data_row .o_data_cell:contains('Тур Бригада')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=member_ids]:contains('Пётр Инженер')",
        },
        ...openMenu(SERVICE, "service_base.menu_service_teams", "service_base.menu_service_teams_technicians"),
        {
            trigger: ".o_data_row:contains('Пётр Инженер'), .o_kanban_record:contains('Пётр Инженер')",
        },
        ...openMenu(...REPORTING, "service_manager.menu_service_team_performance"),
        {
            trigger: ".o_pivot_view .o_pivot:contains('Тур Бригада')",
        },

        // The installed base
        ...openMenu(SERVICE, "service_base.menu_service_equipment", "service_base.menu_service_equipment"),
        ...clearSearch(),
        ...searchFor("ТУР-КТ-4"),
        {
            trigger: ".o_data_row .o_data_cell:contains('ТУР-КТ-4'), .o_kanban_record:contains('ТУР-КТ-4')",
            run: "click",
        },
        {
            content: "The customer's unit",
            trigger: fieldShows("partner_id", "Тур Котельная"),
        },

        // The morning screen, for another period
        ...openMenu(SERVICE, "service_manager.menu_service_manager_root", "service_manager.menu_service_kpi_dashboard"),
        {
            trigger: ".o_service_dashboard h2:contains('Панель показателей сервиса')",
        },
        {
            content: "The last 30 days",
            trigger: "select.o_service_dashboard_period",
            run: "select last_30",
        },
        {
            trigger: "select.o_service_dashboard_period:has(option:selected:contains('Последние 30 дней'))",
        },
        {
            content: "Click through the open requests",
            trigger: ".o_service_kpi_backlog_open .o_service_kpi_value:not(:empty)",
            run: "click",
        },
        {
            content: "The open requests behind the figure",
            trigger: ".o_data_row:contains('Тур: никто не приехал'), .o_kanban_record:contains('Тур: никто не приехал')",
        },
        ...goBack("Back to the dashboard"),
        {
            trigger: ".o_service_dashboard .o_service_kpi_backlog_open",
        },
    ],
});
