/**
 * Steps shared by the suite's role tours. Each tour runs on a desktop-sized
 * window and on a phone-sized one (tests/test_tours.py): where the web client
 * differs (menus in a side panel, header buttons in the cog menu, a back arrow
 * instead of breadcrumbs), the step exists in both forms, `isActive` choosing.
 */
import * as hoot from "@odoo/hoot-dom";

/**
 * Open a menu of an app from wherever the web client stands. Waits for the
 * app's first screen before leaving it: leaving a view still loading races
 * with its requests.
 */
export function openMenu(appXmlid, sectionXmlid, menuXmlid) {
    return [
        {
            isActive: ["desktop"],
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button:enabled",
            run: "click",
        },
        {
            isActive: ["desktop"],
            content: "Open the app",
            trigger: `.dropdown-item.o_app[data-menu-xmlid='${appXmlid}']`,
            run: "click",
        },
        {
            isActive: ["desktop"],
            content: "The app shows its first screen",
            trigger: `body:has(.o_menu_brand[data-menu-xmlid='${appXmlid}']) .o_action_manager > .o_action`,
        },
        {
            isActive: ["desktop"],
            content: "Open the section",
            trigger: `.o_main_navbar .o_menu_sections [data-menu-xmlid='${sectionXmlid}']`,
            run: "click",
        },
        {
            isActive: ["desktop"],
            content: "Open the menu",
            trigger: `.dropdown-item[data-menu-xmlid='${menuXmlid}']`,
            run: "click",
        },
        {
            isActive: ["mobile"],
            content: "Open the side panel",
            trigger: ".o_main_navbar .o_menu_toggle",
            run: "click",
        },
        {
            isActive: ["mobile"],
            content: "Show all apps",
            trigger: ".o_app_menu_sidebar .o_sidebar_topbar a.btn-primary",
            run: "click",
        },
        {
            isActive: ["mobile"],
            content: "Open the app",
            trigger: `.o_app_menu_sidebar .o_app[data-menu-xmlid='${appXmlid}']`,
            run: "click",
        },
        {
            isActive: ["mobile"],
            content: "The side panel closes",
            trigger: "body:not(:has(.o_app_menu_sidebar))",
        },
        {
            isActive: ["mobile"],
            content: "Open the side panel of the app",
            trigger: ".o_main_navbar .o_menu_toggle",
            run: "click",
        },
        {
            isActive: ["mobile"],
            content: "The app shows its first screen",
            trigger: `body:has(.o_app_menu_sidebar li[data-menu-xmlid='${menuXmlid}']) .o_action_manager > .o_action`,
        },
        {
            isActive: ["mobile"],
            content: "Open the menu",
            trigger: `.o_app_menu_sidebar li[data-menu-xmlid='${menuXmlid}']`,
            run: "click",
        },
    ];
}

/** A trigger: the form's status is `label` (a drop-down on a phone). */
export function statusIs(label) {
    return (
        `.o_form_view .o_statusbar_status .o_arrow_button_current:contains('${label}'), ` +
        `.o_form_view .o_statusbar_status .dropdown-toggle:not(.o_arrow_button):contains('${label}')`
    );
}

/** A trigger: field `name` of the form shows `text`, read-only or in its input. */
export function fieldShows(name, text) {
    return (
        `.o_form_view .o_field_widget[name=${name}]:contains('${text}'), ` +
        `.o_form_view .o_field_widget[name=${name}] input:value('${text}')`
    );
}

/** Click a button of a form's header: in the cog menu on a phone. */
export function clickHeaderButton(name, content) {
    return [
        {
            isActive: ["mobile"],
            content: "Open the cog menu",
            trigger: ".o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content,
            trigger: `.o_form_view .o_statusbar_buttons button[name='${name}'], .o-dropdown-item-unstyled-button button[name='${name}']`,
            run: "click",
        },
    ];
}

/** Click a button of a list's or kanban's header: in a drop-down on a phone. */
export function clickViewHeaderButton(name, content) {
    return [
        {
            isActive: ["mobile"],
            content: "Open the drop-down of the view's buttons",
            trigger: ".o_control_panel_main_buttons button.o_control_panel_collapsed_create.dropdown-toggle",
            run: "click",
        },
        {
            content,
            trigger: `.o_control_panel_main_buttons button[name='${name}']`,
            run: "click",
        },
    ];
}

/** Click a smart button of a form: on a phone they wait behind the "more" button. */
export function clickStatButton(name, content) {
    const selector = `.o-form-buttonbox button[name='${name}']`;
    return [
        {
            content: "Show the smart buttons",
            trigger: ".o_form_view .o-form-buttonbox",
            run() {
                const more = hoot.queryFirst(".o_form_view .o-form-buttonbox .o_button_more");
                if (more && !hoot.queryFirst(selector)) {
                    return hoot.click(more);
                }
            },
        },
        {
            content,
            trigger: selector,
            run: "click",
        },
    ];
}

/** Back to the previous screen: the last breadcrumb, or the arrow on a phone. */
export function goBack(content) {
    return [
        {
            content,
            // on a phone the breadcrumbs move into the navbar
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
    ];
}
