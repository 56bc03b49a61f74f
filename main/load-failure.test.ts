// A window whose page fails to load: retried once, then the user is told why and the app quits,
// instead of running on with no window.
import { describe, expect, it } from 'vitest';
import { decideLoadFailure, type PageLoadFailure } from './load-failure';

const refused: PageLoadFailure = {
  errorCode: -6,
  errorDescription: 'ERR_FILE_NOT_FOUND',
  url: 'file:///opt/Talkoo/resources/app.asar/dist/renderer/index.html',
  isMainFrame: true,
};

describe('a page that fails to load', () => {
  it('is loaded once more, then given up with its reason and address', () => {
    expect(decideLoadFailure(refused, 0)).toEqual({ action: 'retry' });
    expect(decideLoadFailure(refused, 1)).toEqual({
      action: 'give-up',
      reason: 'ERR_FILE_NOT_FOUND (-6)',
      url: refused.url,
    });
  });

  it('is no failure when only a frame inside the page failed, or the load was replaced by another (ERR_ABORTED)', () => {
    expect(decideLoadFailure({ ...refused, isMainFrame: false }, 0)).toEqual({ action: 'ignore' });
    expect(decideLoadFailure({ ...refused, errorCode: -3, errorDescription: 'ERR_ABORTED' }, 1)).toEqual({
      action: 'ignore',
    });
  });

  it('says "unknown error" when Chromium gives no description', () => {
    expect(decideLoadFailure({ ...refused, errorDescription: '' }, 1)).toMatchObject({
      reason: 'unknown error (-6)',
    });
  });
});
