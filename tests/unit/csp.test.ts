import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, policyTag, withContentSecurityPolicy } from '../../src/page/csp.js';

const policy = contentSecurityPolicy('body { color: red; }');

/** The policies a browser reads from the page: <meta http-equiv> tags in its head. */
const policiesInHead = (html: string) =>
  [...new JSDOM(html).window.document.head.querySelectorAll('meta[http-equiv]')]
    .filter((m) => m.getAttribute('http-equiv')?.toLowerCase() === 'content-security-policy')
    .map((m) => m.getAttribute('content'));

describe('withContentSecurityPolicy', () => {
  it.each([
    ['a full head with <meta charset>', '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>T</title></head><body><p>x</p></body></html>'],
    ['a head without <meta charset>', '<!DOCTYPE html><html><HEAD class="h"><title>T</title></HEAD><body>x</body></html>'],
    ['no <head> tag', '<!DOCTYPE html><html lang="en"><title>T</title><body>x</body></html>'],
    ['only a doctype', '<!doctype html><title>T</title><p>x</p>'],
    ['nothing but a body', '<p>x</p>'],
    ['a policy meta in the body only, where browsers ignore it', `<html><head><title>T</title></head><body>${policyTag(policy)}</body></html>`],
  ])('adds the policy to the head of %s', (_, html) => {
    const out = withContentSecurityPolicy(html, policy);
    expect(policiesInHead(out)).toContain(policy);
    // Nothing of the page is lost or moved: taking the tag out gives the page back.
    expect(out.replace(`\n${policyTag(policy)}`, '')).toBe(html);
  });

  it('leaves a page alone whose head has the policy, however its quotes are written', () => {
    for (const tag of [policyTag(policy), `<meta content="${policy}" http-equiv='content-security-policy'>`]) {
      const html = `<!DOCTYPE html><html><head><meta charset="utf-8">${tag}<title>T</title></head><body></body></html>`;
      expect(withContentSecurityPolicy(html, policy)).toBe(html);
    }
  });

  it('adds its own beside a template\'s different policy, which browsers then enforce both of', () => {
    const html = '<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src *"></head><body></body></html>';
    expect(policiesInHead(withContentSecurityPolicy(html, policy))).toEqual([policy, 'default-src *']);
  });

  it('allows an inline style only by its hash, and none without one', () => {
    expect(policy).toMatch(/style-src 'self' 'sha256-[A-Za-z0-9+/]+=*';/);
    expect(contentSecurityPolicy()).toContain("style-src 'self';");
    expect(contentSecurityPolicy()).not.toContain('unsafe');
  });
});
