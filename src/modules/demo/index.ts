/** Demo data for a demo deployment: departments, utilities and one account per role. */
export { pregenerateDemoGeography, seedDemo, seedMissingDemoIncidents, type DemoDeps, type PregeneratedGeography } from './demo.service.js';
export { DEMO_ACCOUNTS, DEMO_DEPARTMENTS, DEMO_PASSWORD, DEMO_UTILITIES, type DemoAccount } from './demo-data.js';
