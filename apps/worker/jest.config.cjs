const preset = require('../../jest.preset.cjs');
module.exports = { ...preset, displayName: 'worker', rootDir: __dirname, roots: ['<rootDir>/src'] };
