import { _t } from "@web/core/l10n/translation";
import { AlertDialog, ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { Domain } from "@web/core/domain";
import { RelationalModel } from "@web/model/relational_model/relational_model";
import { user } from "@web/core/user";

export const OVER_CAPACITY_ERROR =
    "odoo.addons.service_repair.exceptions.ServiceOverCapacityError";

/**
 * Ask the dispatcher (a service manager) whether to give a technician more
 * than their capacity (``message``: the server's refusal); resolves to true
 * when they confirm.
 * The board and the technicians' schedule ask alike.
 */
export async function confirmOverCapacity(dialogService, message) {
    // Only a service manager may give more than the capacity: anyone else
    // is told why the request stays where it was.
    if (!(await user.hasGroup("service_base.group_service_manager"))) {
        dialogService.add(AlertDialog, { title: _t("Over capacity"), body: message });
        return false;
    }
    return new Promise((resolve) => {
        dialogService.add(
            ConfirmationDialog,
            {
                title: _t("Over capacity"),
                body: message,
                confirmLabel: _t("Assign anyway"),
                confirm: () => resolve(true),
                cancel: () => resolve(false),
            },
            { onClose: () => resolve(false) }
        );
    });
}

/**
 * The dispatch board's data: the requests grouped by technician, the
 * unassigned ones first and never folded, and each technician's load,
 * capacity and skills (one call for all the columns).
 */
export class DispatchBoardModel extends RelationalModel {
    static services = [...RelationalModel.services, "dialog"];
    // Odoo folds every column after the tenth; a dispatcher drops requests on
    // the technicians' columns, so a team of up to 30 shows open.
    static MAX_NUMBER_OPENED_GROUPS = 30;

    setup(params, { dialog }) {
        super.setup(...arguments);
        this.dialogService = dialog;
        this.dispatchColumns = {};
    }

    isDispatchGrouping(config) {
        return config.groupBy?.[0] === "user_id";
    }

    async _webReadGroup(config, orderBy) {
        const result = await super._webReadGroup(...arguments);
        if (!this.isDispatchGrouping(config) || this.orm.isSample) {
            return result;
        }
        const groups = result.groups;
        let index = groups.findIndex((group) => !group.user_id);
        if (index < 0) {
            // an empty unassigned column: where a request is dropped to unassign it
            groups.unshift({
                user_id: false,
                user_id_count: 0,
                __domain: Domain.and([config.domain, [["user_id", "=", false]]]).toList(),
            });
            result.length++;
            index = 0;
        }
        groups.unshift(...groups.splice(index, 1));
        // Odoo folds the "unset" column of a many2one: the queue stays open.
        const groupsConfig = config.groups;
        if (groupsConfig[false]) {
            groupsConfig[false].isFolded = false;
        } else {
            groupsConfig[false] = {
                resModel: config.resModel,
                fields: config.fields,
                activeFields: config.activeFields,
                groupByFieldName: "user_id",
                isFolded: false,
                extraDomain: false,
                value: false,
                list: {
                    resModel: config.resModel,
                    fields: config.fields,
                    activeFields: config.activeFields,
                    groupBy: config.groupBy.slice(1),
                },
            };
        }
        const userIds = groups.map((group) => group.user_id && group.user_id[0]).filter(Boolean);
        await this.loadDispatchColumns(userIds, config.context);
        return result;
    }

    async loadDispatchColumns(userIds, context) {
        if (!userIds) {
            userIds = (this.root.groups || []).map((group) => group.value).filter(Boolean);
        }
        this.dispatchColumns = userIds.length
            ? await this.orm.call("service.request", "service_dispatch_board_columns", [userIds], {
                  context: context || this.root?.context,
              })
            : {};
    }

    /** Ask the dispatcher whether to give a technician more than their capacity. */
    confirmOverCapacity(message) {
        return confirmOverCapacity(this.dialogService, message);
    }
}

export class DispatchBoardGroupList extends RelationalModel.DynamicGroupList {
    /**
     * A request dropped on a technician is assigned with the dispatch's checks;
     * past the technician's capacity, the dispatcher is asked, and the request
     * assigned anyway when they confirm.
     */
    async moveRecord(dataRecordId, dataGroupId, refId, targetGroupId) {
        const model = this.model;
        if (this.groupByField.name !== "user_id" || dataGroupId === targetGroupId) {
            return super.moveRecord(...arguments);
        }
        const targetGroup = this.groups.find((group) => group.id === targetGroupId);
        const sourceGroup = this.groups.find((group) => group.id === dataGroupId);
        const record = sourceGroup.list.records.find((r) => r.id === dataRecordId);
        const resId = record.resId;
        try {
            await super.moveRecord(...arguments);
        } catch (error) {
            if (error.exceptionName !== OVER_CAPACITY_ERROR) {
                throw error;
            }
            if (!(await model.confirmOverCapacity(error.data.message))) {
                return;
            }
            await model.orm.write(
                this.resModel,
                [resId],
                { user_id: targetGroup.value },
                { context: { ...this.context, service_over_capacity: true } }
            );
            // the columns' loads come with the board
            return model.root.load();
        }
        await model.loadDispatchColumns();
        model.notify();
    }
}

DispatchBoardModel.DynamicGroupList = DispatchBoardGroupList;
