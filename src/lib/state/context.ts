import { getContext, setContext } from 'svelte';
import type { BoardState } from './board.svelte';

const BOARD = Symbol('board');

export function setBoard(board: BoardState): BoardState {
	return setContext(BOARD, board);
}

export function getBoard(): BoardState {
	return getContext<BoardState>(BOARD);
}
