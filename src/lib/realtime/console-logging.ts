/**
 * What Yjs uses of `lib0/logging`, for the browser build (vite.config.ts points `lib0/logging` here).
 * lib0's own browser logger can render logs into a DOM console, and pulls in `lib0/dom` and
 * `lib0/schema` for it (about 3 KiB gzipped on every first load); Yjs only ever prints a warning.
 */
export const BOLD = Symbol('bold');
export const UNBOLD = Symbol('unbold');
export const RED = Symbol('red');
export const ORANGE = Symbol('orange');

const withoutStyles = (args: unknown[]) => args.filter((arg) => typeof arg !== 'symbol');

export function print(...args: unknown[]): void {
	console.log(...withoutStyles(args));
}

export function warn(...args: unknown[]): void {
	console.warn(...withoutStyles(args));
}
