export { PACKAGE_NAME, PACKAGE_VERSION } from './version';
