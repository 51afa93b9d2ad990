import { describe, expect, it } from 'vitest';
import { briefSettings, DEFAULTS, pageSizeOf, siteSettings } from '../../src/core/settings.js';

describe('settings', () => {
  it('takes a brief\'s own value first, then brief.config.yaml\'s, then the default, for each value alone', () => {
    const config = { template: 'situation-update', label: 'Note', lang: 'fr' };
    expect(briefSettings({}, {})).toEqual({ template: DEFAULTS.template, label: DEFAULTS.label, lang: DEFAULTS.lang });
    expect(briefSettings({}, config)).toEqual({ template: 'situation-update', label: 'Note', lang: 'fr' });
    expect(briefSettings({ label: 'Alert' }, config)).toEqual({ template: 'situation-update', label: 'Alert', lang: 'fr' });
    expect(briefSettings({ template: 'flash-brief', lang: 'de' }, { label: 'Note' })).toEqual({ template: 'flash-brief', label: 'Note', lang: 'de' });
  });

  it('makes the site from the configuration alone', () => {
    expect(siteSettings({})).toEqual({ template: 'flash-brief', lang: 'en' });
    expect(siteSettings({ lang: 'ar', template: 'situation-update' })).toEqual({ template: 'situation-update', lang: 'ar' });
  });

  it('takes the page size from the flag, then page_size, then Letter', () => {
    expect(pageSizeOf(undefined, {})).toBe('Letter');
    expect(pageSizeOf(undefined, { page_size: 'a4' })).toBe('A4');
    expect(pageSizeOf('Letter', { page_size: 'a4' })).toBe('Letter');
    expect(pageSizeOf('A4', {})).toBe('A4');
  });
});
