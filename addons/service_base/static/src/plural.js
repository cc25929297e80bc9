/** @odoo-module **/
// A number with its noun in the plural form of the user's language: the JS
// twin of service_base/tools/plural.py, with the same translatable strings
// ("day|days" in English, "день|дня|дней|дня" in Russian: the forms in the
// order of the language's CLDR plural categories, "other" last).

import { formatFloat } from "@web/core/utils/numbers";
import { user } from "@web/core/user";

const CLDR_ORDER = ["zero", "one", "two", "few", "many", "other"];

function locale() {
    return (user.lang || "en_US").replace("_", "-");
}

/** The form of `forms` that `number` takes in the user's language. */
export function pluralForm(number, forms) {
    const choices = String(forms).split("|").map((form) => form.trim());
    let rules;
    try {
        rules = new Intl.PluralRules(locale());
    } catch {
        rules = new Intl.PluralRules("en-US");
    }
    const known = rules.resolvedOptions().pluralCategories;
    const categories = CLDR_ORDER.filter((tag) => known.includes(tag) || tag === "other");
    const index = categories.indexOf(rules.select(Math.abs(number)));
    return choices[Math.min(index < 0 ? categories.length - 1 : index, choices.length - 1)];
}

/** `number` in the user's format followed by its noun: «14 дней». */
export function countText(number, forms, digits = 0) {
    let value = Number(number) || 0;
    value = Number(value.toFixed(digits));
    const shown = formatFloat(value, { digits: [false, Number.isInteger(value) ? 0 : digits] });
    return `${shown}\u00a0${pluralForm(value, forms)}`;
}
