/** Top-level routing by URL hash (see routes.ts). */
import { useEffect, useState } from 'react';
import { Announcer } from '../controls/announcer';
import { OverlayLanguage, UiLanguage } from '../controls/ui-language';
import { WorkshopFileFlow } from '../files/file-flow';
import { browserLanguage } from '../i18n';
import { startDesktopCommands } from '../desktop-events';
import { placeKey } from '../platform';
import { readRoute, type Route } from '../routes';
import { AboutDialog } from './about-dialog';
import { BenchScreen } from './bench-screen';
import { WheelBenchScreen } from '../plan/wheel-bench';
import { Home } from './home';
import { WorkshopScreen } from './workshop-screen';

export function App() {
  const [route, setRoute] = useState<Route>(readRoute);
  useEffect(() => {
    const onHash = (): void => setRoute(readRoute());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  // The desktop menu's New, Close, Undo and Redo, and the question before leaving unsaved text.
  useEffect(startDesktopCommands, []);
  if (route.kind === 'bench') return <BenchScreen notes={route.notes} />;
  if (route.kind === 'bench-wheel') return <WheelBenchScreen actions={route.actions} />;
  return (
    <>
      {route.kind === 'workshop' ? (
        <WorkshopScreen key={placeKey(route.place)} place={route.place} />
      ) : (
        <UiLanguage fallback={browserLanguage()}>
          <Home />
        </UiLanguage>
      )}
      <OverlayLanguage>
        <WorkshopFileFlow />
      </OverlayLanguage>
      <AboutDialog />
      <Announcer />
    </>
  );
}
