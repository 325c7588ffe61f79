/**
 * A Svelte action: focuses the element once it is on the page. For the one field a page is for
 * (the join form's name after "Continuer", a code refused): focus does not drop to the body.
 */
export function focusOnMount(element: HTMLElement, enabled = true): void {
	if (enabled) element.focus();
}
