// The Api's event stream and log: one listener that throws never keeps the event from the others,
// the log keeps the last 500 lines (each cut at 2000 characters) and says each one as an event.
import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../../../shared/api.ts';
import { ApiEvents } from './events.ts';

describe('Api events and log', () => {
  it('a listener that throws does not keep the event from the others; unsubscribed ones hear nothing', () => {
    const events = new ApiEvents();
    const heard: string[] = [];
    events.subscribe(() => {
      throw new Error('broken listener');
    });
    events.subscribe((e) => heard.push(`a:${e.type}`));
    const off = events.subscribe((e) => heard.push(`b:${e.type}`));
    events.log('info', 'one');
    off();
    events.log('warn', 'two');
    expect(heard).toEqual(['a:log', 'b:log', 'a:log']);
  });

  it('keeps the last 500 lines, each at most 2000 characters, oldest first', () => {
    const events = new ApiEvents();
    const said: ApiEvent[] = [];
    events.subscribe((e) => said.push(e));
    for (let i = 0; i < 520; i++) events.log(i % 2 ? 'debug' : 'info', `line ${i}`);
    events.log('error', 'x'.repeat(5000));
    const all = events.recent(1000);
    expect(all).toHaveLength(500);
    expect(all[0]!.message).toBe('line 21');
    expect(all[499]).toMatchObject({ level: 'error', message: 'x'.repeat(2000) });
    expect(events.recent(2).map((e) => e.message)).toEqual(['line 519', 'x'.repeat(2000)]);
    expect(said).toHaveLength(521);
    expect(said[520]).toEqual({ type: 'log', entry: all[499] });
  });
});
