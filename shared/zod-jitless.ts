// Zod without its eval probe. Under the renderer's CSP (no 'unsafe-eval') zod's one-time
// `new Function("")` check is refused and reported as a CSP violation; jitless skips it. Zod
// makes the check while building object schemas, so this must be the FIRST import of every entry
// that runs under the CSP (renderer/src/main.tsx, electron/preload/preload.ts).
import { z } from 'zod';

z.config({ jitless: true });
