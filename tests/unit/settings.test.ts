import { describe, expect, it } from 'vitest';
import { briefSettings, browserEndpoint, DEFAULTS, formatsOf, pageSizeOf, printSettings, siteSettings } from '../../src/core/settings.js';

describe('settings', () => {
  it('takes a brief\'s own value first, then brief.config.yaml\'s, then the default, for each value alone', () => {
    const config = { template: 'situation-update', label: 'Note', lang: 'fr' };
    expect(briefSettings({}, {})).toEqual({ template: DEFAULTS.template, label: DEFAULTS.label, lang: DEFAULTS.lang });
    expect(briefSettings({}, config)).toEqual({ template: 'situation-update', label: 'Note', lang: 'fr' });
    expect(briefSettings({ label: 'Alert' }, config)).toEqual({ template: 'situation-update', label: 'Alert', lang: 'fr' });
    expect(briefSettings({ template: 'flash-brief', lang: 'de' }, { label: 'Note' })).toEqual({ template: 'flash-brief', label: 'Note', lang: 'de' });
  });

  it('makes the site from the configuration alone', () => {
    expect(siteSettings({})).toEqual({ template: 'flash-brief', lang: 'en', title: 'Flash Briefs' });
    expect(siteSettings({ lang: 'ar', template: 'situation-update', site: { title: 'Updates' } })).toEqual({ template: 'situation-update', lang: 'ar', title: 'Updates' });
  });

  it('takes the page size from the flag, then page_size, then Letter', () => {
    expect(pageSizeOf(undefined, {})).toBe('Letter');
    expect(pageSizeOf(undefined, { page_size: 'a4' })).toBe('A4');
    expect(pageSizeOf('Letter', { page_size: 'a4' })).toBe('Letter');
    expect(pageSizeOf('A4', {})).toBe('A4');
  });

  it('prints with the --browser-ws endpoint, then browser_ws, else launches a browser', () => {
    expect(browserEndpoint(undefined, {})).toBeUndefined();
    expect(browserEndpoint(undefined, { browser_ws: 'ws://config:9222/x' })).toBe('ws://config:9222/x');
    expect(browserEndpoint('http://flag:9222', { browser_ws: 'ws://config:9222/x' })).toBe('http://flag:9222');
  });

  it('writes both formats unless told, and prints two pages at once at most unless told, within a minute each', () => {
    expect(formatsOf(undefined)).toEqual(['html', 'pdf']);
    expect(formatsOf(['html'])).toEqual(['html']);
    expect(printSettings({}, 8)).toEqual({ concurrency: 2, timeout: 60_000 });
    expect(printSettings({}, 1)).toEqual({ concurrency: 1, timeout: 60_000 });
    expect(printSettings({ concurrency: 6, timeout: 5_000 }, 1)).toEqual({ concurrency: 6, timeout: 5_000 });
  });
});
