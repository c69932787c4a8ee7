// Settings: language (applied at once), then ports, LAN sharing, system proxy, start at login,
// test URL (saved together, validated with the shared schema first).
import { useEffect, useId, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSettingSchema, SettingsSchema } from '../../../shared/api.ts';
import type { LanguageSetting, Settings as SettingsData } from '../../../shared/api.ts';
import { useApi, useEngine, useSnapshot } from '../context.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { useAction } from '../components/use-action.ts';

const LANGUAGE_NAMES: Record<LanguageSetting, string> = { auto: '', kk: 'Қазақша', ru: 'Русский', en: 'English' };

function Field({ label, hint, children, id }: { label: string; hint?: string; children: ReactNode; id: string }) {
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">{label}</label>
      {hint && <p className="hint" id={`${id}-hint`}>{hint}</p>}
      {children}
    </div>
  );
}

function Check({ label, hint, checked, onChange }: { label: string; hint: string; checked: boolean; onChange: (v: boolean) => void }) {
  const id = useId();
  return (
    <div className="field field-check">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={`${id}-hint`} />
      <label htmlFor={id}>{label}</label>
      <p className="hint" id={`${id}-hint`}>{hint}</p>
    </div>
  );
}

export function Settings() {
  const { t } = useTranslation();
  const api = useApi();
  const { store } = useEngine();
  const { settings, state } = useSnapshot();
  const action = useAction();
  const ids = { lang: useId(), port: useId(), user: useId(), pass: useId(), url: useId() };
  const [draft, setDraft] = useState<SettingsData | null>(settings);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => setDraft((d) => d ?? settings), [settings]);
  if (!settings || !draft) return null;

  const change = (patch: Partial<SettingsData>) => {
    setDraft({ ...draft, ...patch });
    setSaved(false);
  };
  const setLanguage = (value: string) => {
    const language = LanguageSettingSchema.parse(value);
    change({ language });
    void action.run(async () => store.putSettings(await api.setSettings({ language })));
  };
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = SettingsSchema.safeParse(draft);
    if (!checked.success) {
      const field = String(checked.error.issues[0]?.path[0] ?? '');
      setProblem(t(`settings.invalid.${field}`, { defaultValue: t('settings.invalid.other') }));
      return;
    }
    setProblem(null);
    const result = await action.run(() => api.setSettings(checked.data));
    if (result) {
      store.putSettings(result);
      setSaved(true);
    }
  };
  const port = (v: string) => (v === '' ? 0 : Number.parseInt(v, 10) || 0);

  return (
    <div className="settings">
      <h1>{t('settings.title')}</h1>
      <Field id={ids.lang} label={t('settings.language')}>
        <select id={ids.lang} value={draft.language} onChange={(e) => setLanguage(e.target.value)}>
          {LanguageSettingSchema.options.map((l) => (
            <option key={l} value={l} lang={l === 'auto' ? undefined : l}>{l === 'auto' ? t('settings.languageAuto') : LANGUAGE_NAMES[l]}</option>
          ))}
        </select>
      </Field>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <fieldset>
          <legend>{t('settings.bridge')}</legend>
          <Field id={ids.port} label={t('settings.port')} hint={t('settings.portHint')}>
            <input id={ids.port} type="number" min={1024} max={65535} value={draft.port || ''} dir="ltr"
              aria-describedby={`${ids.port}-hint`} onChange={(e) => change({ port: port(e.target.value) })} />
          </Field>
          {state?.bridge && (
            <p className={state.portConflict ? 'note note-warn' : 'hint'} role="status">
              {state.portConflict ? t('resilience.portConflict', state.portConflict) : t('resilience.listening', { port: state.bridge.socks.port })}
            </p>
          )}
          <Check label={t('settings.systemProxy')} hint={t('settings.systemProxyHint')} checked={draft.systemProxy}
            onChange={(systemProxy) => change({ systemProxy })} />
        </fieldset>
        <fieldset>
          <legend>{t('settings.lan')}</legend>
          <Check label={t('settings.lanSharing')} hint={t('settings.lanSharingHint')} checked={draft.lanSharing}
            onChange={(lanSharing) => change({ lanSharing })} />
          {draft.lanSharing && (
            <>
              <Field id={ids.user} label={t('settings.lanUsername')}>
                <input id={ids.user} type="text" autoComplete="off" value={draft.lanUsername} dir="ltr"
                  onChange={(e) => change({ lanUsername: e.target.value })} />
              </Field>
              <Field id={ids.pass} label={t('settings.lanPassword')} hint={t('settings.lanPasswordHint')}>
                <input id={ids.pass} type="text" autoComplete="off" value={draft.lanPassword} dir="ltr"
                  aria-describedby={`${ids.pass}-hint`} onChange={(e) => change({ lanPassword: e.target.value })} />
              </Field>
            </>
          )}
        </fieldset>
        <fieldset>
          <legend>{t('settings.general')}</legend>
          <Check label={t('settings.startAtLogin')} hint={t('settings.startAtLoginHint')} checked={draft.startAtLogin}
            onChange={(startAtLogin) => change({ startAtLogin })} />
          <Field id={ids.url} label={t('settings.testUrl')} hint={t('settings.testUrlHint')}>
            <input id={ids.url} type="url" value={draft.testUrl} dir="ltr" aria-describedby={`${ids.url}-hint`}
              onChange={(e) => change({ testUrl: e.target.value })} />
          </Field>
        </fieldset>
        {problem && <p className="note note-error" role="alert">{problem}</p>}
        <ErrorNote error={action.error} />
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={action.busy}>{t('settings.save')}</button>
          <span role="status">{saved ? t('settings.saved') : ''}</span>
        </div>
      </form>
    </div>
  );
}
