/** Deployment-wide settings kept in the database (signing secret, demo marker). */
export { createSettingsService, type SettingsService } from './settings.service.js';
