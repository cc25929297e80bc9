import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { Component, useState } from "@odoo/owl";

/** The check box of a card in the queue: the requests the dispatch button takes. */
export class DispatchSelect extends Component {
    static template = "service_repair.DispatchSelect";
    static props = { ...standardWidgetProps };

    setup() {
        this.selection = this.env.serviceDispatchSelection
            ? useState(this.env.serviceDispatchSelection)
            : null;
    }

    get checked() {
        return Boolean(this.selection?.ids[this.props.record.resId]);
    }

    get label() {
        return _t("Select for the dispatch");
    }

    onChange(ev) {
        const resId = this.props.record.resId;
        if (ev.target.checked) {
            this.selection.ids[resId] = true;
        } else {
            delete this.selection.ids[resId];
        }
    }
}

registry.category("view_widgets").add("service_dispatch_select", { component: DispatchSelect });
