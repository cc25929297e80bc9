/** @odoo-module **/
/**
 * A refused move on the planning timeline (an overlap, a technician's right)
 * puts the visit back where the server has it. web_timeline writes the queued
 * moves one by one and, when a write raises, neither answers the timeline's
 * callback nor reloads: the visit stayed where it was dropped until the page
 * was reloaded, as if it had moved. Here each refused or skipped move is
 * cancelled (callback(null)), the data is reloaded, and the error is raised
 * again for its dialog.
 */
import {patch} from "@web/core/utils/patch";
import {TimelineController} from "@web_timeline/views/timeline/timeline_controller.esm";

patch(TimelineController.prototype, {
    async internalMove() {
        const queues = this.moveQueue.slice();
        this.moveQueue = [];
        let failure = null;
        for (const item of queues) {
            if (failure) {
                item.callback(null);
                continue;
            }
            try {
                await this.model.write_completed(item.id, item.data);
                item.callback(item.item);
            } catch (error) {
                failure = error;
                item.callback(null);
            }
        }
        await this.model.load(this.getSearchProps());
        this.render();
        if (failure) {
            throw failure;
        }
    },
});
