import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { TimelineController } from "@web_timeline/views/timeline/timeline_controller.esm";
import { TimelineRenderer } from "@web_timeline/views/timeline/timeline_renderer.esm";
import { TimelineView } from "@web_timeline/views/timeline/timeline_view.esm";
import {
    confirmOverCapacity,
    OVER_CAPACITY_ERROR,
} from "@service_repair/dispatch_board/dispatch_board_model";

/**
 * The technicians' schedule (js_class="service_schedule_timeline"): a visit
 * dragged to a technician past their capacity asks the dispatcher, as the
 * dispatch board does, and is assigned anyway when they confirm; refused or
 * cancelled, it goes back where it was.
 */
export class ScheduleTimelineController extends TimelineController {
    async internalMove() {
        const queue = this.moveQueue.slice();
        this.moveQueue = [];
        try {
            for (const item of queue) {
                await this.writeMove(item);
            }
        } finally {
            await this.model.load(this.getSearchProps());
            this.render();
        }
    }

    async writeMove({ id, data, item, callback }) {
        try {
            await this.model.write_completed(id, data);
        } catch (error) {
            const overCapacity = error.exceptionName === OVER_CAPACITY_ERROR;
            if (!overCapacity || !(await confirmOverCapacity(this.dialogService, error.data.message))) {
                callback(null);
                if (overCapacity) {
                    return;
                }
                throw error;
            }
            await this.model.orm.write(this.props.resModel, [id], data, {
                context: { ...this.props.context, service_over_capacity: true },
            });
        }
        callback(item);
    }
}

/** The row of the visits without a technician, named as on the dispatch board
 * (web_timeline ships no Russian). */
export class ScheduleTimelineRenderer extends TimelineRenderer {
    async split_groups(records) {
        const groups = await super.split_groups(records);
        const unassigned = groups.find((group) => group.id === -1);
        if (unassigned) {
            unassigned.content = _t("Unassigned");
        }
        return groups;
    }
}

export const scheduleTimelineView = {
    ...TimelineView,
    Controller: ScheduleTimelineController,
    Renderer: ScheduleTimelineRenderer,
};

registry.category("views").add("service_schedule_timeline", scheduleTimelineView);
