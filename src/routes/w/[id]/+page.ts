// The board is a live document: render it in the browser only.
export const ssr = false;
