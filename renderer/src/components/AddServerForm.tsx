// Adding one's own servers: any share link, a whole subscription (links, base64, Clash, sing-box) or an
// Outline key; the outcome names every line that could not be read.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportOutcome } from '../../../shared/api.ts';
import { useApi } from '../context.tsx';
import { MAX_IMPORT_TEXT } from '../../../shared/api.ts';
import { ErrorNote } from './ErrorNote.tsx';
import { ImportProblems, OwnServersAdded } from './ServersImported.tsx';
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
      <p id={hintId} className="hint">{t('formats.addHint')}</p>
      <div className="inline-field">
        <textarea id={id} rows={2} spellCheck={false} autoComplete="off" aria-describedby={hintId} maxLength={MAX_IMPORT_TEXT}
          value={link} onChange={(e) => setLink(e.target.value)} placeholder="vless://… trojan://… ss://… socks5://host:1080" dir="ltr" />
        <button type="submit" className="button" disabled={action.busy || !link.trim()}>{t('servers.add')}</button>
      </div>
      {outcome && (
        <div className={`note ${outcome.kind === 'added' ? (outcome.problems?.length ? 'note-warn' : 'note-ok') : outcome.kind === 'already-added' ? 'note-ok' : 'note-error'}`}
          role={outcome.kind === 'added' || outcome.kind === 'already-added' ? 'status' : 'alert'}>
          {outcome.kind === 'added' ? <OwnServersAdded outcome={outcome} />
            : outcome.kind === 'already-added' ? <p className="note-title">{t('import.alreadyAdded')}</p>
            : <p className="note-title">{t('servers.addInvalid')}</p>}
          {outcome.kind === 'added' && <ImportProblems problems={outcome.problems} />}
          {outcome.kind === 'invalid' && (outcome.problems?.length ? <ImportProblems problems={outcome.problems} /> : <p dir="ltr">{outcome.message}</p>)}
        </div>
      )}
      <ErrorNote error={action.error} />
    </form>
  );
}
