// The live explorer's server: the page, and one JSON endpoint that answers for a path. It listens on
// the loopback address only, on a port the system picks unless one is asked for.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UiBundle } from './bundle.ts';
import type { ExploreSystem } from './engine-adapter.ts';
import { explorerPage } from './page.ts';
import { answer, parsePath, PathError } from './walk.ts';

export interface Running {
  url: string;
  server: Server;
}

export function serveExplorer(sys: ExploreSystem, ui: UiBundle, port = 0): Promise<Running> {
  const page = explorerPage({ mode: 'explore', api: '/api', title: sys.title }, ui);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET') return send(405, 'text/plain', 'only GET\n');
    if (url.pathname === '/') return send(200, 'text/html; charset=utf-8', page);
    if (url.pathname === '/api/path') {
      try {
        const path = parsePath(url.searchParams.get('p'));
        const at = Number(url.searchParams.get('at') ?? path.steps.length);
        return send(200, 'application/json', JSON.stringify(answer(sys, path, Number.isInteger(at) ? at : path.steps.length)));
      } catch (e) {
        if (!(e instanceof PathError)) return send(500, 'application/json', JSON.stringify({ error: `internal error: ${(e as Error).message}` }));
        return send(400, 'application/json', JSON.stringify({ error: e.message }));
      }
    }
    return send(404, 'text/plain', 'not found\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${bound}/`, server });
    });
  });
}
