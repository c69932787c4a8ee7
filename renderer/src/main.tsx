// Renderer entry: pick the Api (preload or loopback HTTP), load the store, render.
import '../../shared/zod-jitless.ts'; // first: before any schema is built (CSP without eval)
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './App.tsx';
import { selectApi } from './api/select-api.ts';
import { EngineContext } from './context.tsx';
import { createI18n, detectLanguage } from './i18n/index.ts';
import { ApiStore } from './store.ts';
import { viewFromHash } from './views/views.ts';
import './styles.css';

const languages = [...navigator.languages];
const i18n = createI18n(detectLanguage(languages));
const root = createRoot(document.getElementById('root')!);
const api = selectApi(window);

if (!api) {
  root.render(
    <main className="fatal" role="alert">
      <h1>{i18n.t('app.noToken')}</h1>
      <p>{i18n.t('app.noTokenHint')}</p>
    </main>,
  );
} else {
  const store = new ApiStore(api);
  void store.start();
  root.render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <EngineContext.Provider value={{ api, store }}>
          <App initialView={viewFromHash(window.location.hash)} languages={languages} />
        </EngineContext.Provider>
      </I18nextProvider>
    </StrictMode>,
  );
}
