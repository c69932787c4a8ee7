// Big buttons that open Firefox, Chrome or Telegram already set up to go through Porthole.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BROWSERS } from '../../../shared/api.ts';
import type { Browser, State } from '../../../shared/api.ts';
import { useApi } from '../context.tsx';
import { useAction } from './use-action.ts';
import { ErrorNote } from './ErrorNote.tsx';

export function OpenApps({ state }: { state: State }) {
  const { t } = useTranslation();
  const api = useApi();
  const action = useAction();
  const [problem, setProblem] = useState<string | null>(null);
  const connected = state.phase === 'connected';
  const available = BROWSERS.filter((b) => state.browsers[b]);

  const open = async (browser: Browser) => {
    setProblem(null);
    const result = await action.run(() => api.openBrowser({ browser }));
    if (result && !result.ok) setProblem(t(`apps.problem.${result.reason}`, { app: t(`apps.name.${browser}`) }));
  };

  return (
    <section className="open-apps" aria-labelledby="open-apps-title">
      <h2 id="open-apps-title">{t('apps.title')}</h2>
      {!connected && <p className="hint">{t('apps.waitHint')}</p>}
      {available.length === 0 ? (
        <p className="hint">{t('apps.noneFound')}</p>
      ) : (
        <div className="app-buttons">
          {available.map((b) => (
            <button key={b} type="button" className={`app-button app-${b}`} disabled={!connected || action.busy}
              onClick={() => void open(b)}>
              {t(`apps.open.${b}`)}
            </button>
          ))}
        </div>
      )}
      {problem && <p className="note note-warn" role="alert">{problem}</p>}
      <ErrorNote error={action.error} />
    </section>
  );
}
