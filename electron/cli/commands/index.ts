// Every `porthole` command, in the order `porthole --help` lists them.
import type { Command } from '../command.ts';
import { armor } from './armor.ts';
import { code } from './code.ts';
import { demo } from './demo.ts';
import { fetchCmd } from './fetch.ts';
import { importCmd } from './import.ts';
import { keygen } from './keygen.ts';
import { lists } from './lists.ts';
import { open } from './open.ts';
import { probe } from './probe.ts';
import { publish } from './publish.ts';
import { root } from './root.ts';
import { sign } from './sign.ts';
import { systemProxy } from './system-proxy.ts';
import { trust } from './trust.ts';
import { up } from './up.ts';
import { verify } from './verify.ts';

export const commands: Command[] = [
  // client side
  up,
  fetchCmd,
  importCmd,
  lists,
  trust,
  probe,
  open,
  systemProxy,
  // publisher side
  keygen,
  root,
  sign,
  verify,
  armor,
  publish,
  code,
  demo,
];
