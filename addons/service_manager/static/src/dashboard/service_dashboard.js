import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/**
 * The service manager's morning screen: every figure comes from one aggregate
 * query on the server and opens the records behind it when clicked.
 */
export class ServiceDashboard extends Component {
    static template = "service_manager.ServiceDashboard";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ sections: [], loading: true, periods: [], period: null });
        onWillStart(async () => {
            this.state.periods = await this.orm.call("service.kpi.dashboard", "get_periods", []);
            this.state.period = this.state.periods[0];
            await this.load();
        });
    }

    /** Load the figures of ``period``; it becomes the shown one with them. */
    async load(period = this.state.period) {
        this.state.loading = true;
        const { date_from, date_to } = period;
        const kpis = await this.orm.call("service.kpi.dashboard", "get_kpis", [], {
            date_from,
            date_to,
        });
        const sections = [];
        for (const kpi of kpis) {
            let section = sections.find((s) => s.name === kpi.section);
            if (!section) {
                section = { name: kpi.section, kpis: [] };
                sections.push(section);
            }
            section.kpis.push(kpi);
        }
        // The period's dates change with its figures, never before them: a
        // click between the two would open the previous period's records.
        this.state.period = period;
        this.state.sections = sections;
        this.state.loading = false;
    }

    selectPeriod(ev) {
        return this.load(this.state.periods.find((p) => p.key === ev.target.value));
    }

    get title() {
        return this.props.action.name || _t("Service Dashboard");
    }

    open(kpi) {
        return this.action.doAction(kpi.action);
    }
}

registry.category("actions").add("service_manager.dashboard", ServiceDashboard);
