/** Translated labels for the ally schema's values and fields (message keys live in the schema). */
import { m } from '$lib/paraglide/messages';
import { type AllyTextField, type AllyType, type Convergence } from '$lib/shared/schema';

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

// Spelled out rather than `m[key]`: a dynamic lookup bundles every message of the app.
const fieldLabels: Record<AllyTextField, () => string> = {
	name: m.ally_field_name,
	functioning: m.ally_field_functioning,
	orientation: m.ally_field_orientation,
	headquarters: m.ally_field_headquarters,
	activities: m.ally_field_activities,
	experience: m.ally_field_experience,
	credibility: m.ally_field_credibility,
	notes: m.ally_field_notes
};

export function fieldLabel(field: AllyTextField): string {
	return fieldLabels[field]();
}
