/** @odoo-module **/
// Odoo's "In %s days" / "%s days ago" has one Russian form («Через 3 дней»):
// the count is worded here with the language's plural forms («через 3 дня»,
// «5 дней назад»); English reads as before («In 3 days»).

import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { RemainingDaysField } from "@web/views/fields/remaining_days/remaining_days_field";
import { pluralForm } from "@service_base/plural";

patch(RemainingDaysField.prototype, {
    get diffString() {
        const days = this.diffDays;
        if (days === null || Math.abs(days) <= 1 || Math.abs(days) > 99) {
            return super.diffString;
        }
        const forms = _t("day|days");
        const count = `${Math.abs(days)} ${pluralForm(Math.abs(days), forms)}`;
        return days < 0
            ? _t("%(days)s ago", { days: count })
            : _t("In %(days)s", { days: count });
    },
});
