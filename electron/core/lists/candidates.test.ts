// The first step of the walk: what a channel fetched becomes candidate blobs. A pasted or forwarded
// message gives its armored LIST blocks (re-wrapped, quoted, in HTML), a raw list comes back whole,
// duplicates count once, and the detail says why nothing came out (moved here from the channels'
// paste and drop helpers, which only tests used).
import { describe, expect, it } from 'vitest';
import { armor } from '../../../shared/armor.ts';
import { fakeSignedList } from '../../../test/fixtures/channels/lists.ts';
import { candidatesDetail, candidatesFromBytes, candidatesFromText, dedupe } from './candidates.ts';

const list = fakeSignedList(3_000, 'a');
const list2 = fakeSignedList(2_000, 'b');
const list3 = fakeSignedList(1_000, 'c');
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('candidates from a pasted text or a dropped file', () => {
  it('finds the blocks of a pasted message, even re-wrapped and quoted', () => {
    const block = armor('LIST', list);
    const pasted = `> Forwarded from Porthole\n${block.split('\n').map((l) => `> ${l}`).join('\n')}\n> ${armor('LIST', list3)}`;
    const found = candidatesFromText(pasted);
    expect(found.blobs).toEqual([list, list3]);
    expect(candidatesDetail(found)).toBeUndefined();
  });

  it('says when nothing was found, and counts damaged blocks', () => {
    const none = candidatesFromText('hello');
    expect(none).toEqual({ blobs: [], damaged: 0 });
    expect(candidatesDetail(none)).toBe('no signed list or armored block found');
    const damaged = candidatesFromText('-----BEGIN PORTHOLE LIST-----\n%%%%\n-----END PORTHOLE LIST-----');
    expect(damaged).toEqual({ blobs: [], damaged: 1 });
    expect(candidatesDetail(damaged)).toBe('1 damaged armored block');
    expect(candidatesDetail({ blobs: [list], damaged: 2 })).toBe('2 damaged armored blocks');
  });

  it('takes a raw list as it is, byte for byte, and an armored file by its blocks', () => {
    expect(candidatesFromBytes(list).blobs).toEqual([list]);
    expect(candidatesFromBytes(list).blobs[0]).toBe(list);
    expect(candidatesFromBytes(encode(Buffer.from(list).toString('utf8'))).blobs).toEqual([list]);
    expect(candidatesFromBytes(encode(armor('LIST', list2))).blobs).toEqual([list2]);
  });

  it('keeps one of each, in the order first seen', () => {
    expect(dedupe([list2, list, list2, list3, list])).toEqual([list2, list, list3]);
    expect(candidatesFromText(`${armor('LIST', list)}\n${armor('LIST', list)}`).blobs).toEqual([list]);
  });
});
