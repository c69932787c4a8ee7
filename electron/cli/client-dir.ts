// Opens the client data folder named by --data-dir / PORTHOLE_DATA_DIR.
import { openClient, type ClientStores } from '../core/catalog/open.ts';
import { resolveDataDir } from '../core/paths.ts';
import { str, type CommandContext, type OptionValues } from './command.ts';

export async function openClientFor(values: OptionValues, ctx: CommandContext): Promise<ClientStores> {
  const stores = await openClient(resolveDataDir(str(values, 'data-dir'), ctx.env));
  for (const w of stores.warnings) ctx.stderr.write(`porthole: warning: ${w}\n`);
  return stores;
}
