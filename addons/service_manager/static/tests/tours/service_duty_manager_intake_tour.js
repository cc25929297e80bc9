import { registry } from "@web/core/registry";
import {
    clickHeaderButton,
    clickStatButton,
    fieldShows,
    goBack,
    openMenu,
} from "@service_base/../tests/tours/service_tour_utils";
import {
    clearSearch,
    printMenuLists,
    searchFor,
    toggleFilter,
    watchForErrors,
} from "@service_base/../tests/tours/service_duty_tour_utils";

const REQUESTS = ["service_base.menu_service_root", "service_repair.menu_service_repair_root"];

/**
 * The service manager's intake duties, in Russian (tests/test_duty_tours_office.py):
 * a customer's call answered and closed with the unit's history at hand
 * (2.1); the service centres, a late unit received back, a unit accepted
 * for repair, its repair order and printed acts, then sent to a centre
 * (2.2, 2.3); a maintenance report (2.5); the dispatch board and the
 * dispatch rules (2.9); a meeting planned from a request and the agenda
 * (2.10); who did what in the chatter (audit).
 */
registry.category("web_tour.tours").add("service_duty_manager_intake_tour", {
    url: "/odoo",
    steps: () => [
        watchForErrors(),
        // 2.1 A consultation by phone
        ...openMenu(...REQUESTS, "service_repair.menu_service_log_call"),
        {
            content: "The call log, in Russian",
            trigger: ".modal .modal-title:contains('Записать звонок')",
        },
        {
            content: "The caller",
            trigger: ".modal .o_field_widget[name=partner_id] input",
            run: "edit Тур Котельная",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Тур Котельная')",
            run: "click",
        },
        {
            content: "The unit the customer calls about",
            trigger: ".modal .o_field_widget[name=equipment_id] input",
            run: "edit ТУР-КТ-1",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('ТУР-КТ-1')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=subject] input",
            run: "edit Тур: как продуть котёл",
        },
        {
            content: "The customer's question",
            trigger: ".modal .o_field_widget[name=description] .odoo-editor-editable :is(p, .o-paragraph)",
            run: "editor Как продуть котёл после простоя?",
        },
        {
            content: "The answer given",
            trigger: ".modal .o_field_widget[name=resolution] .odoo-editor-editable :is(p, .o-paragraph)",
            run: "editor Продиктовали порядок продувки по инструкции.",
        },
        {
            content: "Log the call (the button says so in Russian)",
            trigger: ".modal button[name=action_log]:contains('Записать')",
            run: "click",
        },
        {
            content: "The consultation, closed at once",
            trigger: `${fieldShows("request_type", "Консультация")}`,
        },
        {
            trigger: ".o_form_view .o_field_widget[name=subject] input:value('Тур: как продуть котёл')",
        },
        ...clickStatButton("action_view_unit_history", "The unit's history"),
        {
            content: "Last year's repair of the unit is in its history",
            trigger: ".o_action:has(.o_breadcrumb:contains('История оборудования')) .o_data_row:contains('Тур: прошлогодний ремонт')",
        },
        ...goBack("Back to the call"),
        {
            content: "Who logged it and when: the chatter",
            trigger: ".o-mail-Chatter .o-mail-Message:contains('Мария Руководитель')",
        },

        // 2.2 The service centres and a late unit
        ...openMenu(...REQUESTS, "service_repair.menu_service_centers"),
        {
            content: "The external service centres",
            trigger: ".o_breadcrumb:contains('Сервисные центры')",
        },
        {
            trigger: ".o_data_row .o_data_cell:contains('Тур Сервисный центр'), .o_kanban_record:contains('Тур Сервисный центр')",
        },
        ...openMenu(...REQUESTS, "service_repair.menu_service_request_all"),
        {
            content: "The requests as a list",
            trigger: ".o_control_panel .o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The open requests (an adjective, not the verb of a button)",
            trigger: ".o_list_view .o_searchview_facet:contains('Открытые'), .o_action:has(.o_list_view) .o_searchview_facet:contains('Открытые')",
        },
        ...toggleFilter("Просроченный возврат"),
        {
            content: "The unit late back from its centre",
            trigger: ".o_data_row .o_data_cell:contains('Тур: теплообменник в сервисном центре')",
            run: "click",
        },
        {
            content: "Flagged as late",
            trigger: ".o_form_view .ribbon:contains('Просроченный возврат')",
        },
        ...clickHeaderButton("action_open_receive_from_service_center", "It has arrived: receive it"),
        {
            content: "The serial that arrived",
            trigger: ".modal .o_field_widget[name=serial] input",
            run: "edit ТУР-КТ-3",
        },
        {
            trigger: ".modal button[name=action_confirm]:contains('Принять')",
            run: "click",
        },
        {
            content: "Back from the centre: no longer late",
            trigger: ".o_form_view:not(:has(.ribbon)) .o_statusbar_buttons button[name=action_open_send_to_service_center]",
        },

        // 2.3 The unit accepted for repair, the repair order and its acts
        ...goBack("Back to the requests"),
        ...clearSearch(),
        ...searchFor("Тур: котёл не разжигается"),
        {
            trigger: ".o_data_row .o_data_cell:contains('Тур: котёл не разжигается')",
            run: "click",
        },
        ...clickHeaderButton("action_receive_unit", "Accept the unit for repair"),
        {
            content: "The receipt of the customer's unit, done",
            trigger: ".o_form_view .o_field_widget[name=move_ids_without_package], .o_form_view .o_field_widget[name=move_ids]",
        },
        ...goBack("Back to the request"),
        ...clickHeaderButton("action_create_repair", "Create the repair order"),
        {
            content: "The repair order of the unit",
            trigger: ".o_form_view .o_field_widget[name=lot_id]:contains('ТУР-КТ-2'), .o_form_view .o_field_widget[name=lot_id] input:value('ТУР-КТ-2')",
        },
        ...printMenuLists(["Акт приёма", "Акт выполненных работ"]),
        ...goBack("Back to the request"),
        ...clickHeaderButton("action_open_send_to_service_center", "Send the unit to a service centre"),
        {
            trigger: ".modal .o_field_widget[name=partner_id] input",
            run: "edit Тур Сервисный",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Тур Сервисный центр')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=tracking_ref] input",
            run: "edit ТРЕК-88",
        },
        {
            trigger: ".modal button[name=action_confirm]:contains('Отправить')",
            run: "click",
        },
        {
            content: "Sent: it can be received back",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_open_receive_from_service_center]",
        },
        {
            content: "The chatter says where it went",
            trigger: ".o-mail-Chatter .o-mail-Message:contains('отправлено в сервисный центр')",
        },

        // 2.10 A meeting with the customer about the request
        ...clickStatButton("action_service_schedule_meeting", "Plan a meeting"),
        {
            trigger: ".o_calendar_view, .o_list_view",
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
            content: "The meeting, named after the request, with the customer invited",
            trigger: ".o_form_view .o_field_widget[name=partner_ids]:contains('Тур Котельная')",
        },
        {
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "Back to the request",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('SR/')",
            run: "click",
        },
        {
            content: "One meeting",
            trigger: ".o_form_view button[name=action_service_schedule_meeting] .o_stat_value:contains('1')",
        },

        // 2.5 The maintenance report
        ...goBack("Back to the requests"),
        ...clearSearch(),
        ...searchFor("Тур: ежегодное ТО"),
        {
            trigger: ".o_data_row .o_data_cell:contains('Тур: ежегодное ТО')",
            run: "click",
        },
        {
            trigger: fieldShows("request_type", "Техническое обслуживание"),
        },
        ...printMenuLists(["Отчёт о техническом обслуживании"]),

        // 2.9 The dispatch board and the rules
        ...openMenu(...REQUESTS, "service_repair.menu_service_dispatch_board"),
        {
            content: "The requests nobody is assigned to come first, open",
            trigger: ".o_kanban_view .o_kanban_group.o_service_dispatch_queue:not(.o_column_folded) .o_column_title:contains('Не назначены')",
        },
        {
            content: "The complaint waits for a technician",
            trigger: ".o_kanban_view .o_kanban_record:contains('Тур: никто не приехал')",
        },
        {
            trigger: ".o_control_panel_main_buttons button[name=action_dispatch_queue]:contains('Распределить')",
            run: "click",
        },
        {
            content: "Nothing ticked: the whole queue, once asked",
            trigger: ".modal .modal-footer button.btn-primary:contains('Распределить все')",
            run: "click",
        },
        {
            content: "Assigned: close the message",
            trigger: ".o_notification:contains('Назначено заявок') .o_notification_close",
            run: "click",
        },
        {
            content: "The complaint is now the skilled technician's",
            trigger: ".o_kanban_group:contains('Пётр Инженер') .o_kanban_record:contains('Тур: никто не приехал')",
        },
        ...openMenu(
            "service_base.menu_service_root",
            "service_base.menu_service_config",
            "service_repair.menu_service_config_dispatch_rules"
        ),
        {
            trigger: ".o_breadcrumb:contains('Правила распределения')",
        },
        {
            trigger: ".o_data_row .o_data_cell:contains('Тур: котлы в бригаду')",
            run: "click",
        },
        {
            content: "The rule sends boilers to the team",
            trigger: fieldShows("team_id", "Тур Бригада"),
        },
        {
            content: "The requests it dispatched",
            trigger: ".o_form_view .o-form-buttonbox .o_stat_value:contains('1')",
        },

        // 2.10 The week's agenda
        ...openMenu(
            "service_base.menu_service_root",
            "service_manager.menu_service_manager_root",
            "service_manager.menu_service_agenda"
        ),
        {
            trigger: ".o_breadcrumb:contains('Мой календарь')",
        },
        {
            content: "As a list",
            trigger: ".o_control_panel .o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The meeting about the request is on the agenda",
            trigger: ".o_data_row .o_data_cell:contains('SR/')",
        },
    ],
});
