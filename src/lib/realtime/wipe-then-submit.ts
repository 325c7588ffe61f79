/**
 * For the sign-out and "Ce n'est pas moi" forms: wipes every copy of a board on this device, then
 * submits the form as the browser would have (a full page POST). Never holds the form back more than
 * 2 s. Apart from wipe.ts, which every page's header would otherwise carry in its first load.
 */
export function wipeThenSubmit(event: SubmitEvent): void {
	const form = event.currentTarget as HTMLFormElement;
	event.preventDefault();
	const timeout = new Promise((resolve) => setTimeout(resolve, 2_000));
	const wipe = import('./wipe').then(({ wipeAllLocalCopies }) => wipeAllLocalCopies());
	Promise.race([wipe, timeout])
		.catch(() => {})
		.finally(() => form.submit());
}
