/**
 * Binds an <input> or <textarea> to a Y.Text: each input event becomes the minimal diff (never
 * delete-all-then-insert), and a remote change keeps the local caret where the person left it.
 */
import type { Action } from 'svelte/action';
import * as Y from 'yjs';
import { applyTextDiff } from '$lib/shared/schema';
import { mapCaret, type TextDelta } from '$lib/shared/text-caret';

export interface YTextParams {
	text: Y.Text;
	/** The local user's transaction origin (what their undo manager tracks). */
	origin: unknown;
}

type Field = HTMLInputElement | HTMLTextAreaElement;

export const ytext: Action<Field, YTextParams> = (node, initial) => {
	let params = initial;

	const onInput = (event: Event) => {
		// Mid-composition (IME) values are provisional: the final input event carries the result.
		if ((event as InputEvent).isComposing) return;
		applyTextDiff(params.text, node.value, params.origin);
	};
	const onCompositionEnd = () => applyTextDiff(params.text, node.value, params.origin);

	const onChange = (event: Y.YTextEvent) => {
		const next = params.text.toString();
		if (node.value === next) return;
		const focused = document.activeElement === node;
		const start = node.selectionStart ?? 0;
		const end = node.selectionEnd ?? 0;
		const direction = node.selectionDirection ?? 'none';
		node.value = next;
		if (!focused) return;
		const delta = event.delta as TextDelta;
		node.setSelectionRange(mapCaret(start, delta), mapCaret(end, delta), direction);
	};

	function bind(text: Y.Text) {
		text.observe(onChange);
		node.value = text.toString();
	}

	node.addEventListener('input', onInput);
	node.addEventListener('compositionend', onCompositionEnd);
	bind(params.text);

	return {
		update(next) {
			if (next.text === params.text) {
				params = next;
				return;
			}
			// The ally was restored (undo): a new Y.Text for the same field.
			params.text.unobserve(onChange);
			params = next;
			bind(params.text);
		},
		destroy() {
			params.text.unobserve(onChange);
			node.removeEventListener('input', onInput);
			node.removeEventListener('compositionend', onCompositionEnd);
		}
	};
};
