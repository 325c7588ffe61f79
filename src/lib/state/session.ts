/**
 * One board session: what a page needs to show a workshop's live board (the shared document and
 * its connection, the command channel, the server-owned parts, the path), put in context for the
 * components below it and torn down with the page.
 *
 * The board (components/Board.svelte) and the projector page both open a workshop this way, from
 * this one function: they used to each build it, and two copies of the same setup drift apart
 * (an order of creation, a forgotten `destroy`, a context a component needs missing on one of
 * them). What differs between them is said here, through `projector`, and nowhere else.
 */
import { onDestroy } from 'svelte';
import { BoardState } from './board.svelte';
import { CommandsState } from './commands.svelte';
import { PathState } from './path.svelte';
import { WorkshopState } from './workshop.svelte';
import { setBoard, setCommands, setViewer, type Viewer } from './context';

export interface BoardSession {
	board: BoardState;
	commands: CommandsState;
	/** The server-owned parts of the board (archived, countdown, charter, projector screen…). */
	workshop: WorkshopState;
	path: PathState;
}

/**
 * Call it while the page's component initialises (it sets context and registers `onDestroy`),
 * once per mounted workshop: key the component on the workshop id.
 */
export function createBoardSession(options: {
	workshopId: string;
	/** This person, with the colour presence shows them in (the server writes the same). */
	member: Viewer & { colour: string };
	/** The page's URL, read when the path is (the step a person chose lives in `?step=`). */
	url: () => URL;
	/**
	 * The room's shared screen rather than a person's board: it stays out of the presence list,
	 * connects its command channel at once (the board waits until it is usable, so a phone's
	 * first load does not carry socket.io-client) and follows where a facilitator is working.
	 */
	projector?: boolean;
}): BoardSession {
	const { workshopId, member, url, projector = false } = options;
	setViewer({ ...member });
	const board = setBoard(new BoardState(workshopId, location.origin, { ...member }));
	if (projector) board.markAsProjector();
	const commands = setCommands(
		new CommandsState(workshopId, location.origin, projector ? {} : { after: board.usable })
	);
	const workshop = new WorkshopState(board.doc, commands);
	const path = new PathState(board, url, { followFacilitator: projector });
	onDestroy(() => {
		workshop.destroy();
		board.destroy();
		commands.destroy();
	});
	return { board, commands, workshop, path };
}
