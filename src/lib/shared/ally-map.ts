/**
 * The ally map: each participant places allies on an influence × interest grid (1–5 each),
 * privately, through commands; once the facilitator reveals it, the server-owned `allyMap` root
 * holds the group's position (the median on each axis) and spread per ally — never who placed what.
 */
import type * as Y from 'yjs';
import type { VoiceMode } from './consensus';
import type { RatingSummary } from './score-summary';

/** Influence (can it move the decision?) and interest (does it care about our objective?). */
export const MAP_AXES = ['influence', 'interest'] as const;
export type MapAxis = (typeof MAP_AXES)[number];

export interface Placement {
	influence: number;
	interest: number;
}

/** One ally's entry in `allyMap`: the group's placement at the moment of the reveal. */
export interface RevealedPlacement {
	revealedAt: number;
	voice: VoiceMode;
	/** How many voices placed this ally. */
	voices: number;
	influence: RatingSummary;
	interest: RatingSummary;
	/** The axis the group disagrees on most for this ally (null: it agrees). */
	mostDisputed: MapAxis | null;
}

/** `allyMap` root (server-owned): ally id -> revealed placement. */
export function readAllyMap(doc: Y.Doc): Map<string, RevealedPlacement> {
	const positions = new Map<string, RevealedPlacement>();
	for (const [allyId, value] of doc.getMap('allyMap')) {
		if (typeof value !== 'object' || value === null) continue;
		const placement = value as Partial<RevealedPlacement>;
		if (!placement.influence || !placement.interest || typeof placement.voices !== 'number')
			continue;
		positions.set(allyId, placement as RevealedPlacement);
	}
	return positions;
}
