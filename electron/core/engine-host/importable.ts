// "Could this text be something to import?" answered without the engine (the engine may run in
// another process, and the clipboard check on focus must be synchronous and cheap). The same
// test ApiService.isImportable makes: a code (even a damaged one) or an armored block.
import { MAX_IMPORT_TEXT } from '../../../shared/api.ts';
import { extractArmored } from '../../../shared/armor.ts';
import { findCode } from '../../../shared/code-format.ts';

export function looksImportable(text: string): boolean {
  if (text.length === 0 || text.length > MAX_IMPORT_TEXT) return false;
  try {
    if (findCode(text)) return true;
  } catch {
    return true; // a damaged code is still worth offering: the import outcome says it is damaged
  }
  return extractArmored(text).length > 0;
}
