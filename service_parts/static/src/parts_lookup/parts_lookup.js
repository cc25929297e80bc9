import { Component, onWillStart, useRef, useState, onMounted } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { RecordSelector } from "@web/core/record_selectors/record_selector";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { formatFloat } from "@web/core/utils/numbers";
import { useDebounced } from "@web/core/utils/timing";
import { Layout } from "@web/search/layout";
import { countText } from "@service_base/plural";

/**
 * The parts lookup: type any number (OEM, supplier, analog, barcode, old
 * superseded number) or words of the name; results come back while typing,
 * with availability per warehouse, substitutes and the best supplier offer,
 * and one click adds the part to a repair order, a quotation or an RFQ.
 */
export class PartsLookup extends Component {
    static template = "service_parts.PartsLookup";
    static components = { Layout, RecordSelector };
    static props = ["*"];
    // The breadcrumb's name when the action comes back from the URL alone.
    static displayName = _t("Parts Lookup");

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.actionService = useService("action");
        this.ui = useState(useService("ui"));
        this.inputRef = useRef("query");
        // Opened from a repair, the action brings the repair, its unit and
        // customer in its params; a reload brings them back from the URL,
        // where updateActionState keeps them (the router gives the query
        // string as the client action's params).
        const action = this.props.action || {};
        const given = { ...(action.context || {}), ...(action.params || {}) };
        const id = (value) => (Number.isInteger(value) && value > 0 ? value : false);
        this.display = { controlPanel: {} };
        this.state = useState({
            query: typeof given.query === "string" ? given.query : "",
            equipmentId: id(given.equipment_id),
            repairId: id(given.repair_id),
            partnerId: id(given.partner_id),
            onlyCompatible: Boolean(given.only_compatible),
            quantity: 1,
            results: [],
            loading: false,
            searched: false,
            error: "",
            // What the user may add the part to (the buttons of the others are hidden).
            can: { repair: false, quotation: false, rfq: false },
        });
        this.searchSeq = 0;
        this.debouncedSearch = useDebounced(() => this.search(), 150);
        this.keepInUrl();
        onWillStart(async () => {
            const [repair, quotation, rfq] = await Promise.all([
                user.checkAccessRight("repair.order", "write"),
                user.checkAccessRight("sale.order", "create"),
                user.checkAccessRight("purchase.order", "create"),
            ]);
            Object.assign(this.state.can, { repair, quotation, rfq });
            if (this.state.repairId && !(this.props.action && this.props.action.name)) {
                // Back from the URL, the action has lost its name: the
                // breadcrumb says again which repair the parts are for.
                const [found] = await this.orm
                    .read("repair.order", [this.state.repairId], ["display_name"])
                    .catch(() => []);
                if (found && this.env.config && this.env.config.setDisplayName) {
                    this.env.config.setDisplayName(
                        _t("Parts for %(repair)s", { repair: found.display_name })
                    );
                }
            }
            if (this.state.query) {
                await this.search();
            }
        });
        onMounted(() => this.inputRef.el && this.inputRef.el.focus());
    }

    get repairDomain() {
        return [["state", "in", ["draft", "confirmed", "under_repair"]]];
    }

    /** What a reload must restore, in the URL (the router leaves undefined out). */
    keepInUrl() {
        if (!this.props.updateActionState) {
            return;
        }
        this.props.updateActionState({
            repair_id: this.state.repairId || undefined,
            equipment_id: this.state.equipmentId || undefined,
            partner_id: this.state.partnerId || undefined,
            only_compatible: (this.state.equipmentId && this.state.onlyCompatible && 1) || undefined,
        });
    }

    onInput(ev) {
        this.state.query = ev.target.value;
        this.debouncedSearch();
    }

    async onOnlyCompatibleChange(ev) {
        this.state.onlyCompatible = ev.target.checked;
        this.keepInUrl();
        await this.search();
    }

    onQuantityInput(ev) {
        const quantity = parseFloat(ev.target.value);
        this.state.quantity = quantity > 0 ? quantity : 1;
    }

    async onEquipmentChange(equipmentId) {
        this.state.equipmentId = equipmentId || false;
        if (equipmentId) {
            const [unit] = await this.orm.read("service.equipment", [equipmentId], ["partner_id"]);
            if (unit && unit.partner_id && !this.state.partnerId) {
                this.state.partnerId = unit.partner_id[0];
            }
        }
        this.keepInUrl();
        await this.search();
    }

    onRepairChange(repairId) {
        this.state.repairId = repairId || false;
        this.keepInUrl();
    }

    onPartnerChange(partnerId) {
        this.state.partnerId = partnerId || false;
        this.keepInUrl();
    }

    async search() {
        const seq = ++this.searchSeq;
        const query = this.state.query.trim();
        if (!query) {
            this.state.results = [];
            this.state.searched = false;
            return;
        }
        this.state.loading = true;
        try {
            const results = await this.orm.call("product.product", "service_parts_lookup", [query], {
                equipment_id: this.state.equipmentId || false,
                only_compatible: Boolean(this.state.equipmentId && this.state.onlyCompatible),
                limit: 20,
                quantity: this.state.quantity,
            });
            if (seq === this.searchSeq) {
                this.state.results = results;
                this.state.error = "";
                this.state.searched = true;
            }
        } catch (error) {
            if (seq === this.searchSeq) {
                this.state.results = [];
                this.state.error = (error.data && error.data.message) || error.message || String(error);
            }
        } finally {
            if (seq === this.searchSeq) {
                this.state.loading = false;
            }
        }
    }

    howLabel(how) {
        return (
            {
                exact: _t("exact"),
                prefix: _t("prefix"),
                fragment: _t("fragment"),
                name: _t("by name"),
                supersession: _t("superseded"),
            }[how] || how
        );
    }

    leadTimeLabel(days) {
        // The noun agrees with the number: 1 день, 2 дня, 14 дней.
        const forms = _t("day|days");
        return _t("lead time: %(days)s", { days: countText(days, forms) });
    }

    formatQty(value) {
        // in the user's language: 0,5 in Russian
        return Number.isInteger(value) ? String(value) : formatFloat(value, { digits: [false, 2] });
    }

    formatPrice(value) {
        return formatFloat(value, { digits: [false, 2] });
    }

    warehouseTitle(availability) {
        return availability.warehouses
            .map((wh) =>
                _t("%(warehouse)s: on hand %(on_hand)s, free %(free)s, incoming %(incoming)s", {
                    warehouse: wh.warehouse,
                    on_hand: this.formatQty(wh.on_hand),
                    free: this.formatQty(wh.free),
                    incoming: this.formatQty(wh.incoming),
                })
            )
            .join("\n");
    }

    quantityFor(result) {
        return (result.compatibility && result.compatibility.quantity) || this.state.quantity;
    }

    async addToRepair(result) {
        if (!this.state.repairId) {
            this.notification.add(_t("Choose the repair order first."), { type: "warning" });
            return;
        }
        const done = await this.orm.call(
            "product.product",
            "service_parts_add_to_repair",
            [[result.product_id], this.state.repairId],
            { quantity: this.quantityFor(result) }
        );
        this.notify(result, done);
    }

    async addToQuotation(result) {
        const done = await this.orm.call(
            "product.product",
            "service_parts_add_to_quotation",
            [[result.product_id]],
            { partner_id: this.state.partnerId || false, quantity: this.quantityFor(result) }
        );
        this.notify(result, done);
    }

    async addToRfq(result) {
        const done = await this.orm.call(
            "product.product",
            "service_parts_add_to_rfq",
            [[result.product_id]],
            { quantity: this.quantityFor(result) }
        );
        this.notify(result, done);
    }

    notify(result, done) {
        this.notification.add(
            _t("%(part)s added to %(document)s", { part: result.display_name, document: done.name }),
            {
                type: "success",
                buttons: [
                    {
                        name: _t("Open"),
                        onClick: () =>
                            this.actionService.doAction({
                                type: "ir.actions.act_window",
                                res_model: done.model,
                                res_id: done.id,
                                views: [[false, "form"]],
                            }),
                    },
                ],
            }
        );
    }
}

registry.category("actions").add("service_parts_lookup", PartsLookup);
