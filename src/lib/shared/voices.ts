/**
 * Whose private inputs count in Option 1's scores and on the ally map: one voice per participant,
 * or one per organisation (its delegate). The facilitator chooses (`scores:mode`); the server keeps
 * the choice in the server-owned `facilitation` root, where every screen can show it.
 */
import type * as Y from 'yjs';
import type { VoiceMode } from './consensus';

export const VOICE_MODES = ['participant', 'organisation'] as const satisfies readonly VoiceMode[];

/** The `facilitation` key holding the scoring voice mode. */
export const SCORING_VOICE_KEY = 'scoringVoice';

export function isVoiceMode(value: unknown): value is VoiceMode {
	return typeof value === 'string' && (VOICE_MODES as readonly string[]).includes(value);
}

/** The workshop's scoring voice mode (one voice per participant until the facilitator says otherwise). */
export function readScoringVoice(doc: Y.Doc): VoiceMode {
	const value = doc.getMap('facilitation').get(SCORING_VOICE_KEY);
	return isVoiceMode(value) ? value : 'participant';
}

/** A member as the facilitators' progress lists show them. */
export interface VoiceMember {
	userId: string;
	name: string;
	organisation: string | null;
}

/** Facilitators only: who has scored what so far (counts, never the scores). */
export interface ScoringProgress {
	voice: VoiceMode;
	/** The members whose scores count under `voice`. */
	voices: VoiceMember[];
	/** Every member a facilitator may enter scores for (participants without a phone included). */
	members: VoiceMember[];
	/** Candidate id -> user id -> how many of the five criteria they scored. */
	scored: Record<string, Record<string, number>>;
}

/** Facilitators only: how many allies each member has placed on the map so far. */
export interface MapProgress {
	voice: VoiceMode;
	voices: VoiceMember[];
	members: VoiceMember[];
	/** User id -> allies placed (of those still on the board). */
	placed: Record<string, number>;
	allies: number;
}
