// The app's screens, in navigation order.
export const VIEWS = ['home', 'paste', 'servers', 'sources', 'settings'] as const;
export type View = (typeof VIEWS)[number];

export function viewFromHash(hash: string): View {
  const name = hash.replace(/^#\/?/, '');
  return (VIEWS as readonly string[]).includes(name) ? (name as View) : 'home';
}
