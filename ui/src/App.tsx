import { useEffect, useState } from 'react';
import { appStatus, toAppError, type AppError, type AppStatus } from './ipc';
import { dirOf, t, type Lang } from './i18n';
import { CoreError } from './app/CoreError';
import { StatusBar } from './app/StatusBar';
import { InboxShell } from './features/inbox/InboxShell';

type Core = { state: 'loading' } | { state: 'ready'; status: AppStatus } | { state: 'failed'; error: AppError };

export function App({ lang = 'en' }: { lang?: Lang }) {
  const [core, setCore] = useState<Core>({ state: 'loading' });

  useEffect(() => {
    let live = true;
    appStatus().then(
      (status) => live && setCore({ state: 'ready', status }),
      (e: unknown) => live && setCore({ state: 'failed', error: toAppError(e) }),
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = dirOf(lang);
  }, [lang]);

  return (
    <div className="app" lang={lang} dir={dirOf(lang)}>
      {core.state === 'loading' && (
        <p className="opening" role="status">
          {t(lang, 'opening')}
        </p>
      )}
      {core.state === 'failed' && <CoreError lang={lang} error={core.error} />}
      {core.state === 'ready' && (
        <>
          <InboxShell lang={lang} status={core.status} />
          <StatusBar lang={lang} status={core.status} />
        </>
      )}
    </div>
  );
}
