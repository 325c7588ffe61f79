/** Translated labels for the ally schema's values and fields (message keys live in the schema). */
import { m } from '$lib/paraglide/messages';
import {
	ALLY_TEXT_FIELDS,
	type AllyTextField,
	type AllyType,
	type Convergence
} from '$lib/shared/schema';

export const typeLabels: Record<AllyType, () => string> = {
	individual: m.ally_type_individual,
	group: m.ally_type_group,
	organisation: m.ally_type_organisation,
	association: m.ally_type_association,
	institution: m.ally_type_institution
};

export const convergenceLabels: Record<Convergence, () => string> = {
	yes: m.ally_convergence_yes,
	partly: m.ally_convergence_partly,
	no: m.ally_convergence_no,
	unknown: m.ally_convergence_unknown
};

export function fieldLabel(field: AllyTextField): string {
	return m[ALLY_TEXT_FIELDS[field].label]();
}
