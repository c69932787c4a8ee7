// An action's failure, announced to screen readers.
import { useTranslation } from 'react-i18next';

export function ErrorNote({ error }: { error: string | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p className="note note-error" role="alert">
      {t('common.failed', { message: error })}
    </p>
  );
}
