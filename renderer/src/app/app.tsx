/** Top-level routing by URL hash: `#/` lists workshops, `#/w/ROOM` opens one. */
import { useEffect, useState } from 'react';
import { Home } from './home';
import { WorkshopScreen } from './workshop-screen';

function currentRoom(): string | null {
  const match = /^#\/w\/([^/?#]+)/.exec(window.location.hash);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

export function App() {
  const [room, setRoom] = useState(currentRoom);
  useEffect(() => {
    const onHash = (): void => setRoom(currentRoom());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return room ? <WorkshopScreen key={room} room={room} /> : <Home />;
}
