/** Who caused a change, and from where: carried from the transport into every use case that writes. */
export interface Initiator {
  /** The signed-in user, or null for the system, a machine token or an anonymous citizen. */
  readonly userId: number | null;
  /** A readable name for logs and the audit trail: a user name, `system`, `token:<name>`, `citizen`. */
  readonly label: string;
  /** The client address, when the change came over the network. */
  readonly ip: string | null;
}

export const SYSTEM: Initiator = Object.freeze({ userId: null, label: 'system', ip: null });
