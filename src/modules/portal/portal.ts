/** Shapes shared by the portal's use cases, and the ports other parts of the platform plug into. */
import type { Initiator } from '../../kernel/initiator.js';
import type { PolicyActor } from '../access/index.js';

/** Who changes something, with what rights, from where. */
export interface StaffContext {
  readonly actor: PolicyActor;
  readonly by: Initiator;
}

/**
 * The reading side of the public message channels (留言, 咨询, 投诉 …), which the public-channel module feeds: the
 * freshness monitor asks it for valid messages still unanswered. Until one is connected, the monitor says so.
 */
export interface MessageBacklog {
  /** Valid public messages received before `cutoff` that have no published reply yet. */
  unansweredSince(cutoff: Date): Promise<readonly { readonly title: string; readonly receivedAt: Date; readonly href?: string }[]>;
}

/** Looks at one address and says whether it answers. */
export interface LinkProbe {
  /** Whether external (other sites') addresses are probed at all; internal ones always are. */
  readonly external: boolean;
  probe(url: string): Promise<{ ok: boolean; status: number | null; error: string | null }>;
}
