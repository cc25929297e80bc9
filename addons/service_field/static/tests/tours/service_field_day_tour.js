import { registry } from "@web/core/registry";
import { openMenu, statusIs } from "@service_base/../tests/tours/service_tour_utils";

/** Click the big button of the technician's next step (in the sheet on a phone). */
function nextStep(name, content) {
    return {
        content,
        trigger: `.o_form_view div[name=phone_next_step] button[name='${name}']:visible`,
        run: "click",
    };
}

/**
 * The technician's day on a phone: today's visits, one of them opened, left
 * for, arrived at, its checklist ticked, a part from the van, the customer's
 * signature, the work done written, finished (after a confirmation); the
 * service report is in the request's chatter.
 */
registry.category("web_tour.tours").add("service_field_day_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenu(
            "service_base.menu_service_root",
            "service_repair.menu_service_repair_root",
            "service_field.service_visit_menu_my_today"
        ),
        {
            content: "Today's visits: mine, as cards with one line of time",
            trigger: ".o_kanban_view .o_kanban_record:contains('ООО «Котлы Тура»'):contains('–')",
        },
        {
            content: "Open the visit",
            trigger: ".o_kanban_view .o_kanban_record:contains('ООО «Котлы Тура»') div.text-muted:contains('Тур: котёл гаснет')",
            run: "click",
        },
        {
            content: "The visit's form: the unit, its history",
            trigger: ".o_form_view .o_field_widget[name=equipment_id]:contains('TOUR-BOILER-1')",
        },
        nextStep("action_start_travel", "Выехал: the big button on the phone"),
        { content: "On the way", trigger: statusIs("В пути") },
        nextStep("action_arrive", "Прибыл"),
        { content: "On site", trigger: statusIs("На объекте") },
        {
            content: "Open the checklist",
            trigger: ".o_notebook .nav-link:contains('Чек-лист')",
            run: "click",
        },
        {
            content: "Tick the item: a card with a toggle on a phone",
            trigger: ".o_field_widget[name=check_ids] .o_kanban_record:contains('Проверить тягу') .o_boolean_toggle input",
            run: "click",
        },
        {
            content: "The item is done",
            trigger: ".o_field_widget[name=check_ids] .o_kanban_record:contains('Проверить тягу') .o_boolean_toggle input:checked",
        },
        {
            content: "Open the parts",
            trigger: ".o_notebook .nav-link:contains('Запчасти')",
            run: "click",
        },
        {
            content: "Add a part",
            trigger: ".o_field_widget[name=part_ids] .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Choose the part: a search dialog on a phone",
            trigger: ".modal .o_field_widget[name=product_id] input",
            run: "click",
        },
        {
            content: "Show the search of the dialog",
            trigger: ".modal:has(.o_kanban_view) .o_control_panel button:has(.fa-search)",
            run: "click",
        },
        {
            content: "Search the part",
            trigger: ".modal .o_searchview_input",
            run: "edit Тур прокладка && press Enter",
        },
        {
            content: "Choose it",
            trigger: ".modal .o_kanban_record:contains('Тур прокладка')",
            run: "click",
        },
        {
            content: "The part is chosen",
            trigger: ".modal .o_field_widget[name=product_id] input:value('Тур прокладка')",
        },
        {
            content: "Keep the part",
            trigger: ".modal .modal-footer .o_form_button_save",
            run: "click",
        },
        {
            content: "The part is on the visit",
            trigger: ".o_field_widget[name=part_ids] .o_kanban_record:contains('Тур прокладка')",
        },
        {
            content: "Open the signature",
            trigger: ".o_notebook .nav-link:contains('Подпись')",
            run: "click",
        },
        {
            content: "The pad waits for the signer's name (the customer is a company: no one is prefilled)",
            trigger: ".o_notebook div:contains('Укажите, кто подписывает за клиента')",
        },
        {
            content: "The signer's name",
            trigger: ".o_field_widget[name=signed_by] input",
            run: "edit Иван Петров && press Enter",
        },
        {
            content: "Open the signature pad",
            trigger: ".o_field_widget[name=signature] .o_signature",
            run: "click",
        },
        {
            content: "Adopt the signature",
            trigger: ".modal .modal-footer .btn-primary:enabled",
            run: "click",
        },
        {
            content: "The signature is on the visit",
            trigger: ".o_field_widget[name=signature] img.o_signature",
        },
        {
            content: "What was done, written on site",
            trigger: ".o_notebook .nav-link:contains('Выполненные работы')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=work_done] .odoo-editor-editable",
            run: "editor Тяга восстановлена, прокладка заменена.",
        },
        nextStep("action_finish", "Завершить"),
        {
            content: "Finishing asks first: a second tap on «Прибыл» does not finish the visit",
            trigger: ".modal:contains('Завершить выезд и отправить сервисный лист клиенту?') .modal-footer .btn-primary",
            run: "click",
        },
        { content: "Done", trigger: statusIs("Выполнен") },
        {
            content: "Open the request",
            trigger: ".o-form-buttonbox",
            run() {
                const more = document.querySelector(".o-form-buttonbox .o_button_more");
                if (more && !document.querySelector(".o-form-buttonbox button[name=action_open_request]")) {
                    more.click();
                }
            },
        },
        {
            trigger: ".o-form-buttonbox button[name=action_open_request]",
            run: "click",
        },
        {
            content: "The service report is in the request's chatter",
            trigger: ".o-mail-Chatter .o-mail-Message:contains('Сервисный лист')",
        },
    ],
});
