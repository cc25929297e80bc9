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

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.actionService = useService("action");
        this.inputRef = useRef("query");
        const params = (this.props.action && this.props.action.params) || {};
        this.state = useState({
            query: params.query || "",
            equipmentId: params.equipment_id || false,
            repairId: params.repair_id || false,
            partnerId: params.partner_id || false,
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
        onWillStart(async () => {
            const [repair, quotation, rfq] = await Promise.all([
                user.checkAccessRight("repair.order", "write"),
                user.checkAccessRight("sale.order", "create"),
                user.checkAccessRight("purchase.order", "create"),
            ]);
            Object.assign(this.state.can, { repair, quotation, rfq });
            if (this.state.query) {
                await this.search();
            }
        });
        onMounted(() => this.inputRef.el && this.inputRef.el.focus());
    }

    get repairDomain() {
        return [["state", "in", ["draft", "confirmed", "under_repair"]]];
    }

    onInput(ev) {
        this.state.query = ev.target.value;
        this.debouncedSearch();
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
        await this.search();
    }

    onRepairChange(repairId) {
        this.state.repairId = repairId || false;
    }

    onPartnerChange(partnerId) {
        this.state.partnerId = partnerId || false;
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
