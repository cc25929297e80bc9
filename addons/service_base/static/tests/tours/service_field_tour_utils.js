/**
 * Steps of the field roles' duty tours (tests/test_duty_tours_field.py).
 */

/**
 * From this step on, any error dialog of the web client (a UserError, an
 * AccessError, a traceback: all are `.o_error_dialog`) fails the tour at once,
 * with the dialog's text: a refusal shown in a dialog logs nothing in the
 * console, and the tour would only time out on its next step.
 */
export function failOnErrorDialog() {
    return {
        content: "Any error dialog fails the tour",
        trigger: "body",
        run() {
            if (window.__serviceErrorDialogWatch) {
                return;
            }
            const watch = new MutationObserver(() => {
                const dialog = document.querySelector(".o_error_dialog:not([data-reported])");
                if (dialog) {
                    dialog.dataset.reported = "1";
                    console.error(`Error dialog: ${dialog.innerText}`);
                }
            });
            watch.observe(document.body, { childList: true, subtree: true });
            window.__serviceErrorDialogWatch = watch;
        },
    };
}
