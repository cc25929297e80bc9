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
        this.state = useState({
            sections: [],
            loading: true,
            periods: [],
            period: null,
            trends: {},
        });
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
        // The trends cost a query set per past period: they follow the figures.
        const trends = await this.orm.call("service.kpi.dashboard", "get_trends", [], {
            date_from,
            date_to,
        });
        if (this.state.period === period) {
            this.state.trends = trends;
        }
    }

    /** The trend of ``kpi`` as an SVG polyline in a 100 × 30 box (null when
     * fewer than two of its periods have a value). */
    trendPoints(kpi) {
        const points = (this.state.trends[kpi.key] || [])
            .map((point, index) => [index, point.value])
            .filter(([, value]) => value !== false && value !== null);
        const count = (this.state.trends[kpi.key] || []).length;
        if (points.length < 2) {
            return null;
        }
        const values = points.map(([, value]) => value);
        const low = Math.min(...values, kpi.target === false ? Infinity : kpi.target);
        const high = Math.max(...values, kpi.target === false ? -Infinity : kpi.target);
        const span = high - low || 1;
        return points
            .map(([index, value]) => {
                const x = (100 * index) / Math.max(count - 1, 1);
                const y = 28 - (26 * (value - low)) / span;
                return `${x.toFixed(1)},${y.toFixed(1)}`;
            })
            .join(" ");
    }

    trendTitle(kpi) {
        return (this.state.trends[kpi.key] || [])
            .map((point) => `${point.label}: ${point.display}`)
            .join("\n");
    }

    /** The forecast card's bars in a 100 × 40 box, with the capacity line. */
    chartBars(kpi) {
        const chart = kpi.chart;
        const high = Math.max(chart.capacity, ...chart.bars.map((bar) => bar.value), 1);
        const width = 100 / chart.bars.length;
        return {
            bars: chart.bars.map((bar, index) => ({
                ...bar,
                x: index * width + width * 0.1,
                width: width * 0.8,
                height: (38 * bar.value) / high,
                y: 40 - (38 * bar.value) / high,
            })),
            capacityY: 40 - (38 * chart.capacity) / high,
        };
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
