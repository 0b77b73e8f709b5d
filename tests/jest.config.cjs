const preset = require('../jest.preset.cjs');
module.exports = {
  ...preset,
  displayName: 'integration',
  rootDir: __dirname,
  roots: ['<rootDir>/src'],
};
