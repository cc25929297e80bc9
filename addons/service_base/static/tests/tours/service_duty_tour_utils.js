/**
 * Steps shared by the duty tours (tests/test_duty_tours_*.py): each role
 * walks its whole job in Russian, and the tour fails at once on an error
 * dialog (a UserError, an AccessError, a traceback) or on a screen that is
 * not in Russian, instead of waiting for a trigger that never comes.
 */
import * as hoot from "@odoo/hoot-dom";
import { user } from "@web/core/user";

function report(dialog) {
    if (dialog.dataset.serviceDutyReported) {
        return;
    }
    dialog.dataset.serviceDutyReported = "1";
    const modal = dialog.closest(".modal") || dialog;
    // console.error fails the HttpCase's tour with this text
    console.error(`Error dialog on the screen: ${modal.innerText.slice(0, 2000)}`);
}

/**
 * The first step of a duty tour: from now on any error dialog fails the
 * tour, and the web client must speak Russian.
 */
export function watchForErrors() {
    return {
        content: "Fail on any error dialog; the screen is in Russian",
        trigger: "body:has(.o_action_manager)",
        run() {
            const lang = user.lang || "";
            if (!lang.startsWith("ru")) {
                console.error(`The web client is not in Russian: lang="${lang}"`);
            }
            if (window.__serviceDutyObserver) {
                return;
            }
            const check = () => {
                for (const dialog of document.querySelectorAll(".o_error_dialog")) {
                    report(dialog);
                }
            };
            window.__serviceDutyObserver = new MutationObserver(check);
            window.__serviceDutyObserver.observe(document.body, { childList: true, subtree: true });
            check();
        },
    };
}

/** Search the current list or kanban for `text` (the view's default field). */
export function searchFor(text) {
    return [
        {
            content: `Search for ${text}`,
            trigger: ".o_control_panel .o_searchview_input",
            run: `edit ${text} && press Enter`,
        },
        {
            content: "The search is applied",
            trigger: `.o_searchview_facet:contains('${text}')`,
        },
    ];
}

/** Remove every facet of the search (default filters included). */
export function clearSearch() {
    return [
        {
            content: "Clear the search",
            trigger: ".o_control_panel .o_searchview",
            async run() {
                // one facet at a time: the search bar renders again after each
                for (let attempt = 0; attempt < 10; attempt++) {
                    const remove = document.querySelector(
                        ".o_control_panel .o_searchview_facet .o_facet_remove"
                    );
                    if (!remove) {
                        return;
                    }
                    await hoot.click(remove);
                    for (let frame = 0; frame < 100 && remove.isConnected; frame++) {
                        await new Promise((resolve) => requestAnimationFrame(resolve));
                    }
                }
            },
        },
        {
            content: "No filter left",
            trigger: ".o_control_panel .o_searchview:not(:has(.o_searchview_facet))",
        },
    ];
}

/** Toggle the filter `label` of the search panel. */
export function toggleFilter(label) {
    return [
        {
            content: "Open the search options",
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: `Filter: ${label}`,
            trigger: `.o_search_bar_menu .o_menu_item:contains('${label}')`,
            run: "click",
        },
        {
            content: "The filter is applied",
            trigger: `.o_searchview_facet:contains('${label}')`,
        },
        {
            content: "Close the search options",
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
    ];
}

/** The form's Print menu (in the cog menu) lists each of `labels`. */
export function printMenuLists(labels) {
    return [
        {
            content: "Open the cog menu",
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "Open its Print menu",
            trigger: ".o-dropdown--menu :is(button, .o_menu_item):has(.fa-print)",
            run() {
                // one report is an item of its own; several are a sub-menu
                if (labels.length > 1 || this.anchor.tagName === "BUTTON") {
                    this.anchor.click();
                }
            },
        },
        ...labels.map((label) => ({
            content: `The Print menu offers ${label}`,
            trigger: `.o-dropdown--menu .o_menu_item:contains('${label}')`,
        })),
        {
            content: "Close the menu",
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "The menu is closed",
            trigger: "body:not(:has(.o-dropdown--menu .o_menu_item))",
        },
    ];
}
