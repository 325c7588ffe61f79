// A live document: rendered in the browser only.
export const ssr = false;
