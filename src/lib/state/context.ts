import { getContext, setContext } from 'svelte';
import type { BoardState } from './board.svelte';
import type { CommandsState } from './commands.svelte';

const BOARD = Symbol('board');
const COMMANDS = Symbol('commands');
const VIEWER = Symbol('viewer');

/** The signed-in member looking at the board (the server re-checks everything they send). */
export interface Viewer {
	userId: string;
	name: string;
	role: 'facilitator' | 'participant' | 'observer';
	organisation: string | null;
}

export function setBoard(board: BoardState): BoardState {
	return setContext(BOARD, board);
}

export function getBoard(): BoardState {
	return getContext<BoardState>(BOARD);
}

export function setCommands(commands: CommandsState): CommandsState {
	return setContext(COMMANDS, commands);
}

/** The page's command channel (Socket.IO): server-authoritative actions with acknowledgements. */
export function getCommands(): CommandsState {
	return getContext<CommandsState>(COMMANDS);
}

export function setViewer(viewer: Viewer): Viewer {
	return setContext(VIEWER, viewer);
}

export function getViewer(): Viewer {
	return getContext<Viewer>(VIEWER);
}
