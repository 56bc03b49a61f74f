// render-5k: a needs board of 5,000 notes in real Chromium at 1280×720 (see lib/render.mjs).
// Target: at least 45 presented frames per second while panning (the load time is reported too;
// the issue sets its target at 1,000 notes). For scale: Excalidraw 0.18 presents 31 fps and
// tldraw 5.4 presents 10 fps at 5,000 notes on these machines.
import { renderBenchmark } from '../lib/render.mjs';

export const summary = '5,000-note board in Chromium: time to on screen, presented fps while panning';

export function run() {
  return renderBenchmark(5000, { loadTarget: null, fpsTarget: 45 });
}
