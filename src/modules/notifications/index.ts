/** The in-app inbox, webhooks and the outbox of SMS and e-mail. */
export {
  createNotificationService,
  httpWebhookSender,
  loggingSender,
  signBody,
  type NoticeInput,
  type Notification,
  type NotificationService,
  type Sender,
  type Senders,
} from './notifications.service.js';
export type { UnitNotice } from './notifications.repository.js';
