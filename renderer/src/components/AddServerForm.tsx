// Adding one's own server by link: socks5://, ss://, http://.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportOutcome } from '../../../shared/api.ts';
import { useApi } from '../context.tsx';
import { ErrorNote } from './ErrorNote.tsx';
import { useAction } from './use-action.ts';

export function AddServerForm() {
  const { t } = useTranslation();
  const api = useApi();
  const id = useId();
  const hintId = useId();
  const [link, setLink] = useState('');
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const action = useAction();

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setOutcome(null);
    const result = await action.run(() => api.addServerByLink({ link: link.trim() }));
    if (result) {
      setOutcome(result);
      if (result.kind === 'added') setLink('');
    }
  };

  return (
    <form className="add-server" onSubmit={(e) => void onSubmit(e)}>
      <label htmlFor={id} className="field-label">{t('servers.addLabel')}</label>
      <p id={hintId} className="hint">{t('servers.addHint')}</p>
      <div className="inline-field">
        <input id={id} type="text" inputMode="url" spellCheck={false} autoComplete="off" aria-describedby={hintId}
          value={link} onChange={(e) => setLink(e.target.value)} placeholder="socks5://host:1080" dir="ltr" />
        <button type="submit" className="button" disabled={action.busy || !link.trim()}>{t('servers.add')}</button>
      </div>
      {outcome && (
        <p className={`note ${outcome.kind === 'added' ? 'note-ok' : 'note-error'}`} role={outcome.kind === 'added' ? 'status' : 'alert'}>
          {outcome.kind === 'added' ? t('servers.addedOne')
            : outcome.kind === 'already-added' ? t('import.alreadyAdded')
            : t('servers.addInvalid')}
        </p>
      )}
      <ErrorNote error={action.error} />
    </form>
  );
}
