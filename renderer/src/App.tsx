// The window: header, current screen, import requests from the shell (links, files, clipboard).
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useEngine, useSnapshot } from './context.tsx';
import { ClipboardOffer } from './components/ClipboardOffer.tsx';
import { Header } from './components/Header.tsx';
import { resolveLanguage } from './i18n/index.ts';
import { Home } from './views/Home.tsx';
import { Paste } from './views/Paste.tsx';
import type { PasteRequest } from './views/Paste.tsx';
import { Servers } from './views/Servers.tsx';
import { Settings } from './views/Settings.tsx';
import { Sources } from './views/Sources.tsx';
import { viewFromHash } from './views/views.ts';
import type { View } from './views/views.ts';

const NO_LANGUAGES: readonly string[] = [];

export function App({ initialView = 'home', languages = NO_LANGUAGES }: { initialView?: View; languages?: readonly string[] }) {
  const { t, i18n } = useTranslation();
  const { store } = useEngine();
  const snap = useSnapshot();
  const [view, setView] = useState<View>(initialView);
  const [paste, setPaste] = useState<PasteRequest | null>(null);
  const mainRef = useRef<HTMLElement>(null);
  const request = snap.importRequest;
  const setting = snap.settings?.language;

  useEffect(() => {
    const lang = resolveLanguage(setting, languages);
    if (i18n.language !== lang) void i18n.changeLanguage(lang);
    document.documentElement.lang = lang;
    document.documentElement.dir = i18n.dir(lang);
  }, [setting, languages, i18n]);

  useEffect(() => {
    document.title = `Porthole — ${t(`nav.${view}`)}`;
  }, [view, t, i18n.language]);

  useEffect(() => {
    const onHash = () => setView(viewFromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const navigate = (v: View) => {
    setView(v);
    if (window.location.hash !== `#/${v}`) window.history.replaceState(null, '', `#/${v}`);
    mainRef.current?.focus();
  };

  useEffect(() => {
    if (!request || request.origin === 'clipboard') return;
    store.clearImportRequest();
    setPaste({ text: request.text, seq: request.seq });
    setView('paste');
  }, [request, store]);

  if (snap.loadError) {
    return <main className="fatal" role="alert"><h1>{t('app.loadError')}</h1><p lang="en">{snap.loadError}</p></main>;
  }
  if (!snap.loaded) return <main className="loading" aria-busy="true"><p role="status">{t('app.loading')}</p></main>;

  return (
    <>
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); mainRef.current?.focus(); }}>{t('app.skip')}</a>
      <Header view={view} state={snap.state} onNavigate={navigate} />
      {request?.origin === 'clipboard' && (
        <ClipboardOffer
          onAccept={() => { store.clearImportRequest(); setPaste({ text: request.text, seq: request.seq }); navigate('paste'); }}
          onDismiss={() => store.clearImportRequest()} />
      )}
      <main id="main" ref={mainRef} tabIndex={-1} className={`view view-${view}`}>
        {view === 'home' && <Home onNavigate={navigate} />}
        {view === 'paste' && <Paste onNavigate={navigate} request={paste} />}
        {view === 'servers' && <Servers />}
        {view === 'sources' && <Sources />}
        {view === 'settings' && <Settings />}
      </main>
    </>
  );
}
