// Puppeteer's install step downloads its own Chrome. That download is not possible
// on every machine (closed networks, CI mirrors), and we find a browser ourselves at
// run time (src/browser.ts): an explicit setting, Puppeteer's own browser if one was
// installed with `npx puppeteer browsers install chrome`, or a system Chrome/Chromium.
module.exports = { skipDownload: true };
