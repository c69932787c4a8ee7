// A UDP echo server on 127.0.0.1: sends every datagram back to its sender, unchanged.
import dgram from 'node:dgram';
import { LOOPBACK } from './free-port.ts';

export interface UdpEcho {
  readonly host: string;
  readonly port: number;
  /** Datagrams received so far, with the sender's address (the relay's, when used through a proxy). */
  readonly received: { from: string; port: number; payload: Buffer }[];
  close(): Promise<void>;
}

export async function startUdpEcho(): Promise<UdpEcho> {
  const socket = dgram.createSocket('udp4');
  const received: UdpEcho['received'] = [];
  socket.on('message', (payload, rinfo) => {
    received.push({ from: rinfo.address, port: rinfo.port, payload });
    socket.send(payload, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, LOOPBACK, () => resolve());
  });
  return {
    host: LOOPBACK,
    port: socket.address().port,
    received,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
