// Where the builder lives, apart from the builder itself: the threads and machines that will rebuild
// a system load this small module early and the builder beside their own start-up. Plain JavaScript
// (its types are in the .d.ts beside it): the search thread reads it before it can load TypeScript.
/** The module that rebuilds a model from its source in another thread or on another machine. */
export const REBUILD_MODULE = new URL('./rebuild.ts', import.meta.url).href;
