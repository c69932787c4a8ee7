// Renders the app or one view against a FakeApi, in a chosen language, for component tests.
import { act, cleanup, render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { Language } from '../../shared/api.ts';
import { EngineContext } from '../../renderer/src/context.tsx';
import { createI18n } from '../../renderer/src/i18n/index.ts';
import { ApiStore } from '../../renderer/src/store.ts';
import { FakeApi } from './fake-api.ts';
import type { FakeApiOptions } from './fake-api.ts';

export interface Rendered {
  api: FakeApi;
  store: ApiStore;
  unmount(): void;
}

export async function renderWithApi(ui: ReactElement, options: { api?: FakeApi; lang?: Language; fake?: FakeApiOptions } = {}): Promise<Rendered> {
  const api = options.api ?? new FakeApi(options.fake);
  const store = new ApiStore(api);
  await store.start();
  const i18n = createI18n(options.lang ?? 'en');
  let unmount = () => {};
  await act(async () => {
    const r = render(
      <I18nextProvider i18n={i18n}>
        <EngineContext.Provider value={{ api, store }}>{ui}</EngineContext.Provider>
      </I18nextProvider>,
    );
    unmount = r.unmount;
  });
  return { api, store, unmount };
}

/** Lets pending promises and zero-delay timers (the fake's probe rounds) run inside act(). */
export async function flush(api?: FakeApi): Promise<void> {
  await act(async () => {
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 0));
      if (api) await api.settled();
    }
  });
}

export { cleanup };
