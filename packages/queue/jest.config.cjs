const preset = require('../../jest.preset.cjs');
module.exports = { ...preset, displayName: 'queue', rootDir: __dirname, roots: ['<rootDir>/src'] };
