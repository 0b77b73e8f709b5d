// The whole suite: every package's unit tests and the cross-app tests in tests/.
module.exports = {
  projects: ['<rootDir>/packages/*', '<rootDir>/apps/*', '<rootDir>/tests'],
};
