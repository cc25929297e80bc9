import { registry } from "@web/core/registry";

/**
 * A portal customer's whole self-service in Russian: the portal home, my
 * equipment and a unit's warranty, my service requests, a message on one, a
 * new request, my contracts, my warranty claims and a new one, and the public
 * warranty check for a known and an unknown serial number.
 */
registry.category("web_tour.tours").add("service_duty_portal_tour", {
    url: "/my",
    steps: () => [
        // --- Home -----------------------------------------------------------
        ...[
            ["/my/equipment", "Моё оборудование"],
            ["/my/service-requests", "Заявки на обслуживание"],
            ["/my/contracts", "Договоры на обслуживание"],
            ["/my/claims", "Рекламации"],
        ].map(([url, title]) => ({
            content: `The portal home offers ${title}`,
            trigger: `.o_portal_docs a[href='${url}']:contains('${title}')`,
        })),

        // --- My equipment ---------------------------------------------------
        {
            content: "Open my equipment",
            trigger: ".o_portal_docs a[href='/my/equipment']",
            run: "click",
        },
        {
            content: "My pump",
            trigger: "table a:contains('Насос ДТ-3')",
        },
        {
            trigger: "table tr:contains('DUTY-PUMP-1') a",
            run: "click",
        },
        {
            content: "Its warranty, in Russian",
            trigger: ".o_service_warranty_answer:contains('На гарантии производителя до')",
        },

        // --- My requests, a message, a new request -------------------------
        {
            content: "Back to the portal home",
            trigger: ".o_portal_submenu a[href='/my/home'], .o_portal_submenu a[href='/my']",
            run: "click",
        },
        {
            content: "Open my service requests",
            trigger: ".o_portal_docs a[href='/my/service-requests']",
            run: "click",
        },
        {
            content: "My request is listed",
            trigger: "table tr:contains('Насос шумит на полных оборотах') a",
            run: "click",
        },
        {
            content: "The request's page",
            trigger: ".card-header:contains('Насос шумит на полных оборотах')",
        },
        {
            content: "Ask about the visit",
            trigger: "#chatterRoot:shadow .o-mail-Composer-input",
            run: "edit Когда приедет инженер?",
            // the chatter loads its own bundle: slow on a busy machine
            timeout: 30000,
        },
        {
            trigger: "#chatterRoot:shadow .o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The message is on the request",
            trigger: "#chatterRoot:shadow .o-mail-Message:contains('Когда приедет инженер?')",
        },
        {
            content: "Back to my requests",
            trigger: ".o_portal_submenu a[href='/my/service-requests']",
            run: "click",
        },
        {
            content: "A new request",
            trigger: "a.o_service_request_new:contains('Новая заявка')",
            run: "click",
        },
        {
            content: "Choose my unit",
            trigger: "form.o_service_request_portal_form select[name=equipment_id]",
            run: "selectByLabel DUTY-PUMP-1",
        },
        {
            content: "Say what is wrong",
            trigger: "form.o_service_request_portal_form input[name=subject]",
            run: "edit Насос гудит при пуске",
        },
        {
            trigger: "form.o_service_request_portal_form textarea[name=description]",
            run: "edit С понедельника насос гудит при каждом пуске.",
        },
        {
            content: "Send it",
            trigger: "form.o_service_request_portal_form button[type=submit]:contains('Отправить')",
            run: "click",
        },
        {
            content: "The new request's page",
            trigger: ".card-header:contains('Насос гудит при пуске')",
        },

        // --- My contracts ---------------------------------------------------
        {
            content: "My contracts",
            trigger: ".card-header:contains('Насос гудит при пуске')",
            run: "goToUrl /my/contracts",
        },
        {
            content: "The running contract",
            trigger: "table tr:contains('Обслуживание насосной станции') a",
            run: "click",
        },
        {
            content: "The contract's page",
            trigger: ".card-header:contains('Обслуживание насосной станции')",
        },

        // --- My claims, a new claim ----------------------------------------
        {
            content: "My warranty claims",
            trigger: ".card-header:contains('Обслуживание насосной станции')",
            run: "goToUrl /my/claims",
        },
        {
            content: "The claim I opened before",
            trigger: "table tr:contains('DUTY-PUMP-1')",
        },
        {
            content: "File a new claim",
            trigger: "a.o_service_new_claim:contains('Подать рекламацию')",
            run: "click",
        },
        {
            content: "For my pump",
            trigger: "form select[name=equipment_id]",
            run: "selectByLabel DUTY-PUMP-1",
        },
        {
            content: "What is wrong",
            trigger: "form textarea[name=defect_description]",
            run: "edit Течёт сальник после ремонта.",
        },
        {
            trigger: "form button[type=submit]:contains('Отправить рекламацию')",
            run: "click",
        },
        {
            content: "The new claim's page: in warranty",
            trigger: ".o_service_warranty_answer:contains('На гарантии производителя до')",
        },

        // --- The public warranty check ---------------------------------------
        {
            content: "The public warranty check",
            trigger: ".o_service_warranty_answer",
            run: "goToUrl /service/warranty",
        },
        {
            trigger: ".o_service_warranty_check h1:contains('Проверка гарантии')",
        },
        {
            content: "A known serial",
            trigger: ".o_service_warranty_check input[name=serial]",
            run: "edit DUTY-PUMP-1",
        },
        {
            trigger: ".o_service_warranty_check button[type=submit]:contains('Проверить')",
            run: "click",
        },
        {
            content: "In warranty",
            trigger: ".o_service_warranty_check .alert-success.o_warranty_answer:contains('На гарантии производителя до')",
        },
        {
            content: "An unknown serial",
            trigger: ".o_service_warranty_check input[name=serial]",
            run: "edit NO-SUCH-9999",
        },
        {
            trigger: ".o_service_warranty_check button[type=submit]:contains('Проверить')",
            run: "click",
        },
        {
            content: "Not found, and what to do",
            trigger: ".o_warranty_unknown:contains('Заводской номер не найден'):contains('Проверьте номер на заводской табличке')",
        },
    ],
});
