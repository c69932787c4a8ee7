// React access to the Api and the store.
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Api } from '../../shared/api.ts';
import type { ApiStore, Snapshot } from './store.ts';

export interface Engine {
  api: Api;
  store: ApiStore;
}

export const EngineContext = createContext<Engine | null>(null);

export function useEngine(): Engine {
  const engine = useContext(EngineContext);
  if (!engine) throw new Error('EngineContext missing');
  return engine;
}

export function useApi(): Api {
  return useEngine().api;
}

export function useSnapshot(): Snapshot {
  const { store } = useEngine();
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
