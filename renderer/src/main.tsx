/** Entry of the React UI: mounts the app into #root. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { adoptRoomOnlyStorage } from './legacy-storage';
import { startPlatform } from './platform';
import './styles.css';

const root = document.getElementById('root');
// In the desktop app, first learn where this laptop's server is (one IPC call); in a browser
// this resolves at once. Then what an earlier Talkoo kept by room alone finds its server.
void startPlatform()
  .then(adoptRoomOnlyStorage)
  .then(() => {
    if (!root) return;
    createRoot(root).render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
  });
