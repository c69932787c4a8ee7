import { PortholeError } from '../../../shared/errors.ts';
import { armor as armorText } from '../../../shared/armor.ts';
import { type Command } from '../command.ts';
import { readInputFile } from '../io.ts';

export const armor: Command = {
  name: 'armor',
  summary: 'print the armored text block of a signed list or publisher file',
  help: `Usage: porthole armor FILE

Prints a BEGIN/END PORTHOLE block that survives being pasted into a Telegram post, an
email, a forum or a web page. FILE is a signed list (.signed) or a publisher.pub.`,
  options: {},
  positionals: true,
  async run(_values, positionals, ctx) {
    const file = positionals[0];
    if (!file || positionals.length > 1) throw new PortholeError('usage', 'armor takes exactly one FILE');
    const bytes = await readInputFile(file, ctx);
    const head = bytes.subarray(0, 200).toString('utf8');
    const kind = /"format"\s*:\s*"porthole-list\/1"/.test(head) ? 'LIST' : /"format"\s*:\s*"porthole-publisher\/1"/.test(head) ? 'KEY' : null;
    if (!kind) throw new PortholeError('other', `${file} is not a signed list or publisher file`);
    ctx.stdout.write(armorText(kind, bytes));
  },
};
