/** Before any end-to-end test: a Chromium must exist (the run fails, never skips, without one). */
import { chromiumPath } from './chromium';

export default function setup(): void {
  chromiumPath();
}
