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
import { watchForErrors } from "@service_base/../tests/tours/service_duty_tour_utils";

/** The form's header button `name`, labelled `label` (in Russian). */
function headerButton(name, label) {
    return `.o_form_view .o_statusbar_buttons button[name='${name}']:contains('${label}')`;
}

/** The print menu of a form (cog menu) lists each of `reports`, then closes. */
function printMenuLists(...reports) {
    return [
        {
            content: "Open the form's action menu",
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "Open its print menu (a sub-menu when there are several reports)",
            trigger: ".o-dropdown--menu",
            run() {
                const print = hoot.queryFirst(".o-dropdown--menu .dropdown-toggle:contains('Печать')");
                if (print) {
                    return hoot.click(print);
                }
            },
        },
        ...reports.map((report) => ({
            content: `The print menu offers ${report}`,
            trigger: `.o-dropdown--menu .o-dropdown-item:contains('${report}')`,
        })),
        {
            content: "Close the menu",
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            trigger: "body:not(:has(.o-dropdown--menu))",
        },
    ];
}

/**
 * A technician's whole job in Russian (README, "Where each duty lives"): the
 * request kanban (my requests); a consultation by phone (Log a Call) and the
 * unit's history; the warranty of the unit; the unit accepted for repair; the
 * repair order from the request, a part from the parts lookup, the repair
 * confirmed; the unit sent to a service centre and received back; the repair
 * started, its quality check passed, the work written down and the repair
 * ended; the acts in the print menu; the unit returned to the customer; a
 * maintenance request answered, its report in the print menu, closed.
 */
registry.category("web_tour.tours").add("service_duty_technician_tour", {
    url: "/odoo",
    steps: () => [
        watchForErrors(),
        // --- My requests -------------------------------------------------
        ...openMenu(
            "service_base.menu_service_root",
            "service_repair.menu_service_repair_root",
            "service_repair.menu_service_request_all"
        ),
        {
            content: "The request kanban, in Russian",
            trigger: ".o_breadcrumb .o_last_breadcrumb_item:contains('Заявки на обслуживание')",
        },
        {
            content: "Open the search options",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Only my requests",
            trigger: ".o_filter_menu .o-dropdown-item:contains('Мои заявки')",
            run: "click",
        },
        {
            trigger: ".o_searchview_facet:contains('Мои заявки')",
        },
        {
            content: "Close the search options",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "My repair request is on the kanban",
            trigger: ".o_kanban_view .o_kanban_record:contains('Насос шумит на полных оборотах')",
        },
        {
            content: "So is my maintenance request",
            trigger: ".o_kanban_view .o_kanban_record:contains('Плановое ТО насоса')",
        },

        // --- 2.1 A consultation by phone, and the unit's history -----------
        {
            content: "Open the Requests menu",
            trigger: ".o_main_navbar [data-menu-xmlid='service_repair.menu_service_repair_root']",
            run: "click",
        },
        {
            content: "Log a call",
            trigger: ".dropdown-item[data-menu-xmlid='service_repair.menu_service_log_call']:contains('Записать звонок')",
            run: "click",
        },
        {
            content: "The call log, in Russian",
            trigger: ".modal .modal-title:contains('Записать звонок')",
        },
        {
            content: "Who calls",
            trigger: ".modal .o_field_widget[name=partner_id] input",
            run: "edit Насосы Тура",
        },
        {
            trigger: ".ui-autocomplete .dropdown-item:contains('ООО «Насосы Тура»')",
            run: "click",
        },
        {
            content: "About which unit",
            trigger: ".modal .o_field_widget[name=equipment_id] input",
            run: "edit DUTY-PUMP",
        },
        {
            trigger: ".ui-autocomplete .dropdown-item:contains('DUTY-PUMP-1')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=equipment_id] input:value(/DUTY-PUMP-1/)",
        },
        {
            content: "A consultation, answered during the call",
            trigger: ".modal .o_field_widget[name=request_type] select:has(option:selected:contains('Консультация'))",
        },
        {
            trigger: ".modal .o_field_widget[name=close_now] input:checked",
        },
        {
            content: "What the call is about",
            trigger: ".modal .o_field_widget[name=subject] input",
            run: "edit Как сбросить ошибку E12?",
        },
        {
            content: "The answer given",
            trigger: ".modal .o_field_html[name=resolution] .odoo-editor-editable",
            run: "editor Удерживать кнопку сброса 5 секунд.",
        },
        {
            content: "Record the call",
            trigger: ".modal footer button[name=action_log]:contains('Записать')",
            run: "click",
        },
        {
            content: "The consultation is recorded and closed",
            trigger: fieldShows("subject", "Как сбросить ошибку E12?"),
        },
        {
            trigger: statusIs("Выполнена"),
        },
        ...clickStatButton("action_view_unit_history", "The unit's history"),
        {
            content: "The unit's earlier requests",
            trigger: ".o_breadcrumb .o_last_breadcrumb_item:contains('История оборудования')",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Насос шумит на полных оборотах')",
        },
        {
            content: "Open the repair request from the history",
            trigger: ".o_list_view .o_data_row:contains('Насос шумит на полных оборотах') td[name=subject]",
            run: "click",
        },

        // --- The unit's warranty -----------------------------------------
        {
            content: "The request names the unit and me",
            trigger: fieldShows("equipment_id", "DUTY-PUMP-1"),
        },
        {
            trigger: fieldShows("user_id", "Иван Техников"),
        },
        ...clickStatButton("action_view_equipment", "Open the unit"),
        {
            content: "The unit's form",
            trigger: ".o_form_view .o_field_widget[name=lot_id]:contains('DUTY-PUMP-1'), .o_form_view .o_field_widget[name=lot_id] input:value('DUTY-PUMP-1')",
        },
        ...clickHeaderButton("action_service_warranty_status", "Check the warranty"),
        {
            content: "In warranty, in Russian",
            trigger: ".o_notification:contains('На гарантии производителя до')",
        },
        ...goBack("Back to the request"),

        // --- 2.3 Accept the unit, create the repair ------------------------
        {
            content: "Accept the customer's unit for repair",
            trigger: headerButton("action_receive_unit", "Принять в ремонт"),
            run: "click",
        },
        {
            content: "The acceptance receipt is done",
            trigger: statusIs("Готово"),
        },
        ...goBack("Back to the request"),
        {
            content: "Fill in a repair order from the request",
            trigger: headerButton("action_create_repair", "Создать ремонт"),
            run: "click",
        },
        {
            content: "The repair order knows the request and the unit",
            trigger: ".o_form_view .o_field_widget[name=request_id] input:value(/SR\\//)",
        },
        {
            trigger: fieldShows("lot_id", "DUTY-PUMP-1"),
        },
        {
            content: "Open the acceptance and completion tab",
            trigger: ".o_notebook .nav-link[name=service_acts]",
            run: "click",
        },
        {
            content: "What came with the unit",
            trigger: ".o_field_widget[name=service_completeness] textarea",
            run: "edit Насос, паспорт, кабель питания",
        },
        {
            content: "Save the repair order",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },

        // --- 2.6 A part from the parts lookup ------------------------------
        {
            content: "Find the part for this repair",
            trigger: headerButton("action_service_parts_lookup", "Подобрать запчасти"),
            run: "click",
        },
        {
            content: "The lookup, in Russian",
            trigger: ".o_service_parts_lookup label:contains('Номер или название')",
        },
        {
            content: "The repair order is chosen",
            trigger: ".o_service_parts_repair input:value(/RO/)",
        },
        {
            content: "Type the OEM number as printed on the old part",
            trigger: "input.o_service_parts_query",
            run: "edit duty oem 77-12",
        },
        {
            content: "The part is found by its OEM number",
            trigger: ".o_service_parts_result:contains('Крыльчатка IM-5'):contains('DUTY-OEM-7712')",
        },
        {
            content: "Free stock, in Russian",
            trigger: ".o_service_parts_results th:contains('Свободно')",
        },
        {
            content: "Add it to the repair order",
            trigger: ".o_service_parts_result:contains('DUTY-OEM-7712') .o_service_parts_add_repair:enabled:contains('Добавить в заказ на ремонт')",
            run: "click",
        },
        {
            content: "Confirmation",
            trigger: ".o_notification:contains('Крыльчатка IM-5'):contains('добавлена')",
        },
        ...goBack("Back to the repair order"),
        {
            content: "The parts tab",
            trigger: ".o_notebook .nav-link[name=parts]",
            run: "click",
        },
        {
            content: "The part is on the repair order",
            trigger: ".o_field_widget[name=move_ids] .o_data_row:contains('Крыльчатка IM-5')",
        },
        {
            content: "Confirm the repair",
            trigger: headerButton("action_validate", "Подтвердить ремонт"),
            run: "click",
        },
        {
            trigger: statusIs("Подтвержден"),
        },
        ...goBack("Back to the request"),

        // --- 2.2 To the service centre and back ----------------------------
        {
            content: "Send the unit to a service centre",
            trigger: headerButton("action_open_send_to_service_center", "Отправить в сервисный центр"),
            run: "click",
        },
        {
            content: "Which centre",
            trigger: ".modal .o_field_widget[name=partner_id] input",
            run: "edit Гидросервис",
        },
        {
            trigger: ".ui-autocomplete .dropdown-item:contains('Гидросервис')",
            run: "click",
        },
        {
            content: "The carrier's tracking number",
            trigger: ".modal .o_field_widget[name=tracking_ref] input",
            run: "edit СДЭК 1234567",
        },
        {
            content: "Send",
            trigger: ".modal footer button[name=action_confirm]:contains('Отправить')",
            run: "click",
        },
        {
            content: "The unit is at the service centre",
            trigger: headerButton("action_open_receive_from_service_center", "Принять из сервисного центра"),
            run: "click",
        },
        {
            content: "Scan the serial that came back",
            trigger: ".modal .o_field_widget[name=serial] input",
            run: "edit DUTY-PUMP-1",
        },
        {
            content: "Receive it",
            trigger: ".modal footer button[name=action_confirm]:contains('Принять')",
            run: "click",
        },
        {
            trigger: ".o_form_view:not(:has(button[name=action_open_receive_from_service_center]))",
        },

        // --- The repair, its quality check, its end ------------------------
        ...clickStatButton("action_view_repairs", "Open the repair order"),
        {
            content: "Start the repair",
            trigger: headerButton("action_repair_start", "Начать ремонт"),
            run: "click",
        },
        {
            trigger: statusIs("Под ремонтом"),
        },
        {
            content: "Open the quality check",
            trigger: headerButton("action_service_qc_check", "Проверить качество"),
            run: "click",
        },
        {
            content: "The check is named after its repair",
            trigger: ".o_breadcrumb .o_last_breadcrumb_item:contains('Проверка качества WH/RO/')",
        },
        {
            content: "The checklist of the pump",
            trigger: ".o_form_view .o_field_widget[name=template_id]:contains('Насос после ремонта')",
        },
        ...["Давление в норме", "Нет утечек"].flatMap((item) => [
            {
                content: `Check: ${item}`,
                trigger: `.o_field_widget[name=line_ids] .o_data_row:contains('${item}') td[name=result]`,
                run: "click",
            },
            {
                trigger: `.o_field_widget[name=line_ids] .o_data_row.o_selected_row:contains('${item}') .o_field_widget[name=result] select`,
                // by value: ":contains" ignores case, and "Не пройдено" contains "пройдено"
                run: 'select "pass"',
            },
            {
                trigger: `.o_field_widget[name=line_ids] .o_data_row.o_selected_row:contains('${item}') .o_field_widget[name=result] select:has(option:selected[value='"pass"']:contains('Пройден'))`,
            },
        ]),
        {
            content: "Save the answers",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "Pass the check",
            trigger: headerButton("action_pass", "Принять"),
            run: "click",
        },
        {
            trigger: statusIs("Пройдена"),
        },
        ...goBack("Back to the repair order"),
        {
            content: "The check has passed",
            trigger: ".o_form_view .o_field_widget[name=service_qc_state]:contains('Пройдена')",
        },
        {
            content: "Open the acceptance and completion tab",
            trigger: ".o_notebook .nav-link[name=service_acts]",
            run: "click",
        },
        {
            content: "The work done",
            trigger: ".o_field_html[name=service_work_done] .odoo-editor-editable",
            run: "editor Заменена крыльчатка, проверено давление.",
        },
        {
            content: "End the repair",
            trigger: headerButton("action_repair_end", "Завершить ремонт"),
            run: "click",
        },
        {
            trigger: statusIs("Отремонтирован"),
        },
        ...printMenuLists("Акт приёма", "Акт выполненных работ"),
        ...goBack("Back to the request"),

        // --- Back to the customer -------------------------------------------
        {
            content: "The request closed with its repair",
            trigger: statusIs("Выполнена"),
        },
        {
            content: "Return the unit to the customer",
            trigger: headerButton("action_return_to_customer", "Вернуть клиенту"),
            run: "click",
        },
        {
            content: "The delivery is done",
            trigger: statusIs("Готово"),
        },
        ...goBack("Back to the request"),
        {
            trigger: ".o_form_view:not(:has(button[name=action_return_to_customer]))",
        },

        // --- 2.5 A maintenance request and its report ----------------------
        ...openMenu(
            "service_base.menu_service_root",
            "service_repair.menu_service_repair_root",
            "service_repair.menu_service_request_all"
        ),
        {
            content: "Open the maintenance request",
            trigger: ".o_kanban_view .o_kanban_record:contains('Плановое ТО насоса')",
            run: "click",
        },
        {
            content: "The resolution tab",
            trigger: ".o_notebook .nav-link[name=resolution]",
            run: "click",
        },
        {
            content: "What was done",
            trigger: ".o_field_html[name=resolution] .odoo-editor-editable",
            run: "editor Заменён фильтр, проверено давление.",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        ...printMenuLists("Отчёт о техническом обслуживании"),
        {
            content: "Close the request",
            trigger: headerButton("action_close", "Закрыть"),
            run: "click",
        },
        {
            trigger: statusIs("Выполнена"),
        },
    ],
});
