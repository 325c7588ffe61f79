/**
 * What the room's projector shows, chosen by a facilitator (`facilitation:screen`, written by the
 * server into `facilitation.screen`): the group's step, the join screen (code, address, QR) or the
 * charter. Bringing everyone to a step puts the projector back on the board; locking the charter
 * puts the charter up.
 */
import type * as Y from 'yjs';

export const PROJECTOR_SCREENS = ['board', 'join', 'charter'] as const;
export type ProjectorScreen = (typeof PROJECTOR_SCREENS)[number];

export function isProjectorScreen(value: unknown): value is ProjectorScreen {
	return PROJECTOR_SCREENS.includes(value as ProjectorScreen);
}

/** The chosen screen; the board when none was chosen. */
export function readProjectorScreen(doc: Y.Doc): ProjectorScreen {
	const value = doc.getMap('facilitation').get('screen');
	return isProjectorScreen(value) ? value : 'board';
}
