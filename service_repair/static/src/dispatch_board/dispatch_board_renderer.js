import { _t } from "@web/core/l10n/translation";
import { KanbanHeader } from "@web/views/kanban/kanban_header";
import { KanbanRenderer } from "@web/views/kanban/kanban_renderer";

/**
 * A column of the board: «Не назначены» for the queue, which cannot be
 * folded; a technician's column shows their load against their capacity
 * and their skills.
 */
export class DispatchBoardHeader extends KanbanHeader {
    static template = "service_repair.DispatchBoardHeader";

    get isQueue() {
        return this.group.groupByField.name === "user_id" && !this.group.value;
    }

    _getEmptyGroupLabel(fieldName) {
        return fieldName === "user_id" ? _t("Unassigned") : super._getEmptyGroupLabel(fieldName);
    }

    get configItems() {
        const items = super.configItems;
        return this.isQueue ? items.filter((item) => item.key !== "toggle_group") : items;
    }

    get dispatchColumn() {
        if (this.group.groupByField.name !== "user_id" || !this.group.value) {
            return null;
        }
        return this.props.list.model.dispatchColumns[this.group.value] || null;
    }

    get loadLabel() {
        const column = this.dispatchColumn;
        return `${column.load} / ${column.capacity || "∞"}`;
    }

    get loadTitle() {
        const column = this.dispatchColumn;
        return column.capacity
            ? _t("Open requests: %(load)s of a capacity of %(capacity)s", {
                  load: column.load,
                  capacity: column.capacity,
              })
            : _t("Open requests: %(load)s, no capacity limit", { load: column.load });
    }

    get loadClass() {
        const { load, capacity } = this.dispatchColumn;
        if (!capacity) {
            return "text-bg-secondary";
        }
        if (load >= capacity) {
            return "text-bg-danger";
        }
        return load >= capacity * 0.8 ? "text-bg-warning" : "text-bg-success";
    }
}

export class DispatchBoardRenderer extends KanbanRenderer {
    static components = { ...KanbanRenderer.components, KanbanHeader: DispatchBoardHeader };

    getGroupClasses(group, isGroupProcessing) {
        const classes = super.getGroupClasses(group, isGroupProcessing);
        const isQueue = group.groupByField.name === "user_id" && !group.value;
        return isQueue ? `${classes} o_service_dispatch_queue` : classes;
    }
}
