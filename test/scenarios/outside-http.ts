// The "outside internet" HTTP side of the shutdown scenario, run inside the outside namespace by
// shutdown-harness.ts (`ip netns exec <outside> node outside-http.ts CONFIG_JSON`). Standalone: it
// imports nothing from the project.
//   web listeners:     GET /hello -> the page body; GET .../generate_204 -> 204, /success.txt and
//                      /connecttest.txt -> their known bodies (what probes ask for)
//   mirror listeners:  GET /list.signed -> the bytes of the list file (read per request, so a test may
//                      replace it with a newer version)
// Every request is printed on stdout as one JSON line ({"req":…}); once every listener is bound it
// prints {"listening":[…]}. Anything else is 404.
import { readFile } from 'node:fs/promises';
import http from 'node:http';

interface Listen {
  host: string;
  port: number;
}

interface Config {
  web: Listen[];
  mirrors: Listen[];
  listFile: string;
  helloBody: string;
}

function log(line: object): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function webHandler(config: Config, on: Listen): http.RequestListener {
  return (req, res) => {
    const url = req.url ?? '/';
    log({ req: { role: 'web', on: `${on.host}:${on.port}`, from: req.socket.remoteAddress, method: req.method, url, host: req.headers.host } });
    if (req.method === 'GET' && url === '/hello') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(config.helloBody) });
      res.end(config.helloBody);
    } else if (req.method === 'GET' && /\/(generate|gen)_204$/.test(url)) {
      res.writeHead(204).end();
    } else if (req.method === 'GET' && (url === '/success.txt' || url === '/connecttest.txt')) {
      // The fixed answers of the other default probe URLs (Mozilla's, Microsoft's).
      const body = url === '/success.txt' ? 'success\n' : 'Microsoft Connect Test';
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) }).end(body);
    } else {
      res.writeHead(404, { 'content-length': 0 }).end();
    }
  };
}

function mirrorHandler(config: Config, on: Listen): http.RequestListener {
  return (req, res) => {
    const url = req.url ?? '/';
    log({ req: { role: 'mirror', on: `${on.host}:${on.port}`, from: req.socket.remoteAddress, method: req.method, url, host: req.headers.host } });
    if (req.method === 'GET' && url === '/list.signed') {
      readFile(config.listFile).then(
        (bytes) => {
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
          res.end(bytes);
        },
        () => res.writeHead(500, { 'content-length': 0 }).end(),
      );
    } else {
      res.writeHead(404, { 'content-length': 0 }).end();
    }
  };
}

function listen(handler: http.RequestListener, on: Listen): Promise<http.Server> {
  const server = http.createServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: on.host, port: on.port, exclusive: true }, () => resolve(server));
  });
}

async function main(): Promise<void> {
  const raw = process.argv[2];
  if (!raw) throw new Error('usage: outside-http.ts CONFIG_JSON');
  const config = JSON.parse(raw) as Config;
  const servers: http.Server[] = [];
  for (const on of config.web) servers.push(await listen(webHandler(config, on), on));
  for (const on of config.mirrors) servers.push(await listen(mirrorHandler(config, on), on));
  const stop = (): void => {
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  log({ listening: [...config.web, ...config.mirrors].map((l) => `${l.host}:${l.port}`) });
}

main().catch((err: unknown) => {
  process.stderr.write(`outside-http: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
