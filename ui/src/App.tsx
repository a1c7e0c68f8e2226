import { useCallback, useEffect, useState } from 'react';
import { appStatus, startDemo, stopDemo, toAppError, type AppError, type AppStatus } from './ipc';
import { dirOf, t, type Lang } from './i18n';
import { useChangeTick } from './changes';
import { CoreError } from './features/inbox/CoreError';
import { DemoBanner } from './features/inbox/DemoBanner';
import { EmptyState } from './features/inbox/EmptyState';
import { InboxShell } from './features/inbox/InboxShell';
import { StatusBar } from './features/inbox/StatusBar';
import { AccountForm } from './features/settings/AccountForm';
import { AccountSettings } from './features/settings/AccountSettings';

type Core = { state: 'loading' } | { state: 'ready'; status: AppStatus } | { state: 'failed'; error: AppError };
type View = 'inbox' | 'connect' | 'settings';

export function App({ lang = 'en' }: { lang?: Lang }) {
  const [core, setCore] = useState<Core>({ state: 'loading' });
  const [view, setView] = useState<View>('inbox');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const tick = useChangeTick();

  const refresh = useCallback(() => {
    return appStatus().then(
      (status) => setCore({ state: 'ready', status }),
      (e: unknown) => setCore({ state: 'failed', error: toAppError(e) }),
    );
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = dirOf(lang);
  }, [lang]);

  const switchDemo = async (on: boolean) => {
    setBusy(true);
    setNotice(on ? t(lang, 'startingDemo') : null);
    try {
      const status = await (on ? startDemo() : stopDemo());
      setCore({ state: 'ready', status });
      setNotice(null);
      setView('inbox');
    } catch (e) {
      setNotice(toAppError(e).message);
    } finally {
      setBusy(false);
    }
  };

  if (core.state === 'loading') {
    return (
      <div className="app" lang={lang} dir={dirOf(lang)}>
        <p id="core-loading" className="opening" role="status">
          {t(lang, 'opening')}
        </p>
      </div>
    );
  }
  if (core.state === 'failed') {
    return (
      <div className="app" lang={lang} dir={dirOf(lang)}>
        <CoreError lang={lang} error={core.error} />
      </div>
    );
  }

  const { status } = core;
  const account = status.account;
  const demo = status.mode === 'demo';
  const done = () => {
    setView('inbox');
    void refresh();
  };

  let main;
  if (view === 'connect') {
    main = <AccountForm lang={lang} editing={null} onDone={done} onCancel={() => setView('inbox')} />;
  } else if (view === 'settings' && account && !demo) {
    main = <AccountSettings lang={lang} account={account} onChanged={done} onClose={() => setView('inbox')} />;
  } else if (!account) {
    main = <EmptyState lang={lang} onConnect={() => setView('connect')} onDemo={() => switchDemo(true)} busy={busy} notice={notice} />;
  } else {
    main = (
      <p className="muted" id="select-conversation">
        {t(lang, 'selectConversation')}
      </p>
    );
  }

  return (
    <div className="app" lang={lang} dir={dirOf(lang)}>
      {demo && <DemoBanner lang={lang} onLeave={() => switchDemo(false)} busy={busy} />}
      <InboxShell lang={lang} status={status} tick={tick} onSettings={account && !demo ? () => setView('settings') : null}>
        {main}
      </InboxShell>
      <StatusBar lang={lang} status={status} tick={tick} />
    </div>
  );
}
