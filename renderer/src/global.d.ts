// What the preload exposes to the page (absent in the headless web mode).
import type { Api } from '../../shared/api.ts';

declare global {
  interface Window {
    porthole?: Api;
  }
}
export {};
