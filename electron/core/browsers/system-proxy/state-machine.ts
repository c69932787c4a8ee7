// The journal's state machine. "idle" = no journal on disk.
//
//   idle ──journal-intent──▶ intent ──applied──▶ applied
//                              │                    │
//                              └──begin-restore──▶ restoring ◀──begin-restore── (repair/off)
//                                                   │
//                                                restored ──▶ idle
//
// The intent (target + previous settings) is on disk before any setting changes, so a crash at any
// point leaves a journal that says what to put back; restoring only touches settings that still point
// at Porthole, so it is safe to repeat and never undoes what the user changed meanwhile.
import { PortholeError } from '../../../../shared/errors.ts';

export const PHASES = ['idle', 'intent', 'applied', 'restoring'] as const;
export type Phase = (typeof PHASES)[number];
export type PhaseEvent = 'journal-intent' | 'applied' | 'begin-restore' | 'restored';

const TRANSITIONS: Record<Phase, Partial<Record<PhaseEvent, Phase>>> = {
  idle: { 'journal-intent': 'intent' },
  intent: { applied: 'applied', 'begin-restore': 'restoring' },
  applied: { 'begin-restore': 'restoring' },
  restoring: { 'begin-restore': 'restoring', restored: 'idle' },
};

export function transition(phase: Phase, event: PhaseEvent): Phase {
  const next = TRANSITIONS[phase][event];
  if (!next) throw new PortholeError('internal', `system proxy: "${event}" is not allowed in phase "${phase}"`);
  return next;
}
