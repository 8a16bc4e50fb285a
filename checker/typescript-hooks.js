// Lets this thread import TypeScript (the checker's own modules and the user's specs) through tsx.
// Loader hooks are per thread in Node 20, so the command line, its search thread and each worker
// thread call this first. The hooks registered are typescript-cache.js, which serves modules tsx
// has made before and loads tsx's own hooks only for the rest; they are registered directly: tsx's
// `register()` would also load its programmatic API and esbuild into this thread, which only the
// hooks thread uses (a twentieth of a second of each thread's start-up). Should the registration
// throw (a tsx release that changed what its hooks are handed), `register()` is used instead.
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

/** `hooks`: the module registered directly (a test names one that does not load, to try the fallback). */
export async function registerTypeScript(hooks = './typescript-cache.js') {
  // Spec errors are reported with the line of the spec's TypeScript source.
  process.setSourceMapsEnabled(true);
  const { port1, port2 } = new MessageChannel();
  port1.unref();
  try {
    register(hooks, { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });
  } catch {
    port1.close();
    (await import('tsx/esm/api')).register();
  }
}
