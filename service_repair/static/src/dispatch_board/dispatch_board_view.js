import { _t } from "@web/core/l10n/translation";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { odooExceptionTitleMap, WarningDialog } from "@web/core/errors/error_dialogs";
import { registry } from "@web/core/registry";
import { kanbanView } from "@web/views/kanban/kanban_view";
import { KanbanController } from "@web/views/kanban/kanban_controller";
import { useState, useSubEnv } from "@odoo/owl";
import { countText } from "@service_base/plural";

import { DispatchBoardModel, OVER_CAPACITY_ERROR } from "./dispatch_board_model";
import { DispatchBoardRenderer } from "./dispatch_board_renderer";

/**
 * The dispatcher's board (js_class="service_dispatch_board"): the Dispatch
 * button takes the requests ticked in the queue, or, asked first, every
 * request of the queue as the board shows it.
 */
export class DispatchBoardController extends KanbanController {
    static template = "service_repair.DispatchBoardView";

    setup() {
        super.setup();
        this.dispatchSelection = useState({ ids: {} });
        useSubEnv({ serviceDispatchSelection: this.dispatchSelection });
    }

    get selectedIds() {
        return Object.keys(this.dispatchSelection.ids).map(Number);
    }

    get queueGroup() {
        const groups = this.model.root.groups || [];
        return groups.find((group) => group.groupByField.name === "user_id" && !group.value);
    }

    async beforeExecuteActionButton(clickParams) {
        if (clickParams.name !== "action_dispatch_queue") {
            return super.beforeExecuteActionButton(...arguments);
        }
        await this.dispatch();
        return false;
    }

    async dispatch() {
        // a ticked request dragged to a technician since is no longer the queue's
        const queued = new Set(this.queueGroup?.list.records.map((record) => record.resId));
        let ids = this.selectedIds.filter((id) => queued.has(id));
        if (!ids.length) {
            const queue = this.queueGroup;
            const domain = queue ? queue.list.domain : [["user_id", "=", false]];
            ids = await this.model.orm.search(this.props.resModel, domain, {
                context: this.props.context,
            });
            if (!ids.length) {
                this.env.services.notification.add(_t("No request waits for a technician."), {
                    type: "info",
                });
                return;
            }
            const count = countText(ids.length, _t("request|requests"));
            const confirmed = await new Promise((resolve) => {
                this.dialog.add(
                    ConfirmationDialog,
                    {
                        title: _t("Dispatch"),
                        body: _t(
                            "No request is selected. Dispatch every unassigned request of the board (%(count)s)?",
                            { count }
                        ),
                        confirmLabel: _t("Dispatch all"),
                        confirm: () => resolve(true),
                        cancel: () => resolve(false),
                    },
                    { onClose: () => resolve(false) }
                );
            });
            if (!confirmed) {
                return;
            }
        }
        const action = await this.model.orm.call(
            this.props.resModel,
            "action_dispatch_queue",
            [ids],
            { context: this.props.context }
        );
        this.dispatchSelection.ids = {};
        await this.model.load();
        await this.actionService.doAction(action);
    }
}

export const dispatchBoardView = {
    ...kanbanView,
    Controller: DispatchBoardController,
    Model: DispatchBoardModel,
    Renderer: DispatchBoardRenderer,
};

registry.category("views").add("service_dispatch_board", dispatchBoardView);
// Outside the board (the request's form), the over-capacity refusal reads as
// any business refusal.
registry.category("error_dialogs").add(OVER_CAPACITY_ERROR, WarningDialog);
odooExceptionTitleMap.set(OVER_CAPACITY_ERROR, _t("Over capacity"));
