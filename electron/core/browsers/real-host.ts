// The HostEnv of the machine Porthole runs on.
import type { HostEnv } from './host-env.ts';
import { hostPlatform, realFs } from './host-env.ts';
import { createNodeRunner } from './node-runner.ts';

export function realHost(env: NodeJS.ProcessEnv = process.env): HostEnv {
  return { platform: hostPlatform(), env, fs: realFs, runner: createNodeRunner({ env }) };
}
