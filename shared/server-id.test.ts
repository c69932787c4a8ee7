// Server ids read back into the parts they were made from; other text is not taken for one.
import { describe, expect, it } from 'vitest';
import { parseServerId, parseUpstreamId, serverIdFor, upstreamIdFor } from './server-id.ts';

describe('server ids', () => {
  it('name a publisher server and a person\'s own server, and read back', () => {
    expect(serverIdFor('s1', 'abcdefghijklmnop')).toBe('s1@abcdefghijklmnop');
    expect(serverIdFor('u-9.x', null)).toBe('u-9.x@user');
    expect(parseServerId(serverIdFor('s1', 'abcdefghijklmnop'))).toEqual({ entryId: 's1', publisher: 'abcdefghijklmnop' });
    expect(parseServerId(serverIdFor('u-9.x', null))).toEqual({ entryId: 'u-9.x', publisher: null });
  });

  it('refuse text that is not a server id', () => {
    for (const bad of ['', 's1', '@user', 's1@', 's1@user:1080']) expect(parseServerId(bad)).toBeNull();
  });

  it('add and read back the port of an upstream', () => {
    const id = serverIdFor('s1', 'abcdefghijklmnop');
    expect(upstreamIdFor(id, 8443)).toBe('s1@abcdefghijklmnop:8443');
    expect(parseUpstreamId(upstreamIdFor(id, 8443))).toEqual({ serverId: id, port: 8443 });
    for (const bad of [id, ':80', 's1:', 's1:http', 's1:123456']) expect(parseUpstreamId(bad)).toBeNull();
  });
});
