// The one-button screen: status in plain words, connect/disconnect, open a browser, and what to
// try when nothing works.
import { useTranslation } from 'react-i18next';
import type { Address } from '../../../shared/api.ts';
import { useApi, useSnapshot } from '../context.tsx';
import { address } from '../format.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { OpenApps } from '../components/OpenApps.tsx';
import { FreshStart } from '../components/FreshStart.tsx';
import { useNow } from '../components/use-now.ts';
import { useAction } from '../components/use-action.ts';
import type { View } from './views.ts';
import { detail, headline } from './status-text.ts';

export function Home({ onNavigate }: { onNavigate: (view: View) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const { state, servers, loaded } = useSnapshot();
  const action = useAction();
  const retryAt = state?.retryAt ? Date.parse(state.retryAt) : null;
  const now = useNow(retryAt !== null);
  if (!state) return null;

  const { phase, progress } = state;
  // A fresh install: nothing to connect to yet, so the main action is pasting a code.
  const fresh = loaded && servers.length === 0 && (phase === 'idle' || phase === 'offline');
  const seconds = retryAt === null ? null : Math.max(0, Math.ceil((retryAt - now) / 1000));
  const busy = phase === 'searching' || phase === 'connected';
  const onMain = () => void action.run(() => (busy ? api.disconnect() : api.connect()));
  // The bridge usually serves SOCKS5 and HTTP on one port: then say it once.
  const addresses = (a: { socks: Address; http: Address }, separate: string, mixed: string) => {
    const socks = address(a.socks);
    const http = address(a.http);
    return socks === http ? t(mixed, { address: socks }) : t(separate, { socks, http });
  };
  const buttonLabel = { idle: t('home.connect'), searching: t('home.stop'), connected: t('home.disconnect'), offline: t('home.tryAgain') }[phase];

  return (
    <div className="home">
      <h1 className="visually-hidden">{t('nav.home')}</h1>
      <section className="status-card" data-phase={phase} aria-labelledby="status-headline">
        <span className="status-dot" aria-hidden="true" />
        <div role="status" aria-live="polite" aria-atomic="true">
          <p id="status-headline" className="status-headline">{fresh ? t('resilience.freshHeadline') : headline(state, t)}</p>
          {phase !== 'searching' && <p className="status-detail">{fresh ? t('resilience.freshDetail') : detail(state, t)}</p>}
          {!fresh && phase === 'offline' && (
            <p className="status-detail">
              {t('resilience.searchingOn')}{seconds !== null && seconds > 0 ? ` ${t('resilience.nextTry', { seconds })}` : ''}
            </p>
          )}
        </div>
        {phase === 'searching' && (
          <div className="status-progress">
            <p className="status-detail">{detail(state, t)}</p>
            {progress.total > 0 && (
              <progress max={progress.total} value={progress.tested} aria-label={t('home.progressLabel')} />
            )}
          </div>
        )}
        {fresh ? (
          <FreshStart onPaste={() => onNavigate('paste')} onHome={() => onNavigate('home')} />
        ) : (
          <button type="button" className={`big-button big-${phase}`} onClick={onMain} disabled={action.busy}>
            {buttonLabel}
          </button>
        )}
        <ErrorNote error={action.error} />
        {phase === 'idle' && !fresh && (
          <p className="status-code-hint">
            {t('home.haveCode')}{' '}
            <button type="button" className="link-button" onClick={() => onNavigate('paste')}>{t('help.pasteCode')}</button>
          </p>
        )}
      </section>

      {!fresh && <OpenApps state={state} />}

      {phase === 'offline' && !fresh && (
        <section className="help" aria-labelledby="help-title">
          <h2 id="help-title">{t('help.title')}</h2>
          <ol className="help-steps">
            <li>
              {t('help.askCode')}{' '}
              <button type="button" className="link-button" onClick={() => onNavigate('paste')}>{t('help.pasteCode')}</button>
            </li>
            <li>{t('help.checkInternet')}</li>
            <li>{t('help.switchNetwork')}</li>
            <li>{t('help.waitAndRetry')}</li>
            <li>{t('help.file')}</li>
          </ol>
        </section>
      )}

      {state.bridge && (
        <section className="bridge-info" aria-labelledby="bridge-title">
          <h2 id="bridge-title">{t('home.otherApps')}</h2>
          <p dir="ltr">{addresses(state.bridge, 'home.bridgeAddresses', 'home.bridgeMixed')}</p>
          {state.portConflict && <p className="note note-warn">{t('resilience.portConflict', state.portConflict)}</p>}
          {state.lan && <p>{addresses(state.lan, 'home.lanAddresses', 'home.lanMixed')}</p>}
        </section>
      )}
    </div>
  );
}
