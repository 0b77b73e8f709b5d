const preset = require('../../jest.preset.cjs');
// Pure logic only (formatting, polling rules); the page itself is tested in a real browser in tests/src/web.
module.exports = { ...preset, displayName: 'web', rootDir: __dirname, roots: ['<rootDir>/src'] };
