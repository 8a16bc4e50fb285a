// `npm run build:ui` (and `prepare`, so `npm ci` builds it): bundle the explorer page.
import { buildUi, UI_OUT } from './bundle.ts';

await buildUi();
process.stdout.write(`explorer page bundled into ${UI_OUT}\n`);
