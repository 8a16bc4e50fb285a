/** The module that rebuilds a model from its source in another thread or on another machine. */
export const REBUILD_MODULE: string;
