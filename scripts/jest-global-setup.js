const { build } = require('./build');

module.exports = async () => {
  build();
};
