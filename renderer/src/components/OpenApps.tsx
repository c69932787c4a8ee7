// Big buttons that open Firefox, Chrome or Telegram already set up to go through Porthole, and what
// happened: started, or why not in plain words, with the proxy address to set by hand instead.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BROWSERS } from '../../../shared/api.ts';
import type { Browser, OpenBrowserResult, State } from '../../../shared/api.ts';
import { useApi } from '../context.tsx';
import { address } from '../format.ts';
import { useAction } from './use-action.ts';
import { CopyAddress } from './CopyAddress.tsx';
import { ErrorNote } from './ErrorNote.tsx';

export function OpenApps({ state }: { state: State }) {
  const { t } = useTranslation();
  const api = useApi();
  const action = useAction();
  const [last, setLast] = useState<{ app: Browser; result: OpenBrowserResult } | null>(null);
  const connected = state.phase === 'connected';
  const available = BROWSERS.filter((b) => state.browsers[b]);

  const open = async (app: Browser) => {
    setLast(null);
    const result = await action.run(() => api.openBrowser({ browser: app }));
    if (result) setLast({ app, result });
  };

  const name = last ? t(`apps.name.${last.app}`) : '';
  const said = !last ? null
    : last.result.ok ? t('resilience.appStarted', { app: name })
    : last.result.reason === 'not-installed' ? t('apps.problem.not-installed', { app: name })
    : last.result.reason === 'not-connected' ? t('apps.problem.not-connected', { app: name })
    : t('resilience.failedToStart', { app: name, message: last.result.message });
  const proxy = state.bridge ? address(state.bridge.socks) : null;

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
      {last && said && (
        <div className={`note ${last.result.ok ? 'note-ok' : 'note-warn'}`} role={last.result.ok ? 'status' : 'alert'}>
          <p>{said}</p>
          {!last.result.ok && proxy && (
            <>
              <p>{t('resilience.byHand', { app: name })}</p>
              <CopyAddress address={proxy} />
            </>
          )}
        </div>
      )}
      <ErrorNote error={action.error} />
    </section>
  );
}
