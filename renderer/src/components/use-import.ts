// The import flow shared by the Paste screen and links: import, ask for trust when needed, import
// again after trusting, and connect once something was added.
import { useCallback, useState } from 'react';
import type { ImportOutcome } from '../../../shared/api.ts';
import { useApi, useSnapshot } from '../context.tsx';
import { useAction } from './use-action.ts';

export function useImport() {
  const api = useApi();
  const { state } = useSnapshot();
  const action = useAction();
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const [lastText, setLastText] = useState('');
  const phase = state?.phase;

  const afterOutcome = useCallback(async (result: ImportOutcome) => {
    setOutcome(result);
    if (result.kind === 'added' && (phase === 'idle' || phase === 'offline')) await api.connect();
  }, [api, phase]);

  const submit = useCallback(async (text: string) => {
    const trimmed = text.trim();
    if (!trimmed) return;
    setLastText(trimmed);
    setOutcome(null);
    await action.run(async () => afterOutcome(await api.importText({ text: trimmed })));
  }, [action, afterOutcome, api]);

  const trustAndImport = useCallback(async (fingerprint: string) => {
    await action.run(async () => {
      await api.trustPublisher({ fingerprint });
      await afterOutcome(await api.importText({ text: lastText }));
    });
  }, [action, afterOutcome, api, lastText]);

  const reset = useCallback(() => setOutcome(null), []);

  return { outcome, busy: action.busy, error: action.error, submit, trustAndImport, reset };
}
