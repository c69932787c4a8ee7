// nginx as a "CDN" front: terminates TLS with the front name's certificate (the SNI a censor allows)
// and passes WebSocket upgrades on given paths to backends (v2ray's plain WebSocket inbounds), only
// when the Host header names the real site; anything else gets 404, like a CDN with an unknown host.
import fs from 'node:fs';
import path from 'node:path';
import { BINARIES } from './binaries.ts';
import { writeCertificate } from './certs.ts';
import type { NamedCertificate } from './certs.ts';
import { freePort, LOOPBACK } from './free-port.ts';
import { makePeerDir, startPeer } from './process.ts';
import type { Peer } from './process.ts';

export interface NginxFrontOptions {
  /** Certificate of the front name(s). */
  certificate: NamedCertificate;
  /** The Host header the backend routes need. */
  realHost: string;
  /** WebSocket path → backend port on 127.0.0.1. */
  routes: Readonly<Record<string, number>>;
  /** Listen address (default 127.0.0.1; a namespace scenario passes its own). */
  listen?: string;
  port?: number;
}

export interface NginxPeer extends Peer {
  readonly realHost: string;
}

export function nginxConfig(dir: string, options: NginxFrontOptions, port: number): string {
  const { keyFile, certFile } = writeCertificate(dir, options.certificate);
  const locations = Object.entries(options.routes).map(([route, backend]) => `
    location = ${route} {
      if ($host != "${options.realHost}") { return 404; }
      proxy_pass http://127.0.0.1:${backend};
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection "upgrade";
      proxy_set_header Host $host;
      proxy_buffering off;
      proxy_read_timeout 300s;
    }`).join('\n');
  return `daemon off;
master_process on;
worker_processes 1;
user root;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen ${options.listen ?? LOOPBACK}:${port} ssl default_server;
    ssl_certificate ${certFile};
    ssl_certificate_key ${keyFile};
    ssl_protocols TLSv1.2 TLSv1.3;
    location / { return 404; }
${locations}
  }
}
`;
}

export async function startNginxFront(options: NginxFrontOptions): Promise<NginxPeer> {
  const dir = makePeerDir('nginx');
  const port = options.port ?? await freePort();
  const file = path.join(dir, 'nginx.conf');
  fs.writeFileSync(file, nginxConfig(dir, options, port), { mode: 0o644 });
  const peer = await startPeer({ name: 'nginx', binary: BINARIES.nginx, args: ['-p', dir, '-c', file, '-e', path.join(dir, 'error.log')], port, dir, privateEtc: false });
  return { ...peer, realHost: options.realHost };
}
