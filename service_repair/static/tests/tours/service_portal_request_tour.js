import { registry } from "@web/core/registry";

/**
 * A portal customer follows their requests under /my and opens a new one for
 * their unit; the tour ends on the new request's page (its screenshot). Runs
 * on a desktop and on a phone.
 */
registry.category("web_tour.tours").add("service_portal_request_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open my service requests",
            trigger: "a[href='/my/service-requests']",
            run: "click",
        },
        {
            content: "My open request is listed",
            trigger: "table:contains('Тур: шумит насос')",
        },
        {
            content: "Open a new request",
            trigger: "a.o_service_request_new",
            run: "click",
        },
        {
            content: "Choose my unit",
            trigger: "form.o_service_request_portal_form select[name=equipment_id]",
            run: "selectByIndex 1",
        },
        {
            content: "Say what is wrong",
            trigger: "form.o_service_request_portal_form input[name=subject]",
            run: "edit Тур: мигает дисплей",
        },
        {
            trigger: "form.o_service_request_portal_form textarea[name=description]",
            run: "edit С понедельника дисплей мигает при пуске насоса.",
        },
        {
            content: "Send it",
            trigger: "form.o_service_request_portal_form button[type=submit]",
            run: "click",
        },
        {
            content: "The new request's page",
            trigger: ".card-header:contains('Тур: мигает дисплей')",
        },
    ],
});
