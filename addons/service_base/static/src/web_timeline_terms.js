/** @odoo-module **/
// OCA's web_timeline ships no Russian, and the suite's timelines (the visits',
// the manager's schedule) show two of its labels: the row of records without
// a technician and the view's name in the switcher. The web client's
// translations are one table, so the suite's ru.po translates them when they
// are listed here.

import { _t } from "@web/core/l10n/translation";

export const webTimelineTerms = [_t("<b>UNASSIGNED</b>"), _t("Timeline")];
